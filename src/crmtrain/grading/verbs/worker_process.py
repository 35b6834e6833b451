"""The grading worker: autogrades every requested assessment of ONE trainee via nbgrader's API.

Runs in a child process (nbgrader changes the working directory and environment while it
grades, so it cannot share a process with other grading). Imports nbgrader at module level:
the parent imports this module once before forking, so workers start without paying
nbgrader's import time again.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass

# Imported here, in the parent, so that every forked worker shares them instead of paying
# for them on its first submission (IPython and friends come from kernel discovery).
import IPython  # noqa: F401
import ipykernel.kernelspec  # noqa: F401
import nbformat
import psutil  # noqa: F401
import sqlalchemy.dialects.sqlite  # noqa: F401
from nbgrader.api import MissingEntry  # noqa: F401
from nbgrader.apps.api import NbGraderAPI  # noqa: F401
from sqlalchemy.orm import configure_mappers

from ...kinds.slots import CASE
from ..plumbing import nbgrader_patches, gradebook, timetable
from ..safety import answers, intake, markers
from ..plumbing.course import ANSWERS_FILE, Course, nbgrader_cause
from ..scoring.items import assessment_items

configure_mappers()  # the gradebook's ORM set-up, done once here rather than per worker
nbformat.validate(nbformat.v4.new_notebook())  # builds and caches the notebook validator

_state: dict = {}
_items: dict[str, tuple[set[str], dict[str, str]]] = {}  # item ids and case slots per assessment, read once per worker


@dataclass(frozen=True)
class RawOutcome:
    trainee: str
    assessment: str
    ok: bool
    score: float | None
    max_score: float | None
    seconds_late: float
    late_penalty: float
    needs_manual_grade: bool
    error: str
    log: str
    seconds: float
    notes: tuple[str, ...] = ()  # what was ignored or refused, e.g. "answers.json is a link: ignored"


def init(root: str, quiet: bool = True) -> None:
    """Per-process setup: one NbGraderAPI for this course; kernels' chatter off the terminal."""
    if quiet:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)  # kernels inherit it; their warnings would break the progress bar
        os.close(devnull)
    nbgrader_patches.apply()
    course = Course.load(root)
    # sqlite's busy timeout: a writer that finds the gradebook locked waits this long (the
    # pysqlite default of 5 s is thin when several workers commit at once).
    api = course.api(**{"CourseDirectory.db_url": course.writer_db_url})
    _state.update(course=course, api=api)


def grade_trainee(trainee: str, assessments: tuple[str, ...], force: bool = True) -> list[RawOutcome]:
    """Autograde ``assessments`` of ``trainee`` in order; every assessment yields an outcome."""
    course: Course = _state["course"]
    api = _state["api"]
    out = []
    for assessment in assessments:
        start = time.monotonic()
        notes: tuple[str, ...] = ()
        try:
            stamp = markers.submission_stamp(course, trainee, assessment)
            intake.vet(course, trainee, assessment)
            timetable.grant(course, assessment, (trainee,), create=True)  # the course's chain does it too
            result = api.autograde(assessment, trainee, force=force, create=True)
            notes = _answer_notes(course, trainee, assessment)
            if result["success"]:
                markers.mark_graded(course, trainee, assessment, stamp)
        except Exception as exc:  # nbgrader reports its own failures in `result`; this is ours
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": traceback.format_exc()}
        if result["success"]:
            facts, error, log = _scores(course, trainee, assessment), "", ""
        else:
            facts = {"score": None, "max_score": None, "seconds_late": 0.0, "late_penalty": 0.0,
                     "needs_manual_grade": False}
            error = nbgrader_cause(result)
            log = (result.get("log") or "") + (result.get("error") or "")  # kept in the course's grading log
        out.append(RawOutcome(trainee, assessment, bool(result["success"]), error=error, log=log,
                              seconds=time.monotonic() - start, notes=notes, **facts))
    return out


def _answer_notes(course: Course, trainee: str, assessment: str) -> tuple[str, ...]:
    """Record what grading ignored in answers.json with the submission's intake notes; all of them."""
    if assessment not in _items:
        found = assessment_items(course, assessment)
        _items[assessment] = ({i.id for i in found}, {i.id: i.case for i in found if i.slot == CASE.name})
    ids, cases = _items[assessment]
    saved = answers.read_submitted(course.submitted_dir(trainee, assessment) / ANSWERS_FILE, ids, cases)
    return intake.note_answers(course, trainee, assessment, saved.notes).notes


def _scores(course: Course, trainee: str, assessment: str) -> dict:
    sub = gradebook.submission(course, assessment, trainee)
    return {"score": sub.score, "max_score": sub.max_score, "seconds_late": sub.seconds_late,
            "late_penalty": sub.late_penalty, "needs_manual_grade": sub.needs_manual_grade}
