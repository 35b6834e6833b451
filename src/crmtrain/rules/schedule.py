"""Each trainee's own schedule: when an assessment opens and is due for them, and where they stand.

The one place these dates are computed. ``crmtrain status``, grading (the per-trainee
extension nbgrader applies), ``crmtrain extend``, the reminders, the reports and the trainee's
"My training" panel all call :func:`trainee_schedule` (one trainee) or :func:`course_schedule`
(everyone) and read the :class:`Due` records it returns.

The rules, per assessment (a :class:`Plan`, in the order the assessments are taken):

* It opens for a trainee at the later of its release and the start of the trainee's
  ``start`` day (the day they got CRM access; none: the release). With ``after_days``, it
  opens instead that many days after the trainee's own submission of the assessment before it
  (at the start of that day, never before its release): until that submission it is not open.
* A trainee for whom it opens at its release has the assessment's own due date
  (``Plan.due``: nbgrader's ``Assignment.duedate``, which ``release --due`` may set; none:
  the end of the release day plus ``due_days``). A trainee for whom it opens later is due at
  the end of the day ``due_days`` after their opening day, never before the assessment's own
  date. The specialist's :class:`Move` then shifts it (``crmtrain extend``), never earlier
  than the assessment's own date either.
* ``Due.extension`` is the trainee's due date minus the assessment's own, never negative:
  exactly what nbgrader's ``SubmittedAssignment.extension`` must hold so that its lateness
  (``timestamp - (duedate + extension)``) is lateness against the trainee's own date.

Moments (release, due dates, submissions) are naive UTC datetimes, as nbgrader stores them.
Days (a start, a ``Move.to``, a ``today``) are calendar days in the regulation's time zone
(``timezone``: its calendar's, also the course's): days are counted on that calendar, so a
week across a daylight-saving change is seven local days, and "the end of a day" is 23:59:59
there (as ``crmtrain release --due 2027-03-01`` reads a date).

Standard library only (and crmtrain's gettext markers), and no I/O: the callers gather the facts.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..i18n import N_

DAY_STARTS = dt.time(0, 0)
DAY_ENDS = dt.time(23, 59, 59)  # a due date given as a day is the end of that day
SOON_DAYS = 3  # "due soon": due within this many days (today included)
NO_TIME = dt.timedelta(0)

# A trainee's standing on one assessment, most urgent first (the order status lists them in).
OVERDUE = "overdue"  # open, not submitted, its due date has passed
DUE_SOON = "due_soon"  # open, not submitted, due within SOON_DAYS days
OPEN = "open"  # open, not submitted, due later
WAITING = "waiting"  # not open yet: not released, a later start, or the previous one not submitted
SUBMITTED = "submitted"  # submitted (Due.late says whether after the due date), not graded yet
GRADED = "graded"  # submitted and graded
STATES = (OVERDUE, DUE_SOON, OPEN, WAITING, SUBMITTED, GRADED)
# How status, the reports and the trainee's panel name each standing (msgids, translated where shown).
LABELS = {OVERDUE: N_("overdue"), DUE_SOON: N_("due soon"), OPEN: N_("open"), WAITING: N_("not open yet"),
          SUBMITTED: N_("submitted"), GRADED: N_("graded")}


@dataclass(frozen=True)
class Plan:
    """One assessment: the regulation's settings and what happened to it course-wide."""

    assessment: str
    due_days: int = 7
    after_days: int | None = None  # opens this many days after the trainee's submission of the one before
    released: dt.datetime | None = None  # naive UTC; None: not released yet
    due: dt.datetime | None = None  # naive UTC: its own due date (nbgrader's); None: release day + due_days


@dataclass(frozen=True)
class Move:
    """The specialist moved one trainee's due date: ``days`` later than the schedule says, or ``to`` a day."""

    days: int = 0
    to: dt.date | None = None  # the end of this day; wins over ``days``


@dataclass(frozen=True)
class Trainee:
    """What the schedule needs to know of one trainee."""

    id: str
    start: dt.date | None = None  # the day they got CRM access; None: they started before any release
    submitted: Mapping[str, dt.datetime] = field(default_factory=dict)  # assessment -> naive UTC
    graded: frozenset[str] = frozenset()  # the assessments graded
    moved: Mapping[str, Move] = field(default_factory=dict)  # assessment -> the specialist's move


@dataclass(frozen=True)
class Due:
    """One trainee's schedule of one assessment."""

    trainee: str
    assessment: str
    state: str  # one of STATES
    opens: dt.datetime | None  # naive UTC; None: not known yet (not released, the previous one not submitted)
    due: dt.datetime | None  # naive UTC: the trainee's own due date, any move included; None with opens
    extension: dt.timedelta  # due minus the assessment's own due date, never negative (nbgrader's extension)
    submitted: dt.datetime | None = None  # naive UTC
    moved: bool = False  # the specialist moved this due date

    @property
    def seconds_late(self) -> float:
        """How late the submission was against the trainee's own date, as nbgrader counts it (0 if none)."""
        if self.submitted is None or self.due is None:
            return 0.0
        return max(0.0, (self.submitted - self.due).total_seconds())

    @property
    def late(self) -> bool:
        return self.seconds_late > 0

    @property
    def urgency(self) -> int:
        """Its rank in :data:`STATES`: 0 for overdue, most urgent first."""
        return STATES.index(self.state)


