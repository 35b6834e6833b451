"""Translations of everything trainees see: gettext catalogs in ``crmtrain/locale``.

Msgids are English. This package's ``__init__`` is stdlib-only because it runs in trainee
kernels; :mod:`crmtrain.i18n.catalogs` maintains the catalogs with Babel (a dev/test
dependency):

    python -m crmtrain.i18n update    # re-extract msgids from src/crmtrain into both .po
    python -m crmtrain.i18n compile   # .po (source of truth) -> .mo (what gettext reads)
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

DOMAIN = "crmtrain"
LANGUAGES = ("en", "ru")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


@functools.lru_cache(maxsize=None)
def translation(lang: str) -> gettext.NullTranslations:
    """The catalog for ``lang`` ("en" or "ru"); missing messages fall back to the English msgid."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    # fallback=True: a missing .mo must not break a trainee's notebook, only un-translate it.
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def deadline_text(tr: gettext.NullTranslations, unit: str, n: int) -> str:
    """'2 working hours' / '2 рабочих часа': a contact deadline, with the language's plural forms."""
    # Literal calls, one per unit, so that message extraction finds every form.
    if unit == "minutes":
        text = tr.ngettext("{n} working minute", "{n} working minutes", n)
    elif unit == "hours":
        text = tr.ngettext("{n} working hour", "{n} working hours", n)
    elif unit == "days":
        text = tr.ngettext("{n} working day", "{n} working days", n)
    elif unit == "calendar_hours":
        text = tr.ngettext("{n} hour (day and night)", "{n} hours (day and night)", n)
    else:
        text = tr.ngettext("{n} calendar day", "{n} calendar days", n)
    return text.format(n=n)
