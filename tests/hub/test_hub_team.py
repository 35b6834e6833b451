"""A team on the hub: two trainees and the specialist, real system users, one real JupyterHub.

Both trainees log in on the hub's login page in headless Chromium, open a workbook and answer
a quiz, start the initial assessment in My training, answer every item by clicking
(each one a different mix of right and wrong) and submit. One tries to read the other's work
through the hub's contents API and from their own kernel, and cannot. The specialist opens
formgrader in its own tab, grades an open answer by hand, and `crmtrain collect`, `grade` and
`report`, run as the specialist, score both exactly as their clicks imply. Then the operations:
status, a hub restart, roster re-sync, backup and restore.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import re
import shutil
import subprocess

import pytest
from hub_harness import ARTIFACTS, Postgres, in_kernel, log_in
from playwright.sync_api import expect
from trainee import (Trainee, answer_case, assessment_item, assessment_items, assessment_ran_all, press_in_training, tick,
                     type_text, words)

from crmtrain import cli
from crmtrain.grading.plumbing.course import Course
from crmtrain.hub import api
from crmtrain.hub import status as hub_status
from crmtrain.regulation.loader import load
from crmtrain.runtime.keys import parse_number
from crmtrain.samples import resolve
from crmtrain.simulate import autograded_max, choose_case, expected_scores, questions, slots_asked

A = "initial"
REG = load(resolve("sample:en"))
BY_ID = {q.id: q for q in questions(REG, A)}
HAND_GRADED = ("in-proc-open", 2)  # the specialist gives the first trainee 2 of 3 points here


def plan(q, index: int, shift: int):
    """What a trainee clicks for question ``q``: right or wrong by (index + shift) % 3."""
    texts = {o.id: o.text for o in q.options}
    right, t = (index + shift) % 3 != 1, q.type.value
    if t == "open":
        return f"I record the order in the CRM and check the details first ({q.id})."
    if t == "single":
        return q.answer if right else next(i for i in texts if i != q.answer)
    if t == "true_false":
        return bool(q.answer) if right else not q.answer
    if t == "multiple":
        return list(q.answer) if right else list(q.answer) + [next(i for i in texts if i not in q.answer)]
    if t == "ordering":
        key = list(q.answer)
        return key if right else [key[1], key[0], *key[2:]]
    if t == "numeric":
        return f"{float(q.answer) + (0 if right else 1.5):.1f}".replace(".", ",")
    raise AssertionError(t)


def answer_everything(person: Trainee, shift: int, slots: dict) -> dict:
    """Click every item's answer (``slots``: what this trainee got in each slot); return what answers.json must hold."""
    answers = {}
    by_id = {**BY_ID, **{s: a.question for s, a in slots.items() if a.question is not None}}
    for index, qid in enumerate(assessment_items(person)):
        if qid in slots and slots[qid].question is None:  # their own case, right or wrong by the same rule
            value = choose_case(slots[qid], (index + shift) % 3 != 1, random.Random(f"{shift}/{qid}"))
            item = assessment_item(person, qid)
            answer_case(person, item, slots[qid], value)
            answers[qid] = value
            expect(item.locator(".crmtrain-saved")).to_contain_text("Saved at")
            continue
        q, item = by_id[qid], assessment_item(person, qid)
        texts, value, t = {o.id: o.text for o in q.options}, plan(q, index, shift), q.type.value
        if t == "open":
            type_text(person, item, value)
        elif t in ("single", "multiple"):
            for oid in ([value] if t == "single" else value):
                tick(person, item, texts[oid])
        elif t == "true_false":
            tick(person, item, "True" if value else "False")
        elif t == "ordering":
            person.order(item, [texts[oid] for oid in value])
        elif t == "numeric":
            person.type_number(item, value)
            value = parse_number(value)
        answers[qid] = value
        expect(item.locator(".crmtrain-saved")).to_contain_text("Saved at")
    return answers


class Story:
    """What happened in the browser, for the checks after it."""

    def __init__(self) -> None:
        self.people: dict[str, Trainee] = {}
        self.answers: dict[str, dict] = {}
        self.slots: dict[str, tuple] = {}  # what each trainee got in the slots (simulate.Asked)
        self.status_before_submit: hub_status.Status | None = None
        self.scores: dict[str, float] = {}  # what the report says, once the specialist has graded