def trainee_schedule(plans: Sequence[Plan], trainee: Trainee, today: dt.date | dt.datetime,
                     timezone: str = "UTC", *, soon_days: int = SOON_DAYS) -> tuple[Due, ...]:
    """The trainee's :class:`Due` of every assessment in ``plans`` (taken in that order).

    ``today`` is a calendar day of ``timezone`` (a due date is overdue the day after it) or a
    naive UTC moment (overdue the second after it).
    """
    tz = zoneinfo.ZoneInfo(timezone)
    out: list[Due] = []
    for i, plan in enumerate(plans):
        before = plans[i - 1].assessment if i and plan.after_days is not None else None
        opens = _opens(plan, trainee, before, tz)
        submitted = trainee.submitted.get(plan.assessment)
        if opens is None:
            out.append(Due(trainee.id, plan.assessment, _state(plan, trainee, None, None, today, tz, soon_days),
                           None, None, NO_TIME, submitted))
            continue
        own = own_due_date(plan, tz)
        due = own if opens <= plan.released else max(own, _end_of(_day(opens, tz) + dt.timedelta(plan.due_days), tz))
        move = trainee.moved.get(plan.assessment)
        if move is not None:
            due = max(own, moved_due(due, move, tz))
        state = _state(plan, trainee, opens, due, today, tz, soon_days)
        out.append(Due(trainee.id, plan.assessment, state, opens, due, due - own, submitted, move is not None))
    return tuple(out)


def course_schedule(plans: Sequence[Plan], trainees: Iterable[Trainee], today: dt.date | dt.datetime,
                    timezone: str = "UTC", *, soon_days: int = SOON_DAYS) -> dict[str, tuple[Due, ...]]:
    """``{trainee id: their schedule}`` (see :func:`trainee_schedule`), in the order given."""
    return {t.id: trainee_schedule(plans, t, today, timezone, soon_days=soon_days) for t in trainees}


def by_urgency(dues: Iterable[Due]) -> list[Due]:
    """Overdue first, then due soon, open, waiting, submitted, graded; earliest due first within each."""
    far = dt.datetime.max
    return sorted(dues, key=lambda d: (d.urgency, d.due or far, d.trainee, d.assessment))


def own_due_date(plan: Plan, tz: str | dt.tzinfo) -> dt.datetime:
    """The assessment's own due date (naive UTC): ``plan.due``, else the end of its release day plus ``due_days``."""
    if plan.due is not None:
        return plan.due
    if plan.released is None:
        raise ValueError(f"{plan.assessment} is not released: it has no due date yet")
    tz = _zone(tz)
    return _end_of(_day(plan.released, tz) + dt.timedelta(plan.due_days), tz)


def local_day(moment: dt.datetime, timezone: str | dt.tzinfo = "UTC") -> dt.date:
    """The calendar day of ``timezone`` on which the naive UTC ``moment`` falls."""
    return _day(moment, _zone(timezone))


def end_of_day(day: dt.date, timezone: str | dt.tzinfo = "UTC") -> dt.datetime:
    """23:59:59 of ``day`` in ``timezone``, as naive UTC."""
    return _end_of(day, _zone(timezone))


# --- the parts ---------------------------------------------------------------------------------


def _opens(plan: Plan, trainee: Trainee, before: str | None, tz: dt.tzinfo) -> dt.datetime | None:
    if plan.released is None:
        return None
    opens = plan.released
    if trainee.start is not None:
        opens = max(opens, _at(trainee.start, DAY_STARTS, tz))
    if before is not None:
        previous = trainee.submitted.get(before)
        if previous is None:
            return None
        opens = max(opens, _at(_day(previous, tz) + dt.timedelta(plan.after_days), DAY_STARTS, tz))
    return opens


def moved_due(due: dt.datetime, move: Move, tz: str | dt.tzinfo = "UTC") -> dt.datetime:
    """Where ``move`` puts the naive UTC ``due`` (before :func:`trainee_schedule` keeps it at the assessment's own date)."""
    tz = _zone(tz)
    if move.to is not None:
        return _end_of(move.to, tz)
    # N days later on the calendar: the same local time of day, whatever the clocks did meanwhile.
    local = due.replace(tzinfo=dt.timezone.utc).astimezone(tz)
    shifted = local.replace(tzinfo=None) + dt.timedelta(days=move.days)
    return shifted.replace(tzinfo=tz).astimezone(dt.timezone.utc).replace(tzinfo=None)


def _state(plan: Plan, trainee: Trainee, opens: dt.datetime | None, due: dt.datetime | None,
           today: dt.date | dt.datetime, tz: dt.tzinfo, soon_days: int) -> str:
    if plan.assessment in trainee.submitted:
        return GRADED if plan.assessment in trainee.graded else SUBMITTED
    if opens is None or due is None:
        return WAITING
    if isinstance(today, dt.datetime):
        if today < opens:
            return WAITING
        if today > due:
            return OVERDUE
        left = (_day(due, tz) - _day(today, tz)).days
    else:
        if today < _day(opens, tz):
            return WAITING
        left = (_day(due, tz) - today).days
        if left < 0:
            return OVERDUE
    return DUE_SOON if left < soon_days else OPEN


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def _day(moment: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(tz).date()


def _at(day: dt.date, time: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=tz).astimezone(dt.timezone.utc).replace(tzinfo=None)


def _end_of(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return _at(day, DAY_ENDS, tz)
