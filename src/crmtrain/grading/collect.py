"""``crmtrain collect``: copy the trainees' latest submissions from the exchange (nbgrader collect)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UserError
from .course import Course, check_assessment, nbgrader_failure
from .release import is_released
from .status import inbound_submissions


@dataclass(frozen=True)
class CollectReport:
    assessment: str
    collected: tuple[str, ...]  # new or newer submission copied into submitted/
    unchanged: tuple[str, ...]  # already collected, nothing newer in the exchange


def _stamp(course: Course, trainee: str, assessment: str) -> str | None:
    try:
        return (course.submitted_dir(trainee, assessment) / "timestamp.txt").read_text(encoding="utf-8")
    except OSError:
        return None


def collect(course: Course, assessment: str) -> CollectReport:
    """Collect the latest submission of every trainee (newer ones replace older ones)."""
    check_assessment(assessment)
    if not is_released(course, assessment):
        raise UserError(f"assessment {assessment!r} is not released yet (run `crmtrain release {assessment}`)")
    waiting = sorted(inbound_submissions(course, assessment))
    if not waiting:
        raise UserError(f"no submissions of {assessment!r} in the exchange yet")
    before = {t: _stamp(course, t, assessment) for t in waiting}
    result = course.api().collect(assessment, update=True)
    if not result["success"]:
        raise nbgrader_failure(f"collecting {assessment!r}", result)
    changed = tuple(t for t in waiting if _stamp(course, t, assessment) != before[t])
    return CollectReport(assessment, changed, tuple(t for t in waiting if t not in changed))
