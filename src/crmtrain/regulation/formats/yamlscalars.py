"""Plain YAML scalars to Python values: the YAML 1.2 core schema, plus dates and timestamps.

``yes``, ``on`` and ``09:00`` stay text (YAML 1.1 would read a boolean and a number). A value
shaped like a date must be a real date: ``2027-02-30`` is an error, reported where it is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ...i18n import N_, _
from ..positions import short

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_STAMP = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
                    r"(?:\.([0-9]*))?(?:[ \t]*(Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?")
# What datetime says of an impossible date, translated where it is shown.
DATE_ERRORS = (N_("day is out of range for month"), N_("month must be in 1..12"), N_("year 0 is out of range"))
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
TAG = "tag:yaml.org,2002:"


def resolve(value: str) -> str:
    """The implicit type of a plain scalar, by the YAML 1.2 core schema (plus timestamps)."""
    if value in _NULLS:
        return "null"
    if value in _BOOLS:
        return "bool"
    first = value[0]
    if first in "+-.0123456789":
        if _INT.fullmatch(value):
            return "int"
        if _FLOAT.fullmatch(value):
            return "float"
        if _DATE.fullmatch(value) or _STAMP.fullmatch(value):
            return "timestamp"
    return "str"


def construct(tag: str, value: str) -> Any:
    if tag == "str":
        return value
    if tag == "null":
        if value not in _NULLS:
            raise ValueError(_("{value} is tagged !!null but is not empty").format(value=short(value)))
        return None
    if tag == "bool":
        if value not in _BOOLS:
            raise ValueError(_("{value} is tagged !!bool but is not true or false").format(value=short(value)))
        return _BOOLS[value]
    if tag == "int":
        try:
            if value.startswith("0o"):
                return int(value[2:], 8)
            return int(value, 16) if value.startswith("0x") else int(value)
        except ValueError:
            raise ValueError(_("{value} is tagged !!int but is not a whole number").format(value=short(value))) from None
    if tag == "float":
        try:
            return float(value.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf").replace(".nan", "nan")
                         .replace(".NaN", "nan").replace(".NAN", "nan"))
        except ValueError:
            raise ValueError(_("{value} is tagged !!float but is not a number").format(value=short(value))) from None
    if tag == "timestamp":
        return _timestamp(value)
    raise ValueError(_("unsupported YAML tag {tag}; remove it").format(tag="!!" + tag))


def _timestamp(value: str) -> dt.date | dt.datetime:
    m = _DATE.fullmatch(value)
    if m:
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError as exc:
            raise ValueError(_("{value} is not a date in the calendar ({error})").format(value=short(value), error=_(str(exc)))) from None
    m = _STAMP.fullmatch(value)
    if not m:
        raise ValueError(_("{value} is not a date like 2027-01-31 or a time stamp like 2027-01-31 09:00:00").format(value=short(value)))
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    try:
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        tz = None
        if zone == "Z":
            tz = dt.timezone.utc
        elif zone:
            sign = -1 if zone[0] == "-" else 1
            hh, _sep, mm = zone[1:].partition(":")
            if not mm and len(hh) > 2:
                hh, mm = hh[:-2], hh[-2:]
            tz = dt.timezone(sign * dt.timedelta(hours=int(hh), minutes=int(mm or 0)))
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz)
    except ValueError as exc:
        raise ValueError(f"{short(value)} is not a real date and time ({exc})") from None
