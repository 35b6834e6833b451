"""Case and draw slots: stock nbgrader and ``crmtrain grade`` give each trainee the same points.

The fixture assessment gets four case slots (one per drill kind) and a draw slot of three
bank questions, built by the notebook builder. Trainees submit:
one answers their own cases right; one copies that trainee's answers; one copies them and
also edits answers.json to claim that trainee's id and cases; one earns partial credit on
the drawn question. Stock ``nbgrader autograde``
(every grade cell in a real kernel, in ``autograded/<trainee>/initial``) grades a copy of
the course, ``crmtrain grade`` (kernel-less, the trainee id from nbgrader) the course
itself; both must give every slot the points the rules give, and no released or exchange
file may hold a check or a draw's key.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import nbformat
import pytest
from grading_fixtures import (ASSESSMENT, COURSE_ID, ITEMS, Trainee, grade_both_ways, hidden_lines, make_course,
                              regulation, source_notebook)
from nbgrader.api import Gradebook
from test_rules_cases import sample_specs

from crmtrain.grading.verbs import release
from crmtrain.kinds.drills import DRILL_KINDS
from crmtrain.kinds.questions import QUESTION_KINDS
from crmtrain.regulation.models import Question
from crmtrain.regulation.selection import SlotPlan, case_parts
from crmtrain.rules import cases, variants

pytestmark = pytest.mark.nbgrader

START = regulation().meta.effective_date.isoformat()  # the builder's start of every case
CASE_SLOTS = {"lead-case": ("lead", 2), "deal-move": ("pipeline", 1), "next-step": ("process", 1),
              "call-back": ("callback", 1)}
DRAW = "deal-rules"
# Distinctive keys, so a scan of the released files cannot match by accident.
CANDIDATES = [("Q201", "single", "opt-dq71", {}), ("Q202", "numeric", 36.0, {"tolerance": 0.5}),
              ("Q203", "multiple", ["opt-dq81", "opt-dq83"], {"points": 2})]
DRAW_POINTS = 2
RIGHT = {it.id: list(it.key) if isinstance(it.key, tuple) else it.key for it in ITEMS if it.key is not None}


def specs() -> dict:
    return sample_specs(regulation())


def add_slots(course):
    """The fixture assessment plus the slots, written by the notebook builder; the notebook."""
    reg = regulation()
    plans = [SlotPlan(slot, points, DRILL_KINDS[kind].topic, case=kind, parts=case_parts(reg, kind))
             for slot, (kind, points) in CASE_SLOTS.items()]
    drawn_from = tuple(Question.model_validate({
        "id": qid, "type": qtype, "topic": "sales", "refs": ["deal-pipeline"], "text": f"Question {qid}",
        "options": [{"id": o, "text": o} for o in ("opt-dq71", "opt-dq72", "opt-dq81", "opt-dq82", "opt-dq83")
                    if qtype != "numeric" and o.startswith("opt-dq7" if qtype == "single" else "opt-dq8")],
        "answer": key, "points": DRAW_POINTS, "partial_credit": "points" in options or None,
        "tolerance": options.get("tolerance", 0)}) for qid, qtype, key, options in CANDIDATES)
    plans.append(SlotPlan(DRAW, DRAW_POINTS, "sales", questions=drawn_from))
    nb = source_notebook(slots=plans, course=COURSE_ID)
    checks = [c.source for c in nb.cells if "check_draw(" in c.source]
    assert len(checks) == 1 and all(repr(c) in checks[0].replace("\n", "") for c in CANDIDATES)  # the keys graded
    nbformat.write(nb, course.source_dir(ASSESSMENT) / f"{ASSESSMENT}.ipynb")
    return nb


def own_case(s: dict, slot: str, trainee: str) -> dict:
    kind = CASE_SLOTS[slot][0]
    return cases.trainee_case(kind, s[kind], START, course=COURSE_ID, assessment=ASSESSMENT, trainee=trainee, slot=slot)


def own_key(s: dict, slot: str, trainee: str):
    return cases.case_key(CASE_SLOTS[slot][0], s[CASE_SLOTS[slot][0]], own_case(s, slot, trainee))


def drawn(trainee: str) -> tuple:
    return CANDIDATES[variants.draw_index(len(CANDIDATES), COURSE_ID, ASSESSMENT, trainee, DRAW)]


def expected_points(s: dict, trainee: str, answers: dict) -> dict:
    """Each slot's points by the rules, for the trainee nbgrader filed the submission under."""
    out = {}
    for slot, (kind, points) in CASE_SLOTS.items():
        right = cases.grade_case(kind, s[kind], own_case(s, slot, trainee), answers.get(slot))
        out[slot] = float(points) if right else 0.0
    _, qtype, key, options = drawn(trainee)
    answer = answers.get(DRAW)
    out[DRAW] = 0.0 if answer is None else QUESTION_KINDS[qtype].score(
        answer, key, DRAW_POINTS, options.get("tolerance", 0.0), partial="points" in options)
    return out


