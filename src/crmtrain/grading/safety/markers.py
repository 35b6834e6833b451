"""Grading state: the course's grading lock, and which collected submission is graded.

One grader at a time holds ``<course>/crmtrain/grade.lock`` (an flock, freed by the OS when
the process ends, however it ends).

``<course>/crmtrain/graded/<assessment>/<trainee>`` holds the timestamp of the submission
graded last; a newer collected submission, or one whose grading was cut short, has none.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from ...errors import UserError
from ...i18n import _
from ..plumbing.course import Course
from .intake import AREA, read_stamp

LOCK = "grade.lock"


@contextlib.contextmanager
def course_lock(course: Course) -> Iterator[None]:
    """Hold the course's grading lock; UserError if another grader holds it (the OS frees it on exit)."""
    folder = course.root / AREA
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            raise UserError(_("another `crmtrain grade` (process {pid}) is grading {folder}; wait for it to finish "
                              "or stop it first").format(pid=holder, folder=course.root)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _marker(course: Course, trainee: str, assessment: str) -> Path:
    return course.root / AREA / "graded" / assessment / trainee


def submission_stamp(course: Course, trainee: str, assessment: str) -> str:
    """The collected submission's timestamp.txt ('' if none or not a small regular file)."""
    return read_stamp(course.submitted_dir(trainee, assessment))


def mark_graded(course: Course, trainee: str, assessment: str, stamp: str) -> None:
    """Record that the submission collected at ``stamp`` is graded (atomically)."""
    path = _marker(course, trainee, assessment)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{trainee}.{os.getpid()}.tmp")
    tmp.write_text(stamp, encoding="utf-8")
    os.replace(tmp, path)


def is_graded(course: Course, trainee: str, assessment: str) -> bool:
    try:
        done = _marker(course, trainee, assessment).read_text(encoding="utf-8")
    except OSError:
        return False
    return done == submission_stamp(course, trainee, assessment)
