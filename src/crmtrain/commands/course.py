"""The specialist's assessment commands: roster, extend, release, status, collect, grade, feedback.

Each is a few lines over :mod:`crmtrain.grading` (nbgrader's Python API) that print what
happened in the course's time zone, in the language of the regulation the course was built
from. nbgrader is imported only when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import zoneinfo
from collections.abc import Callable
from typing import TextIO

from ..grading.plumbing.course import ASSESSMENTS, COURSE_ASSESSMENTS, Course
from ..i18n import N_, _, plural
from . import add_course
from . import speak_course_language


def _open(course_dir: str) -> Course:
    """The course, its commands speaking its regulation's language."""
    speak_course_language(course_dir)
    return Course.load(course_dir)


def _local(course: Course, moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    aware = moment.replace(tzinfo=dt.timezone.utc).astimezone(zoneinfo.ZoneInfo(course.timezone))
    return aware.strftime("%Y-%m-%d %H:%M")


def _chosen(course: Course, assessment: str | None) -> tuple[str, ...]:
    return (assessment,) if assessment else course.assessments()


def roster_import(course_dir: str, csv_path: str, out: TextIO) -> int:
    """Add or update trainees from a CSV file (id, name, email)."""
    from ..grading.verbs.roster import import_roster

    course = _open(course_dir)
    r = import_roster(course, csv_path)
    out.write(_("Roster of {course}: {added} added, {updated} updated, {unchanged} unchanged").format(
        course=course.course_id, added=len(r.added), updated=len(r.updated), unchanged=len(r.unchanged)))
    out.write(_("; {n} not in the file kept").format(n=len(r.not_in_file)) if r.not_in_file else "")
    out.write(_("; start days changed for {n}").format(n=len(r.starts_changed)) + "\n" if r.starts_changed else "\n")
    return 0


def release(course_dir: str, assessment: str, due: str | None, force: bool, out: TextIO) -> int:
    """Generate the trainee version of an assessment and put it in the exchange."""
    from ..grading.verbs.release import release as do_release

    course = _open(course_dir)
    r = do_release(course, assessment, due, force=force)
    out.write(_("Released {assessment}: {questions}, {points}; due {due} ({timezone})").format(
        assessment=assessment, questions=plural("{n} question", "{n} questions", r.items),
        points=_points(r.points), due=_local(course, r.due), timezone=course.timezone) + "\n")
    out.write(_("Trainees fetch it in JupyterLab (Nbgrader → Assignment List) or with "
                "`nbgrader fetch_assignment {assessment} --course {course}`.").format(
                    assessment=assessment, course=course.course_id) + "\n")
    for warning in r.warnings:
        out.write(_("warning: {warning}").format(warning=warning) + "\n")
    return 0


def _points(points: float) -> str:
    """``3 points`` / ``3 балла``; fractional points as they are."""
    if float(points).is_integer():
        return plural("{n} point", "{n} points", int(points))
    return _("{n} points").format(n=f"{points:g}")


def status(course_dir: str, assessment: str | None, out: TextIO) -> int:
    """Per assessment, each trainee's own dates and standing (overdue first), submissions and scores."""
    from ..grading.verbs.status import status as course_status
    from ..rules.schedule import LABELS

    course = _open(course_dir)
    for st in course_status(course, _chosen(course, assessment)):
        if not st.released:
            out.write(_("{assessment}: not released yet").format(assessment=st.assessment) + "\n\n")
            continue
        out.write(_("{assessment}: due {due} ({timezone}); {fetched} fetched, {submitted} submitted, {late} late, "
                    "{graded} graded of {total}").format(
                        assessment=st.assessment, due=_local(course, st.due), timezone=course.timezone,
                        fetched=st.count("fetched"), submitted=st.count("submitted"), late=st.count("late"),
                        graded=st.count("graded"), total=len(st.trainees)) + "\n")
        out.write(f"  {_('trainee'):<16} {_('name'):<20} {_('opens'):<10} {_('own due date'):<17} {_('standing'):<14} "
                  f"{_('submitted'):<17} {_('late'):<6} {_('score')}\n")
        for t in st.trainees:
            d = t.schedule
            late = _("{n}h").format(n=f"{t.seconds_late / 3600:.1f}") if t.late else ""
            score = f"{t.score:g}/{t.max_score:g}" if t.score is not None and t.max_score else ""
            if t.needs_manual_grade:
                score += " " + _("(open answers to grade)")
            opens = _local(course, d.opens)[:10] if d is not None else "—"
            own = _local(course, d.due) + ("*" if d.moved else "") if d is not None else "—"
            standing = _(LABELS[d.state]) if d is not None else ""
            out.write(f"  {t.trainee:<16} {t.name[:20]:<20} {opens:<10} {own:<17} {standing[:14]:<14} "
                      f"{_local(course, t.submitted_at):<17} {late:<6} {score}\n")
            if t.notes:
                out.write(f"  {'':<16} {'; '.join(t.notes)}\n")
        if any(t.schedule is not None and t.schedule.moved for t in st.trainees):
            out.write("  " + _("* moved by the specialist (`crmtrain extend`)") + "\n")
        out.write("\n")
    return 0


def extend(course_dir: str, trainee: str, assessment: str, days: int | None, to: str | None, out: TextIO) -> int:
    """Move one trainee's due date (recorded: grading again keeps it)."""
    from ..errors import UserError
    from ..grading.verbs.roster import parse_start
    from ..grading.verbs.schedule import extend as do_extend

    course = _open(course_dir)
    day = None
    if to is not None:
        try:
            day = parse_start(to.strip())
        except ValueError:
            raise UserError(_("--to {date} is not a date: use YYYY-MM-DD or DD.MM.YYYY").format(date=repr(to))) from None
    d = do_extend(course, trainee, assessment, days=days, to=day)
    out.write(_("{trainee}: {assessment} is due {due} ({timezone}); {extension} after everybody's date").format(
        trainee=trainee, assessment=assessment, due=_local(course, d.due), timezone=course.timezone,
        extension=_span(d.extension)) + "\n")
    return 0


def _span(delta: dt.timedelta) -> str:
    """``3 days`` / ``3 days 4 hours`` / ``0 days``: an extension as the specialist reads it."""
    days, hours = delta.days, delta.seconds // 3600
    text = plural("{n} day", "{n} days", days)
    return text + " " + plural("{n} hour", "{n} hours", hours) if hours else text


def collect(course_dir: str, assessment: str | None, out: TextIO) -> int:
    """Copy the latest submissions from the exchange into the course."""
    from ..grading.verbs.collect import collect as do_collect
    from ..grading.verbs.release import is_released

    course = _open(course_dir)
    for name in _chosen(course, assessment):
        if assessment is None and not is_released(course, name):
            continue
        r = do_collect(course, name)
        refused = _(", {n} not collected").format(n=len(r.refused)) if r.refused else ""
        out.write(_("{assessment}: {collected} collected, {unchanged} unchanged").format(
            assessment=name, collected=len(r.collected), unchanged=len(r.unchanged)) + refused + "\n")
        out.writelines("  " + _("not collected: {reason}").format(reason=line) + "\n" for line in r.refused)
    return 0


def _outcome_line(o) -> str:
    if o.ok:
        extra = " " + _("(late)") if o.seconds_late > 0 else ""
        extra += " — " + _("open answers to grade by hand") if o.needs_manual_grade else ""
        line = f"  {o.assessment:<9} {o.trainee:<16} {o.score:g}/{o.max_score:g}{extra}\n"
    else:
        line = f"  {o.assessment:<9} {o.trainee:<16} " + _("FAILED: {error}").format(error=o.error) + "\n"
    return line + (f"  {'':<9} {'':<16} {o.note_line}\n" if o.notes else "")


def grade(course_dir: str, assessment: str | None, workers: int | None, out: TextIO, watch: bool = False,
          interval: float = 10.0) -> int:
    """Autograde every collected submission in parallel; a broken one is reported, not fatal.

    With ``watch``: collect and grade each new submission as it arrives, until stopped.
    """
    from ..grading.verbs.autograde import grade as do_grade

    course = _open(course_dir)
    if watch:
        return _watch(course, _chosen(course, assessment), workers, interval, out)
    report = do_grade(course, _chosen(course, assessment), workers=workers, progress=out.isatty())
    for o in sorted(report.outcomes, key=lambda o: (o.assessment, o.trainee)):
        out.write(_outcome_line(o))
    out.write(_("Graded {graded} of {total} submissions with {workers} worker(s) in {seconds} s.").format(
        graded=len(report.graded), total=len(report.outcomes), workers=report.workers,
        seconds=f"{report.seconds:.1f}") + "\n")
    if report.failed:
        out.write(_("{n} submission(s) could not be graded; the others are in the gradebook.").format(
            n=len(report.failed)) + "\n" + _("What went wrong, in full: {path}").format(path=report.log) + "\n")
        return 1
    return 0


def _watch(course: Course, assessments: tuple[str, ...], workers: int | None, interval: float, out: TextIO) -> int:
    import signal
    import threading

    from ..grading.verbs.autograde import GRADING_LOG
    from ..grading.verbs.watch import watch

    if interval <= 0:
        from ..errors import UserError

        raise UserError(_("--interval must be a positive number of seconds, not {interval}").format(
            interval=f"{interval:g}"))
    stop = threading.Event()

    def finish(signum, _frame) -> None:
        out.write(_("stopping: the submissions being graded are finished first") + "\n")
        out.flush()
        stop.set()

    old = {s: signal.signal(s, finish) for s in (signal.SIGINT, signal.SIGTERM)}
    out.write(_("Watching {folder} every {interval} s; Ctrl+C stops.").format(
        folder=course.exchange_course_dir, interval=f"{interval:g}") + "\n")
    out.flush()

    def collected(assessment: str, who: tuple[str, ...]) -> None:
        out.write(f"{_local(course, dt.datetime.utcnow())}  " + _("{assessment}: collected {trainees}").format(
            assessment=assessment, trainees=", ".join(who)) + "\n")
        out.flush()

    def graded(o) -> None:
        out.write(f"{_local(course, dt.datetime.utcnow())}" + _outcome_line(o))
        if not o.ok:
            out.write(f"  {'':<9} {'':<16} " + _("in full: {path}").format(path=course.root / GRADING_LOG) + "\n")
        out.flush()

    try:
        n = watch(course, assessments, interval=interval, workers=workers, on_outcome=graded, on_collect=collected,
                  stop=stop)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    out.write(_("Stopped; {n} submission(s) graded while watching.").format(n=n) + "\n")
    return 0


def feedback(course_dir: str, assessment: str | None, include_pending: bool, out: TextIO) -> int:
    """Write and release feedback (answers and points, never the key) to trainees."""
    from ..grading.verbs.feedback import feedback as do_feedback
    from ..grading.verbs.release import is_released

    course = _open(course_dir)
    for name in _chosen(course, assessment):
        if assessment is None and not is_released(course, name):
            continue
        r = do_feedback(course, name, include_pending=include_pending)
        out.write(_("{assessment}: feedback released to {n} trainee(s)").format(assessment=name, n=len(r.released)))
        if r.pending_manual:
            out.write(_("; waiting for open answers to be graded: {trainees}").format(trainees=", ".join(r.pending_manual)))
        out.write("\n")
    return 0


def _handler(name: str) -> Callable[[argparse.Namespace], int]:
    """Call this module's ``name`` with the parsed arguments as keywords."""
    def handler(args: argparse.Namespace) -> int:
        kwargs = {k: v for k, v in vars(args).items() if k not in ("func", "command", "roster_command")}
        return globals()[name](out=sys.stdout, **kwargs)

    return handler


def register(sub) -> None:
    """``crmtrain roster import``, ``extend``, ``release``, ``status``, ``collect``, ``grade`` and ``feedback``."""
    p = sub.add_parser("roster", help=_("manage the trainees of the course"))
    roster = p.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    p = roster.add_parser("import", help=_("add or update trainees from a CSV file with columns id, name, email "
                                           "and optionally start (the day they got CRM access)"))
    p.add_argument("csv_path", metavar="CSV")
    add_course(p)
    p.set_defaults(func=_handler("roster_import"))

    p = sub.add_parser("extend", help=_("move one trainee's due date of an assessment (recorded; shown in status)"))
    p.add_argument("trainee", metavar="TRAINEE", help=_("the trainee's login, as on the roster"))
    p.add_argument("assessment", choices=ASSESSMENTS)
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--days", type=int, metavar="N",
                      help=_("N days after the date their schedule gives (0: back to it; replaces an earlier --days)"))
    when.add_argument("--to", metavar="DATE", help=_("to the end of this day (YYYY-MM-DD), in the course time zone"))
    add_course(p)
    p.set_defaults(func=_handler("extend"))

    p = sub.add_parser("release", help=_("generate an assessment's trainee version and release it"))
    p.add_argument("assessment", choices=COURSE_ASSESSMENTS)
    p.add_argument("--due", help=_("due date, e.g. 2027-02-15 (end of day) or '2027-02-15 18:00', in the course time zone"))
    p.add_argument("--force", action="store_true", help=_("release again although it was released before"))
    add_course(p)
    p.set_defaults(func=_handler("release"))

    for name, text in (("status", N_("who fetched, submitted, is late and was graded, per assessment")),
                       ("collect", N_("collect the latest submissions from the exchange")),
                       ("grade", N_("autograde every collected submission (in parallel)")),
                       ("feedback", N_("release feedback (answers and points, never the key) to trainees"))):
        p = sub.add_parser(name, help=_(text))
        p.add_argument("assessment", nargs="?", choices=COURSE_ASSESSMENTS, help=_("only this assessment (default: all)"))
        add_course(p)
        if name == "grade":
            p.add_argument("--workers", type=int, default=None, help=_("parallel workers (default: one per CPU)"))
            p.add_argument("--watch", action="store_true",
                           help=_("keep running: collect and grade each new submission as it arrives (Ctrl+C stops)"))
            p.add_argument("--interval", type=float, default=10.0, metavar="S",
                           help=_("with --watch: seconds between looks at the exchange (default: 10)"))
        if name == "feedback":
            p.add_argument("--include-pending", action="store_true",
                           help=_("also for trainees whose open answers are not graded yet"))
        p.set_defaults(func=_handler(name))
