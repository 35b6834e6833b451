"""The gradebook adapter against a tiny real nbgrader gradebook built with nbgrader's own API."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmtrain.errors import UserError
from crmtrain.regulation.loader import load
from crmtrain.reports import tables
from crmtrain.reports.data import validate
from crmtrain.grading.safety.answers import read_answers
from crmtrain.grading.plumbing.course import Course
from crmtrain.reports.from_gradebook import load_report_data, response_text
from crmtrain.samples import sample_path

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

DUE = dt.datetime(2024, 3, 15, 18, 0)


@pytest.fixture(scope="module")
def alembic_on_path():
    """nbgrader shells out to ``alembic`` when it creates a gradebook; the venv may not be active."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
        yield


@pytest.fixture(scope="module")
def regulation():
    return load(sample_path("en"))


def source_notebook(root, assessment, items):
    """A minimal assessment notebook: per item, graded cells carrying crmtrain's item metadata."""
    cells = []
    for item, qtype, cell_ids, points in items:
        crm = {"item": item, "topic": "technical", "refs": ["lookup"], "type": qtype, "points": points}
        for cid in cell_ids:
            nbg = {"grade_id": cid, "grade": qtype != "open", "task": qtype == "open", "solution": False,
                   "locked": True, "points": points / len(cell_ids), "schema_version": 3}
            cells.append({"cell_type": "markdown" if qtype == "open" else "code", "metadata": {"crmtrain": crm, "nbgrader": nbg},
                          "source": "", **({} if qtype == "open" else {"outputs": [], "execution_count": None})})
    folder = root / "source" / assessment
    folder.mkdir(parents=True)
    (folder / f"{assessment}.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def _grade(gb, cell, assessment, student, auto=None, manual=None):
    g = gb.find_grade(cell, assessment, assessment, student)
    g.auto_score, g.manual_score = auto, manual
    g.needs_manual_grade = auto is None and manual is None
    gb.db.commit()


@pytest.fixture(scope="module")
def course(tmp_path_factory, alembic_on_path):
    """initial: a single-choice item, a multiple-choice item scored by two cells, an open task; followup: one item.

    Built once per module: creating a gradebook costs nbgrader's import plus an alembic run.
    """
    from nbgrader.api import Gradebook

    root = tmp_path_factory.mktemp("course") / "assignments"
    root.mkdir()
    (root / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'crm101'\n"
                                             f"c.Exchange.root = {str(root.parent / 'exchange')!r}\n")
    # Which cell scores which item is the notebook's metadata: in-tech-04 has two test cells,
    # one named like no item at all.
    source_notebook(root, "initial", [("in-proc-open", "open", ["in-proc-open"], 3), ("in-tech-03", "single", ["in-tech-03"], 1),
                                      ("in-tech-04", "multiple", ["in-tech-04-a", "in-tech-04-b"], 2)])
    source_notebook(root, "followup", [("fu-tech-05", "single", ["fu-tech-05"], 1)])
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="crm101") as gb:
        gb.add_assignment("initial", duedate=DUE)
        gb.add_notebook("initial", "initial")
        gb.add_grade_cell("in-tech-03", "initial", "initial", max_score=1, cell_type="code")
        gb.add_grade_cell("in-tech-04-a", "initial", "initial", max_score=1, cell_type="code")
        gb.add_grade_cell("in-tech-04-b", "initial", "initial", max_score=1, cell_type="code")
        gb.add_task_cell("in-proc-open", "initial", "initial", max_score=3, cell_type="markdown")
        gb.add_assignment("followup", duedate=DUE + dt.timedelta(days=90))
        gb.add_notebook("followup", "followup")
        gb.add_grade_cell("fu-tech-05", "followup", "followup", max_score=1, cell_type="code")
        gb.add_assignment("practice-old")  # not an assessment: ignored
        gb.add_student("t1", first_name="Anna", last_name="Petrova", email="anna@example.com")
        gb.add_student("t2", first_name="Boris", last_name="Orlov")
        gb.add_student("t3", first_name="Vera", last_name="Sidorova")  # never submits
        gb.add_student("t4")  # no name
        gb.add_submission("initial", "t1", timestamp=DUE - dt.timedelta(hours=1))
        gb.add_submission("initial", "t2", timestamp=DUE + dt.timedelta(hours=3))
        gb.add_submission("initial", "t4", timestamp=DUE + dt.timedelta(days=1), extension=dt.timedelta(days=2))
        gb.add_submission("followup", "t1", timestamp=DUE + dt.timedelta(days=80))
        _grade(gb, "in-tech-03", "initial", "t1", auto=1)
        _grade(gb, "in-tech-04-a", "initial", "t1", auto=1)
        _grade(gb, "in-tech-04-b", "initial", "t1", auto=1)
        _grade(gb, "in-proc-open", "initial", "t1", manual=2)
        _grade(gb, "in-tech-03", "initial", "t2", auto=0)
        _grade(gb, "in-tech-04-a", "initial", "t2", auto=1)
        _grade(gb, "in-tech-04-b", "initial", "t2", auto=0)  # open answer left ungraded
        _grade(gb, "in-tech-03", "initial", "t4", auto=1)
        _grade(gb, "in-tech-04-b", "initial", "t4", auto=1)  # -a not graded yet
        _grade(gb, "in-proc-open", "initial", "t4", manual=3)
        _grade(gb, "fu-tech-05", "followup", "t1", auto=0)
    answers = {
        ("autograded", "t1", "initial"): json.dumps({"answers": {"in-tech-03": {"value": "b"},
                                                                 "in-tech-04": {"value": ["c", "a"]},
                                                                 "in-proc-open": {"value": " Check stock first "}}}),
        ("autograded", "t2", "initial"): "{not json",
        ("submitted", "t1", "followup"): json.dumps({"answers": {"fu-tech-05": {"value": "d"}}}),
    }
    for (folder, trainee, assessment), text in answers.items():
        path = root / folder / trainee / assessment / "answers.json"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    return root


