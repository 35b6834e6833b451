"""Per-trainee slots end to end, with the freight sample's GENERATED course and real kernels.

The initial assessment has four case slots (lead, process, pipeline, callback), the follow-up
a drawn question and two fresh cases. Four trainees fetch both through the real exchange and
answer by clicking the real widgets (crmtrain.simulate); mallory instead gets boris's cases and
draw shown — by editing her notebook's setup cell (initial) or her kernel's identity
(follow-up) — answers those right, and her answers.json records boris's cases as hers. Both assessments are
collected and graded by ``crmtrain grade``, and a copy of the course by stock ``nbgrader
autograde`` with nbgrader's own preprocessors only (every hidden test in a real kernel, the
trainee taken from the folder nbgrader grades in). The story runs once; each test checks one
promise.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest
from grading_fixtures import COURSE_ID, subprocess_env

from crmtrain.commands.build import course_files
from crmtrain.files import write_files
from crmtrain.grading.verbs import autograde, collect, feedback, release, roster
from crmtrain.grading.plumbing import gradebook
from crmtrain.grading.presentation import results
from crmtrain.grading.plumbing.course import Course
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path
from crmtrain.simulate import SimulatedTrainee, expected_scores, slots_asked

pytestmark = pytest.mark.nbgrader

ASSESSMENTS = ("initial", "followup")
HONEST = {"anna": 0.9, "boris": 1.0, "vera": 0.5, "gleb": 0.2}  # trainee -> skill
CHEAT = "mallory"


def _stock_copy(course: Course, root):
    """The collected course with nbgrader's own configuration only: no crmtrain preprocessor."""
    shutil.copytree(course.root, root)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(course.exchange_dir)!r}\n"
        f"c.Autograde.exclude_overwriting = {{a: ['answers.json'] for a in {ASSESSMENTS!r}}}\n", encoding="utf-8")
    return Course.load(root)


def _slot_grades(course: Course, assessment: str, slots: set[str]) -> dict[str, dict[str, float]]:
    """Points per trainee per slot cell, as the gradebook holds them."""
    return {t: {g.cell: g.score for g in grades if g.cell in slots}
            for t, grades in gradebook.cell_grades(course, assessment).items()}


