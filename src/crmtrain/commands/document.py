"""``crmtrain document``: the regulation as a formatted official document (HTML and PDF)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..errors import comma_choices
from ..i18n import _, plural
from . import read
from . import REGULATION_HELP, formats


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


def register(sub) -> None:
    """``crmtrain document``."""
    p = sub.add_parser("document", help=_("write the regulation as a formatted official document: HTML and PDF"))
    p.add_argument("regulation", nargs="?", default=None, help=_(REGULATION_HELP))
    p.add_argument("--out", default="document", metavar="DIR", help=_("folder for regulation.html and regulation.pdf (default: document)"))
    p.add_argument("--format", default="html,pdf", type=formats("html", "pdf"),
                   help=_("comma-separated: html, pdf (default: both; pdf needs Chromium)"))
    p.set_defaults(func=lambda args: run(args.regulation, args.out, args.format, out=sys.stdout))
