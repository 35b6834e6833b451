"""``crmtrain init``: start a new regulation from a template with every item marked TODO."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..samples import template_path

FILENAME = "regulation.yaml"


def run(directory: str, lang: str, out: TextIO) -> int:
    """Write ``DIR/regulation.yaml``; never overwrites an existing file."""
    target = Path(directory) / FILENAME
    if target.exists():
        raise UserError(f"{target} already exists; choose another folder or move it away first")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template_path(lang).read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror}") from None
    out.write(f"Created {target}\n"
              f"Fill in every TODO, then run: crmtrain check {target}\n")
    return 0