@pytest.fixture(scope="module")
def story(tmp_path_factory, blank_gradebook, kernel_spec_dir):
    from jupyter_client.kernelspec import KernelSpecManager

    tmp = tmp_path_factory.mktemp("slots")
    reg = load(sample_path("freight"))
    write_files(tmp / "assignments", course_files(reg, exchange=tmp / "exchange", course_id=COURSE_ID))
    course = Course.load(tmp / "assignments")
    shutil.copy(blank_gradebook, course.db_path)
    staff = tmp / "staff.csv"
    staff.write_text("id,name,email\n" + "".join(f"{n},{n.title()},{n}@example.com\n" for n in (*HONEST, CHEAT)),
                     encoding="utf-8")
    roster.import_roster(course, staff)
    specs = KernelSpecManager(kernel_dirs=[str(kernel_spec_dir)])
    people = {n: SimulatedTrainee(n, n.title(), f"{n}@example.com", s, tmp / "home" / n) for n, s in HONEST.items()}
    cheat = SimulatedTrainee(CHEAT, "Mallory", "mallory@example.com", 0.0, tmp / "home" / CHEAT)
    given: dict[str, dict[str, dict]] = {a: {} for a in ASSESSMENTS}
    as_boris: dict[str, dict] = {}
    for a in ASSESSMENTS:
        release.release(course, a, due=dt.datetime.utcnow() + dt.timedelta(days=1))
        for n, t in people.items():
            t.fetch(course, a)
            given[a][n] = t.answer(course, a, reg, random.Random(f"slots/{n}/{a}"), kernel_spec_manager=specs)
            t.submit(course, a)
        # mallory gets boris's cases and draw shown, and answers them right: in the initial by editing
        # her notebook's setup cell to say she is boris, in the follow-up by her kernel's identity.
        cheat.fetch(course, a)
        if a == "initial":
            setup = next(c for c in json.loads(cheat.notebook(a).read_text(encoding="utf-8"))["cells"]
                         if c["metadata"].get("nbgrader", {}).get("grade_id") == "setup")
            # The call may end on its own line after a trailing comma (the freight sample passes its words).
            call = "".join(setup["source"]).rstrip().removesuffix(")").rstrip().removesuffix(",")
            cheat.edit_cell(a, "setup", call + ", trainee='boris')")
        posing = SimulatedTrainee("boris", "Boris", "", 1.0, cheat.home)
        as_boris[a] = posing.answer(course, a, reg, random.Random(f"slots/mallory/{a}"), kernel_spec_manager=specs)
        saved = json.loads((cheat.folder(a) / "answers.json").read_text(encoding="utf-8"))
        saved["trainee"] = "boris"
        (cheat.folder(a) / "answers.json").write_text(json.dumps(saved), encoding="utf-8")
        cheat.submit(course, a)
        collect.collect(course, a)
    stock = _stock_copy(course, tmp / "stock")
    graded = autograde.grade(course, list(ASSESSMENTS), workers=2)
    runs = [subprocess.run([sys.executable, "-m", "nbgrader", "autograde", a, "--force"], cwd=stock.root,
                           env=subprocess_env(), capture_output=True, text=True, timeout=1800) for a in ASSESSMENTS]
    sent = {a: feedback.feedback(course, a, include_pending=True) for a in ASSESSMENTS}
    nb = {a: course.source_dir(a) / f"{a}.ipynb" for a in ASSESSMENTS}
    asked = {a: {n: slots_asked(reg, a, nb[a], n) for n in (*HONEST, CHEAT)} for a in ASSESSMENTS}
    return SimpleNamespace(tmp=tmp, reg=reg, course=course, stock=stock, graded=graded, runs=runs, given=given,
                           as_boris=as_boris, asked=asked, sent=sent)


def test_crmtrain_grade_scores_every_slot_by_the_trainees_own_case_or_draw(story):
    for a in ASSESSMENTS:
        for n in HONEST:
            o = story.graded.outcome(n, a)
            assert o.ok, o.error
            assert o.score == pytest.approx(expected_scores(story.reg, a, story.given[a][n], story.asked[a][n]))
    # A weak trainee loses points on slots: the check is not "anything answered is right".
    weak = story.asked["initial"]["gleb"]
    assert sum(s.earned(story.given["initial"]["gleb"].get(s.slot)) for s in weak) < sum(s.points for s in weak)


def test_stock_nbgrader_autograde_gives_every_slot_the_same_points(story):
    for run in story.runs:
        assert run.returncode == 0, run.stderr[-3000:]
    for a in ASSESSMENTS:
        slots = {s.slot for s in story.asked[a]["anna"]}
        ours, theirs = _slot_grades(story.course, a, slots), _slot_grades(story.stock, a, slots)
        assert set(ours) == {*HONEST, CHEAT} and all(len(v) == len(slots) for v in ours.values())
        assert theirs == ours
        assert ({r.trainee: r.score for r in results.results(story.stock, a)}
                == {r.trainee: r.score for r in results.results(story.course, a)})


def test_two_trainees_get_different_cases_and_draws_for_the_same_maximum(story):
    for a in ASSESSMENTS:
        maxima = {story.graded.outcome(n, a).max_score for n in (*HONEST, CHEAT)}
        assert len(maxima) == 1
        for slot in {s.slot for s in story.asked[a]["anna"]}:
            got = {n: next(s for s in story.asked[a][n] if s.slot == slot) for n in HONEST}
            seen = {json.dumps(s.case, sort_keys=True) if s.case is not None else s.question.id for s in got.values()}
            assert len(seen) > 1, f"{a} {slot}: every trainee got the same"


