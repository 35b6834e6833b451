"""Take the README's screenshots of what a trainee sees, into docs/screenshots/.

Run: .venv/bin/python tests/browser/screenshots.py [OUT_DIR]

Same server, browser and clicks as the browser suite (harness.py, trainee.py), on a fresh copy
of the committed English workbooks. Look at the pictures before committing them.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # harness, trainee

from playwright.sync_api import Locator, expect, sync_playwright  # noqa: E402

from crmtrain.regulation.loader import load  # noqa: E402
from crmtrain.samples import resolve  # noqa: E402
from harness import BUILDS, REPO, LabServer, copy_workbooks, launch_browser, new_page  # noqa: E402
from trainee import Trainee  # noqa: E402

OUT = REPO / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800


def to_top(trainee: Trainee, target: Locator, above: int = 0) -> None:
    """Hide the file browser, then scroll the notebook so ``target`` starts ``above`` px lower."""
    # The file browser takes a fifth of the width; the pictures are about the workbook.
    trainee.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    trainee.page.wait_for_timeout(300)
    target.evaluate("(e, above) => { e.scrollIntoView({block: 'start'}); "
                    "e.closest('.jp-WindowedPanel-outer').scrollBy(0, -above); }", above)
    trainee.page.wait_for_timeout(300)  # let the scroll and any re-layout settle


def save(trainee: Trainee, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    trainee.page.mouse.move(0, HEIGHT - 1)  # no hover highlight in the picture
    trainee.page.screenshot(path=str(path))
    print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


def quiz_pictures(trainee: Trainee, out: Path) -> None:
    """A wrong answer with its nudge, and a right one with the explanation."""
    reg = load(resolve("sample:en"))
    trainee.open("01-summary.ipynb")
    trainee.exercises_appear()
    from test_summary_quizzes import first_summary_quiz

    question = reg.question(first_summary_quiz(reg))
    quiz = trainee.quiz(question.id)
    trainee.choose(quiz, next(o.text for o in question.options if o.id != question.answer))
    trainee.check(quiz)
    to_top(trainee, quiz, above=140)
    save(trainee, out, "quiz-feedback")
    multiple = trainee.quiz("pr-tech-03")
    for oid in reg.question("pr-tech-03").answer:
        trainee.choose(multiple, next(o.text for o in reg.question("pr-tech-03").options if o.id == oid))
    trainee.check(multiple)
    to_top(trainee, multiple, above=40)
    save(trainee, out, "quiz-correct")


def diagram_picture(trainee: Trainee, out: Path) -> None:
    """A business process with branches (complaints and returns) as Mermaid draws it."""
    trainee.open("02-order-processing.ipynb")  # with its exercises loaded, as a trainee sees it
    diagrams = trainee.panel.locator(".jp-RenderedMermaid")
    drawn = sum("```mermaid" in c.source for c in trainee.notebook.cells)
    expect(diagrams.locator("img")).to_have_count(drawn)
    to_top(trainee, diagrams.nth(2), above=-280)  # from the first branch down
    save(trainee, out, "flowchart")


def drill_picture(trainee: Trainee, out: Path) -> None:
    """The lead classification drill after a check."""
    trainee.open("03-client-work.ipynb")
    trainee.exercises_appear()
    kind, drill = next((k, d) for k, d in trainee.drills() if k == "lead")
    drill.scroll_into_view_if_needed()
    trainee.click(drill.get_by_role("button", name="Next"))
    labels = drill.locator(".widget-radio-box label, .jupyter-widget-radio-box label")
    trainee.click(labels.nth(1))
    trainee.click(drill.get_by_role("button", name="Check"))
    expect(drill.locator(".crmtrain-ok, .crmtrain-retry")).to_have_count(1)
    to_top(trainee, drill, above=120)
    save(trainee, out, "drill")


def russian_picture(trainee: Trainee, out: Path) -> None:
    """The Russian build as opened: JupyterLab's menus in Russian, a quiz, no code, no Run All."""
    trainee.open("01-summary.ipynb")
    trainee.exercises_appear()
    reg = load(resolve("sample:ru"))
    quiz = trainee.quiz("pr-tech-02")
    question = reg.question("pr-tech-02")
    trainee.choose(quiz, "Верно" if question.answer else "Неверно")
    trainee.check(quiz)
    to_top(trainee, quiz, above=260)
    save(trainee, out, "russian")


def main(out: Path = OUT) -> int:
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        copy_workbooks(root / "en" / "workbooks")
        copy_workbooks(root / "ru" / "workbooks", BUILDS["ru"])
        servers = {lang: LabServer(root / lang, Path(tmp) / f"work-{lang}", lang=lang).start() for lang in ("en", "ru")}
        try:
            with sync_playwright() as playwright:
                browser = launch_browser(playwright)
                for take, lang in ((quiz_pictures, "en"), (diagram_picture, "en"), (drill_picture, "en"),
                                   (russian_picture, "ru")):
                    page = new_page(browser, WIDTH, HEIGHT)
                    take(Trainee(page, servers[lang], "workbooks"), out)
                    page.context.close()
                    servers[lang].shutdown_kernels()
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    print(f"done in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
