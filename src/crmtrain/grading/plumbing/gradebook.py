"""nbgrader's gradebook, read and written in one place, with typed results.

Every other module asks this one: the roster, due dates, submissions and their scores,
per-cell grades and hand grades; the bulk read behind the reports is its sibling
:mod:`.snapshot`. Results are frozen dataclasses.

Two rules live only here:

* **Lateness is nbgrader's:** a submission is late by
  ``max(0, timestamp - (due date + extension))`` seconds, exactly
  ``SubmittedAssignment.total_seconds_late``; :func:`seconds_late` applies that rule to
  rows read in bulk and to submissions not graded yet.
* **A hand grade is saved as formgrader saves it** (its ``GradeHandler.put``): set the
  manual score and extra credit, and the grade needs manual grading exactly while it has
  neither a manual nor an automatic score.

nbgrader is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ...errors import UserError
from ...i18n import _
from .course import Course, nbgrader_tools_on_path


@dataclass(frozen=True)
class Trainee:
    id: str
    name: str  # display name ('' if none)
    email: str


@dataclass(frozen=True)
class Submission:
    """One trainee's graded (or at least recorded) sitting of an assessment."""

    assessment: str
    trainee: str
    timestamp: dt.datetime | None  # naive UTC, as nbgrader stores it
    due: dt.datetime | None  # naive UTC, extension included
    seconds_late: float
    late_penalty: float
    score: float  # after the late penalty
    max_score: float
    needs_manual_grade: bool


@dataclass(frozen=True)
class CellGrade:
    """The grade of one graded cell (a test or a task) of a submission."""

    notebook: str
    cell: str
    auto: float | None
    manual: float | None
    extra: float | None
    needs_manual_grade: bool

    @property
    def score(self) -> float | None:
        """The manual score if given, else the automatic one (plus extra credit); None if neither."""
        base = self.manual if self.manual is not None else self.auto
        return None if base is None else base + (self.extra or 0.0)


@dataclass(frozen=True)
class Cell:
    assessment: str
    notebook: str
    name: str  # the cell's nbgrader grade_id
    max_score: float


def seconds_late(timestamp: dt.datetime | None, due: dt.datetime | None) -> float:
    """nbgrader's lateness rule (``SubmittedAssignment.total_seconds_late``); ``due`` includes any extension."""
    if timestamp is None or due is None:
        return 0.0
    return max(0.0, (timestamp - due).total_seconds())


def display_name(first: str | None, last: str | None) -> str:
    """A trainee's name as nbgrader's pages show it: first then last, either may be missing."""
    return " ".join(p for p in (first, last) if p)


def exists(course: Course) -> bool:
    """Whether the course has a gradebook: a server always does, a sqlite file once something wrote it."""
    return course.database is not None or course.db_path.is_file()


def nothing_graded(course: Course) -> UserError:
    """The one error for reading scores from a course where nothing is graded yet."""
    return UserError(_("nothing graded yet in {folder}: collect and grade the submissions first "
                       "(`crmtrain collect`, `crmtrain grade`)").format(folder=course.root))


@contextlib.contextmanager
def open_gradebook(course: Course, *, readonly: bool = False) -> Iterator[Any]:
    """nbgrader's Gradebook of the course (``readonly``: one that never writes a course row), closed after."""
    nbgrader_tools_on_path()
    from nbgrader.api import Gradebook

    # A generous sqlite busy timeout: grading workers may be committing at the same time.
    # course_id="" makes Gradebook create no course row, so a reader never writes.
    gb = Gradebook(course.writer_db_url, "" if readonly else course.course_id)
    try:
        yield gb
    finally:
        gb.close()


# --- roster -------------------------------------------------------------------------------


def trainees(course: Course) -> tuple[Trainee, ...]:
    """Everyone in the gradebook, by id."""
    if not exists(course):  # reading never creates it
        return ()
    with open_gradebook(course, readonly=True) as gb:
        found = [Trainee(s.id, display_name(s.first_name, s.last_name), s.email or "") for s in gb.students]
    return tuple(sorted(found, key=lambda t: t.id))


def upsert_trainees(course: Course, wanted: Iterable[Trainee]) -> dict[str, tuple[str, ...]]:
    """Add or update ``wanted`` (the whole name as nbgrader's last name); ids per outcome:
    ``added``, ``updated``, ``unchanged`` and ``not_in_file`` (kept as they are)."""
    out: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    with open_gradebook(course) as gb:
        existing = {s.id: s for s in gb.students}
        wanted = tuple(wanted)
        for t in wanted:
            fields = {"first_name": "", "last_name": t.name, "email": t.email}
            old = existing.get(t.id)
            if old is not None and all(getattr(old, k) == v for k, v in fields.items()):
                out["unchanged"].append(t.id)
                continue
            out["added" if old is None else "updated"].append(t.id)
            gb.update_or_create_student(t.id, **fields)
    listed = {t.id for t in wanted}
    result = {k: tuple(v) for k, v in out.items()}
    result["not_in_file"] = tuple(sorted(i for i in existing if i not in listed))
    return result


# --- assessments --------------------------------------------------------------------------


def record_assessment(course: Course, assessment: str, due: dt.datetime | None) -> dt.datetime | None:
    """Create or update the assessment; ``due=None`` keeps the due date it had. Returns the due date."""
    with open_gradebook(course) as gb:
        return gb.update_or_create_assignment(assessment, **({"duedate": due} if due else {})).duedate


def set_due(course: Course, assessment: str, due: dt.datetime | None) -> dt.datetime | None:
    """Change (None: clear) the due date of an assessment already in the gradebook."""
    from nbgrader.api import MissingEntry

    with open_gradebook(course) as gb:
        try:
            gb.find_assignment(assessment)
        except MissingEntry:
            raise UserError(_("assessment {name} is not released yet (run `crmtrain release {assessment}`)").format(
                name=repr(assessment), assessment=assessment))
        return gb.update_or_create_assignment(assessment, duedate=due).duedate


