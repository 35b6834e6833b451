"""Item analysis and test statistics give Moodle's numbers on Moodle's own fixtures.

The files are Moodle 4.5's quiz-statistics unit-test fixtures (``shared/peer-data/moodle/
quiz-statistics``); the expected figures are the ones Moodle's tests assert on them:
``qstats00.csv`` (per slot and per drawn question) and the quiz figures written in
``mod/quiz/report/statistics/tests/stats_from_steps_walkthrough_test.php``; the arrays in
``statistics_test.php`` for ``mdl_question_states.csv``. Moodle stores percentages as 0..100
and an SD in marks; crmtrain keeps shares (0..1) and the SD as a share of the maximum, which is
what Moodle's report shows (``sd / maxmark``).
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from crmtrain.reports.data import ReportData, assessment_frame, validate
from crmtrain.reports.itemstats import item_analysis
from crmtrain.reports.reliability import assessment_statistics

from peer import peer_file

FIXTURES = ("moodle", "quiz-statistics", "mod", "quiz", "report", "statistics", "tests", "fixtures")
TOLERANCE = 1e-4  # on Moodle's own scale (percentages 0..100, marks)


def rows(name: str) -> list[dict[str, str]]:
    with open(peer_file(*FIXTURES, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def report_data(marks: dict[str, dict[str, float]], points: dict[str, float], drawn: dict[str, str] | None = None,
                slot: str = "") -> ReportData:
    """One initial assessment: ``marks[attempt][position] = mark``; at ``slot`` the attempt's ``drawn`` question."""
    out = []
    for attempt, got in marks.items():
        for position, mark in got.items():
            item = drawn[attempt] if position == slot else position
            out.append({"assessment": "initial", "trainee_id": attempt, "trainee_name": "", "item": item,
                        "slot": slot if position == slot else "", "topic": "technical", "part": "summary",
                        "refs": "", "qtype": "numeric", "points": points[position], "score": mark,
                        "correct": mark >= points[position], "response": "", "submitted": True, "late": False})
    roster = pd.DataFrame({"trainee_id": list(marks), "name": "", "email": ""})
    assessments = assessment_frame([{"assessment": "initial", "title": "Quiz", "pass_mark": 50,
                                     "max_points": sum(points.values()), "due": None}])
    items = pd.DataFrame(columns=["ref", "part", "section", "title", "section_title"])
    return validate(ReportData(pd.DataFrame(out), assessments, roster, items))


# --- quiz 00: seven slots, slot 1 a random question (short answer or numerical), 25 attempts -------------

@pytest.fixture(scope="module")
def quiz00():
    drawn = {r["quizattempt"]: r["randqs.1"] for r in rows("steps00.csv")}
    marks = {r["quizattempt"]: {f"slot{s}": float(r[f"slots.{s}.mark"]) for s in range(1, 8)}
             for r in rows("results00.csv")}
    for attempt, got in marks.items():  # the fixture's own totals are what Moodle's test checks first
        assert sum(got.values()) == pytest.approx(float(next(r for r in rows("results00.csv")
                                                              if r["quizattempt"] == attempt)["summarks"]))
    data = report_data(marks, {f"slot{s}": 1.0 for s in range(1, 8)}, drawn, slot="slot1")
    return item_analysis(data).set_index("item"), assessment_statistics(data).iloc[0]


def expected00() -> list[tuple[str, dict[str, str]]]:
    """qstats00.csv's rows for a slot or a drawn question (per-variant rows: crmtrain has no variants)."""
    out = []
    for r in rows("qstats00.csv"):
        if r["variant"]:
            continue
        out.append((r["subqname"] or ("slot1" if r["slot"] == "1" else f"slot{r['slot']}"), r))
    return out


FIGURES = {"facility": ("facility", 100), "sd": ("sd", 1), "effectiveweight": ("effective_weight", 100),
           "discriminationindex": ("discrimination_index", 100),
           "discriminativeefficiency": ("discriminative_efficiency", 100)}


@pytest.mark.parametrize(("item", "expected"), expected00(), ids=[i for i, _ in expected00()])
def test_quiz00_question_figures_equal_moodles(quiz00, item, expected):
    ia, _ = quiz00
    got = ia.loc[item]
    for moodle, (ours, scale) in FIGURES.items():
        want = expected[moodle]
        if want == "**NULL**":
            assert np.isnan(got[ours]), f"{moodle} of {item}: Moodle gives none, crmtrain {got[ours]}"
        else:
            # qstats00 keeps facility and SD as shares and the rest as percentages
            factor = 1 if moodle in ("facility", "sd") else scale
            assert got[ours] * factor == pytest.approx(float(want), abs=TOLERANCE), f"{moodle} of {item}"


