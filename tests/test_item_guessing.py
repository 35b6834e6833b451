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
