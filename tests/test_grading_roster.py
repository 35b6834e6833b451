"""`crmtrain roster import staff.csv`: every bad row at once, then an upsert into the gradebook."""

from __future__ import annotations

import pytest

from crmtrain.errors import UserError
from crmtrain.grading.verbs.roster import import_roster, read_roster, trainees


def _csv(tmp_path, text, name="staff.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_reads_a_good_roster(tmp_path):
    path = _csv(tmp_path, "id,name,email\nalice,Alice Smith,alice@example.com\n\nbob,Боб Петров,bob@example.ru\n")
    assert [(t.id, t.name) for t in read_roster(path)] == [("alice", "Alice Smith"), ("bob", "Боб Петров")]


def test_every_bad_row_is_reported_by_line(tmp_path):
    path = _csv(tmp_path, "id,name,email\n"
                          "alice,Alice,alice@example.com\n"
                          "bo b,Bob,bob@example.com\n"
                          "bob,Bob,bob@\n"
                          "alice,Alice again,a2@example.com\n"
                          ",,\n"
                          "carol,,carol@example\n")
    with pytest.raises(UserError) as err:
        read_roster(path)
    assert err.value.lines == (
        "staff.csv:3: id: 'bo b' is not a login name (Latin letters, digits, '.', '_', '-', '@'; no spaces or '+', "
        "at most 128 characters)",
        "staff.csv:4: email: 'bob@' is not an email address",
        "staff.csv:5: id: 'alice' is already on line 2",
        "staff.csv:7: name: is empty",
        "staff.csv:7: email: 'carol@example' is not an email address",
    )
    assert "nothing was imported" in str(err.value)


@pytest.mark.parametrize("lang, message", [
    ("en", "staff.csv:2: id: 'иванова': Latin letters only; a login is written in Latin letters, digits, '.', '_', "
           "'-' and '@' (like a.ivanova)"),
    ("ru", "staff.csv:2: id: 'иванова': только латинские буквы; логин пишется латинскими буквами, цифрами и "
           "знаками '.', '_', '-' и '@' (например, a.ivanova)"),
])
def test_a_cyrillic_id_is_said_to_need_latin_letters_in_the_specialists_language(tmp_path, lang, message):
    from crmtrain.i18n import speaking

    path = _csv(tmp_path, "id,name,email\nиванова,Анна Иванова,a.ivanova@example.com\n")
    with speaking(lang), pytest.raises(UserError) as err:
        read_roster(path)
    assert err.value.lines == (message,)


def test_spreadsheet_exports_semicolons_bom_and_extra_columns(tmp_path):
    path = _csv(tmp_path, "\ufeffEmail;ID;Name;Department\nanna@example.com;anna;Анна;Sales\n", encoding="utf-8")
    (t,) = read_roster(path)
    assert (t.id, t.name, t.email) == ("anna", "Анна", "anna@example.com")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("id,name\nalice,Alice\n", "staff.csv:1: missing column email"),
        ("id,name,email\n", "no trainees"),
    ],
)
def test_file_level_problems(tmp_path, text, message):
    with pytest.raises(UserError, match=message):
        read_roster(_csv(tmp_path, text))


def test_missing_or_unreadable_file(tmp_path):
    with pytest.raises(UserError, match=r"nope\.csv: no such file"):
        read_roster(tmp_path / "nope.csv")
    with pytest.raises(UserError, match="UTF-8"):
        read_roster(_csv(tmp_path, "id,name,email\nя,Я,ya@example.com\n", encoding="cp1251"))


def test_import_upserts_into_the_gradebook(course, tmp_path):
    first = import_roster(course, _csv(tmp_path, "id,name,email\nalice,Alice,alice@example.com\n"
                                                 "bob,Bob,bob@example.com\n"))
    assert (first.added, first.updated, first.unchanged) == (("alice", "bob"), (), ())
    second = import_roster(course, _csv(tmp_path, "id,name,email\nbob,Bob Jones,bob@example.com\n"
                                                  "carol,Carol,carol@example.com\n", name="more.csv"))
    assert (second.added, second.updated, second.unchanged, second.not_in_file) == (
        ("carol",), ("bob",), (), ("alice",))
    assert [(t.id, t.name, t.email) for t in trainees(course)] == [
        ("alice", "Alice", "alice@example.com"), ("bob", "Bob Jones", "bob@example.com"),
        ("carol", "Carol", "carol@example.com")]
    bad = _csv(tmp_path, "id,name,email\ndave,Dave,dave@\n", name="bad.csv")
    with pytest.raises(UserError):
        import_roster(course, bad)
    assert "dave" not in [t.id for t in trainees(course)]


@pytest.mark.parametrize("start, message", [
    ("2027-02-30", "staff.csv:3: start: '2027-02-30' is not a date: write the day the trainee got CRM access as "
                   "YYYY-MM-DD (2027-03-01) or DD.MM.YYYY"),
    ("March 1", "staff.csv:3: start: 'March 1' is not a date"),
    ("1/3/2027", "staff.csv:3: start: '1/3/2027' is not a date"),
    ("31.04.2027", "staff.csv:3: start: '31.04.2027' is not a date"),
])
def test_a_bad_start_day_is_reported_by_line_like_any_bad_value(tmp_path, start, message):
    path = _csv(tmp_path, f"id,name,email,start\nalice,Alice,alice@example.com,2027-03-01\nbob,Bob,bob@example.com,{start}\n")
    with pytest.raises(UserError) as err:
        read_roster(path)
    assert err.value.lines[0].startswith(message)


def test_start_days_are_recorded_beside_the_roster_and_a_file_without_them_keeps_them(course, tmp_path):
    import datetime as dt

    from crmtrain.grading.plumbing import schedule_file

    done = import_roster(course, _csv(tmp_path, "id;name;email;start\nalice;Alice;alice@example.com;\n"
                                                "bob;Bob;bob@example.com;01.03.2027\ncarol;Carol;carol@example.com;2027-04-12\n"))
    assert done.starts_changed == ("bob", "carol")
    assert schedule_file.read(course.root).starts == {"bob": dt.date(2027, 3, 1), "carol": dt.date(2027, 4, 12)}
    # the old three-column file: starts stay as recorded
    assert import_roster(course, _csv(tmp_path, "id,name,email\nbob,Bob,bob@example.com\n", name="old.csv")).starts_changed == ()
    assert schedule_file.read(course.root).starts["bob"] == dt.date(2027, 3, 1)
    # a blank start in a file with the column: the trainee started before the releases
    again = import_roster(course, _csv(tmp_path, "id,name,email,start\nbob,Bob,bob@example.com,\n", name="new.csv"))
    assert again.starts_changed == ("bob",) and "bob" not in schedule_file.read(course.root).starts
    assert oct(schedule_file.path(course.root).stat().st_mode & 0o777) == "0o600"
