"""A hand-made assessment that mimics what the notebook builder will generate.

The source notebook has, in order: a title; a locked setup cell; per item a question
(markdown), a locked answer cell that shows the saved answer (real widgets come later) and
the graded cell — an autograder test cell whose hidden tests hold the key, or, for the open
answer, a manually graded task cell. Every item cell carries ``metadata["crmtrain"]``.

Trainees are simulated with nbgrader's own exchange classes (in process, one home folder
each, ``CourseDirectory.student_id`` naming them) and answer by saving ``answers.json``
from inside a kernel, the way the widgets will.

A pytest plugin too (tests/conftest.py loads it): its fixtures ``blank_gradebook`` and
``course`` need no import; tests import only the helpers.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmtrain.runtime.check import is_correct
from crmtrain.grading.plumbing.config import write_config
from crmtrain.grading.plumbing.course import Course

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
    FixtureItem("Q004", "true_false", 1, "sales", ("conversion",), "A lead with a signed KP is a client.",
                key=True),
    FixtureItem("Q005", "ordering", 2, "processes", ("pipeline",), "Order the deal statuses.",
                ("opt-or91", "opt-or92", "opt-or93"), ("opt-or93", "opt-or91", "opt-or92")),
    FixtureItem("Q006", "open", 3, "sales", ("proposal",), "Explain where the KP comes from."),
)

SETUP_SOURCE = textwrap.dedent(
    """\
    # Setup (locked): the answers are read from answers.json next to this notebook.
    from crmtrain.runtime.check import saved_answer as _crm_saved
    """
)


def _nbg(grade_id: str, *, grade: bool = False, solution: bool = False, task: bool = False,
         points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": True, "schema_version": 3,
            "solution": solution, "task": task}
    if grade or task:
        meta["points"] = points
    return meta


def _crm(item: FixtureItem) -> dict:
    return {"item": item.id, "topic": item.topic, "refs": list(item.refs), "type": item.type,
            "points": item.points}


def hidden_test_source(item: FixtureItem) -> str:
    args = [repr(item.id), repr(item.type), repr(list(item.key) if isinstance(item.key, tuple) else item.key)]
    if item.tolerance:
        args.append(f"tolerance={item.tolerance!r}")
    return (
        f"# Answer check for {item.id}\n"
        "### BEGIN HIDDEN TESTS\n"
        "from crmtrain.runtime.check import check\n"
        f"check({', '.join(args)})\n"
        "### END HIDDEN TESTS\n"
    )


def source_notebook(items=ITEMS) -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Initial assessment"),
             new_code_cell(SETUP_SOURCE, metadata={"nbgrader": _nbg("setup"), "editable": False,
                                                   "deletable": False})]
    for it in items:
        crm = _crm(it)
        options = "".join(f"\n- `{o}`" for o in it.options)
        cells.append(new_markdown_cell(f"**{it.id}.** {it.text}{options}", metadata={"crmtrain": crm}))
        cells.append(new_code_cell(
            f"print({it.id!r}, _crm_saved({it.id!r}))",
            metadata={"crmtrain": crm, "nbgrader": _nbg(f"{it.id}-answer"), "editable": False,
                      "deletable": False}))
        if it.type == "open":
            cells.append(new_markdown_cell(
                f"_{it.id} is graded by the specialist._",
                metadata={"crmtrain": crm, "nbgrader": _nbg(it.id, task=True, points=it.points)}))
        else:
            cells.append(new_code_cell(
                hidden_test_source(it),
                metadata={"crmtrain": crm, "nbgrader": _nbg(it.id, grade=True, points=it.points),
                          "editable": False, "deletable": False}))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def make_course(root: Path, exchange: Path, assessments=(ASSESSMENT,)) -> Course:
    """A course with the fixture assessment written as each of ``assessments``' source."""
    write_config(root, COURSE_ID, exchange)
    for a in assessments:
        folder = root / "source" / a
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(), folder / f"{a}.ipynb")
    return Course.load(root)


def expected_autoscore(answers: dict[str, Any], items=ITEMS) -> float:
    """Autograded points earned by ``answers``, computed straight from the key."""
    return float(sum(it.points for it in items if it.key is not None
                     and is_correct(it.type, answers.get(it.id), it.key, it.tolerance)))


def key_needles(items=ITEMS) -> list[str]:
    """Strings that would betray the key if found in a released or exchange file.

    Key values alone are no evidence (the question lists the option ids, answers.json and
    the feedback show the trainee's own, possibly right, answer); the hidden-test text is.
    """
    needles = ["BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "check("]
    needles += [hidden_test_source(it).splitlines()[3] for it in items if it.key is not None]
    return needles


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
