"""The responsible specialist edits the regulation in JupyterLab's regulation editor, by clicking
and typing only, and the YAML file keeps everything they did not touch.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from crmtrain.editor.ids import make_id
from harness import new_page

HAND_WRITTEN = Path(__file__).resolve().parents[1] / "fixtures" / "editor" / "hand-written.yaml"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("specialist")


@pytest.fixture(scope="module")
def specialist_lab(lab_server_factory, folder):
    return lab_server_factory(folder, lang="ru", instructor=True)


@pytest.fixture
def page(browser, request):
    page = new_page(browser, 1400, 1000)
    yield page
    page.context.close()


def open_editor(page, server, name: str):
    page.goto(f"{server.base}/lab?crmtrain-edit={name}&reset&token={server.token}")
    expect(page.locator(".crmtrain-editor-tabs")).to_be_visible()
    return page.locator(".crmtrain-editor")


def wait_checked(page):
    expect(page.locator(".crmtrain-editor-status")).to_contain_text("проверено за")


def save(page):
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.locator(".crmtrain-editor-status")).to_contain_text("Сохранено")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_a_form_edit_of_a_hand_written_file_changes_only_the_edited_values(browser, specialist_lab, folder, page):
    path = folder / "hand.yaml"
    shutil.copy(HAND_WRITTEN, path)
    before = path.read_text(encoding="utf-8")
    editor = open_editor(page, specialist_lab, "hand.yaml")
    company = editor.locator("#root_company")
    expect(company).to_have_value("ООО Окна")
    company.fill("ООО «Окна Плюс»")
    wait_checked(page)
    editor.get_by_role("tab", name="1. Общие положения").click()
    body = editor.locator("#root_topics_0_body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("- письма клиентов.\n")  # the text ends with a new line: a new list item
    wait_checked(page)
    expect(body.locator("xpath=following-sibling::div").locator("li")).to_have_count(3)  # the preview
    save(page)
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-  company: ООО Окна   # юрлицо, как в договоре",
        "+  company: ООО «Окна Плюс» # юрлицо, как в договоре",
        "+      - письма клиентов.",
    ]
    # Reopened, the editor shows what the file now says.
    editor = open_editor(page, specialist_lab, "hand.yaml")
    expect(editor.locator("#root_company")).to_have_value("ООО «Окна Плюс»")


def test_table_and_matrix_edits_of_a_hand_written_file_change_only_those_values(browser, specialist_lab, folder, page):
    path = folder / "tables.yaml"
    shutil.copy(HAND_WRITTEN, path)
    before = path.read_text(encoding="utf-8")
    editor = open_editor(page, specialist_lab, "tables.yaml")
    editor.get_by_role("tab", name="3. Работа с клиентами").click()
    editor.locator("#root_contact_timing_rules_0_deadline").fill("20")
    editor.get_by_label("Пятница: Конец рабочего дня").fill("16:45")
    add_row(editor, "root_contact_timing_calendar_holidays")
    editor.locator("#root_contact_timing_calendar_holidays_1").fill("2027-05-09")
    allow(editor, "Новая → Проиграна")
    editor.locator("#root_tasks_rules_0_due").fill("в тот же день")
    wait_checked(page)
    save(page)
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        "+      - 2027-05-09",
        "+      hours:",
        "+        fri:",
        "+          opens: '09:00'",
        "+          closes: '16:45'",
        "-      deadline: {minutes: 30}   # полчаса рабочего времени",
        "+      deadline: {minutes: 20}   # полчаса рабочего времени",
        "+    - from: new",
        "+      to: lost",
        "-      due: на следующий рабочий день",
        "+      due: в тот же день",
    ]


def test_an_edit_in_a_text_editor_reloads_the_form(browser, specialist_lab, folder, page):
    path = folder / "both.yaml"
    shutil.copy(HAND_WRITTEN, path)
    editor = open_editor(page, specialist_lab, "both.yaml")
    expect(editor.locator("#root_crm")).to_have_value("amoCRM")
    path.write_text(path.read_text(encoding="utf-8").replace("crm: amoCRM", "crm: Битрикс24"), encoding="utf-8")
    expect(editor.locator("#root_crm")).to_have_value("Битрикс24")


def test_a_new_process_gets_its_id_from_its_title_and_its_flowchart(browser, specialist_lab, folder, page):
    subprocess.run([sys.executable, "-m", "crmtrain", "init", str(folder / "new"), "--lang", "ru"], check=True,
                   capture_output=True)
    editor = open_editor(page, specialist_lab, "new/regulation.yaml")
    editor.get_by_role("tab", name="2. Обработка заказов").click()
    expect(editor.locator(".crmtrain-editor-diagram svg").first).to_be_visible()
    title = editor.locator("#root_processes_0_title")
    title.fill("Приём заказа по телефону")
    wait_checked(page)
    save(page)
    assert "title: \"Приём заказа по телефону\"" in (folder / "new" / "regulation.yaml").read_text(encoding="utf-8")


# --- from `crmtrain init --lang ru` to a regulation crmtrain check passes, by clicks and typing ----


def add(editor, list_id: str) -> None:
    """Click the list's own "+ Добавить" (not one of a nested list)."""
    editor.locator(f"#{list_id} > .row > .array-item-add > button").click()


