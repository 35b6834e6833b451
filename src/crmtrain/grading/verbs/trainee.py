"""The trainee's side of the exchange: fetch and submit as one trainee, from their own home.

What a trainee's JupyterLab does through nbgrader's Assignment List, for the simulated
trainees of the demo, the end-to-end tests and the benchmarks. ``CourseDirectory.student_id``
names the trainee, as a JupyterHub login would.
"""

from __future__ import annotations

from pathlib import Path

from ..plumbing.config import CONFIG_NAME, PLUGINS
from ..plumbing.course import Course


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


def configured(root: str | Path) -> bool:
    """Whether an ``nbgrader_config.py`` in ``root`` or on Jupyter's config path names a course for a server.

    Asked before :class:`OwnExchange` is made: importing nbgrader is about 38 MB of a trainee's
    server (nbconvert, SQLAlchemy...), for nothing on a server without a course (docs/benchmarks.md).
    """
    from jupyter_core.paths import jupyter_config_path

    return any((Path(folder) / CONFIG_NAME).is_file() for folder in [root, *jupyter_config_path()])


class OwnExchange:
    """The exchange as a trainee's own Jupyter server sees it, through nbgrader's Assignment List.

    The same code as nbgrader's JupyterLab panel (its server extension's manager), with the
    same configuration (the trainee's ``nbgrader_config.py`` on Jupyter's config path), so
    fetch, submit and fetching feedback behave exactly as there. ``root`` is the server's root.
    """

    ACTIONS = {"fetch": "fetch_assignment", "submit": "submit_assignment", "feedback": "fetch_feedback"}

    def __init__(self, root: str | Path) -> None:
        from nbgrader.server_extensions.assignment_list.handlers import AssignmentList

        self.manager = AssignmentList()
        self.manager.root_dir = str(root)

    def configured(self) -> bool:
        """Whether an ``nbgrader_config.py`` names a course for this server (else there is nothing to list)."""
        return configured(self.manager.root_dir)

    def listing(self) -> list[dict]:
        """nbgrader's list: released and fetched assessments, then the submitted ones with their feedback."""
        found = self.manager.list_assignments()
        if not found.get("success"):
            raise OSError(str(found.get("value", "the exchange could not be listed")))
        return found["value"]

    def act(self, action: str, course_id: str, assessment: str) -> None:
        """Fetch, submit or fetch the feedback of ``assessment`` (OSError with nbgrader's reason if it fails)."""
        done = getattr(self.manager, self.ACTIONS[action])(course_id, assessment)
        if not done.get("success"):
            raise OSError(str(done.get("value", f"{action} failed")))

    def is_for_me(self, schedule: dict) -> bool:
        """Whether an assessment with this published schedule is for this server's trainee (see exchange.restrict).

        The trainee is who nbgrader fetches as: the configured student id, else the account.
        """
        from nbgrader.utils import get_username

        from ..exchange.restrict import is_for

        with _in(self.manager.root_dir):
            student = self.manager.load_config().CourseDirectory.get("student_id")
        return is_for(schedule, student if student and student != "*" else get_username())

    def folders(self) -> dict[str, Path]:
        """Where this server's nbgrader lists from: the exchange's root, its submission cache, the fetched copies' folder."""
        from nbgrader.exchange import ExchangeFactory

        with _in(self.manager.root_dir):
            config = self.manager.load_config()
            lister = ExchangeFactory(config=config).List(config=config)
        root = Path(self.manager.root_dir)
        return {"exchange": root / lister.root, "cache": root / lister.cache, "assignments": root / lister.assignment_dir}

    def schedules(self, course_id: str) -> dict[str, dict]:
        """``{assessment: {"title", "due", "timezone"}}`` the release published (release.publish_schedule)."""
        import json

        from nbgrader.exchange import ExchangeFactory

        from ..plumbing.config import SCHEDULE_DIR

        with _in(self.manager.root_dir):
            config = self.manager.load_config()
            root = ExchangeFactory(config=config).List(config=config).root  # the configured exchange's folder
        out = {}
        for path in sorted((Path(root) / course_id / SCHEDULE_DIR).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                out[path.stem] = data
        return out


def _in(folder: str):
    from nbgrader.server_extensions.assignment_list.handlers import chdir

    return chdir(folder)
