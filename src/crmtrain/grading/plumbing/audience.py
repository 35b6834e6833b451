"""Whom an assessment outside the regulation is for: ``<course>/audience/<assessment>.json``.

The re-test on a new version of the regulation is for the trainees who learned the old one.
``crmtrain diff OLD NEW --course DIR`` decides who they are from the course's own record
(the gradebook's submissions and the fetch markers of the old version's assessments) and
writes it here, beside the re-test's source; the release opens the re-test to them alone,
and status and reports count only them. The file is the specialist's (the course folder is
theirs alone); the release publishes the list with the due date, for the trainees' side.
Standard library only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ...errors import UserError
from ...i18n import _
from .course import Course


@dataclass(frozen=True)
class Audience:
    """The trainees an assessment is for, and why: they learned version ``old`` before ``new``."""

    assessment: str
    trainees: tuple[str, ...]
    old: str = ""
    new: str = ""

    def __contains__(self, trainee: str) -> bool:
        return trainee in self.trainees


def write_audience(course: Course, audience: Audience) -> None:
    """Record ``audience`` in the course (replacing an earlier one for the same assessment)."""
    import os
    import tempfile

    data = {"assessment": audience.assessment, "old_version": audience.old, "new_version": audience.new,
            "trainees": sorted(audience.trainees)}
    path = course.audience_path(audience.assessment)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def read_audience(course: Course, assessment: str) -> Audience | None:
    """The recorded audience of ``assessment``; None when it is for everybody (nothing recorded)."""
    path = course.audience_path(assessment)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        trainees = tuple(str(t) for t in data["trainees"])
        return Audience(assessment, trainees, str(data.get("old_version") or ""), str(data.get("new_version") or ""))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(_("{file}: unreadable ({error}); write it again with `crmtrain diff OLD NEW --course {course}`")
                        .format(file=path, error=exc, course=course.root)) from None