def write_every_todo(editor, page, tab: str) -> int:
    """Replace each text the template marks TODO, in one tab, as the specialist would."""
    editor.get_by_role("tab", name=tab).click()
    fields = editor.locator(".crmtrain-editor-form").locator("input[type=text]:visible, textarea:visible")
    written = 0
    for _ in range(200):
        todo = [i for i in range(fields.count()) if "TODO" in fields.nth(i).input_value()]
        if not todo:
            return written
        field = fields.nth(todo[0])
        field.fill(f"Правило нашей компании, пункт {written + 1}.")
        written += 1
    raise AssertionError("TODO texts keep coming back")


def pick(editor, field_id: str, value: str) -> None:
    """Choose ``value`` in a pick list once the server has made it (ids come from titles)."""
    select = editor.locator(f"#{field_id}")
    expect(select.locator(f"option[value='{value}']")).to_have_count(1)
    select.select_option(value)


# The pick lists read in the regulation's language, not the format's words.
STEP_KINDS = {"start": "Начало процесса", "action": "Действие", "decision": "Решение", "end": "Конец процесса"}
QUESTION_TYPES = {"single": "Один ответ", "numeric": "Число", "true_false": "Верно или неверно"}
TOPICS = {"technical": "Техническая часть", "sales": "Продажи", "processes": "Процессы"}
STEPS = [("start", "Клиент сообщил о проблеме"), ("action", "Зарегистрировать рекламацию"),
         ("decision", "Что это за обращение?"), ("end", "Дефект устранён"), ("end", "Возврат оформлен")]
# The decision has three ways out, one of them back to registering (a loop).
BRANCHES = [("Дефект", 3), ("Возврат", 4), ("Не хватает сведений", 1)]


def add_complaints_process(editor, page) -> None:
    editor.get_by_role("tab", name="2. Обработка заказов").click()
    add(editor, "root_processes")
    editor.locator("#root_processes_1_title").fill("Обработка рекламации")
    editor.locator("#root_processes_1_description").fill("От обращения клиента до устранения дефекта или возврата.")
    for n, (kind, label) in enumerate(STEPS):
        add(editor, "root_processes_1_steps")
        editor.locator(f"#root_processes_1_steps_{n}_kind").select_option(label=STEP_KINDS[kind])
        editor.locator(f"#root_processes_1_steps_{n}_label").fill(label)
        if kind in ("action", "decision"):
            editor.locator(f"#root_processes_1_steps_{n}_role").fill("Менеджер по продажам")
            editor.locator(f"#root_processes_1_steps_{n}_instructions").fill("Карточка сделки → вкладка «Рекламации».")
    pick(editor, "root_processes_1_steps_0_next", make_id(STEPS[1][1]))
    pick(editor, "root_processes_1_steps_1_next", make_id(STEPS[2][1]))
    for b, (label, target) in enumerate(BRANCHES):
        add(editor, "root_processes_1_steps_2_branches")
        editor.locator(f"#root_processes_1_steps_2_branches_{b}_label").fill(label)
        pick(editor, f"#root_processes_1_steps_2_branches_{b}_next"[1:], make_id(STEPS[target][1]))
    expect(editor.locator(".crmtrain-editor-diagram svg")).to_have_count(2)


