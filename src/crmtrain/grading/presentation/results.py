"""Scores from the gradebook, per trainee and per item (points, topic, refs), for reports.

A slot's score is filed under the question the trainee was asked there (a draw's drawn
question, or the case slot itself), with the slot's id beside it: statistics are per question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..plumbing import gradebook
from ..plumbing.course import Course, check_assessment
from ..scoring.items import assessment_items


@dataclass(frozen=True)
class ItemScore:
    item: str
    topic: str
    refs: tuple[str, ...]
    type: str
    points: float  # the most the item is worth
    score: float | None  # None while it waits for manual grading
    needs_manual_grade: bool
    slot: str = ""  # the slot's id when the item was asked in a slot ("" for a fixed question)


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
        """The score of a question (a drawn one by its own id) or of a slot (by the slot's id)."""
        for i in self.items:
            if i.item == item_id or i.slot == item_id:
                return i
        raise KeyError(item_id)


def results(course: Course, assessment: str) -> tuple[TraineeResult, ...]:
    """Every autograded submission of ``assessment``, by trainee id."""
    check_assessment(assessment)
    items = assessment_items(course, assessment)
    grades = gradebook.cell_grades(course, assessment)
    out = []
    for sub in gradebook.submissions(course, assessment):
        if not course.autograded_dir(sub.trainee, assessment).is_dir():
            continue  # in the gradebook but never graded successfully
        by_cell = {(g.notebook, g.cell): g for g in grades.get(sub.trainee, ())}
        scored = []
        for it in items:
            gs = [by_cell[(it.notebook, gid)] for gid in it.grade_ids if (it.notebook, gid) in by_cell]
            pending = any(g.needs_manual_grade or g.score is None for g in gs)
            score = None if pending or not gs else float(sum(g.score for g in gs))
            q = it.asked(course.course_id, assessment, sub.trainee)
            scored.append(ItemScore(q.id, q.topic, q.refs, q.type, it.points, score, pending,
                                    it.id if it.slot else ""))
        out.append(TraineeResult(trainee=sub.trainee, assessment=assessment, score=sub.score,
                                 max_score=sub.max_score, late_penalty=sub.late_penalty,
                                 seconds_late=sub.seconds_late, submitted_at=sub.timestamp,
                                 needs_manual_grade=sub.needs_manual_grade, items=tuple(scored)))
    return tuple(out)
