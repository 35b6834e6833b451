"""A grade cell that is not one of crmtrain's answer checks runs in a real kernel, and safely.

Q001's test here is hand-written (as a specialist might write one), so the scoring step
cannot read it as data. It still scores in a kernel, which asserts it is one; and a module
placed beside the notebook to replace ``json`` is never imported: the kernel works in an
empty folder holding only the vetted answers, with its working directory off ``sys.path``.
The module is put straight into the collected submission, where crmtrain's intake has not
seen it, and graded with stock ``nbgrader autograde`` first.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from grading_fixtures import ASSESSMENT, Trainee, make_course, subprocess_env

from crmtrain.grading.verbs import autograde, collect, release
from crmtrain.grading.presentation import results

pytestmark = pytest.mark.nbgrader

CUSTOM = ("# A hand-written test\n"
          "### BEGIN HIDDEN TESTS\n"
          "import json\n"
          "assert get_ipython() is not None  # a real kernel\n"
          "assert json.load(open('answers.json'))['answers'].get('Q001') == 'opt-kx72'\n"
          "### END HIDDEN TESTS\n")
ANSWERS = {"Q001": "opt-kx72", "Q002": ["opt-mz11"], "Q003": 24, "Q004": False, "Q005": []}


def _answers(folder, answers):
    (folder / "answers.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")


def test_an_unrecognised_grade_cell_runs_in_a_safe_kernel(tmp_path, blank_gradebook):  # noqa: F811
    course = make_course(tmp_path / "course", tmp_path / "exchange")
    shutil.copy(blank_gradebook, course.db_path)
    src = course.source_dir(ASSESSMENT) / f"{ASSESSMENT}.ipynb"
    nb = nbformat.read(src, as_version=4)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "Q001").source = CUSTOM
    nbformat.write(nb, src)
    release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(days=1))
    for name, given in (("right", ANSWERS), ("wrong", {**ANSWERS, "Q001": "opt-kx71"})):
        t = Trainee(name, tmp_path / "home" / name, course)
        _answers(t.fetch(), given)
        t.submit()
    collect.collect(course, ASSESSMENT)
    pwned = tmp_path / "pwned"
    for name in ("right", "wrong"):
        (course.submitted_dir(name, ASSESSMENT) / "json.py").write_text(
            f"open({str(pwned)!r}, 'w').write('imported')\n"
            "def load(f):\n    return {'answers': {'Q001': 'opt-kx72'}}\n")

    stock = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSESSMENT, "--force"], cwd=course.root,
                           env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert stock.returncode == 0, stock.stderr[-3000:]
    assert "not crmtrain answer checks: running them in a kernel" in stock.stderr
    assert not pwned.exists()  # json.py beside the notebook was never imported
    scores = {r.trainee: r for r in results.results(course, ASSESSMENT)}
    assert scores["right"].item("Q001").score == 2 and scores["wrong"].item("Q001").score == 0
    assert scores["right"].score == 3 and scores["wrong"].score == 1  # Q003 is scored as data

    graded = autograde.grade(course, [ASSESSMENT], workers=1)
    assert {o.trainee: o.score for o in graded.outcomes} == {"right": 3, "wrong": 1}
    assert all(o.note_line == "1 extra file ignored" for o in graded.outcomes)
    assert not pwned.exists()