def add_row(editor, table_id: str) -> None:
    """Click a table's own "+ Добавить" under its rows."""
    editor.locator(f"#{table_id} > .crmtrain-editor-add-row").click()


def allow(editor, transition: str, *required: str) -> None:
    """Tick a cell of a pipeline's transition matrix ("Новая → В работе") and the fields it requires."""
    editor.get_by_label(transition, exact=True).check()
    for field in required:
        editor.get_by_label(f"{transition}: {field}", exact=True).check()


def add_status_in_work(editor) -> None:
    """A status in the statuses' table, and its transitions ticked in the matrix."""
    add_row(editor, "root_pipeline_statuses")
    editor.locator("#root_pipeline_statuses_3_name").fill("В работе")
    editor.locator("#root_pipeline_statuses_3_description").fill("Менеджер готовит коммерческое предложение.")
    allow(editor, "Новая → В работе", "Бюджет")
    allow(editor, "В работе → Успешно закрыта", "Бюджет")
    allow(editor, "В работе → Проиграна", "Причина проигрыша")


def fill_contact_rules_tasks_and_calendar(editor) -> None:
    """A second contact deadline in calendar days, a second task, Friday's short day, a holiday."""
    add_row(editor, "root_contact_timing_rules")
    editor.locator("#root_contact_timing_rules_1_event").fill("Клиент попросил перезвонить позже")
    editor.locator("#root_contact_timing_rules_1_action").fill("Перезвонить в названный клиентом день")
    editor.locator("#root_contact_timing_rules_1_deadline").fill("1")
    editor.locator("#root_contact_timing_rules_1_deadline ~ select").select_option(label="Календарных дней")
    editor.locator("#root_contact_timing_rules_1_channel").select_option(label="Звонок")
    editor.get_by_label("Пятница: Конец рабочего дня").fill("16:45")
    add_row(editor, "root_contact_timing_calendar_holidays")
    editor.locator("#root_contact_timing_calendar_holidays_0").fill("2027-01-01")
    add_row(editor, "root_tasks_rules")
    editor.locator("#root_tasks_rules_1_when").fill("Клиент получил коммерческое предложение")
    editor.locator("#root_tasks_rules_1_task").fill("Узнать решение клиента")
    editor.locator("#root_tasks_rules_1_attach_to").select_option(label="Сделка")
    editor.locator("#root_tasks_rules_1_due").fill("через 2 рабочих дня")


TENDER = ["Заявка на тендер подана", "Тендер выигран", "Тендер проигран"]


def add_tender_pipeline(editor) -> None:
    """A second pipeline ("воронка") for tenders: the one pipeline becomes the first of two."""
    editor.get_by_role("button", name="+ Добавить воронку").click()
    editor.locator("#root_pipelines_1_title").fill("Тендеры")
    editor.locator("#root_pipelines_1_body").fill("Госзакупки и тендеры крупных заказчиков.")
    add_row(editor, "root_pipelines_1_fields")
    editor.locator("#root_pipelines_1_fields_0_label").fill("Номер закупки")
    for n, name in enumerate(TENDER):
        add_row(editor, "root_pipelines_1_statuses")
        editor.locator(f"#root_pipelines_1_statuses_{n}_name").fill(name)
        if n:
            editor.locator(f"#root_pipelines_1_statuses_{n}_terminal").check()
    pick(editor, "root_pipelines_1_initial", make_id(TENDER[0]))
    allow(editor, f"{TENDER[0]} → {TENDER[1]}", "Номер закупки")
    allow(editor, f"{TENDER[0]} → {TENDER[2]}")
    expect(editor.locator(".crmtrain-editor-diagram svg")).to_have_count(2)


