"""The nbgrader course folder that ``crmtrain build`` writes into ``assignments/``.

Layout (nbgrader's default ``directory_structure``)::

    assignments/
      nbgrader_config.py           course id, exchange folder, crmtrain plugins
      gradebook.db                 nbgrader's sqlite gradebook (made on first use)
      source/<assessment>/         what the builder writes: one notebook per assessment
      release/<assessment>/        student version (hidden tests removed)
      submitted/<trainee>/<assessment>/
      autograded/<trainee>/<assessment>/
      feedback/<trainee>/<assessment>/

Its ``nbgrader_config.py`` is written and parsed by :mod:`.config`. Reading a course must
stay cheap (the CLI starts in well under a second), so nothing here imports nbgrader at
module level: ``nbgrader_config.py`` is *parsed*, not executed, to learn
the course id and exchange folder; nbgrader itself is imported only inside :meth:`Course.api`
and in :mod:`.gradebook`, when a command actually needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import UserError
from ...i18n import _
from ...kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS, COURSE_ASSESSMENTS  # noqa: F401  (ASSESSMENTS re-exported)
from ...runtime.check import ANSWERS_FILE  # noqa: F401  (a course folder's file names are asked of this module)
from .config import CONFIG_NAME, FETCHED_DIR, read_settings

AUDIENCE_DIR = "audience"  # <course>/audience/<assessment>.json: who gets a re-test (see verbs/audience.py)
GRADEBOOK = "gradebook.db"  # nbgrader's sqlite gradebook in the course folder
BUSY_TIMEOUT_S = 60  # how long a gradebook writer waits for another one (sqlite busy timeout)


def check_assessment(assessment: str) -> str:
    """``assessment`` if it is one of COURSE_ASSESSMENTS, else a UserError naming the valid ones."""
    if assessment not in COURSE_ASSESSMENTS:
        raise UserError(_("unknown assessment {name}: expected one of {names}").format(
            name=repr(assessment), names=", ".join(COURSE_ASSESSMENTS)))
    return assessment


@dataclass(frozen=True)
class Course:
    """An nbgrader course folder; ``exchange_dir`` is the exchange root shared with trainees."""

    root: Path
    course_id: str
    exchange_dir: Path
    timezone: str = "UTC"
    database: str | None = None  # CourseDirectory.db_url when the config sets one

    @classmethod
    def load(cls, root: str | Path) -> "Course":
        """Read ``<root>/nbgrader_config.py``; UserError if it is missing or incomplete."""
        root = Path(root).expanduser().absolute()
        path = root / CONFIG_NAME
        if not path.is_file():
            raise UserError(_("{folder} is not an nbgrader course: {file} is missing (run `crmtrain build` first)").format(
                folder=root, file=CONFIG_NAME))
        settings = read_settings(path)
        course_id = settings.get("CourseDirectory.course_id")
        exchange = settings.get("Exchange.root")
        problems = []
        if not isinstance(course_id, str) or not course_id:
            problems.append(f"{path}: c.CourseDirectory.course_id is not set to a string")
        if not isinstance(exchange, str) or not exchange:
            problems.append(f"{path}: c.Exchange.root is not set to a string")
        if problems:
            raise UserError("the course configuration is incomplete", problems)
        tz = settings.get("NbGraderAPI.timezone", "UTC")
        exchange_dir = (root / Path(exchange).expanduser()).absolute()  # relative: to the course
        db_url = settings.get("CourseDirectory.db_url")
        if db_url is not None and not isinstance(db_url, str):
            raise UserError(f"{path}: c.CourseDirectory.db_url must be a string such as 'postgresql://...'")
        return cls(root, course_id, exchange_dir, tz if isinstance(tz, str) else "UTC", db_url or None)

    # --- paths ----------------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def db_path(self) -> Path:
        return self.root / GRADEBOOK

    @property
    def db_url(self) -> str:
        """The gradebook's address: the configured server, else ``gradebook.db`` here."""
        return self.database or f"sqlite:///{self.db_path}"

    @property
    def writer_db_url(self) -> str:
        """``db_url`` for writers: sqlite gets a generous busy timeout (workers commit at once)."""
        url = self.db_url
        if not url.startswith("sqlite:") or "timeout=" in url:  # a worker's own url has it already
            return url
        return f"{url}{'&' if '?' in url else '?'}timeout={BUSY_TIMEOUT_S}"

    def source_dir(self, assessment: str) -> Path:
        return self.root / "source" / assessment

    def release_dir(self, assessment: str) -> Path:
        return self.root / "release" / assessment

    def submitted_dir(self, trainee: str, assessment: str) -> Path:
        return self.root / "submitted" / trainee / assessment

    def autograded_dir(self, trainee: str, assessment: str) -> Path:
        return self.root / "autograded" / trainee / assessment

    def feedback_dir(self, trainee: str, assessment: str) -> Path:
        return self.root / "feedback" / trainee / assessment

    @property
    def exchange_course_dir(self) -> Path:
        return self.exchange_dir / self.course_id

    def outbound_dir(self, assessment: str) -> Path:
        return self.exchange_course_dir / "outbound" / assessment

    @property
    def inbound_dir(self) -> Path:
        return self.exchange_course_dir / "inbound"

    @property
    def fetched_dir(self) -> Path:
        return self.exchange_course_dir / FETCHED_DIR

    def source_notebooks(self, assessment: str) -> list[Path]:
        """The assessment's source notebooks, sorted (UserError if it was never built)."""
        check_assessment(assessment)
        found = sorted(self.source_dir(assessment).glob("*.ipynb"))
        if not found:
            raise UserError(_("assessment {name} is not built: no notebook in {folder} (run `{command}` "
                              "first)").format(name=repr(assessment), folder=self.source_dir(assessment),
                                               command=ASSESSMENT_KINDS[assessment].made_by))
        return found

    def assessments(self) -> tuple[str, ...]:
        """The assessments of this course: the regulation's, and any other kind written into it (a re-test)."""
        return tuple(a for a in COURSE_ASSESSMENTS
                     if ASSESSMENT_KINDS[a].in_regulation or self.source_dir(a).is_dir())

    def audience_path(self, assessment: str) -> Path:
        """``<course>/audience/<assessment>.json``: whom an assessment outside the regulation is for."""
        return self.root / AUDIENCE_DIR / f"{assessment}.json"

    def submitted_trainees(self, assessment: str) -> list[str]:
        """Trainees with a collected submission of ``assessment``, sorted."""
        base = self.root / "submitted"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if (p / assessment).is_dir())

    # --- nbgrader (imported only here) ----------------------------------------------------

    def nbgrader_config(self, **overrides: Any):
        """The traitlets Config nbgrader would load here, with the root pinned to this folder.

        ``overrides`` are ``{"Section.trait": value}`` pairs applied on top.
        """
        from traitlets.config.loader import Config, PyFileConfigLoader

        cfg = PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()
        extra = Config()
        extra.CourseDirectory.root = str(self.root)
        for key, value in overrides.items():
            section, trait = key.split(".")
            setattr(getattr(extra, section), trait, value)
        cfg.merge(extra)
        return cfg

    def api(self, **overrides: Any):
        """An ``nbgrader.apps.api.NbGraderAPI`` for this course (imports nbgrader)."""
        nbgrader_tools_on_path()
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        cfg = self.nbgrader_config(**overrides)
        coursedir = CourseDirectory(config=cfg)
        return NbGraderAPI(coursedir=coursedir, config=cfg)


