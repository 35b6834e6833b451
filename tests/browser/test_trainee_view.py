"""What a trainee sees, in the English and the Russian build: the course, not Jupyter.

For each language a JupyterLab started like ``crmtrain lab`` serves that build. In every
workbook the exercises appear without Run All, no code and no internal id is visible, and
the notebook is not marked as modified; JupyterLab's menus speak the build's language and
every "menu → item" a workbook names exists under that name. Every question type is
answered with the keyboard alone. A 25-step process with a 4-way decision is drawn with its
text at a readable size.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from harness import BUILDS, copy_workbooks, new_page
from playwright.sync_api import Locator, expect
from ruamel.yaml import YAML
from trainee import Trainee, order_rows, words

from crmtrain import cli
from crmtrain.i18n import translation
from crmtrain.notebooks.workbooks import NOTEBOOKS
from crmtrain.regulation.items import index
from crmtrain.regulation.loader import load
from crmtrain.samples import resolve, sample_path

LANGS = ("en", "ru")
REGS = {lang: load(resolve(f"sample:{lang}")) for lang in LANGS}
# The trainee's menu bar as JupyterLab's language pack names it: no Edit, Run, Kernel or
# Nbgrader menu (crmtrain.lab), the work is in My training.
MENUS = {"en": ["File", "View", "Tabs", "Settings", "Help"], "ru": ["Файл", "Просмотр", "Вкладки", "Настройки", "Справка"]}
# Every menu JupyterLab has for others, so that a workbook naming one of them is caught.
ALL_MENUS = {"File", "Edit", "View", "Run", "Kernel", "Nbgrader", "Tabs", "Settings", "Help",
             "Файл", "Редактировать", "Просмотр", "Выполнить", "Ядро", "Вкладки", "Настройки", "Справка"}
CODE = re.compile(r"\bwb\.|crmtrain\.runtime|\bWorkbook\(|\bAssessment\(|\bimport\b|●●●")
MENU_PATH = re.compile(r"\*\*([^*→\n]+?) → ([^*\n]+?)\*\*")
MIN_TEXT_PX = 12  # crmtrain's diagrams draw labels at 14 px; below 12 px on screen they are hard to read


def internal_ids(reg) -> set[str]:
    """Ids only the specialist should see: items, questions, lead rules (with a '-', '.', '_' or digit)."""
    ids = set(index(reg)) | {q.id for q in reg.questions} | {r.id for r in reg.client_work.lead_classification.rules}
    return {i for i in ids if re.search(r"[-._0-9]", i)}


@pytest.fixture(scope="module")
def servers(lab_server_factory, tmp_path_factory):
    """lang -> a JupyterLab serving a copy of that language's committed build."""
    started = {}
    for lang in LANGS:
        root = tmp_path_factory.mktemp(f"view-{lang}")
        started[lang] = lab_server_factory(root, lang=lang)
    return started


@pytest.fixture
def person(request, servers, browser):
    """(lang) -> a Trainee in a fresh context, in a fresh copy of that build."""
    opened = []

    def make(lang: str, source: Path | None = None) -> Trainee:
        server = servers[lang]
        folder = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)[:60]
        copy_workbooks(server.root / folder, source or BUILDS[lang])
        page = new_page(browser)
        opened.append((page, server))
        return Trainee(page, server, folder)

    yield make
    for page, server in opened:
        page.context.close()
        server.shutdown_kernels()


def visible_text(person: Trainee) -> str:
    return person.panel.locator(".jp-Notebook").inner_text()


@pytest.mark.parametrize("lang", LANGS)
def test_every_workbook_shows_text_and_widgets_without_code_ids_or_run_all(person, lang):
    trainee, reg = person(lang), REGS[lang]
    ids = internal_ids(reg)
    _ = translation(lang).gettext
    for name in NOTEBOOKS:
        trainee.open(f"{name}.ipynb")  # waits for the cells the extension runs by itself
        trainee.exercises_appear()
        assert not trainee.page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty"), \
            f"{name}: opened and left untouched, yet marked as modified"
        shown_code = trainee.panel.evaluate("""(p) => Array.from(p.querySelectorAll('.jp-CodeCell .jp-InputArea'))
            .filter(e => e.checkVisibility()).length""")
        assert shown_code == 0, f"{name}: {shown_code} code cells show their source"
        text = visible_text(trainee)
        assert not CODE.search(text), f"{name}: code on screen: {CODE.search(text).group(0)!r}"
        shown = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
        assert not shown, f"{name}: internal ids on screen: {shown}"
        if lang == "ru":
            english = [w for w in ("Check", "Next", "Try again", "Show answer", "Correct!", "Rule ", " point")
                       if w in text]
            assert not english, f"{name}: English words in the Russian build: {english}"
        if trainee.count("item"):
            expect(trainee.panel.locator("button.crmtrain-check").first).to_have_text(_("Check"))
        trainee.server.shutdown_kernels()  # one kernel at a time on a small machine


