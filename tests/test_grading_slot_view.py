"""The graded view of a slot shows *that trainee's* question or case, regenerated from their id."""

from __future__ import annotations

import json

import pytest

from crmtrain.grading.safety.answers import read_submitted
from crmtrain.grading.presentation.shown import KEY, MARK
from crmtrain.grading.scoring.checks import parse_check
from crmtrain.grading.presentation.shown_slots import drawn, regenerate, slot_outputs
from crmtrain.notebooks.sections import drill_of
from crmtrain.regulation.loader import load
from crmtrain.rules import cases
from crmtrain.samples import sample_path

COURSE, ASSESSMENT = "crm-training", "initial"
TRAINEES = [f"trainee{n}" for n in range(12)]
DRAW = {"id": "pick", "candidates": [
    {"id": "q-a", "type": "single", "text": "Where is the **login** page?",
     "options": [{"id": "a1", "text": "On the portal"}, {"id": "a2", "text": "In the mail"}]},
    {"id": "q-b", "type": "true_false", "text": "A lead with a budget is hot.", "options": []},
]}
DRAW_CHECK = ("check_draw", ("pick",), {"course": COURSE, "assessment": ASSESSMENT, "candidates": [
    ("q-a", "single", "a1", {}), ("q-b", "true_false", False, {})]})
DRAW_META = {"item": "pick", "slot": "draw", "type": "mixed", "course": COURSE}


@pytest.fixture(scope="module")
def lead_slot():
    reg = load(sample_path("en"))
    _, spec = drill_of("lead", reg.client_work.lead_classification)
    return {"id": "lead-case", "kind": "lead", "spec": spec, "start": reg.meta.effective_date.isoformat()}


def _html(outputs, mark=MARK):
    import html

    return html.unescape("".join(o["data"].get("text/html", o["data"].get("text/markdown", ""))
                                 for o in outputs if o["metadata"].get(mark)))


def test_a_draw_views_keys_come_from_its_hidden_test_as_the_grader_reads_it():
    source = ("# Scored when the responsible specialist grades the assessment.\n### BEGIN HIDDEN TESTS\n"
              "from crmtrain.runtime.check import check_draw\n"
              "check_draw('pick', course='crm-training', assessment='initial', candidates=[\n"
              "    ('q-a', 'single', 'a1', {}),\n    ('q-b', 'true_false', False, {}),\n])\n### END HIDDEN TESTS")
    call = parse_check(source)
    assert (call.function, call.args, dict(call.kwargs)) == DRAW_CHECK


def test_each_trainee_sees_the_question_they_drew_marked_against_its_key():
    got = {}
    for t in TRAINEES:
        q = drawn(DRAW, COURSE, ASSESSMENT, t)
        right = "a1" if q["id"] == "q-a" else False
        out = slot_outputs(DRAW_META, DRAW, DRAW_CHECK, right, course="other", assessment=ASSESSMENT, trainee=t)
        text = _html(out)
        assert q["text"] in text and "The answer is right." in text
        wrong = slot_outputs(DRAW_META, DRAW, DRAW_CHECK, "a2" if q["id"] == "q-a" else True, course="other",
                             assessment=ASSESSMENT, trainee=t)
        assert "The answer is wrong." in _html(wrong)
        assert ("On the portal" if q["id"] == "q-a" else "False") in _html(wrong, KEY)
        got[t] = q["id"]
    assert set(got.values()) == {"q-a", "q-b"}  # twelve trainees do not all draw the same question


def test_a_draw_view_says_when_answers_json_names_another_question():
    t = TRAINEES[0]
    mine = drawn(DRAW, COURSE, ASSESSMENT, t)["id"]
    other = "q-b" if mine == "q-a" else "q-a"
    out = slot_outputs(DRAW_META, DRAW, DRAW_CHECK, None, course=COURSE, assessment=ASSESSMENT, trainee=t,
                       shown={"question": other})
    assert "records another question or case than this trainee's own" in _html(out)
    assert "Not answered." in _html(out)


