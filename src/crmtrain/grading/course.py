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

Reading a course must stay cheap (the CLI starts in well under a second), so nothing here
imports nbgrader at module level: ``nbgrader_config.py`` is *parsed*, not executed, to learn
the course id and exchange folder; nbgrader itself is imported only inside :meth:`Course.api`
and in :mod:`.gradebook`, when a command actually needs it.
"""

from __future__ import annotations

import ast
import contextlib
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..kinds.assessments import ASSESSMENTS
from ..runtime.check import ANSWERS_FILE
from .defaults import DEFAULT_COURSE_ID, DEFAULT_EXCHANGE

CONFIG_NAME = "nbgrader_config.py"
GRADEBOOK = "gradebook.db"  # nbgrader's sqlite gradebook in the course folder
FETCHED_DIR = "fetched"  # exchange/<course>/fetched/: one marker per fetch (see fetchlog.py)
PLUGINS = "crmtrain.grading.plugins"
LATE_PENALTIES = ("none", "zero")
BUSY_TIMEOUT_S = 60  # how long a gradebook writer waits for another one (sqlite busy timeout)

_COURSE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

_CONFIG_TEMPLATE = '''\
"""nbgrader configuration for the crmtrain course {course_id!r}.

Written by crmtrain; stock `nbgrader` commands run in this folder read it too.
Run `nbgrader` here (this folder is the course root) or pass --CourseDirectory.root.
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

# The course and the exchange folder trainees fetch from and submit to.
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}

# Time zone for showing due dates in the formgrader and reading dates given to crmtrain.
# Timestamps themselves are stored in UTC.
c.NbGraderAPI.timezone = {timezone!r}

# A late submission is recorded with its delay; "none" keeps the score, "zero" zeroes it.
c.LateSubmissionPlugin.penalty_method = {late_penalty!r}

{db_url_line}# Trainees answer with widgets; each answer is saved to {answers!r} next to the notebook.
# Submit carries that file and autograde copies it; never replace it with a source copy.
c.Autograde.exclude_overwriting = {exclude!r}

