"""A trainee's week, in the English and the Russian build: every visit works.

Day 1 they open the four workbooks and answer a question in two of them, then close the
browser; the server keeps running (as on the hub overnight). Day 2 they come back in a new
browser: JupyterLab restores their tabs, and every workbook comes alive as they click on it,
with their answers. Then the kernel is restarted from outside, the kernel is culled under an
open page, and the server itself is restarted. Every time: every widget renders, no widget
view is broken, the answers are there, and no workbook they did not change is marked modified.
"""

from __future__ import annotations

import re

import pytest
from harness import BUILDS, copy_workbooks, new_page
from playwright.sync_api import expect
from trainee import Trainee, words
from visits import alive, arrive, show, tabs

from crmtrain.notebooks.workbooks import NOTEBOOKS

WORKBOOKS = [f"{name}.ipynb" for name in NOTEBOOKS if name != "00-introduction"]
ANSWERED = ("01-summary.ipynb", "03-client-work.ipynb")


def answer_first_quiz(person: Trainee) -> str:
    """Tick the first option of the workbook's first quiz and press Check; the feedback shown."""
    quiz = person.panel.locator(".crmtrain-quiz").first
    quiz.scroll_into_view_if_needed()
    person.click(quiz.locator("input[type=radio], input[type=checkbox]").first)
    return person.check(quiz)


def first_quiz_feedback(person: Trainee) -> str:
    return words(person.panel.locator(".crmtrain-quiz").first.locator(".crmtrain-feedback").inner_text())


def every_workbook_alive(person: Trainee, answers: dict[str, str], runs: int = 1) -> None:
    """Click through every workbook: alive, nothing broken or modified, the day-1 answers shown."""
    for name in WORKBOOKS:
        show(person, name, runs)
        alive(person)
        if name in answers:
            assert first_quiz_feedback(person) == answers[name], f"{name}: the answer of day 1 is gone"
            expect(person.panel.locator(".crmtrain-quiz").first.locator("input:checked")).to_have_count(1)
        hidden = [t["path"] for t in tabs(person) if not t["shown"] and t["kernel"] and t["path"].endswith(name)]
        assert not hidden


def kernels_of_hidden_tabs(person: Trainee) -> list[str]:
    return [t["path"] for t in tabs(person) if not t["shown"] and t["kernel"]]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_visit_brings_every_widget_and_answer_back(lang, lab_server_factory, browser, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"week-{lang}")
    copy_workbooks(root / "wb", BUILDS[lang])
    server = lab_server_factory(root, lang=lang)

    # Day 1: the workbooks one after another, two questions answered; the browser is closed.
    day1 = Trainee(new_page(browser), server, "wb")
    day1.page.goto(server.url("lab", reset=True))
    answers = {}
    for name in WORKBOOKS:
        show(day1, name)
        alive(day1)
        if name in ANSWERED:
            answers[name] = answer_first_quiz(day1)
            alive(day1)
    assert all(day1.server.root.joinpath("wb", f".{n[:-6]}.progress.json").is_file() for n in ANSWERED)
    day1.page.context.close()

    # Day 2, a new browser, the same server: the tabs come back; only the one in front has a kernel.
    day2 = Trainee(new_page(browser), server, "wb")
    arrive(day2)
    restored = tabs(day2)
    assert {t["path"] for t in restored} >= {f"wb/{n}" for n in WORKBOOKS}, f"the tabs of day 1 were not restored: {restored}"
    front = next(t["path"] for t in restored if t["shown"])
    day2.notebook_name = front.rsplit("/", 1)[1]
    show(day2, day2.notebook_name)
    assert not kernels_of_hidden_tabs(day2), "restored tabs in the background started kernels"
    every_workbook_alive(day2, answers)

    # The kernel of the workbook in front is restarted from outside (an administrator, the hub).
    kernel = next(t["kernel"] for t in tabs(day2) if t["shown"])
    runs = day2.runs()
    server.api("POST", f"api/kernels/{kernel}/restart")
    # Without the toolbar's button: the page hears of it from the kernel's "starting", or, when
    # that was lost on its way, from the restart count in the server's kernel list.
    day2.wait_ready(runs + 1)
    alive(day2)

    # The kernel is culled while the page stays open (the laptop slept overnight). The server
    # culls kernels nobody is connected to itself; here the session is deleted at once.
    assert "Culling kernels with idle durations > 900 seconds" in server.log()
    runs = day2.runs()
    for session in server.api("GET", "api/sessions"):
        if session["path"] == f"wb/{day2.notebook_name}":
            server.api("DELETE", f"api/sessions/{session['id']}")
    day2.wait_ready(runs + 1)
    alive(day2)
    day2.page.context.close()

    # The server is restarted; the trainee opens JupyterLab again.
    server.stop()
    server.start()
    day3 = Trainee(new_page(browser), server, "wb")
    arrive(day3)
    every_workbook_alive(day3, answers)
    assert not any(re.search(r"javascript error", line, re.I) for line in day3.console)
    day3.page.context.close()
