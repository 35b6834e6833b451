"""Whatever file a specialist hands over, `check` answers with exit 2 and `file:line:col: field: message`.

Each case breaks a complete regulation (the filled-in init template) in one way and marks the
line to be reported with ``# <-``; the expected column is where the given text starts on it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from crmtrain.cli import main
from crmtrain.regulation.formats import yamlread
from crmtrain.regulation.loader import iter_validate
from crmtrain.samples import template_path

MARK = "# <-"


def filled() -> str:
    text = template_path("en").read_text(encoding="utf-8")
    return re.sub(r'"TODO: ([^"]*)"', lambda m: '"' + m.group(1).capitalize() + '"', text)


def broken(tmp_path: Path, edits: list[tuple[str, str]]) -> tuple[Path, str]:
    text = filled()
    for old, new in edits:
        assert old in text, f"fixture text not found: {old!r}"
        text = text.replace(old, new, 1)
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def where(text: str, at: str) -> tuple[int, int]:
    """The marked line and the column of ``at`` on it."""
    for number, line in enumerate(text.splitlines(), 1):
        if MARK in line:
            return number, line.index(at) + 1
    raise AssertionError("no marked line")


def check(path, capsys) -> list[str]:
    """Run `crmtrain check`; it must exit 2 without a traceback. The problem lines."""
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()[:-1]


CASES = [
    # (id, edits, field, message fragment, text the column points at)
    ("impossible date", [("effective_date: 2027-01-01", "effective_date: 2027-02-30  # <-")],
     "meta.effective_date", "'2027-02-30' is not a date in the calendar (day is out of range for month)", "2027"),
    ("29 February of a common year", [("holidays: []", "holidays: [2027-01-01, 2027-02-29]  # <-")],
     "client_work.contact_timing.calendar.holidays[1]", "'2027-02-29' is not a date in the calendar", "2027-02-29"),
    ("impossible time of day", [("effective_date: 2027-01-01", "effective_date: 2027-01-01 25:00:00  # <-")],
     "meta.effective_date", "'2027-01-01 25:00:00' is not a real date and time (hour must be in 0..23)", "2027"),
    ("opening hour past midnight", [('opens: "09:00"', 'opens: "24:00"  # <-')],
     "client_work.contact_timing.calendar.opens", "'24:00' is not a time like 09:00 (00:00 to 23:59)", '"24:00"'),
    ("id with a dot", [("    - id: purpose", "    - id: general.purpose  # <-")],
     "summary.topics[0].id", "'general.purpose' is not a valid id", "general"),
    ("id with a space", [("  - id: q-sales", "  - id: q sales  # <-")],
     "questions[2].id", "'q sales' is not a valid id: Latin letters, digits, '-' and '_'", "q sales"),
    ("duplicate key", [("  crm: ", "  crm: CRM\n  crm: ")],
     "meta.crm", "duplicate key 'crm' (first written on line 8)", "crm"),
    ("misspelt top-level key, no knock-on 'missing'", [("\nsummary:", "\nsumary:  # <-")],
     "sumary", "unknown key 'sumary' (did you mean 'summary'?)", "sumary"),
    ("shape error at the key, not the step", [('          label: "A question with a yes/no answer"',
                                               '          label: Decide\n          next: done  # <-')],
     "order_processing.processes[0].steps[2].next", "a decision step has 'branches', not 'next'", "next"),
    ("wrong type inside a list", [("      workdays: [mon, tue, wed, thu, fri]", "      workdays: [mon, tue, 3]  # <-")],
     "client_work.contact_timing.calendar.workdays[2]", "3 is not allowed; expected 'mon', 'tue'", "3"),
    ("a mapping where text belongs", [("  crm: ", "  crm: {name: X}  # <-\n  x: ")],
     "meta.crm", "expected text, got a mapping", "crm"),
    ("after_days on the first assessment", [("    due_days: 7\n", "    due_days: 7\n    after_days: 30  # <-\n")],
     "assessments.initial.after_days", "'after_days' counts from the submission of an earlier assessment, and none "
     "comes before it", "30"),
    ("negative after_days", [("some months later\"\n    due_days: 7\n", "some months later\"\n    due_days: 7\n    after_days: -3  # <-\n")],
     "assessments.followup.after_days", "must be at least 0 (got -3)", "-3"),
]


@pytest.mark.parametrize("edits, field, fragment, at", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_malformed_value_is_placed_exactly(tmp_path, capsys, edits, field, fragment, at):
    path, text = broken(tmp_path, edits)
    if not any(MARK in e[1] for e in edits):  # the duplicate key: the second 'crm' is reported
        lines = text.splitlines()
        line = [i for i, t in enumerate(lines, 1) if t.startswith("  crm:")][1]
        column = lines[line - 1].index(at) + 1
    else:
        line, column = where(text, at)
    problems = check(path, capsys)
    assert f"{path}:{line}:{column}: {field}: " in "\n".join(problems), "\n".join(problems)
    ours = [p for p in problems if p.startswith(f"{path}:{line}:{column}: {field}: ")]
    assert fragment in ours[0]


def test_a_misspelt_key_gives_exactly_one_line(tmp_path, capsys):
    path, _ = broken(tmp_path, [("\nsummary:", "\nsumary:")])
    assert len(check(path, capsys)) == 1


def test_a_duplicate_step_id_is_not_also_reported_as_unreachable(tmp_path, capsys):
    again = ("        - id: register  # <-\n          kind: action\n          label: Register again\n"
             "          role: Manager\n          instructions: Once more\n          next: decide\n")
    path, text = broken(tmp_path, [("        - id: done", again + "        - id: done")])
    line, column = where(text, "register")
    problems = check(path, capsys)
    assert problems == [f"{path}:{line}:{column}: order_processing.processes[0].steps[3].id: "
                        "duplicate step id 'register' (first used at item 1)"]


def test_dotted_ids_cannot_hide_a_duplicate(tmp_path, capsys):
    # Two topics "a.b": once dots were allowed and skipped the duplicate check; now both are invalid ids.
    path, _ = broken(tmp_path, [("    - id: purpose", "    - id: a.b"), ("    - id: access", "    - id: a.b")])
    problems = check(path, capsys)
    assert [p.split(": ", 2)[1] for p in problems] == ["summary.topics[0].id", "summary.topics[1].id"]


@pytest.mark.parametrize("text, line, column, fragment", [
    ("meta: [unclosed\nsummary: {}\n", 1, 7, "the '[' opened here is not closed (expected ] before line 2)"),
    ("meta:\n  company: {a: 1\n  crm: x\n", 2, 12, "the '{' opened here is not closed"),
    ('meta:\n  company: "no end\n', 2, 12, "the quote opened here is not closed"),
    ("meta:\n\tcompany: X\n", 2, 1, "a tab character; indent with spaces only"),
    ("meta:\n  company: X\n  crm:\tY\n\t\n", 4, 1, "a tab character"),
    ("meta: {}\n---\nsummary: {}\n", 2, 1, "a second document ('---')"),
    ("meta: {company: X}\nmeta: {}\n", 2, 1, "meta: duplicate key 'meta' (first written on line 1)"),
], ids=["unclosed bracket", "unclosed brace", "unclosed quote", "tab indent", "tab line", "two documents",
        "duplicate top-level key"])
def test_syntax_errors_point_where_to_look(tmp_path, capsys, text, line, column, fragment):
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check(path, capsys)
    assert any(p.startswith(f"{path}:{line}:{column}: ") and fragment in p for p in problems), problems


def test_a_file_that_is_not_utf8_names_the_first_bad_byte(tmp_path, capsys):
    path = tmp_path / "regulation.yaml"
    path.write_bytes("meta:\n  company: Ромашка\n".encode("utf-8") + "  crm: Битрикс\n".encode("cp1251"))
    assert check(path, capsys) == [f"{path}:3:8: not UTF-8 text (byte 0xc1); save the file as UTF-8"]


def test_utf16_is_named(tmp_path, capsys):
    path = tmp_path / "regulation.yaml"
    path.write_bytes("meta: {}\n".encode("utf-16"))
    assert check(path, capsys) == [f"{path}:1:1: is UTF-16 text; save it as UTF-8"]


def test_a_control_character_is_placed(tmp_path, capsys):
    path = tmp_path / "regulation.yaml"
    path.write_text("meta:\n  company: Ро\x07машка\n", encoding="utf-8")
    assert check(path, capsys) == [f"{path}:2:14: YAML syntax: character U+0007 is not allowed in YAML text"]


def test_deep_block_nesting_stops_at_the_limit(tmp_path, capsys):
    depth = yamlread.MAX_DEPTH + 5
    text = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x\n"
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    limit = yamlread.MAX_DEPTH
    field = ".".join(f"k{i}" for i in range(limit))
    assert check(path, capsys) == [f"{path}:{limit + 1}:{2 * limit + 1}: {field}: nested more than {limit} levels "
                                   "deep; the regulation format needs far fewer"]


def test_deep_flow_nesting_is_a_user_error(tmp_path, capsys):
    path = tmp_path / "regulation.yaml"
    path.write_text("meta: " + "[" * 100_000 + "\n", encoding="utf-8")
    problems = check(path, capsys)
    assert len(problems) == 1 and re.match(rf"{re.escape(str(path))}:1:\d+: (meta[\[\]0-9]*: )?nested more than", problems[0])


def test_an_alias_bomb_is_refused_quickly(tmp_path, capsys):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "regulation.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(path.read_bytes()) < 600
    problems = check(path, capsys)
    # 9**6 values (line 6, 'f') pass the limit of MAX_VALUES; the alias that crosses it is named.
    assert len(problems) == 1 and problems[0].startswith(f"{path}:6:32: f[6]: ")
    assert f"more than {yamlread.MAX_VALUES:,} values once aliases are expanded" in problems[0]


def test_too_many_aliases(tmp_path, capsys):
    n = yamlread.MAX_ALIASES + 1
    path = tmp_path / "regulation.yaml"
    path.write_text("a: &x 1\nb: [" + ", ".join(["*x"] * n) + "]\n", encoding="utf-8")
    problems = check(path, capsys)
    column = len("b: [") + 1 + (n - 1) * len("*x, ")
    assert problems == [f"{path}:2:{column}: b[{n - 1}]: more than {yamlread.MAX_ALIASES} aliases (*name); "
                        "write the values out instead"]


def test_a_file_over_the_size_limit_is_not_read(tmp_path, capsys):
    path = tmp_path / "regulation.yaml"
    path.write_bytes(b"# padding\n" * (yamlread.MAX_BYTES // 10 + 1))
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == f"{path}: is 4.0 MB or more; a regulation file is at most 4 MB\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_not_read(capsys):
    assert main(["check", "/dev/zero"]) == 2
    assert capsys.readouterr().err == "/dev/zero: is not a regular file (a device, pipe or socket); give a .yaml file\n"


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty; expected a mapping with meta, summary"),
    ("# only a comment\n\n", "the file is empty"),
    ("- meta\n- summary\n", "the file holds a list; expected a mapping"),
    ("just words\n", "the file holds a single value ('just words'); expected a mapping"),
    ("42\n", "the file holds a single value (42)"),
])
def test_a_file_without_a_mapping_at_the_top(tmp_path, capsys, text, message):
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check(path, capsys)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:1:1: {message}")


def test_a_huge_bad_value_is_shortened(tmp_path, capsys):
    path, text = broken(tmp_path, [("    - id: purpose", "    - id: " + "x" * 200_000 + " y")])
    problems = check(path, capsys)
    assert len(problems) == 1 and len(problems[0]) < len(str(path)) + 300
    assert "… (200,002 characters)" in problems[0]


def test_iter_validate_yields_problems_as_records(tmp_path):
    path, _ = broken(tmp_path, [("effective_date: 2027-01-01", "effective_date: 2027-13-01")])
    (problem,) = list(iter_validate(path))
    assert (problem.file, problem.line, problem.column, problem.field) == (str(path), 11, 19, "meta.effective_date")


def test_anchors_and_merges_within_limits_are_read(tmp_path, capsys):
    path, _ = broken(tmp_path, [("    - id: access\n      kind: access", "    - id: access\n      <<: &kind {kind: access}"),
                                ('  crm: "Crm product name"', '  crm: &crm "Crm product name"\n  version_x: *crm')])
    problems = check(path, capsys)
    assert problems == [f"{path}:9:3: meta.version_x: unknown key 'version_x' (did you mean 'version'?)"]


def test_a_flood_of_problems_lists_the_first_hundred(tmp_path, capsys):
    # One question, repeated by 300 aliases: 300 duplicate ids, each placed at its alias.
    path, text = broken(tmp_path, [("questions:\n  - id: q-technical", "questions:\n  - &q\n    id: q-technical"),
                                   ("\nassessments:", "\n" + "  - *q\n" * 300 + "\nassessments:")])
    assert main(["check", str(path)]) == 2
    *problems, summary = capsys.readouterr().err.splitlines()
    assert summary == f"{path}: 300 problems in the regulation (the first 100 are listed)"
    first_alias = text.splitlines().index("  - *q") + 1
    assert len(problems) == 100 and problems[0] == (f"{path}:{first_alias}:5: questions[6].id: "
                                                    "duplicate question id 'q-technical' (first used at item 0)")


def test_a_huge_misspelt_key_is_shortened_in_the_field_too(tmp_path, capsys):
    key = "k" * 1000
    path, _ = broken(tmp_path, [("  crm: ", f"  {key}: 1\n  crm: ")])
    (problem,) = check(path, capsys)
    assert problem.startswith(f"{path}:8:3: meta.{'k' * 114}…: unknown key 'kkk") and len(problem) < len(str(path)) + 400


def test_columns_count_characters_not_bytes(tmp_path, capsys):
    text = template_path("ru").read_text(encoding="utf-8")
    text = re.sub(r'"TODO: ([^"]*)"', lambda m: '"' + m.group(1) + '"', text)
    text = re.sub(r"  specialist:\n(    .*\n)+",
                  '  specialist: {name: "Анна Петрова", contact: "почта", role: 7}  # <-\n', text, count=1)
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    line, column = where(text, "7}")
    assert check(path, capsys) == [f"{path}:{line}:{column}: meta.specialist.role: ожидается текст, "
                                   "а указано 7 (заключите его в двойные кавычки)"]
