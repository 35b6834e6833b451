"""How a command reads its regulation: which file, in which language, and saying what it read.

Given no regulation, a command reads ``./regulation.yaml`` (never a sample unless asked, as
``sample:en``). Once read, the command speaks the regulation's language: a Russian regulation
gets Russian messages whatever the locale. The one line naming the company and version tells
the specialist which regulation the command worked on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..i18n import _, set_language

if TYPE_CHECKING:
    from ..regulation.models import Regulation

# What a built course remembers about its regulation, so its commands find it by themselves.
COURSE_RECORD = "crmtrain.json"

def read(spec: str | Path | None, out: TextIO | None, *, base: Path | None = None) -> tuple[Regulation, Path]:
    """Resolve, load and announce a regulation; later messages are said in its language."""
    from ..regulation.loader import load
    from ..samples import resolve

    path = resolve(spec, base=base)
    reg = load(path)  # a UserError lists its problems, in its declared language
    set_language(reg.meta.language.value)
    if out is not None:
        out.write(named(reg, path) + "\n")
    return reg, path


def named(reg: Regulation, path: Path) -> str:
    """One line: the company, its CRM and the regulation's version, and the file it came from."""
    m = reg.meta
    return _("Regulation: {company} ({crm}), version {version} of {date} — {path}").format(
        company=m.company, crm=m.crm, version=m.version, date=m.effective_date, path=path)


def recorded(course: str | Path) -> str | None:
    """How the course at ``course`` names the regulation it was built from (None: no record)."""
    from ..errors import UserError

    record = Path(course) / COURSE_RECORD
    try:
        return json.loads(record.read_text(encoding="utf-8"))["regulation"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(_("{file}: unreadable ({error}); rebuild the course or pass --regulation").format(
            file=record, error=exc)) from None


def speak_course_language(course: str | Path) -> None:
    """Say the course commands' messages in the language of the regulation the course was built from."""
    from ..errors import UserError
    from ..regulation.yamlread import ReadFailed, read_text, written_language
    from ..samples import resolve

    try:
        ref = recorded(course)
        if ref is not None:
            set_language(written_language(read_text(resolve(ref, base=Path(course)))))
    except (UserError, ReadFailed, OSError):
        pass  # no language is a reason to fail a command: the locale's it is
