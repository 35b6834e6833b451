"""A course whose assessment the real notebook builder makes from six questions of every type.

The six :data:`ITEMS` become questions of the English sample regulation (their refs are its
items) and :func:`source_notebook` is what ``crmtrain course`` writes for an assessment
asking them: ``notebooks.assessments.assessment_notebook``, the builder itself — a locked
setup cell, per item a question, a locked answer cell showing the widget and the graded
cell (a hidden test holding the key, or a task cell for the open answer), every item cell
with ``metadata["crmtrain"]``. Tests that tamper with a submission or check the metadata
read the cells the trainees really get.

Trainees are simulated with nbgrader's own exchange classes (in process, one home folder
each, ``CourseDirectory.student_id`` naming them) and answer by saving ``answers.json``
from inside a kernel, the way the widgets do.

A pytest plugin too (tests/conftest.py loads it): its fixtures ``blank_gradebook`` and
``course`` need no import; tests import only the helpers.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell

from crmtrain.grading.plumbing.config import write_config
from crmtrain.grading.plumbing.course import Course
from crmtrain.runtime.check import is_correct

COURSE_ID = "crm-test"
ASSESSMENT = "initial"


@dataclass(frozen=True)
class FixtureItem:
    id: str
    type: str
    points: int
    topic: str
    refs: tuple[str, ...]
    text: str
    options: tuple[str, ...] = ()
    key: Any = None  # None for open answers
    tolerance: float = 0.0


# Distinctive option ids so a scan for key material cannot match by accident.
ITEMS = (
    FixtureItem("Q001", "single", 2, "technical", ("access",), "Where do you log in?",
                ("opt-kx71", "opt-kx72", "opt-kx73"), "opt-kx72"),
    FixtureItem("Q002", "multiple", 3, "processes", ("order-intake",), "Which steps need a manager?",
                ("opt-mz11", "opt-mz12", "opt-mz13", "opt-mz14"), ("opt-mz11", "opt-mz14")),
    FixtureItem("Q003", "numeric", 1, "sales", ("contact-timing",), "Call back within how many hours?",
                key=24.0, tolerance=0.5),
    FixtureItem("Q004", "true_false", 1, "sales", ("lead-conversion",), "A lead with a signed KP is a client.",
                key=True),
    FixtureItem("Q005", "ordering", 2, "processes", ("deal-pipeline",), "Order the deal statuses.",
                ("opt-or91", "opt-or92", "opt-or93"), ("opt-or93", "opt-or91", "opt-or92")),
    FixtureItem("Q006", "open", 3, "sales", ("commercial-proposal",), "Explain where the KP comes from."),
)

@functools.lru_cache(maxsize=1)
def regulation():
    """The English sample regulation: the builder's context (language, pass mark, the items refs name)."""
    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path

    return load(sample_path("en"))


def question(item: FixtureItem):
    """A fixture item as the regulation's question (option texts say their ids)."""
    from crmtrain.regulation.models import Question

    return Question.model_validate({
        "id": item.id, "type": item.type, "topic": item.topic, "refs": list(item.refs), "text": item.text,
        "options": [{"id": o, "text": f"Option {o}"} for o in item.options], "answer": item.key,
        "tolerance": item.tolerance, "points": item.points})


def source_notebook(items=ITEMS, assessment: str = ASSESSMENT, slots=(), course: str = "") -> nbformat.NotebookNode:
    """The assessment's nbgrader source notebook, as the notebook builder writes it (``slots``: SlotPlans
    asked after the items, their seeds from ``course``)."""
    from crmtrain.notebooks.assessments import assessment_notebook

    reg = regulation()
    spec = getattr(reg.assessments, assessment)
    return assessment_notebook(reg, assessment, spec.title, spec.description, [question(it) for it in items],
                               reg.meta.pass_mark, slots=tuple(slots), course=course)


