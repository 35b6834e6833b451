"""Contact deadlines over a working calendar (working minutes, hours and days).

Works on the JSON dump of ``Calendar`` and ``Deadline``. Datetimes are naive and in the
calendar's local time; ``timezone`` is informational. Working time on a working day is the
half-open interval [opens, closes): an event at exactly closing time waits for the next
opening, but a deadline may fall exactly at closing time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UNITS = ("minutes", "hours", "days")
# Far enough for any real regulation; stops a calendar without working days from looping forever.
HORIZON_DAYS = 3 * 366
DAY = dt.timedelta(days=1)


# Plain nouns get the number put in front; a label may instead be a '{n} ...' template or a
# function of n (for languages with several plural forms).
DEFAULT_LABELS = {"minutes": "working minutes", "hours": "working hours", "days": "working days",
                  "minute": "working minute", "hour": "working hour", "day": "working day"}


@dataclass(frozen=True)
class _Cal:
    workdays: frozenset
    holidays: frozenset
    opens: dt.time
    closes: dt.time


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _moment(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _compile(cal: dict) -> _Cal:
    unknown = [d for d in cal.get("workdays", WEEKDAYS[:5]) if d not in WEEKDAYS]
    if unknown:
        raise ValueError(f"unknown weekday {unknown[0]!r}; use {', '.join(WEEKDAYS)}")
    opens = dt.time.fromisoformat(cal.get("opens", "09:00"))
    closes = dt.time.fromisoformat(cal.get("closes", "18:00"))
    if opens >= closes:
        raise ValueError("'opens' must be earlier than 'closes'")
    return _Cal(workdays=frozenset(WEEKDAYS.index(d) for d in cal.get("workdays", WEEKDAYS[:5])),
                holidays=frozenset(_date(h) for h in cal.get("holidays", ())),
                opens=opens, closes=closes)


def _working(c: _Cal, day: dt.date) -> bool:
    return day.weekday() in c.workdays and day not in c.holidays


def _first_working_day(c: _Cal, day: dt.date) -> dt.date:
    for offset in range(HORIZON_DAYS):
        if _working(c, day + offset * DAY):
            return day + offset * DAY
    raise ValueError(f"no working day in the {HORIZON_DAYS} days from {day.isoformat()}; "
                     "check 'workdays' and 'holidays'")


def is_working_day(cal: dict, date) -> bool:
    """True if ``date`` (a date or 'YYYY-MM-DD') is a workday and not a holiday."""
    return _working(_compile(cal), _date(date))


def is_working_time(cal: dict, moment) -> bool:
    """True if the clock runs at ``moment``: a working day, opens <= time < closes."""
    c, moment = _compile(cal), _moment(moment)
    return _working(c, moment.date()) and c.opens <= moment.time() < c.closes


def next_opening(cal: dict, moment) -> dt.datetime:
    """The earliest opening time (start of a working day) at or after ``moment``."""
    c, moment = _compile(cal), _moment(moment)
    day = moment.date() if moment.time() <= c.opens else moment.date() + DAY
    return dt.datetime.combine(_first_working_day(c, day), c.opens)


def parse_deadline(deadline: dict) -> tuple[str, int]:
    """(unit, amount) of a deadline dict; ValueError unless exactly one positive unit is given."""
    given = [(k, deadline[k]) for k in UNITS if deadline.get(k) is not None]
    extra = [k for k in deadline if k not in UNITS]
    if extra or len(given) != 1:
        raise ValueError("give exactly one of 'minutes', 'hours', 'days'")
    unit, amount = given[0]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"'{unit}' must be a positive whole number, not {amount!r}")
    return unit, amount


def deadline(cal: dict, deadline: dict, event) -> dt.datetime:
    """When a rule's deadline expires for an event at ``event`` (naive local datetime)."""
    c, event = _compile(cal), _moment(event)
    unit, amount = parse_deadline(deadline)
    if unit == "days":
        # Counted from the event's calendar day, whatever the time: the N-th working day after it.
        day = event.date()
        for _ in range(amount):
            day = _first_working_day(c, day + DAY)
        return dt.datetime.combine(day, c.closes)
    remaining = dt.timedelta(minutes=amount * (60 if unit == "hours" else 1))
    if _working(c, event.date()) and c.opens <= event.time() < c.closes:
        start = event
    else:
        start = next_opening(cal, event)
    while True:
        left_today = dt.datetime.combine(start.date(), c.closes) - start
        if remaining <= left_today:
            return start + remaining
        remaining -= left_today
        start = dt.datetime.combine(_first_working_day(c, start.date() + DAY), c.opens)


