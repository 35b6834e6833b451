"""Writing generated files: atomically, and only when their text changed.

Builders are pure (a regulation in, texts out); the commands hand their texts to this module,
so an unchanged build leaves every file, and its modification time, untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import UserError


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


def write_files(root: Path, files: Mapping[str, str]) -> list[Path]:
    """Write each ``relative path: text`` under ``root``; returns the paths that changed."""
    root = Path(root)
    return [root / name for name, text in files.items() if write_text(root / name, text)]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
