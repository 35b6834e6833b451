"""``crmtrain schema``: print (or write) the JSON Schema of the regulation format."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..files import write_text
from ..regulation.schema import schema_text


def run(out_file: str | None, out: TextIO) -> int:
    """Print the schema, or write it to ``out_file`` and say where."""
    text = schema_text()
    if out_file is None:
        out.write(text)
        return 0
    target = Path(out_file)
    write_text(target, text)
    out.write(f"Wrote the regulation's JSON Schema to {target}\n"
              f"Point your editor at it with this first line in the YAML file:\n"
              f"# yaml-language-server: $schema={target.name}\n")
    return 0