@pytest.fixture(scope="module")
def story(live_hub, chromium, tmp_path_factory):
    """Both trainees log in, try a workbook, fetch, answer by clicking and submit."""
    hub, told = live_hub, Story()
    hub.run_as(hub.specialist, "release", A, "--course", str(hub.site.course_dir))
    for shift, name in enumerate(hub.trainees):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        server = log_in(page, hub, name)
        person = told.people[name] = Trainee(page, server, "workbooks", tmp_path_factory.mktemp(f"shots-{name}"))
        # A workbook: Run All, one quiz answered rightly, progress saved beside it.
        person.open("01-summary.ipynb")
        person.exercises_appear()
        qid = next(c.metadata["crmtrain"]["item"] for c in person.notebook.cells
                   if "item" in c.metadata.get("crmtrain", {}) and REG.question(c.metadata["crmtrain"]["item"]).type.value == "single")
        question = REG.question(qid)
        quiz = person.quiz(qid)
        person.choose(quiz, next(o.text for o in question.options if o.id == question.answer))
        assert person.check(quiz).startswith("✓ Correct!")
        assert person.progress()[qid]["correct"] is True
        # The assessment, from My training.
        page.goto(server.url("lab"))
        press_in_training(page, A, "Start", "to_submit")
        person.folder = A
        person.open(f"{A}.ipynb")
        assessment_ran_all(person)
        told.slots[name] = slots_asked(REG, A, server.root / A / f"{A}.ipynb", name)
        got = {a.slot: a for a in told.slots[name]}
        told.answers[name] = answer_everything(person, shift, got)
        saved = json.loads((server.root / A / "answers.json").read_text(encoding="utf-8"))
        for qid, value in told.answers[name].items():  # multiple choice is kept in the order shown
            q = BY_ID.get(qid) or (got[qid].question if qid in got else None)
            if q is not None and q.type.value == "multiple":
                assert sorted(saved["answers"][qid]) == sorted(value)
                told.answers[name][qid] = saved["answers"][qid]
        assert saved["answers"] == told.answers[name]
        if shift == 0:
            told.status_before_submit = hub_status.status(hub.site)
        press_in_training(page, A, "Submit", "submitted")
    yield told
    for person in told.people.values():
        person.page.context.close()


