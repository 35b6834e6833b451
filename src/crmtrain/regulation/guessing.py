"""The random guess score of a question: the expected share of its points from a uniform guess.

Moodle's definitions, one per question type (``QuestionKind.guess`` in
``crmtrain.kinds.questions``): 1/k for a single choice among k options, 1/2 for true/false,
1/k! for an ordering of k items scored all-or-nothing, 0 for numeric and open answers. A
multiple choice scored all-or-nothing is guessed right by one of its 2^k − 1 non-empty
subsets. Above about 40 % the question is too easy to guess.
"""

from __future__ import annotations

from .models import Question


def random_guess(question: Question) -> float:
    """The expected score share (0..1) of guessing ``question`` uniformly at random."""
    return question.kind.guess(len(question.options))
