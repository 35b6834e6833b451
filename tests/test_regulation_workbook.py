"""A regulation as an Excel workbook: `crmtrain convert` both ways, and every command reads the .xlsx.

The specialist who keeps the regulation in Excel or LibreOffice gets one sheet per table-shaped
part, headers and instructions in the regulation's language, drop-downs for kinds and types,
and problems located as ``regulation.xlsx:Sheet!C14``.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from crmtrain.cli import main
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path

SAMPLES = ["en", "ru", "freight"]


@pytest.mark.parametrize("sample", SAMPLES)
def test_yaml_to_xlsx_and_back_is_the_same_regulation(sample, tmp_path, capsys):
    book, back = tmp_path / "regulation.xlsx", tmp_path / "back.yaml"
    assert main(["convert", f"sample:{sample}", str(book)]) == 0
    assert load(book) == load(sample_path(sample))  # every command reads the workbook as it reads YAML
    assert main(["convert", str(book), str(back)]) == 0
    assert load(back) == load(sample_path(sample))
    capsys.readouterr()
    assert main(["diff", f"sample:{sample}", str(book)]) == 0
    nothing = {"ru": ": 0 изменений (добавлено 0, удалено 0, изменено 0)"}  # diff speaks the regulation's language
    assert nothing.get(sample, ": 0 changes (0 added, 0 removed, 0 changed)") in capsys.readouterr().out


def test_commands_read_a_workbook(tmp_path, capsys):
    book = tmp_path / "regulation.xlsx"
    main(["convert", "sample:ru", str(book)])
    capsys.readouterr()
    assert main(["check", str(book)]) == 0
    out = capsys.readouterr().out
    assert "ООО «Теплострой Инжиниринг»" in out and "корректен и полон" in out
    assert main(["build", str(book), "--out", str(tmp_path / "build")]) == 0
    assert (tmp_path / "build" / "workbooks" / "02-order-processing.ipynb").exists()


def test_the_workbook_speaks_the_regulations_language_and_offers_choices(tmp_path):
    book = tmp_path / "regulation.xlsx"
    main(["convert", "sample:ru", str(book)])
    wb = load_workbook(book)
    assert wb.sheetnames[0] == "Как заполнять"
    assert {"Шаги процессов", "Правила классов", "Сроки контакта", "Статусы", "Переходы", "Вопросы"} <= set(wb.sheetnames)
    questions = wb["Вопросы"]
    headers = [c.value for c in questions[1]]
    assert "Тип" in headers and "Пункты регламента" in headers
    type_column = questions.cell(1, headers.index("Тип") + 1).column_letter
    lists = [dv.formula1 for dv in questions.data_validations.dataValidation if type_column + "3" in str(dv.sqref)]
    assert lists == ['"single,multiple,true_false,numeric,ordering,open"']
    # The lead classification is a grid: one row per rule, one column per criterion.
    grid = [c.value for c in wb["Правила классов"][2]]
    when = [n for n, k in enumerate(grid) if k.startswith("when.")]
    assert len(when) >= 3 and when == list(range(when[0], when[0] + len(when))) and "then" in grid


@pytest.mark.parametrize(("sheet", "column", "value", "expected"), [
    ("Шаги процессов", "next", "no-such-step", "order_processing.processes[0].steps[1].next: "),
    ("Вопросы", "type", "essay", "questions[1].type: значение 'essay' недопустимо"),
    ("Вопросы", "points", "много", "questions[1].points: ожидается целое число"),
], ids=["unknown-step", "unknown-type", "points-not-a-number"])
def test_a_problem_is_located_at_its_cell(tmp_path, capsys, sheet, column, value, expected):
    book = tmp_path / "regulation.xlsx"
    main(["convert", "sample:ru", str(book)])
    wb = load_workbook(book)
    ws = wb[sheet]
    keys = [c.value for c in ws[2]]
    cell = ws.cell(4, keys.index(column) + 1)
    cell.value = value
    wb.save(book)
    capsys.readouterr()
    assert main(["check", str(book)]) == 2
    err = capsys.readouterr().err
    assert f"{book}:{sheet}!{cell.coordinate}: {expected}" in err and "Traceback" not in err


def test_a_workbook_not_made_by_crmtrain_gets_a_clear_message(tmp_path, capsys):
    from openpyxl import Workbook

    book = tmp_path / "regulation.xlsx"
    Workbook().save(book)
    assert main(["check", str(book)]) == 2
    assert "not a crmtrain regulation workbook" in capsys.readouterr().err
