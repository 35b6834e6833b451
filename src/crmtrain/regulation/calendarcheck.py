"""Checks of the working calendar that need more than one field: hours of a day that does not
work, extra working days that already work or are holidays too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import N_, _
from ..rules.calendar import WEEKDAYS
from .models import Regulation
from .positions import Loc

WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
                 N_("Sunday"))


def calendar(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Per-weekday hours name workdays; extra working days are days off and not holidays."""
    cal = reg.client_work.contact_timing.calendar
    at = ("client_work", "contact_timing", "calendar")
    for day in cal.hours:
        if day not in cal.workdays:
            yield (*at, "hours", day), _(
                "'{day}' is not one of the workdays ({workdays}); add it to 'workdays' or remove its hours (for a "
                "single working {weekday}, use 'extra_workdays')").format(
                    day=day, workdays=", ".join(cal.workdays), weekday=_(WEEKDAY_NAMES[WEEKDAYS.index(day)]))
    seen: set = set()
    for i, date in enumerate(cal.extra_workdays):
        weekday = WEEKDAYS[date.weekday()]
        if date in seen:
            yield (*at, "extra_workdays", i), _("{date} is listed twice").format(date=date.isoformat())
        elif weekday in cal.workdays:
            yield (*at, "extra_workdays", i), _(
                "{date} is a {weekday}, a workday already; list here only days off that are worked").format(
                    date=date.isoformat(), weekday=_(WEEKDAY_NAMES[date.weekday()]))
        elif date in cal.holidays:
            yield (*at, "extra_workdays", i), _("{date} is also in 'holidays'; keep it in one of the lists").format(
                date=date.isoformat())
        seen.add(date)
