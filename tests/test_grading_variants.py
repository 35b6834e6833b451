"""Case and draw slots: stock nbgrader and ``crmtrain grade`` give each trainee the same points.

The fixture assessment gets four case slots (one per drill kind) and a draw slot of three
bank questions, with hidden tests as the notebook builder writes them. Trainees submit:
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
from grading_fixtures import ASSESSMENT, COURSE_ID, ITEMS, Trainee, grade_both_ways, make_course
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.api import Gradebook
from test_rules_cases import sample_specs

from crmtrain.grading.verbs import release
from crmtrain.kinds.drills import DRILL_KINDS
from crmtrain.kinds.questions import QUESTION_KINDS
from crmtrain.regulation.loader import load
from crmtrain.rules import cases, variants
from crmtrain.samples import sample_path

pytestmark = pytest.mark.nbgrader

START = "2027-02-01"
CASE_SLOTS = {"lead-case": ("lead", 2), "deal-move": ("pipeline", 1), "next-step": ("process", 1),
              "call-back": ("callback", 1)}
DRAW = "deal-rules"
# Distinctive keys, so a scan of the released files cannot match by accident.
CANDIDATES = [("Q201", "single", "opt-dq71", {}), ("Q202", "numeric", 36.0, {"tolerance": 0.5}),
              ("Q203", "multiple", ["opt-dq81", "opt-dq83"], {"points": 2})]
DRAW_POINTS = 2
RIGHT = {it.id: list(it.key) if isinstance(it.key, tuple) else it.key for it in ITEMS if it.key is not None}


def specs() -> dict:
    return sample_specs(load(sample_path("en")))


def hidden(slot: str, call: str) -> str:
    return f"# Answer check for {slot}\n### BEGIN HIDDEN TESTS\n{call}\n### END HIDDEN TESTS\n"


def slot_cells(slot: str, points: int, check: str, meta: dict) -> list:
    crm = {"item": slot, "points": points, **meta}
    locked = {"locked": True, "schema_version": 3, "solution": False, "task": False}
    return [new_markdown_cell(f"### {slot}", metadata={"crmtrain": crm}),
            new_code_cell(f"print({slot!r}, _crm_saved({slot!r}))", metadata={
                "crmtrain": crm, "nbgrader": {**locked, "grade": False, "grade_id": f"{slot}-answer"}}),
            new_code_cell(check, metadata={"crmtrain": crm, "nbgrader": {
                **locked, "grade": True, "grade_id": slot, "points": points}})]


def add_slots(course, s: dict) -> None:
    """The fixture assessment plus the slots, as the builder writes their cells."""
    path = course.source_dir(ASSESSMENT) / f"{ASSESSMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    where = f"course={COURSE_ID!r}, assessment={ASSESSMENT!r}"
    for slot, (kind, points) in CASE_SLOTS.items():
        call = (f"from crmtrain.runtime.check import check_case\n"
                f"check_case({slot!r}, {kind!r}, {s[kind]!r}, {where}, start={START!r})")
        nb.cells += slot_cells(slot, points, hidden(slot, call), {
            "slot": "case", "case": kind, "type": "case", "topic": DRILL_KINDS[kind].topic, "refs": [],
            "guess": cases.guess(kind, s[kind]), "course": COURSE_ID})
    call = f"from crmtrain.runtime.check import check_draw\ncheck_draw({DRAW!r}, {CANDIDATES!r}, {where})"
    candidates = [{"item": qid, "type": qtype, "topic": "sales", "refs": ["pipeline"]} for qid, qtype, _, _ in CANDIDATES]
    nb.cells += slot_cells(DRAW, DRAW_POINTS, hidden(DRAW, call), {
        "slot": "draw", "type": "mixed", "topic": "sales", "refs": ["pipeline"], "candidates": candidates,
        "course": COURSE_ID})
    nbformat.write(nb, path)


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
    add_slots(course, s)
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
    leaks = ["check_case", "check_draw", "opt-dq71", "opt-dq81", "36.0"]
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