def cell(nb, grade_id: str) -> nbformat.NotebookNode:
    """The cell of ``nb`` with that nbgrader grade_id."""
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def setup_source() -> str:
    """The setup cell's source: what a tampered setup cell must be restored to."""
    return cell(source_notebook(), "setup").source


def hidden_lines(nb=None) -> list[str]:
    """The lines between the hidden-test markers of every graded cell (the checks and their keys)."""
    lines = []
    for c in (nb or source_notebook()).cells:
        if "### BEGIN HIDDEN TESTS" in c.source:
            inside = c.source.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS", 1)[0]
            lines += [ln for ln in inside.splitlines() if ln.strip()]
    return lines


def make_course(root: Path, exchange: Path, assessments=(ASSESSMENT,)) -> Course:
    """A course with the fixture assessment written as each of ``assessments``' source."""
    write_config(root, COURSE_ID, exchange)
    for a in assessments:
        folder = root / "source" / a
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(assessment=a), folder / f"{a}.ipynb")
    return Course.load(root)


def expected_autoscore(answers: dict[str, Any], items=ITEMS) -> float:
    """Autograded points earned by ``answers``, computed straight from the key."""
    return float(sum(it.points for it in items if it.key is not None
                     and is_correct(it.type, answers.get(it.id), it.key, it.tolerance)))


