"""A specialist's broken regulation gets one clear line per problem: file, line, field, what.

Each case starts from a complete regulation (the init template with its TODOs filled in),
breaks one thing, and marks the line where the problem should be reported with ``# <-``.
"""

from __future__ import annotations

import re

import pytest

from crmtrain.cli import main
from crmtrain.regulation.loader import iter_validate, load
from crmtrain.errors import UserError
from crmtrain.samples import template_path

MARK = "# <-"


def filled_template(lang: str = "en") -> str:
    """The init template with every TODO replaced by text, as a specialist would."""
    text = template_path(lang).read_text(encoding="utf-8")
    return re.sub(r'"TODO: ([^"]*)"', lambda m: '"' + m.group(1).capitalize() + '"', text)


def write_broken(tmp_path, edits: list[tuple[str, str]]):
    text = filled_template()
    for old, new in edits:
        assert text.count(old) >= 1, f"fixture text not found: {old!r}"
        text = text.replace(old, new, 1)
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    marked = [i + 1 for i, line in enumerate(text.splitlines()) if MARK in line]
    return path, marked[0] if marked else None


CASES = [
    # (id, edits, field, message fragment, the text on the marked line the column points at)
    ("unknown key", [("      kind: purpose\n", "      kind: purpose\n      titel: Goal  # <-\n")],
     "summary.topics[0].titel", "unknown key 'titel' (did you mean 'title'?)", "titel"),
    ("wrong type", [("pass_mark: 80", "pass_mark: eighty  # <-")],
     "meta.pass_mark", "expected a whole number, got 'eighty'", "eighty"),
    ("bad date", [("effective_date: 2027-01-01", "effective_date: next monday  # <-")],
     "meta.effective_date", "expected a date like 2027-01-31, got 'next monday'", "next"),
    ("missing field", [('      title: "Analysing sales"\n', ""), ("    - id: analytics", "    - id: analytics  # <-")],
     "summary.topics[4].title", "required but missing", "id"),
    ("unsupported language", [("language: en", "language: de  # <-")],
     "meta.language", "'de' is not allowed; expected 'ru' or 'en'", "de"),
    ("duplicate id", [("    - id: analytics", "    - id: purpose  # <-")],
     "summary.topics[4].id", "duplicate id 'purpose'", "purpose"),
    ("duplicate question id", [("  - id: q-sales", "  - id: q-technical  # <-")],
     "questions[2].id", "duplicate question id 'q-technical'", "q-technical"),
    ("answer not among options", [("    answer: a", "    answer: c  # <-")],
     "questions[0].answer", "correct answer 'c' is not among the options (a, b)", "c"),
    ("true/false answer", [("    answer: true", "    answer: maybe  # <-")],
     "questions[1].answer", "true or false", "maybe"),
    ("partial credit on a single-choice question", [("    answer: a", "    answer: a\n    partial_credit: true  # <-")],
     "questions[0].partial_credit", "'partial_credit' applies to multiple or ordering questions only", "true"),
    ("unknown ref", [("    refs: [access]", "    refs: [acess]  # <-")],
     "questions[0].refs[0]", "unknown regulation item 'acess' (did you mean 'access'?)", "acess"),
    ("edge to unknown step", [("          next: decide", "          next: decid  # <-")],
     "order_processing.processes[0].steps[1].next", "step 'decid' does not exist in process 'order'", "decid"),
    ("unreachable step", [("              next: done", "              next: cancelled"), ("        - id: done", "        - id: done  # <-")],
     "order_processing.processes[0].steps[3].id", "step 'done' cannot be reached from the start", "done"),
    ("no path to an end", [("              next: cancelled", "              next: cancelled\n            - label: Later\n              next: wait"),
                           ("        - id: cancelled", "        - id: wait  # <-\n          kind: action\n          label: Wait\n          role: Manager\n          instructions: Wait\n          next: wait\n        - id: cancelled")],
     "order_processing.processes[0].steps[4].id", "step 'wait' has no path to an end step", "wait"),
    ("decision with next", [("          label: \"A question with a yes/no answer\"", "          label: Decide\n          next: done  # <-")],
     "order_processing.processes[0].steps[2].next", "a decision step has 'branches', not 'next'", "next"),
    ("transition to unknown status", [("        to: won", "        to: wonn  # <-")],
     "client_work.pipeline.transitions[0].to", "status 'wonn' is not one of the statuses (new, won, lost)", "wonn"),
    ("transition requires unknown field", [("        requires: [budget]", "        requires: [budjet]  # <-")],
     "client_work.pipeline.transitions[0].requires[0]", "field 'budjet' is not one of the deal fields", "budjet"),
    ("decision table gap", [("        when: {}\n", "        when: {decision_maker: false}\n"), ("    rules:\n      - id: lead-a", "    rules:  # <-\n      - id: lead-a")],
     "client_work.lead_classification.rules", "no rule matches a lead with budget=", "rules"),
    ("shadowed rule", [("        when: {budget: \">= 100000\", decision_maker: true}", "        when: {}"), ("      - id: lead-b", "      - id: lead-b  # <-")],
     "client_work.lead_classification.rules[1].id", "rule 'lead-b' can never fire", "lead-b"),
    ("unreadable condition", [("{budget: \">= 100000\", decision_maker: true}", "{budget: \">= lots\", decision_maker: true}  # <-")],
     "client_work.lead_classification.rules[0].when.budget", "'>= lots'", '">= lots"'),
    ("unknown criterion", [("decision_maker: true}", "decisionmaker: true}  # <-")],
     "client_work.lead_classification.rules[0].when.decisionmaker", "unknown criterion 'decisionmaker'", "true}"),
    ("unknown class", [("        then: B", "        then: C  # <-")],
     "client_work.lead_classification.rules[1].then", "class 'C' is not one of the classes (A, B)", "C"),
    ("too many questions drawn", [("      - {pool: initial, count: 2}", "      - {pool: initial, count: 3}  # <-")],
     "assessments.initial.draw[0].count", "asks for 3 questions but pool 'initial' has only 2 left", "3"),
    ("follow-up repeats initial", [("    draw:\n      - {pool: followup, count: 4}", "    include:\n      - q-technical  # <-\n    draw:\n      - {pool: followup, count: 4}")],
     "assessments.followup.include[0]", "question 'q-technical' is also in the initial assessment", "q-technical"),
    ("slot with a draw and a case", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, one_of: [q-technical, q-processes], case: lead}  # <-")],
     "assessments.initial.slots[0].one_of", "either 'one_of' (questions to draw from) or 'case'", "one_of"),
    ("slot drawing from an unknown question", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, one_of: [q-technical, q-nope]}  # <-")],
     "assessments.initial.slots[0].one_of[1]", "unknown question 'q-nope'", "q-nope"),
    ("slot drawing from one question", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, one_of: [q-technical]}  # <-")],
     "assessments.initial.slots[0].one_of", "a slot draws from at least two questions (for one, use 'include')", "one_of"),
    ("slot questions worth different points", [("  - id: q-processes\n", "  - id: q-processes\n    points: 3\n"), ("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, one_of: [q-technical, q-processes]}  # <-")],
     "assessments.initial.slots[0].one_of[1]", "question 'q-processes' is worth 3 points but 'q-technical' 1: the questions of a slot must be worth the same", "q-processes"),
    ("slot drawing a hand-graded question", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, one_of: [q-technical, q-open]}  # <-")],
     "assessments.initial.slots[0].one_of[1]", "question 'q-open' is graded by hand; a slot draws only questions that grade themselves", "q-open"),
    ("slot with an unknown case kind", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, case: leads}  # <-")],
     "assessments.initial.slots[0].case", "'leads' is not allowed; expected", "leads"),
    ("case slot on an unknown process", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, case: process, process: ordr}  # <-")],
     "assessments.initial.slots[0].process", "unknown process 'ordr'", "ordr"),
    ("process named for a lead case", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, case: lead, process: order}  # <-")],
     "assessments.initial.slots[0].process", "'process' is for 'case: process' slots (this one is 'lead')", "process"),
    ("slot id taken by a question", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: q-sales, case: lead}  # <-")],
     "assessments.initial.slots[0].id", "slot id 'q-sales' is also a question id", "q-sales"),
    ("points on a drawn slot", [("    draw:\n      - {pool: initial, count: 2}", "    draw:\n      - {pool: initial, count: 2}" + "\n    slots:\n      - {id: s1, one_of: [q-technical, q-processes], points: 2}  # <-")],
     "assessments.initial.slots[0].points", "a drawn slot is worth what its questions are", "points"),
    ("deadline with two units", [("deadline: {hours: 2}", "deadline: {hours: 2, days: 1}  # <-")],
     "client_work.contact_timing.rules[0].deadline.days", "give exactly one of 'minutes', 'hours', 'days'", "days"),
    ("bad time", [('opens: "09:00"', 'opens: "9 am"  # <-')],
     "client_work.contact_timing.calendar.opens", "'9 am' is not a time like 09:00", '"9 am"'),
]


