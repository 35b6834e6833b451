"""Random responses to the choice types, for the random guess score under partial credit.

Moodle's random guess score is the expected score of a random response
(``shared/domain/item-statistics.md``). Moodle itself computes it for single choice and
true/false only; with partial credit a multiple-choice or ordering question earns part of the
points from a guess too, so crmtrain says what a random response is (docs/measurement.md):

* multiple choice: every non-empty set of ticked options equally likely (an empty answer is
  no answer), the same model as the all-or-nothing 1/(2^k - 1);
* ordering: every order of the options equally likely, as the all-or-nothing 1/k!.

The score is exact: the responses are enumerated and scored by the question type's own rule
while there are at most :data:`ENUMERATED` of them; beyond that the closed form below is used,
which the tests show equal to the enumeration. Standard library only (kernels import kinds/).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, permutations

# 7! orderings or 2^12 - 1 sets: scored one by one in well under a second.
ENUMERATED = 5040


@dataclass(frozen=True)
class Responses:
    """A random response model: every response it lists is equally likely."""

    name: str
    count: Callable[[int], int]  # how many responses there are to k options
    each: Callable[[Sequence[str]], Iterator[list[str]]]  # every response to these option ids
    closed: Callable[[int, int], float]  # (options, right options) -> the expected share, without enumerating


def _subsets(ids: Sequence[str]) -> Iterator[list[str]]:
    for size in range(1, len(ids) + 1):
        for chosen in combinations(ids, size):
            yield list(chosen)


def _orders(ids: Sequence[str]) -> Iterator[list[str]]:
    for order in permutations(ids):
        yield list(order)


def _multiple_closed(k: int, right: int) -> float:
    """Mean of max(0, (r - w) / right) over the non-empty sets: r right and w wrong options ticked."""
    if k == 0 or right == 0:
        return 0.0
    wrong = k - right
    total = sum(math.comb(right, r) * math.comb(wrong, w) * Fraction(r - w, right)
                for r in range(right + 1) for w in range(min(r, wrong + 1)))  # w < r: the share is positive
    return float(total / (2 ** k - 1))


def _ordering_closed(k: int, right: int) -> float:
    """Each pair stands in the right order in exactly half of all orders, so the mean share is 1/2."""
    return 0.0 if k == 0 else 1.0 if k == 1 else 0.5


SUBSETS = Responses("every non-empty set of options", lambda k: 2 ** k - 1, _subsets, _multiple_closed)
ORDERS = Responses("every order of the options", math.factorial, _orders, _ordering_closed)


def enumerated(model: Responses, ids: Sequence[str], share: Callable[[list[str]], float]) -> float:
    """The mean share over every response of the model (exact up to float rounding)."""
    shares = [share(r) for r in model.each(ids)]
    return math.fsum(shares) / len(shares) if shares else 0.0


def expected_share(model: Responses, ids: Sequence[str], right: int, share: Callable[[list[str]], float]) -> float:
    """The expected share of the points from a random response: enumerated when few, else closed form."""
    if model.count(len(ids)) <= ENUMERATED:
        return enumerated(model, ids, share)
    return model.closed(len(ids), right)