def test_seeing_another_trainees_case_in_her_kernel_gains_mallory_nothing(story):
    for a in ASSESSMENTS:
        saved = story.as_boris[a]
        own = expected_scores(story.reg, a, saved, story.asked[a][CHEAT])
        borrowed = expected_scores(story.reg, a, saved, story.asked[a]["boris"])
        assert own < borrowed  # her answers are right for boris's cases and draw only ...
        assert story.graded.outcome(CHEAT, a).score == pytest.approx(own)  # ... and she is graded on her own
    assert "cell added or changed ignored" in " ".join(story.graded.outcome(CHEAT, "initial").notes)


def test_the_graded_notebook_shows_each_trainee_their_own_case(story):
    a = "initial"
    for n in ("anna", "vera", CHEAT):
        nb = json.loads((story.course.autograded_dir(n, a) / f"{a}.ipynb").read_text(encoding="utf-8"))
        for s in story.asked[a][n]:
            cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == f"{s.slot}-answer")
            text = html.unescape("".join("".join(o.get("data", {}).get("text/html", "")) for o in cell["outputs"]))
            assert "Correct answer:" in text  # the specialist's view holds the key and the reason
            if s.kind == "callback":  # the trainee's own event moment is in the view
                assert s.case["event"][-5:] in text
        record = "records another question or case than this trainee's own"
        assert (record in html.unescape(json.dumps(nb))) is (n == CHEAT)  # mallory's answers.json named boris's cases


def test_feedback_shows_the_own_case_and_hides_the_key_where_the_assessment_says(story):
    notes = json.loads((story.course.root / "notes" / "initial.json").read_text(encoding="utf-8"))
    page = (story.course.feedback_dir("vera", "initial") / "initial.html").read_text(encoding="utf-8")
    assert "Your answer:" in page
    assert ("Correct answer:" in page) is bool(notes["show_answers"])


def test_the_report_keeps_statistics_per_drawn_question(story):
    from crmtrain.reports.data import validate
    from crmtrain.reports.from_gradebook import load_report_data
    from crmtrain.reports.itemstats import item_analysis

    data = validate(load_report_data(story.course.root, story.reg))
    ia = item_analysis(data)
    grades = _slot_grades(story.course, "followup", {"own-setup"})
    drew: dict[str, list[float]] = {}
    for n in (*HONEST, CHEAT):
        [s] = [s for s in story.asked["followup"][n] if s.slot == "own-setup"]
        drew.setdefault(s.question.id, []).append(grades[n]["own-setup"] / s.points)
    mine = ia[(ia["assessment"] == "followup") & (ia["slot"] == "own-setup")].set_index("item")
    assert list(mine.index)[0] == "own-setup" and set(mine.index) == {"own-setup", "fu-tech-01", "fu-tech-02"}
    assert mine.loc["own-setup", "n"] == sum(len(v) for v in drew.values())  # the slot as a position: everyone
    for qid, shares in drew.items():
        assert mine.loc[qid, "n"] == len(shares)
        assert mine.loc[qid, "facility"] == pytest.approx(sum(shares) / len(shares))
    cases = ia[(ia["assessment"] == "initial") & (ia["qtype"] == "case")]
    assert set(cases["slot"]) == {s.slot for s in story.asked["initial"]["anna"]}
    # A case slot over a drawn pipeline (deal-move) is filed per pipeline: its rows share the five trainees.
    assert set(cases.groupby("slot")["n"].sum()) == {5}


def test_the_graded_view_shows_each_trainee_the_question_they_drew(story):
    for n in HONEST:
        [s] = [s for s in story.asked["followup"][n] if s.slot == "own-setup"]
        nb = json.loads((story.course.autograded_dir(n, "followup") / "followup.ipynb").read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "own-setup-answer")
        texts = [o.get("data", {}).get("text/markdown", "") for o in cell["outputs"]]
        shown = "".join("".join(t) if isinstance(t, list) else t for t in texts)  # nbformat may split lines
        assert shown == s.question.text  # only the drawn one (the cell's code lists every candidate, never a key)
        page = html.unescape((story.course.feedback_dir(n, "followup") / "followup.html").read_text(encoding="utf-8"))
        assert s.question.text.strip()[:25] in page and "Your answer:" in page
