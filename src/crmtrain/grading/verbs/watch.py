"""``crmtrain grade --watch``: collect and grade each new submission as it arrives.

Every few seconds: for each released assessment, if the exchange holds a submission newer
than the one collected, collect (nbgrader's own collect, which takes the latest); then grade
every collected submission not graded yet. "Graded" is a marker written after nbgrader
finished with that very submission (see :mod:`.markers`), so a watcher stopped at any point, even killed mid-grade, grades
that submission again on restart, and grading again is idempotent. The course lock
(:func:`.markers.course_lock`) is held for the watcher's whole life: no other grader, watching or
not, grades the course at the same time, and so nothing is graded twice at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..exchange import fetchlog
from ..plumbing.course import Course
from ..safety.markers import course_lock, is_graded, submission_stamp

def ungraded(course: Course, assessments: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """``{trainee: assessments}`` whose collected submission is not graded yet."""
    work: dict[str, list[str]] = {}
    for a in assessments:
        for t in course.submitted_trainees(a):
            if not is_graded(course, t, a):
                work.setdefault(t, []).append(a)
    return {t: tuple(v) for t, v in sorted(work.items())}


def newer_in_exchange(course: Course, assessment: str) -> list[str]:
    """Trainees whose latest submission in the exchange is newer than the collected one."""
    from .status import inbound_submissions

    out = []
    for trainee, times in inbound_submissions(course, assessment).items():
        collected = fetchlog.parse_timestamp(submission_stamp(course, trainee, assessment))
        if collected is None or times[-1] > collected:
            out.append(trainee)
    return sorted(out)


def watch(course: Course, assessments: tuple[str, ...], *, interval: float = 10.0, workers: int | None = None,
          on_outcome: Callable | None = None, on_collect: Callable[[str, tuple[str, ...]], None] | None = None,
          stop: threading.Event | None = None, rounds: int | None = None) -> int:
    """Collect and grade until ``stop`` is set (or ``rounds`` polls were made); returns how many were graded."""
    from .autograde import grade_unlocked
    from .collect import collect
    from .release import is_released

    stop = stop or threading.Event()
    graded = 0
    polls = 0
    with course_lock(course):
        while not stop.is_set():
            released = tuple(a for a in assessments if is_released(course, a))
            for a in released:
                if newer_in_exchange(course, a):
                    got = collect(course, a)
                    if on_collect and got.collected:
                        on_collect(a, got.collected)
            todo = ungraded(course, released)
            if todo:
                report = grade_unlocked(course, released, trainees=todo, workers=workers, on_outcome=on_outcome,
                                        only=todo)
                graded += len(report.graded)
            polls += 1
            if rounds is not None and polls >= rounds:
                break
            stop.wait(interval)
    return graded
