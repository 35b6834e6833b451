"""A quarter through nbgrader: three trainees starting weeks apart, each graded against their OWN date.

The course's calendar is Moscow's. The initial is released on Monday 12 January 2026, seven
days to take it; the follow-up (five days, opening 28 days after a trainee's own initial) on
2 February. Anna was there from the start; Boris joins on 2 February; Chen is hired on
2 March, after both releases, and added to the roster then. Submissions go through
nbgrader's own exchange with their clock set to the simulated day (nbgrader's timestamp), so
nothing sleeps. Every submission is graded by ``crmtrain grade`` and, in a copy of the course
with its own ``nbgrader_config.py``, by stock ``nbgrader autograde``: both must record the
same extension, lateness and late penalty ("zero": a late submission scores nothing).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import types

import pytest
from grading_fixtures import COURSE_ID, ITEMS, Trainee, make_course, subprocess_env

from crmtrain.grading.plumbing import timetable
from crmtrain.grading.plumbing.course import Course
from crmtrain.grading.plumbing.config import write_config
from crmtrain.grading.verbs import autograde, collect, release, roster, schedule
from crmtrain.rules import schedule as rules

MSK = "Europe/Moscow"
RIGHT = {it.id: (list(it.key) if isinstance(it.key, tuple) else it.key) for it in ITEMS if it.key is not None}


def msk(day: str, hour: int = 12) -> dt.datetime:
    """``hour`` o'clock Moscow time on ``day``, as naive UTC."""
    return dt.datetime.fromisoformat(day) + dt.timedelta(hours=hour - 3)


def end_msk(day: str) -> dt.datetime:
    return msk(day, 0) + dt.timedelta(hours=23, minutes=59, seconds=59)


def submit_at(trainee: Trainee, assessment: str, moment: dt.datetime) -> None:
    """Fetch, answer right and submit through nbgrader's exchange, its clock set to ``moment``."""
    if not trainee.folder(assessment).is_dir():
        trainee.fetch(assessment)
    trainee.answer(RIGHT, assessment)
    app = trainee._exchange("Submit", assessment)
    stamp = moment.replace(tzinfo=dt.timezone.utc).strftime(app.timestamp_format)
    app.set_timestamp = types.MethodType(lambda self: setattr(self, "timestamp", stamp), app)
    app.start()


def with_schedule(course, assessment: str, **settings) -> None:
    """What `crmtrain build` writes from the regulation: due_days/after_days in the source notebook."""
    import nbformat

    path = course.source_dir(assessment) / f"{assessment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.metadata.setdefault("crmtrain", {})[timetable.META_KEY] = settings
    nbformat.write(nb, path)


def stock_autograde(course, tmp_path, assessment: str):
    """Stock `nbgrader autograde` in a copy of the course (its own config, crmtrain's chain named in it)."""
    root = tmp_path / f"stock-{assessment}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(course.root, root, ignore=shutil.ignore_patterns("autograded", "crmtrain"))
    run = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assessment, "--force"], cwd=root,
                         env=subprocess_env(), capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return lateness(f"sqlite:///{root / 'gradebook.db'}", assessment)