# Six more questions, in pairs: one for the initial assessment, one re-testing the same rule later.
QUESTIONS = [
    ("single", "technical", "access", "initial", "Где в amoCRM включается двухфакторный вход?",
     ["В профиле, раздел «Безопасность»", "В настройках воронки"]),
    ("single", "technical", "access", "followup", "Кому можно сообщить свой пароль от amoCRM?",
     ["Никому", "Руководителю отдела"]),
    # its key taken from the contact rule, chosen in the "from the rules" chooser
    ("numeric", "sales", "contact-timing", "initial", "За сколько рабочих часов нужно позвонить по новой заявке?",
     "timing-new-lead"),
    ("numeric", "sales", "contact-timing", "followup", "Сколько рабочих часов есть у менеджера на первый звонок?", 2),
    ("true_false", "processes", "order", "initial", "Заказ оформляется только после проверки реквизитов.", True),
    ("true_false", "processes", "order", "followup", "Реквизиты клиента можно не проверять.", False),
]


def add_question(editor, n: int, kind: str, topic: str, ref: str, pool: str, text: str, answer) -> None:
    add(editor, "root")
    editor.locator(f"#root_{n}_type").select_option(label=QUESTION_TYPES[kind])
    editor.locator(f"#root_{n}_topic").select_option(label=TOPICS[topic])
    editor.locator(f"#root_{n}_text").fill(text)
    editor.locator(f"#root_{n}_pool").fill(pool)
    editor.locator(f"#root_{n}_explanation").fill("Так сказано в регламенте.")
    add(editor, f"root_{n}_refs")
    pick(editor, f"root_{n}_refs_0", ref)
    if kind == "single":
        for k, option in enumerate(answer):
            add(editor, f"root_{n}_options")
            editor.locator(f"#root_{n}_options_{k}_text").fill(option)
        pick(editor, f"root_{n}_answer", make_id(answer[0]))
    elif kind == "numeric" and isinstance(answer, str):
        chooser = editor.locator(f"#root_{n}_answer_from_kind")
        expect(chooser.locator("option[value='contact_deadline']")).to_have_text("Срок связи")
        chooser.select_option("contact_deadline")
        pick(editor, f"root_{n}_answer_from_contact_deadline", answer)
        editor.locator(f"#root_{n}_unit").fill("рабочих часов")
    elif kind == "numeric":
        editor.locator(f"#root_{n}_answer").fill(str(answer))
        editor.locator(f"#root_{n}_unit").fill("рабочих часов")
    else:
        box = editor.locator(f"#root_{n}_answer")
        box.check()  # an answer is given: "true", or unticked again for "false"
        box.set_checked(answer)


