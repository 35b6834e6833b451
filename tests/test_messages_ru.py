"""A Russian specialist reads every message of `check` in Russian, whatever the machine's locale.

Each case is a slip a specialist makes in the Russian sample, with the Russian message `check`
must give for it. Beyond the expected message, no English word may be left in the output: only
the specialist's own ids, keys and values (which the file holds), the format's field names and
a few proper names (YAML, CRM, TODO, crmtrain) are Latin.
"""

from __future__ import annotations

import re

import pytest
import yaml

from crmtrain.cli import main
from crmtrain.regulation.loader import load
from crmtrain.regulation.selection import select
from crmtrain.regulation.schema import json_schema
from crmtrain.samples import sample_path

SAMPLE = sample_path("ru").read_text(encoding="utf-8")
PROPER = {"YAML", "CRM", "TODO", "crmtrain", "init", "check"}
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

# (what the specialist did, text in the sample, what they wrote instead, what check says)
SLIPS = [
    ("a text cut at an unquoted comma", '{id: a, text: "Чего нет в CRM, того не было."}',
     "{id: a, text: Чего нет в CRM, того не было.}",
     "questions[0].options[0].text: текст разрезан запятой, и его конец 'того не было.' прочитан как ключ; "
     "заключите весь текст в двойные кавычки: text: \"Чего нет в CRM, того не было.\""),
    ("a colon inside an unquoted text", "    text: Какое главное правило работы в CRM записано в регламенте?",
     "    text: Важно: какое главное правило работы в CRM?",
     "синтаксис YAML: двоеточие с пробелом внутри текста; заключите весь текст в двойные кавычки"),
    ("a misspelt key", "  pass_mark: 80\n\n", "  pas_mark: 80\n\n",
     "meta.pas_mark: неизвестный ключ 'pas_mark' (может быть, имелось в виду 'pass_mark'?)"),
    ("a required field left out", "  crm: Битрикс24\n", "",
     "meta.crm: обязательное поле не заполнено"),
    ("a word where a number belongs", "  pass_mark: 80\n\n", "  pass_mark: восемьдесят\n\n",
     "meta.pass_mark: ожидается целое число, а указано 'восемьдесят'"),
    ("a number out of range", "  pass_mark: 80\n\n", "  pass_mark: 180\n\n",
     "meta.pass_mark: должно быть не больше 100 (указано 180)"),
    ("a Cyrillic id", "  - id: pr-tech-01\n", "  - id: вопрос-1\n",
     "questions[0].id: 'вопрос-1' — недопустимый идентификатор: только латинские буквы, цифры"),
    ("an impossible date", "effective_date: 2027-01-11", "effective_date: 2027-02-30",
     "'2027-02-30' — такой даты нет в календаре (в этом месяце нет такого дня)"),
    ("a time in words", 'opens: "09:00"', 'opens: "9 утра"',
     "'9 утра' — не время вида 09:00 (от 00:00 до 23:59)"),
    ("a step that does not exist", "          next: check-stock\n", "          next: check-stok\n",
     "шага 'check-stok' нет в процессе"),
    ("branches on an action step", "          kind: decision\n", "          kind: action\n",
     "'branches' бывают только у шага-решения (decision), а этот шаг — 'action'"),
    ("a misspelt status", "        to: qualified\n", "        to: qualifed\n",
     "статуса 'qualifed' нет среди статусов (new, qualified"),
    ("an unknown deal field", "requires: [budget, decision_maker]", "requires: [budget, dm]",
     "поля 'dm' нет среди полей сделки (budget, decision_maker"),
    ("an unknown lead class", "then: class-d", "then: class-x",
     "класса 'class-x' нет среди классов (class-a, class-b, class-c, class-d)"),
    ("a number condition in words", 'budget: "< 150000"', 'budget: "много"',
     "не удаётся прочитать 'много' как числовое условие; пишите, например, '>= 100000' или '100000..500000'"),
    ("a range written backwards", 'budget: "500000..1500000"', 'budget: "1500000..500000"',
     "'1500000..500000' — пустой диапазон; сначала пишите нижнюю границу: '500000..1500000'"),
    ("an answer that is not an option", "    answer: a\n    explanation: >\n      Незафиксированный",
     "    answer: z\n    explanation: >\n      Незафиксированный",
     "questions[0].answer: правильного ответа 'z' нет среди вариантов (a, b, c, d)"),
    ("a misspelt reference", "refs: [crm-purpose]", "refs: [crm-purpos]",
     "в регламенте нет пункта 'crm-purpos' (может быть, имелось в виду 'crm-purpose'?)"),
    ("an unknown question in an assessment", "include: [in-proc-open, in-sales-open]",
     "include: [in-proc-open, in-sales-opn]", "assessments.initial.include[1]: нет вопроса 'in-sales-opn'"),
    ("a key written twice", "  crm: Битрикс24\n", "  crm: Битрикс24\n  crm: amoCRM\n",
     "ключ 'crm' повторяется (впервые — в строке 7)"),
    ("a tab for indentation", "  crm: Битрикс24\n", "\tcrm: Битрикс24\n",
     "синтаксис YAML: символ табуляции; делайте отступы только пробелами"),
    ("a draw larger than its pool", "{pool: initial, topic: technical, count: 4}",
     "{pool: initial, topic: technical, count: 40}",
     "нужно вопросов: 40, а в пуле 'initial', тема 'technical' осталось только"),
    ("a weekday in Russian", "workdays: [mon, tue, wed, thu, fri]", "workdays: [mon, tue, wed, thu, пт]",
     "значение 'пт' недопустимо; ожидается"),
    ("a deadline in two units", "deadline: {minutes: 30}", "deadline: {minutes: 30, hours: 1}",
     "укажите ровно одно из: 'minutes', 'hours', 'days'"),
    ("a holiday in words", "        - 2027-01-04\n", "        - 4 января\n",
     "ожидается дата вида 2027-01-31, а указано '4 января'"),
    ("a quote left open", 'version: "2027.1"', 'version: "2027.1',
     "regulation.yaml:9:12: синтаксис YAML: открытая здесь кавычка не закрыта в своей строке (нужна такая же "
     "кавычка до строки 13)"),
    ("a question worth nothing", "    points: 1\n\n  - id: pr-tech-02", "    points: 0\n\n  - id: pr-tech-02",
     "questions[0].points: должно быть не меньше 1 (указано 0)"),
    ("a numeric answer in words", "    answer: 12\n", "    answer: двенадцать\n",
     "questions[5].answer: ответ на числовой вопрос — число (указано 'двенадцать')"),
]
SYNTAX_SLIPS = {"a colon inside an unquoted text", "a tab for indentation", "a quote left open"}