def lateness(db_url: str, assessment: str) -> dict[str, tuple]:
    """``{trainee: (extension, seconds late, late penalty, score)}`` as nbgrader recorded them."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {s.student_id: (s.extension or dt.timedelta(0), s.total_seconds_late, s.late_submission_penalty, s.score)
                for s in gb.assignment_submissions(assessment)}


@pytest.fixture
def quarter(tmp_path, blank_gradebook):
    course = make_course(tmp_path / "course", tmp_path / "exchange", assessments=("initial", "followup"))
    write_config(course.root, COURSE_ID, course.exchange_dir, timezone=MSK, late_penalty="zero")
    course = Course.load(course.root)
    shutil.copy(blank_gradebook, course.db_path)
    with_schedule(course, "initial", due_days=7)
    with_schedule(course, "followup", due_days=5, after_days=28)
    first = tmp_path / "staff.csv"
    first.write_text("id,name,email,start\nanna,Anna,anna@x.ru,\nboris,Boris,boris@x.ru,02.02.2026\n", encoding="utf-8")
    roster.import_roster(course, first)
    return course, tmp_path


def test_a_quarter_graded_against_each_trainee_s_own_date(quarter):
    course, tmp_path = quarter
    release.release(course, "initial", at=msk("2026-01-12", 9))
    release.release(course, "followup", at=msk("2026-02-02", 9))
    people = {t: Trainee(t, tmp_path / "homes" / t, course) for t in ("anna", "boris", "chen")}
    # Chen is hired on 2 March: the roster grows, with his start day, after both releases.
    (tmp_path / "staff.csv").write_text("id;name;email;start\nanna;Anna;anna@x.ru;\nboris;Boris;boris@x.ru;2026-02-02\n"
                                        "chen;Chen;chen@x.ru;2026-03-02\n", encoding="utf-8")
    assert roster.import_roster(course, tmp_path / "staff.csv").starts_changed == ("chen",)

    submit_at(people["anna"], "initial", msk("2026-01-16"))  # on time (due 19 Jan)
    submit_at(people["boris"], "initial", msk("2026-02-06"))  # late for the cohort, on time for him (due 9 Feb)
    submit_at(people["chen"], "initial", msk("2026-03-12"))  # three days after his own 9 March: late
    dues = schedule.schedules(course, dt.date(2026, 3, 12))  # the submissions still wait in the exchange
    assert {t: d[0].due for t, d in dues.items()} == {
        "anna": end_msk("2026-01-19"), "boris": end_msk("2026-02-09"), "chen": end_msk("2026-03-09")}
    # the follow-up opens 28 days after each one's own initial, five days to take it
    assert {t: (d[1].opens, d[1].due) for t, d in dues.items()} == {
        "anna": (msk("2026-02-13", 0), end_msk("2026-02-18")), "boris": (msk("2026-03-06", 0), end_msk("2026-03-11")),
        "chen": (msk("2026-04-09", 0), end_msk("2026-04-14"))}
    assert dues["chen"][1].state == rules.WAITING and dues["boris"][1].state == rules.OVERDUE

    expected_initial = {"anna": (dt.timedelta(0), False), "boris": (dt.timedelta(days=21), False),
                        "chen": (dt.timedelta(days=49), True)}
    graded = grade_and_compare(course, tmp_path, "initial")
    assert {t: (ext, late > 0) for t, (ext, late, _, _) in graded.items()} == expected_initial
    assert graded["chen"][1] == (msk("2026-03-12") - end_msk("2026-03-09")).total_seconds()
    assert graded["chen"][2] == graded["chen"][3] > 0  # "zero": the late one's whole score is the penalty

    # The specialist gives Chen five more days on his follow-up (recorded: a re-grade keeps it).
    assert schedule.extend(course, "chen", "followup", days=5).due == end_msk("2026-04-19")
    submit_at(people["anna"], "followup", msk("2026-02-21"))  # due 18 Feb: late
    submit_at(people["boris"], "followup", msk("2026-03-10"))  # due 11 Mar: on time
    submit_at(people["chen"], "followup", msk("2026-04-17"))  # due 14 Apr, moved to 19 Apr: on time
    graded = grade_and_compare(course, tmp_path, "followup")
    own = {t: timetable.due_of(course, "followup", t).due for t in people}
    assert own == {"anna": end_msk("2026-02-18"), "boris": end_msk("2026-03-11"), "chen": end_msk("2026-04-19")}
    cohort = release.due_date(course, "followup")
    assert cohort == end_msk("2026-02-07")
    assert {t: (ext, late > 0) for t, (ext, late, _, _) in graded.items()} == {
        t: (own[t] - cohort, t == "anna") for t in people}
    # graded again: the extensions stay as they were
    autograde.grade(course, ["followup"], workers=1)
    assert lateness(course.db_url, "followup") == graded


def grade_and_compare(course, tmp_path, assessment: str) -> dict[str, tuple]:
    """Collect; grade with crmtrain and with stock nbgrader autograde; both record the same lateness."""
    collect.collect(course, assessment)
    stock = stock_autograde(course, tmp_path, assessment)
    report = autograde.grade(course, [assessment], workers=1)
    assert all(o.ok for o in report.outcomes), [o.error for o in report.outcomes]
    ours = lateness(course.db_url, assessment)
    assert ours == stock
    return ours


@pytest.fixture
def cohort(course, tmp_path):
    """The fixture course: the initial released ten days ago (seven to take it); three trainees."""
    today = timetable.today(course)
    staff = tmp_path / "staff.csv"
    staff.write_text("id,name,email,start\nold,Olga,o@x.ru,\nnew,Nina,n@x.ru,"
                     f"{today - dt.timedelta(days=5)}\nnext,Pavel,p@x.ru,{today + dt.timedelta(days=3)}\n", encoding="utf-8")
    roster.import_roster(course, staff)
    release.release(course, "initial", at=dt.datetime.utcnow() - dt.timedelta(days=10))
    return course, today


def test_status_lists_each_trainee_s_own_dates_overdue_first(cohort, capsys):
    from crmtrain.cli import main

    course, today = cohort
    assert main(["status", "initial", "--course", str(course.root)]) == 0
    lines = capsys.readouterr().out.splitlines()[2:5]
    assert [(line.split()[0], standing in line) for line, standing in zip(lines, ("overdue", "due soon", "not open yet"))] == [
        ("old", True), ("new", True), ("next", True)]
    rows = [line.split() for line in lines]
    assert rows[1][3] == str(today + dt.timedelta(days=2)) and rows[2][2] == str(today + dt.timedelta(days=3))
    assert main(["extend", "old", "initial", "--days", "30", "--course", str(course.root)]) == 0
    assert "old: initial is due" in capsys.readouterr().out
    assert main(["status", "initial", "--course", str(course.root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[2].split()[0] == "new" and "* moved by the specialist" in out
    assert [line.split()[0] for line in out.splitlines()[2:5]] == ["new", "old", "next"]  # old is open again


@pytest.mark.parametrize("args, message", [
    (["zed", "initial", "--days", "2"], "'zed' is not on the roster of crm-test"),
    (["old", "initial", "--to", "2020-01-01"], "old's initial cannot be due before everybody's date"),
    (["old", "initial", "--days", "-30"], "old's initial cannot be due before everybody's date"),
    (["old", "initial", "--to", "2027-02-30"], "--to '2027-02-30' is not a date: use YYYY-MM-DD or DD.MM.YYYY"),
    (["old", "followup", "--days", "2"], "followup has no date for old yet: it is not released"),
])
def test_extend_refuses_what_nbgrader_cannot_do_and_changes_nothing(cohort, capsys, args, message):
    from crmtrain.cli import main

    course, _ = cohort
    before = (course.root / "schedule.json").read_bytes()
    assert main(["extend", *args, "--course", str(course.root)]) == 2
    assert message in capsys.readouterr().err
    assert (course.root / "schedule.json").read_bytes() == before


def test_the_report_s_schedule_table_says_what_status_says(cohort):
    import pandas as pd

    from crmtrain.grading.verbs.status import assessment_status
    from crmtrain.reports import tables
    from crmtrain.reports.data import ASSESSMENT_COLUMNS, ITEM_COLUMNS, RESULTS, ReportData, empty
    from crmtrain.reports.from_gradebook import schedule_frame
    from crmtrain.reports.people.view import People

    course, today = cohort
    roster_df = pd.DataFrame({"trainee_id": ["next", "new", "old"], "name": ["Pavel", "Nina", "Olga"], "email": ""})
    data = ReportData(empty(RESULTS), empty(ASSESSMENT_COLUMNS), roster_df, empty(ITEM_COLUMNS),
                      schedule=schedule_frame(course, released=("initial",)))
    table = tables.schedule_table(tables.Shared(data))
    status = assessment_status(course, "initial")
    assert list(zip(table["trainee_id"], table["standing"], table["due"])) == [
        (t.trainee, t.schedule.state, t.schedule.due) for t in status.trainees]
    assert list(table["standing"]) == ["overdue", "due_soon", "waiting"] and list(table["name"]) == ["Olga", "Nina", "Pavel"]
    ru = People("ru", "Europe/Moscow")
    assert [ru.value("schedule", "standing", s) for s in table["standing"]] == ["просрочено", "срок скоро", "ещё не открыто"]
    assert ru.header("schedule", "due") == "Свой срок"


def test_my_training_shows_the_trainee_their_own_due_date_and_nobody_else_s(cohort, tmp_path, monkeypatch):
    import json

    from crmtrain.grading.plumbing.config import trainee_config_text
    from crmtrain.hub import workbooks
    from crmtrain.i18n import translation
    from crmtrain.panel.overview import Training

    course, today = cohort
    mine = workbooks.dates(course.root, "new")  # what the hub's server start writes into new's home, as new
    assert json.loads(mine)["assessments"]["initial"]["due"] == f"{today + dt.timedelta(days=2)}T23:59:59Z"
    assert b"old" not in mine and b"next" not in mine  # only new's dates
    assert workbooks.dates(course.root, "zed") == b"{}" and workbooks.dates(course.root, "../old") == b"{}"

    shown = {}
    for login, dates in (("new", mine), ("old", None)):
        home = tmp_path / "homes" / login
        home.mkdir(parents=True)
        (home / "nbgrader_config.py").write_text(trainee_config_text(course.course_id, course.exchange_dir)
                                                 + f"c.CourseDirectory.student_id = {login!r}\n", encoding="utf-8")
        if dates is not None:
            (home / workbooks.DATES).write_bytes(dates)
        monkeypatch.chdir(home)
        shown[login] = {a["id"]: a for a in Training(home).assessments(translation("en").gettext)}["initial"]
    cohort_due = release.due_date(course, "initial")  # the course's calendar is UTC's
    assert shown["new"]["due"] == f"Due {today + dt.timedelta(days=2)}, 23:59" and not shown["new"]["late"]
    assert shown["old"]["due"] == f"Due {cohort_due:%Y-%m-%d}, {cohort_due:%H:%M}" and shown["old"]["late"]


@pytest.mark.parametrize("text", ["{not json", '{"starts": {"new": "2027-02-30"}}', '{"moved": {"initial": {"old": {"to": 5}}}}'])
def test_a_damaged_schedule_file_is_named_not_a_traceback(cohort, capsys, text):
    from crmtrain.cli import main

    course, _ = cohort
    (course.root / "schedule.json").write_text(text, encoding="utf-8")
    assert main(["status", "--course", str(course.root)]) == 2
    err = capsys.readouterr().err
    assert f"{course.root / 'schedule.json'}: unreadable" in err and "Traceback" not in err
