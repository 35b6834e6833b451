"""The course's ``nbgrader_config.py``: written from one template, read back without running it.

The specialist's config names the course, the exchange, the time zone, the late-penalty rule,
optionally a gradebook server, and crmtrain's steps in nbgrader's autograde chains (see the
comments in the template); the trainees' config names the same exchange and crmtrain's fetch
and submit plugins. Reading one (:func:`read_settings`) parses its ``c.X.y = literal`` lines,
so a command learns the course id without importing nbgrader.
"""

from __future__ import annotations

import ast
import contextlib
import re
import zoneinfo
from pathlib import Path
from typing import Any

from ...errors import UserError
from ...kinds.assessments import COURSE_ASSESSMENTS
from ...runtime.check import ANSWERS_FILE

CONFIG_NAME = "nbgrader_config.py"
FETCHED_DIR = "fetched"  # exchange/<course>/fetched/: one marker per fetch (see fetchlog.py)
SCHEDULE_DIR = "schedule"  # exchange/<course>/schedule/<assessment>.json: title and due date (release.py)
PLUGINS = "crmtrain.grading.plugins"
LATE_PENALTIES = ("none", "zero")

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
# OwnDueDate gives each trainee nbgrader's per-student extension up to their own due date
# (their start, their own earlier submission, a date the specialist moved: schedule.json)
# before AssignLatePenalties counts lateness.
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
    "{plugins}.OwnDueDate",
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
    value = read_settings(path).get("CourseDirectory.db_url")
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
        exclude={a: [ANSWERS_FILE] for a in COURSE_ASSESSMENTS},
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


def read_settings(path: Path) -> dict[str, Any]:
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