def due_date(course: Course, assessment: str) -> tuple[bool, dt.datetime | None]:
    """(whether the assessment is in the gradebook, its due date)."""
    from nbgrader.api import MissingEntry

    if not exists(course):  # reading never creates it
        return False, None
    with open_gradebook(course, readonly=True) as gb:
        try:
            return True, gb.find_assignment(assessment).duedate
        except MissingEntry:
            return False, None


def due_dates(course: Course) -> dict[str, dt.datetime | None]:
    """``{assessment: its due date}`` of every assessment in the gradebook, in one read."""
    if not exists(course):  # reading never creates it
        return {}
    from nbgrader.api import Assignment

    with open_gradebook(course, readonly=True) as gb:
        return dict(gb.db.query(Assignment.name, Assignment.duedate).all())


# --- submissions and grades ---------------------------------------------------------------


def _submission(assessment: str, sub) -> Submission:
    penalty = float(sub.late_submission_penalty or 0)
    return Submission(assessment, sub.student_id, sub.timestamp, sub.duedate, float(sub.total_seconds_late or 0),
                      penalty, float(sub.score or 0) - penalty, float(sub.max_score or 0), bool(sub.needs_manual_grade))


def submissions(course: Course, assessment: str) -> tuple[Submission, ...]:
    """Every submission of ``assessment`` the gradebook holds, by trainee id."""
    from nbgrader.api import MissingEntry

    if not exists(course):  # reading never creates it
        return ()
    with open_gradebook(course, readonly=True) as gb:
        try:
            found = [_submission(assessment, s) for s in gb.assignment_submissions(assessment)]
        except MissingEntry:
            return ()
    return tuple(sorted(found, key=lambda s: s.trainee))


def submission(course: Course, assessment: str, trainee: str) -> Submission | None:
    """One trainee's submission (None if the gradebook has none)."""
    from nbgrader.api import MissingEntry

    if not exists(course):  # reading never creates it
        return None
    with open_gradebook(course, readonly=True) as gb:
        try:
            return _submission(assessment, gb.find_submission(assessment, trainee))
        except MissingEntry:
            return None


def submission_times(course: Course, trainees: Iterable[str] | None = None) -> dict[str, dict[str, dt.datetime]]:
    """``{assessment: {trainee: the recorded submission's timestamp}}`` (of ``trainees`` if given), in one query."""
    if not exists(course):  # reading never creates it
        return {}
    from nbgrader.api import Assignment, SubmittedAssignment

    with open_gradebook(course, readonly=True) as gb:
        query = gb.db.query(Assignment.name, SubmittedAssignment.student_id, SubmittedAssignment.timestamp).join(
            SubmittedAssignment.assignment)
        if trainees is not None:
            query = query.filter(SubmittedAssignment.student_id.in_(list(trainees)))
        out: dict[str, dict[str, dt.datetime]] = {}
        for assessment, trainee, stamp in query.all():
            if stamp is not None:
                out.setdefault(assessment, {})[trainee] = stamp
    return out


def cell_grades(course: Course, assessment: str) -> dict[str, tuple[CellGrade, ...]]:
    """``{trainee: grades of every graded cell}`` for ``assessment``."""
    from nbgrader.api import MissingEntry

    out = {}
    if not exists(course):  # reading never creates it
        return {}
    with open_gradebook(course, readonly=True) as gb:
        try:
            subs = gb.assignment_submissions(assessment)
        except MissingEntry:
            return {}
        for sub in subs:
            out[sub.student_id] = tuple(
                CellGrade(nb.name, g.name, g.auto_score, g.manual_score, g.extra_credit, bool(g.needs_manual_grade))
                for nb in sub.notebooks for g in nb.grades)
    return out


def comments(course: Course, assessment: str, trainee: str) -> dict[tuple[str, str], str]:
    """``{(notebook, cell): the specialist's comment}`` of one submission (comments left empty are left out)."""
    from nbgrader.api import MissingEntry

    with open_gradebook(course) as gb:
        try:
            sub = gb.find_submission(assessment, trainee)
        except MissingEntry:
            return {}
        return {(nb.name, c.name): c.manual_comment.strip() for nb in sub.notebooks for c in nb.comments
                if c.manual_comment and c.manual_comment.strip()}


def hand_grade(course: Course, assessment: str, trainee: str, cell: str, points: float | None, *,
               comment: str | None = None, extra_credit: float | None = None, notebook: str | None = None) -> CellGrade:
    """Score one graded cell by hand, as nbgrader's formgrader saves it; ``comment`` goes with it."""
    from nbgrader.api import MissingEntry

    notebook = notebook or assessment
    with open_gradebook(course) as gb:
        try:
            grade = gb.find_grade(cell, notebook, assessment, trainee)
        except MissingEntry:
            raise UserError(f"{trainee} has no graded {assessment} cell {cell!r} to score (graded yet?)") from None
        if points is not None and not 0 <= points <= grade.max_score:
            raise UserError(f"{cell}: {points:g} points is outside 0..{grade.max_score:g}")
        grade.manual_score = points
        grade.extra_credit = extra_credit
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        if comment is not None:
            with contextlib.suppress(MissingEntry):  # only solution and task cells take comments
                gb.find_comment(cell, notebook, assessment, trainee).manual_comment = comment
        gb.db.commit()
        return CellGrade(notebook, cell, grade.auto_score, grade.manual_score, grade.extra_credit,
                         bool(grade.needs_manual_grade))
