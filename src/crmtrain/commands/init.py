"""``crmtrain init``: start a new regulation from a template with every item marked TODO.

Beside it goes the format's JSON Schema, and the YAML's first line points editors at it
(the template's yaml-language-server modeline), so completion and live errors work offline.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..files import write_text
from ..regulation.schema import SCHEMA_FILENAME, schema_text
from ..samples import template_path
from ..i18n import _


FILENAME = "regulation.yaml"


def run(directory: str, lang: str, out: TextIO) -> int:
    """Write ``DIR/regulation.yaml`` and ``DIR/regulation.schema.json``; never overwrites a regulation."""
    from ..i18n import _, set_language

    set_language(lang)  # the new regulation's language from here on
    target = Path(directory) / FILENAME
    if target.exists():
        raise UserError(_("{path} already exists; choose another folder or move it away first").format(path=target))
    schema = target.with_name(SCHEMA_FILENAME)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template_path(lang).read_text(encoding="utf-8"), encoding="utf-8")
        schema.write_text(schema_text(lang), encoding="utf-8")  # hover help in the regulation's language
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    out.write(_("Created {path} (and {schema} for editor completion)").format(path=target, schema=schema.name) + "\n")
    out.write(_("Fill in every TODO, then run: crmtrain check {path}").format(path=target) + "\n")
    return 0


def schema(out_file: str | None, out: TextIO, lang: str | None = None) -> int:
    """Print the schema (descriptions in ``lang``, default the locale's), or write it to ``out_file``."""
    from ..i18n import language

    text = schema_text(lang or language())
    if out_file is None:
        out.write(text)
        return 0
    target = Path(out_file)
    write_text(target, text)
    out.write(f"Wrote the regulation's JSON Schema to {target}\n"
              f"Point your editor at it with this first line in the YAML file:\n"
              f"# yaml-language-server: $schema={target.name}\n")
    return 0


def register(sub) -> None:
    """``crmtrain init`` and ``crmtrain schema``."""
    p = sub.add_parser("init", help=_("scaffold a new regulation with every recommended item marked TODO"))
    p.add_argument("dir", metavar="DIR", help=_("folder to create the regulation in (regulation.yaml)"))
    p.add_argument("--lang", choices=("ru", "en"), default="en", help=_("language of the regulation (default: en)"))
    p.set_defaults(func=lambda args: run(args.dir, lang=args.lang, out=sys.stdout))

    p = sub.add_parser("schema", help=_("print the JSON Schema of the regulation format (for editor completion)"))
    p.add_argument("--out", default=None, metavar="FILE", help=_("write it to FILE instead of printing it"))
    p.add_argument("--lang", choices=("ru", "en"), default=None,
                   help=_("language of the field descriptions (hover help in editors; default: the locale's)"))
    p.set_defaults(func=lambda args: schema(args.out, out=sys.stdout, lang=args.lang))
