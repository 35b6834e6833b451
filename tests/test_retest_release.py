"""A changed regulation reaches the right people: the re-test, released to those who learned the old version.

The story: Alice and Bob took the initial assessment of version 2027.1 (Alice fetched and
submitted, Bob fetched only). Version 2027.2 changes a few rules, and Carol joins, learning
the new version. `crmtrain diff --course` writes the re-test into the course for Alice and Bob;
`crmtrain release retest` opens it to them; Carol cannot fetch it. Alice answers and submits,
and the re-test is collected, graded, shown in `status` and reported like the others.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from grading_fixtures import COURSE_ID

from crmtrain.changes.diff import diff
from crmtrain.changes.impact import retest_questions
from crmtrain.cli import main
from crmtrain.commands.build import course_files
from crmtrain.files import write_files
from crmtrain.grading.exchange import restrict
from crmtrain.grading.plumbing.course import Course
from crmtrain.grading.verbs import trainee
from crmtrain.regulation.loader import load
from crmtrain.simulate import choose

pytestmark = pytest.mark.nbgrader

FIXTURES = Path(__file__).parent / "fixtures" / "changes"
OLD, NEW = FIXTURES / "regulation-2027.1.yaml", FIXTURES / "regulation-2027.2.yaml"


def answer_all_right(home: Path, assessment: str, questions) -> None:
    """What the widgets save: every answer right, in answers.json beside the notebook."""
    rng = random.Random(0)
    answers = {q.id: choose(q, True, rng) for q in questions}
    (home / assessment / "answers.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")


def crmtrain(*argv: str) -> str:
    """Run a command as the specialist types it; what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert main(list(argv)) == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def story(tmp_path_factory, blank_gradebook):
    """The whole story once; each test checks one promise of it."""
    from nbgrader.exchange import ExchangeError

    tmp = tmp_path_factory.mktemp("retest")
    course_dir = tmp / "assignments"
    write_files(course_dir, course_files(load(OLD), exchange=tmp / "exchange", course_id=COURSE_ID))
    shutil.copy(blank_gradebook, course_dir / "gradebook.db")
    course, at = Course.load(course_dir), ["--course", str(course_dir)]
    staff = tmp / "staff.csv"
    staff.write_text("id,name,email\nalice,Alice Smith,alice@example.com\nbob,Bob Jones,bob@example.com\n",
                     encoding="utf-8")
    crmtrain("roster", "import", str(staff), *at)
    crmtrain("release", "initial", *at)
    homes = {t: tmp / "home" / t for t in ("alice", "bob", "carol")}
    for t in ("alice", "bob"):
        trainee.fetch(course, t, homes[t], "initial")
    trainee.submit(course, "alice", homes["alice"], "initial")
    crmtrain("collect", "initial", *at)
    crmtrain("grade", "initial", *at, "--workers", "1")

    # Version 2027.2; Carol joins and learns it.
    with staff.open("a", encoding="utf-8") as f:
        csv.writer(f).writerow(["carol", "Carol Lee", "carol@example.com"])
    crmtrain("roster", "import", str(staff), *at)
    said = {"diff": crmtrain("diff", str(OLD), str(NEW), *at),
            "release": crmtrain("release", "retest", *at, "--due", "2099-01-31")}
    fetched = trainee.fetch(course, "alice", homes["alice"], "retest")
    try:
        trainee.fetch(course, "carol", homes["carol"], "retest")
        refused = None
    except ExchangeError as exc:
        refused = str(exc)
    questions, _ = retest_questions(load(NEW), diff(load(OLD), load(NEW)))
    answer_all_right(homes["alice"], "retest", questions)
    trainee.submit(course, "alice", homes["alice"], "retest")
    for step in ("collect", "grade", "status"):
        said[step] = crmtrain(step, *(["retest"] if step != "collect" else []), *at,
                              *(["--workers", "1"] if step == "grade" else []))
    said["report"] = crmtrain("report", *at, "--regulation", str(NEW), "--out", str(tmp / "reports"), "--format", "csv,html")
    return SimpleNamespace(tmp=tmp, course=course, homes=homes, questions=questions, said=said, fetched=fetched,
                           refused=refused, reports=tmp / "reports")


def test_diff_writes_the_retest_into_the_course_for_who_learned_the_old_version(story):
    course = story.course
    assert "for the 2 trainee(s) who learned version 2027.1: alice, bob" in story.said["diff"]
    assert (course.source_dir("retest") / "retest.ipynb").is_file()
    assert json.loads(course.audience_path("retest").read_text())["trainees"] == ["alice", "bob"]
    assert course.assessments() == ("initial", "followup", "retest")


def test_release_retest_goes_only_to_them(story):
    assert "Released retest" in story.said["release"]
    assert restrict.published(story.course.exchange_course_dir, "retest")["for"] == ["alice", "bob"]
    assert (story.fetched / "retest.ipynb").is_file()


def test_a_trainee_who_learned_the_new_version_cannot_fetch_it(story):
    assert story.refused is not None and ("is for the trainees who learned version 2027.1 of the regulation; you "
                                          "learned the current one") in story.refused
    assert not (story.homes["carol"] / "retest").exists()


def test_the_retest_is_collected_graded_and_shown_like_the_others(story):
    assert "retest: 1 collected" in story.said["collect"]
    points = sum(q.points for q in story.questions)
    assert f"retest    alice            {points:g}/{points:g}" in story.said["grade"]
    assert "1 submitted, 0 late, 1 graded of 2" in story.said["status"]  # alice and bob; carol is not waited for
    assert "carol" not in story.said["status"]


def test_the_report_has_the_retest_for_its_trainees_only(story):
    import pandas as pd

    out = story.reports
    assert "Re-test: 1/2 submitted (0 late), 1 passed, 0 below the 80% mark, mean score 100%" in story.said["report"]
    trainees = pd.read_csv(out / "trainees.csv").set_index("Login")
    assert trainees.loc["alice", "Re-test: result"] == "passed" and trainees.loc["alice", "Re-test: score, %"] == 100
    assert trainees.loc["bob", "Re-test: result"] == "not submitted"
    assert pd.isna(trainees.loc["carol", "Re-test: result"])  # not hers to take
    assert trainees.loc["bob", "Not submitted"] == "Initial, Re-test" and trainees.loc["carol", "Not submitted"] == "Initial"
    summary = pd.read_csv(out / "summary.csv").set_index("Assessment")
    assert summary.loc["Re-test", ["Trainees", "Submitted", "Not submitted", "Passed"]].tolist() == [2, 1, 1, 1]
    assert "Re-test: what changed in version 2027.2" in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("login, listed", [("alice", True), ("carol", False)])
def test_my_training_lists_the_retest_only_for_whom_it_is(story, monkeypatch, login, listed):
    from crmtrain.grading.plumbing.config import trainee_config_text
    from crmtrain.i18n import translation
    from crmtrain.panel.overview import Training

    course, home = story.course, story.homes[login]
    home.mkdir(parents=True, exist_ok=True)
    config = trainee_config_text(course.course_id, course.exchange_dir)
    # On a hub the server runs as the trainee's account; here the config names them.
    (home / "nbgrader_config.py").write_text(config + f"c.CourseDirectory.student_id = {login!r}\n", encoding="utf-8")
    monkeypatch.chdir(home)
    shown = [a["id"] for a in Training(home).assessments(translation("en").gettext)]
    assert "initial" in shown and ("retest" in shown) == listed