def _row(data, assessment, trainee, item):
    r = data.results
    hit = r[(r["assessment"] == assessment) & (r["trainee_id"] == trainee) & (r["item"] == item)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_results_cover_every_trainee_and_item(course, regulation):
    data = validate(load_report_data(course, regulation))
    r = data.results
    assert len(r) == 4 * 3 + 4 * 1
    assert list(data.roster["trainee_id"]) == ["t4", "t2", "t1", "t3"]  # nbgrader's order: last, first name
    assert data.roster.set_index("trainee_id")["name"].to_dict() == {
        "t1": "Anna Petrova", "t2": "Boris Orlov", "t3": "Vera Sidorova", "t4": "t4"}
    assert set(r["assessment"]) == {"initial", "followup"}
    assert list(r[r["trainee_id"] == "t1"]["item"]) == ["in-proc-open", "in-tech-03", "in-tech-04", "fu-tech-05"]  # selection order

    q = _row(data, "initial", "t1", "in-tech-04")
    assert (q["score"], q["points"], bool(q["correct"])) == (2.0, 2.0, True)
    assert (q["topic"], q["part"], q["refs"], q["qtype"]) == ("technical", "summary", "lookup", "multiple")
    assert q["response"] == "a,c"  # multiple choice: sorted, so equal sets compare equal
    assert _row(data, "initial", "t1", "in-proc-open")["response"] == "Check stock first"
    assert _row(data, "followup", "t1", "fu-tech-05")["response"] == "d"  # submitted/ copy as fallback

    partial = _row(data, "initial", "t2", "in-tech-04")
    assert (partial["score"], bool(partial["correct"])) == (1.0, False)
    assert np.isnan(_row(data, "initial", "t2", "in-proc-open")["score"])  # ungraded, not zero
    assert np.isnan(_row(data, "initial", "t4", "in-tech-04")["score"])  # one of its cells ungraded
    assert _row(data, "initial", "t2", "in-tech-03")["response"] == ""  # corrupt answers.json
    never = r[r["trainee_id"] == "t3"]
    assert not never["submitted"].any() and never["score"].isna().all()

    late = r.drop_duplicates(["assessment", "trainee_id"]).set_index(["assessment", "trainee_id"])["late"]
    assert bool(late[("initial", "t2")]) and not late[("initial", "t1")]
    assert not late[("initial", "t4")]  # after the due date but within the extension

    a = data.assessments.set_index("assessment")
    assert a.loc["initial", "max_points"] == 6 and a.loc["followup", "max_points"] == 1
    assert a.loc["initial", "pass_mark"] == 75 and a.loc["followup", "pass_mark"] == 80
    assert a.loc["initial", "due"] == DUE
    assert data.items.set_index("ref").loc["order-intake.check-stock", "section_title"] == "Order intake and invoicing"


def test_trainee_results_from_the_gradebook(course, regulation):
    data = load_report_data(course, regulation)
    t = tables.trainees(data).set_index("trainee_id")
    assert t.loc["t1", "initial_score"] == pytest.approx(5 / 6) and t.loc["t1", "initial_result"] == "pass"
    assert t.loc["t2", "initial_points"] == 1 and t.loc["t2", "initial_result"] == "fail"  # 4/6 at best
    assert t.loc["t4", "initial_result"] == "pending"  # 4/6 now, 6/6 if the ungraded cell passes
    assert t.loc["t3", "missing"] == "initial followup"
    assert t.loc["t1", "followup_result"] == "fail" and t.loc["t2", "missing"] == "followup"
    assert t.loc["t2", "pending_items"] == 1 and t.loc["t4", "pending_items"] == 1


def test_report_does_not_write_the_gradebook(course, regulation):
    db = course / "gradebook.db"
    before = db.read_bytes()
    load_report_data(course, regulation)
    assert db.read_bytes() == before
    with sqlite3.connect(db) as con:
        assert con.execute("select id from course").fetchall() == [("crm101",)]


def test_a_folder_that_is_no_course_is_a_user_error(tmp_path, regulation):
    with pytest.raises(UserError, match="is not an nbgrader course"):
        load_report_data(tmp_path, regulation)
    assert not (tmp_path / "gradebook.db").exists()


def test_empty_gradebook_is_nothing_graded_yet(tmp_path, course, regulation):
    # An emptied copy of the course's gradebook: same schema, no alembic run.
    shutil.copy(course / "gradebook.db", tmp_path / "gradebook.db")
    shutil.copy(course / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    with sqlite3.connect(tmp_path / "gradebook.db") as con:
        tables_ = [t for (t,) in con.execute("select name from sqlite_master where type='table'")]
        for table in tables_:
            if table not in ("course", "alembic_version"):
                con.execute(f"delete from {table}")
    # Nothing to report: an error, not files of empty tables...
    with pytest.raises(UserError, match="nothing graded yet"):
        load_report_data(tmp_path, regulation)
    # ...though the tables themselves cope with nobody (the dashboard's filters can empty them).
    from crmtrain.grading.plumbing.snapshot import snapshot
    from crmtrain.reports.from_gradebook import build

    data = validate(build(snapshot(Course.load(tmp_path)), {}, {}, regulation))
    assert data.results.empty and data.roster.empty
    out = tables.compute_all(data)
    assert out["trainees"].empty and out["item_analysis"].empty
    assert list(out["summary"]["released"]) == [False, False]


def test_answers_json_is_read_tolerantly(tmp_path):
    course = Course(tmp_path, "crm101", tmp_path / "exchange")
    folder = tmp_path / "autograded" / "t1" / "initial"
    folder.mkdir(parents=True)
    path = folder / "answers.json"
    for text, expected in [
        ('{"answers": {"Q1": {"value": 3}}}', {"Q1": 3}),
        ('{"answers": {"Q1": {"response": "a"}}}', {"Q1": "a"}),
        ('{"answers": {"Q1": true}}', {"Q1": True}),
        ('{"Q1": {"value": "x"}}', {"Q1": "x"}),
        ('{"answers": [1, 2]}', {}),
        ("[]", {}),
        ("\xff\xfe", {}),
    ]:
        path.write_bytes(text.encode("latin-1"))
        assert read_answers(course, "t1", "initial") == expected, text
    assert read_answers(course, "nobody", "initial") == {}


@pytest.mark.parametrize("value, qtype, text", [
    ("a", "single", "a"), (["c", "a"], "multiple", "a,c"), (["c", "a"], "ordering", "c,a"), (True, "true_false", "true"),
    (24.0, "numeric", "24"), (2.5, "numeric", "2.5"), (None, "single", ""), (float("nan"), "numeric", ""),
    ({"x": 1}, "open", '{"x": 1}'),
])
def test_response_text(value, qtype, text):
    assert response_text(value, qtype) == text


def test_report_command_end_to_end(course, tmp_path):
    from crmtrain.commands.report import run

    out = io.StringIO()
    # The build output folder is accepted too: its assignments/ holds the gradebook.
    assert run(course.parent, "sample:en", tmp_path / "report", "csv,xlsx,html", out) == 0
    text = out.getvalue()
    assert "Initial: 3/4 submitted (1 late), 1 passed, 1 below the 75% mark, 1 awaiting grading" in text
    assert "Follow-up: 1/4 submitted (0 late), 0 passed, 1 below the 80% mark" in text
    names = sorted(p.name for p in (tmp_path / "report").iterdir())
    assert names == sorted(["report.xlsx", "report.html", *(f"{n}.csv" for n in tables.TABLES)])
    retraining = pd.read_excel(tmp_path / "report" / "report.xlsx", sheet_name="Retraining list", engine="openpyxl")
    # t1 failed the follow-up (fu-tech-05 wrong, on 'lookup'); t2 failed the initial (in-tech-03, -04 wrong).
    assert list(zip(retraining["Login"], retraining["Item code"])) == [("t2", "interface"), ("t2", "lookup"), ("t1", "lookup")]
    assert retraining["What to revisit"].tolist()[0] == regulation_title("interface")
    assert retraining["Assessment"].tolist() == ["Initial", "Initial", "Follow-up"]


def regulation_title(ref):
    from crmtrain.regulation.items import index

    return index(load(sample_path("en")))[ref].title


def test_report_command_outside_a_course(tmp_path):
    from crmtrain.commands.report import run

    # Not a course at all: said before asking which regulation it was built from.
    with pytest.raises(UserError, match="is not an nbgrader course"):
        run(tmp_path, None, tmp_path / "out", None, io.StringIO())
    assert not (tmp_path / "out").exists()


def test_review_workbooks_go_into_each_trainees_folder(course, tmp_path, capsys):
    """t1 knew 'lookup' at the initial test and missed it at the follow-up; t2 missed 'interface' and 'lookup'."""
    import nbformat

    from crmtrain.cli import main

    pattern = str(tmp_path / "home" / "{trainee}" / "training")
    assert main(["review", "--course", str(course), "--regulation", "sample:en", "--out", pattern]) == 0
    text = capsys.readouterr().out
    lines = [line for line in text.splitlines() if not line.startswith("Regulation: ")]  # the line naming it
    assert lines[0].startswith("t2: 2 items to review, first on 2024-03-16: wrote ")  # roster order
    assert f"wrote {tmp_path}/home/t1/training/review.ipynb" in text
    t2 = nbformat.read(tmp_path / "home" / "t2" / "training" / "review.ipynb", as_version=4)
    assert t2.metadata.crmtrain["items"] == ["interface", "lookup"] and "Boris Orlov" in t2.cells[0].source
    t1 = nbformat.read(tmp_path / "home" / "t1" / "training" / "review.ipynb", as_version=4)
    assert "lookup" in t1.metadata.crmtrain["items"]
    lookup = next(line for line in t1.cells[2].source.splitlines() if regulation_title("lookup") in line)
    assert "you knew it at the initial test, not at the follow-up | 2024-06-14 |" in lookup  # follow-up due + 1 day
    assert not (tmp_path / "home" / "t3").exists()  # never submitted: nothing known to review
    assert main(["review", "--course", str(course), "--regulation", "sample:en", "--trainee", "nobody"]) == 2
    assert "not in the course roster: nobody" in capsys.readouterr().err


def test_the_bulk_read_totals_are_nbgraders_own(tmp_path, course):
    """Score, maximum, late penalty and pending flag per submission, as nbgrader's properties give them."""
    from nbgrader.api import Gradebook

    from crmtrain.grading.plumbing import snapshot

    shutil.copy(course / "gradebook.db", tmp_path / "gradebook.db")
    shutil.copy(course / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        gb.find_submission_notebook("initial", "initial", "t2").late_submission_penalty = 0.5
        gb.db.commit()
        own = {(a, s.student.id): (s.score, s.max_score, s.late_submission_penalty, s.needs_manual_grade)
               for a in ("initial", "followup") for s in gb.assignment_submissions(a)}
    snap = snapshot.snapshot(Course.load(tmp_path))
    read = {(s.assessment, s.trainee): (s.score + s.late_penalty, s.max_score, s.late_penalty, s.needs_manual_grade)
            for s in snap.submissions}
    assert read == own and own[("initial", "t2")][2] == 0.5 and len(own) == 4
