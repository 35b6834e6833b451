"""Lead classification decision table: classify, find gaps and shadowed rules, draw random leads.

Works on the JSON dump of ``LeadClassification``; :mod:`.conditions` parses its cells. A
number criterion's conditions cut the number line at finitely many boundaries, so every rule
gives the same answer everywhere in one piece (a boundary point or an open interval between
two boundaries). Enumerating one representative per piece and taking the Cartesian product is
therefore an exact check.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
from dataclasses import dataclass

from ..i18n import _
from .conditions import Condition, parse_condition, plain_number

# Exhaustive checks enumerate the product of all pieces; stop before that takes minutes.
MAX_CELLS = 200_000


def _criteria(table: dict) -> dict[str, dict]:
    return {c["name"]: c for c in table.get("criteria", ())}


def _parse_rule(criteria: dict[str, dict], rule: dict) -> list[tuple[str, Condition]]:
    parsed = []
    for name, condition in (rule.get("when") or {}).items():
        if name not in criteria:
            raise ValueError(_("unknown criterion {name}; the table has {criteria}").format(
                name=repr(name), criteria=", ".join(criteria)))
        parsed.append((name, parse_condition(criteria[name], condition)))
    return parsed


def matches(table: dict, rule: dict, lead: dict) -> bool:
    """True if every condition of ``rule`` holds for ``lead`` (missing criteria match anything)."""
    return all(cond.test(lead.get(name)) for name, cond in _parse_rule(_criteria(table), rule))


def classify(table: dict, lead: dict) -> dict | None:
    """The first rule (in table order) that matches ``lead``, or None."""
    index = _compiled(_key(table)).first_match(lead)
    return None if index is None else table["rules"][index]


# --- exhaustive enumeration -----------------------------------------------------------------

def _key(table: dict) -> str:
    return json.dumps({k: table.get(k) for k in ("criteria", "rules")}, sort_keys=True, default=str)


@dataclass(frozen=True)
class _Piece:
    """A boundary point (low == high) or an open interval (low, high); None = unbounded."""

    low: float | None
    high: float | None
    point: bool

    def representative(self):
        if self.point:
            return plain_number(self.low)
        if self.low is None and self.high is None:
            return 0
        if self.low is None:
            return plain_number(self.high - max(abs(self.high) / 2, 1))
        if self.high is None:
            return plain_number(self.low + max(abs(self.low), 1))
        if float(self.low).is_integer() and float(self.high).is_integer() and self.high - self.low >= 2:
            return int((self.low + self.high) // 2)
        return plain_number((self.low + self.high) / 2)


def _pieces(criterion: dict, conditions: list[Condition]) -> list:
    if criterion["type"] == "bool":
        return [True, False]
    if criterion["type"] == "choice":
        return list(criterion["values"])
    lo, hi = criterion.get("min"), criterion.get("max")
    points = {b for c in conditions for b in c.boundaries()} | {b for b in (lo, hi) if b is not None}
    points = sorted(p for p in points if (lo is None or p >= lo) and (hi is None or p <= hi))
    if not points:
        return [_Piece(None, None, False)]
    pieces = [] if lo is not None else [_Piece(None, points[0], False)]
    for a, b in zip(points, points[1:]):
        pieces += [_Piece(a, a, True), _Piece(a, b, False)]
    pieces.append(_Piece(points[-1], points[-1], True))
    if hi is None:
        pieces.append(_Piece(points[-1], None, False))
    return pieces


class _Compiled:
    def __init__(self, table: dict):
        criteria = _criteria(table)
        self.rules = [_parse_rule(criteria, r) for r in table.get("rules", ())]
        by_name: dict[str, list[Condition]] = {name: [] for name in criteria}
        for parsed in self.rules:
            for name, cond in parsed:
                by_name[name].append(cond)
        self.names = list(criteria)
        self.pieces = [_pieces(criteria[n], by_name[n]) for n in self.names]
        size = math.prod(len(p) for p in self.pieces)
        if size > MAX_CELLS:
            raise ValueError(_("the table distinguishes {size} combinations of inputs, more than {max} can be "
                               "checked; use fewer criteria or thresholds").format(size=size, max=MAX_CELLS))
        self.cells = [dict(zip(self.names, (p.representative() if isinstance(p, _Piece) else p
                                            for p in combo)))
                      for combo in itertools.product(*self.pieces)]
        self.combos = list(itertools.product(*(range(len(p)) for p in self.pieces)))
        self.winners = [self.first_match(cell) for cell in self.cells]

    def first_match(self, lead: dict) -> int | None:
        for index, parsed in enumerate(self.rules):
            if all(cond.test(lead.get(name)) for name, cond in parsed):
                return index
        return None


@functools.lru_cache(maxsize=32)
def _compiled(key: str) -> _Compiled:
    return _Compiled(json.loads(key))


def cells(table: dict) -> list[dict]:
    """One representative lead per region the table distinguishes (Cartesian product)."""
    return [dict(c) for c in _compiled(_key(table)).cells]


def gaps(table: dict) -> list[dict]:
    """Representative leads that no rule matches."""
    compiled = _compiled(_key(table))
    return [dict(c) for c, w in zip(compiled.cells, compiled.winners) if w is None]


def shadowed(table: dict) -> list[str]:
    """Ids of rules that are never the first match for any lead."""
    winners = set(_compiled(_key(table)).winners)
    return [r["id"] for i, r in enumerate(table.get("rules", ())) if i not in winners]


# --- drills ---------------------------------------------------------------------------------

def _inside(piece: _Piece, rng: random.Random):
    if piece.point:
        return plain_number(piece.low)
    low, high = piece.low, piece.high
    if low is None and high is None:
        return rng.randint(0, 100)
    if low is None:
        low = high - max(abs(high), 10)
    if high is None:
        high = low + max(abs(low), 10)
    if float(low).is_integer() and float(high).is_integer() and high - low >= 2:
        low, high = int(low), int(high)
        roll = rng.random()
        # Values just inside a boundary are where trainees slip, so favour them.
        if roll < 0.3 and piece.low is not None:
            return low + 1
        if roll < 0.6 and piece.high is not None:
            return high - 1
        # Round to a grain matching the interval's size: 340 000 reads better than 337 412.
        grain = 10 ** int(math.log10((high - low) / 10)) if high - low >= 10 else 1
        first, last = low // grain + 1, -(-high // grain) - 1
        return rng.randint(first, last) * grain if first <= last else rng.randint(low + 1, high - 1)
    value = round(low + (high - low) * rng.uniform(0.05, 0.95), 2)
    return plain_number(value if low < value < high else (low + high) / 2)


def random_lead(table: dict, rng: random.Random) -> dict:
    """A random lead biased to boundaries, picking a rule first so every reachable rule is drilled."""
    compiled = _compiled(_key(table))
    by_rule: dict[int | None, list[int]] = {}
    for i, w in enumerate(compiled.winners):
        by_rule.setdefault(w, []).append(i)
    reachable = [w for w in range(len(compiled.rules)) if w in by_rule]
    # Now and then an arbitrary cell, so gaps (if any) and odd corners show up too.
    if not reachable or rng.random() < 0.15:
        cell = rng.randrange(len(compiled.cells))
    else:
        cell = rng.choice(by_rule[rng.choice(reachable)])
    lead = {}
    for name, pieces, index in zip(compiled.names, compiled.pieces, compiled.combos[cell]):
        piece = pieces[index]
        lead[name] = _inside(piece, rng) if isinstance(piece, _Piece) else piece
    return lead
