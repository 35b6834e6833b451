"""What the letters are made from, read from the course: the roster and each trainee's deadlines."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from ..grading.plumbing.course import Course
from ..kinds.assessments import ASSESSMENTS
from .letters import Deadline, Person


def people(course: Course) -> tuple[Person, ...]:
    """The course's roster (gradebook), by id."""
    from ..grading.verbs.roster import trainees

    return tuple(Person(t.id, t.name, t.email) for t in trainees(course))


def course_language(course: Course) -> str:
    """The language the assessments were built in (their notebooks' ``metadata.crmtrain.lang``)."""
    for assessment in ASSESSMENTS:
        for nb in sorted(course.source_dir(assessment).glob("*.ipynb")):
            lang = _meta(nb).get("lang")
            if lang:
                return str(lang)
    return "en"


def titles(course: Course) -> dict[str, str]:
    """Each built assessment's title, as its notebook gives it."""
    out = {}
    for assessment in ASSESSMENTS:
        for nb in sorted(course.source_dir(assessment).glob("*.ipynb")):
            out.setdefault(assessment, str(_meta(nb).get("title") or ""))
    return out


def _meta(path) -> dict:
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("crmtrain")
    except (OSError, ValueError, AttributeError):
        return {}
    return meta if isinstance(meta, dict) else {}


def deadlines(course: Course, today: dt.date) -> tuple[Deadline, ...]:
    """Every trainee's assessments on their own schedule (crmtrain.rules.schedule, the one place dates are made)."""
    from ..grading.verbs.schedule import schedules
    from ..rules.schedule import WAITING

    tz = zoneinfo.ZoneInfo(course.timezone)
    local = lambda moment: moment.replace(tzinfo=dt.timezone.utc).astimezone(tz)  # noqa: E731  (naive UTC in)
    names = titles(course)
    out = []
    for trainee, dues in schedules(course, today).items():
        for d in dues:
            if d.state == WAITING and d.opens is None:
                continue  # not released, or opens only after their submission of the one before
            out.append(Deadline(trainee, d.assessment, names.get(d.assessment, ""),
                                local(d.opens).date() if d.opens else None, local(d.due) if d.due else None, d.state))
    return tuple(out)