@pytest.mark.parametrize("lang", LANGS)
def test_menus_speak_the_builds_language_and_the_workbooks_name_them_right(person, lang):
    trainee = person(lang)
    trainee.open("00-introduction.ipynb", kernel=False)
    page = trainee.page
    assert [words(t) for t in page.locator(".lm-MenuBar-item").all_inner_texts()] == MENUS[lang]
    # "**A → B**" paths whose first part is a JupyterLab menu in any language (the others are
    # the CRM's own menus, from the regulation).
    markdown = "\n".join(c.source for name in NOTEBOOKS
                         for c in nbformat.read(BUILDS[lang] / f"{name}.ipynb", 4).cells if c.cell_type == "markdown")
    named = {(menu, item) for menu, item in MENU_PATH.findall(markdown) if menu in ALL_MENUS}
    # The introduction sends trainees to My training, which is there under that name.
    title = translation(lang).gettext("My training")
    assert f"**{title}**" in markdown
    expect(page.locator("#crmtrain-training h2")).to_have_text(title)
    for menu, item in sorted(named):
        assert menu in MENUS[lang], f"the workbooks name a menu in another language: {menu}"
        page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
        labels = [words(t) for t in page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts()]
        assert item in labels, f"menu {menu} has no {item!r}: {labels}"
        page.keyboard.press("Escape")


# --- the keyboard alone ------------------------------------------------------------------------

def key(trainee: Trainee, *keys: str) -> None:
    """Press keys one by one; after a key the kernel hears of, wait until it has taken it in."""
    for k in keys:
        if k in ("Tab", "Shift+Tab"):  # moves the focus only
            trainee.page.keyboard.press(k)
        else:
            trainee._then_settle(lambda k=k: trainee.page.keyboard.press(k))


def focused(trainee: Trainee) -> str:
    return trainee.page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")


def enter(trainee: Trainee, control: Locator) -> None:
    """Move the keyboard focus to ``control`` as Tab would (it must be in the tab order)."""
    assert control.evaluate("e => e.tabIndex >= 0 && !e.disabled"), "not reachable with Tab"
    control.focus()


def tab_to_check(trainee: Trainee, quiz: Locator) -> None:
    """Tab until the quiz's Check button has the focus, then press Enter."""
    check = quiz.locator("button.crmtrain-check")
    for _ in range(12):
        if check.evaluate("b => b === document.activeElement"):
            break
        trainee.page.keyboard.press("Tab")
    else:
        raise AssertionError(f"Tab never reached Check; focus is on {focused(trainee)}")
    key(trainee, "Enter")


@pytest.mark.parametrize("lang", LANGS)
def test_every_question_type_is_answered_with_the_keyboard_alone(person, lang):
    trainee, reg = person(lang), REGS[lang]
    tr = translation(lang)
    trainee.open("01-summary.ipynb")
    done = set()
    for qid in (c.metadata["crmtrain"]["item"] for c in trainee.notebook.cells if "item" in c.metadata.get("crmtrain", {})):
        q = reg.question(qid)
        t = q.type.value
        if t in done:
            continue
        quiz = trainee.quiz(qid)
        texts = {o.id: o.text for o in q.options}
        if t in ("single", "true_false"):
            shown = [words(x) for x in quiz.locator("input[type=radio] >> xpath=..").all_inner_texts()]
            want = texts[q.answer] if t == "single" else tr.gettext("True" if q.answer else "False")
            enter(trainee, quiz.locator("input[type=radio]").first)
            key(trainee, "Space", *["ArrowDown"] * shown.index(want))  # arrows move the choice
            expect(quiz.get_by_label(want, exact=True)).to_be_checked()
        elif t == "multiple":
            boxes = quiz.locator("input[type=checkbox]")
            enter(trainee, boxes.first)
            labels = [words(x) for x in quiz.locator("input[type=checkbox] >> xpath=..").all_inner_texts()]
            for n, label in enumerate(labels):
                if label in {texts[o] for o in q.answer}:
                    key(trainee, "Space")
                if n < len(labels) - 1:
                    trainee.page.keyboard.press("Tab")
        elif t == "numeric":
            enter(trainee, quiz.locator("input[type=text]"))
            trainee._then_settle(lambda: trainee.page.keyboard.type(str(q.answer).replace(".", "," if lang == "ru" else ".")))
        elif t == "ordering":
            wanted = [texts[o] for o in q.answer]
            rows = order_rows(quiz)
            for place, text in enumerate(wanted):
                current = [re.sub(r"^[↑↓\s]*\d+\.\s*", "", words(x)) for x in rows.all_inner_texts()]
                at = current.index(text)
                if at == place:
                    continue
                enter(trainee, rows.nth(at).locator("button").first)  # "Move up"
                key(trainee, "Enter")
                for _ in range(at - place - 1):  # Shift+Tab twice: the ↑ of the row above
                    key(trainee, "Shift+Tab", "Shift+Tab", "Enter")
            current = [re.sub(r"^[↑↓\s]*\d+\.\s*", "", words(x)) for x in rows.all_inner_texts()]
            assert current == wanted, current
        tab_to_check(trainee, quiz)
        expect(quiz.locator(".crmtrain-feedback")).to_contain_text(tr.gettext("Correct!"))
        done.add(t)
    assert done == {"single", "true_false", "multiple", "numeric", "ordering"}
    assert all(e["correct"] for e in trainee.progress().values())
    # No notebook shortcut fired while typing and pressing keys inside the widgets.
    assert len(trainee.panel.locator(".jp-Cell").all()) == len(trainee.notebook.cells)