@pytest.mark.parametrize("edits, field, fragment, at", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_names_file_line_column_and_field(tmp_path, edits, field, fragment, at):
    path, line = write_broken(tmp_path, edits)
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index(at) + 1
    problems = [str(p) for p in iter_validate(path)]
    expected_start = f"{path}:{line}:{column}: {field}: "
    matching = [p for p in problems if p.startswith(expected_start)]
    assert matching, f"no problem at {expected_start!r}; got:\n" + "\n".join(problems)
    assert any(fragment in p for p in matching), "\n".join(problems)


def test_the_filled_template_is_valid(tmp_path):
    path, _ = write_broken(tmp_path, [])
    assert list(iter_validate(path)) == []


def test_every_problem_is_reported_at_once(tmp_path, capsys):
    path, _ = write_broken(tmp_path, [
        ("pass_mark: 80", "pass_mark: 800"),
        ("    answer: a", "    answer: c"),
        ("        to: won", "        to: wonn"),
        ("    refs: [access]", "    refs: [nowhere]"),
    ])
    # Type errors stop before cross-reference checks, so fix the type error and look again.
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "meta.pass_mark" in err and "Traceback" not in err
    path.write_text(path.read_text(encoding="utf-8").replace("pass_mark: 800", "pass_mark: 80"), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    for field in ("questions[0].answer", "client_work.pipeline.transitions[0].to", "questions[0].refs[0]"):
        assert f": {field}: " in err
    assert "3 problems in the regulation" in err


@pytest.mark.parametrize("text, fragment", [
    ("meta: [unclosed", "YAML syntax"),
    ("meta: {}\nmeta: {}\n", "duplicate key"),
    ("- just\n- a list\n", "expected a mapping"),
    ("", "expected a mapping"),
])
def test_unreadable_files_get_a_line_not_a_traceback(tmp_path, capsys, text, fragment):
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:") and fragment in err and "Traceback" not in err


def test_a_missing_file_is_a_user_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_load_raises_one_user_error_with_every_line(tmp_path):
    path, _ = write_broken(tmp_path, [("    answer: a", "    answer: c"), ("        to: won", "        to: wonn")])
    with pytest.raises(UserError) as info:
        load(path)
    assert sorted(p.field for p in info.value.problems) == ["client_work.pipeline.transitions[0].to", "questions[0].answer"]
