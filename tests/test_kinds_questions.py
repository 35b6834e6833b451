"""The question-type registry: one record per type, and everything else derives from it.

The answer table below is the contract of every type's check: the same verdicts the kernel
check gave before the registry (``runtime/check.py``), and the sealed practice key agrees
with the plain check on every well-formed answer. A new question type adds its rows here.
"""

from __future__ import annotations

import random

import pytest

from crmtrain.runtime.check import is_correct
from crmtrain.kinds.questions import (AUTOGRADED_TYPES, PRACTICE_TYPES, QUESTION_KINDS, QUESTION_TYPES,
                                      QuestionKind, question_kind)
from crmtrain.regulation.models import Question, QuestionType
from crmtrain.runtime import keys
from crmtrain.runtime.inputs import INPUTS, AnswerInput
from crmtrain.i18n import translation

OPTIONS = {"single": ["a", "b", "c"], "multiple": ["a", "b", "c", "d"], "ordering": ["s1", "s2", "s3"]}

# (type, saved answer, key, tolerance, right?)
ANSWERS = [
    ("single", "opt-b", "opt-b", 0, True),
    ("single", "opt-a", "opt-b", 0, False),
    ("single", 1, "opt-b", 0, False),  # a position is not an answer
    ("single", None, "opt-b", 0, False),
    ("multiple", ["b", "a"], ["a", "b"], 0, True),
    ("multiple", ["a"], ["a", "b"], 0, False),
    ("multiple", ["a", "b", "c"], ["a", "b"], 0, False),
    ("multiple", ["a", "a", "b"], ["a", "b"], 0, False),
    ("multiple", "ab", ["a", "b"], 0, False),
    ("multiple", [], ["a"], 0, False),
    ("ordering", ["a", "b"], ["a", "b"], 0, True),
    ("ordering", ("a", "b"), ["a", "b"], 0, True),
    ("ordering", ["b", "a"], ["a", "b"], 0, False),
    ("ordering", ["a"], ["a", "b"], 0, False),
    ("ordering", [1, 2], [1, 2], 0, False),
    ("true_false", True, True, 0, True),
    ("true_false", False, False, 0, True),
    ("true_false", False, True, 0, False),
    ("true_false", "true", True, 0, False),
    ("true_false", 1, True, 0, False),
    ("numeric", 24.4, 24, 0.5, True),
    ("numeric", 24, 24, 0, True),
    ("numeric", 0.30000000000000004, 0.3, 0, True),
    ("numeric", 25, 24, 0.5, False),
    ("numeric", True, 1, 0, False),
    ("numeric", "24", 24, 0, False),
    ("numeric", float("nan"), 24, 0, False),
    ("numeric", float("inf"), 24, 0, False),
]


def test_the_model_enum_is_the_registry():
    assert [t.value for t in QuestionType] == list(QUESTION_TYPES) == list(QUESTION_KINDS)
    assert all(isinstance(k, QuestionKind) and k.name == name for name, k in QUESTION_KINDS.items())


def test_every_type_has_a_widget_and_the_widget_shows_a_given_answer():
    tr = translation("en")
    for name, kind in QUESTION_KINDS.items():
        cls = INPUTS[name]
        assert issubclass(cls, AnswerInput) and cls.__name__ == kind.widget
        options = OPTIONS.get(name, []) if kind.options else []
        spec = {"id": "Q1", "type": name, "options": [{"id": o, "text": o.upper()} for o in options]}
        if kind.practice:
            spec["key"] = keys.seal("Q1", name, ANSWER_OF[name], salt="s", options=options)
        widget = cls(spec, tr, "en", random.Random(1))
        assert widget.stored() != ANSWER_OF[name]  # nothing is chosen for the trainee
        widget.give(ANSWER_OF[name])
        assert widget.stored() == ANSWER_OF[name]


ANSWER_OF = {"single": "b", "multiple": ["a", "c"], "true_false": False, "numeric": 2.5,
             "ordering": ["s2", "s1", "s3"], "open": "My own words."}


