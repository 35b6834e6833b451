"""Scores from the gradebook, per trainee and per item (points, topic, refs), for reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .course import Course, check_assessment
from .items import assessment_items


@dataclass(frozen=True)
class ItemScore:
    item: str
    topic: str
    refs: tuple[str, ...]
    type: str
    points: float  # the most the item is worth
    score: float | None  # None while it waits for manual grading
    needs_manual_grade: bool


@dataclass(frozen=True)
class TraineeResult:
    trainee: str
    assessment: str
    score: float  # after the late penalty
    max_score: float
    late_penalty: float
    seconds_late: float
    submitted_at: dt.datetime | None  # naive UTC
    needs_manual_grade: bool
    items: tuple[ItemScore, ...]

    def item(self, item_id: str) -> ItemScore:
        for i in self.items:
            if i.item == item_id:
                return i
        raise KeyError(item_id)


def results(course: Course, assessment: str) -> tuple[TraineeResult, ...]:
    """Every autograded submission of ``assessment``, by trainee id."""
    check_assessment(assessment)
    items = assessment_items(course, assessment)
    out = []
    with course.gradebook() as gb:
        for sub in gb.assignment_submissions(assessment):
            if not course.autograded_dir(sub.student_id, assessment).is_dir():
                continue  # in the gradebook but never graded successfully
            grades = {(nb.name, g.name): g for nb in sub.notebooks for g in nb.grades}
            scored = []
            for it in items:
                gs = [grades[(it.notebook, gid)] for gid in it.grade_ids if (it.notebook, gid) in grades]
                pending = any(g.needs_manual_grade for g in gs) or any(g.score is None for g in gs)
                score = None if pending or not gs else float(sum(g.score for g in gs))
                scored.append(ItemScore(it.id, it.topic, it.refs, it.type, it.points, score, pending))
            penalty = float(sub.late_submission_penalty or 0)
            out.append(
                TraineeResult(
                    trainee=sub.student_id,
                    assessment=assessment,
                    score=float(sub.score) - penalty,
                    max_score=float(sub.max_score),
                    late_penalty=penalty,
                    seconds_late=float(sub.total_seconds_late or 0),
                    submitted_at=sub.timestamp,
                    needs_manual_grade=bool(sub.needs_manual_grade),
                    items=tuple(scored),
                )
            )
    return tuple(sorted(out, key=lambda r: r.trainee))
