"""A Russian trainee's assessment through "My training" only: start, answer, submit, read the result.

The specialist releases the Russian sample's initial assessment with a due date (crmtrain
commands). In the browser the trainee never sees a file browser, a menu of nbgrader's or a
file name: in My training they press «Начать», answer every question by clicking, press
«Сдать». The specialist collects, grades, scores the open answers by hand with a comment and
releases the feedback (crmtrain commands). The trainee comes back, presses «Открыть
результат» and reads a page of their answers, points, the comment and what to re-read; a
re-read link opens the workbook at its section.

On every page: no code, no ids, no English but the regulation's own words, no file names.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import re

import pytest
from harness import BUILDS, copy_workbooks, new_page
from playwright.sync_api import expect
from trainee import (Trainee, answer_case, assessment_item, assessment_items, assessment_ran_all, my_training,
                     press_in_training, tick, training_row, type_text)

from crmtrain import cli
from crmtrain.grading.plumbing import gradebook
from crmtrain.grading.verbs import roster
from crmtrain.grading.plumbing.config import trainee_config_text
from crmtrain.grading.plumbing.course import Course
from crmtrain.i18n import translation
from crmtrain.regulation.items import index
from crmtrain.regulation.loader import load
from crmtrain.regulation.selection import select
from crmtrain.samples import resolve
from crmtrain.simulate import choose_case, questions, slots_asked

pytestmark = pytest.mark.browser

A = "initial"
TRAINEE = "anna"
REG = load(resolve("sample:ru"))
_ = translation("ru").gettext
COMMENT = "Хорошо описаны шаги; не забудьте про проверку счёта бухгалтером."
CODE = ("test.item", "import ", "crmtrain.", "check(", "In [", "Out[", "grade_id", "Grade cell", ".ipynb", "nbgrader",
        "Python", "ipykernel", "Kernel", "Assignment List")


def regulation_words() -> set[str]:
    """Latin words the regulation itself uses in its texts (CRM, e-mail addresses...): not crmtrain's English."""
    found: set[str] = set()

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("id", "refs", "then", "may_test", "answer", "from", "to", "process", "kind", "when"):
                    walk(v, k)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            found.update(re.findall(r"[A-Za-z]{2,}", value))

    walk(REG.model_dump(mode="json"))
    return found


ALLOWED = regulation_words()
IDS = ({i for key in index(REG) for i in key.split(".")} | {q.id for q in REG.questions}
       | {s.id for a in ("initial", "followup") for s in select(REG).slots[a]}
       | {"initial", "followup", "01-summary", "02-order-processing", "03-client-work"})


def for_people(text: str, where: str) -> None:
    """No code, no ids, no English but the regulation's own words in ``text`` (what one page shows)."""
    for code in CODE:
        assert code not in text, f"{where}: {code!r} shown"
    shown_ids = sorted(i for i in IDS if re.search(rf"(?<![\w.@-]){re.escape(i)}(?![\w@-])", text))
    assert shown_ids == [], f"{where}: ids shown"
    english = sorted({w for w in re.findall(r"[A-Za-z]{2,}", text)} - ALLOWED)
    assert english == [], f"{where}: English words shown"


def give(person: Trainee, item, q, right: bool) -> None:
    """Answer question ``q`` by clicking, right or wrong."""
    texts, t = {o.id: o.text for o in q.options}, q.type.value
    if t == "open":
        type_text(person, item, "Фиксирую заявку в CRM, проверяю реквизиты и действую по регламенту.")
    elif t == "single":
        tick(person, item, texts[q.answer if right else next(i for i in texts if i != q.answer)])
    elif t == "true_false":
        tick(person, item, _("True") if bool(q.answer) == right else _("False"))
    elif t == "multiple":
        for oid in list(q.answer) + ([] if right else [next(i for i in texts if i not in q.answer)]):
            tick(person, item, texts[oid])
    elif t == "ordering":
        key = list(q.answer)
        if not right:
            key[0], key[1] = key[1], key[0]
        person.order(item, [texts[oid] for oid in key])
    elif t == "numeric":
        value = float(q.answer) + (0 if right else 1.5)
        person.type_number(item, f"{value:g}".replace(".", ","))
    else:
        raise AssertionError(t)


