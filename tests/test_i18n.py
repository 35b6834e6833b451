"""Gettext catalogs: the compile command works, the runtime is fully translated, plurals work.

That the committed .mo match the .po is a golden-file check (tests/test_golden.py).
"""

from __future__ import annotations

import shutil
import string
import subprocess
import sys

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from crmtrain import i18n
from crmtrain.i18n import LANGUAGES, translation
from crmtrain.i18n.catalogs import compile_catalogs, extract_messages


def po(lang: str):
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=i18n.DOMAIN)


def messages(catalog) -> dict:
    """A catalog's translations as a plain dict, header included (it carries Plural-Forms)."""
    def frozen(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {(frozen(m.id), m.context): frozen(m.string) for m in catalog}


def runtime_msgids() -> set:
    return {msgid for _, _, msgid in extract_messages(under="runtime")}


def placeholders(text: str) -> set[str]:
    """The format fields a message fills in, without the company's words ({lead}, {clients:ins}...): a
    translation names a lead, client, deal or task in whatever form and number its grammar needs."""
    from crmtrain.i18n.words import WORDS

    return {field for _, field, _, _ in string.Formatter().parse(text)
            if field is not None and field.lower().removesuffix("s") not in WORDS}


def test_compile_command_writes_equivalent_catalogs(tmp_path):
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    for mo in copy.glob("*/LC_MESSAGES/*.mo"):
        mo.unlink()
    written = compile_catalogs(copy)
    assert sorted(p.parent.parent.name for p in written) == sorted(LANGUAGES)
    for mo in written:
        with mo.open("rb") as new, (i18n.LOCALE_DIR / mo.relative_to(copy)).open("rb") as old:
            assert messages(read_mo(new)) == messages(read_mo(old))


def test_command_line_usage():
    command = [sys.executable, "-m", "crmtrain.i18n", "frobnicate"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 2 and "compile" in result.stderr


def test_every_runtime_msgid_has_a_russian_translation():
    ru = po("ru")
    missing = []
    for msgid in sorted(runtime_msgids(), key=str):
        message = ru.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = () if message is None else message.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert not missing, "add to the ru .po, then run: python -m crmtrain.i18n update && ... compile"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    for message in po(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(i) for i in ids))
        for text in filter(None, strings):
            assert placeholders(text) <= expected, (message.id, text)


def test_catalogs_are_sorted_by_source_file_and_list_the_same_msgids():
    for lang in LANGUAGES:
        files = [m.locations[0][0] for m in po(lang) if m.id and m.locations]
        assert files == sorted(files), f"{lang}: run python -m crmtrain.i18n update"
    assert {m.id for m in po("en")} == {m.id for m in po("ru")}


@pytest.mark.parametrize(
    "n, text",
    [(1, "ещё 1 вопрос без ответа"), (2, "ещё 2 вопроса без ответа"), (5, "ещё 5 вопросов без ответа"),
     (11, "ещё 11 вопросов без ответа"), (21, "ещё 21 вопрос без ответа"), (24, "ещё 24 вопроса без ответа")],
)
def test_russian_plural_forms(n, text):
    ru = translation("ru")
    assert ru.ngettext("{n} question still to answer", "{n} questions still to answer", n).format(n=n) == text


def test_points_plural_and_english_fallback():
    ru, en = translation("ru"), translation("en")
    points = [ru.ngettext("{n} point", "{n} points", n).format(n=n) for n in (1, 3, 5)]
    assert points == ["1 балл", "3 балла", "5 баллов"]
    assert [en.ngettext("{n} point", "{n} points", n).format(n=n) for n in (1, 3)] == ["1 point", "3 points"]
    assert en.gettext("Check") == "Check" and ru.gettext("Check") == "Проверить"
    assert ru.gettext("a msgid nobody translated") == "a msgid nobody translated"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="en, ru"):
        translation("de")
