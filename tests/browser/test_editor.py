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