_EXC = re.compile(r"^\s*(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)):\s*(.*)$")


def nbgrader_cause(result: dict) -> str:
    """One line saying why an NbGraderAPI call failed.

    nbgrader logs the real cause (e.g. ``NotJSONError: Notebook does not appear to be
    JSON``) and then raises a generic NbGraderException; this finds the cause.
    """
    causes = []
    for text in (result.get("log") or "", result.get("error") or ""):
        for line in text.splitlines():
            m = _EXC.match(line)
            if m and m.group(1) != "NbGraderException":
                causes.append(f"{m.group(1)}: {m.group(2).strip()}")
    if causes:
        return causes[-1][:300]
    errors = [ln.strip() for ln in (result.get("log") or "").splitlines() if ln.startswith(("[ERROR]", "[CRITICAL]"))]
    return (errors[0] if errors else "nbgrader gave no reason (see its log)")[:300]


def nbgrader_failure(what: str, result: dict) -> UserError:
    """A UserError for a failed NbGraderAPI call: the cause, then the end of nbgrader's log."""
    log = (result.get("log") or "") + (result.get("error") or "")
    tail = [ln for ln in log.splitlines() if ln.strip() and not ln.lstrip().startswith(("File ", "^"))][-8:]
    return UserError(f"{what} failed: {nbgrader_cause(result)}", tail)


def nbgrader_tools_on_path() -> None:
    """Make nbgrader's helper commands findable when crmtrain runs from an inactive venv.

    nbgrader shells out to ``alembic`` (found on PATH) when it creates a gradebook; running
    ``.venv/bin/crmtrain`` without activating the venv would otherwise fail there.
    """
    import os
    import shutil
    import sys

    bindir = str(Path(sys.executable).parent)
    if shutil.which("alembic") is None and (Path(bindir) / "alembic").exists():
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