def test_the_type_lists_are_derived():
    assert AUTOGRADED_TYPES == tuple(t for t in QUESTION_TYPES if t != "open")
    assert PRACTICE_TYPES == keys.TYPES == AUTOGRADED_TYPES
    assert all(QUESTION_KINDS[t].key in keys.SHAPES for t in PRACTICE_TYPES)
    assert set(ANSWER_OF) == set(QUESTION_TYPES), "every type needs a row in this test's tables"


@pytest.mark.parametrize("qtype, answer, key, tol, right", ANSWERS)
def test_each_type_checks_its_answers(qtype, answer, key, tol, right):
    assert QUESTION_KINDS[qtype].is_correct(answer, key, tol) is right
    assert is_correct(qtype, answer, key, tol) is right  # the kernel check of hidden tests
    assert QUESTION_KINDS[qtype].score(answer, key, 2, tol) == (2.0 if right else 0.0)


def _widget_can_give(qtype, answer):
    """Whether a practice widget can produce this answer at all (no positions, no repeated ticks)."""
    if qtype == "true_false":
        return isinstance(answer, bool)
    if qtype == "numeric":
        return isinstance(answer, (int, float)) and not isinstance(answer, bool) and abs(answer) < float("inf")
    return answer is not None and (isinstance(answer, str) if qtype == "single" else (
        not isinstance(answer, str) and all(isinstance(x, str) for x in answer) and len(set(answer)) == len(answer)))


@pytest.mark.parametrize("qtype, answer, key, tol, right", [row for row in ANSWERS if _widget_can_give(row[0], row[1])])
def test_the_sealed_practice_key_agrees_with_the_check(qtype, answer, key, tol, right):
    ids = sorted({*key, *answer}) if qtype in ("multiple", "ordering") else []
    sealed = keys.seal("Q7", qtype, key, tolerance=tol, salt="salt", options=ids)
    assert keys.verify(sealed, "Q7", qtype, answer).correct is right


def test_open_answers_are_graded_by_hand():
    kind = question_kind("open")
    assert not kind.autograded and not kind.practice and kind.check is None
    assert kind.is_correct(None, None) is False
    with pytest.raises(ValueError, match="'open' is not autograded"):
        kind.is_correct("text", None)
    with pytest.raises(ValueError, match="unknown question type 'essay'; known: single, multiple"):
        question_kind("essay")


@pytest.mark.parametrize("qtype, answer, key", [
    ("single", "a", "a"), ("multiple", ("a", "b"), ["a", "b"]), ("multiple", "a", ["a"]),
    ("ordering", ("s2", "s1"), ["s2", "s1"]), ("true_false", True, True), ("numeric", 2.5, 2.5)])
def test_the_regulation_answer_becomes_the_stored_key(qtype, answer, key):
    options = [{"id": i, "text": i} for i in ("a", "b", "s1", "s2")] if QUESTION_KINDS[qtype].options else []
    q = Question(id="Q1", refs=["x"], topic="sales", type=qtype, text="?", options=options, answer=answer)
    assert q.kind is QUESTION_KINDS[qtype] and q.key == key


@pytest.mark.parametrize("qtype", AUTOGRADED_TYPES)
def test_simulated_wrong_answers_are_wrong(qtype):
    kind, rng = QUESTION_KINDS[qtype], random.Random(3)
    key = ANSWER_OF[qtype]
    for _ in range(20):
        assert not kind.is_correct(kind.wrong(key, OPTIONS.get(qtype, []), 0.5, rng), key, 0.5)


@pytest.mark.parametrize("key", [["a"], ["a", "b", "c", "d"], ["b", "d"]])
def test_a_simulated_wrong_multiple_choice_answer_is_wrong_whatever_the_key(key):
    kind, rng = QUESTION_KINDS["multiple"], random.Random(7)
    for _ in range(50):
        assert not kind.is_correct(kind.wrong(key, OPTIONS["multiple"], 0.0, rng), key, 0.0)


