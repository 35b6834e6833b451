"""Translations of everything trainees and the specialist see: gettext catalogs in ``crmtrain/locale``.

Msgids are English. Notebook builders and the kernel runtime ask for a language's catalog
(:func:`translation`); the specialist's messages (checks, commands) are said with :func:`_` and
:func:`ngettext` in the *current* language: the regulation's ``meta.language`` once a command has
read one (:func:`set_language`), before that the user's locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``).
Tables of messages mark their msgids with :func:`N_` and translate them where they are used. This package's ``__init__`` is stdlib-only because it runs in trainee
kernels; :mod:`crmtrain.i18n.catalogs` maintains the catalogs with Babel (a dev/test
dependency):

    python -m crmtrain.i18n update    # re-extract msgids from src/crmtrain into both .po
    python -m crmtrain.i18n compile   # .po (source of truth) -> .mo (what gettext reads)
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import os
from collections.abc import Iterator
from pathlib import Path

DOMAIN = "crmtrain"
LANGUAGES = ("en", "ru")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def translation(lang: str, words: dict | None = None) -> gettext.NullTranslations:
    """The catalog for ``lang`` ("en" or "ru"), speaking of leads, clients, deals and tasks in ``words``
    (the regulation's ``meta.words``; None: the language's usual words). Missing messages fall back
    to the English msgid."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    import json

    return _worded(lang, json.dumps(words or {}, sort_keys=True, ensure_ascii=False))


@functools.lru_cache(maxsize=None)
def _worded(lang: str, words: str) -> gettext.NullTranslations:
    import json

    from .words import word_forms

    # fallback=True: a missing .mo must not break a trainee's notebook, only un-translate it.
    catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
    return Worded(catalog, word_forms(lang, json.loads(words)))


class Worded(gettext.NullTranslations):
    """A catalog whose messages name the CRM's objects in the company's words (``i18n.words``)."""

    def __init__(self, catalog: gettext.NullTranslations, forms: dict) -> None:
        super().__init__()
        self.catalog, self.forms = catalog, forms

    def gettext(self, message: str) -> str:
        from .words import fill

        return fill(self.catalog.gettext(message), self.forms)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        from .words import fill

        return fill(self.catalog.ngettext(msgid1, msgid2, n), self.forms)


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


_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("crmtrain_language", default=None)


def locale_language(environ: dict[str, str] | None = None) -> str:
    """The user's language from the POSIX locale variables ("ru" for ru_RU.UTF-8); "en" otherwise."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        # LANGUAGE is a priority list ("ru:en"); the others one locale name.
        for item in value.split(":"):
            code = item.split("_")[0].split(".")[0].lower()
            if code in LANGUAGES:
                return code
        if value and name != "LANGUAGE":
            break  # the first locale variable that is set decides (C, POSIX: English)
    return "en"


def language() -> str:
    """The language the specialist's messages are said in now."""
    return _current.get() or locale_language()


def set_language(lang: str | None) -> None:
    """Say messages in ``lang`` from now on (None: back to the locale); unknown languages are ignored."""
    _current.set(lang if lang in LANGUAGES else None)


@contextlib.contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Say messages in ``lang`` inside the block."""
    token = _current.set(lang if lang in LANGUAGES else _current.get())
    try:
        yield
    finally:
        _current.reset(token)


def _(msgid: str) -> str:
    """``msgid`` in the current language."""
    return translation(language()).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or a plural form for ``n``, in the current language."""
    return translation(language()).ngettext(singular, plural, n)


def plural(singular: str, plural_: str, n: int) -> str:
    """``ngettext`` with ``{n}`` filled in: ``plural("{n} topic", "{n} topics", 3)`` is "3 темы" in Russian."""
    return ngettext(singular, plural_, n).format(n=n)


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogs where it is defined (a table); translate it with :func:`_` where used."""
    return msgid
