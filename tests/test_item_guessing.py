"""The random guess score of every question type, on the sample's own questions (Moodle's definitions)."""

from __future__ import annotations

import math

import pytest

from crmtrain.kinds.questions import QUESTION_KINDS, question_kind
from crmtrain.regulation.loader import load
from crmtrain.regulation.models import QuestionType
from crmtrain.samples import sample_path


def random_guess(q) -> float:
    """What item analysis shows for a question: its kind's guess score for its number of options."""
    return question_kind(q.type).guess(len(q.options))


def test_every_question_type_has_a_guess_score():
    assert set(QUESTION_KINDS) == {t.value for t in QuestionType}


@pytest.fixture(scope="module")
def questions():
    return load(sample_path("en")).questions


@pytest.mark.parametrize("qtype, expected", [
    ("single", lambda k: 1 / k), ("multiple", lambda k: 1 / (2 ** k - 1)), ("true_false", lambda k: 0.5),
    ("ordering", lambda k: 1 / math.factorial(k)), ("numeric", lambda k: 0.0), ("open", lambda k: 0.0)])
def test_guess_score_by_type(questions, qtype, expected):
    assert qtype in {t.value for t in QuestionType}
    mine = [q for q in questions if q.type.value == qtype]
    assert mine, f"the sample has a {qtype} question"
    for q in mine:
        assert random_guess(q) == pytest.approx(expected(len(q.options)))


# --- with partial credit: a guess earns part of the points too ---------------------------------


def ids(k: int) -> list[str]:
    return [chr(ord("a") + i) for i in range(k)]


@pytest.mark.parametrize("qtype, options, key, expected", [
    # 3 options, 1 right: of the 7 non-empty sets only {a} earns anything (a wrong tick cancels the right one).
    ("multiple", 3, ["a"], 1 / 7),
    # 3 options, 2 right: {a} and {b} earn 1/2, {a,b} 1, {a,b,c} (2-1)/2 = 1/2; the other three 0: 2.5 / 7.
    ("multiple", 3, ["a", "b"], 5 / 14),
    # 4 options, 2 right: {a,b} 1; {a}, {b}, {a,b,c}, {a,b,d} 1/2 each; the other ten 0: 3 / 15.
    ("multiple", 4, ["a", "b"], 1 / 5),
    # 4 options, all right: 1, 2, 3 or 4 right ticks of 4: (4*1 + 6*2 + 4*3 + 4) / 4 / 15.
    ("multiple", 4, ["a", "b", "c", "d"], 8 / 15),
    # An ordering of 3: the 6 orders keep 3, 2, 2, 1, 1, 0 of the 3 pairs: 9 / 18.
    ("ordering", 3, ["a", "b", "c"], 1 / 2),
    # An ordering of 4: 0..6 pairs out of order in 1, 3, 5, 6, 5, 3, 1 of the 24 orders: mean 3 of 6.
    ("ordering", 4, ["d", "b", "a", "c"], 1 / 2),
    ("ordering", 2, ["b", "a"], 1 / 2),
])
def test_partial_credit_raises_the_guess_score_to_the_hand_computed_value(qtype, options, key, expected):
    kind = question_kind(qtype)
    assert kind.guess_score(ids(options), key, partial=True) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("qtype, options, key", [("multiple", 4, ["a", "b"]), ("ordering", 4, list("abcd"))])
def test_without_partial_credit_the_guess_score_stays_all_or_nothing(qtype, options, key):
    kind = question_kind(qtype)
    assert kind.guess_score(ids(options), key, partial=False) == kind.guess(options)
    assert kind.guess_score(ids(options), key, partial=True) > kind.guess(options)


@pytest.mark.parametrize("qtype", ["single", "true_false", "numeric", "open"])
def test_types_without_partial_credit_guess_the_same_either_way(qtype):
    kind = question_kind(qtype)
    assert kind.guess_score(ids(3), "a", partial=True) == kind.guess_score(ids(3), "a") == kind.guess(3)


def test_the_all_or_nothing_scores_are_the_same_random_response_model():
    """Scored all or nothing, the enumerated responses give Moodle's 1/(2^k - 1) and 1/k!."""
    from crmtrain.kinds.guessing import ORDERS, SUBSETS, enumerated

    for k in range(1, 6):
        key = ids(k)[: max(1, k // 2)]
        assert enumerated(SUBSETS, ids(k), lambda r: float(sorted(r) == key)) == pytest.approx(question_kind("multiple").guess(k))
        assert enumerated(ORDERS, ids(k), lambda r: float(r == ids(k))) == pytest.approx(question_kind("ordering").guess(k))


@pytest.mark.parametrize("k", range(1, 8))
def test_the_closed_forms_equal_the_enumeration(k):
    """Beyond ENUMERATED responses the closed form is used: it must give what scoring every response gives."""
    from crmtrain.kinds.guessing import ORDERS, SUBSETS, enumerated

    multiple, ordering = question_kind("multiple"), question_kind("ordering")
    for right in range(1, k + 1):
        key = ids(k)[:right]
        share = lambda r: 1.0 if multiple.is_correct(r, key) else multiple.credit(r, key, 0.0)
        assert SUBSETS.closed(k, right) == pytest.approx(enumerated(SUBSETS, ids(k), share), abs=1e-12)
    if k <= 6:
        key = ids(k)[::-1]
        share = lambda r: 1.0 if ordering.is_correct(r, key) else ordering.credit(r, key, 0.0)
        assert ORDERS.closed(k, k) == pytest.approx(enumerated(ORDERS, ids(k), share), abs=1e-12)


def test_many_options_use_the_closed_form():
    from crmtrain.kinds.guessing import ENUMERATED, ORDERS, SUBSETS

    assert ORDERS.count(8) > ENUMERATED and SUBSETS.count(13) > ENUMERATED
    assert question_kind("ordering").guess_score(ids(9), ids(9), partial=True) == 0.5
    assert question_kind("multiple").guess_score(ids(13), ids(13)[:3], partial=True) == pytest.approx(SUBSETS.closed(13, 3))


def test_item_analysis_uses_the_assessments_partial_credit(questions):
    """The sample's follow-up gives partial credit and the initial does not: the report's guess score follows."""
    from crmtrain.grading.plumbing.snapshot import Grades, Snapshot
    from crmtrain.grading.scoring.items import Item
    from crmtrain.reports.from_gradebook import build

    reg = load(sample_path("en"))
    assert reg.assessments.followup.partial_credit and not reg.assessments.initial.partial_credit
    by_type = {t: next(q for q in reg.questions if q.type.value == t and q.partial_credit is None) for t in ("multiple", "ordering")}
    items = {a: tuple(Item(q.id, q.topic.value, q.refs, q.type.value, q.points, a, (q.id,)) for q in by_type.values())
             for a in ("initial", "followup")}
    snap = Snapshot(trainees=(), due={"initial": None, "followup": None}, cells=(), submissions=(),
                    grades=Grades(*([()] * 7)))
    guess = build(snap, items, {}, reg).questions.set_index(["assessment", "item"])["guess"]
    for q in by_type.values():
        kind, option_ids = question_kind(q.type), [o.id for o in q.options]
        assert guess[("initial", q.id)] == pytest.approx(kind.guess(len(q.options)))
        assert guess[("followup", q.id)] == pytest.approx(kind.guess_score(option_ids, q.key, partial=True))
        assert guess[("followup", q.id)] > guess[("initial", q.id)]