def draw_answer(trainee: str, right: bool):
    qid, qtype, key, _ = drawn(trainee)
    if qtype == "multiple":
        return key[:1] if not right else key  # one of two right options: half the points
    return key if right else {"single": "opt-dq72", "numeric": 40.0}[qtype]


def test_stock_nbgrader_and_crmtrain_grade_agree_on_case_and_draw_slots(tmp_path, blank_gradebook):
    s = specs()
    course = make_course(tmp_path / "course", tmp_path / "exchange")
    shutil.copy(blank_gradebook, course.db_path)
    source = add_slots(course)
    release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(days=1))
    honest = {slot: own_key(s, slot, "ivanova") for slot in CASE_SLOTS} | {DRAW: draw_answer("ivanova", True)}
    shown = {slot: {"case": own_case(s, slot, "ivanova")} for slot in CASE_SLOTS}
    submissions = {
        "ivanova": {"answers": honest},
        "petrov": {"answers": {**honest, DRAW: draw_answer("petrov", False)}},  # copied the neighbour's cases
        "sidorov": {"answers": {**honest, DRAW: draw_answer("sidorov", True)}, "trainee": "ivanova", "shown": shown},
    }
    # Someone who drew the multiple-choice candidate and ticks one of its two right options.
    half = next(n for n in (f"trainee{i}" for i in range(100)) if drawn(n)[0] == "Q203")
    submissions[half] = {"answers": {**{slot: own_key(s, slot, half) for slot in CASE_SLOTS},
                                     DRAW: draw_answer(half, False)}}
    for name, data in submissions.items():
        t = Trainee(name, tmp_path / "home" / name, course)
        folder = t.fetch()
        (folder / "answers.json").write_text(json.dumps({**data, "answers": {**RIGHT, **data["answers"]}}),
                                             encoding="utf-8")
        t.submit()
    # The draw's candidates, options and all, are shown; their keys are only in the hidden tests' lines.
    rows = [ln.strip() for ln in hidden_lines(source) if ln.strip().startswith("(")]
    assert len(rows) == len(CANDIDATES)
    leaks = ["check_case", "check_draw", "36.0", *rows]
    for root in (course.root / "release", course.exchange_dir):
        for path in root.rglob("*.ipynb"):
            text = path.read_text(encoding="utf-8")
            assert not [n for n in leaks if n in text], path
    stock_db, ours = grade_both_ways(course, tmp_path, len(submissions))
    slots = [*CASE_SLOTS, DRAW]
    with Gradebook(f"sqlite:///{stock_db}") as gb:
        for name, data in submissions.items():
            expected = expected_points(s, name, {**RIGHT, **data["answers"]})
            theirs = {slot: gb.find_grade(slot, ASSESSMENT, ASSESSMENT, name).score for slot in slots}
            assert theirs == pytest.approx(expected, abs=1e-9), name
            assert {slot: ours[name].item(slot).score for slot in slots} == pytest.approx(theirs, abs=1e-9), name
            assert ours[name].score == pytest.approx(gb.find_submission(ASSESSMENT, name).score, abs=1e-9)
    full = sum(p for _, p in CASE_SLOTS.values()) + DRAW_POINTS
    assert sum(expected_points(s, "ivanova", honest).values()) == full, "the honest trainee earns every point"
    assert expected_points(s, half, submissions[half]["answers"])[DRAW] == DRAW_POINTS / 2
    # Copied answers fit the neighbour's cases, not one's own: some slot is lost.
    for name in ("petrov", "sidorov"):
        got = expected_points(s, name, submissions[name]["answers"])
        assert sum(got[slot] for slot in CASE_SLOTS) < sum(p for _, p in CASE_SLOTS.values()), name
