"""The trainee's side of the exchange: fetch and submit as one trainee, from their own home.

What a trainee's JupyterLab does through nbgrader's Assignment List, for the simulated
trainees of the demo, the end-to-end tests and the benchmarks. ``CourseDirectory.student_id``
names the trainee, as a JupyterHub login would.
"""

from __future__ import annotations

from pathlib import Path

from .config import PLUGINS
from .course import Course


def _exchange(course: Course, trainee: str, home: Path, assessment: str, action: str):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory
    from traitlets.config import Config

    cfg = Config()
    cfg.CourseDirectory.course_id = course.course_id
    cfg.CourseDirectory.student_id = trainee
    cfg.CourseDirectory.assignment_id = assessment
    cfg.CourseDirectory.root = str(home)
    cfg.Exchange.root = str(course.exchange_dir)
    cfg.Exchange.assignment_dir = str(home)
    cfg.Exchange.cache = str(home / ".nbgrader_cache")
    cfg.ExchangeFactory.fetch_assignment = f"{PLUGINS}.RecordingFetchAssignment"  # as the trainees' config says
    factory = ExchangeFactory(config=cfg)
    return getattr(factory, action)(coursedir=CourseDirectory(config=cfg),
                                    authenticator=Authenticator(config=cfg), config=cfg)


def fetch(course: Course, trainee: str, home: str | Path, assessment: str) -> Path:
    """nbgrader fetch_assignment: the released assessment into ``home/<assessment>/``."""
    home = Path(home).absolute()
    home.mkdir(parents=True, exist_ok=True)
    _exchange(course, trainee, home, assessment, "FetchAssignment").start()
    return home / assessment


def submit(course: Course, trainee: str, home: str | Path, assessment: str) -> None:
    """nbgrader submit: ``home/<assessment>/`` (notebook and answers.json) into the exchange."""
    _exchange(course, trainee, Path(home).absolute(), assessment, "Submit").start()
