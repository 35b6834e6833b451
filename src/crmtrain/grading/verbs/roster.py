"""``crmtrain roster import staff.csv``: the trainees, upserted into nbgrader's gradebook.

The CSV has a header with the columns ``id``, ``name`` and ``email`` (any order, extra
columns ignored; comma, semicolon or tab separated, as spreadsheets export it), and
optionally ``start``: the day the trainee got CRM access (``2027-03-01``, or ``01.03.2027`` as
Russian spreadsheets write it), from which their own due dates count (see
:mod:`crmtrain.rules.schedule`; kept in the course's ``schedule.json``). A blank start means
they started before the assessments were released; a file without the column leaves the
recorded starts alone. ``id`` is
the trainee's login on the Jupyter server: nbgrader files submissions under it. Every bad
row is reported at once, as ``staff.csv:4: email: 'bob@' is not an email address``, and
nothing is written unless the whole file is good. Trainees missing from the file are kept
(removing one would delete their grades).

nbgrader keeps a first and a last name; the roster has one ``name``, stored whole as the
last name (so the formgrader sorts by it) with an empty first name.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import Problem, UserError
from ...i18n import _, ngettext, plural
from ..plumbing import gradebook, schedule_file
from ..plumbing.course import Course
from ..plumbing.gradebook import Trainee

COLUMNS = ("id", "name", "email")
START = "start"  # the optional column
MAX_LEN = 128  # nbgrader's column width
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


@dataclass(frozen=True)
class Listed(Trainee):
    """A trainee as the roster lists them: the gradebook's fields and their start day."""

    start: dt.date | None = None
    has_start: bool = False  # the file has a start column (a blank one clears a recorded start)


@dataclass(frozen=True)
class RosterImport:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    not_in_file: tuple[str, ...]  # already in the gradebook, kept as they are
    starts_changed: tuple[str, ...] = ()  # whose start day was recorded, changed or cleared


def parse_start(text: str) -> dt.date:
    """A start day: ``2027-03-01`` or ``01.03.2027``; ValueError otherwise."""
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
        day, month, year = map(int, text.split("."))
        return dt.date(year, month, day)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def read_roster(path: str | Path) -> tuple[Listed, ...]:
    """The trainees of a roster CSV; UserError listing every bad row (by line)."""
    path = Path(path)
    label = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(_("{path}: no such file").format(path=path)) from None
    except UnicodeDecodeError:
        raise UserError(_("{file}: not UTF-8 text (save the spreadsheet as CSV UTF-8)").format(file=label)) from None
    except OSError as exc:
        raise UserError(_("{path}: cannot read ({reason})").format(path=path, reason=exc.strerror or exc)) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UserError(_("{file}: the file is empty; expected a header line: {columns}").format(
            file=label, columns=",".join(COLUMNS)))
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(lines, dialect)
    header = [h.strip().lower() for h in next(rows)]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise UserError(ngettext("{file}:1: missing column {missing} (the header must name {columns})",
                                 "{file}:1: missing columns {missing} (the header must name {columns})",
                                 len(missing)).format(file=label, missing=", ".join(missing), columns=", ".join(COLUMNS)))
    col = {c: header.index(c) for c in COLUMNS + ((START,) if START in header else ())}
    problems: list[Problem] = []
    trainees: list[Trainee] = []
    first_line: dict[str, int] = {}
    for lineno, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {c: (row[i].strip() if i < len(row) else "") for c, i in col.items()}
        bad = _row_problems(values)
        if not bad and values["id"] in first_line:
            bad.append(("id", _("{id} is already on line {line}").format(id=repr(values["id"]),
                                                                         line=first_line[values["id"]])))
        problems.extend(Problem(label, lineno, 0, field, message) for field, message in bad)
        if not bad:
            first_line[values["id"]] = lineno
            start = parse_start(values[START]) if values.get(START) else None
            trainees.append(Listed(values["id"], values["name"], values["email"], start, START in col))
    if problems:
        raise UserError(f"{label}: " + plural("{n} problem; nothing was imported", "{n} problems; nothing was imported",
                                              len(problems)), problems)
    if not trainees:
        raise UserError(_("{file}: no trainees listed under the header").format(file=label))
    return tuple(trainees)


def _row_problems(v: dict[str, str]) -> list[tuple[str, str]]:
    """(column, message) for each problem of one row."""
    out = []
    if not v["id"]:
        out.append(("id", _("is empty")))
    elif not v["id"].isascii():
        # The usual slip: the trainee's name in Cyrillic where the login goes.
        out.append(("id", _("{id}: Latin letters only; a login is written in Latin letters, digits, '.', '_', '-' "
                            "and '@' (like a.ivanova)").format(id=repr(v["id"]))))
    elif not _ID.match(v["id"]) or len(v["id"]) > MAX_LEN:
        out.append(("id", _("{id} is not a login name (Latin letters, digits, '.', '_', '-', '@'; no spaces or '+', "
                            "at most {max} characters)").format(id=repr(v["id"]), max=MAX_LEN)))
    if not v["name"]:
        out.append(("name", _("is empty")))
    elif len(v["name"]) > MAX_LEN:
        out.append(("name", _("longer than {max} characters").format(max=MAX_LEN)))
    if not v["email"]:
        out.append(("email", _("is empty")))
    elif not _EMAIL.match(v["email"]) or len(v["email"]) > MAX_LEN:
        out.append(("email", _("{email} is not an email address").format(email=repr(v["email"]))))
    if v.get(START):
        try:
            parse_start(v[START])
        except ValueError:
            out.append((START, _("{start} is not a date: write the day the trainee got CRM access as YYYY-MM-DD "
                                 "(2027-03-01) or DD.MM.YYYY").format(start=repr(v[START]))))
    return out


def import_roster(course: Course, path: str | Path) -> RosterImport:
    """Check the whole file, then add or update every trainee in the gradebook, and record their start days."""
    listed = read_roster(path)
    done = gradebook.upsert_trainees(course, listed)
    starts = {t.id: t.start for t in listed if t.has_start}
    changed = schedule_file.set_starts(course.root, starts) if starts else ()
    return RosterImport(done["added"], done["updated"], done["unchanged"], done["not_in_file"], changed)


def trainees(course: Course) -> tuple[Trainee, ...]:
    """Everyone in the gradebook, by id."""
    return gradebook.trainees(course)
