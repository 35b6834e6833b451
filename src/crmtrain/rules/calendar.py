"""Contact deadlines over a working calendar (working or calendar minutes, hours and days).

Works on the JSON dump of ``Calendar`` and ``Deadline``. Datetimes are naive and in the
calendar's local time; ``timezone`` is informational. Working time on a working day is the
half-open interval [opens, closes) of that day (``hours`` may give a weekday hours of its
own): an event at exactly closing time waits for the next opening, but a deadline may fall
exactly at closing time. ``extra_workdays`` are dates that work although their weekday does
not (a Saturday made a working day); ``holidays`` are dates that do not although it does.
Calendar units ignore the calendar: the clock runs day and night, every day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ..i18n import _

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKING_UNITS = ("minutes", "hours", "days")
CALENDAR_UNITS = ("calendar_hours", "calendar_days")
UNITS = WORKING_UNITS + CALENDAR_UNITS
# Far enough for any real regulation; stops a calendar without working days from looping forever.
HORIZON_DAYS = 3 * 366
DAY = dt.timedelta(days=1)
END_OF_DAY = dt.time(23, 59)  # a calendar-day deadline: the last minute of its day


# Plain nouns get the number put in front; a label may instead be a '{n} ...' template or a
# function of n (for languages with several plural forms).
DEFAULT_LABELS = {"minutes": "working minutes", "hours": "working hours", "days": "working days",
                  "minute": "working minute", "hour": "working hour", "day": "working day",
                  "calendar_hours": "hours", "calendar_hour": "hour",
                  "calendar_days": "calendar days", "calendar_day": "calendar day"}


@dataclass(frozen=True)
class _Cal:
    workdays: frozenset
    holidays: frozenset
    extra: frozenset
    hours: tuple  # (opens, closes) per weekday, Monday first

    def span(self, day: dt.date) -> tuple[dt.time, dt.time]:
        """The working hours of ``day`` (meaningful on working days only)."""
        return self.hours[day.weekday()]


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _moment(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _span(opens: str, closes: str, what: str) -> tuple[dt.time, dt.time]:
    low, high = dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)
    if low >= high:
        raise ValueError(what + _("'opens' must be earlier than 'closes'"))
    return low, high


def _compile(cal: dict) -> _Cal:
    workdays = cal.get("workdays", WEEKDAYS[:5])
    own = cal.get("hours") or {}
    unknown = [d for d in (*workdays, *own) if d not in WEEKDAYS]
    if unknown:
        raise ValueError(_("unknown weekday {day}; use {days}").format(day=repr(unknown[0]), days=", ".join(WEEKDAYS)))
    usual = _span(cal.get("opens", "09:00"), cal.get("closes", "18:00"), "")
    hours = tuple(_span(own[d].get("opens", "09:00"), own[d].get("closes", "18:00"), f"{d}: ") if d in own else usual
                  for d in WEEKDAYS)
    return _Cal(workdays=frozenset(WEEKDAYS.index(d) for d in workdays),
                holidays=frozenset(_date(h) for h in cal.get("holidays", ())),
                extra=frozenset(_date(d) for d in cal.get("extra_workdays", ())), hours=hours)


def _working(c: _Cal, day: dt.date) -> bool:
    return (day.weekday() in c.workdays or day in c.extra) and day not in c.holidays


def _first_working_day(c: _Cal, day: dt.date) -> dt.date:
    for offset in range(HORIZON_DAYS):
        if _working(c, day + offset * DAY):
            return day + offset * DAY
    raise ValueError(_("no working day in the {n} days from {date}; check 'workdays' and 'holidays'").format(
        n=HORIZON_DAYS, date=day.isoformat()))


def is_working_day(cal: dict, date) -> bool:
    """True if ``date`` (a date or 'YYYY-MM-DD') works: a workday or an extra one, not a holiday."""
    return _working(_compile(cal), _date(date))


def working_hours(cal: dict, date) -> tuple[dt.time, dt.time] | None:
    """(opens, closes) of ``date``, None on a day off."""
    c, day = _compile(cal), _date(date)
    return c.span(day) if _working(c, day) else None


def is_working_time(cal: dict, moment) -> bool:
    """True if the clock runs at ``moment``: a working day, opens <= time < closes."""
    c, moment = _compile(cal), _moment(moment)
    return _running(c, moment)


def _running(c: _Cal, moment: dt.datetime) -> bool:
    opens, closes = c.span(moment.date())
    return _working(c, moment.date()) and opens <= moment.time() < closes


def _next_opening(c: _Cal, moment: dt.datetime) -> dt.datetime:
    today = moment.date()
    if _working(c, today) and moment.time() <= c.span(today)[0]:
        return dt.datetime.combine(today, c.span(today)[0])
    day = _first_working_day(c, today + DAY)
    return dt.datetime.combine(day, c.span(day)[0])


def next_opening(cal: dict, moment) -> dt.datetime:
    """The earliest opening time (start of a working day) at or after ``moment``."""
    return _next_opening(_compile(cal), _moment(moment))


def parse_deadline(deadline: dict) -> tuple[str, int]:
    """(unit, amount) of a deadline dict; ValueError unless exactly one positive unit is given."""
    given = [(k, deadline[k]) for k in UNITS if deadline.get(k) is not None]
    extra = [k for k in deadline if k not in UNITS]
    if extra or len(given) != 1:
        raise ValueError(_("give exactly one of {units}").format(units=", ".join(repr(u) for u in UNITS)))
    unit, amount = given[0]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(_("'{unit}' must be a positive whole number, not {amount}").format(unit=unit, amount=repr(amount)))
    return unit, amount


def deadline(cal: dict, deadline: dict, event) -> dt.datetime:
    """When a rule's deadline expires for an event at ``event`` (naive local datetime)."""
    c, event = _compile(cal), _moment(event)
    unit, amount = parse_deadline(deadline)
    if unit == "calendar_hours":
        return event + dt.timedelta(hours=amount)
    if unit == "calendar_days":
        # The end of the N-th day after the event's day, weekends and holidays counted.
        return dt.datetime.combine(event.date() + amount * DAY, END_OF_DAY)
    if unit == "days":
        # Counted from the event's calendar day, whatever the time: the N-th working day after it.
        day = event.date()
        for _step in range(amount):
            day = _first_working_day(c, day + DAY)
        return dt.datetime.combine(day, c.span(day)[1])
    remaining = dt.timedelta(minutes=amount * (60 if unit == "hours" else 1))
    start = event if _running(c, event) else _next_opening(c, event)
    while True:
        left_today = dt.datetime.combine(start.date(), c.span(start.date())[1]) - start
        if remaining <= left_today:
            return start + remaining
        remaining -= left_today
        day = _first_working_day(c, start.date() + DAY)
        start = dt.datetime.combine(day, c.span(day)[0])


