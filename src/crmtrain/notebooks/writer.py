"""Write generated notebooks so that an unchanged build leaves files untouched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..errors import UserError


def render(nb: NotebookNode) -> str:
    """The exact text a notebook is stored as (sorted keys, one trailing newline)."""
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4) + "\n"


def write_text(path: Path, text: str) -> bool:
    """Atomically write ``text`` if it differs from the file; True when the file changed."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; generated files are for sharing
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_notebooks(notebooks: dict[str, NotebookNode], folder: Path) -> list[Path]:
    """Write each notebook into ``folder``; returns the paths that changed."""
    return [folder / name for name, nb in notebooks.items() if write_text(folder / name, render(nb))]
