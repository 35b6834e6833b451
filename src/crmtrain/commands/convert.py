"""``crmtrain convert SRC DST``: a regulation between YAML and an Excel workbook, by the files' suffixes.

The workbook (:mod:`crmtrain.regulation.formats.workbook`) is one sheet per table-shaped part, and every
command reads it as it reads the YAML file; converting there and back gives the same regulation.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..i18n import _
from . import REGULATION_HELP

SUFFIXES = (".yaml", ".yml", ".xlsx")


def convert(src: str | None, dst: str, out: TextIO) -> int:
    """Read the regulation ``src`` (YAML or XLSX) and write it as ``dst`` (by its suffix)."""
    from . import read

    target = Path(dst)
    if target.suffix.lower() not in SUFFIXES:
        raise UserError(_("{path}: write a regulation as .yaml or .xlsx (by the file's suffix)").format(path=target))
    reg, path = read(src, out)
    data = reg.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix.lower() == ".xlsx":
            from ..regulation.formats.workbook import write_workbook

            write_workbook(data, target, reg.meta.language.value)
        else:
            from ..files import write_text
            from ..interchange.formats import to_yaml

            write_text(target, to_yaml(data))
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    out.write(_("Wrote {path}: the regulation of {source}").format(path=target, source=path) + "\n")
    return 0


def register(sub) -> None:
    """``crmtrain convert``."""
    p = sub.add_parser("convert", help=_("convert a regulation between YAML and an Excel workbook (.yaml ↔ .xlsx)"))
    p.add_argument("src", nargs="?", default=None, metavar="SRC", help=_(REGULATION_HELP) + _("; or a regulation .xlsx"))
    p.add_argument("dst", metavar="DST", help=_("the file to write: .yaml or .xlsx"))
    p.set_defaults(func=lambda args: convert(args.src, args.dst, out=sys.stdout))