def counts_working_time(deadline: dict) -> bool:
    """Whether a deadline stops outside working time (False for calendar hours and days)."""
    return parse_deadline(deadline)[0] in WORKING_UNITS


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
    off = [d for d in days if d.weekday() not in c.workdays and d not in c.extra]
    holidays = sorted(h for h in c.holidays if start <= h < start + 366 * DAY)
    extra = sorted(d for d in c.extra if start <= d < start + 366 * DAY and _working(c, d))
    # The last working day before any break (a Friday, the eve of a holiday): deadlines jump.
    eves = [d for d in working if not _working(c, d + DAY)]
    eves += [e for h in holidays[:10] if (e := _eve(c, h)) and e >= start and e not in eves]
    opens, closes = (lambda d: c.span(d)[0]), (lambda d: c.span(d)[1])
    scenarios = {
        "before_closing": lambda d: _at(d, closes(d), -rng.randint(1, 30)),
        "at_closing": lambda d: _at(d, closes(d)),
        "at_opening": lambda d: _at(d, opens(d)),
        "during_hours": lambda d: _minute_between(rng, d, opens(d), closes(d)),
    }
    pools = {name: working for name in scenarios}
    early = [d for d in working if opens(d) > dt.time(0, 0)]
    late = [d for d in working if closes(d) < END_OF_DAY]
    if early:
        scenarios["before_opening"] = lambda d: max(_at(d, dt.time(0)), _at(d, opens(d), -rng.randint(1, 120)))
        pools["before_opening"] = early
    if late:
        scenarios["evening"] = lambda d: _minute_between(rng, d, closes(d), END_OF_DAY)
        pools["evening"] = late
    if off:
        scenarios["day_off"] = lambda d: _minute_between(rng, d, dt.time(0), END_OF_DAY)
        pools["day_off"] = off
    if holidays:
        scenarios["holiday"] = lambda d: _minute_between(rng, d, dt.time(8), dt.time(20))
        pools["holiday"] = holidays
    if eves:
        scenarios["eve_of_break"] = lambda d: _at(d, closes(d), -rng.randint(1, 90))
        pools["eve_of_break"] = eves
    if extra:  # a working Saturday: trainees forget that the clock runs then
        scenarios["extra_workday"] = lambda d: _minute_between(rng, d, opens(d), closes(d))
        pools["extra_workday"] = extra
    name = rng.choice(list(scenarios))
    return scenarios[name](rng.choice(pools[name]))


def _eve(c: _Cal, day: dt.date) -> dt.date | None:
    for back in range(1, 15):
        if _working(c, day - back * DAY):
            return day - back * DAY
    return None
