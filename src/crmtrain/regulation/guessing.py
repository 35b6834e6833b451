"""The random guess score of a question: the expected share of its points from a uniform guess.

Moodle's definitions: 1/k for a single choice among k options, 1/2 for true/false, 1/k! for
an ordering of k items scored all-or-nothing, 0 for numeric and open answers. A multiple
choice scored all-or-nothing is guessed right by one of its 2^k − 1 non-empty subsets.
Above about 40 % the question is too easy to guess.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .models import Question


def _single(q: Question) -> float:
    return 1 / len(q.options) if q.options else 0.0


def _multiple(q: Question) -> float:
    return 1 / (2 ** len(q.options) - 1) if q.options else 0.0


def _ordering(q: Question) -> float:
    return 1 / math.factorial(len(q.options)) if q.options else 0.0


GUESS: dict[str, Callable[[Question], float]] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": lambda q: 0.5,
    "ordering": _ordering,
    "numeric": lambda q: 0.0,
    "open": lambda q: 0.0,
}


def random_guess(question: Question) -> float:
    """The expected score share (0..1) of guessing ``question`` uniformly at random."""
    return GUESS[question.type.value](question)
