"""Each trainee's own dates in a course, and ``crmtrain extend``, which moves one of them.

:func:`schedules` is what ``crmtrain status``, the reports, the reminders and the trainees'
panel ask: every trainee's :class:`~crmtrain.rules.schedule.Due` of every assessment, counting
the submissions already waiting in the exchange (so a trainee who submitted is never told
they are overdue because nobody collected yet). The dates themselves are decided in one place,
:mod:`crmtrain.rules.schedule`; the facts are gathered by :mod:`..plumbing.timetable`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ...errors import UserError
from ...i18n import _
from ...rules import schedule as rules
from ..exchange.inbound import scan_course
from ..plumbing import gradebook, schedule_file, timetable
from ..plumbing.course import ASSESSMENTS, Course, check_assessment


def waiting(course: Course) -> dict[str, dict[str, dt.datetime]]:
    """``{assessment: {trainee: their latest submission in the exchange}}`` (checked as collect checks them)."""
    found = scan_course(course.exchange_dir, course.course_id, ASSESSMENTS)
    return {a: {t: subs[-1].at for t, subs in scan.by_trainee().items()} for a, scan in found.items()}


def schedules(course: Course, when: dt.date | dt.datetime | None = None,
              only: Iterable[str] | None = None) -> dict[str, tuple[rules.Due, ...]]:
    """``{trainee: their Due of every assessment}`` on ``when`` (a day of the course's calendar, or a
    naive UTC moment; default today), submissions waiting in the exchange included."""
    return timetable.schedules(course, when, waiting(course), only)


def own_dates(course: Course, trainee: str) -> dict:
    """One trainee's own dates, for their "My training" panel (``{}`` for someone not in the course).

    ``{"course", "timezone", "assessments": {name: {"opens", "due", "moved"}}}``, moments as ISO
    UTC. Only this trainee's: the hub copies it into their home, readable by them alone, so no
    trainee learns another's start day, extension or submission day (the exchange, which every
    trainee can read, publishes only the dates everybody shares).
    """
    mine = schedules(course, only=(trainee,)).get(trainee, ())
    if trainee not in {t.id for t in gradebook.trainees(course)} and not any(d.submitted for d in mine):
        return {}

    def moment(value: dt.datetime | None) -> str | None:
        return value.isoformat(timespec="seconds") + "Z" if value is not None else None

    return {"course": course.course_id, "timezone": course.timezone,
            "assessments": {d.assessment: {"opens": moment(d.opens), "due": moment(d.due), "moved": d.moved}
                            for d in mine}}


def extend(course: Course, trainee: str, assessment: str, *, days: int | None = None,
           to: dt.date | None = None) -> rules.Due:
    """Move one trainee's due date: ``days`` after the date their schedule gives (0: back to it; a second
    call replaces the first, as nbgrader's extensions do), or ``to`` the end of a day. Recorded in the
    course's ``schedule.json``, so grading again keeps it; the gradebook's extension follows at once."""
    check_assessment(assessment)
    if (days is None) == (to is None):
        raise UserError(_("say how to move the date: --days N or --to DATE"))
    known = {t.id for t in gradebook.trainees(course)} | set(course.submitted_trainees(assessment))
    if trainee not in known:
        raise UserError(_("{trainee} is not on the roster of {course} (`crmtrain roster import` adds trainees)").format(
            trainee=repr(trainee), course=course.course_id))
    plans, today = timetable.plans(course), timetable.today(course)
    t = timetable.trainees(course, waiting=waiting(course), only=(trainee,))[0]
    unmoved = rules.Trainee(t.id, t.start, t.submitted, t.graded, {a: m for a, m in t.moved.items() if a != assessment})
    plain = next(d for d in rules.trainee_schedule(plans, unmoved, today, course.timezone) if d.assessment == assessment)
    if plain.due is None:
        raise UserError(_("{assessment} has no date for {trainee} yet: it is not released, or opens after their "
                          "submission of the assessment before it").format(assessment=assessment, trainee=trainee))
    move = None if days == 0 else rules.Move(days or 0, to)
    cohort = plain.due - plain.extension
    if move is not None and rules.moved_due(plain.due, move, course.timezone) < cohort:
        raise UserError(_("{trainee}'s {assessment} cannot be due before everybody's date, {date}: nbgrader "
                          "gives extensions, never earlier dates").format(
                              trainee=trainee, assessment=assessment, date=_shown(course, cohort)))
    schedule_file.set_move(course.root, assessment, trainee, move)
    timetable.grant(course, assessment, (trainee,))
    return next(d for d in schedules(course, only=(trainee,))[trainee] if d.assessment == assessment)


def _shown(course: Course, moment: dt.datetime) -> str:
    import zoneinfo

    local = moment.replace(tzinfo=dt.timezone.utc).astimezone(zoneinfo.ZoneInfo(course.timezone))
    return local.strftime("%Y-%m-%d %H:%M")