def key_needles() -> list[str]:
    """Strings that would betray the key if found in a released or exchange file.

    Key values alone are no evidence (the question lists the option ids, answers.json and
    the feedback show the trainee's own, possibly right, answer); the hidden-test text is.
    """
    checks = [ln for ln in hidden_lines() if ln.startswith("check(")]
    assert len(checks) == sum(it.key is not None for it in ITEMS)  # one check, with its key, per autograded item
    return ["BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "check(", *checks]


# --- the trainee side -------------------------------------------------------------------


@dataclass
class Trainee:
    """One trainee with their own home folder and nbgrader cache."""

    id: str
    home: Path
    course: Course
    answers: dict[str, Any] = field(default_factory=dict)

    def _config(self, assessment: str):
        from traitlets.config import Config

        cfg = Config()
        cfg.CourseDirectory.course_id = self.course.course_id
        cfg.CourseDirectory.student_id = self.id
        cfg.CourseDirectory.assignment_id = assessment
        cfg.CourseDirectory.root = str(self.home)
        cfg.Exchange.root = str(self.course.exchange_dir)
        cfg.Exchange.assignment_dir = str(self.home)
        cfg.Exchange.cache = str(self.home / ".nbgrader_cache")
        return cfg

    def _exchange(self, name: str, assessment: str):
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeFactory

        cfg = self._config(assessment)
        # The course config decides the fetch class, as a trainee's global config would.
        cfg.ExchangeFactory.fetch_assignment = "crmtrain.grading.plugins.RecordingFetchAssignment"
        coursedir = CourseDirectory(config=cfg)
        factory = ExchangeFactory(config=cfg)
        return getattr(factory, name)(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)

    def folder(self, assessment: str) -> Path:
        return self.home / assessment

    def fetch(self, assessment: str = ASSESSMENT) -> Path:
        self._exchange("FetchAssignment", assessment).start()
        return self.folder(assessment)

    def submit(self, assessment: str = ASSESSMENT) -> None:
        self._exchange("Submit", assessment).start()

    def answer(self, answers: dict[str, Any], assessment: str = ASSESSMENT) -> None:
        """Run the fetched notebook and save ``answers`` from inside its kernel."""
        from nbclient import NotebookClient

        self.answers = dict(answers)
        folder = self.folder(assessment)
        path = folder / f"{assessment}.ipynb"
        nb = nbformat.read(path, as_version=4)
        save = new_code_cell(
            "import json, os, tempfile\n"
            f"_data = {{'answers': json.loads({json.dumps(json.dumps(answers))})}}\n"
            "_fd, _tmp = tempfile.mkstemp(dir='.', prefix='.answers.json.', suffix='.tmp')\n"
            "with os.fdopen(_fd, 'w', encoding='utf-8') as _f:\n"
            "    json.dump(_data, _f)\n"
            "os.replace(_tmp, 'answers.json')\n"
        )
        run = nbformat.from_dict(json.loads(json.dumps(nb)))
        run.cells.append(save)
        NotebookClient(run, timeout=60, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
        # The trainee's saved notebook is the released one (answers live in answers.json).
        nbformat.write(nb, path)

    def add_code_cell(self, source: str, index: int, assessment: str = ASSESSMENT) -> None:
        path = self.folder(assessment) / f"{assessment}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nb.cells.insert(index, new_code_cell(source))
        nbformat.write(nb, path)

    def edit_cell(self, grade_id: str, new_source: str, assessment: str = ASSESSMENT) -> None:
        path = self.folder(assessment) / f"{assessment}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                cell.source = new_source
        nbformat.write(nb, path)


def grade_by_hand(course: Course, trainee: str, grade_id: str, score: float, assessment: str = ASSESSMENT) -> None:
    """What nbgrader's formgrader does when the specialist scores an open answer."""
    from crmtrain.grading.plumbing.gradebook import hand_grade

    hand_grade(course, assessment, trainee, grade_id, score)


def stock_copy(course: Course, tmp_path: Path) -> Path:
    """A copy of the collected course with nbgrader's own configuration only: no crmtrain preprocessor.

    What a specialist running stock ``nbgrader autograde`` would grade with; tests compare it
    with ``crmtrain grade``.
    """
    import shutil

    root = tmp_path / "stock"
    shutil.copytree(course.root, root)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Autograde.exclude_overwriting = {{{ASSESSMENT!r}: ['answers.json']}}\n", encoding="utf-8")
    return root


def grade_both_ways(course: Course, tmp_path: Path, submissions: int) -> tuple[Path, dict]:
    """Collect, then grade with stock ``nbgrader autograde`` (a copy) and ``crmtrain grade``.

    Returns the stock copy's gradebook file and crmtrain's results by trainee.
    """
    import subprocess
    import sys

    from crmtrain.grading.verbs import autograde, collect
    from crmtrain.grading.presentation import results

    collect.collect(course, ASSESSMENT)
    stock_root = stock_copy(course, tmp_path)
    stock = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSESSMENT, "--force"], cwd=stock_root,
                           env=subprocess_env(), capture_output=True, text=True, timeout=900)
    assert stock.returncode == 0, stock.stderr[-3000:]
    graded = autograde.grade(course, [ASSESSMENT], workers=1)
    assert all(o.ok for o in graded.outcomes) and len(graded.outcomes) == submissions
    return stock_root / "gradebook.db", {r.trainee: r for r in results.results(course, ASSESSMENT)}


def subprocess_env(extra_path: Path | None = None) -> dict[str, str]:
    """The environment for stock ``nbgrader`` commands: the venv's tools, crmtrain importable."""
    import os
    import sys

    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", "")))
    return env


# --- pytest fixtures (tests/conftest.py loads this module as a plugin) -------------------

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def blank_gradebook(tmp_path_factory) -> Path:
    """An empty gradebook for COURSE_ID, made once: nbgrader spends seconds creating one."""
    from nbgrader.api import Gradebook

    from crmtrain.grading.plumbing.course import nbgrader_tools_on_path

    nbgrader_tools_on_path()
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    Gradebook(f"sqlite:///{path}", COURSE_ID).close()
    return path


@pytest.fixture
def course(tmp_path, blank_gradebook) -> Course:
    """A fresh course in tmp_path (exchange in tmp_path too) with the fixture assessment."""
    import shutil

    c = make_course(tmp_path / "course", tmp_path / "exchange")
    shutil.copy(blank_gradebook, c.db_path)
    return c