def test_a_specialist_writes_a_whole_regulation_from_init_by_clicks_and_typing(browser, specialist_lab, folder, page):
    subprocess.run([sys.executable, "-m", "crmtrain", "init", str(folder / "okna"), "--lang", "ru"], check=True,
                   capture_output=True)
    path = folder / "okna" / "regulation.yaml"
    editor = open_editor(page, specialist_lab, "okna/regulation.yaml")
    editor.locator("#root_company").fill("ООО «Окна Плюс»")
    editor.locator("#root_crm").fill("amoCRM")
    for tab in ("О регламенте", "1. Общие положения", "2. Обработка заказов", "3. Работа с клиентами",
                "Вопросы", "Тестирования"):
        write_every_todo(editor, page, tab)
    add_complaints_process(editor, page)

    editor.get_by_role("tab", name="3. Работа с клиентами").click()
    editor.get_by_label("Правило 1: Бюджет").fill(">= 200000")
    fill_contact_rules_tasks_and_calendar(editor)
    add_status_in_work(editor)
    add_tender_pipeline(editor)

    editor.get_by_role("tab", name="Вопросы").click()
    for n, question in enumerate(QUESTIONS, start=6):
        add_question(editor, n, *question)
    editor.get_by_role("tab", name="Тестирования").click()
    editor.locator("#root_initial_draw_0_count").fill("5")
    editor.locator("#root_followup_draw_0_count").fill("7")
    wait_checked(page)
    expect(editor.locator(".crmtrain-editor-problems")).to_contain_text("Проблем нет")
    save(page)
    written = path.read_text(encoding="utf-8")
    assert "\n  pipelines:\n" in written and "\n  pipeline:\n" not in written
    assert written.count("\n  - id: ") == 12  # the questions, at the top level's indentation
    assert "calendar_days: 1" in written and "closes: '16:45'" in written and "- 2027-01-01" in written

    checked = subprocess.run([sys.executable, "-m", "crmtrain", "check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = subprocess.run([sys.executable, "-m", "crmtrain", "build", str(path), "--out", str(folder / "okna-build")],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (folder / "okna-build" / "workbooks" / "02-order-processing.ipynb").is_file()

    # Reopened, the editor shows the same regulation.
    editor = open_editor(page, specialist_lab, "okna/regulation.yaml")
    expect(editor.locator("#root_company")).to_have_value("ООО «Окна Плюс»")
    editor.get_by_role("tab", name="2. Обработка заказов").click()
    expect(editor.locator("#root_processes_1_title")).to_have_value("Обработка рекламации")
    expect(editor.locator("#root_processes_1_steps_2_branches_2_next")).to_have_value(make_id(STEPS[1][1]))
    editor.get_by_role("tab", name="3. Работа с клиентами").click()
    expect(editor.locator("#root_pipelines_1_title")).to_have_value("Тендеры")
    expect(editor.get_by_label(f"{TENDER[0]} → {TENDER[1]}: Номер закупки", exact=True)).to_be_checked()
    expect(editor.get_by_label(f"{TENDER[1]} → {TENDER[0]}", exact=True)).not_to_be_checked()
    expect(editor.get_by_label("В работе → Проиграна: Причина проигрыша", exact=True)).to_be_checked()
    expect(editor.locator("#root_contact_timing_rules_1_deadline")).to_have_value("1")
    expect(editor.get_by_label("Пятница: Конец рабочего дня")).to_have_value("16:45")
    expect(editor.get_by_label("Четверг: Конец рабочего дня")).to_have_value("18:00")
    expect(editor.locator("#root_tasks_rules_1_attach_to")).to_have_value("deal")
    editor.get_by_role("tab", name="Вопросы").click()
    expect(editor.locator("#root_8_answer_from_contact_deadline")).to_have_value("timing-new-lead")
    expect(editor.locator("#root_11_text")).to_have_value(QUESTIONS[-1][4])
    expect(editor.locator(".crmtrain-editor-problems")).to_contain_text("Проблем нет")


def test_a_case_slot_is_tried_as_a_trainee_in_the_real_widget_and_graded(browser, specialist_lab, folder, page):
    """"Try this case as a trainee": one made-up trainee's case, answered by clicking, graded as grading will."""
    import ast
    import json
    from types import SimpleNamespace

    from crmtrain.rules import cases
    from crmtrain.samples import sample_path
    from trainee import case_clicks

    (folder / "sample").mkdir()
    shutil.copy(sample_path("ru"), folder / "sample" / "regulation.yaml")
    editor = open_editor(page, specialist_lab, "sample/regulation.yaml")
    editor.get_by_role("tab", name="Тестирования").click()
    editor.get_by_role("button", name="Попробовать этот кейс как стажёр").first.click()
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    item = panel.locator(".crmtrain-item")
    expect(item).to_be_visible(timeout=90_000)  # the assessment's own answer box, in a real kernel
    notebook = next((folder / "sample" / "crmtrain-try").glob("*/try-*.ipynb"))
    shown = json.loads(notebook.read_text(encoding="utf-8"))["cells"][2]["source"]
    spec = ast.literal_eval(ast.parse("".join(shown)).body[0].value.args[0])
    # The case appears in answers.json with the first answer; give one, then the right one.
    item.locator("input[type=radio]").first.check()
    answers = notebook.parent / "answers.json"
    for _ in range(100):
        if answers.exists() and json.loads(answers.read_text(encoding="utf-8")).get("shown"):
            break
        page.wait_for_timeout(100)
    case = json.loads(answers.read_text(encoding="utf-8"))["shown"][spec["id"]]["case"]
    key = cases.case_key(spec["kind"], spec["spec"], case)
    for label in case_clicks(SimpleNamespace(kind=spec["kind"], spec=spec["spec"], case=case), key, "ru"):
        item.get_by_label(label, exact=True).check()
    page.wait_for_timeout(500)  # the widget saves the answer at once
    panel.get_by_role("button", name="Оценить мой ответ").click()
    expect(panel.get_by_text("Верно: за этот ответ начисляются баллы")).to_be_visible()
