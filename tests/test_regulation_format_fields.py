"""The fields real companies need (per-weekday hours, working Saturdays, calendar-day deadlines,
several pipelines, the company's own words, questions keyed by the rules): each bad input is
reported at its file, line and column, with the field and what to do.

Each case starts from the filled init template (as in test_regulation_validation.py), writes
one new field wrongly and marks the line with ``# <-``.
"""

from __future__ import annotations

import pytest

from crmtrain.regulation.loader import iter_validate

from test_regulation_validation import filled_template, write_broken

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


# --- several pipelines -------------------------------------------------------------------------

_TEMPLATE = filled_template()
PIPELINE_BLOCK = _TEMPLATE[_TEMPLATE.index("  pipeline:\n"):_TEMPLATE.index("  tasks:\n")]
AS_LIST = ("  pipeline:\n    id: deals\n", "  pipelines:\n  - id: deals\n")
SECOND = ("        requires: [loss_reason]\n  tasks:", """        requires: [loss_reason]
  - id: renewals
    title: "Contract renewals"
    body: "How a contract is renewed"
    initial: due
    fields:
      - {id: offer, label: "Renewal offer"}
    statuses:
      - {id: due, name: "Renewal due"}
      - {id: renewed, name: "Renewed", terminal: true}
    transitions:
      - {from: due, to: renewed, requires: [offer]}
  tasks:""")
SLOT = ("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}\n    slots:\n")


def two_pipelines(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [AS_LIST, SECOND, *more]


PIPELINE_CASES = [
    ("both pipeline and pipelines", [("  tasks:\n", "  pipelines: []  # <-\n  tasks:\n")],
     "client_work.pipelines", "give either 'pipeline' (one) or 'pipelines' (several), not both", "pipelines"),
    ("unknown initial status in a list of pipelines", two_pipelines(("    initial: due\n", "    initial: nowhere  # <-\n")),
     "client_work.pipelines[1].initial", "initial status 'nowhere' is not one of the statuses (due, renewed)", "nowhere"),
    ("an empty list of pipelines", [(PIPELINE_BLOCK, "  pipelines: []  # <-\n")],
     "client_work.pipelines", "the deal pipeline is missing: give 'pipeline', or 'pipelines' when the CRM has several",
     "pipelines"),
    ("unknown status in the second pipeline", two_pipelines(("{from: due, to: renewed, requires: [offer]}",
                                                             "{from: due, to: renewd, requires: [offer]}  # <-")),
     "client_work.pipelines[1].transitions[0].to", "status 'renewd' is not one of the statuses (due, renewed)", "renewd"),
    ("a field of the other pipeline", two_pipelines(("{from: due, to: renewed, requires: [offer]}",
                                                     "{from: due, to: renewed, requires: [budget]}  # <-")),
     "client_work.pipelines[1].transitions[0].requires[0]", "field 'budget' is not one of the deal fields (offer)", "budget"),
    ("two pipelines with one id", two_pipelines(("  - id: renewals\n", "  - id: deals  # <-\n")),
     "client_work.pipelines[1].id", "duplicate id 'deals'", "deals"),
    ("a slot on an unknown pipeline", two_pipelines((SLOT[0], SLOT[1] + "      - {id: s1, case: pipeline, pipeline: renewal}  # <-")),
     "assessments.initial.slots[0].pipeline", "unknown pipeline 'renewal' (the pipelines: deals, renewals)", "renewal}"),
    ("a pipeline named for a lead case", two_pipelines((SLOT[0], SLOT[1] + "      - {id: s1, case: lead, pipeline: deals}  # <-")),
     "assessments.initial.slots[0].pipeline", "'pipeline' is for 'case: pipeline' slots (this one is 'lead')", "pipeline: deals"),
]


@pytest.mark.parametrize("edits, field, fragment, at", [c[1:] for c in PIPELINE_CASES], ids=[c[0] for c in PIPELINE_CASES])
def test_each_pipeline_problem_is_checked_at_its_position(tmp_path, edits, field, fragment, at):
    test_each_new_field_is_checked_at_its_position(tmp_path, edits, field, fragment, at)


def test_two_pipelines_written_right_are_valid_and_their_statuses_are_items(tmp_path):
    from crmtrain.regulation.items import index
    from crmtrain.regulation.loader import load

    path, _ = write_broken(tmp_path, two_pipelines((SLOT[0], SLOT[1] + "      - {id: s1, case: pipeline, pipeline: renewals}")))
    assert [str(p) for p in iter_validate(path)] == []
    items = index(load(path))
    assert items["renewals"].part == "client_work" and items["renewals.renewed"].section == "renewals"
    assert items["deals.won"].title == "Won"
