"""``crmtrain collect``: copy the trainees' latest submissions from the exchange into the course.

The copying is :class:`.exchange.collector.SafeCollect`, the class the course's config also
names for stock ``nbgrader collect``: only submissions that pass :mod:`.exchange.inbound`'s
checks count, and each entry that does not is named in :attr:`CollectReport.refused`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UserError
from ...i18n import _
from ..plumbing.course import Course, check_assessment, nbgrader_failure
from .release import is_released


@dataclass(frozen=True)
class CollectReport:
    assessment: str
    collected: tuple[str, ...]  # new or newer submission copied into submitted/
    unchanged: tuple[str, ...]  # already collected, nothing newer in the exchange
    refused: tuple[str, ...] = ()  # one line per entry of inbound/ that was not collected, and why


def collect(course: Course, assessment: str) -> CollectReport:
    """Collect the latest submission of every trainee (newer ones replace older ones)."""
    check_assessment(assessment)
    if not is_released(course, assessment):
        raise UserError(_("assessment {name} is not released yet (run `crmtrain release {assessment}`)").format(
            name=repr(assessment), assessment=assessment))
    if not course.inbound_dir.is_dir() or not any(course.inbound_dir.iterdir()):
        raise UserError(_("no submissions of {name} in the exchange yet").format(name=repr(assessment)))
    from nbgrader.utils import capture_log, temp_attrs

    from ..exchange.collector import SafeCollect

    api = course.api()
    with temp_attrs(api.coursedir, assignment_id=assessment):
        app = SafeCollect(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
        app.update = True
        result = capture_log(app)
    if not result["success"]:
        raise nbgrader_failure(f"collecting {assessment!r}", result)
    if app.collected:  # a re-collected submission already graded: its extension, as grading will give it
        from ..plumbing import timetable

        timetable.grant(course, assessment, app.collected)
    return CollectReport(assessment, tuple(sorted(app.collected)), tuple(sorted(app.unchanged)),
                         tuple(app.refused))