def test_a_russian_trainee_takes_the_initial_assessment_and_reads_the_result_in_my_training(
        tmp_path, monkeypatch, lab_server_factory, browser):
    # --- the specialist: build, roster, release with a due date ------------------------------
    site, exchange = tmp_path / "site", tmp_path / "exchange"
    assert cli.main(["build", "sample:ru", "--out", str(site), "--exchange", str(exchange)]) == 0
    course = Course.load(site / "assignments")
    staff = tmp_path / "staff.csv"
    staff.write_text(f"id,name,email\n{TRAINEE},Анна Смирнова,anna@example.com\n", encoding="utf-8")
    roster.import_roster(course, staff)
    due = (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    assert cli.main(["release", A, "--due", due, "--course", str(course.root)]) == 0

    # --- the trainee's JupyterLab: their workbooks, their nbgrader config ---------------------
    home, config = tmp_path / "home" / TRAINEE, tmp_path / "trainee-config"
    copy_workbooks(home, BUILDS["ru"])
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        trainee_config_text(course.course_id, course.exchange_dir) + f"c.CourseDirectory.student_id = {TRAINEE!r}\n",
        encoding="utf-8")
    monkeypatch.setenv("CRMTRAIN_TRAINEE", TRAINEE)
    server = lab_server_factory(home, config_dirs=(config,))
    page = new_page(browser)
    person = Trainee(page, server, A)
    try:
        page.goto(server.url("lab", reset=True))
        panel = my_training(page)
        expect(panel.locator(".crmtrain-workbook")).to_have_count(5)
        expect(panel).to_contain_text("2. Оформление заказа")
        row = training_row(page, A)
        expect(row).to_contain_text("Входной тест после внедрения CRM")
        expect(row).to_contain_text(f"Сдать до {due[8:10]}.{due[5:7]}.{due[:4]}, 23:59")
        assert not page.locator(".jp-FileBrowser, #filebrowser").is_visible()
        for_people(page.inner_text("body"), "My training")

        # --- start, answer every question by clicking, submit -----------------------------------
        press_in_training(page, A, "Начать", "to_submit")
        expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current")).to_contain_text(
            "Входной тест после внедрения CRM")
        person.folder = A
        person.open(f"{A}.ipynb")
        assessment_ran_all(person)
        by_id = {q.id: q for q in questions(REG, A)}
        slots = {a.slot: a for a in slots_asked(REG, A, home / A / f"{A}.ipynb", TRAINEE)}
        by_id.update({s: a.question for s, a in slots.items() if a.question is not None})
        saved = _("Saved at {time}").split("{")[0].strip()
        for n, qid in enumerate(assessment_items(person)):
            item, right = assessment_item(person, qid), n % 3 != 1
            if qid in by_id:
                give(person, item, by_id[qid], right)
            else:
                answer_case(person, item, slots[qid], choose_case(slots[qid], right, random.Random(qid)), "ru")
            expect(item.locator(".crmtrain-saved")).to_contain_text(saved)
        for_people(page.inner_text("body"), "the assessment")
        press_in_training(page, A, "Сдать", "submitted")
        expect(training_row(page, A)).to_contain_text("Сдано: ждёт проверки")
        for_people(page.inner_text("body"), "submitted")
        assert list(course.inbound_dir.glob(f"{TRAINEE}+{A}+*"))
    finally:
        page.context.close()
        server.shutdown_kernels()

    # --- the specialist: collect, grade, score the open answers with a comment, feedback -------
    assert cli.main(["collect", A, "--course", str(course.root)]) == 0
    assert cli.main(["grade", "--course", str(course.root)]) == 0
    opened = [q for q in questions(REG, A) if q.answer is None]
    for q in opened:
        gradebook.hand_grade(course, A, TRAINEE, q.id, 2, comment=COMMENT)
    assert cli.main(["feedback", A, "--course", str(course.root)]) == 0

    # --- the trainee comes back the next day: the result, then a section to re-read ------------
    page = new_page(browser)
    try:
        page.goto(server.url("lab", reset=True))
        expect(training_row(page, A)).to_have_attribute("data-state", "graded")
        for_people(page.inner_text("body"), "graded")
        press_in_training(page, A, "Открыть результат", "feedback")
        frame = page.frame_locator(".crmtrain-feedback-frame")
        expect(frame.locator("h1")).to_have_text("Входной тест после внедрения CRM")
        body = frame.locator("body").inner_text()
        for_people(body, "the result")
        assert body.count("Баллы:") == len(assessment_items_of(course))
        assert "Ваш результат:" in body and COMMENT in body and "Перечитайте в регламенте:" in body
        assert body.count(REG.meta.specialist.contact) == 1
        link = frame.locator("a[data-crmtrain-workbook]").first
        book, section = link.get_attribute("data-crmtrain-workbook"), link.get_attribute("data-crmtrain-section")
        link.click()
        titles = {"01-summary.ipynb": "1. Резюме: общие правила", "02-order-processing.ipynb": "2. Оформление заказа",
                  "03-client-work.ipynb": "3. Работа с клиентом"}
        current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current")
        expect(current).to_have_text(re.compile(re.escape(titles[book])))
        heading = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown h2",
                               has_text=html.unescape(section)).first
        expect(heading).to_be_in_viewport()
        for_people(page.locator(".lm-DockPanel-tabBar").inner_text() + page.locator("#crmtrain-training").inner_text(),
                   "the workbook's tab and My training")
    finally:
        page.context.close()
        server.shutdown_kernels()


def assessment_items_of(course: Course) -> list[str]:
    """The items of the released notebook (one per question the trainee was asked)."""
    nb = json.loads((course.release_dir(A) / f"{A}.ipynb").read_text(encoding="utf-8"))
    return list(dict.fromkeys(c["metadata"]["crmtrain"]["item"] for c in nb["cells"] if "item" in c["metadata"].get("crmtrain", {})))