def describe_deadline(deadline: dict, labels: dict | None = None) -> str:
    """Human text such as '2 working hours' (labels: plain nouns, '{n} ...' templates or functions)."""
    unit, amount = parse_deadline(deadline)
    # Take both forms from the same dict, so a translated plural never meets an English singular.
    source = labels if labels and unit in labels else DEFAULT_LABELS
    label = source[unit[:-1]] if amount == 1 and unit[:-1] in source else source[unit]
    if callable(label):
        return label(amount)
    return label.format(n=amount) if "{n}" in label else f"{amount} {label}"


# --- drills ---------------------------------------------------------------------------------

def _at(day: dt.date, time: dt.time, minutes: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, time) + dt.timedelta(minutes=minutes)


def _minute_between(rng: random.Random, day: dt.date, low: dt.time, high: dt.time) -> dt.datetime:
    start, end = _at(day, low), _at(day, high)
    return start + dt.timedelta(minutes=rng.randrange(max(1, (end - start) // dt.timedelta(minutes=1))))


def random_event(cal: dict, rng: random.Random, start) -> dt.datetime:
    """A random event on or after ``start``, biased to edge cases (holidays may lie up to a year ahead)."""
    c, start = _compile(cal), _date(start)
    first = _first_working_day(c, start)
    span = max(28, (first - start).days + 14)
    days = [start + i * DAY for i in range(span)]
    working = [d for d in days if _working(c, d)]
    off = [d for d in days if d.weekday() not in c.workdays]
    holidays = sorted(h for h in c.holidays if start <= h < start + 366 * DAY)
    # The last working day before any break (a Friday, the eve of a holiday): deadlines jump.
    eves = [d for d in working if not _working(c, d + DAY)]
    eves += [e for h in holidays[:10] if (e := _eve(c, h)) and e >= start and e not in eves]
    before_open = c.opens > dt.time(0, 0)
    after_close = c.closes < dt.time(23, 59)
    scenarios = {
        "before_closing": lambda d: _at(d, c.closes, -rng.randint(1, 30)),
        "at_closing": lambda d: _at(d, c.closes),
        "at_opening": lambda d: _at(d, c.opens),
        "during_hours": lambda d: _minute_between(rng, d, c.opens, c.closes),
    }
    pools = {name: working for name in scenarios}
    if before_open:
        scenarios["before_opening"] = lambda d: max(_at(d, dt.time(0)), _at(d, c.opens, -rng.randint(1, 120)))
        pools["before_opening"] = working
    if after_close:
        scenarios["evening"] = lambda d: _minute_between(rng, d, c.closes, dt.time(23, 59))
        pools["evening"] = working
    if off:
        scenarios["day_off"] = lambda d: _minute_between(rng, d, dt.time(0), dt.time(23, 59))
        pools["day_off"] = off
    if holidays:
        scenarios["holiday"] = lambda d: _minute_between(rng, d, dt.time(8), dt.time(20))
        pools["holiday"] = holidays
    if eves:
        scenarios["eve_of_break"] = lambda d: _at(d, c.closes, -rng.randint(1, 90))
        pools["eve_of_break"] = eves
    name = rng.choice(list(scenarios))
    return scenarios[name](rng.choice(pools[name]))


def _eve(c: _Cal, day: dt.date) -> dt.date | None:
    for back in range(1, 15):
        if _working(c, day - back * DAY):
            return day - back * DAY
    return None
