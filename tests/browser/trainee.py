"""A trainee at the browser: open a workbook, click answers, read feedback; step screenshots.

crmtrain's JupyterLab extension runs a workbook's cells by itself once the kernel is ready
(and after every restart), so nothing here chooses Run All: :meth:`Trainee.open` waits for
that run, which the extension counts in the panel's ``data-crmtrain-runs`` attribute.

Locators use what a trainee sees (menu items, button names, option texts) plus the stable
CSS classes the runtime puts on its widgets (``crmtrain-quiz``, ``crmtrain-check``, ...).
The page's ``window.jupyterapp`` (exposed by the test server) is read only to *wait*: for
the kernel to be idle, for every cell to have run, for a click to have reached the kernel.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from harness import LabServer

RUN_TIMEOUT_MS = 120_000  # Run All of the longest workbook, kernel start included, on a slow CI

# True when the current notebook's kernel is idle (and, with {all: true}, every code cell ran).
_SETTLED_JS = """(opts) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle' || !w.context.isReady) return false;
  if (!opts.all) return true;
  const cells = w.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type === 'code' && (c.executionCount === null || c.executionState === 'running')) return false;
  }
  return true;
}"""


def words(text: str) -> str:
    """Whitespace collapsed, for comparing text that the browser may wrap."""
    return " ".join(text.split())


class Trainee:
    """Drives one browser page on ``server``, inside the served sub-folder ``folder``."""

    def __init__(self, page: Page, server: LabServer, folder: str, shots: Path | None = None) -> None:
        self.page, self.server, self.folder, self.shots = page, server, folder, shots
        self.console: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type != "debug" else None)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.notebook: nbformat.NotebookNode | None = None  # the open workbook, as built
        self.notebook_name = ""
        self._shot = 0

    @property
    def panel(self) -> Locator:
        """The notebook in the current (visible) tab."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")

    def shot(self, name: str) -> Path | None:
        """Screenshot of the window as a numbered step (kept when the test fails)."""
        if self.shots is None:
            return None
        self._shot += 1
        path = self.shots / f"{self._shot:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        return path

    # --- the workbook --------------------------------------------------------------------------

    def open(self, name: str, kernel: bool = True) -> None:
        """Open ``name`` from the folder in a clean layout; wait for its kernel unless told not to."""
        self.notebook = read_notebook(self.server.root / self.folder / name)
        self.notebook_name = name
        self.page.goto(self.server.url(f"lab/tree/{self.folder}/{name}", reset=True))
        expect(self.panel.locator(".jp-Cell").first).to_be_visible(timeout=60_000)
        if kernel:
            self.wait_ready()
            # Count the kernel's "idle" reports, so a click can wait for the one it caused.
            self.page.evaluate("""() => { window.__crmtrainIdle = 0;
              window.jupyterapp.shell.currentWidget.sessionContext.statusChanged.connect(
                (_, status) => { if (status === 'idle') window.__crmtrainIdle++; }); }""")

    def runs(self) -> int:
        """How often the extension has run this notebook's cells (0 until the kernel is ready)."""
        return int(self.panel.get_attribute("data-crmtrain-runs") or 0)

    def wait_ready(self, runs: int = 1) -> None:
        """Wait until the extension has run every cell ``runs`` times and the kernel is idle."""
        self.page.wait_for_function(
            """(n) => { const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                       return p && Number(p.dataset.crmtrainRuns || 0) >= n && p.dataset.crmtrainState !== 'loading'; }""",
            arg=runs, timeout=RUN_TIMEOUT_MS, polling=100)
        self.wait_settled(all_cells=True)

    def wait_settled(self, all_cells: bool = False, timeout: float = RUN_TIMEOUT_MS) -> None:
        """Wait for the kernel to be idle (and, if ``all_cells``, for every code cell to have run)."""
        self.page.wait_for_function(_SETTLED_JS, arg={"all": all_cells}, timeout=timeout, polling=100)

    def menu(self, title: str, command: str) -> None:
        """Choose a menu bar item (by its title) and the entry that runs ``command``.

        Trainees have no Edit, Run or Kernel menu (crmtrain.lab): there the command runs as
        its keyboard shortcut would run it.
        """
        item = self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(title)}$"))
        if not item.count():
            self.page.evaluate("(command) => window.jupyterapp.commands.execute(command)", command)
            return
        item.click()
        self.page.locator(f'.lm-Menu-item[data-command="{command}"]').click()

    def exercises_appear(self) -> None:
        """Every quiz and drill of the open workbook is on screen (without Run All), no cell failed."""
        self._ran_all()

    def restart_kernel(self, menu: str = "Kernel") -> None:
        """Menu Kernel → Restart Kernel…, confirmed; the extension runs every cell again by itself."""
        before = self.runs()
        self.menu(menu, "kernelmenu:restart")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.wait_ready(before + 1)
        self._ran_all()

    def restart_exercises(self) -> None:
        """The toolbar's one button that starts the exercises again (in the trainee's language)."""
        before = self.runs()
        self.panel.locator("button.crmtrain-restart").click()
        self.wait_ready(before + 1)

    def save_and_reload(self) -> None:
        """File → Save, then load the page again (the kernel keeps running), as after closing the tab."""
        save_notebook(self)
        self.open(self.notebook_name)

    def _ran_all(self) -> None:
        self.wait_settled(all_cells=True)
        expect(self.panel.locator(".crmtrain-quiz")).to_have_count(self.count("item"), timeout=30_000)
        expect(self.panel.locator(".crmtrain-drill")).to_have_count(self.count("drill"), timeout=30_000)
        errors = self.panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, "a cell failed:\n" + "\n".join(errors.all_inner_texts())
        assert not self.clipped(), f"texts cut off with '…': {self.clipped()}"

    def clipped(self) -> list[str]:
        """Texts in quizzes and drills that the browser cuts short (widget labels clip to one line)."""
        return self.panel.evaluate("""(panel) => Array.from(
            panel.querySelectorAll('.crmtrain-quiz *, .crmtrain-drill *')).filter(e =>
              e.scrollWidth > e.clientWidth + 1 &&
              getComputedStyle(e).textOverflow === 'ellipsis').map(e => e.textContent)""")

    def count(self, key: str) -> int:
        """How many code cells the builder tagged with ``key`` ("item": quizzes, "drill": drills)."""
        return sum(1 for c in self.notebook.cells if key in c.metadata.get("crmtrain", {}))

    def progress(self) -> dict:
        """The workbook's saved progress file, as the runtime wrote it."""
        name = self.notebook.metadata["crmtrain"]["notebook"]
        path = self.server.root / self.folder / f".{name}.progress.json"
        return json.loads(path.read_text(encoding="utf-8"))["questions"]

    # --- quizzes -----------------------------------------------------------------------------

    def quiz(self, qid: str) -> Locator:
        """The widget of question ``qid`` (quizzes appear in the order of their cells; ids are not shown)."""
        items = [c.metadata["crmtrain"]["item"] for c in self.notebook.cells if "item" in c.metadata.get("crmtrain", {})]
        quiz = self.panel.locator(".crmtrain-quiz").nth(items.index(qid))
        quiz.scroll_into_view_if_needed()
        return quiz

    def click(self, target: Locator) -> None:
        """Click, then wait until the kernel has taken the change in, as a person's pace allows.

        ipywidgets holds back a state update while an earlier one is unanswered, but sends a
        button press at once, so a quick "tick, tick, Check" could reach the kernel as "tick,
        Check, tick". Waiting for the kernel to report idle *after* the click rules that out.
        """
        self._then_settle(target.click)

    def _then_settle(self, action) -> None:
        before = self.page.evaluate("() => window.__crmtrainIdle")
        action()
        try:
            self.page.wait_for_function("(n) => window.__crmtrainIdle > n", arg=before, timeout=5_000)
        except PlaywrightTimeout:
            pass  # the click changed nothing the kernel hears about (e.g. the option was already chosen)
        self.wait_settled(timeout=30_000)

    def choose(self, widget: Locator, text: str) -> None:
        """Tick the radio button or checkbox labelled ``text`` (left alone if already ticked)."""
        box = widget.get_by_label(text, exact=True)
        if not box.is_checked():
            self.click(box)

    def type_number(self, quiz: Locator, text: str) -> None:
        """Type into a numeric question's field."""
        field = quiz.locator("input[type=text]")
        self._then_settle(lambda: field.fill(text))  # a Text widget sends what is typed at once

    def order(self, quiz: Locator, wanted: list[str]) -> None:
        """Put an ordering question's rows into ``wanted`` (texts) with its ↑ buttons."""
        rows = order_rows(quiz)
        for place, text in enumerate(wanted):
            # A row reads "↑ ↓ 3. text": the buttons, the place, the item.
            current = [re.sub(r"^[↑↓\s]*\d+\.\s*", "", words(t)) for t in rows.all_inner_texts()]
            at = current.index(text)
            for row in range(at, place, -1):
                self.click(rows.nth(row).locator("button").first)

    def check(self, quiz: Locator) -> str:
        """Press Check; return the feedback text once it shows."""
        self.click(quiz.locator("button.crmtrain-check"))
        feedback = quiz.locator(".crmtrain-feedback")
        expect(feedback).not_to_be_empty()
        return words(feedback.inner_text())

    def score(self) -> str:
        """The live score line at the bottom of the workbook."""
        return words(self.panel.locator(".crmtrain-score").inner_text())

    # --- drills --------------------------------------------------------------------------------

    def drills(self) -> list[tuple[str, Locator]]:
        """(kind, widget) of every drill in the workbook, in cell order."""
        kinds = [c.metadata["crmtrain"]["drill"] for c in self.notebook.cells if "drill" in c.metadata.get("crmtrain", {})]
        widgets = self.panel.locator(".crmtrain-drill")
        return [(kind, widgets.nth(i)) for i, kind in enumerate(kinds)]


