"""The specialist of a Russian regulation runs the course in Russian, on an English machine.

Each course command speaks the language of the regulation the course was built from (the
course records which one); a command that reads a regulation first names it.
"""

from __future__ import annotations

import pytest

from crmtrain.cli import main


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.nbgrader
def test_a_russian_course_speaks_russian_from_build_to_report(tmp_path, capsys):
    status, out, _err = run(capsys, "build", "sample:ru", "--out", str(tmp_path), "--exchange", str(tmp_path / "x"))
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("Регламент: ООО «Теплострой Инжиниринг» (Битрикс24), версия 2027.1 от 2027-01-11 — ")
    assert lines[1].startswith("Рабочие тетради: 5 тетрадей для обучаемых в ")
    assert lines[2].startswith("Тестирования: курс nbgrader «crm-training» в ")
    course = str(tmp_path / "assignments")

    staff = tmp_path / "staff.csv"
    staff.write_text("id,name,email\nиванова,Анна Иванова,a.ivanova@example.com\n", encoding="utf-8")
    status, _out, err = run(capsys, "roster", "import", str(staff), "--course", course)
    assert status == 2
    assert "staff.csv:2: id: 'иванова': только латинские буквы; логин пишется латинскими буквами" in err
    assert err.splitlines()[-1] == "staff.csv: 1 ошибка; ничего не загружено"

    staff.write_text("id,name,email\na.ivanova,Анна Иванова,a.ivanova@example.com\n", encoding="utf-8")
    status, out, _err = run(capsys, "roster", "import", str(staff), "--course", course)
    assert status == 0 and out == "Список обучаемых курса crm-training: добавлено 1, обновлено 0, без изменений 0\n"

    status, out, _err = run(capsys, "release", "initial", "--due", "2030-01-31", "--course", course)
    assert status == 0
    assert out.startswith("Выдано initial: ") and "срок — 2030-01-31 23:59 (Europe/Moscow)" in out
    assert "Обучаемые получают его в JupyterLab" in out

    status, out, _err = run(capsys, "status", "--course", course)
    assert status == 0
    assert "initial: срок — 2030-01-31 23:59 (Europe/Moscow); из 1: получили 0, сдали 0" in out
    assert "followup: ещё не выдано" in out
    assert "обучаемый" in out and "a.ivanova" in out

    status, _out, err = run(capsys, "collect", "initial", "--course", course)
    assert status == 2 and err == "в папке обмена ещё нет сданных работ 'initial'\n"

    status, _out, err = run(capsys, "release", "initial", "--course", course)
    assert status == 2 and "тестирование 'initial' уже выдано; чтобы выдать заново, добавьте --force" in err

    status, out, err = run(capsys, "report", "--course", course, "--out", str(tmp_path / "r"))
    assert status == 2
    assert out.startswith("Регламент: ООО «Теплострой Инжиниринг»")
    assert "ещё ничего не проверено" in err


def test_an_english_course_stays_english_on_a_russian_machine(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    status, out, _err = run(capsys, "build", "sample:en", "--out", str(tmp_path))
    assert status == 0 and out.startswith("Regulation: Teplostroy Engineering LLC (Bitrix24), version 2027.1")
    status, _out, err = run(capsys, "collect", "initial", "--course", str(tmp_path / "assignments"))
    assert status == 2 and err.startswith("assessment 'initial' is not released yet")


def test_before_any_regulation_is_read_the_locale_decides(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    monkeypatch.chdir(tmp_path)
    status, _out, err = run(capsys, "check")
    assert status == 2
    assert err.startswith(f"регламент не указан, а в папке {tmp_path} нет файла regulation.yaml\n")
    assert "начните его здесь: crmtrain init ." in err
