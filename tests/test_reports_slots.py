"""Per-trainee slots in the reports: statistics per question (the one each trainee drew), not per slot.

A six-trainee initial assessment has three positions: I1 (everyone, 1 point), the draw slot S
(each trainee gets QA or QB, 1 point either way) and the case slot C (each trainee's own case,
2 points). Every figure below is worked out by hand in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmtrain.reports import tables
from crmtrain.reports.data import ReportData, assessment_frame, validate
from crmtrain.reports.itemstats import item_analysis
from crmtrain.reports.reliability import assessment_statistics
from crmtrain.reports.retention import retention_detail
from crmtrain.reports.synthetic import synthetic

# position -> (slot, topic, refs, qtype, points); a draw's questions listed under its slot
QUESTIONS = {
    "I1": ("", "technical", "interface", "single", 1),
    "QA": ("S", "technical", "access", "single", 1),
    "QB": ("S", "technical", "lookup", "true_false", 1),
    "C": ("C", "sales", "lead-classes", "case", 2),
    "F1": ("", "technical", "access", "single", 1),
    "F2": ("", "technical", "lookup", "single", 1),
}
# trainee -> initial: (I1 score, (drawn question, its score), C score); follow-up: (F1, F2)
INITIAL = {"A": (1, ("QA", 1), 2), "B": (1, ("QB", 0), 2), "C": (0, ("QA", 1), 0),
           "D": (1, ("QB", 1), 2), "E": (0, ("QA", 0), 2), "F": (0, ("QB", 0), 0)}
FOLLOWUP = {"A": (1, 0), "B": (0, 1), "C": (1, 1), "D": (1, 0), "E": (1, 1), "F": (0, 0)}


def _row(a, t, item, score):
    slot, topic, refs, qtype, points = QUESTIONS[item]
    return {"assessment": a, "trainee_id": t, "trainee_name": t, "item": item, "slot": slot, "topic": topic,
            "part": "summary", "refs": refs, "qtype": qtype, "points": float(points), "score": float(score),
            "correct": score >= points, "response": "", "submitted": True, "late": False}


def make() -> ReportData:
    rows = []
    for t, (i1, (drawn, s), c) in INITIAL.items():
        rows += [_row("initial", t, "I1", i1), _row("initial", t, drawn, s), _row("initial", t, "C", c)]
    for t, (f1, f2) in FOLLOWUP.items():
        rows += [_row("followup", t, "F1", f1), _row("followup", t, "F2", f2)]
    assessments = assessment_frame([
        {"assessment": "initial", "title": "Initial", "pass_mark": 75, "max_points": 4.0, "due": "2024-03-15"},
        {"assessment": "followup", "title": "Follow-up", "pass_mark": 75, "max_points": 2.0, "due": "2024-06-15"}])
    roster = pd.DataFrame({"trainee_id": list(INITIAL), "name": list(INITIAL), "email": ""})
    refs = pd.DataFrame([(r, "summary", r, r.title(), r.title()) for r in ("interface", "access", "lookup",
                                                                           "lead-classes")],
                        columns=["ref", "part", "section", "title", "section_title"])
    questions = pd.DataFrame({"assessment": ["initial"] * 4, "item": ["I1", "QA", "QB", "C"],
                              "slot": ["", "S", "S", "C"], "text": ["", "", "", "Classify the lead"],
                              "options": ["a b c d", "a b c d", "", ""], "guess": [0.25, 0.25, 0.5, 0.2]})
    return validate(ReportData(pd.DataFrame(rows), assessments, roster, refs, questions))


@pytest.fixture
def data():
    return make()


def test_a_draw_is_analysed_as_moodle_analyses_a_random_slot(data):
    ia = item_analysis(data).set_index("item")
    initial = ia[ia["assessment"] == "initial"]
    # The test's order; the draw slot's own row leads the questions it drew, as in Moodle's report.
    assert list(initial.index) == ["I1", "S", "QA", "QB", "C"]
    assert list(initial["slot"]) == ["", "S", "S", "S", "C"]
    assert list(initial["qtype"]) == ["single", "draw", "single", "true_false", "case"]
    assert list(initial["n"]) == [6, 6, 3, 3, 6]
    # QA: A, C, E scored 1, 1, 0; QB: B, D, F scored 0, 1, 0.
    assert initial.loc["QA", "facility"] == pytest.approx(2 / 3)
    assert initial.loc["QB", "facility"] == pytest.approx(1 / 3)
    # A drawn question against the drawer's whole total (Moodle's convention for a random question):
    # QA: x = (1, 1, 0), T = (4, 1, 2): Σdx·dT = 1/3, Σdx² = 2/3, ΣdT² = 14/3, r = 1/√28.
    assert initial.loc["QA", "discrimination_index"] == pytest.approx(1 / math.sqrt(28))
    # QB: x = (0, 1, 0), T = (3, 4, 0): Σdx·dT = 5/3, Σdx² = 2/3, ΣdT² = 26/3, r = 5/√52.
    assert initial.loc["QB", "discrimination_index"] == pytest.approx(5 / math.sqrt(52))
    # The slot as a position, over all six: x = (1, 0, 1, 1, 0, 0) against the rest R = (3, 3, 0, 3, 2, 0):
    # Σdx·dR = 0.5, Σdx² = 1.5, ΣdR² = 65/6.
    slot = initial.loc["S"]
    assert slot["facility"] == 0.5 and slot["random_guess"] == pytest.approx((0.25 + 0.5) / 2)
    assert slot["discrimination_index"] == pytest.approx(0.5 / math.sqrt(1.5 * 65 / 6))
    # Effective weight per position (I1, S, C) from Cov(x, T), T = (4, 3, 1, 4, 2, 0); none for a drawn question.
    grid = np.array([[1, 1, 2], [1, 0, 2], [0, 1, 0], [1, 1, 2], [0, 0, 2], [0, 0, 0]], dtype=float)
    roots = np.sqrt(np.cov(grid, grid.sum(axis=1)[:, None], rowvar=False)[:3, 3])
    assert list(initial.loc[["I1", "S", "C"], "effective_weight"]) == pytest.approx(list(roots / roots.sum()))
    assert initial.loc[["QA", "QB"], "effective_weight"].isna().all()
    # Intended weights count positions (4 points in all): a drawn question weighs what its slot weighs.
    assert list(initial["intended_weight"]) == pytest.approx([0.25, 0.25, 0.25, 0.25, 0.5])
    assert initial.loc["C", "qtype"] == "case" and initial.loc["C", "random_guess"] == pytest.approx(0.2)
    assert initial.loc["QB", "random_guess"] == pytest.approx(0.5)
    assert initial.loc["C", "facility"] == pytest.approx(8 / 12)


def test_alpha_counts_a_draw_slot_as_one_position(data):
    st = assessment_statistics(data).set_index("assessment").loc["initial"]
    # Positions I1 (1,1,0,1,0,0), S (1,0,1,1,0,0), C (2,2,0,2,2,0): variances 0.3, 0.3, 48/45;
    # totals (4,3,1,4,2,0): variance 120/45; alpha = 3/2 × (1 − (0.6 + 48/45) / (120/45)) = 0.5625.
    assert (st["sittings"], st["items"], st["max_points"]) == (6, 3, 4.0)
    assert st["alpha"] == pytest.approx(0.5625)
    grid = np.array([[1, 1, 2], [1, 0, 2], [0, 1, 0], [1, 1, 2], [0, 0, 2], [0, 0, 0]], dtype=float)
    c = np.cov(grid, rowvar=False)
    assert st["alpha"] == pytest.approx(3 / 2 * (1 - np.trace(c) / c.sum()))


def test_retention_follows_the_refs_of_the_question_each_trainee_drew(data):
    d = retention_detail(data)
    compared = {(t, ref): s for t, ref, s in zip(d["trainee_id"], d["ref"], d["status"])}
    # A, C, E drew QA (access): compared on access, not on lookup; B, D, F the other way round.
    assert {t for t, ref in compared if ref == "access"} == {"A", "C", "E"}
    assert {t for t, ref in compared if ref == "lookup"} == {"B", "D", "F"}
    assert compared[("A", "access")] == "learned"  # QA right, F1 right
    assert compared[("E", "access")] == "learned_later"  # QA wrong, F1 right
    assert compared[("B", "lookup")] == "learned_later"  # QB wrong, F2 right
    assert compared[("D", "lookup")] == "forgotten"  # QB right, F2 wrong


def test_every_trainee_has_the_same_maximum_and_scores_add_up(data):
    sc = tables.scores(data)
    initial = sc[sc["assessment"] == "initial"].set_index("trainee_id")
    assert set(initial["max_points"]) == {4.0}
    assert initial["points"].to_dict() == {"A": 4, "B": 3, "C": 1, "D": 4, "E": 2, "F": 0}


def test_a_synthetic_course_with_slots_keeps_one_row_per_trainee_and_position():
    d = validate(synthetic(200, 10, seed=4, draws=2, candidates=3, cases=1))
    r = d.results
    per = r.groupby(["assessment", "trainee_id"], observed=True).size()
    assert set(per) == {10}
    initial = r[r["assessment"] == "initial"]
    drawn = initial[initial["slot"] == "I-draw1"]["item"].astype(str).value_counts()
    assert sorted(drawn.index) == ["I01", "I01b", "I01c"] and drawn.min() > 40  # each drawn by about a third
    ia = tables.compute_all(d)["item_analysis"]
    mine = ia[(ia["assessment"] == "initial") & (ia["slot"] == "I-draw1")]
    sat = initial["trainee_id"][initial["submitted"] & (initial["slot"] == "I-draw1")].nunique()
    assert list(mine["item"]) == ["I-draw1", "I01", "I01b", "I01c"] and sum(mine["n"]) == 2 * sat
    st = assessment_statistics(d).set_index("assessment")
    assert st.loc["initial", "items"] == 10 and st.loc["initial", "sittings"] > 150


# --- from a real gradebook: who drew what comes from the course id and the trainee id -------

DRAW = ("pick", ["fu-tech-01", "fu-tech-05", "in-tech-04"])  # slot id, candidates (bank questions of sample:en)
TRAINEES = ("t1", "t2", "t3", "t4", "t5", "t6")


def _slot_notebook(root):
    """initial: the fixed in-tech-03, a draw slot over three bank questions, a lead case slot (2 points)."""
    import json

    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path

    bank = {q.id: q for q in load(sample_path("en")).questions}
    slot, cands = DRAW
    metas = [
        ({"item": "in-tech-03", "topic": "technical", "refs": ["interface"], "type": "single", "points": 1}, 1),
        ({"item": slot, "slot": "draw", "topic": "technical", "type": "mixed", "points": 1, "refs": [],
          "candidates": [{"item": c, "type": bank[c].type.value, "topic": bank[c].topic.value,
                          "refs": list(bank[c].refs)} for c in cands]}, 1),
        ({"item": "lead-case", "slot": "case", "case": "lead", "topic": "sales", "type": "case", "points": 2,
          "refs": ["lead-classification"], "guess": 0.25}, 2),
    ]
    cells = []
    for crm, points in metas:
        nbg = {"grade_id": crm["item"], "grade": True, "task": False, "solution": False, "locked": True,
               "points": points, "schema_version": 3}
        cells.append({"cell_type": "code", "metadata": {"crmtrain": crm, "nbgrader": nbg}, "source": "",
                      "outputs": [], "execution_count": None})
    folder = root / "source" / "initial"
    folder.mkdir(parents=True)
    (folder / "initial.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                      "nbformat_minor": 5}))
    return bank


@pytest.fixture
def slot_course(tmp_path, monkeypatch):
    """A real nbgrader gradebook: six trainees graded on the three positions; answers.json per trainee."""
    import json
    import os
    import sys
    from pathlib import Path

    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    root = tmp_path / "assignments"
    root.mkdir()
    (root / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'crm101'\n"
                                             f"c.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    _slot_notebook(root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="crm101") as gb:
        gb.add_assignment("initial")
        gb.add_notebook("initial", "initial")
        for cell, points in (("in-tech-03", 1), ("pick", 1), ("lead-case", 2)):
            gb.add_grade_cell(cell, "initial", "initial", max_score=points, cell_type="code")
        for n, t in enumerate(TRAINEES):
            gb.add_student(t)
            gb.add_submission("initial", t)
            for cell, score in (("in-tech-03", n % 2), ("pick", (n // 2) % 2), ("lead-case", 2 * (n % 3 > 0))):
                g = gb.find_grade(cell, "initial", "initial", t)
                g.auto_score, g.needs_manual_grade = float(score), False
            gb.db.commit()
            folder = root / "autograded" / t / "initial"
            folder.mkdir(parents=True)
            (folder / "answers.json").write_text(json.dumps({"answers": {"pick": ["opt-z", "opt-a"], "lead-case": "b"}}))
    return root


@pytest.mark.nbgrader
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
def test_the_gradebook_files_a_slot_score_under_the_question_the_trainee_drew(slot_course):
    from crmtrain.grading.presentation import results
    from crmtrain.grading.plumbing.course import Course
    from crmtrain.regulation.loader import load
    from crmtrain.reports.from_gradebook import load_report_data
    from crmtrain.rules.variants import draw_index
    from crmtrain.samples import sample_path

    slot, cands = DRAW
    drew = {t: cands[draw_index(len(cands), "crm101", "initial", t, slot)] for t in TRAINEES}
    assert len(set(drew.values())) > 1  # the six trainees do not all draw the same question

    data = validate(load_report_data(slot_course, load(sample_path("en"))))
    r = data.results
    assert len(r) == len(TRAINEES) * 3  # one row per trainee and position
    for n, t in enumerate(TRAINEES):
        mine = r[r["trainee_id"] == t].set_index("item")
        assert list(mine.index) == ["in-tech-03", drew[t], "lead-case"]
        row = mine.loc[drew[t]]
        assert (row["slot"], row["score"], row["points"]) == (slot, (n // 2) % 2, 1.0)
        # The answer saved under the slot, as text by the drawn question's type: multiple choice sorted.
        assert row["response"] == ("opt-a,opt-z" if row["qtype"] == "multiple" else "opt-z,opt-a")
        case = mine.loc["lead-case"]
        assert (case["slot"], case["qtype"], case["score"], case["response"]) == ("lead-case", "case",
                                                                                  2.0 * (n % 3 > 0), "b")
    assert set(data.assessments.set_index("assessment").loc[["initial"], "max_points"]) == {4.0}
    ia = item_analysis(data).set_index("item")
    for q in cands:
        got = [n for n, t in enumerate(TRAINEES) if drew[t] == q]
        assert ia.loc[q, "n"] == len(got) and ia.loc[q, "slot"] == slot
        if got:
            assert ia.loc[q, "facility"] == pytest.approx(np.mean([(n // 2) % 2 for n in got]))
    assert ia.loc["lead-case", "random_guess"] == 0.25 and ia.loc["lead-case", "text"] == "Drill: classify the lead"

    ours = {res.trainee: res for res in results.results(Course.load(slot_course), "initial")}
    for t in TRAINEES:
        assert ours[t].item(slot).item == drew[t] and ours[t].item(drew[t]).slot == slot