@contextlib.contextmanager
def specialist_page(chromium, hub, label: str):
    """The specialist logged in, in a browser context of their own; every tab's screenshot if it fails."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        log_in(page, hub, hub.specialist)
        yield page
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for n, tab in enumerate(context.pages):
            tab.screenshot(path=str(ARTIFACTS / f"{label}-tab{n}-at-failure.png"))
        raise
    finally:
        context.close()


def report_points(hub, folder: str) -> dict[str, float]:
    """`crmtrain report` as the specialist; each trainee's points on the assessment, from trainees.csv.

    The file is read by the headers the specialist sees (the English sample's words); its points
    are rounded for people to two decimals.
    """
    reports = hub.home(hub.specialist) / folder
    hub.run_as(hub.specialist, "report", "--course", str(hub.site.course_dir), "--out", str(reports), "--format", "csv")
    with open(reports / "trainees.csv", encoding="utf-8-sig") as fh:
        return {r["Login"]: float(r[f"{A.capitalize()}: points"]) for r in csv.DictReader(fh)}


def open_formgrader(page):
    """Menu Course → Formgrader: it opens in a browser tab of its own; that tab."""
    entry = page.locator('.lm-Menu-item[data-command="help:open"]', has_text="Formgrader")
    for _attempt in range(3):  # a click landing while the menu bar is still settling opens nothing
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Course$")).click()
        try:
            expect(entry).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    with page.context.expect_page() as opened:
        entry.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert "/formgrader/" in tab.url, tab.url  # it lands on Manage Assignments
    return tab


def grade_by_hand(page, hub, trainee: str, qid: str, points: float, shown: str) -> None:
    """In formgrader's own tab: Manual Grading → the trainee's submission → points for ``qid``."""
    page.goto(f"{hub.url}/user/{hub.specialist}/formgrader/gradebook/{A}/{A}")
    row = page.locator("tr", has=page.locator("a.name-shown", has_text=trainee.title()))
    row.locator(".glyphicon-eye-open").click()  # show names instead of "Submission #n"
    with page.expect_response(lambda r: "/formgrader/api/grades?" in r.url):
        row.locator("a.name-shown").click()
    expect(page.get_by_text(shown)).to_be_visible()  # the trainee's open answer, as they typed it
    score = page.locator(f"input.score#{qid}")
    score.scroll_into_view_if_needed()
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        score.fill(str(points))
        score.press("Tab")
    assert saved.value.ok and saved.value.json()["manual_score"] == points


def submission_of(hub, name: str):
    course = Course.load(hub.site.course_dir)
    [found] = [p for p in course.inbound_dir.iterdir() if p.name.startswith(f"{name}+{A}+")]
    return found


def test_both_trainees_submitted_through_the_hub(live_hub, story):
    ann, bob = live_hub.trainees
    for name in (ann, bob):
        sub = submission_of(live_hub, name)
        assert json.loads((sub / "answers.json").read_text(encoding="utf-8"))["answers"] == story.answers[name]
        assert (sub.stat().st_mode & 0o007) == 0, "a submission must be closed to other trainees"
    assert story.answers[ann] != story.answers[bob]
    # Each saw their own cases and draws (their kernels knew them by their hub login), worth the same.
    assert story.slots[ann] != story.slots[bob]
    assert [a.points for a in story.slots[ann]] == [a.points for a in story.slots[bob]]


def test_each_trainee_s_own_due_dates_are_in_their_home_for_them_alone(live_hub, story):
    import pwd

    from crmtrain.grading.verbs.release import due_date

    course = Course.load(live_hub.site.course_dir)
    cohort = due_date(course, A).isoformat(timespec="seconds") + "Z"  # nobody has a start: everybody's date
    for name in live_hub.trainees:
        path = live_hub.home(name) / ".crmtrain-dates.json"  # written at their server's start, as them
        st = path.stat()
        assert (st.st_uid, st.st_mode & 0o777) == (pwd.getpwnam(name).pw_uid, 0o600)
        dates = json.loads(path.read_text(encoding="utf-8"))
        assert dates["course"] == course.course_id and dates["assessments"][A]["due"] == cohort
        assert not any(other in path.read_text(encoding="utf-8") for other in live_hub.trainees if other != name)
    assert not list((course.exchange_course_dir / "schedule").glob("*.*.json"))  # nothing personal in the exchange


def test_status_shows_who_is_logged_in_and_who_has_not_submitted(live_hub, story):
    ann, bob = live_hub.trainees
    before = story.status_before_submit
    assert ann in before.logged_in and (ann, A) in before.unsubmitted
    after = hub_status.status(live_hub.site)
    assert {ann, bob} <= set(after.logged_in)
    assert after.unsubmitted == ()
    out = io.StringIO()
    from crmtrain.commands.hub import status

    assert status(str(live_hub.site.root), out=out) == 0
    text = out.getvalue()
    assert f"Logged in (server running): " in text and ann in text and "Answers not submitted: none" in text
    assert re.search(rf"^{re.escape(bob)}\s+trainee\s+running\s+.*submitted \d{{4}}-", text, re.M), text


def test_a_trainee_cannot_read_another_trainees_work(live_hub, story):
    ann, bob = live_hub.trainees
    person = story.people[ann]
    page, bob_home = person.page, live_hub.home(bob)
    # Through the hub: Ann's server does not serve outside her home, Bob's server is not hers.
    for url in (f"{live_hub.url}/user/{ann}/api/contents/..%2F{bob}%2F{A}",
                f"{live_hub.url}/user/{ann}/api/contents/{bob_home}/{A}/answers.json",
                f"{live_hub.url}/user/{bob}/api/contents/{A}/answers.json",
                f"{live_hub.url}/user/{bob}/files/{A}/answers.json"):
        reply = page.request.get(url, max_redirects=0)
        assert reply.status in (302, 403, 404), (url, reply.status, reply.text()[:200])
        assert "answers" not in reply.text()
    # From her own kernel: Bob's home, his submission (even by its exact name), the release.
    course = Course.load(live_hub.site.course_dir)
    targets = {"bob's home": f"os.listdir({str(bob_home)!r})",
               "bob's answers": f"open({str(bob_home / A / 'answers.json')!r}).read()",
               "the inbound list": f"os.listdir({str(course.inbound_dir)!r})",
               "bob's submission": f"open({str(submission_of(live_hub, bob) / 'answers.json')!r}).read()",
               "changing bob's submission": f"open({str(submission_of(live_hub, bob) / 'answers.json')!r}, 'a')",
               "changing the release": f"open({str(course.outbound_dir(A) / f'{A}.ipynb')!r}, 'a')",
               "adding to the release": f"open({str(course.outbound_dir(A) / 'extra.txt')!r}, 'w')",
               "the course": f"os.listdir({str(course.root)!r})"}
    controls = {"her own answers": f"open({str(live_hub.home(ann) / A / 'answers.json')!r}).read()",
                "the release": f"open({str(course.outbound_dir(A) / f'{A}.ipynb')!r}).read()"}
    code = "import json, os\nr = {}\n" + "".join(
        f"try:\n    {expr}\n    r[{label!r}] = 'allowed'\nexcept PermissionError:\n    r[{label!r}] = 'denied'\n"
        for label, expr in {**targets, **controls}.items()) + "print(json.dumps(r))"
    person.open(f"{A}.ipynb")
    seen = json.loads(in_kernel(page, code).strip().splitlines()[-1])
    assert seen == {**{k: "denied" for k in targets}, **{k: "allowed" for k in controls}}


def test_the_specialist_grades_by_hand_in_formgrader_and_the_scores_match_the_clicks(live_hub, story, chromium,
                                                                                      tmp_path):
    hub, (ann, bob) = live_hub, live_hub.trainees
    course = str(hub.site.course_dir)
    hub.run_as(hub.specialist, "collect", "--course", course)
    hub.run_as(hub.specialist, "grade", "--course", course)

    with specialist_page(chromium, hub, "specialist") as page:
        # Formgrader is for the specialist only; under JupyterHub it opens in a tab of its own.
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Nbgrader$")).click()
        expect(page.locator('.lm-Menu-item[data-command="nbgrader:open-formgrader"]')).to_be_visible()
        page.keyboard.press("Escape")
        trainee_page = story.people[ann].page
        # Trainees have no nbgrader menu at all: they work in My training.
        expect(trainee_page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Nbgrader$"))).to_have_count(0)
        expect(trainee_page.locator("#crmtrain-training")).to_be_attached()
        formgrader = f"{hub.url}/user/{hub.specialist}/formgrader"
        reply = page.request.get(formgrader)
        assert reply.ok and "frame-ancestors 'none'" in reply.headers.get("content-security-policy", "")
        assert page.request.get(f"{hub.url}/user/{ann}/formgrader", max_redirects=0).status in (302, 403, 404)
        tab = open_formgrader(page)
        expect(tab.get_by_text("Manage Assignments").first).to_be_visible()
        grade_by_hand(tab, hub, ann, *HAND_GRADED, shown=story.answers[ann][HAND_GRADED[0]])

    want = {ann: round(expected_scores(REG, A, story.answers[ann], story.slots[ann]) + HAND_GRADED[1], 2),
            bob: round(expected_scores(REG, A, story.answers[bob], story.slots[bob]), 2)}
    assert report_points(hub, "reports") == want
    assert 0 < want[bob] < autograded_max(REG, A) and want[ann] != want[bob]
    story.scores = want


def test_a_hub_restart_loses_nothing(live_hub, story):
    ann = live_hub.trainees[0]
    running = live_hub.running_servers()
    assert ann in running
    person = story.people[ann]
    person.open(f"{A}.ipynb")
    live_hub.stop()
    # While the hub is down, Ann's server and kernel run on: her open notebook still computes.
    assert subprocess.run(["pgrep", "-u", ann, "-f", "jupyterhub-singleuser"], capture_output=True).returncode == 0
    assert in_kernel(person.page, "print(6 * 7)").strip() == "42"
    live_hub.start()
    assert live_hub.running_servers() == running
    reply = person.page.request.get(f"{live_hub.url}/user/{ann}/api/contents/{A}/answers.json")
    assert reply.ok and json.loads(reply.json()["content"])["answers"] == story.answers[ann]


def test_a_roster_resync_disables_and_enables_and_never_deletes_work(live_hub, story, chromium, tmp_path):
    ann, bob = live_hub.trainees
    site = str(live_hub.site.root)
    only_ann = tmp_path / "staff.csv"
    only_ann.write_text(f"id,name,email\n{ann},Ann,{ann}@example.com\n", encoding="utf-8")
    assert cli.main(["hub", "users", "sync", str(only_ann), "--site", site]) == 0
    assert bob not in live_hub.running_servers()
    assert (live_hub.home(bob) / A / "answers.json").is_file()
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(f"{live_hub.url}/hub/login")
        page.locator("#username_input").fill(bob)
        page.locator("#password_input").fill(live_hub.passwords[bob])
        page.locator("#login_submit").click()
        expect(page.locator(".login_error")).to_contain_text("Invalid username or password")
        assert f"/user/{bob}/" not in page.url
    finally:
        context.close()
    both = tmp_path / "both.csv"
    both.write_text(f"id,name,email\n{ann},Ann,{ann}@example.com\n{bob},Bob,{bob}@example.com\n", encoding="utf-8")
    assert cli.main(["hub", "users", "sync", str(both), "--site", site]) == 0
    st = hub_status.status(live_hub.site)
    assert {p.name: p.role for p in st.people}[bob] == "trainee"


def test_backup_and_restore_bring_back_grades_answers_and_exchange(live_hub, story, tmp_path):
    ann, bob = live_hub.trainees
    site, course = str(live_hub.site.root), Course.load(live_hub.site.course_dir)
    archive = tmp_path / "hub.tar.gz"
    assert cli.main(["hub", "backup", str(archive), "--site", site]) == 0
    assert (archive.stat().st_mode & 0o077) == 0
    answers = live_hub.home(ann) / A / "answers.json"
    kept = answers.read_bytes()
    # Disaster: Ann's answers, the gradebook and the exchange's submissions are gone.
    answers.unlink()
    course.db_path.unlink()
    shutil.rmtree(course.inbound_dir)
    assert cli.main(["hub", "restore", str(archive), "--site", site]) == 0
    assert answers.read_bytes() == kept and answers.stat().st_uid == live_hub.home(ann).stat().st_uid
    # Sticky (3733): no trainee can rename or hide another's submission (docs/security.md).
    assert submission_of(live_hub, bob).is_dir() and (course.inbound_dir.stat().st_mode & 0o7777) == 0o3733
    assert report_points(live_hub, "reports-restored") == story.scores


def test_the_same_grading_on_postgresql_gives_the_same_scores(live_hub, story, chromium):
    """Reconfigure the hub's gradebook onto a private PostgreSQL and grade the same submissions again."""
    hub, (ann, bob) = live_hub, live_hub.trainees
    postgres = Postgres(hub.specialist).start()
    try:
        assert cli.main([*hub.config_argv, "--db-url", postgres.url]) == 0
        course = Course.load(hub.site.course_dir)
        assert course.db_url == postgres.url
        # The old SQLite gradebook goes aside: whatever is read from here on comes from PostgreSQL.
        course.db_path.rename(course.db_path.with_name("gradebook-before-postgresql.db"))
        assert cli.main(["hub", "users", "sync", str(hub.staff), "--site", str(hub.site.root)]) == 0
        folder = str(course.root)
        hub.run_as(hub.specialist, "release", A, "--force", "--course", folder)  # the assessment's rows in the new gradebook
        hub.run_as(hub.specialist, "collect", "--course", folder)
        hub.run_as(hub.specialist, "grade", "--course", folder)
        api.stop_server(hub.site, hub.specialist)  # formgrader reads the gradebook's address when it starts
        with specialist_page(chromium, hub, "specialist-postgresql") as page:
            grade_by_hand(open_formgrader(page), hub, ann, *HAND_GRADED, shown=story.answers[ann][HAND_GRADED[0]])
        assert report_points(hub, "reports-postgresql") == story.scores
        assert not course.db_path.exists()
    finally:
        postgres.stop()
