"""Partial credit: stock nbgrader and ``crmtrain grade`` give a partly right answer the same points.

The fixture assessment's multiple-choice item Q002 (3 points, right: mz11 and mz14) and
ordering item Q005 (2 points, right: or93, or91, or92) ask for partial credit, as the notebook
builder writes it for ``partial_credit: true``: their checks pass the points. Four trainees
submit partly right answers. Stock ``nbgrader autograde`` — nbgrader's default preprocessors,
every grade cell run in a real kernel, the printed number read as partial credit — grades a
copy of the course; ``crmtrain grade`` (its kernel-less scoring of the checks) grades the
course itself. Both give every item the points the documented rule gives (docs/measurement.md).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import nbformat
import pytest
from grading_fixtures import ASSESSMENT, Trainee, grade_both_ways, make_course
from nbgrader.api import Gradebook

from crmtrain.grading.verbs import release

pytestmark = pytest.mark.nbgrader

PARTIAL = {"Q002": 3, "Q005": 2}  # item -> its points, passed to the check for partial credit
RIGHT = {"Q001": "opt-kx72", "Q002": ["opt-mz11", "opt-mz14"], "Q003": 24, "Q004": True,
         "Q005": ["opt-or93", "opt-or91", "opt-or92"]}
# trainee -> (answers to Q002 and Q005, the points they earn by the rule)
SUBMISSIONS = {
    "half": ({"Q002": ["opt-mz11"], "Q005": ["opt-or91", "opt-or93", "opt-or92"]},
             {"Q002": 1.5, "Q005": 1.3333}),  # 1 of 2 right options; 2 of 3 pairs in order
    "extra": ({"Q002": ["opt-mz11", "opt-mz12", "opt-mz14"], "Q005": ["opt-or92", "opt-or91", "opt-or93"]},
              {"Q002": 1.5, "Q005": 0.0}),  # 2 right - 1 wrong of 2; reversed
    "wrong": ({"Q002": ["opt-mz12", "opt-mz13"], "Q005": ["opt-or93", "opt-or92", "opt-or91"]},
              {"Q002": 0.0, "Q005": 1.3333}),  # never below 0; one neighbouring swap
    "right": ({}, {"Q002": 3.0, "Q005": 2.0}),
}


def _ask_for_partial_credit(course) -> None:
    src = course.source_dir(ASSESSMENT) / f"{ASSESSMENT}.ipynb"
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        points = PARTIAL.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if points and cell.metadata["nbgrader"].get("grade"):
            assert cell.source.count(")\n### END HIDDEN TESTS") == 1
            cell.source = cell.source.replace(")\n### END HIDDEN TESTS", f", points={points})\n### END HIDDEN TESTS")
    nbformat.write(nb, src)


def test_stock_nbgrader_and_crmtrain_grade_give_the_same_partial_credit(tmp_path, blank_gradebook):
    course = make_course(tmp_path / "course", tmp_path / "exchange")
    shutil.copy(blank_gradebook, course.db_path)
    _ask_for_partial_credit(course)
    release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(days=1))
    for name, (given, _) in SUBMISSIONS.items():
        t = Trainee(name, tmp_path / "home" / name, course)
        folder = t.fetch()
        (folder / "answers.json").write_text(json.dumps({"answers": {**RIGHT, **given}}), encoding="utf-8")
        t.submit()
    stock_db, ours = grade_both_ways(course, tmp_path, len(SUBMISSIONS))
    with Gradebook(f"sqlite:///{stock_db}") as gb:
        for name, (_, earned) in SUBMISSIONS.items():
            theirs = {i: gb.find_grade(i, ASSESSMENT, ASSESSMENT, name).score for i in RIGHT}
            assert {i: theirs[i] for i in PARTIAL} == pytest.approx(earned, abs=1e-9)
            assert {i: ours[name].item(i).score for i in RIGHT} == pytest.approx(theirs, abs=1e-9)
            assert ours[name].score == pytest.approx(gb.find_submission(ASSESSMENT, name).score, abs=1e-9)
            assert ours[name].score == pytest.approx(2 + 1 + 1 + sum(earned.values()), abs=1e-9)
