"""``crmtrain release initial|followup|retest [--due DATE]``: generate the student version, release it.

Steps, all through nbgrader's Python API: record the assessment and its due date in the
gradebook; ``generate_assignment`` (hidden tests and solutions stripped into ``release/``);
scan the student version for key material; ``release_assignment`` to the exchange (whose
release plugin also makes the ``fetched/`` folder for fetch markers). An assessment outside
the regulation (the re-test) goes only to the trainees its audience names (:mod:`..plumbing.audience`).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from pathlib import Path

from ...errors import UserError
from ...i18n import _
from ..exchange import fetchlog
from ...rules import schedule as rules
from ..plumbing import gradebook, schedule_file, timetable
from ..plumbing.config import SCHEDULE_DIR
from ..plumbing.course import ANSWERS_FILE, Course, check_assessment, nbgrader_failure
from ..scoring.items import assessment_items, cell_problems
from ..safety.leaks import find_key_material


@dataclass(frozen=True)
class ReleaseReport:
    assessment: str
    due: dt.datetime | None  # naive UTC, as nbgrader stores it
    notebooks: tuple[str, ...]
    items: int
    points: float
    replaced: bool  # an earlier release was overwritten (--force)
    warnings: tuple[str, ...] = ()
    only_for: tuple[str, ...] | None = None  # the trainees it was released to; None: everybody


def parse_due(text: str, timezone: str = "UTC") -> dt.datetime:
    """A due date given by the specialist, as naive UTC.

    ``2025-03-01`` means the end of that day (23:59:59) in ``timezone``; ``2025-03-01 18:00``
    (or ``T18:00``) is that local time; an ISO date-time with an offset is taken as is.
    """
    raw = text.strip()
    try:
        tz = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UserError(_("unknown time zone {zone}").format(zone=repr(timezone))) from None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            local = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(23, 59, 59))
        else:
            local = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise UserError(_("due date {text} is not a date: use YYYY-MM-DD or 'YYYY-MM-DD HH:MM'").format(
            text=repr(text))) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=tz)
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _as_due(due: dt.datetime | dt.date | str | None, timezone: str) -> dt.datetime | None:
    if due is None or isinstance(due, dt.datetime):
        if isinstance(due, dt.datetime) and due.tzinfo is not None:
            return due.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return due
    if isinstance(due, dt.date):
        return parse_due(due.isoformat(), timezone)
    return parse_due(due, timezone)


def is_released(course: Course, assessment: str) -> bool:
    return course.outbound_dir(assessment).is_dir()


def release(
    course: Course, assessment: str, due: dt.datetime | dt.date | str | None = None, *, force: bool = False,
    at: dt.datetime | None = None,
) -> ReleaseReport:
    """Generate and release ``assessment``; ``due`` (naive = UTC, or a string) goes to the gradebook.

    Without ``due``, the assessment keeps the due date it had, or gets the end of the release
    day plus the regulation's ``due_days``. ``at`` is the release moment (naive UTC, default
    now): each trainee's own dates count from it (see :mod:`crmtrain.rules.schedule`).
    """
    check_assessment(assessment)
    notebooks = course.source_notebooks(assessment)
    if (course.source_dir(assessment) / ANSWERS_FILE).exists():
        raise UserError(
            f"{course.source_dir(assessment) / ANSWERS_FILE} must not exist: it would be released "
            "to every trainee and would replace their answers when grading"
        )
    items = assessment_items(course, assessment)
    problems = [p for nb in notebooks for p in cell_problems(nb, label=str(nb.relative_to(course.root)))]
    if problems:
        raise UserError(f"the notebook of {assessment!r} does not follow the grading contract", problems)
    replaced = is_released(course, assessment)
    if replaced and not force:
        raise UserError(_("assessment {name} is already released; use --force to release it again (trainees who "
                          "fetched it keep their copy)").format(name=repr(assessment)))
    audience = _audience(course, assessment)
    due_utc = _as_due(due, course.timezone) or _regulation_due(course, assessment, at)
    due_utc = gradebook.record_assessment(course, assessment, due_utc)  # no --due: keeps the one it had

    api = course.api()
    result = api.generate_assignment(assessment, force=True, create=True)
    if not result["success"]:
        raise nbgrader_failure(f"generating the student version of {assessment!r}", result)
    leaks = find_key_material(course, assessment, [course.release_dir(assessment)])
    if leaks:
        raise UserError(f"the student version of {assessment!r} contains answer-key material", leaks)

    from nbgrader.utils import capture_log, temp_attrs

    with temp_attrs(api.coursedir, assignment_id=assessment):
        app = api.exchange.ReleaseAssignment(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
        app.force = force
        if audience is not None:
            app.only_for = list(audience.trainees)
        result = capture_log(app)
    if not result["success"]:
        raise nbgrader_failure(f"releasing {assessment!r} to the exchange", result)
    fetchlog.ensure_folder(course.fetched_dir)  # also when the config names the stock plugin
    schedule_file.set_released(course.root, assessment, at or dt.datetime.utcnow())
    publish_schedule(course, assessment, due_utc)
    return ReleaseReport(
        assessment=assessment,
        due=due_utc,
        notebooks=tuple(p.name for p in notebooks),
        items=len(items),
        points=sum(i.points for i in items),
        replaced=replaced,
        warnings=_privacy_warnings(course),
        only_for=audience.trainees if audience is not None else None,
    )


def _regulation_due(course: Course, assessment: str, at: dt.datetime | None) -> dt.datetime | None:
    """None if the assessment has a due date already; else the end of the release day plus ``due_days``."""
    if gradebook.due_date(course, assessment)[1] is not None:
        return None
    released = schedule_file.read(course.root).released.get(assessment) or at or dt.datetime.utcnow()
    days = int(timetable.settings(course, assessment).get("due_days", rules.Plan.due_days))
    return rules.own_due_date(rules.Plan(assessment, days, released=released), course.timezone)


def _audience(course: Course, assessment: str):
    """Whom ``assessment`` is for: None (everybody) for the regulation's; the recorded list otherwise."""
    from ...kinds.assessments import ASSESSMENT_KINDS
    from ..plumbing.audience import read_audience

    if ASSESSMENT_KINDS[assessment].in_regulation:
        return None
    audience = read_audience(course, assessment)
    if audience is None:
        raise UserError(_("{file} is missing: nobody is named to take {name}. `{command}` writes it with the "
                          "assessment").format(file=course.audience_path(assessment), name=repr(assessment),
                                               command=ASSESSMENT_KINDS[assessment].made_by))
    if not audience.trainees:
        raise UserError(_("nobody learned the old version of the regulation: {name} has no one to go to").format(
            name=repr(assessment)))
    return audience