def allowed_words(*texts: str) -> set[str]:
    """Latin words the specialist may see: their own keys and values, the format's names."""
    words = set(PROPER)

    def walk(node) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                words.update(TOKEN.findall(str(k)))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif node is not None:
            words.update(TOKEN.findall(str(node)))

    walk(yaml.safe_load(SAMPLE))
    walk(json_schema())  # field names, enum values
    sel = select(load(sample_path("ru")))  # the slots crmtrain adds to re-test the initial
    words.update(p.id for plans in sel.slots.values() for p in plans)
    for text in texts:
        words.update(TOKEN.findall(text))
    return words


def english_left(output: str, path, allowed: set[str]) -> list[str]:
    """Latin words of ``output`` that are not the file's place, a field path, a quoted value or allowed."""
    left = []
    for line in output.splitlines():
        line = line.replace(str(path), "")
        line = re.sub(r"^:\d+(:\d+)?: [^ ]+: ", "", line)  # the place and the field path
        line = re.sub(r"'[^']*'|\"[^\"]*\"|«[^»]*»", " ", line)  # quoted values
        left += [w for w in TOKEN.findall(line) if w not in allowed]
    return left


def check(path, capsys) -> tuple[int, str]:
    status = main(["check", "--no-cache", str(path)])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """The machine speaks English: only the regulation's language makes the messages Russian."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.mark.parametrize("old, new, message", [s[1:] for s in SLIPS], ids=[s[0] for s in SLIPS])
def test_each_slip_in_the_russian_sample_is_said_in_russian(tmp_path, capsys, old, new, message):
    assert SAMPLE.count(old) >= 1, "the sample changed: update the case"
    path = tmp_path / "regulation.yaml"
    path.write_text(SAMPLE.replace(old, new, 1), encoding="utf-8")
    status, output = check(path, capsys)
    assert status == 2
    assert message in output
    assert re.search(r"в регламенте \d+ ошиб", output.splitlines()[-1])
    assert english_left(output, path, allowed_words(new)) == []


def test_all_slips_at_once_are_said_in_russian(tmp_path, capsys):
    text = SAMPLE
    for what, old, new, _message in SLIPS:
        if what not in SYNTAX_SLIPS:  # a syntax error stops the reading: nothing else would be said
            text = text.replace(old, new, 1)
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    status, output = check(path, capsys)
    assert status == 2 and len(output.splitlines()) >= 10
    assert english_left(output, path, allowed_words(*(s[2] for s in SLIPS))) == []


def test_the_russian_sample_is_summarised_in_russian(capsys):
    status, output = check(sample_path("ru"), capsys)
    assert status == 0
    assert "Ответственный специалист: Наталья Орлова" in output
    assert output.endswith("regulation.ru.yaml: корректен и полон\n")
    assert english_left(output, sample_path("ru"), allowed_words()) == []


def test_a_new_russian_regulation_is_checked_in_russian(tmp_path, capsys):
    assert main(["init", str(tmp_path), "--lang", "ru"]) == 0
    path = tmp_path / "regulation.yaml"
    assert capsys.readouterr().out == (f"Создан {path} (и regulation.schema.json для подсказок в редакторе)\n"
                                       f"Заполните все TODO, затем выполните: crmtrain check {path}\n")
    status, output = check(path, capsys)
    assert status == 1
    assert "Полнота" in output and "ещё помечено TODO" in output and "доделать:" in output
    assert output.endswith(f"{path}: корректен, но не полон\n")
    assert english_left(output, path, allowed_words(path.read_text(encoding="utf-8"))) == []


def test_the_same_slip_in_an_english_regulation_stays_english(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")  # a Russian machine, an English regulation
    text = sample_path("en").read_text(encoding="utf-8").replace("  pass_mark: 80\n", "  pass_mark: 180\n", 1)
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    status, output = check(path, capsys)
    assert status == 2 and "meta.pass_mark: must be at most 100 (got 180)" in output
    assert output.splitlines()[-1] == f"{path}: 1 problem in the regulation"