# Partial credit (docs/measurement.md): the share of the points a saved answer earns.
# Multiple choice: (right options ticked - wrong options ticked) / right options, never below 0.
# Ordering: the share of all pairs of options the answer puts in the right relative order.
CREDIT = [
    ("multiple", ["a", "c"], ["a", "c"], 1.0),
    ("multiple", ["c", "a"], ["a", "c"], 1.0),
    ("multiple", ["a"], ["a", "c"], 0.5),
    ("multiple", ["a", "b"], ["a", "c"], 0.0),  # one right, one wrong
    ("multiple", ["a", "c", "d"], ["a", "c"], 0.5),
    ("multiple", ["a", "b", "d"], ["a", "c", "d"], 1 / 3),
    ("multiple", ["b", "d"], ["a", "c"], 0.0),  # never below 0
    ("multiple", ["a", "b", "c", "d"], ["a", "c"], 0.0),  # ticking everything earns nothing
    ("multiple", [], ["a", "c"], 0.0),
    ("multiple", "a", ["a", "c"], 0.0),  # not a list of ids
    ("multiple", ["a", "a", "c"], ["a", "c"], 0.0),  # an option twice: not what the widget saves
    ("ordering", ["s1", "s2", "s3"], ["s1", "s2", "s3"], 1.0),
    ("ordering", ["s2", "s1", "s3"], ["s1", "s2", "s3"], 2 / 3),  # one neighbouring swap
    ("ordering", ["s3", "s1", "s2"], ["s1", "s2", "s3"], 1 / 3),  # the last moved first
    ("ordering", ["s3", "s2", "s1"], ["s1", "s2", "s3"], 0.0),  # reversed
    ("ordering", ["s1", "s2", "s4", "s3"], ["s1", "s2", "s3", "s4"], 5 / 6),
    ("ordering", ["s1", "s2"], ["s1", "s2", "s3"], 0.0),  # not every option
    ("ordering", ["s1", "s1", "s2"], ["s1", "s2", "s3"], 0.0),
    ("ordering", ["s1", "s2", "x"], ["s1", "s2", "s3"], 0.0),
]


@pytest.mark.parametrize("qtype, answer, key, share", CREDIT)
def test_partial_credit_is_the_documented_share(qtype, answer, key, share):
    kind = question_kind(qtype)
    assert kind.credit(answer, key, 0.0) == pytest.approx(share)
    assert kind.score(answer, key, 3, partial=True) == round(3 * share, 4)
    assert kind.score(answer, key, 3) == (3.0 if share == 1.0 else 0.0)  # without it: all or nothing


@pytest.mark.parametrize("qtype, answer, key, tol, right", ANSWERS)
def test_partial_credit_never_changes_a_right_answer_or_an_all_or_nothing_type(qtype, answer, key, tol, right):
    kind = question_kind(qtype)
    if not kind.autograded:
        return
    earned = kind.score(answer, key, 2, tol, partial=True)
    if right:
        assert earned == 2.0
    elif kind.credit is None:
        assert earned == 0.0
    else:
        assert 0.0 <= earned < 2.0


def test_only_choice_types_with_parts_give_partial_credit():
    assert [k.name for k in QUESTION_KINDS.values() if k.credit is not None] == ["multiple", "ordering"]


def test_every_type_has_an_answer_shape_that_readers_map_back_to_a_type():
    # Other formats key their tables by shape; a reader turns a shape into the type a crmtrain export
    # named (when it has that shape), else the first registered type of the shape.
    from crmtrain.kinds.questions import SHAPES, of_shape

    assert {k.shape for k in QUESTION_KINDS.values()} <= set(SHAPES)
    for kind in QUESTION_KINDS.values():
        assert of_shape(kind.shape, kind.name) is kind
        assert of_shape(kind.shape).shape == kind.shape
        assert kind.form == {"options": "set", "order": "sequence", "text": "text"}.get(kind.shape, "value")
    assert of_shape("option", "open").name == "single"  # a named type of another shape is not taken
    assert of_shape("a shape nobody has") is None
    assert len({a.casefold() for k in QUESTION_KINDS.values() for a in (k.name, *k.aliases)}) == \
        sum(1 + len(k.aliases) for k in QUESTION_KINDS.values())  # a spreadsheet's word names one type
