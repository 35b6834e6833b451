"""The bulk read behind the reports: a whole course's gradebook as columns, read-only.

A few bulk queries rather than object walks: 10,000 trainees × 80 grades would take minutes
through nbgrader's ORM relationships, and its ``SubmittedAssignment`` score properties are
correlated subqueries (quadratic). The grades come back columnar (a tuple per column), so
800,000 of them stay cheap. Lateness and scores follow nbgrader's own definitions, as in
:mod:`.gradebook`, which owns every other read and write.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from .course import COURSE_ASSESSMENTS, Course
from .gradebook import Cell, Submission, Trainee, display_name, exists, nothing_graded, open_gradebook, seconds_late


@dataclass(frozen=True)
class Grades:
    """Every grade of a course, one tuple per column (index i is one grade)."""

    assessment: tuple[str, ...]
    trainee: tuple[str, ...]
    notebook: tuple[str, ...]
    cell: tuple[str, ...]
    auto: tuple[float | None, ...]
    manual: tuple[float | None, ...]
    extra: tuple[float | None, ...]

    def __len__(self) -> int:
        return len(self.cell)


@dataclass(frozen=True)
class Snapshot:
    """What the reports read: the course's own assessments only, nothing written."""

    trainees: tuple[Trainee, ...]  # nbgrader's order: last name, first name, id
    due: dict[str, dt.datetime | None]  # assessment -> due date, for those in the gradebook
    cells: tuple[Cell, ...]
    submissions: tuple[Submission, ...]
    grades: Grades


def snapshot(course: Course, assessments: tuple[str, ...] = COURSE_ASSESSMENTS) -> Snapshot:
    """Trainees, due dates, graded cells, submissions and grades of ``assessments``, read-only.

    A few bulk queries rather than object walks: 10,000 trainees × 80 grades would take
    minutes through the ORM's relationships.
    """
    from nbgrader.api import (Assignment, BaseCell, Grade, GradeCell, Notebook, Student, SubmittedAssignment,
                              SubmittedNotebook, TaskCell)
    from sqlalchemy import func, select

    if not exists(course):
        raise nothing_graded(course)
    with open_gradebook(course, readonly=True) as gb:
        run = gb.db.execute
        own = Assignment.name.in_(assessments)
        if gb.db.scalar(select(func.count()).where(Assignment.course_id == course.course_id)):
            own = own & (Assignment.course_id == course.course_id)
        students = run(select(Student.id, Student.first_name, Student.last_name, Student.email)
                       .order_by(Student.last_name, Student.first_name, Student.id)).all()
        due = dict(run(select(Assignment.name, Assignment.duedate).where(own)).all())
        cells = [Cell(*row) for cls in (GradeCell, TaskCell)
                 for row in run(select(Assignment.name, Notebook.name, cls.name, cls.max_score)
                                .join(Notebook, cls.notebook_id == Notebook.id)
                                .join(Assignment, Notebook.assignment_id == Assignment.id).where(own)).all()]
        subs = run(select(Assignment.name, SubmittedAssignment.student_id, SubmittedAssignment.timestamp,
                          SubmittedAssignment.extension, Assignment.duedate)
                   .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id).where(own)).all()
        totals = _submission_totals(gb, own)
        grades = _grades(gb, select(Assignment.name, SubmittedAssignment.student_id, Notebook.name, BaseCell.name,
                                    Grade.auto_score, Grade.manual_score, Grade.extra_credit)
                         .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                         .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
                         .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                         .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                         .join(BaseCell, Grade.cell_id == BaseCell.id).where(own))
    out = []
    for a, t, stamp, extension, duedate in subs:
        due_by = None if duedate is None else duedate + (extension or dt.timedelta(0))
        score, max_score, penalty, manual = totals.get((a, t), (0.0, 0.0, 0.0, False))
        out.append(Submission(a, t, stamp, due_by, seconds_late(stamp, due_by), penalty, score - penalty,
                              max_score, manual))
    return Snapshot(tuple(Trainee(i, display_name(f, l), e or "") for i, f, l, e in students), due, tuple(cells),
                    tuple(out), grades)


def _submission_totals(gb, own) -> dict[tuple[str, str], tuple[float, float, float, bool]]:
    """nbgrader's own score, max score, late penalty and needs-manual-grade per submission.

    The same definitions as nbgrader's ``SubmittedAssignment`` properties (the sum of each
    grade's ``Grade.score``, the assignment's ``max_score``, the notebooks' penalties, any grade
    needing a manual grade), but grouped in one pass each: those properties are correlated
    subqueries, which SQLite runs once per submission over every grade (quadratic at 10,000
    trainees: 18 minutes to read a course that takes seconds).
    """
    from nbgrader.api import Assignment, Grade, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import case, func, select

    # Grouped by the submission's own id: joins to the names would make SQLite nest loops over them.
    per = SubmittedNotebook.assignment_id
    graded = gb.db.execute(
        select(per, func.coalesce(func.sum(Grade.score), 0.0), func.max(case((Grade.needs_manual_grade, 1), else_=0)))
        .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id).group_by(per)).all()
    penalties = dict(gb.db.execute(
        select(per, func.coalesce(func.sum(SubmittedNotebook.late_submission_penalty), 0.0)).group_by(per)).all())
    maxima = dict(gb.db.execute(select(Assignment.name, Assignment.max_score).where(own)).all())
    subs = gb.db.execute(select(SubmittedAssignment.id, Assignment.name, SubmittedAssignment.student_id)
                         .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id).where(own)).all()
    scores = {sid: (float(score or 0), bool(manual)) for sid, score, manual in graded}
    return {(a, t): (scores.get(sid, (0.0, False))[0], float(maxima.get(a) or 0), float(penalties.get(sid) or 0),
                     scores.get(sid, (0.0, False))[1]) for sid, a, t in subs}


def _grades(gb, stmt, chunk: int = 100_000) -> Grades:
    """The grades as DB-API tuples in chunks (SQLAlchemy rows would cost seconds for 800k)."""
    sql = stmt.compile(gb.engine, compile_kwargs={"literal_binds": True})
    cursor = gb.db.connection().connection.cursor()
    columns: list[list] = [[] for _ in range(7)]
    try:
        cursor.execute(str(sql))
        while rows := cursor.fetchmany(chunk):
            for i, (col, values) in enumerate(zip(columns, zip(*rows))):
                # Interned: each distinct id is then one object, not one per grade.
                col.extend(map(sys.intern, values) if i < 4 else values)
    finally:
        cursor.close()
    return Grades(*(tuple(c) for c in columns))
