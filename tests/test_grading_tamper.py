"""Submissions that try to fool grading: none scores above its honest answers, each is reported.

Every trainee of the batch means to give the same honest answers (worth HONEST of MAX_AUTO
autograded points), then tampers in one way: files, modules and packages beside the notebook,
links, added, edited and retyped cells, changed points, metadata and kernelspec, a garbage,
huge, wrongly typed or missing answers.json, a deleted or renamed notebook, every option
ticked. Some tampering cannot pass through nbgrader's submit (it copies link targets and
refuses pipes), so it is planted in the exchange's inbound folder, where a trainee who can
write there would put it. The whole batch is collected and graded once, by `crmtrain grade`
with two workers, and then by stock `nbgrader autograde` on a copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

import nbformat
import pytest
from grading_fixtures import ASSESSMENT, ITEMS, Trainee, make_course, subprocess_env

from crmtrain.grading.verbs import autograde, collect, release, status
from crmtrain.grading.presentation import results
from crmtrain.grading.plumbing.course import Course

pytestmark = pytest.mark.nbgrader

NB = f"{ASSESSMENT}.ipynb"
# Q001 and Q003 right (3 points); Q002, Q004 and Q005 wrong; the open answer for the specialist.
HONEST = {"Q001": "opt-kx72", "Q002": ["opt-mz11"], "Q003": 24, "Q004": False,
          "Q005": ["opt-or91", "opt-or92", "opt-or93"], "Q006": "From the template."}
PERFECT = {"Q001": "opt-kx72", "Q002": ["opt-mz11", "opt-mz14"], "Q003": 24, "Q004": True,
           "Q005": ["opt-or93", "opt-or91", "opt-or92"]}
HONEST_SCORE = 3.0
MAX_AUTO = float(sum(i.points for i in ITEMS if i.key is not None))
CHEAT = "import crmtrain.runtime.check as m\nm.check = lambda *a, **k: None\n"


def _answers(folder, answers=HONEST):
    (folder / "answers.json").write_text(json.dumps({"format": 1, "answers": answers}), encoding="utf-8")


def _edit(folder, change):
    nb = nbformat.read(folder / NB, as_version=4)
    change(nb)
    nbformat.write(nb, folder / NB)


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _shadow_package(folder):
    pkg = folder / "crmtrain" / "runtime"
    pkg.mkdir(parents=True)
    (folder / "crmtrain" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "check.py").write_text("def check(*a, **k):\n    return None\n")


def _modules(folder):
    (folder / "sitecustomize.py").write_text(CHEAT)
    (folder / "check.py").write_text("def check(*a, **k):\n    return None\n")
    (folder / "nbgrader_config.py").write_text("c = get_config()\nc.Autograde.autograde_preprocessors = []\n")


def _add_cell(nb):
    nb.cells.insert(2, nbformat.v4.new_code_cell(CHEAT, metadata={"nbgrader": {"grade_id": "mine", "locked": True}}))


def _edit_locked(nb):
    _cell(nb, "setup").source = CHEAT + _cell(nb, "setup").source
    _cell(nb, "Q002").source = "pass  # full points"


def _retype(nb):
    setup = _cell(nb, "setup")
    setup.cell_type = "markdown"
    setup.pop("outputs", None)
    setup.pop("execution_count", None)
    question = next(c for c in nb.cells if c.cell_type == "markdown" and "crmtrain" in c.metadata)
    question.cell_type, question.source = "code", CHEAT
    question.outputs, question.execution_count = [], None
    question.metadata["nbgrader"] = {"grade": True, "grade_id": "extra-points", "points": 50, "locked": True,
                                     "solution": False, "schema_version": 3}


def _points(nb):
    _cell(nb, "Q001").metadata.nbgrader.points = 100
    _cell(nb, "Q002").metadata.nbgrader.grade = False  # "not graded": so not failed


def _kernelspec(nb):
    nb.metadata.kernelspec = {"name": "evil", "display_name": "Evil", "language": "python"}
    nb.metadata["crmtrain"] = {"max_points": 1}


def _every_option(folder):
    _answers(folder, {**HONEST, "Q001": ["opt-kx71", "opt-kx72", "opt-kx73"],
                      "Q002": ["opt-mz11", "opt-mz12", "opt-mz13", "opt-mz14"],
                      "Q005": ["opt-or93", "opt-or93", "opt-or91", "opt-or92"], "Q004": [True, False]})


def _wrong_types(folder):
    _answers(folder, {**HONEST, "Q001": {"$ne": None}, "Q002": 5, "Q003": "24", "Q004": "true",
                      "Q005": [["opt-or93"], "opt-or91"], "Q999": "opt-kx72"})


def _renamed(folder):
    (folder / NB).rename(folder / "my copy.ipynb")


def _key_link(course):
    def plant(box):
        os.symlink(course.source_dir(ASSESSMENT) / NB, box / "key.ipynb")
    return plant


def _answers_link(perfect_file):
    def plant(box):
        (box / "answers.json").unlink()
        os.symlink(perfect_file, box / "answers.json")
    return plant


def _notebook_link(course):
    def plant(box):
        (box / NB).unlink()
        os.symlink(course.source_dir(ASSESSMENT) / NB, box / NB)
    return plant


def _fifo(box):
    os.mkfifo(box / "pipe")
    (box / "answers.json").unlink()
    os.mkfifo(box / "answers.json")


def _answers_folder(box):
    (box / "answers.json").unlink()
    (box / "answers.json").mkdir()
    _answers(box / "answers.json")


def cases(course, perfect_file):
    """(trainee, tamper in the home folder, tamper planted in the exchange, expected note, score at most)."""
    return [
        ("honest", None, None, None, HONEST_SCORE),
        ("package", _shadow_package, None, "1 extra folder ignored", HONEST_SCORE),
        ("modules", _modules, None, "3 extra files ignored", HONEST_SCORE),
        ("addcell", lambda f: _edit(f, _add_cell), None, "1 cell added or changed ignored", HONEST_SCORE),
        ("locked", lambda f: _edit(f, _edit_locked), None, "2 cells added or changed ignored", HONEST_SCORE),
        ("retyped", lambda f: _edit(f, _retype), None, "2 cells added or changed ignored", HONEST_SCORE),
        ("points", lambda f: _edit(f, _points), None, "2 cells added or changed ignored", HONEST_SCORE),
        ("kernel", lambda f: _edit(f, _kernelspec), None, "notebook metadata changed ignored", HONEST_SCORE),
        ("options", _every_option, None, "1 answer of the wrong type ignored", 1.0),
        ("types", _wrong_types, None, "2 answers of the wrong type ignored; 1 answer to no question", 0.0),
        ("garbage", lambda f: (f / "answers.json").write_text("{'answers': oops"), None,
         "answers.json is not valid JSON: ignored", 0.0),
        ("nan", lambda f: (f / "answers.json").write_text('{"answers": {"Q003": NaN}}'), None,
         "answers.json is not valid JSON: ignored", 0.0),
        ("deep", lambda f: (f / "answers.json").write_text('{"answers": ' + "[" * 100_000 + "]" * 100_000 + "}"),
         None, "answers.json is not valid JSON: ignored", 0.0),
        ("huge", lambda f: (f / "answers.json").write_text(json.dumps({"answers": PERFECT, "pad": "x" * (2 << 20)})),
         None, "answers.json is over 1 MB: ignored", 0.0),
        ("noanswers", lambda f: (f / "answers.json").unlink(), None, "no answers.json: nothing answered", 0.0),
        ("deleted", lambda f: (f / NB).unlink(), None, f"{NB} is missing: graded from answers.json", HONEST_SCORE),
        ("renamed", _renamed, None, f"{NB} is missing: graded from answers.json", HONEST_SCORE),
        ("answerslink", None, _answers_link(perfect_file), "answers.json is a link: ignored", 0.0),
        ("nblink", None, _notebook_link(course), f"{NB} is a link: ignored", HONEST_SCORE),
        ("keylink", None, _key_link(course), "1 extra link ignored", HONEST_SCORE),
        ("fifo", None, _fifo, "answers.json is a special file: refused", 0.0),
        ("folder", None, _answers_folder, "answers.json is a folder: ignored", 0.0),
    ]


@pytest.fixture(scope="module")
def batch(tmp_path_factory, blank_gradebook):  # noqa: F811
    import datetime as dt

    tmp = tmp_path_factory.mktemp("tamper")
    course = make_course(tmp / "course", tmp / "exchange")
    shutil.copy(blank_gradebook, course.db_path)
    release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(days=1))
    perfect_file = tmp / "perfect.json"
    perfect_file.write_text(json.dumps({"answers": PERFECT}), encoding="utf-8")
    plan = cases(course, perfect_file)
    for trainee, at_home, in_exchange, _, _ in plan:
        t = Trainee(trainee, tmp / "home" / trainee, course)
        folder = t.fetch()
        _answers(folder)
        if at_home:
            at_home(folder)
        t.submit()
        if in_exchange:
            box = next(course.inbound_dir.glob(f"{trainee}+{ASSESSMENT}+*"))
            box.chmod(0o755)
            in_exchange(box)
    collected = collect.collect(course, ASSESSMENT)
    graded = autograde.grade(course, [ASSESSMENT], workers=2)
    ours = {r.trainee: r.score for r in results.results(course, ASSESSMENT)}
    copy = tmp / "stock"
    # Without crmtrain's own folder: it holds what was set aside, pipes included.
    shutil.copytree(course.root, copy, symlinks=True, ignore=lambda d, names: ["crmtrain"] if d == str(course.root) else [])
    stock = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSESSMENT, "--force"], cwd=copy,
                           env=subprocess_env(), capture_output=True, text=True, timeout=900)
    theirs = {r.trainee: r.score for r in results.results(Course.load(copy), ASSESSMENT)}
    return SimpleNamespace(course=course, plan=plan, collected=collected, graded=graded, ours=ours,
                           stock=stock, theirs=theirs)


def test_the_suite_is_big_enough(batch):
    assert len(batch.plan) - 1 >= 15


@pytest.mark.parametrize("case", [c[0] for c in cases(SimpleNamespace(source_dir=lambda a: None), None)])
def test_no_tamper_scores_above_the_honest_answers_and_each_is_reported(batch, case):
    _, _, _, note, at_most = next(c for c in batch.plan if c[0] == case)
    outcome = batch.graded.outcome(case, ASSESSMENT)
    assert outcome.ok, outcome.error  # graded, whatever it sent
    assert outcome.score <= at_most <= HONEST_SCORE < MAX_AUTO
    assert (note or "") in outcome.note_line and bool(note) == bool(outcome.notes)
    assert status.assessment_status(batch.course, ASSESSMENT).trainee(case).notes == outcome.notes


def test_the_honest_submission_scores_its_answers_and_says_nothing(batch):
    honest = batch.graded.outcome("honest", ASSESSMENT)
    assert (honest.score, honest.notes) == (HONEST_SCORE, ())


def test_the_whole_batch_is_collected_and_graded(batch):
    assert set(batch.collected.collected) == {c[0] for c in batch.plan}
    assert batch.graded.failed == ()
    assert set(batch.ours) == {c[0] for c in batch.plan}


def test_stock_nbgrader_autograde_gives_the_same_scores(batch):
    assert batch.stock.returncode == 0, batch.stock.stderr[-3000:]
    assert batch.theirs == batch.ours


def test_nothing_was_followed_or_opened(batch):
    """Links and pipes were moved aside unopened; the vetted answers of a link are empty."""
    c = batch.course
    assert (c.root / "crmtrain" / "set-aside" / "answerslink" / ASSESSMENT / "answers.json").is_symlink()
    vetted = json.loads((c.autograded_dir("answerslink", ASSESSMENT) / "answers.json").read_text())
    assert vetted == {"answers": {}}
    assert not (c.autograded_dir("keylink", ASSESSMENT) / "key.ipynb").exists()
    assert not (c.autograded_dir("package", ASSESSMENT) / "crmtrain").exists()
