"""Spaced review on schedule: on the day the review plan gives, the trainee's review workbook is ready.

Ann submits the initial assessment without answering (every rule comes back in her review
plan); Bob has not submitted. The daily job (``crmtrain remind``'s step, :func:`place_reviews`)
keeps Ann's workbook in the course from the plan's first day on, never before, and says so
through :func:`reviews_due` (what the reminder tells her). The hub's step then puts it into her
home as she would herself (``hub.workbooks.place_review``): once, again after a new plan, and
never over a workbook she changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import nbformat
import pytest
from grading_fixtures import Trainee

from crmtrain.cli import main
from crmtrain.commands.review import place_reviews, plans, review_facts
from crmtrain.grading.plumbing.course import Course
from crmtrain.grading.plumbing.reviews import HOME_PATH, reviews_due
from crmtrain.hub import workbooks

pytestmark = [pytest.mark.nbgrader]


def crmtrain(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert main(list(argv)) == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[Path, dt.date]:
    """The course after Ann's empty initial was graded; and the first day of her review plan."""
    tmp = tmp_path_factory.mktemp("review")
    crmtrain("build", "sample:en", "--out", str(tmp / "training"), "--exchange", str(tmp / "exchange"))
    root = tmp / "training" / "assignments"
    staff = tmp / "staff.csv"
    staff.write_text("id,name,email\nann,Ann Lee,ann@example.com\nbob,Bob Stone,bob@example.com\n", encoding="utf-8")
    crmtrain("roster", "import", str(staff), "--course", str(root))
    crmtrain("release", "initial", "--course", str(root))
    ann = Trainee("ann", tmp / "homes" / "ann", Course.load(root))
    ann.home.mkdir(parents=True)
    ann.fetch("initial")
    ann.submit("initial")
    crmtrain("collect", "--course", str(root))
    crmtrain("grade", "--course", str(root), "--workers", "1")
    _reg, _data, plan = plans(root, None)
    first = min(plan[plan["trainee_id"].astype(str) == "ann"]["review_on"]).date()
    return root, first


@pytest.fixture(scope="module")
def ready(graded) -> tuple[Path, dt.date, tuple]:
    """The daily job has run on the plan's first day (the reviews it gathered for the letters too)."""
    root, first = graded
    reviews, _forgetting, _words = review_facts(root, first, io.StringIO(), place=True)
    return root, first, reviews


def test_nothing_is_ready_before_the_plans_first_day(graded):
    root, first = graded
    reg, data, plan = plans(root, None, first - dt.timedelta(days=1))
    assert place_reviews(root, reg, data, plan, first - dt.timedelta(days=1)) == {}
    assert reviews_due(Course.load(root), "ann", first - dt.timedelta(days=1)) is None


def test_on_that_day_the_workbook_is_ready_and_the_reminder_can_say_so(ready):
    root, first, reviews = ready
    due = reviews_due(Course.load(root), "ann", first)
    assert due is not None and due.since == first and due.path == HOME_PATH == "workbooks/review.ipynb"
    assert due.items == len({r.ref for r in reviews if r.trainee == "ann"}) > 0
    nb = nbformat.read(root / "reviews" / "ann.ipynb", as_version=4)
    assert "Ann Lee" in nb.cells[0].source and nb.metadata.crmtrain["items"]
    assert reviews_due(Course.load(root), "bob", first) is None  # nothing graded, nothing to review
    assert reviews_due(Course.load(root), "ann", first + dt.timedelta(days=30)) == due  # still there later


def test_the_daily_job_twice_on_one_day_changes_nothing(ready):
    root, first, _reviews = ready
    before = (root / "reviews" / "ann.ipynb").stat().st_mtime_ns
    review_facts(root, first, io.StringIO(), place=True)
    assert (root / "reviews" / "ann.ipynb").stat().st_mtime_ns == before


def test_the_hub_places_it_once_and_never_over_her_changes(ready, tmp_path):
    root, first, _reviews = ready
    data = workbooks.review(root, "ann")
    assert data and workbooks.review(root, "bob") == b"" and workbooks.review(root, "../ann") == b""
    home = tmp_path / "ann"
    home.mkdir()
    assert workbooks.place_review(data, home) == "placed"
    placed = home / HOME_PATH
    assert placed.read_bytes() == data
    assert workbooks.place_review(data, home) == "same"
    newer = data.replace(b"Ann Lee", b"Ann Lee-Smith")  # a new plan after the follow-up
    assert workbooks.place_review(newer, home) == "placed" and placed.read_bytes() == newer
    nb = json.loads(newer)
    nb["cells"][0]["source"] = "My own notes\n" + "".join(nb["cells"][0]["source"])
    placed.write_text(json.dumps(nb), encoding="utf-8")  # Ann writes into her workbook
    assert workbooks.place_review(data, home) == "kept"
    assert placed.read_text(encoding="utf-8").count("My own notes") == 1


def test_a_link_in_place_of_the_workbook_is_replaced_not_followed(ready, tmp_path):
    root, _first, _reviews = ready
    home, elsewhere = tmp_path / "ann", tmp_path / "secret.txt"
    (home / "workbooks").mkdir(parents=True)
    elsewhere.write_text("not hers to overwrite", encoding="utf-8")
    (home / HOME_PATH).symlink_to(elsewhere)
    assert workbooks.place_review(workbooks.review(root, "ann"), home) == "placed"
    assert elsewhere.read_text(encoding="utf-8") == "not hers to overwrite"
    assert not (home / HOME_PATH).is_symlink()


def test_the_child_processes_root_starts_read_and_place_it(ready, tmp_path):
    """What root runs as the specialist (``review``) and then as the trainee (``place-review``)."""
    import subprocess
    import sys

    from grading_fixtures import subprocess_env

    root, _first, _reviews = ready
    child = [sys.executable, "-m", "crmtrain.hub.workbooks"]
    data = subprocess.run([*child, "review", str(root), "ann"], env=subprocess_env(), capture_output=True,
                          check=True).stdout
    assert data == (root / "reviews" / "ann.ipynb").read_bytes()
    placed = subprocess.run([*child, "place-review", str(tmp_path)], input=data, env=subprocess_env(),
                            capture_output=True, check=True).stdout
    assert placed.decode().strip() == "placed" and (tmp_path / HOME_PATH).read_bytes() == data


def test_the_days_letter_says_the_workbook_is_in_her_home(ready):
    from crmtrain.i18n import translation
    from crmtrain.reminders.letters import Day, Person, trainee_letter

    root, first, reviews = ready
    ann = Person("ann", "Ann Lee", "ann@example.com")
    mine = tuple(r for r in reviews if r.trainee == "ann" and r.on == first)
    letter = trainee_letter(translation("en"), Day(first, (ann,), (), mine, (), "UTC", frozenset({"ann"})), ann)
    assert "Your personal review workbook is in your home: workbooks/review.ipynb." in letter.closing
    without = trainee_letter(translation("en"), Day(first, (ann,), (), mine, (), "UTC"), ann)
    assert not any("review workbook" in line for line in without.closing)
