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
    ("both pipeline and pipelines", [("  tasks:\n", "  pipelines: [{id: more, title: More, initial: a, statuses: [{id: a, name: A}, "
                                                 "{id: b, name: B}], transitions: [{from: a, to: b}]}]  # <-\n  tasks:\n")],
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


# --- questions that agree with the rules --------------------------------------------------------

SALES = ('    answer: 2\n    unit: "working hours"', )  # q-sales: numeric, on the 2-working-hour contact rule
TF = "    text: \"A statement about the order process\"\n    answer: true\n"
CHOICE = "    text: \"A question about working in the system\"\n"


def q_sales(lines: str) -> list[tuple[str, str]]:
    return [(SALES[0], lines)]


RULE_CASES = [
    ("a numeric key against its contact rule", q_sales('    answer: 20  # <-\n    answer_from: {contact_deadline: timing-new-lead}\n'
                                                        '    unit: "working hours"'),
     "questions[2].answer", "the key 20 disagrees with the rule: contact rule 'timing-new-lead' gives 2 working hours", "20"),
    ("an unknown contact rule", q_sales('    answer_from: {contact_deadline: timing-new}  # <-\n    unit: "working hours"'),
     "questions[2].answer_from.contact_deadline", "unknown contact rule 'timing-new' (the rules: timing-new-lead)", "timing-new}"),
    ("a rule's fact for the wrong question type", [(TF, TF.replace("answer: true", "answer_from: {contact_deadline: timing-new-lead}  # <-"))],
     "questions[1].answer_from.contact_deadline", "'contact_deadline' gives the key of a numeric question (this one is true_false)", "timing-new-lead"),
    ("two rules at once", q_sales('    answer_from: {contact_deadline: timing-new-lead, next_step: {process: order, step: start}}  # <-\n'
                                  '    unit: "working hours"'),
     "questions[2].answer_from.next_step", "give exactly one of 'contact_deadline', 'lead', 'transition', 'next_step'", "next_step"),
    ("a move between unknown statuses", [(TF, TF.replace("answer: true", "answer_from: {transition: {from: new, to: wonn}}  # <-"))],
     "questions[1].answer_from.transition.to", "status 'wonn' is not one of the statuses (new, won, lost)", "wonn"),
    ("a true_false key against the pipeline", [(TF, TF.replace("answer: true", "answer: true  # <-\n    answer_from: {transition: {from: won, to: new}}"))],
     "questions[1].answer", "the key yes disagrees with the rule: pipeline 'deals' does not allow won → new", "true  #"),
    ("a lead described by an unknown criterion", [(CHOICE, CHOICE + "    answer_from: {lead: {budgett: 5, decision_maker: yes}}  # <-\n")],
     "questions[0].answer_from.lead.budgett", "unknown criterion 'budgett' (criteria: budget, decision_maker)", "5,"),
    ("a lead with a criterion left out", [(CHOICE, CHOICE + "    answer_from: {lead: {budget: 5}}  # <-\n")],
     "questions[0].answer_from.lead", "describe the lead by every criterion; missing: decision_maker", "lead:"),
    ("a lead class no option names", [(CHOICE, CHOICE + "    answer_from: {lead: {budget: 500000, decision_maker: yes}}  # <-\n")],
     "questions[0].answer_from.lead", "no option is 'Class A': give the right option the id 'A' or the text 'Class A'", "lead:"),
    ("a next step after an unknown branch", [(CHOICE, CHOICE + "    answer_from: {next_step: {process: order, step: decide, branch: Maybe}}  # <-\n")],
     "questions[0].answer_from.next_step", "give one of its branches: 'Yes', 'No'", "next_step:"),
]


@pytest.mark.parametrize("edits, field, fragment, at", [c[1:] for c in RULE_CASES], ids=[c[0] for c in RULE_CASES])
def test_a_question_that_contradicts_its_rule_is_named_at_its_position(tmp_path, edits, field, fragment, at):
    test_each_new_field_is_checked_at_its_position(tmp_path, edits, field, fragment, at)


def test_check_names_a_numeric_key_that_looks_like_the_deadline_and_is_not(tmp_path):
    """Without 'answer_from', a numeric question on a contact rule keyed 20 against 2 hours is a gap 'check' names."""
    from crmtrain.cli import main

    path, _ = write_broken(tmp_path, q_sales('    answer: 20\n    unit: "working hours"'))
    out = tmp_path / "out.txt"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        status = main(["check", str(path)])
    lines = [line.strip() for line in buf.getvalue().splitlines()]
    line = next(i + 1 for i, text in enumerate(path.read_text(encoding="utf-8").splitlines()) if text == "    answer: 20")
    assert status == 1, buf.getvalue()
    assert any(entry.startswith(f"{path}:{line}:13: questions[2].answer: the key 20 differs from contact rule "
                                f"'timing-new-lead' it tests (2 working hours)") for entry in lines), buf.getvalue()
    assert not out.exists()


def test_a_key_taken_from_the_rule_follows_the_rule_into_the_assessment(tmp_path):
    """Change the rule, and the key in the built assessment's hidden test changes with it; no 'answer' to edit."""
    from crmtrain.notebooks.assessments import build_assessment
    from crmtrain.regulation.loader import load

    def hidden_key(deadline: str) -> str:
        path, _ = write_broken(tmp_path, q_sales('    answer_from: {contact_deadline: timing-new-lead}\n    unit: "working hours"')
                               + [("deadline: {hours: 2}", f"deadline: {deadline}")])
        reg = load(path)
        nb = build_assessment(reg, "followup", "crm")
        [test] = [c.source for c in nb.cells if "'q-sales'" in c.source and "HIDDEN" in c.source]
        return test

    assert "check('q-sales', 'numeric', 2)" in hidden_key("{hours: 2}")
    assert "check('q-sales', 'numeric', 4)" in hidden_key("{hours: 4}")
    assert "check('q-sales', 'numeric', 3)" in hidden_key("{calendar_days: 3}")


# --- the company's own words --------------------------------------------------------------------

def words(lines: str) -> list[tuple[str, str]]:
    return [("  pass_mark: 80\n", "  pass_mark: 80\n  words:\n" + lines)]


WORD_CASES = [
    ("a word for something crmtrain does not name", words("    leads: {one: request}  # <-\n"),
     "meta.words.leads", "'leads'", "leads"),
    ("a word without its form", words("    lead: {many: requests}  # <-\n"),
     "meta.words.lead.one", "required but missing", "lead:"),
    ("an unknown gender", words("    lead: {one: заявка, gender: female}  # <-\n"),
     "meta.words.lead.gender", "'female'", "female"),
    ("an unknown form", words("    lead: {one: заявка, genitive: заявки}  # <-\n"),
     "meta.words.lead.genitive", "unknown key 'genitive'", "genitive"),
]


@pytest.mark.parametrize("edits, field, fragment, at", [c[1:] for c in WORD_CASES], ids=[c[0] for c in WORD_CASES])
def test_each_word_problem_is_checked_at_its_position(tmp_path, edits, field, fragment, at):
    test_each_new_field_is_checked_at_its_position(tmp_path, edits, field, fragment, at)
