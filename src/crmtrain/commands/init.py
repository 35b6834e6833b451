"""``crmtrain init``: start a new regulation from a template with every item marked TODO.

Beside it goes the format's JSON Schema, and the YAML's first line points editors at it
(the template's yaml-language-server modeline), so completion and live errors work offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..regulation.schema import SCHEMA_FILENAME, schema_text
from ..samples import template_path

FILENAME = "regulation.yaml"


def run(directory: str, lang: str, out: TextIO) -> int:
    """Write ``DIR/regulation.yaml`` and ``DIR/regulation.schema.json``; never overwrites a regulation."""
    target = Path(directory) / FILENAME
    if target.exists():
        raise UserError(f"{target} already exists; choose another folder or move it away first")
    schema = target.with_name(SCHEMA_FILENAME)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template_path(lang).read_text(encoding="utf-8"), encoding="utf-8")
        schema.write_text(schema_text(), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror}") from None
    out.write(f"Created {target} (and {schema.name} for editor completion)\n"
              f"Fill in every TODO, then run: crmtrain check {target}\n")
    return 0
