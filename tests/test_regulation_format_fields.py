"""The fields real companies need (per-weekday hours, working Saturdays, calendar-day deadlines,
several pipelines, the company's own words, questions keyed by the rules): each bad input is
reported at its file, line and column, with the field and what to do.

Each case starts from the filled init template (as in test_regulation_validation.py), writes
one new field wrongly and marks the line with ``# <-``.
"""

from __future__ import annotations

import pytest

from crmtrain.regulation.loader import iter_validate

from test_regulation_validation import write_broken

CAL = 'closes: "18:00"\n      holidays: []'


def calendar_with(extra: str) -> list[tuple[str, str]]:
    return [(CAL, 'closes: "18:00"\n      holidays: [2027-01-07]\n' + extra.rstrip("\n"))]


CASES = [
    ("hours of a day that does not work", calendar_with("      hours:\n        sat: {opens: '10:00', closes: '14:00'}  # <-"),
     "client_work.contact_timing.calendar.hours.sat", "'sat' is not one of the workdays (mon, tue, wed, thu, fri)",
     "sat:"),
    ("hours that close before they open", calendar_with("      hours:\n        fri: {opens: '16:00', closes: '09:00'}  # <-"),
     "client_work.contact_timing.calendar.hours.fri.closes", "'opens' must be earlier than 'closes'", "closes: '09:00'"),
    ("hours of an unknown weekday", calendar_with("      hours:\n        friday: {opens: '09:00', closes: '16:00'}  # <-"),
     "client_work.contact_timing.calendar.hours.friday", "friday", "friday"),
    ("hours written as text", calendar_with("      hours:\n        fri: 9-16  # <-"),
     "client_work.contact_timing.calendar.hours.fri", "mapping", "9-16"),
    ("extra working day that works anyway", calendar_with("      extra_workdays: [2027-01-11]  # <-"),
     "client_work.contact_timing.calendar.extra_workdays[0]", "2027-01-11 is a Monday, a workday already", "2027-01-11"),
    ("extra working day that is a holiday", [(CAL, 'closes: "18:00"\n      holidays: [2027-01-09]\n'
                                              '      extra_workdays: [2027-01-09]  # <-')],
     "client_work.contact_timing.calendar.extra_workdays[0]", "2027-01-09 is also in 'holidays'", "2027-01-09]  #"),
    ("extra working day listed twice", calendar_with("      extra_workdays: [2027-01-09, 2027-01-09]  # <-"),
     "client_work.contact_timing.calendar.extra_workdays[1]", "2027-01-09 is listed twice", "2027-01-09]"),
    ("extra working day that is no date", calendar_with("      extra_workdays: [2027-02-30]  # <-"),
     "client_work.contact_timing.calendar.extra_workdays[0]", "is not a date in the calendar", "2027-02-30"),
    ("calendar days and working hours at once", [("deadline: {hours: 2}", "deadline: {hours: 2, calendar_days: 1}  # <-")],
     "client_work.contact_timing.rules[0].deadline.calendar_days",
     "give exactly one of 'minutes', 'hours', 'days', 'calendar_hours', 'calendar_days'", "calendar_days"),
    ("calendar days not positive", [("deadline: {hours: 2}", "deadline: {calendar_days: 0}  # <-")],
     "client_work.contact_timing.rules[0].deadline.calendar_days", "greater than 0", "0}"),
]


@pytest.mark.parametrize("edits, field, fragment, at", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_new_field_is_checked_at_its_position(tmp_path, edits, field, fragment, at):
    path, line = write_broken(tmp_path, edits)
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index(at) + 1
    problems = [str(p) for p in iter_validate(path)]
    expected_start = f"{path}:{line}:{column}: {field}: "
    matching = [p for p in problems if p.startswith(expected_start)]
    assert matching, f"no problem at {expected_start!r}; got:\n" + "\n".join(problems)
    assert any(fragment in p for p in matching), "\n".join(problems)


def test_the_new_calendar_fields_written_right_are_valid(tmp_path):
    path, _ = write_broken(tmp_path, calendar_with(
        "      hours:\n        fri: {opens: '09:00', closes: '16:45'}\n      extra_workdays: [2027-01-09]") +
        [("deadline: {hours: 2}", "deadline: {calendar_days: 3}")])
    assert [str(p) for p in iter_validate(path)] == []
