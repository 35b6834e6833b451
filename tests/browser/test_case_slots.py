"""A trainee's own cases in an assessment, in JupyterLab: answered with the keyboard alone, kept after a restart.

The freight sample's initial assessment has a case slot of every drill kind. Served as
released (no hidden tests), each slot shows the case this trainee's seed gives, with
radio groups and check boxes a screen reader can name. The trainee answers every case with
Tab, Space and the arrow keys, each answer lands in answers.json at once, and after the
toolbar's restart every answer is shown again.
"""

from __future__ import annotations

import ast
import json

import nbformat
import pytest
from harness import new_page
from playwright.sync_api import expect
from trainee import Trainee, assessment_item, assessment_ran_all, assessment_restart, words

from crmtrain.i18n import translation
from crmtrain.notebooks.assessments import build_assessment
from crmtrain.regulation.loader import load
from crmtrain.rules import cases
from crmtrain.runtime.drills import DRILLS
from crmtrain.samples import sample_path

pytestmark = pytest.mark.browser

TRAINEE, COURSE, LANG = "ivanova", "crm-training", "en"


def released(tmp_path):
    """The assessment as nbgrader releases it, in a served folder; its case slots' specs."""
    nb = build_assessment(load(sample_path("freight")), "initial", COURSE)
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    slots = {}
    for cell in nb.cells:
        crm = cell.metadata.get("crmtrain", {})
        if cell.cell_type == "code" and crm.get("slot") == "case":
            slots[crm["item"]] = ast.literal_eval(ast.parse(cell.source).body[0].value.args[0])
    folder = tmp_path / "root" / "initial"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "initial.ipynb")
    return folder, slots


def press(person: Trainee, *keys: str) -> None:
    """Press keys; after one the kernel hears of, wait until it has taken it in (Tab only moves the focus)."""
    for k in keys:
        if k == "Tab":
            person.page.keyboard.press(k)
        else:
            person._then_settle(lambda k=k: person.page.keyboard.press(k))


def tab_to(person: Trainee, control) -> None:
    """Press Tab until ``control`` has the focus (it must be in the tab order, a few stops on)."""
    for _ in range(6):
        if control.evaluate("e => e === document.activeElement"):
            return
        person.page.keyboard.press("Tab")
    raise AssertionError("Tab never reached " + control.evaluate("e => e.outerHTML.slice(0, 120)"))


def test_own_cases_are_answered_with_the_keyboard_alone_and_restored(lab_server_factory, browser, tmp_path, monkeypatch):
    monkeypatch.setenv("CRMTRAIN_TRAINEE", TRAINEE)  # the kernel's trainee, as JupyterHub's user would be
    folder, slots = released(tmp_path)
    assert {s["kind"] for s in slots.values()} == {"lead", "pipeline", "process", "callback"}
    server = lab_server_factory(folder.parent, lang=LANG)
    person = Trainee(new_page(browser), server, "initial")
    person.open("initial.ipynb")
    assessment_ran_all(person)
    tr = translation(LANG)
    keys, labels = {}, {}
    for slot, spec in slots.items():
        case = cases.trainee_case(spec["kind"], spec["spec"], spec["start"], course=COURSE, assessment="initial",
                                  trainee=TRAINEE, slot=slot)
        key = keys[slot] = cases.case_key(spec["kind"], spec["spec"], case)
        view = DRILLS[spec["kind"]](spec["spec"], tr, LANG, case=case, controls=False)
        item = assessment_item(person, slot)
        expect(item.locator("[role=radiogroup]")).to_have_count(1)  # the extension names the group for readers
        radios = item.get_by_role("radio")
        if spec["kind"] == "pipeline":
            want = [tr.gettext("Allowed" if key[0] == "allowed" else "Not allowed")]
            radios.first.focus()
            press(person, "Space", *(["ArrowDown"] if key[0] != "allowed" else []))
            boxes = item.get_by_role("checkbox")
            expect(boxes).to_have_count(len(case["fields"]))
            if key[0] == "allowed":
                tab_to(person, boxes.first)
                for n, (fid, box) in enumerate(view.fields.items()):
                    if fid in key[1:]:
                        press(person, "Space")
                        want.append(box.description)
                    if n + 1 < len(view.fields):
                        tab_to(person, boxes.nth(n + 1))
        else:
            options = [label for label, _ in view.radio.options]
            shown = [words(t) for t in item.locator("input[type=radio] >> xpath=..").all_inner_texts()]
            assert shown == [words(o) for o in options], "the trainee sees their own case's options"
            want = [next(label for label, value in view.radio.options if value == key)]
            radios.first.focus()
            press(person, "Space", *["ArrowDown"] * options.index(want[0]))
        labels[slot] = want
        for label in want:
            expect(item.get_by_label(label, exact=True)).to_be_checked()
        expect(item.locator(".crmtrain-saved")).to_be_visible()
    saved = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
    assert {slot: saved["answers"][slot] for slot in slots} == keys
    assert set(saved["shown"]) >= set(slots)

    assessment_restart(person)
    for slot, want in labels.items():
        item = assessment_item(person, slot)
        for label in want:
            expect(item.get_by_label(label, exact=True)).to_be_checked()
        expect(item.locator(".crmtrain-saved")).to_be_visible()