def test_quiz00_random_slot_and_its_drawn_question_follow_moodles_layout(quiz00):
    ia, _ = quiz00
    assert list(ia.index[:3]) == ["slot1", "numerical", "shortanswer"]
    assert (ia.loc["slot1", "qtype"], ia.loc["slot1", "n"], ia.loc["numerical", "n"]) == ("draw", 25, 12)


def test_quiz00_test_figures_equal_moodles(quiz00):
    _, st = quiz00
    # stats_from_steps_walkthrough_test.php, check_quiz_stats_for_quiz_00
    expected = {"median_points": 4.5, "mean_points": 4.617333332, "sittings": 25, "sd_points": 0.8117265554,
                "skewness": -0.092502502, "kurtosis": -0.7073968557, "alpha": -0.872230935542,
                "error_ratio": 1.368294900795, "standard_error": 1.1106813066}
    for name, want in expected.items():
        assert st[name] == pytest.approx(want, abs=TOLERANCE), name


# --- statistics_test.php: twenty slots, 22 attempts, from mdl_question_states.csv ----------------------

# Expected values as Moodle's test writes them (facility ×100, SD in marks ×1000, percentages).
FACILITY = [0, 0, 0, 0, None, None, None, 41.19318182, 81.36363636, 71.36363636, 65.45454545, 65.90909091,
            36.36363636, 59.09090909, 50, 59.09090909, 63.63636364, 45.45454545, 27.27272727, 50]
SD = [0, 0, 0, 0, None, None, None, 1912.733589, 251.2738111, 322.6312277, 333.4199022, 337.5811591,
      492.3659639, 503.2362797, 511.7663157, 503.2362797, 492.3659639, 509.6471914, 455.8423058, 511.7663157]
EFFECTIVE_WEIGHT = [0, 0, 0, 0, 0, 0, 0, 26.58464457, 3.368456046, 3.253955259, 7.584083694, 3.79658376,
                    3.183278505, 4.532356904, 7.78856243, 10.08351572, 8.381139345, 8.727645713, 7.946277111,
                    4.769500946]
DISCRIMINATION = [None] * 7 + [25.88327077, 1.170256965, -4.207816809, 28.16930644, -2.513606859, -12.99017581,
                               -8.900638238, 8.670004606, 29.63337745, 15.18945843, 16.21079629, 15.52451404,
                               -8.396734802]
EFFICIENCY = [None] * 7 + [27.23492723, 1.382386552, -4.691171307, 31.12404354, -2.877487579, -17.5074184,
                           -10.27568922, 10.86956522, 34.58997279, 17.4790556, 20.14359793, 22.06477733, -10]


@pytest.fixture(scope="module")
def states():
    maxmark = {r["slot"]: float(r["maxmark"]) for r in rows("mdl_question.csv")}
    marks: dict[str, dict[str, float]] = {}
    attempt = ""
    for r in rows("mdl_question_states.csv"):  # an attempt's rows start at slot 1, as Moodle's test reads them
        if r["slot"] == "1":
            attempt = f"a{len(marks) + 1:02d}"
            marks[attempt] = {}
        # Slots 5-7 are worth 0 marks (Moodle shows no facility for them): crmtrain needs positive points,
        # and they add nothing to any total, so they are left out.
        if maxmark[r["slot"]] > 0:
            marks[attempt][f"slot{int(r['slot']):02d}"] = float(r["mark"])
    points = {f"slot{int(s):02d}": m for s, m in maxmark.items() if m > 0}
    return item_analysis(report_data(marks, points)).set_index("item"), maxmark


@pytest.mark.parametrize("slot", range(1, 21))
def test_statistics_test_figures_equal_moodles(states, slot):
    ia, maxmark = states
    m = maxmark[str(slot)]
    if m == 0:
        assert f"slot{slot:02d}" not in ia.index
        assert (FACILITY[slot - 1], EFFECTIVE_WEIGHT[slot - 1]) == (None, 0)
        return
    got = ia.loc[f"slot{slot:02d}"]
    checks = [("facility", FACILITY, 100), ("sd", SD, 1000 * m), ("effective_weight", EFFECTIVE_WEIGHT, 100),
              ("discrimination_index", DISCRIMINATION, 100), ("discriminative_efficiency", EFFICIENCY, 100)]
    for ours, expected, scale in checks:
        want = expected[slot - 1]
        if want is None:
            assert np.isnan(got[ours]), f"{ours} of slot {slot}"
        else:
            assert got[ours] * scale == pytest.approx(want, abs=TOLERANCE * max(1, scale / 100)), f"{ours} of slot {slot}"
