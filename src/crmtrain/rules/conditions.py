"""Conditions of the lead decision table: parse a cell, test a value, say it in words.

A number criterion's cell is a comparison (``>= 500000``), a range (``100000..500000``, lower
bound included) or a number; a choice criterion's cell is one value or a list; a bool's is
yes/no. :func:`describe_condition` renders a cell for readers, in their language's labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..i18n import _

DEFAULT_LABELS = {"yes": "yes", "no": "no", "any": "any", "or": "or",
                  "range": "{low} ≤ x < {high}", "thousands": " ", "decimal": "."}

# Longest operators first, so ">=" is not read as ">" followed by "=5".
_OPERATORS = (">=", "<=", "==", "≥", "≤", ">", "<", "=")
_OP_NAMES = {">=": "ge", "≥": "ge", "<=": "le", "≤": "le", "==": "eq", "=": "eq", ">": "gt", "<": "lt"}
_SYMBOLS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}
_TRUE, _FALSE = ("true", "yes"), ("false", "no")


@dataclass(frozen=True)
class Condition:
    """A parsed cell of the table; ``test`` tells whether a lead's value satisfies it."""

    type: str                      # "number" | "choice" | "bool"
    op: str = ""                   # number: ge, gt, le, lt, eq, range
    low: float | None = None       # number: lower bound (None = unbounded)
    high: float | None = None      # number: upper bound (None = unbounded)
    choices: tuple[str, ...] = ()  # choice: accepted values
    flag: bool | None = None       # bool: the required value

    def test(self, value) -> bool:
        """True if ``value`` satisfies this condition."""
        if self.type == "bool":
            return isinstance(value, bool) and value is self.flag
        if self.type == "choice":
            return isinstance(value, str) and value in self.choices
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.op == "eq":
            return value == self.low
        if self.low is not None and (value < self.low or (value == self.low and self.op == "gt")):
            return False
        if self.high is not None and (value > self.high or (value == self.high and self.op != "le")):
            return False
        return True

    def boundaries(self) -> tuple[float, ...]:
        """The finite endpoints where this condition can change its answer."""
        return tuple(b for b in (self.low, self.high) if b is not None)


class _EmptyRange(ValueError):
    """A readable range with its bounds the wrong way round; keeps its own message."""


def _number(text: str) -> float:
    # Regulations are written by people: allow "500 000" and "500_000".
    cleaned = text.strip()
    for sep in (" ", "_", "\u00a0", "\u202f", "\u2009"):
        cleaned = cleaned.replace(sep, "")
    value = float(cleaned)  # ValueError propagates to the caller's message
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_condition(criterion: dict, condition) -> Condition:
    """Parse one ``when`` cell for ``criterion``; ValueError with a readable message if bad."""
    kind = criterion.get("type")
    if kind == "bool":
        if isinstance(condition, bool):
            return Condition("bool", flag=condition)
        if isinstance(condition, str) and condition.strip().lower() in _TRUE + _FALSE:
            return Condition("bool", flag=condition.strip().lower() in _TRUE)
        raise ValueError(_("{value} is not a yes/no value; use true or false").format(value=repr(condition)))
    if kind == "choice":
        allowed = list(criterion.get("values") or ())
        given = condition if isinstance(condition, (list, tuple)) else [condition]
        if not given:
            raise ValueError(_("an empty list matches nothing; pick from {values}").format(values=", ".join(allowed)))
        values = []
        for v in given:
            # YAML reads a value such as 1 as a number even when the choices are strings.
            text = str(v) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None
            if text not in allowed:
                raise ValueError(_("{value} is not one of {values}").format(value=repr(v), values=", ".join(allowed)))
            values.append(text)
        return Condition("choice", choices=tuple(dict.fromkeys(values)))
    if kind != "number":
        raise ValueError(_("unknown criterion type {type}; expected number, choice or bool").format(type=repr(kind)))
    if isinstance(condition, (int, float)) and not isinstance(condition, bool):
        if not math.isfinite(condition):
            raise ValueError(_("{value} is not a finite number").format(value=repr(condition)))
        return Condition("number", op="eq", low=condition, high=condition)
    hint = _("cannot read {value} as a number condition; use e.g. '>= 100000' or '100000..500000'").format(
        value=repr(condition))
    if not isinstance(condition, str):
        raise ValueError(hint)
    text = condition.strip()
    try:
        if ".." in text:
            low_text, high_text = text.split("..", 1)
            low, high = _number(low_text), _number(high_text)
            if low == high:
                raise _EmptyRange(_("{value} is an empty range (the upper bound is excluded); for exactly {n} "
                                    "write '== {n}'").format(value=repr(condition), n=plain_number(low)))
            if low > high:
                raise _EmptyRange(_("{value} is an empty range; write the lower bound first: '{high}..{low}'").format(
                    value=repr(condition), high=plain_number(high), low=plain_number(low)))
            return Condition("number", op="range", low=low, high=high)
        for symbol in _OPERATORS:
            if text.startswith(symbol):
                op, value = _OP_NAMES[symbol], _number(text[len(symbol):])
                low = value if op in ("ge", "gt", "eq") else None
                high = value if op in ("le", "lt", "eq") else None
                return Condition("number", op=op, low=low, high=high)
        value = _number(text)
        return Condition("number", op="eq", low=value, high=value)
    except _EmptyRange:
        raise
    except ValueError:
        raise ValueError(hint) from None


def plain_number(x: float):
    """``x`` as an int when it is whole: JSON gives min/max as floats (0.0)."""
    return int(x) if float(x).is_integer() else x


def format_number(x: float, labels: dict | None = None) -> str:
    """``x`` with grouped thousands, e.g. 500000 -> '500 000'."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    x = plain_number(x)
    if isinstance(x, int):
        return f"{x:,}".replace(",", labels["thousands"])
    whole, _point, frac = f"{x:,.10f}".rstrip("0").partition(".")
    return whole.replace(",", labels["thousands"]) + (labels["decimal"] + frac if frac else "")


def describe_condition(criterion: dict, condition, labels: dict | None = None) -> str:
    """Short human rendering of a cell: '≥ 500 000', 'website or partner', 'yes'; None -> 'any'."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    if condition is None:
        return labels["any"]
    cond = condition if isinstance(condition, Condition) else parse_condition(criterion, condition)
    if cond.type == "bool":
        return labels["yes"] if cond.flag else labels["no"]
    if cond.type == "choice":
        names = [criterion.get("value_labels", {}).get(v, v) for v in cond.choices]
        if len(names) == 1:
            return names[0]
        return f"{', '.join(names[:-1])} {labels['or']} {names[-1]}"
    if cond.op == "range":
        return labels["range"].format(low=format_number(cond.low, labels),
                                      high=format_number(cond.high, labels))
    value = cond.low if cond.low is not None else cond.high
    return f"{_SYMBOLS[cond.op]} {format_number(value, labels)}"
