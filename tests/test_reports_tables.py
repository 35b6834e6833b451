"""Report tables on a five-trainee gradebook whose every number is worked out by hand below."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmtrain.errors import UserError
from crmtrain.reports import tables
from crmtrain.reports.data import ReportData, assessment_frame, validate
from crmtrain.reports.itemstats import Bounds, item_analysis
from crmtrain.reports.reliability import assessment_statistics
from crmtrain.reports.retention import regulation_items, retention_detail, retention_trainees
from crmtrain.reports.synthetic import synthetic

# item: topic, part, refs, qtype, points, right answer
ITEMS = {
    "initial": {"I1": ("technical", "summary", "access", "single", 1, "b"),
                "I2": ("processes", "order_processing", "order-intake order-intake.ship", "single", 1, "a"),
                "I3": ("sales", "client_work", "lead-classes", "multiple", 2, "a,c")},
    "followup": {"F1": ("technical", "summary", "access", "single", 1, "a"),
                 "F2": ("sales", "client_work", "lead-classes", "true_false", 1, "true")},
}
# trainee: [(score, response) per item], None = not submitted; late sittings listed apart.
SITTINGS = {
    "initial": {"A": [(1, "b"), (1, "a"), (2, "a,c")], "B": [(1, "b"), (0, "d"), (2, "a,c")],
                "C": [(0, "c"), (1, "a"), (1, "a")], "D": [(1, "b"), (0, "d"), (0, "b")], "E": None},
    "followup": {"A": [(1, "a"), (0, "false")], "B": [(1, "a"), (1, "true")], "C": [(1, "a"), (1, "true")],
                 "D": None, "E": None},
}
LATE = {("initial", "C")}
REFS = [("access", "summary", "access", "Login and security", "Login and security"),
        ("order-intake", "order_processing", "order-intake", "Order intake", "Order intake"),
        ("order-intake.ship", "order_processing", "order-intake", "Order intake: Ship", "Order intake"),
        ("lead-classes", "client_work", "lead-classes", "Lead classes", "Lead classes")]
NAMES = {"A": "Анна", "B": "Борис", "C": "Вера", "D": "Глеб", "E": "Дарья"}


def make(items=ITEMS, sittings=SITTINGS, late=LATE, roster=NAMES) -> ReportData:
    """ReportData from the compact tables above."""
    rows = []
    for a, its in items.items():
        for t in roster:
            got = sittings[a].get(t)
            for k, (item, (topic, part, refs, qtype, points, _)) in enumerate(its.items()):
                score, resp = got[k] if got else (np.nan, "")
                rows.append({"assessment": a, "trainee_id": t, "trainee_name": roster[t], "item": item, "topic": topic,
                             "part": part, "refs": refs, "qtype": qtype, "points": float(points), "score": score,
                             "correct": score == points, "response": resp, "submitted": got is not None,
                             "late": (a, t) in late})
    assessments = assessment_frame([
        {"assessment": "initial", "title": "Initial", "pass_mark": 75, "max_points": 4.0, "due": "2024-03-15"},
        {"assessment": "followup", "title": "Follow-up", "pass_mark": 80, "max_points": 2.0, "due": "2024-06-15"}])
    roster_df = pd.DataFrame({"trainee_id": list(roster), "name": list(roster.values()), "email": ""})
    cols = ["assessment", "trainee_id", "trainee_name", "item", "topic", "part", "refs", "qtype", "points", "score",
            "correct", "response", "submitted", "late"]
    return validate(ReportData(pd.DataFrame(rows, columns=cols), assessments, roster_df,
                               pd.DataFrame(REFS, columns=["ref", "part", "section", "title", "section_title"])))


@pytest.fixture
def data():
    return make()


def test_trainees(data):
    t = tables.trainees(data).set_index("trainee_id")
    assert list(t.index) == list("ABCDE")
    assert t["initial_points"].tolist()[:4] == [4, 3, 2, 1]
    assert t["initial_score"].tolist()[:4] == [1.0, 0.75, 0.5, 0.25]
    assert t["initial_result"].tolist() == ["pass", "pass", "fail", "fail", "missing"]  # B is exactly on the mark
    assert t["followup_result"].tolist() == ["fail", "pass", "pass", "missing", "missing"]
    assert t["followup_score"].tolist()[:3] == [0.5, 1.0, 1.0]
    assert t["change"].tolist()[:3] == [-0.5, 0.25, 0.5] and t["change"].iloc[3:].isna().all()
    assert t["initial_late"].tolist() == [False, False, True, False, False]
    assert t["missing"].tolist() == ["", "", "", "followup", "initial followup"]
    assert t.loc["E", "name"] == "Дарья" and np.isnan(t.loc["E", "initial_score"])


def test_summary(data):
    s = tables.summary(data).set_index("assessment")
    i, f = s.loc["initial"], s.loc["followup"]
    assert (i["submitted"], i["missing"], i["late"], i["passed"], i["failed"]) == (4, 1, 1, 2, 2)
    assert i["mean_score"] == pytest.approx(0.625) and i["pass_rate"] == 0.5
    assert (f["submitted"], f["missing"], f["passed"], f["failed"]) == (3, 2, 2, 1)
    assert f["mean_score"] == pytest.approx(2.5 / 3)


def test_topics_and_parts(data):
    topics = tables.by_group(data, "topic")
    assert list(topics.columns) == ["trainee_id", "name", "topic", "initial_points", "initial_max", "initial_score",
                                    "followup_points", "followup_max", "followup_score", "change"]
    a = topics[topics["trainee_id"] == "A"].set_index("topic")
    assert list(a.index) == ["technical", "processes", "sales"]
    assert a.loc["sales", ["initial_points", "initial_max", "initial_score"]].tolist() == [2, 2, 1.0]
    assert a.loc["sales", ["followup_points", "followup_max", "followup_score", "change"]].tolist() == [0, 1, 0.0, -1.0]
    assert np.isnan(a.loc["processes", "followup_score"])  # the follow-up asks nothing on processes
    c = topics[topics["trainee_id"] == "C"].set_index("topic")
    assert c.loc["sales", "initial_score"] == 0.5 and c.loc["sales", "change"] == 0.5
    e = topics[topics["trainee_id"] == "E"]
    assert len(e) == 3 and e["initial_score"].isna().all()
    parts = tables.by_group(data, "part")
    d = parts[parts["trainee_id"] == "D"].set_index("part")
    assert list(d.index) == ["summary", "order_processing", "client_work"]
    assert d["initial_score"].tolist() == [1.0, 0.0, 0.0] and d["followup_score"].isna().all()


def test_retention(data):
    detail = retention_detail(data)
    got = {(t, r): s for t, r, s in zip(detail["trainee_id"], detail["ref"], detail["status"])}
    assert got == {("A", "access"): "learned", ("A", "lead-classes"): "forgotten",
                   ("B", "access"): "learned", ("B", "lead-classes"): "learned",
                   ("C", "access"): "learned_later", ("C", "lead-classes"): "learned_later"}  # C's 1 of 2 is not "knew"
    per = retention_trainees(data, detail).set_index("trainee_id")
    assert per.loc["A", ["learned", "forgotten", "learned_later", "never_learned", "compared"]].tolist() == [1, 1, 0, 0, 2]
    assert per["retention"].tolist()[:2] == [0.5, 1.0] and per["retention"].iloc[2:].isna().all()
    assert per.loc["D", "compared"] == 0 and per.loc["E", "compared"] == 0

    items = regulation_items(data, detail).set_index("ref")
    assert list(items.index) == ["access", "order-intake", "order-intake.ship", "lead-classes"]  # document order
    acc, lead, oi = items.loc["access"], items.loc["lead-classes"], items.loc["order-intake"]
    assert (acc["initial_facility"], acc["followup_facility"]) == (0.75, 1.0)
    assert (acc["learned"], acc["learned_later"], acc["retention"]) == (2, 1, 1.0)
    assert lead["initial_facility"] == 0.5 and lead["followup_facility"] == pytest.approx(2 / 3)
    assert lead[["learned", "forgotten", "learned_later", "never_learned"]].tolist() == [1, 1, 1, 0]
    assert lead["retention"] == 0.5 and lead["title"] == "Lead classes"
    assert (oi["initial_questions"], oi["followup_questions"], oi["compared"]) == (1, 0, 0)
    assert math.isnan(oi["followup_facility"]) and math.isnan(oi["retention"])


def test_item_analysis_worked_example(data):
    """Moodle's figures on the initial test, worked by hand.

    Totals T: A 4, B 3, C 2, D 1 (Var(T) = 5/3 with n − 1). Upper group A, lower D (round(0.27 × 4) = 1).
    """
    ia = item_analysis(data).set_index("item")
    i1, i2, i3 = ia.loc["I1"], ia.loc["I2"], ia.loc["I3"]
    # I1: x = 1 1 0 1, rest R = 3 2 2 0. Σ(x−x̄)(R−R̄) = 5 − 3·7/4 = −0.25, Σ(x−x̄)² = 0.75, Σ(R−R̄)² = 4.75.
    assert (i1["n"], i1["facility"], i1["sd"], i1["intended_weight"]) == (4, 0.75, 0.5, 0.25)
    assert i1["discrimination_index"] == pytest.approx(-0.25 / math.sqrt(0.75 * 4.75))
    assert i1["discrimination_index"] == pytest.approx(np.corrcoef([1, 1, 0, 1], [3, 2, 2, 0])[0, 1])
    # Cov_max pairs sorted x 0 1 1 1 with sorted R 0 2 2 3: 7 − 21/4 = 1.75
    assert i1["discriminative_efficiency"] == pytest.approx(-0.25 / 1.75)
    # Cov(x, T) = (8 − 3·10/4)/3 = 1/6; its share of Var(T): (1/6) / (5/3) = 0.1
    assert i1["variance_share"] == pytest.approx(0.1)
    # Moodle's effective weight: √Cov(x, T) over the sum for the three questions (1/6, 1/3, 7/6)
    roots = np.sqrt([1 / 6, 1 / 3, 7 / 6])
    assert i1["effective_weight"] == pytest.approx(roots[0] / roots.sum())
    assert (i1["upper_facility"], i1["lower_facility"], i1["wrong_answer"], i1["wrong_share"]) == (1.0, 1.0, "c", 0.25)
    # I2: x = 1 0 1 0, R = 3 3 1 1: uncorrelated; SD √(1/3); Cov(x, T) = 1/3, weight 0.2
    assert (i2["facility"], i2["discrimination_index"], i2["discriminative_efficiency"]) == (0.5, 0.0, 0.0)
    assert i2["sd"] == pytest.approx(math.sqrt(1 / 3)) and i2["variance_share"] == pytest.approx(0.2)
    assert i2["effective_weight"] == pytest.approx(roots[1] / roots.sum())
    # I3 (2 points): x = 2 2 1 0, R = 2 1 1 1; shares 1 1 .5 0
    assert (i3["facility"], i3["intended_weight"]) == (0.625, 0.5)
    assert i3["sd"] == pytest.approx(math.sqrt(0.6875 / 3))
    assert i3["discrimination_index"] == pytest.approx(0.75 / math.sqrt(2.75 * 0.75))
    assert i3["discriminative_efficiency"] == pytest.approx(1.0)  # sorted pairs give the same 7 − 25/4
    assert i3["variance_share"] == pytest.approx(0.7)
    assert i3["effective_weight"] == pytest.approx(roots[2] / roots.sum())
    assert ia.loc[["I1", "I2", "I3"], "variance_share"].sum() == pytest.approx(1.0)
    assert ia.loc[["I1", "I2", "I3"], "effective_weight"].sum() == pytest.approx(1.0)
    # follow-up: F1 everyone right (no spread: no index), F2 rest scores all 1
    f1, f2 = ia.loc["F1"], ia.loc["F2"]
    assert (f1["n"], f1["facility"], f1["sd"]) == (3, 1.0, 0.0) and np.isnan(f1["discrimination_index"])
    assert f2["facility"] == pytest.approx(2 / 3) and np.isnan(f2["discrimination_index"])


def test_four_answers_are_too_few_to_flag(data):
    ia = item_analysis(data).set_index("item")
    assert (ia["flag"] == "").all()
    assert ia.loc["I1", "note"] == "4 answers; advice needs 20 (16 more)"
    assert ia.loc["F1", "note"] == "3 answers; advice needs 20 (17 more)"


def test_plain_advice_once_there_are_enough_answers():
    questions = pd.DataFrame({"assessment": ["initial"] * 3, "item": ["I1", "I2", "I3"], "text": ["q1", "q2", "q3"],
                              "options": ["a b c", "a b c d", "a b c d"], "guess": [1 / 3, 0.25, 1 / 7]})
    data = make()
    data.questions = questions
    ia = item_analysis(data, Bounds(min_responses=4)).set_index("item")
    assert ia.loc["I1", "flag"] == ("the key may be wrong: the strongest trainees miss it "
                                    "(the most common wrong answer is 'c'); option a is never chosen")
    assert ia.loc["I2", "flag"] == ("tells strong and weak trainees apart poorly (discrimination index 0 %); "
                                    "options b, c are never chosen")
    assert ia.loc["I3", "flag"] == "option d is never chosen"  # answers a,c  a,c  a  b
    assert ia.loc["F2", "flag"] == "" and ia.loc["I1", "note"] == ""
    assert ia.loc["I1", "random_guess"] == pytest.approx(1 / 3)


def test_item_bounds_are_configurable(data):
    ia = item_analysis(data, Bounds(min_responses=3, facility_low=0.6, discrimination_low=0.0, efficiency_low=0.0)).set_index("item")
    assert ia.loc["I2", "flag"] == "very hard for this team: 50 % of the points scored"
    assert ia.loc["F1", "flag"] == "too easy for this team: 100 % of the points scored"


def test_cronbach_alpha_by_hand_and_by_the_covariance_formula(data):
    """Item variances (n − 1) 1/4, 1/3, 11/12 sum to 1.5; Var(T) = 5/3: alpha = 3/2 × (1 − 0.9) = 0.15."""
    st = assessment_statistics(data).set_index("assessment")
    i = st.loc["initial"]
    assert (i["sittings"], i["items"], i["max_points"], i["mean_points"]) == (4, 3, 4.0, 2.5)
    assert i["alpha"] == pytest.approx(0.15)
    scores = np.array([[1, 1, 2], [1, 0, 2], [0, 1, 1], [1, 0, 0]], dtype=float)
    c = np.cov(scores, rowvar=False)  # the reference form: k/(k−1) × (1 − trace(C) / sum(C))
    assert i["alpha"] == pytest.approx(3 / 2 * (1 - np.trace(c) / c.sum()))
    assert i["error_ratio"] == pytest.approx(math.sqrt(0.85))
    assert i["standard_error"] == pytest.approx(math.sqrt(0.85) * math.sqrt(5 / 3))
    assert i["advice"] == "" and i["note"] == "4 complete sittings; advice needs 20 (16 more)"


def test_partial_credit_scores_are_used_as_they_are():
    """With partial credit I3 (2 points) earns fractions: A 2, B 1.5, C 1.3333, D 0.5."""
    initial = {"A": [(1, "b"), (1, "a"), (2, "a,c")], "B": [(1, "b"), (0, "d"), (1.5, "a,c,d")],
               "C": [(0, "c"), (1, "a"), (1.3333, "a")], "D": [(1, "b"), (0, "d"), (0.5, "a,b")], "E": None}
    data = make(sittings={**SITTINGS, "initial": initial})
    i3 = item_analysis(data).set_index("item").loc["I3"]
    x = np.array([2, 1.5, 1.3333, 0.5])
    assert i3["facility"] == pytest.approx(x.mean() / 2) and i3["sd"] == pytest.approx(x.std(ddof=1) / 2)
    assert i3["wrong_answer"] in {"a,c,d", "a", "a,b"}  # partly right answers are not full marks
    scores = np.array([[1, 1, 2], [1, 0, 1.5], [0, 1, 1.3333], [1, 0, 0.5]])
    c = np.cov(scores, rowvar=False)
    alpha = assessment_statistics(data).set_index("assessment").loc["initial", "alpha"]
    assert alpha == pytest.approx(3 / 2 * (1 - np.trace(c) / c.sum()))


def test_alpha_of_a_large_consistent_test_is_read_like_moodle():
    st = assessment_statistics(synthetic(400, 30, seed=3)).set_index("assessment")
    a = st.loc["initial"]
    assert 0.6 < a["alpha"] < 0.95 and a["note"] == ""
    assert a["error_ratio"] == pytest.approx(math.sqrt(1 - a["alpha"]))
    assert "consistency (alpha" in a["advice"] and "points of noise" in a["advice"]


def test_retraining(data):
    r = tables.retraining(data)
    got = list(zip(r["trainee_id"], r["assessment"], r["ref"], r["wrong_items"], r["items"]))
    assert got == [("A", "followup", "lead-classes", 1, "F2"),  # latest result: the follow-up, failed
                   ("D", "initial", "order-intake", 1, "I2"),  # no follow-up: the failed initial counts
                   ("D", "initial", "order-intake.ship", 1, "I2"),
                   ("D", "initial", "lead-classes", 1, "I3")]
    assert r["title"].tolist()[1:3] == ["Order intake", "Order intake: Ship"]
    assert r["section_title"].tolist()[1] == "Order intake"
    assert r["score"].tolist() == [0.5, 0.25, 0.25, 0.25] and r["pass_mark"].tolist()[0] == 80
    # In words too: the question texts (a question the data has no text for keeps its id).
    assert r["questions"].tolist() == ["F2", "I2", "I2", "I3"]
    data.questions = pd.DataFrame({"assessment": ["initial", "followup"], "item": ["I2", "F2"],
                                   "text": ["Who checks the invoice?\nPick one.", "Which class is a warm lead " * 5]})
    said = tables.retraining(data)["questions"].tolist()
    assert said[1:3] == ["Who checks the invoice?"] * 2 and said[3] == "I3"
    assert said[0].endswith("…") and len(said[0]) <= 91 and said[0].startswith("Which class is a warm lead")


def test_pending_open_answers():
    """An ungraded open answer (NaN score) leaves the result open only while it could still decide it."""
    items = {"initial": {"I1": ("sales", "client_work", "lead-classes", "single", 1, "a"),
                         "Q": ("sales", "client_work", "lead-classes", "open", 3, "")}, "followup": {}}
    sittings = {"initial": {"A": [(1, "a"), (np.nan, "text")], "B": [(0, "b"), (np.nan, "text")],
                            "C": [(1, "a"), (3, "text")]}, "followup": {}}
    data = make(items, sittings, set(), {"A": "A", "B": "B", "C": "C"})
    data.assessments.loc[data.assessments["assessment"] == "initial", ["max_points", "pass_mark"]] = (4.0, 80)
    t = tables.trainees(data).set_index("trainee_id")
    assert t["initial_result"].tolist() == ["pending", "fail", "pass"]  # A could reach 4/4, B only 3/4 < 80 %
    assert t["pending_items"].tolist() == [1, 1, 0]
    ia = item_analysis(data).set_index("item")
    assert ia.loc["Q", "n"] == 1 and ia.loc["Q", "wrong_answer"] == ""  # open answers have no "option"
    assert tables.retraining(data)["trainee_id"].tolist() == ["B"]


def test_no_followup_yet():
    data = make({"initial": ITEMS["initial"]}, SITTINGS)
    out = tables.compute_all(data)
    assert list(out) == list(tables.TABLES)
    t = out["trainees"].set_index("trainee_id")
    assert (t["followup_result"] == "").all() and t["followup_score"].isna().all() and t["change"].isna().all()
    assert t.loc["E", "missing"] == "initial"  # an unreleased follow-up is not missing
    assert out["summary"].set_index("assessment").loc["followup", "released"] == False  # noqa: E712
    assert (out["retention_trainees"]["compared"] == 0).all()
    assert out["regulation_items"]["followup_facility"].isna().all()
    assert set(out["item_analysis"]["assessment"]) == {"initial"}
    assert out["topics"]["followup_score"].isna().all()
    assert out["retraining"]["assessment"].eq("initial").all()


def test_an_assessment_nobody_took():
    sittings = {"initial": SITTINGS["initial"], "followup": dict.fromkeys(NAMES)}
    out = tables.compute_all(make(sittings=sittings))
    f = out["item_analysis"][out["item_analysis"]["assessment"] == "followup"]
    assert f["n"].tolist() == [0, 0] and f["note"].tolist() == ["no answers yet"] * 2 and (f["flag"] == "").all()
    assert f["facility"].isna().all() and f["discrimination_index"].isna().all()
    assert (out["trainees"]["followup_result"] == "missing").all()
    s = out["summary"].set_index("assessment").loc["followup"]
    assert (s["submitted"], s["missing"]) == (0, 5) and np.isnan(s["pass_rate"]) and np.isnan(s["mean_score"])


def test_nobody_at_all():
    out = tables.compute_all(make(roster={}))
    assert all(len(out[k]) == 0 for k in tables.TABLES if k not in ("summary", "assessment_statistics"))
    assert out["assessment_statistics"]["note"].tolist() == ["no sittings yet"] * 2
    assert out["summary"]["trainees"].tolist() == [0, 0]


def test_validation_lists_every_problem(data):
    bad = data.results.copy()
    bad["assessment"] = bad["assessment"].astype(str).replace({"followup": "final"})
    bad.loc[0, "score"] = -1
    bad = pd.concat([bad, bad.iloc[[1]]])
    with pytest.raises(UserError) as err:
        validate(ReportData(bad, data.assessments, data.roster.iloc[1:], data.items))
    text = "\n".join(err.value.lines)
    for words in ("unknown assessments final", "repeated (assessment, trainee, item)", "negative scores",
                  "trainees missing from the roster: A"):
        assert words in text
    with pytest.raises(UserError) as err:
        validate(ReportData(data.results, data.assessments.iloc[:1], data.roster, data.items))
    assert err.value.lines == ("assessments: no row (pass mark, points) for followup",)
    with pytest.raises(UserError, match="schema") as err:
        validate(ReportData(data.results.drop(columns=["late"]), data.assessments, data.roster, data.items))
    assert err.value.lines == ("results: missing columns late",)


def test_synthetic_items_behave(data):
    syn = synthetic(400, 20, seed=3)
    validate(syn)
    ia = item_analysis(syn)
    flagged = dict(zip(ia["item"], ia["flag"]))
    assert "the key may be wrong" in flagged["I19"] and "too easy for this team" in flagged["I20"]  # the planted ones
    ok = ia[~ia["item"].isin(["I19", "I20", "F19", "F20"])]
    assert (ok["discrimination_index"] > 0).mean() > 0.9 and (ok["discriminative_efficiency"] > 0).mean() > 0.9
    assert synthetic(50, 10, seed=3).results.equals(synthetic(50, 10, seed=3).results)  # seeded


def test_dense_retention_matrix_per_trainee_and_item(data):
    m = tables.compute_all(data)["retention"].set_index("trainee_id")
    assert list(m.columns) == ["name", "access", "lead-classes"]  # document order; items tested in both only
    assert m.loc["A"].tolist() == ["Анна", "learned", "forgotten"]
    assert m.loc["C", ["access", "lead-classes"]].tolist() == ["learned_later", "learned_later"]
    assert m.loc["D", ["access", "lead-classes"]].tolist() == ["", ""]  # no follow-up: nothing to compare
    detail = retention_detail(data)
    assert list(detail.columns) == ["trainee_id", "ref", "topic", "initial", "followup", "status"]
    assert set(zip(detail["ref"], detail["topic"])) == {("access", "technical"), ("lead-classes", "sales")}


def test_an_item_tested_in_two_topics_gets_a_column_per_topic():
    items = {"initial": {"I1": ("technical", "summary", "access", "single", 1, "b"),
                         "I2": ("sales", "summary", "access", "single", 1, "a")},
             "followup": {"F1": ("technical", "summary", "access", "single", 1, "a"),
                          "F2": ("sales", "summary", "access", "single", 1, "a")}}
    sittings = {"initial": {"A": [(1, "b"), (0, "c")]}, "followup": {"A": [(0, "b"), (1, "a")]}}
    m = tables.compute_all(make(items, sittings, set(), {"A": "Анна"}))["retention"]
    assert m.iloc[0].tolist() == ["A", "Анна", "learned_later", "forgotten"]
    assert list(m.columns)[2:] == ["access/sales", "access/technical"]


def test_review_plan_lists_what_was_wrong_last_time_spaced_by_fsrs(data):
    from fsrs import Card, Rating, Scheduler

    plan = tables.compute_all(data)["review_plan"]
    got = list(zip(plan["trainee_id"], plan["ref"], plan["reason"]))
    assert got == [("A", "lead-classes", "forgotten"),  # right initially, wrong at the follow-up
                   ("B", "order-intake", "missed"), ("B", "order-intake.ship", "missed"),  # only the initial tests it
                   ("D", "order-intake", "missed"), ("D", "order-intake.ship", "missed"), ("D", "lead-classes", "missed")]
    a = plan.iloc[0]
    assert a["last_tested"] == pd.Timestamp("2024-06-15") and a["title"] == "Lead classes"
    # The reference: FSRS itself, Good on the initial's due date, Again on the follow-up's, Good at the review.
    import datetime as dt

    s = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card, _ = s.review_card(Card(), Rating.Good, dt.datetime(2024, 3, 15, 12, tzinfo=dt.timezone.utc))
    card, _ = s.review_card(card, Rating.Again, dt.datetime(2024, 6, 15, 12, tzinfo=dt.timezone.utc))
    then, _ = s.review_card(card, Rating.Good, card.due)
    assert a["review_on"] == pd.Timestamp(card.due.date()) == pd.Timestamp("2024-06-16")
    assert a["then_on"] == pd.Timestamp(then.due.date()) == pd.Timestamp("2024-06-19")
    b = plan.iloc[1]
    assert (b["review_on"], b["then_on"], b["interval_days"]) == (pd.Timestamp("2024-03-16"), pd.Timestamp("2024-03-18"), 1)
    assert "C" not in set(plan["trainee_id"])  # C's latest answers are all right


def test_never_learned_comes_back_sooner_than_forgotten():
    items = {"initial": {"I1": ("technical", "summary", "access", "single", 1, "b"),
                         "I2": ("sales", "client_work", "lead-classes", "single", 1, "a")},
             "followup": {"F1": ("technical", "summary", "access", "single", 1, "a"),
                          "F2": ("sales", "client_work", "lead-classes", "single", 1, "a")}}
    sittings = {"initial": {"A": [(1, "b"), (0, "c")]}, "followup": {"A": [(0, "b"), (0, "b")]}}
    plan = tables.compute_all(make(items, sittings, set(), {"A": "Анна"}))["review_plan"].set_index("ref")
    assert plan.loc["access", "reason"] == "forgotten" and plan.loc["lead-classes", "reason"] == "never_learned"
    assert plan.loc["access", "review_on"] == plan.loc["lead-classes", "review_on"]
    assert plan.loc["lead-classes", "then_on"] < plan.loc["access", "then_on"]
