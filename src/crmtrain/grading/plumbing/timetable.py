"""Each trainee's schedule in a course, and nbgrader's per-student extension that enforces it.

The facts are gathered here and handed to :mod:`crmtrain.rules.schedule`, which decides:

* **plans**, per assessment in the order taken: ``due_days`` and ``after_days`` from the
  source notebook's metadata (``crmtrain.schedule``, written by ``crmtrain build`` from the
  regulation), the release moment from ``schedule.json`` (a course released before it
  recorded one: the outbound folder's time), the assessment's own due date from the gradebook;
* **trainees**: the gradebook's roster and whoever has a collected submission; their start
  days and moved dates from ``schedule.json``; when they submitted each assessment: the
  collected submission's ``timestamp.txt`` (what nbgrader's autograde records), else the
  gradebook's, else what the caller saw waiting in the exchange; graded: autograded.

:func:`grant` writes each trainee's ``Due.extension`` through nbgrader's
``Gradebook.grant_extension``: ``crmtrain grade`` before autograding, and the course's
autograde chain (:class:`crmtrain.grading.plugins.OwnDueDate`) for stock ``nbgrader autograde``,
so nbgrader's lateness is lateness against the trainee's own date everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterable, Mapping

from ...kinds.assessments import ASSESSMENTS
from ...rules import schedule as rules
from . import gradebook, schedule_file
from .course import Course

STANDINGS = rules.LABELS  # each standing's msgid, most urgent first (for the reports' words)
META_KEY = "schedule"  # metadata.crmtrain.schedule of a source notebook: {"due_days": 7, "after_days": 30}


def today(course: Course) -> dt.date:
    """Today on the course's calendar."""
    return dt.datetime.now(zoneinfo.ZoneInfo(course.timezone)).date()


def settings(course: Course, assessment: str) -> dict:
    """The assessment's ``due_days`` and ``after_days`` as built from the regulation ({} if not said)."""
    for nb in sorted(course.source_dir(assessment).glob("*.ipynb")):
        try:
            meta = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("crmtrain") or {}
        except (OSError, ValueError):
            continue
        found = meta.get(META_KEY)
        if isinstance(found, dict):
            return found
    return {}


def plans(course: Course, record: schedule_file.Record | None = None,
          assessments: tuple[str, ...] = ASSESSMENTS) -> tuple[rules.Plan, ...]:
    """Every assessment's :class:`~crmtrain.rules.schedule.Plan`, in the order taken."""
    record = record or schedule_file.read(course.root)
    dues = gradebook.due_dates(course)
    out = []
    for a in assessments:
        said = settings(course, a)
        released = record.released.get(a)
        if released is None and course.outbound_dir(a).is_dir():
            released = dt.datetime.utcfromtimestamp(course.outbound_dir(a).stat().st_mtime)
        after = said.get("after_days")
        out.append(rules.Plan(a, int(said.get("due_days", 7)), int(after) if after is not None else None,
                              released, dues.get(a) if released else None))
    return tuple(out)


def _collected_at(course: Course, trainee: str, assessment: str) -> dt.datetime | None:
    stamp = course.submitted_dir(trainee, assessment) / "timestamp.txt"
    try:
        text = stamp.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None


def trainees(course: Course, record: schedule_file.Record | None = None,
             waiting: Mapping[str, Mapping[str, dt.datetime]] | None = None,
             only: Iterable[str] | None = None) -> list[rules.Trainee]:
    """The facts of every trainee (or of ``only``); ``waiting``: ``{assessment: {trainee: moment}}``
    of submissions in the exchange not collected yet."""
    record = record or schedule_file.read(course.root)
    waiting = waiting or {}
    if only is not None:  # grading asks for one trainee per submission: read only their rows
        ids = sorted(set(only))
        recorded = gradebook.submission_times(course, ids)
    else:
        recorded = gradebook.submission_times(course)
        ids = sorted({t.id for t in gradebook.trainees(course)}
                     | {t for a in ASSESSMENTS for t in course.submitted_trainees(a)}
                     | {t for by in waiting.values() for t in by})
    out = []
    for t in ids:
        submitted, graded = {}, set()
        for a in ASSESSMENTS:
            at = _collected_at(course, t, a) or recorded.get(a, {}).get(t) or waiting.get(a, {}).get(t)
            if at is not None:
                submitted[a] = at
            if course.autograded_dir(t, a).is_dir():
                graded.add(a)
        out.append(rules.Trainee(t, record.starts.get(t), submitted, frozenset(graded), record.moves_of(t)))
    return out


def schedules(course: Course, when: dt.date | dt.datetime | None = None,
              waiting: Mapping[str, Mapping[str, dt.datetime]] | None = None,
              only: Iterable[str] | None = None) -> dict[str, tuple[rules.Due, ...]]:
    """``{trainee: their Due of every assessment}`` on ``when`` (default: today on the course's calendar)."""
    record = schedule_file.read(course.root)
    return rules.course_schedule(plans(course, record), trainees(course, record, waiting, only),
                                 when if when is not None else today(course), course.timezone)


def due_of(course: Course, assessment: str, trainee: str) -> rules.Due:
    """One trainee's schedule of one assessment."""
    return next(d for d in schedules(course, only=(trainee,))[trainee] if d.assessment == assessment)


def grant(course: Course, assessment: str, trainees_: Iterable[str] | None = None, *,
          create: bool = False) -> dict[str, dt.timedelta]:
    """Write each trainee's extension of ``assessment`` into the gradebook (nbgrader's ``grant_extension``).

    Only trainees with a submission row, unless ``create`` (then one is made, as autograde
    would: ``crmtrain grade`` does so before grading). Returns ``{trainee: extension}`` written.
    """
    from nbgrader.api import MissingEntry

    if not gradebook.exists(course):
        return {}
    wanted = None if trainees_ is None else set(trainees_)
    dues = {t: d for t, ds in schedules(course, only=wanted).items() for d in ds if d.assessment == assessment}
    done = {}
    with gradebook.open_gradebook(course) as gb:
        try:
            gb.find_assignment(assessment)
        except MissingEntry:
            return {}
        for t, due in sorted(dues.items()):
            try:
                sub = gb.find_submission(assessment, t)
            except MissingEntry:
                if not create:
                    continue
                gb.update_or_create_student(t)
                sub = gb.update_or_create_submission(assessment, t)
            if (sub.extension or rules.NO_TIME) != due.extension:
                gb.grant_extension(assessment, t, minutes=due.extension.total_seconds() / 60)
            done[t] = due.extension
    return done
