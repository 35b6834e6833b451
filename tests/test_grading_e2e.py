"""End to end through a real nbgrader exchange in temporary folders.

release -> three trainees fetch (one with stock `nbgrader fetch_assignment`), answer through
a kernel and submit: alice on time, bob after the due date with an edited locked cell (and a
cell of his own), carol with a broken notebook and no answers -> status -> collect -> grade (2 workers) -> stock `nbgrader
autograde` agrees -> open answers graded by hand -> feedback -> no key material anywhere a
trainee can read.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from grading_fixtures import (
    ASSESSMENT,
    ITEMS,
    Trainee,
    expected_autoscore,
    grade_by_hand,
    key_needles,
    setup_source,
    subprocess_env,
)

from crmtrain.grading.verbs import autograde, collect, feedback, release, roster, status
from crmtrain.grading.presentation import results
from crmtrain.grading.plumbing.config import trainee_config_text
from crmtrain.grading.safety.leaks import exchange_folders, scan

pytestmark = pytest.mark.nbgrader

ALICE = {"Q001": "opt-kx72", "Q002": ["opt-mz14", "opt-mz11"], "Q003": 24.3, "Q004": True,
         "Q005": ["opt-or91", "opt-or92", "opt-or93"], "Q006": "From the proposal template in the CRM."}
BOB = {"Q001": "opt-kx72", "Q002": ["opt-mz11"], "Q003": 30, "Q004": False,
       "Q005": ["opt-or93", "opt-or91", "opt-or92"], "Q006": "I ask my manager."}
# Bob's tampering: it would make every hidden test pass. He edits the locked setup cell
# and adds a cell of his own: the released notebook is graded in place of his copy.
CHEAT = "import crmtrain.runtime.check as m\nm.check = lambda *a, **k: None\n"
MAX_AUTO = float(sum(i.points for i in ITEMS if i.key is not None))
OPEN_POINTS = float(sum(i.points for i in ITEMS if i.key is None))


def _stock_nbgrader(args, cwd):
    cmd = [sys.executable, "-m", "nbgrader", *args]
    return subprocess.run(cmd, cwd=cwd, env=subprocess_env(), capture_output=True, text=True, timeout=300)


def test_release_fetch_submit_collect_grade_feedback(course, tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text("id,name,email\nalice,Alice Smith,alice@example.com\n"
                     "bob,Bob Jones,bob@example.com\ncarol,Carol Lee,carol@example.com\n", encoding="utf-8")
    assert roster.import_roster(course, staff).added == ("alice", "bob", "carol")

    # --- release, with a due date in the future -----------------------------------------
    report = release.release(course, ASSESSMENT, due=dt.datetime.utcnow() + dt.timedelta(hours=1))
    assert (report.items, report.points) == (len(ITEMS), MAX_AUTO + OPEN_POINTS)
    assert course.outbound_dir(ASSESSMENT).is_dir() and course.fetched_dir.is_dir()

    # --- trainees fetch: alice and carol in process, bob with the stock command --------
    alice, bob, carol = (Trainee(n, tmp_path / n, course) for n in ("alice", "bob", "carol"))
    alice.fetch()
    carol.fetch()
    bob.home.mkdir()
    (bob.home / "nbgrader_config.py").write_text(trainee_config_text(course.course_id, course.exchange_dir))
    done = _stock_nbgrader(["fetch_assignment", ASSESSMENT, "--CourseDirectory.student_id=bob"], bob.home)
    assert done.returncode == 0, done.stderr
    assert (bob.folder(ASSESSMENT) / f"{ASSESSMENT}.ipynb").is_file()

    # --- they answer (saved to answers.json from inside the kernel) and submit ----------
    alice.answer(ALICE)
    bob.answer(BOB)
    bob.edit_cell("setup", CHEAT + setup_source())
    bob.add_code_cell("# my notes\n" + CHEAT, index=3)
    (carol.folder(ASSESSMENT) / f"{ASSESSMENT}.ipynb").write_text("{ this is not a notebook", encoding="utf-8")
    alice.submit()
    carol.submit()
    release.set_due(course, ASSESSMENT, dt.datetime.utcnow())  # the deadline passes...
    bob.submit()  # ...and bob submits after it

    st = status.assessment_status(course, ASSESSMENT)
    assert st.released and st.count("fetched") == 3 and st.count("submitted") == 3
    assert [t.trainee for t in st.trainees if t.late] == ["bob"]
    assert st.trainee("bob").name == "Bob Jones" and st.count("collected") == 0

    # --- collect and grade ----------------------------------------------------------------
    assert collect.collect(course, ASSESSMENT).collected == ("alice", "bob", "carol")
    assert json.loads((course.submitted_dir("alice", ASSESSMENT) / "answers.json").read_text())["answers"] == ALICE

    graded = autograde.grade(course, [ASSESSMENT], workers=2)
    assert graded.workers == 2
    assert graded.failed == ()  # carol's broken notebook counts for nothing: her answers.json does
    assert graded.outcome("carol", ASSESSMENT).note_line == (
        "initial.ipynb is not a notebook: graded from answers.json; no answers.json: nothing answered")
    assert graded.outcome("carol", ASSESSMENT).score == 0
    a, b = graded.outcome("alice", ASSESSMENT), graded.outcome("bob", ASSESSMENT)
    assert a.score == expected_autoscore(ALICE) and b.score == expected_autoscore(BOB)
    assert expected_autoscore(BOB) < MAX_AUTO  # so the tamper, had it worked, would show
    assert a.max_score == b.max_score == MAX_AUTO + OPEN_POINTS
    # Late as nbgrader defines it: the delay is recorded; penalty method "none" keeps the score.
    assert a.seconds_late == 0 and b.seconds_late > 0 and b.late_penalty == 0
    assert a.needs_manual_grade and b.needs_manual_grade
    # Tamper as nbgrader defines it: the locked cell is put back from the source.
    nb = json.loads((course.autograded_dir("bob", ASSESSMENT) / f"{ASSESSMENT}.ipynb").read_text())
    setup = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "setup")
    assert "".join(setup["source"]) == setup_source()
    assert not any("m.check = lambda" in "".join(c["source"]) for c in nb["cells"])

    by_item = {r.trainee: r for r in results.results(course, ASSESSMENT)}
    assert set(by_item) == {"alice", "bob", "carol"}
    assert by_item["alice"].item("Q002").score == 3 and by_item["bob"].item("Q002").score == 0
    assert by_item["bob"].item("Q006").score is None and by_item["bob"].item("Q006").needs_manual_grade
    assert by_item["alice"].item("Q001").topic == "technical" and by_item["alice"].item("Q001").refs == ("access",)

    # --- stock `nbgrader autograde` gives the same scores --------------------------------
    done = _stock_nbgrader(["autograde", ASSESSMENT, "--force"], course.root)
    assert done.returncode == 0, done.stderr  # the course config declares crmtrain's steps
    again = {r.trainee: r.score for r in results.results(course, ASSESSMENT)}
    assert again == {"alice": a.score, "bob": b.score, "carol": 0}

    # --- open answers by hand, then feedback ---------------------------------------------
    with pytest.raises(Exception, match="by hand"):
        feedback.feedback(course, ASSESSMENT)
    grade_by_hand(course, "alice", "Q006", 3)
    grade_by_hand(course, "bob", "Q006", 1)
    grade_by_hand(course, "carol", "Q006", 0)
    sent = feedback.feedback(course, ASSESSMENT)
    assert sent.released == ("alice", "bob", "carol") and sent.pending_manual == ()
    final = {r.trainee: r.score for r in results.results(course, ASSESSMENT)}
    assert final == {"alice": a.score + 3, "bob": b.score + 1, "carol": 0}
    html = list((course.exchange_course_dir / "feedback").glob("*.html"))
    assert len(html) == 3

    st = status.assessment_status(course, ASSESSMENT)
    assert st.count("graded") == 3 and st.trainee("alice").score == a.score + 3
    assert st.trainee("carol").notes == graded.outcome("carol", ASSESSMENT).notes

    # --- nothing a trainee can read holds the key ----------------------------------------
    readable = exchange_folders(course, ASSESSMENT) + [tmp_path / n / ASSESSMENT for n in ("alice", "bob")]
    assert scan(readable, key_needles()) == []