# --- assessments (nbgrader) ----------------------------------------------------------------------
# An assessment notebook shows one ``.crmtrain-item`` box per question (an input and a status
# line that reads "✓ Saved at HH:MM" once the answer is in answers.json); no quizzes, no drills.

def assessment_items(person: Trainee) -> list[str]:
    """Question ids of the open assessment notebook, in the order their boxes appear."""
    return [c.metadata["crmtrain"]["item"] for c in person.notebook.cells
            if c.cell_type == "code" and "item" in c.metadata.get("crmtrain", {})
            and c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-answer")]


def assessment_ran_all(person: Trainee) -> None:
    """Wait until every code cell ran and every question's box is on screen, with no error."""
    person.wait_settled(all_cells=True)
    expect(person.panel.locator(".crmtrain-item")).to_have_count(len(assessment_items(person)), timeout=30_000)
    errors = person.panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, "a cell failed:\n" + "\n".join(errors.all_inner_texts())


def assessment_restart(person: Trainee) -> None:
    """The toolbar's restart button on an assessment notebook: every answer box comes back."""
    person.restart_exercises()
    assessment_ran_all(person)


def assessment_item(person: Trainee, qid: str) -> Locator:
    """The answer box of question ``qid``, scrolled into view."""
    item = person.panel.locator(".crmtrain-item").nth(assessment_items(person).index(qid))
    # Centred: at the very top of the panel the notebook's sticky toolbar covers the first row.
    item.evaluate("(e) => e.scrollIntoView({block: 'center'})")
    return item


def case_clicks(asked, value, lang: str = "en") -> list[str]:
    """The labels a trainee clicks to give ``value`` in their case slot: a radio button, then any boxes.

    ``asked`` is the trainee's :class:`crmtrain.simulate.Asked`; the words are the drill widget's own.
    """
    from crmtrain.i18n import translation
    from crmtrain.runtime.drills import DRILLS

    view = DRILLS[asked.kind](asked.spec, translation(lang), lang, case=asked.case, controls=False)
    words = {p["id"]: p["text"] for p in view.answer_parts()}
    return [words[v] for v in value] if isinstance(value, list) else [words[value]]


def answer_case(person: Trainee, item: Locator, asked, value, lang: str = "en") -> None:
    """Give ``value`` in a case slot by clicking the labels it reads as (in the notebook's language)."""
    for label in case_clicks(asked, value, lang):
        tick(person, item, label)


def tick(person: Trainee, item: Locator, text: str) -> None:
    """Tick the radio button or checkbox labelled ``text`` by clicking its label; check it took."""
    box = item.get_by_label(text, exact=True)
    if not box.is_checked():
        box.evaluate("(e) => e.scrollIntoView({block: 'center'})")
        person.click(box.locator("xpath=ancestor::label[1]"))
    expect(box).to_be_checked()


def type_text(person: Trainee, item: Locator, text: str) -> None:
    """Type an open answer into the item's text area."""
    area = item.locator("textarea")
    person._then_settle(lambda: area.fill(text))


def save_notebook(person: Trainee) -> None:
    """File → Save, and wait until the server has written the file and the notebook is no longer dirty.

    The model is often clean already (the extension marks it so after running the cells), so
    "not dirty" alone does not mean the save is over; and jupyter_server writes the file in
    place (its backup copy is what makes it "atomic"), so a read during the save sees it empty.
    """
    person.page.evaluate("""() => { const c = window.jupyterapp.shell.currentWidget.context;
      window.__crmtrainSaved = false;
      const done = (_, state) => { if (state === 'completed') { window.__crmtrainSaved = true;
                                                                c.saveState.disconnect(done); } };
      c.saveState.connect(done); }""")
    person.menu("File", "docmanager:save")
    person.page.wait_for_function("() => window.__crmtrainSaved && !window.jupyterapp.shell.currentWidget.context.model.dirty")


def read_notebook(path, timeout: float = 10.0):
    """The notebook file as saved; a read that meets a write in progress (an autosave) is tried again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return nbformat.read(path, as_version=4)
        except nbformat.reader.NotJSONError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def ordered_texts(item: Locator) -> list[str]:
    """An ordering question's rows as shown, top to bottom (without the place numbers)."""
    rows = order_rows(item)
    return [re.sub(r"^[↑↓\s]*\d+\.\s*", "", words(t)) for t in rows.all_inner_texts()]


def my_training(page: Page) -> Locator:
    """The trainee's panel "My training" (crmtrain-lab), open in the left sidebar."""
    panel = page.locator("#crmtrain-training")
    expect(panel).to_be_attached(timeout=60_000)  # added and shown once JupyterLab has started (slow on a hub)
    if not panel.is_visible():  # the trainee closed the sidebar
        page.locator('.jp-SideBar .lm-TabBar-tab[data-id="crmtrain-training"]').click()
    expect(panel).to_be_visible()
    return panel


def training_row(page: Page, assessment: str) -> Locator:
    """An assessment's entry in My training."""
    return my_training(page).locator(f'.crmtrain-assessment[data-assessment="{assessment}"]')


def press_in_training(page: Page, assessment: str, label: str, then_state: str) -> Locator:
    """Press ``label`` next to ``assessment`` in My training; wait for its state to become ``then_state``."""
    row = training_row(page, assessment)
    row.get_by_role("button", name=label, exact=True).click()
    expect(row).to_have_attribute("data-state", then_state, timeout=60_000)
    return row


def order_rows(widget: Locator) -> Locator:
    """An ordering question's rows: [↑][↓] place. text (the buttons are named "Move up/down")."""
    return widget.locator(".widget-hbox, .jupyter-widget-hbox").filter(has_text=re.compile(r"^\s*↑\s*↓"))