def test_a_drill_is_practised_with_the_keyboard_alone(person):
    trainee = person("en")
    trainee.open("02-order-processing.ipynb")
    _kind, drill = trainee.drills()[0]
    drill.scroll_into_view_if_needed()
    enter(trainee, drill.locator("input[type=radio]").first)
    key(trainee, "Space")
    check = drill.get_by_role("button", name="Check")
    for _ in range(6):
        if check.evaluate("b => b === document.activeElement"):
            break
        trainee.page.keyboard.press("Tab")
    key(trainee, "Enter")
    expect(drill.locator(".crmtrain-ok, .crmtrain-retry")).to_have_count(1)
    key(trainee, "Tab", "Enter")  # Next
    expect(drill.locator(".crmtrain-ok, .crmtrain-retry")).to_have_count(0)
    assert trainee.progress()["drill:process"]["tries"] == 1


# --- a large process -----------------------------------------------------------------------------

def large_process(lang: str) -> dict:
    """25 steps: start, 9 actions, a 4-way decision, 3 actions per branch, 2 after, an end."""
    steps = [{"id": "start", "kind": "start", "label": "A large order arrives", "next": "a1"}]
    for n in range(1, 10):
        steps.append({"id": f"a{n}", "kind": "action", "label": f"Preparation step {n} of the large order",
                      "role": "Sales manager", "instructions": f"Open the deal and fill in block {n}.",
                      "next": f"a{n + 1}" if n < 9 else "route"})
    branches = [("Equipment", "eq"), ("Installation", "in"), ("Service", "sv"), ("Spare parts", "sp")]
    steps.append({"id": "route", "kind": "decision", "label": "What does the client order?", "role": "Sales manager",
                  "instructions": "Look at the **order type** field.",
                  "branches": [{"label": label, "next": f"{b}1"} for label, b in branches]})
    for label, b in branches:
        for n in range(1, 4):
            steps.append({"id": f"{b}{n}", "kind": "action", "label": f"{label}: handling step {n}",
                          "role": "Engineer", "instructions": "Follow the checklist.",
                          "next": f"{b}{n + 1}" if n < 3 else "close"})
    steps.append({"id": "close", "kind": "action", "label": "Close the order in the CRM", "role": "Sales manager",
                  "instructions": "Set the status.", "next": "done"})
    steps.append({"id": "done", "kind": "end", "label": "The order is complete"})
    assert len(steps) == 25
    return {"id": "large-order", "title": "A large order", "description": "Twenty-five steps.", "steps": steps}


def test_a_25_step_process_with_a_4_way_decision_is_drawn_with_readable_text(person, tmp_path):
    yaml = YAML()
    data = yaml.load(sample_path("en").read_text(encoding="utf-8"))
    data["order_processing"]["processes"].append(large_process("en"))
    source = tmp_path / "large.yaml"
    with source.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    assert cli.main(["build", str(source), "--out", str(tmp_path / "site")]) == 0
    trainee = person("en", tmp_path / "site" / "workbooks")
    trainee.open("02-order-processing.ipynb", kernel=False)
    cell = trainee.panel.locator(".jp-MarkdownCell").filter(has_text="A large order").filter(
        has=trainee.page.locator(".jp-RenderedMermaid"))
    img = cell.locator(".jp-RenderedMermaid img")
    expect(img).to_have_count(1)
    img.scroll_into_view_if_needed()
    assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "the flowchart did not load"
    box = img.bounding_box()
    column = img.evaluate("i => i.closest('.jp-RenderedMarkdown').getBoundingClientRect().right")
    assert box["x"] + box["width"] <= column + 0.5, "the flowchart is cut at the column's edge"
    scale = box["width"] / float(img.get_attribute("width"))
    # Labels are 14 px in the drawing; on screen they are 14 px times the scale. (Wider
    # processes are shrunk and offer their full size: tests/browser/test_diagram_fit.py.)
    assert 14 * scale >= MIN_TEXT_PX, f"the flowchart is shown at {scale:.0%}: its text is {14 * scale:.1f} px"
    trainee.shot("large-process") if trainee.shots else None
    shutil.rmtree(tmp_path / "site", ignore_errors=True)
