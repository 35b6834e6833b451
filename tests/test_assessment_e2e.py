"""End to end with the GENERATED assessment of the sample regulation, through the real runtime.

release -> three trainees fetch through the exchange; alice and bob answer by driving the
widgets in a real kernel (crmtrain.simulate) and submit — alice on time, bob after the due
date with a locked answer cell edited — and carol's notebook is corrupt, with no answers -> collect ->
`crmtrain grade` -> stock `nbgrader autograde` on an identical copy -> feedback. The whole
story runs once (module fixture); each test checks one promise.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
from types import SimpleNamespace

import nbformat
import pytest
from grading_fixtures import COURSE_ID, subprocess_env

from crmtrain.commands.build import course_files
from crmtrain.files import write_files
from crmtrain.grading.verbs import autograde, collect, feedback, release, roster
from crmtrain.grading.presentation import results
from crmtrain.grading.plumbing.course import Course
from crmtrain.grading.safety.leaks import exchange_folders, find_key_material
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path
from crmtrain.simulate import SimulatedTrainee, autograded_max, expected_scores, questions

pytestmark = pytest.mark.nbgrader

A = "initial"
CHEAT = "import crmtrain.runtime.check as _m\n_m.check = lambda *a, **k: None\n"


def _scores(course: Course) -> dict[str, float]:
    return {r.trainee: r.score for r in results.results(course, A)}


@pytest.fixture(scope="module")
def story(tmp_path_factory, blank_gradebook, kernel_spec_dir):
    from jupyter_client.kernelspec import KernelSpecManager

    tmp = tmp_path_factory.mktemp("e2e")
    reg = load(sample_path("en"))
    write_files(tmp / "assignments", course_files(reg, exchange=tmp / "exchange", course_id=COURSE_ID))
    course = Course.load(tmp / "assignments")
    shutil.copy(blank_gradebook, course.db_path)  # nbgrader takes seconds to make one
    staff = tmp / "staff.csv"
    staff.write_text("id,name,email\nalice,Alice Smith,alice@example.com\nbob,Bob Jones,bob@example.com\n"
                     "carol,Carol Lee,carol@example.com\n", encoding="utf-8")
    roster.import_roster(course, staff)
    release.release(course, A, due=dt.datetime.utcnow() + dt.timedelta(hours=1))

    specs = KernelSpecManager(kernel_dirs=[str(kernel_spec_dir)])
    alice, bob, carol = (SimulatedTrainee(n, n.title(), f"{n}@example.com", 0.6, tmp / "home" / n)
                         for n in ("alice", "bob", "carol"))
    for t in (alice, bob, carol):
        t.fetch(course, A)
    given = {t.id: t.answer(course, A, reg, random.Random(f"e2e/{t.id}"), kernel_spec_manager=specs)
             for t in (alice, bob)}
    asked = {t.id: t.asked[A] for t in (alice, bob)}  # what each got in the slots, if the sample has any
    # Bob edits a locked answer cell so that every hidden test would pass, were it kept.
    target = next(q for q in questions(reg, A) if q.answer is not None)
    original = next(c.source for c in nbformat.read(bob.notebook(A), as_version=4).cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == f"{target.id}-answer")
    bob.edit_cell(A, f"{target.id}-answer", CHEAT + original)
    carol.notebook(A).write_text("{ this is not a notebook", encoding="utf-8")
    alice.submit(course, A)
    carol.submit(course, A)
    release.set_due(course, A, dt.datetime.utcnow())  # the deadline passes...
    bob.submit(course, A)  # ...and bob submits after it

    collected = collect.collect(course, A)
    graded = autograde.grade(course, [A], workers=2)
    ours = _scores(course)

    # Stock nbgrader, serially, on an identical copy of the course (made before feedback).
    copy = tmp / "stock"
    shutil.copytree(course.root, copy)
    stock = subprocess.run(["nbgrader", "autograde", A, "--force"], cwd=copy, env=subprocess_env(),
                           capture_output=True, text=True, timeout=600)
    theirs = _scores(Course.load(copy))

    sent = feedback.feedback(course, A, include_pending=True)
    return SimpleNamespace(tmp=tmp, reg=reg, course=course, given=given, asked=asked, collected=collected, graded=graded,
                           ours=ours, stock=stock, theirs=theirs, sent=sent, target=target, original=original)


def test_scores_equal_those_computed_from_the_key(story):
    for trainee in ("alice", "bob"):
        o = story.graded.outcome(trainee, A)
        assert o.ok, o.error
        assert o.score == expected_scores(story.reg, A, story.given[trainee], story.asked[trainee])
        assert o.max_score == sum(q.points for q in questions(story.reg, A)) + sum(a.points for a in story.asked[trainee])
        assert o.needs_manual_grade  # the open answers wait for the specialist
    # The key-derived scores are below the maximum, so a tamper that worked would show.
    assert expected_scores(story.reg, A, story.given["bob"], story.asked["bob"]) < autograded_max(story.reg, A)
    assert story.ours == {"alice": story.graded.outcome("alice", A).score, "bob": story.graded.outcome("bob", A).score,
                          "carol": 0}


def test_answers_were_saved_by_the_widgets_and_collected(story):
    assert story.collected.collected == ("alice", "bob", "carol")
    for trainee in ("alice", "bob"):
        saved = json.loads((story.course.submitted_dir(trainee, A) / "answers.json").read_text())
        assert saved["answers"] == story.given[trainee] and saved["trainee"] == trainee
        assert set(saved["answers"]) == {q.id for q in questions(story.reg, A)} | {a.slot for a in story.asked[trainee]}


def test_late_is_recorded_as_nbgrader_defines_it(story):
    a, b = story.graded.outcome("alice", A), story.graded.outcome("bob", A)
    assert a.seconds_late == 0
    assert b.seconds_late > 0 and b.late_penalty == 0  # penalty method "none" keeps the score


def test_the_edited_locked_cell_is_put_back(story):
    nb = json.loads((story.course.autograded_dir("bob", A) / f"{A}.ipynb").read_text())
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == f"{story.target.id}-answer")
    assert "".join(cell["source"]) == story.original
    assert not any("_m.check = lambda" in "".join(c["source"]) for c in nb["cells"])
    submitted = json.loads((story.course.submitted_dir("bob", A) / f"{A}.ipynb").read_text())
    assert any("_m.check = lambda" in "".join(c["source"]) for c in submitted["cells"])  # it was really sent


def test_a_broken_submission_is_reported_and_the_others_graded(story):
    assert story.graded.failed == ()
    carol = story.graded.outcome("carol", A)
    assert carol.score == 0  # her notebook counts for nothing, and she saved no answers
    assert carol.notes == ("initial.ipynb is not a notebook: graded from answers.json", "no answers.json: nothing answered")
    assert story.graded.outcome("alice", A).notes == ()
    assert story.graded.outcome("bob", A).notes == (f"{A}.ipynb: 1 cell added or changed ignored (the released notebook is graded)",)


def test_stock_nbgrader_autograde_gives_the_same_scores(story):
    assert story.stock.returncode == 0, story.stock.stderr
    assert story.theirs == story.ours


def test_feedback_is_released_and_nothing_a_trainee_reads_holds_the_key(story):
    assert story.sent.released == ("alice", "bob", "carol")
    assert len(list((story.course.exchange_course_dir / "feedback").glob("*.html"))) == 3
    readable = exchange_folders(story.course, A) + [story.tmp / "home" / n / A for n in ("alice", "bob", "carol")]
    assert find_key_material(story.course, A, readable) == []
    assert find_key_material(story.course, A, [story.course.source_dir(A)])  # the scan does find the key


def test_the_feedback_page_is_for_people_no_code_no_ids_no_prompts(story):
    import html as htmlmod
    import re

    from crmtrain.grading.plumbing import gradebook

    open_q = next(q for q in questions(story.reg, A) if q.answer is None)
    gradebook.hand_grade(story.course, A, "alice", open_q.id, 2, comment="Good start; name the accountant's step too.")
    [alice] = [r for r in results.results(story.course, A) if r.trainee == "alice"]
    [path] = feedback.write_pages(story.course, alice)
    page = path.read_text(encoding="utf-8")
    text = htmlmod.unescape(re.sub(r"<[^>]+>", " ", page))
    # Every question the trainee was asked, with their answer, points and what to re-read.
    for q in questions(story.reg, A):
        assert q.text.split("\n")[0][:40] in text, q.id
    asked = len(questions(story.reg, A)) + len(story.asked["alice"])
    assert text.count("Points:") == asked and text.count("Your answer:") + text.count("Not answered.") >= asked
    assert "Points: 2 of" in text and "Good start; name the accountant's step too." in text
    assert f"Your result: {alice.score:g} of {alice.max_score:g} points" in text
    links = re.findall(r'data-crmtrain-workbook="([^"]+)" data-crmtrain-section="([^"]+)"', page)
    assert links and {w for w, _ in links} <= {"01-summary.ipynb", "02-order-processing.ipynb", "03-client-work.ipynb"}
    contact = story.reg.meta.specialist.contact
    assert text.count(contact) == 1 and text.rstrip().endswith(f"{contact}.")
    # No code, no cell ids, no prompts, nothing loaded from elsewhere.
    for code in ("test.item", "check(", "import ", "In [", "Out[", "grade_id", "Grade cell", "crmtrain.runtime"):
        assert code not in page, code
    ids = {q.id for q in questions(story.reg, A)} | {s.slot for s in story.asked["alice"]}
    assert [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)] == []
    assert "<script" not in page and "http" not in page.replace(contact, "")
