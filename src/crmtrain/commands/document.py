"""``crmtrain document``: the regulation as a formatted official document (HTML and PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..errors import comma_choices
from ..i18n import _, plural
from .reading import read


def run(spec: str | None, out_dir: str, formats: str, out: TextIO) -> int:
    """Write the document into ``out_dir`` in the asked formats and say where it is."""
    from ..document.render import FORMATS, write_document

    wanted = comma_choices(formats, FORMATS)
    reg, path = read(spec, out)
    written = write_document(reg, Path(out_dir), wanted, base=path.parent)
    for path in written.files:
        pages = " (" + plural("{n} page", "{n} pages", written.pages) + ")" if path.suffix == ".pdf" else ""
        out.write(_("Wrote {path}").format(path=path) + pages + "\n")
    return 0
