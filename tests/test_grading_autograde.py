"""Parallel grading: who is graded where, retries, dead workers, the progress bar.

The worker functions are replaced by fakes (the pool forks, so the fakes travel into the
workers); the real ones are exercised end to end in test_grading_e2e.py.
"""

from __future__ import annotations

import os
import time

import pytest
from grading_fixtures import make_course

from crmtrain.errors import UserError
from crmtrain.grading.verbs import worker_process, autograde

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


@pytest.fixture
def submitted(tmp_path):
    course = make_course(tmp_path / "c", tmp_path / "ex", assessments=("initial", "followup"))
    for trainee, assessments in {"ann": ("initial", "followup"), "bob": ("initial",), "cid": ("followup",),
                                 "dan": ("initial",)}.items():
        for a in assessments:
            course.submitted_dir(trainee, a).mkdir(parents=True)
    return course


def test_the_plan_gives_each_trainee_one_job(submitted):
    assert autograde.plan(submitted, ("initial", "followup")) == {
        "ann": ("initial", "followup"), "bob": ("initial",), "cid": ("followup",), "dan": ("initial",)}
    assert autograde.plan(submitted, ("followup",), trainees=["ann", "bob"]) == {"ann": ("followup",)}
    with pytest.raises(UserError, match="unknown assessment"):
        autograde.plan(submitted, ("final",))


def _raw(trainee, assessment, ok=True, error="", log=""):
    return worker_process.RawOutcome(trainee, assessment, ok, 1.0 if ok else None, 2.0 if ok else None, 0.0, 0.0,
                              False, error, log, 0.01)


def test_workers_never_share_a_trainee_and_failures_do_not_stop_the_rest(submitted, monkeypatch, tmp_path):
    log = tmp_path / "log"
    log.mkdir()

    def fake(trainee, assessments, force=True):
        (log / f"{trainee}.{os.getpid()}.{time.monotonic_ns()}").write_text(" ".join(assessments))
        time.sleep(0.2)
        if trainee == "bob":
            return [_raw("bob", "initial", ok=False, error="NotJSONError: not a notebook")]
        return [_raw(trainee, a) for a in assessments]

    monkeypatch.setattr(worker_process, "init", lambda root, quiet=True: None)
    monkeypatch.setattr(worker_process, "grade_trainee", fake)
    seen = []
    report = autograde.grade(submitted, workers=2, on_outcome=seen.append)
    assert report.workers == 2
    assert [(o.trainee, o.assessment, o.ok) for o in report.outcomes] == [
        ("ann", "initial", True), ("ann", "followup", True), ("bob", "initial", False),
        ("cid", "followup", True), ("dan", "initial", True)]
    assert report.outcome("bob", "initial").error == "NotJSONError: not a notebook"
    assert len(seen) == 5 and len(report.failed) == 1 and len(report.graded) == 4
    calls = sorted(p.name.split(".")[0] for p in log.iterdir())
    assert calls == ["ann", "bob", "cid", "dan"]  # one job per trainee, all its assessments in it
    assert len({p.name.split(".")[1] for p in log.iterdir()}) == 2  # two worker processes


def test_database_errors_are_retried_alone_and_dead_workers_reported(submitted, monkeypatch, tmp_path):
    tries = tmp_path / "tries"
    tries.mkdir()

    def fake(trainee, assessments, force=True):
        n = len(list(tries.glob(f"{trainee}.*")))
        (tries / f"{trainee}.{n}").touch()
        if trainee == "bob" and n == 0:
            return [_raw("bob", "initial", ok=False, error="x", log="sqlite3.OperationalError: database is locked")]
        if trainee == "dan" and n == 0:
            return [_raw("dan", "initial", ok=False, error="RuntimeError: Kernel died before replying to kernel_info")]
        if trainee == "cid":
            os._exit(1)  # the process dies, as under the OOM killer
        return [_raw(trainee, a) for a in assessments]

    monkeypatch.setattr(worker_process, "init", lambda root, quiet=True: None)
    monkeypatch.setattr(worker_process, "grade_trainee", fake)
    report = autograde.grade(submitted, workers=2, progress=True)
    bob, cid = report.outcome("bob", "initial"), report.outcome("cid", "followup")
    assert bob.ok and bob.attempts == 2
    assert not cid.ok and cid.error.startswith("the grading process died") and cid.attempts == 2
    assert report.outcome("ann", "followup").ok
    dan = report.outcome("dan", "initial")  # its kernel died while starting: tried again
    assert dan.ok and dan.attempts == 2


def test_nothing_to_grade(tmp_path):
    course = make_course(tmp_path / "c", tmp_path / "ex")
    with pytest.raises(UserError, match="no collected submissions of initial / followup"):
        autograde.grade(course)


def test_an_error_of_our_own_keeps_its_traceback_in_the_courses_grading_log(submitted, monkeypatch, capsys):
    from crmtrain.cli import main
    from crmtrain.grading.safety import intake, markers

    def broken_vetting(course, trainee, assessment):
        raise RuntimeError(f"vetting {trainee} broke")

    # The real worker, forked from here with this bug in it; only the trainee "bob" hits it.
    real_vet = intake.vet
    monkeypatch.setattr(markers, "submission_stamp", lambda course, trainee, assessment: None)
    monkeypatch.setattr(intake, "vet", lambda c, t, a: broken_vetting(c, t, a) if t == "bob" else real_vet(c, t, a))
    assert main(["grade", "initial", "--course", str(submitted.root), "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "bob" in out and "FAILED: RuntimeError: vetting bob broke" in out
    log = submitted.root / autograde.GRADING_LOG
    assert f"What went wrong, in full: {log}" in out
    text = log.read_text(encoding="utf-8")
    story = text[text.index("initial bob"):]
    assert "Traceback (most recent call last)" in story and "in broken_vetting" in story
    assert "RuntimeError: vetting bob broke" in story
