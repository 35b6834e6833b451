"""``crmtrain status``: per assessment, who fetched, who submitted, who is late, who is graded.

Each trainee's row carries their own schedule (:mod:`crmtrain.rules.schedule`: when the
assessment opened for them, their own due date, whether they are overdue), and the rows come
overdue first. Sources: fetch markers (``<exchange>/<course>/fetched/``, see :mod:`.fetchlog`), the
submissions waiting in the exchange that collect would take (``inbound/``, checked by
:mod:`.exchange.inbound`), the collected and autograded folders, and the gradebook
(roster, due dates, scores). Lateness is nbgrader's: once graded, the gradebook's own; before
that, nbgrader's rule (:func:`.gradebook.seconds_late`) applied to the latest submission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...rules import schedule as rules
from ...rules.schedule import Due
from ..exchange import fetchlog
from ..plumbing import gradebook, timetable
from ..safety import intake
from ..plumbing.audience import read_audience
from ..plumbing.course import Course, check_assessment
from ..exchange.inbound import scan_course


@dataclass(frozen=True)
class TraineeStatus:
    trainee: str
    name: str
    on_roster: bool
    fetched_at: dt.datetime | None  # naive UTC; first fetch
    submitted_at: dt.datetime | None  # naive UTC; latest submission in the exchange
    submissions: int
    seconds_late: float  # 0 when on time, not submitted or no due date
    collected: bool
    graded: bool
    score: float | None  # after the late penalty; None until graded
    max_score: float | None
    needs_manual_grade: bool
    notes: tuple[str, ...] = ()  # what grading ignored or refused in the collected submission
    schedule: Due | None = None  # their own opening and due dates, and where they stand (rules.schedule)

    @property
    def fetched(self) -> bool:
        return self.fetched_at is not None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def late(self) -> bool:
        return self.seconds_late > 0


@dataclass(frozen=True)
class AssessmentStatus:
    assessment: str
    released: bool
    due: dt.datetime | None  # naive UTC
    trainees: tuple[TraineeStatus, ...]

    def count(self, what: str) -> int:
        """How many trainees are ``fetched``, ``submitted``, ``late``, ``collected`` or ``graded``."""
        return sum(1 for t in self.trainees if getattr(t, what))

    def trainee(self, trainee_id: str) -> TraineeStatus:
        for t in self.trainees:
            if t.trainee == trainee_id:
                return t
        raise KeyError(trainee_id)


def inbound_submissions(course: Course, assessment: str) -> dict[str, list[dt.datetime]]:
    """``{trainee: [submission times, oldest first]}`` of the submissions collect would take.

    Forged, future-dated, unreadable and half-written entries do not count (see
    :mod:`.exchange.inbound`); ``crmtrain collect`` names them.
    """
    found = scan_course(course.exchange_dir, course.course_id, (assessment,))[assessment]
    return {t: [s.at for s in subs] for t, subs in found.by_trainee().items()}


def _collected_at(course: Course, trainee: str, assessment: str) -> dt.datetime | None:
    stamp = course.submitted_dir(trainee, assessment) / "timestamp.txt"
    try:
        return fetchlog.parse_timestamp(stamp.read_text(encoding="utf-8"))
    except OSError:
        return None


def assessment_status(course: Course, assessment: str,
                      dues: dict[str, tuple[Due, ...]] | None = None) -> AssessmentStatus:
    """Who fetched, submitted, is late, was graded, with each trainee's own dates; overdue first."""
    check_assessment(assessment)
    fetched = fetchlog.first_fetches(course.fetched_dir, assessment)
    inbound = inbound_submissions(course, assessment)
    if dues is None:
        dues = timetable.schedules(course, waiting={assessment: {t: at[-1] for t, at in inbound.items()}})
    own = {t: d for t, ds in dues.items() for d in ds if d.assessment == assessment}
    collected = set(course.submitted_trainees(assessment))
    roster = {t.id: t.name for t in gradebook.trainees(course)}
    _, due = gradebook.due_date(course, assessment)
    recorded = {s.trainee: s for s in gradebook.submissions(course, assessment)}
    graded = {}
    for tid, sub in recorded.items():
        # Graded means: autograded, and what was graded is what is collected now (as nbgrader
        # judges it); a newer collected submission waits for `crmtrain grade`.
        if sub.timestamp == _collected_at(course, tid, assessment) and course.autograded_dir(tid, assessment).is_dir():
            graded[tid] = sub
    audience = read_audience(course, assessment)  # a re-test: only those it is for are waited for
    expected = set(roster) if audience is None else set(roster) & set(audience.trainees)
    everyone = sorted(expected | set(fetched) | set(inbound) | collected)
    rows = []
    for tid in everyone:
        times = inbound.get(tid, [])
        submitted_at = times[-1] if times else _collected_at(course, tid, assessment)
        sub = graded.get(tid)
        # nbgrader's lateness once graded; before that, its rule on the latest submission
        # against the trainee's own date (what grading will give them as an extension).
        mine = own.get(tid)
        own_due = mine.due if mine is not None and mine.due is not None else recorded[tid].due if tid in recorded else due
        late = sub.seconds_late if sub is not None else gradebook.seconds_late(submitted_at, own_due)
        rows.append(
            TraineeStatus(
                trainee=tid,
                name=roster.get(tid, ""),
                on_roster=tid in roster,
                fetched_at=fetched.get(tid),
                submitted_at=submitted_at,
                submissions=len(times),
                seconds_late=late,
                collected=tid in collected,
                graded=sub is not None,
                score=sub.score if sub else None,
                max_score=sub.max_score if sub else None,
                needs_manual_grade=sub.needs_manual_grade if sub else False,
                notes=intake.recorded(course, tid, assessment).notes if tid in collected else (),
                schedule=own.get(tid),
            )
        )
    rows.sort(key=_urgency)
    return AssessmentStatus(assessment, course.outbound_dir(assessment).is_dir(), due, tuple(rows))


def _urgency(row: TraineeStatus) -> tuple:
    """Overdue first, then due soon, open, not open yet, submitted, graded; the earliest due first."""
    d = row.schedule
    if d is None:
        return (len(rules.STATES), dt.datetime.max, row.trainee)
    return (d.urgency, d.due or dt.datetime.max, row.trainee)


def status(course: Course, assessments: tuple[str, ...] | None = None) -> tuple[AssessmentStatus, ...]:
    """The status of each assessment (all of the course's by default)."""
    from .schedule import schedules

    dues = schedules(course)
    return tuple(assessment_status(course, a, dues) for a in (course.assessments() if assessments is None else assessments))
