"""``crmtrain document``: the regulation as a formatted official document (HTML and PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..regulation.loader import load
from ..samples import resolve


def run(spec: str | None, out_dir: str, formats: str, out: TextIO) -> int:
    """Write the document into ``out_dir`` in the asked formats and say where it is."""
    from ..document.render import FORMATS, write_document

    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UserError(f"unknown format {', '.join(unknown) or repr(formats)}; use html, pdf or html,pdf")
    path = resolve(spec)
    reg = load(path)
    written = write_document(reg, Path(out_dir), wanted, base=path.parent)
    for path in written.files:
        pages = f" ({written.pages} pages)" if path.suffix == ".pdf" else ""
        out.write(f"Wrote {path}{pages}\n")
    return 0