def _privacy_warnings(course: Course) -> tuple[str, ...]:
    """The course folder holds the key (source/ and gradebook.db): others must not read it."""
    import os
    import stat

    mode = os.stat(course.root).st_mode
    if mode & (stat.S_IROTH | stat.S_IXOTH):
        return (f"{course.root} is readable by other users, and its source/ and gradebook.db hold the "
                f"answer key: run `chmod 700 {course.root}`",)
    return ()


def set_due(course: Course, assessment: str, due: dt.datetime | dt.date | str | None) -> dt.datetime | None:
    """Change (or with None, clear) the due date of an assessment already in the gradebook."""
    check_assessment(assessment)
    due_utc = gradebook.set_due(course, assessment, _as_due(due, course.timezone))
    if is_released(course, assessment):
        publish_schedule(course, assessment, due_utc)
    return due_utc


def publish_schedule(course: Course, assessment: str, due: dt.datetime | None) -> Path:
    """``<exchange>/<course>/schedule/<assessment>.json``: the title and due date trainees' panels show.

    The gradebook holds the due date but is the specialist's; this small file is readable by
    everyone who can fetch (it says nothing a released notebook does not).
    """
    import json

    from ..plumbing.audience import read_audience

    title, lang = "", ""
    for nb in course.source_notebooks(assessment):
        meta = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("crmtrain") or {}
        title = title or str(meta.get("title") or "")
        lang = lang or str(meta.get("lang") or "")
    folder = course.exchange_course_dir / SCHEDULE_DIR
    folder.mkdir(mode=0o755, exist_ok=True)
    data = {"assessment": assessment, "title": title, "timezone": course.timezone,
            "due": due.isoformat(timespec="seconds") + "Z" if due else None}
    audience = read_audience(course, assessment)
    if audience is not None:  # the fetch and the panels say "not for you" to the others
        data.update({"lang": lang, "old_version": audience.old, "for": sorted(audience.trainees)})
    path = folder / f"{assessment}.json"
    tmp = folder / f".{assessment}.json.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.chmod(0o644)
    tmp.replace(path)  # a trainee's panel reads the old file or the new one, never half
    return path


def due_date(course: Course, assessment: str) -> dt.datetime | None:
    """The due date in the gradebook (naive UTC), None if none or not released."""
    return gradebook.due_date(course, assessment)[1]