# Grading: a submission counts only for its answers.json and the key. nbgrader's own chains,
# with two steps of crmtrain's: the released notebook is graded in place of the trainee's
# copy (so added, edited or retyped cells and changed metadata count for nothing), and the
# answer checks crmtrain generated are scored from answers.json as data, without a kernel,
# in place of nbgrader's Execute (any other grade cell still runs in a kernel). ShowAnswers
# then writes each answer under its question as static HTML, for formgrader and feedback.
c.Autograde.sanitize_preprocessors = [
    "{plugins}.UseReleasedNotebook",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "{plugins}.ScoreAnswers",
    "{plugins}.ShowAnswers",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# nbgrader does not record who fetched an assessment: these exchange plugins also drop a
# marker in <exchange>/<course>/{fetched}/ on every fetch (read by `crmtrain status`).
c.ExchangeFactory.fetch_assignment = "{plugins}.RecordingFetchAssignment"
c.ExchangeFactory.release_assignment = "{plugins}.RecordingReleaseAssignment"

# Collecting copies a link as a link (grading then ignores it) and never opens a pipe or a
# device: stock collect would follow links with the specialist's rights.
c.ExchangeFactory.collect = "{plugins}.SafeCollect"

# Feedback shows each trainee their answers and points, never the answer key: the hidden
# test cells are blanked and their tracebacks dropped before the HTML is written.
c.GenerateFeedback.HTMLExporter.preprocessors = ["{plugins}.HideKey"]
'''


_DB_URL_TEMPLATE = """\
# The gradebook lives in a database server, so several graders can work at once.
c.CourseDirectory.db_url = {db_url!r}

"""
DB_SCHEMES = ("sqlite", "postgresql")


def check_db_url(db_url: str | None) -> None:
    """UserError unless ``db_url`` is None or an sqlite:// or postgresql:// address."""
    if db_url is None:
        return
    scheme = db_url.split("://", 1)[0].split("+", 1)[0] if "://" in db_url else ""
    if scheme not in DB_SCHEMES:
        raise UserError(f"gradebook address {db_url!r} must start with sqlite:/// or postgresql://")


def existing_db_url(root: str | Path) -> str | None:
    """The ``db_url`` an existing course configuration sets (so a rebuild keeps it), if any."""
    path = Path(root) / CONFIG_NAME
    if not path.is_file():
        return None
    value = _read_settings(path).get("CourseDirectory.db_url")
    return value if isinstance(value, str) and value else None


def config_text(course_id: str, exchange_dir: str | Path, *, timezone: str = "UTC", late_penalty: str = "none",
                db_url: str | None = None) -> str:
    """The text of ``nbgrader_config.py`` (deterministic: same arguments, same bytes).

    ``db_url`` puts the gradebook in a database server (``postgresql://...``) instead of the
    course folder's ``gradebook.db``.
    """
    if not _COURSE_ID.match(course_id or ""):
        raise UserError(f"course id {course_id!r} must be letters, digits, '.', '_' or '-' (no spaces)")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UserError(f"unknown time zone {timezone!r} (use a name such as 'Europe/Moscow' or 'UTC')") from None
    if late_penalty not in LATE_PENALTIES:
        raise UserError(f"late penalty {late_penalty!r} must be one of: {', '.join(LATE_PENALTIES)}")
    check_db_url(db_url)
    return _CONFIG_TEMPLATE.format(
        db_url_line=(_DB_URL_TEMPLATE.format(db_url=db_url) if db_url else ""),
        course_id=course_id,
        exchange=str(Path(exchange_dir).expanduser().absolute()),
        timezone=timezone,
        late_penalty=late_penalty,
        answers=ANSWERS_FILE,
        exclude={a: [ANSWERS_FILE] for a in ASSESSMENTS},
        fetched=FETCHED_DIR,
        plugins=PLUGINS,
    )


def write_config(
    root: str | Path, course_id: str, exchange_dir: str | Path, *, timezone: str = "UTC", late_penalty: str = "none"
) -> Path:
    """Write ``<root>/nbgrader_config.py`` (and the folder) and return its path."""
    text = config_text(course_id, exchange_dir, timezone=timezone, late_penalty=late_penalty)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    path = root / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


def trainee_config_text(course_id: str, exchange_dir: str | Path) -> str:
    """An ``nbgrader_config.py`` for the trainees' side (e.g. /etc/jupyter/), same exchange."""
    return (
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Exchange.root = {str(Path(exchange_dir).expanduser().absolute())!r}\n"
        f'c.ExchangeFactory.fetch_assignment = "{PLUGINS}.RecordingFetchAssignment"\n'
        f'c.ExchangeFactory.submit = "{PLUGINS}.PrivateSubmit"\n'
    )


def check_assessment(assessment: str) -> str:
    """``assessment`` if it is one of ASSESSMENTS, else a UserError naming the valid ones."""
    if assessment not in ASSESSMENTS:
        raise UserError(f"unknown assessment {assessment!r}: expected one of {', '.join(ASSESSMENTS)}")
    return assessment


def _read_settings(path: Path) -> dict[str, Any]:
    """``{"Section.trait": value}`` for every ``c.Section.trait = <literal>`` line of a config."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise UserError(f"{path}:{exc.lineno}: not valid Python: {exc.msg}") from None
    found: dict[str, Any] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, names = node.targets[0], []
        while isinstance(target, ast.Attribute):
            names.append(target.attr)
            target = target.value
        if isinstance(target, ast.Name) and target.id == "c" and len(names) == 2:
            with contextlib.suppress(ValueError, TypeError, SyntaxError, RecursionError):
                found[f"{names[1]}.{names[0]}"] = ast.literal_eval(node.value)
    return found


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
            raise UserError(f"{root} is not an nbgrader course: {CONFIG_NAME} is missing (run `crmtrain build` first)")
        settings = _read_settings(path)
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
        if not url.startswith("sqlite:"):
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
            raise UserError(
                f"assessment {assessment!r} is not built: no notebook in {self.source_dir(assessment)} "
                "(run `crmtrain build` first)"
            )
        return found

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
