"""Who learned the old version of a changed item: read from the course's gradebook.

A trainee learned an item when the gradebook holds a grade of theirs for a question that
tests it (the question's refs, kept in the assessment's cell metadata). Everyone who
submitted anything studied the old workbooks as well, and so did everyone who fetched an
assessment of the old version (the fetch markers): those lists come separately, and the
re-test is for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..regulation.models import Regulation
from .diff import Change
from .impact import questions_on


@dataclass(frozen=True)
class Learned:
    """One trainee who answered questions on a changed item under the old version."""

    trainee: str
    name: str
    questions: tuple[str, ...]


@dataclass
class Learners:
    """Per changed item, who answered questions on it; and everyone who submitted anything."""

    by_item: dict[str, list[Learned]]
    submitted: list[str]
    fetched: list[str] = field(default_factory=list)  # fetched an assessment of the old version

    @property
    def studied(self) -> list[str]:
        """Who learned the old version: submitted or fetched one of its assessments."""
        return sorted({*self.submitted, *self.fetched})


def learners(course_dir: str | Path, old: Regulation, changes: list[Change]) -> Learners:
    """Ask the gradebook of the course (built from the old version) who learned each changed item."""
    from ..grading.exchange import fetchlog
    from ..grading.plumbing import gradebook
    from ..grading.plumbing.course import ASSESSMENTS, Course
    from ..grading.scoring.items import assessment_items

    course = Course.load(course_dir)
    names = {t.id: t.name for t in gradebook.trainees(course)}
    answered: dict[str, dict[str, set[str]]] = {}  # question -> trainee -> {assessment}
    submitted: set[str] = set()
    fetched = {f.trainee for a in ASSESSMENTS for f in fetchlog.read(course.fetched_dir, a)}
    for assessment in ASSESSMENTS:
        try:
            items = assessment_items(course, assessment)
        except UserError:  # its notebook is broken or repeats items: nothing to learn from it
            continue
        by_cell = {gid: item for item in items for gid in item.grade_ids}
        for trainee, grades in gradebook.cell_grades(course, assessment).items():
            submitted.add(trainee)
            for g in grades:
                if g.cell in by_cell and (g.auto is not None or g.manual is not None):
                    # At a draw slot the trainee learned the question they drew, not the slot.
                    qid = by_cell[g.cell].asked(course.course_id, assessment, trainee).id
                    answered.setdefault(qid, {}).setdefault(trainee, set()).add(assessment)
    by_item: dict[str, list[Learned]] = {}
    for c in changes:
        if not c.trains or c.kind in ("assessment", "introduction") or c.status == "added":
            continue
        qids = [c.id] if c.kind == "question" else [t.question for t in questions_on(old, c)]
        who: dict[str, list[str]] = {}
        for qid in qids:
            for trainee in answered.get(qid, {}):
                who.setdefault(trainee, []).append(qid)
        by_item[c.id] = [Learned(t, names.get(t, ""), tuple(q)) for t, q in sorted(who.items())]
    return Learners(by_item, sorted(submitted), sorted(fetched))