def test_each_trainee_sees_their_own_case_with_the_verdict_the_key_and_the_reason(lead_slot):
    meta = {"item": "lead-case", "slot": "case", "case": "lead", "type": "case", "course": COURSE}
    leads = set()
    for t in TRAINEES[:6]:
        case = regenerate(lead_slot, COURSE, ASSESSMENT, t)
        leads.add(json.dumps(case["lead"], sort_keys=True))
        key = cases.case_key("lead", lead_slot["spec"], case)
        names = {c["id"]: c["name"] for c in lead_slot["spec"]["classes"]}
        right = slot_outputs(meta, lead_slot, None, key, course="other", assessment=ASSESSMENT, trainee=t)
        assert "A new lead:" in _html(right) and "The answer is right." in _html(right)
        assert f"Your answer:</strong> {names[key]}" in _html(right)
        wrong_answer = next(c for c in names if c != key)
        wrong = slot_outputs(meta, lead_slot, None, wrong_answer, course="other", assessment=ASSESSMENT, trainee=t,
                             contact="Olga, olga@example.com")
        assert "The answer is wrong." in _html(wrong) and "olga@example.com" in _html(wrong)
        solution = _html(wrong, KEY)  # the specialist's view: the correct class and the rule behind it
        assert names[key] in solution and "of the table is the first that matches" in solution
    assert len(leads) > 1  # different trainees, different leads


def test_a_case_view_says_when_answers_json_records_another_case(lead_slot):
    meta = {"item": "lead-case", "slot": "case", "case": "lead", "type": "case", "course": COURSE}
    mine = regenerate(lead_slot, COURSE, ASSESSMENT, "anna")
    easier = regenerate(lead_slot, COURSE, ASSESSMENT, "boris")
    assert mine != easier
    out = slot_outputs(meta, lead_slot, None, "class-a", course=COURSE, assessment=ASSESSMENT, trainee="anna",
                       shown={"case": easier})
    assert "records another question or case" in _html(out)
    same = slot_outputs(meta, lead_slot, None, "class-a", course=COURSE, assessment=ASSESSMENT, trainee="anna",
                        shown={"case": mine})
    assert "records another question or case" not in _html(same)


@pytest.mark.parametrize("kind, value, kept", [
    ("lead", "class-a", True), ("lead", ["class-a"], False), ("process", "step-2", True),
    ("callback", "2027-02-03T10:00", True), ("callback", 5, False),
    ("pipeline", ["allowed", "inn", "budget"], True), ("pipeline", ["not-allowed"], True),
    ("pipeline", ["maybe"], False), ("pipeline", "allowed", False),
])
def test_a_case_answer_is_vetted_in_its_kinds_shape(tmp_path, kind, value, kept):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"the-case": value}}))
    saved = read_submitted(path, {"the-case"}, {"the-case": kind})
    assert (saved.answers == {"the-case": value}) is kept
    assert saved.notes == (() if kept else ("1 answer of the wrong type ignored",))


def _spec(reg, kind):
    cw = reg.client_work
    if kind == "process":
        return [drill_of("process", p)[1] for p in reg.order_processing.processes[:2]]
    return drill_of(kind, {"lead": cw.lead_classification, "pipeline": cw.pipeline, "callback": cw.contact_timing}[kind])[1]


@pytest.mark.parametrize("kind", ["lead", "pipeline", "process", "callback"])
def test_every_case_kind_is_shown_in_words_with_its_reason(kind):
    reg = load(sample_path("en"))
    slot = {"id": f"{kind}-case", "kind": kind, "spec": _spec(reg, kind), "start": reg.meta.effective_date.isoformat()}
    meta = {"item": slot["id"], "slot": "case", "case": kind, "type": "case"}
    for t in TRAINEES[:4]:
        case = regenerate(slot, COURSE, ASSESSMENT, t)
        key = cases.case_key(kind, slot["spec"], case)
        out = slot_outputs(meta, slot, None, key, course=COURSE, assessment=ASSESSMENT, trainee=t)
        assert "The answer is right." in _html(out)
        solution = _html(out, KEY)
        assert "Correct answer:" in solution
        if kind in ("lead", "process"):  # ids are shown as the names the trainee clicked
            assert f"Correct answer:</strong> {key}<" not in solution
        if kind == "pipeline":
            assert ("Not allowed" if key == ["not-allowed"] else "Allowed") in solution
