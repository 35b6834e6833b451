"""`crmtrain grade --watch`: each new submission is collected and graded minutes (here: seconds)
after it arrives; stopping and restarting at any point loses nothing and grades nothing twice."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import time

import pytest
from grading_fixtures import ASSESSMENT, Trainee, subprocess_env

from crmtrain.errors import UserError
from crmtrain.grading.verbs import autograde, release
from crmtrain.grading.presentation import results
from crmtrain.grading.safety.markers import course_lock, is_graded, mark_graded, submission_stamp
from crmtrain.grading.verbs.watch import ungraded, watch

pytestmark = pytest.mark.nbgrader

RIGHT = {"Q001": "opt-kx72", "Q003": 24}  # 3 points
TIMEOUT = 300


def _submit(course, name, answers, tmp_path):
    t = Trainee(name, tmp_path / "home" / name, course)
    folder = t.fetch() if not (tmp_path / "home" / name / ASSESSMENT).exists() else t.folder(ASSESSMENT)
    (folder / "answers.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")
    t.submit()


def _until(what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _score(course, trainee):
    return {r.trainee: r.score for r in results.results(course, ASSESSMENT)}.get(trainee)


def test_the_watcher_grades_each_submission_as_it_arrives_and_stops_cleanly(course, tmp_path):
    release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(days=1))
    cmd = [sys.executable, "-m", "crmtrain", "grade", "--watch", "--interval", "0.5", "--workers", "1",
           "--course", str(course.root)]
    watcher = subprocess.Popen(cmd, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _until(lambda: (course.root / "crmtrain" / "grade.lock").exists())
        _submit(course, "ann", RIGHT, tmp_path)
        _until(lambda: is_graded(course, "ann", ASSESSMENT))
        assert _score(course, "ann") == 3
        # While it watches, nobody else grades this course.
        with pytest.raises(UserError, match="another `crmtrain grade`"):
            autograde.grade(course, [ASSESSMENT])
        # A newer submission replaces the graded one.
        _submit(course, "ann", {**RIGHT, "Q004": True}, tmp_path)
        _until(lambda: _score(course, "ann") == 4 and is_graded(course, "ann", ASSESSMENT))
    finally:
        watcher.send_signal(signal.SIGTERM)
        out, err = watcher.communicate(timeout=TIMEOUT)
    assert watcher.returncode == 0, err
    assert "initial: collected ann" in out and "initial   ann              3/12" in out
    assert "Stopped; 2 submission(s) graded while watching." in out
    autograde.grade(course, [ASSESSMENT])  # the lock went with the watcher


def test_a_watcher_stopped_mid_grade_grades_that_submission_on_restart(course, tmp_path):
    release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(days=1))
    for name in ("ann", "bob"):
        _submit(course, name, RIGHT, tmp_path)
    assert watch(course, (ASSESSMENT,), rounds=1, workers=1) == 2  # collects and grades both
    assert ungraded(course, (ASSESSMENT,)) == {}
    assert watch(course, (ASSESSMENT,), rounds=1, workers=1) == 0  # nothing graded twice
    # As if the watcher was killed while nbgrader was grading bob's new submission: collected,
    # half written, never marked.
    _submit(course, "bob", {**RIGHT, "Q004": True}, tmp_path)
    from crmtrain.grading.verbs.collect import collect

    collect(course, ASSESSMENT)
    (course.autograded_dir("bob", ASSESSMENT) / f"{ASSESSMENT}.ipynb").write_text("{ half")
    assert ungraded(course, (ASSESSMENT,)) == {"bob": (ASSESSMENT,)}
    assert watch(course, (ASSESSMENT,), rounds=1, workers=1) == 1
    assert _score(course, "bob") == 4 and _score(course, "ann") == 3


def test_the_course_lock_is_exclusive_and_says_who_holds_it(course):
    with course_lock(course):
        with pytest.raises(UserError, match=r"process \d+"):
            with course_lock(course):
                pass
    with course_lock(course):
        pass


def test_a_marker_is_for_one_submission(course, tmp_path):
    release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(days=1))
    _submit(course, "ann", RIGHT, tmp_path)
    from crmtrain.grading.verbs.collect import collect

    collect(course, ASSESSMENT)
    assert not is_graded(course, "ann", ASSESSMENT)
    mark_graded(course, "ann", ASSESSMENT, "2020-01-01 00:00:00.000000 UTC")
    assert not is_graded(course, "ann", ASSESSMENT)  # an older submission's marker
    mark_graded(course, "ann", ASSESSMENT, submission_stamp(course, "ann", ASSESSMENT))
    assert is_graded(course, "ann", ASSESSMENT)
