"""The initial assessment as a trainee takes it in JupyterLab, then graded by `crmtrain grade`.

Release the English sample's initial assessment to a one-trainee roster; in the browser the
trainee starts it in My training (nbgrader's fetch), answers every question by clicking (radio
buttons, check boxes, ↑ for ordering, a number with a decimal comma, an open answer typed
in), reloads the page, restarts the kernel (the cells run again by themselves) and finds every answer
restored, then submits in My training. Collect and `crmtrain grade` must score it
exactly as the clicks imply (from the key) and as answers.json holds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil

import pytest
from harness import REPO, new_page
from playwright.sync_api import expect
from trainee import (Trainee, answer_case, assessment_item, assessment_items, assessment_restart, case_clicks,
                     assessment_ran_all, ordered_texts, press_in_training, tick, save_notebook, type_text,
                     training_row)

from crmtrain import cli
from crmtrain.grading.verbs import collect, release, roster
from crmtrain.grading.presentation import results
from crmtrain.grading.plumbing.config import trainee_config_text
from crmtrain.grading.plumbing.course import Course
from crmtrain.regulation.loader import load
from crmtrain.runtime.keys import parse_number
from crmtrain.runtime.ui import format_number
from crmtrain.samples import resolve
from crmtrain.simulate import autograded_max, choose_case, expected_scores, questions, slots_asked

pytestmark = pytest.mark.browser

A = "initial"
TRAINEE = "alice"
REG = load(resolve("sample:en"))
ARTIFACTS = REPO / "test-artifacts" / "browser"
OPEN_TEXT = "Record it in the CRM, check the details, and tell my manager; then follow the regulation."


def plan(q, index: int):
    """What the trainee clicks for question ``q`` (the index-th): a mix of right and wrong.

    Returns (kind, what the browser does, the option ids / value answers.json should hold).
    """
    t, texts = q.type.value, {o.id: o.text for o in q.options}
    right = index % 3 != 1
    if t == "open":
        return OPEN_TEXT + f" ({q.id})"
    if t == "single":
        return q.answer if right else next(i for i in texts if i != q.answer)
    if t == "true_false":
        return bool(q.answer) if right else not q.answer
    if t == "multiple":
        key = list(q.answer)
        return key if right else key + [next(i for i in texts if i not in key)]
    if t == "ordering":
        key = list(q.answer)
        if right:
            return key
        key[0], key[1] = key[1], key[0]
        return key
    if t == "numeric":
        value = float(q.answer) if right else float(q.answer) + 1.5
        return f"{value:.1f}".replace(".", ",")  # typed with a decimal comma
    raise AssertionError(t)


@pytest.fixture
def shots(request):
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    yield folder
    failed = getattr(getattr(request.node, "report_call", None), "failed", False)
    if not failed and not os.environ.get("CRMTRAIN_KEEP_SHOTS"):
        shutil.rmtree(folder, ignore_errors=True)
        for path in (ARTIFACTS, ARTIFACTS.parent):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def test_answers_survive_reload_and_restart_and_are_graded_as_clicked(
        tmp_path, monkeypatch, lab_server_factory, browser, shots):
    # --- the specialist: build, roster, release --------------------------------------------
    site, exchange = tmp_path / "site", tmp_path / "exchange"
    assert cli.main(["build", "sample:en", "--out", str(site), "--exchange", str(exchange)]) == 0
    course = Course.load(site / "assignments")
    staff = tmp_path / "staff.csv"
    staff.write_text(f"id,name,email\n{TRAINEE},Alice Smith,alice@example.com\n", encoding="utf-8")
    roster.import_roster(course, staff)
    release.release(course, A, due=dt.datetime.utcnow() + dt.timedelta(hours=2))

    # --- the trainee's JupyterLab: their home folder, nbgrader config naming them -----------
    home, config = tmp_path / "home" / TRAINEE, tmp_path / "trainee-config"
    home.mkdir(parents=True)
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        trainee_config_text(course.course_id, course.exchange_dir)
        + f"c.CourseDirectory.student_id = {TRAINEE!r}\n", encoding="utf-8")
    monkeypatch.setenv("CRMTRAIN_TRAINEE", TRAINEE)  # the kernel's login name, as JupyterHub gives it
    server = lab_server_factory(home, config_dirs=(config,))
    page = new_page(browser)
    person = Trainee(page, server, A, shots)
    try:
        _take_the_assessment(person, course, home)
    except BaseException:
        person.shot("at-failure")
        (shots / "console.log").write_text("\n".join(person.console), encoding="utf-8")
        (shots / "server.log").write_text(server.log(), encoding="utf-8")
        raise
    finally:
        page.context.close()
        server.shutdown_kernels()

    # --- the specialist again: collect and `crmtrain grade` ----------------------------------
    answers = person.answers
    submitted = json.loads((home / A / "answers.json").read_text(encoding="utf-8"))
    assert submitted["answers"] == answers and submitted["trainee"] == TRAINEE
    assert collect.collect(course, A).collected == (TRAINEE,)
    saved = json.loads((course.submitted_dir(TRAINEE, A) / "answers.json").read_text(encoding="utf-8"))
    assert saved["answers"] == answers
    assert cli.main(["grade", "--course", str(course.root)]) == 0
    [result] = results.results(course, A)
    expected = expected_scores(REG, A, answers, person.slots)
    assert result.trainee == TRAINEE
    assert result.score == expected == expected_scores(REG, A, saved["answers"], person.slots)
    assert 0 < expected < autograded_max(REG, A)  # some right, some wrong: a wrong grading would show


def _take_the_assessment(person: Trainee, course: Course, home) -> None:
    page = person.page
    # Start it in My training: nbgrader's fetch underneath.
    page.goto(person.server.url("lab", reset=True))
    expect(training_row(page, A)).to_have_attribute("data-state", "open")
    person.shot("my-training")
    press_in_training(page, A, "Start", "to_submit")
    assert (home / A / f"{A}.ipynb").is_file()
    person.shot("fetched")

    # Open: the answer boxes appear by themselves; answer every question by clicking.
    person.open(f"{A}.ipynb")
    assessment_ran_all(person)
    assert not person.page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")
    by_id = {q.id: q for q in questions(REG, A)}
    # The slots: this trainee's own drawn questions and cases, derived from their seed as grading will.
    slots = {a.slot: a for a in slots_asked(REG, A, home / A / f"{A}.ipynb", TRAINEE)}
    cases = {s: a for s, a in slots.items() if a.question is None}
    by_id.update({s: a.question for s, a in slots.items() if a.question is not None})
    assert cases and len(slots) > len(cases)  # the sample has both kinds
    qids = assessment_items(person)
    assert sorted(qids) == sorted([*by_id, *cases])
    intended, answers = {}, {}
    for index, qid in enumerate(qids):
        if qid in cases:  # clicked by its labels, right for some slots and wrong for others
            item = assessment_item(person, qid)
            value = choose_case(cases[qid], index % 3 != 1, random.Random(qid))
            answer_case(person, item, cases[qid], value)
            answers[qid] = intended[qid] = value
            expect(item.locator(".crmtrain-saved")).to_contain_text("Saved at")
            continue
        q, item = by_id[qid], assessment_item(person, qid)
        texts = {o.id: o.text for o in q.options}
        value = plan(q, index)
        t = q.type.value
        if t == "open":
            type_text(person, item, value)
            answers[qid] = value
        elif t == "single":
            tick(person, item, texts[value])
            answers[qid] = value
        elif t == "true_false":
            tick(person, item, "True" if value else "False")
            answers[qid] = value
        elif t == "multiple":
            for oid in value:
                tick(person, item, texts[oid])
            answers[qid] = value
        elif t == "ordering":
            person.order(item, [texts[oid] for oid in value])
            answers[qid] = value
        elif t == "numeric":
            person.type_number(item, value)
            answers[qid] = parse_number(value)
        intended[qid] = value
        expect(item.locator(".crmtrain-saved")).to_contain_text("Saved at")
    person.shot("answered")
    on_disk = json.loads((home / A / "answers.json").read_text(encoding="utf-8"))["answers"]
    # Multiple choice is kept in the shuffled order shown; compare as sets there.
    for qid, value in answers.items():
        if qid in by_id and by_id[qid].type.value == "multiple":
            assert sorted(on_disk[qid]) == sorted(value), qid
            answers[qid] = on_disk[qid]
    assert on_disk == answers

    # Back later: the page reloads, the kernel restarts (the toolbar's button), everything is back.
    save_notebook(person)
    person.open(f"{A}.ipynb")
    person.shot("reloaded")
    assessment_restart(person)
    expect(person.panel.get_by_text(f"Your answers to {len(qids)} questions were restored.")).to_be_visible()
    for qid in qids:
        if qid in cases:
            item = assessment_item(person, qid)
            expect(item.locator(".crmtrain-saved")).to_contain_text("Saved at")
            for label in case_clicks(cases[qid], intended[qid]):
                expect(item.get_by_label(label, exact=True)).to_be_checked()
            continue
        q, item = by_id[qid], assessment_item(person, qid)
        texts, value, t = {o.id: o.text for o in q.options}, intended[qid], q.type.value
        expect(item.locator(".crmtrain-saved")).to_contain_text("Saved at")
        if t == "open":
            expect(item.locator("textarea")).to_have_value(value)
        elif t == "single":
            for oid, text in texts.items():
                box = item.get_by_label(text, exact=True)
                (expect(box).to_be_checked() if oid == value else expect(box).not_to_be_checked())
        elif t == "true_false":
            expect(item.get_by_label("True" if value else "False", exact=True)).to_be_checked()
            expect(item.get_by_label("False" if value else "True", exact=True)).not_to_be_checked()
        elif t == "multiple":
            for oid, text in texts.items():
                box = item.get_by_label(text, exact=True)
                (expect(box).to_be_checked() if oid in value else expect(box).not_to_be_checked())
        elif t == "ordering":
            assert ordered_texts(item) == [texts[oid] for oid in value], qid
        elif t == "numeric":
            expect(item.locator("input[type=text]")).to_have_value(format_number(parse_number(value), "en"))
    person.shot("restored")
    save_notebook(person)

    # Submit in My training.
    press_in_training(page, A, "Submit", "submitted")
    person.shot("submitted")
    assert list(course.inbound_dir.glob(f"{TRAINEE}+{A}+*"))
    person.answers, person.slots = answers, tuple(slots.values())
