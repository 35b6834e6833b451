"""``crmtrain grade``: autograde every collected submission, in parallel, with a progress bar.

Each submission goes through nbgrader's own ``Autograde`` (``NbGraderAPI.autograde``), the
very code ``nbgrader autograde`` runs, so both give the same scores. What crmtrain adds:

* **Worker processes.** nbgrader changes the working directory and environment while it
  grades, so grading runs in child processes (forked after nbgrader is imported once), never
  threads. The unit of work is a *trainee* (all requested assessments, in order), so two
  workers never touch the same trainee's folders or gradebook rows.
* **The gradebook is shared safely.** sqlite serializes writers; nbgrader commits many small
  write transactions that each begin with their write (pysqlite's implicit BEGIN), so a
  blocked writer waits in sqlite's busy handler rather than failing, as long as the wait is
  shorter than the busy timeout. Workers raise that timeout from 5 s to 60 s, and a
  submission that still fails on a database error is graded again, alone, at the end
  (autograding is idempotent).
* **A broken submission is reported, the rest are graded.** Each outcome says why in one
  line; the whole story (nbgrader's log, the traceback of an error of crmtrain's own) is
  appended to ``grading.log`` in the course folder, which the report names.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError
from ...i18n import _, language, set_language
from ..plumbing.course import COURSE_ASSESSMENTS, Course, check_assessment

KERNEL_START_ERRORS = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")
DB_ERRORS = ("database is locked", "database is busy", "There was an error accessing the nbgrader database")
GRADING_LOG = "grading.log"  # in the course folder: every failed attempt in full, newest last


@dataclass(frozen=True)
class GradeOutcome:
    trainee: str
    assessment: str
    ok: bool
    score: float | None  # after the late penalty
    max_score: float | None
    seconds_late: float
    late_penalty: float
    needs_manual_grade: bool
    error: str  # one line; "" when ok
    log: str  # nbgrader's log of a failed attempt
    seconds: float
    attempts: int = 1
    notes: tuple[str, ...] = ()  # what was ignored or refused in the submission

    @property
    def note_line(self) -> str:
        """What was ignored or refused, in one line ('' if nothing)."""
        return "; ".join(self.notes)


@dataclass(frozen=True)
class GradeReport:
    outcomes: tuple[GradeOutcome, ...]
    workers: int
    seconds: float
    log: Path | None = None  # where the failures are told in full (None when nothing failed)

    @property
    def failed(self) -> tuple[GradeOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    @property
    def graded(self) -> tuple[GradeOutcome, ...]:
        return tuple(o for o in self.outcomes if o.ok)

    def outcome(self, trainee: str, assessment: str) -> GradeOutcome:
        for o in self.outcomes:
            if (o.trainee, o.assessment) == (trainee, assessment):
                return o
        raise KeyError((trainee, assessment))


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan(
    course: Course, assessments: Iterable[str], trainees: Iterable[str] | None = None,
    only: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """``{trainee: (assessments to grade, in order)}`` for every collected submission
    (of ``trainees`` if given; only the pairs in ``only`` if given)."""
    wanted = set(trainees) if trainees is not None else None
    work: dict[str, list[str]] = {}
    for a in assessments:
        check_assessment(a)
        for t in course.submitted_trainees(a):
            if (wanted is None or t in wanted) and (only is None or a in only.get(t, ())):
                work.setdefault(t, []).append(a)
    return {t: tuple(v) for t, v in sorted(work.items())}


def grade(
    course: Course,
    assessments: Iterable[str] = COURSE_ASSESSMENTS,
    trainees: Iterable[str] | None = None,
    *,
    workers: int | None = None,
    progress: bool = False,
    on_outcome: Callable[[GradeOutcome], None] | None = None,
) -> GradeReport:
    """Autograde the collected submissions of ``assessments`` (optionally only ``trainees``).

    ``workers`` defaults to the usable CPUs (never more than there are trainees).
    ``progress`` shows a rich progress bar on stderr; ``on_outcome`` is called as each
    submission finishes. UserError if there is nothing to grade, or if another grader
    holds the course's lock (see :mod:`.markers`).
    """
    from ..safety.markers import course_lock

    with course_lock(course):
        return grade_unlocked(course, assessments, trainees, workers=workers, progress=progress,
                              on_outcome=on_outcome)


def grade_unlocked(
    course: Course,
    assessments: Iterable[str] = COURSE_ASSESSMENTS,
    trainees: Iterable[str] | None = None,
    *,
    workers: int | None = None,
    progress: bool = False,
    on_outcome: Callable[[GradeOutcome], None] | None = None,
    only: dict[str, tuple[str, ...]] | None = None,
) -> GradeReport:
    """:func:`grade` for a caller that holds the course lock already."""
    assessments = tuple(assessments)
    todo = plan(course, assessments, trainees, only)
    if not todo:
        names = " / ".join(assessments)
        raise UserError(_("no collected submissions of {names} to grade (run `crmtrain collect` first)").format(names=names))
    total = sum(len(v) for v in todo.values())
    n = max(1, min(workers or usable_cpus(), len(todo)))
    start = time.monotonic()
    from . import worker_process  # imports nbgrader here, once, before the workers fork

    outcomes: list[GradeOutcome] = []
    bar = _Bar(total, enabled=progress)

    def done(raw, attempts: int) -> None:
        o = GradeOutcome(**vars(raw), attempts=attempts)
        outcomes.append(o)
        if not o.ok:
            log_failure(course, o)
        bar.advance(o)
        if on_outcome:
            on_outcome(o)

    bar.start()
    try:
        retry = []
        for raw in _round(course, n, todo.items()):
            if raw.ok or not _retryable(raw):
                done(raw, 1)
            else:
                retry.append(raw)
        # Again, one at a time, each in a pool of its own: no other worker competes for the
        # gradebook, and a submission that kills its worker breaks only its own pool, so it
        # cannot take the others down with it.
        for r in retry:
            for raw in _round(course, 1, [(r.trainee, (r.assessment,))]):
                done(raw, 2)
    finally:
        bar.stop()
    order = {(t, a): i for i, (t, a) in enumerate((t, a) for t, aa in todo.items() for a in aa)}
    outcomes.sort(key=lambda o: order[(o.trainee, o.assessment)])
    failed = any(not o.ok for o in outcomes)
    return GradeReport(tuple(outcomes), n, time.monotonic() - start, course.root / GRADING_LOG if failed else None)


def log_failure(course: Course, o: GradeOutcome) -> Path:
    """Append the failed attempt, with nbgrader's log or the traceback, to the course's grading log."""
    path = course.root / GRADING_LOG
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with path.open("a", encoding="utf-8") as f:
        f.write(f"=== {stamp} {o.assessment} {o.trainee} (attempt {o.attempts}): {o.error}\n"
                f"{o.log.rstrip() or '(no log)'}\n\n")
    return path


DIED = "the grading process died (out of memory?)"


def _retryable(raw) -> bool:
    # A kernel that dies while starting (seen with two workers on a loaded 2-CPU machine)
    # says nothing about the submission: grade it again, alone.
    return (raw.error.startswith(DIED) or any(m in raw.log for m in DB_ERRORS)
            or any(m in raw.error or m in raw.log for m in KERNEL_START_ERRORS))


def _round(course: Course, n: int, jobs: Iterable[tuple[str, tuple[str, ...]]]):
    """Grade ``(trainee, assessments)`` jobs with ``n`` fresh worker processes; yield outcomes.

    The workers fork when the first job is submitted; nothing in this process runs a thread
    then (the progress bar refreshes by hand), which is what makes forking safe.
    """
    from . import worker_process

    jobs = list(jobs)
    if not jobs:
        return
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_worker, initargs=(str(course.root), language())) as pool:
        futures = {pool.submit(_grade_job, t, a): (t, a) for t, a in jobs}
        for fut in as_completed(futures):
            trainee, assessments = futures[fut]
            try:
                yield from fut.result()
            except BrokenProcessPool:
                why = f"{DIED}; it was not graded"
                for a in assessments:
                    yield worker_process.RawOutcome(trainee, a, False, None, None, 0.0, 0.0, False, why, "", 0.0)


def _init_worker(root: str, lang: str) -> None:  # module-level, so the pool can name it
    from . import worker_process

    set_language(lang)  # a spawned worker says its notes in the course's language too
    worker_process.init(root)


def _grade_job(trainee: str, assessments: tuple[str, ...]) -> list:
    from . import worker_process

    return worker_process.grade_trainee(trainee, assessments)


class _Bar:
    """A rich progress bar on stderr (or nothing)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.progress, self.task = total, enabled, None, None

    def start(self) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        # auto_refresh=False: no refresh thread, so worker processes can be forked safely.
        self.progress = Progress(
            TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=Console(stderr=True), auto_refresh=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("", total=self.total)
        self.progress.refresh()

    def advance(self, o: GradeOutcome) -> None:
        if self.progress is None:
            return
        mark = "ok" if o.ok else "FAILED"
        self.progress.update(self.task, advance=1, description=f"{o.trainee} {o.assessment}: {mark}")
        if not o.ok:
            self.progress.console.print(f"{o.trainee} {o.assessment}: {o.error}", style="red", markup=False)
        self.progress.refresh()

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
