"""Checks of the working calendar that need more than one field: hours of a day that does not
work, extra working days that already work or are holidays too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..rules.calendar import WEEKDAYS
from .models import Regulation
from .positions import Loc

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def calendar(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Per-weekday hours name workdays; extra working days are days off and not holidays."""
    cal = reg.client_work.contact_timing.calendar
    at = ("client_work", "contact_timing", "calendar")
    for day in cal.hours:
        if day not in cal.workdays:
            yield (*at, "hours", day), (f"'{day}' is not one of the workdays ({', '.join(cal.workdays)}); add it to "
                                        f"'workdays' or remove its hours (for a single working "
                                        f"{WEEKDAY_NAMES[WEEKDAYS.index(day)]}, use 'extra_workdays')")
    seen: set = set()
    for i, date in enumerate(cal.extra_workdays):
        weekday = WEEKDAYS[date.weekday()]
        if date in seen:
            yield (*at, "extra_workdays", i), f"{date.isoformat()} is listed twice"
        elif weekday in cal.workdays:
            yield (*at, "extra_workdays", i), (f"{date.isoformat()} is a {WEEKDAY_NAMES[date.weekday()]}, a workday "
                                               f"already; list here only days off that are worked")
        elif date in cal.holidays:
            yield (*at, "extra_workdays", i), f"{date.isoformat()} is also in 'holidays'; keep it in one of the lists"
        seen.add(date)
