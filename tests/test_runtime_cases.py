"""A trainee gets their own rule-generated cases in an assessment, answers by clicking, and keeps the answers."""

from __future__ import annotations

import json

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from test_rules_cases import sample_specs

from crmtrain.i18n import translation
from crmtrain.regulation.loader import load
from crmtrain.rules import cases
from crmtrain.runtime.drills import DRILLS
from crmtrain.samples import sample_path

COURSE, ASSESSMENT, TRAINEE, START = "crm-training", "initial", "ivanova", "2027-02-01"
SLOTS = {"lead-case": "lead", "deal-move": "pipeline", "next-step": "process", "call-back": "callback"}


def notebook(specs: dict, trainee: str = TRAINEE):
    cells = [new_code_cell("from crmtrain.runtime import Assessment\n"
                           f"test = Assessment({ASSESSMENT!r}, lang='ru', course={COURSE!r}, trainee={trainee!r})")]
    cells += [new_code_cell(f"test.case({ {'id': slot, 'kind': kind, 'spec': specs[kind], 'start': START}!r})")
              for slot, kind in SLOTS.items()]
    return new_notebook(cells=cells)


def expected_case(specs: dict, slot: str, trainee: str = TRAINEE) -> dict:
    return cases.trainee_case(SLOTS[slot], specs[SLOTS[slot]], START, course=COURSE, assessment=ASSESSMENT,
                              trainee=trainee, slot=slot)


def give(k, slot: str, answer) -> None:
    """Answer ``slot`` by setting its widgets the way clicks do."""
    view = f"test.items[{slot!r}].input.view"
    if SLOTS[slot] != "pipeline":
        k.run(f"{view}.radio.value = {answer!r}")
        return
    k.run(f"{view}.allowed.value = {answer[0] == 'allowed'}")
    for field in answer[1:]:
        k.run(f"{view}.fields[{field!r}].value = True")


def saved(folder) -> dict:
    return json.loads((folder / "answers.json").read_text(encoding="utf-8"))


@pytest.mark.kernel
def test_a_trainee_answers_their_own_cases_and_finds_them_restored_after_a_restart(kernel, tmp_path):
    specs = sample_specs(load(sample_path("ru")))
    k = kernel(tmp_path)
    k.execute_notebook(notebook(specs))
    keys = {}
    for slot, kind in SLOTS.items():
        case = expected_case(specs, slot)
        assert k.eval(f"test.shown[{slot!r}]") == {"case": case}, "the kernel draws the case grading will draw"
        keys[slot] = cases.case_key(kind, specs[kind], case)
        give(k, slot, keys[slot])
        # Saved the moment it is given, with the case it answers.
        data = saved(tmp_path)
        assert data["answers"][slot] == keys[slot]
        assert data["shown"][slot] == {"case": case}
        assert "Сохранено в" in k.eval(f"test.items[{slot!r}].status.value")
    # Where widgets do not render (the autograded notebook), the answer reads in words.
    tr = translation("ru")
    for slot, kind in SLOTS.items():
        view = DRILLS[kind](specs[kind], tr, "ru", case=expected_case(specs, slot), controls=False)
        words = {p["id"]: p["text"] for p in view.answer_parts()}
        given = keys[slot] if isinstance(keys[slot], list) else [keys[slot]]
        assert k.eval(f"test.items[{slot!r}].summary()") == f"{slot}: " + "; ".join(words[g] for g in given)

    k.shutdown()
    again = kernel(tmp_path)
    again.execute_notebook(notebook(specs))
    for slot in SLOTS:
        assert again.eval(f"test.items[{slot!r}].stored()") == keys[slot], slot
        assert "Сохранено в" in again.eval(f"test.items[{slot!r}].status.value")
    assert "4 вопроса" in again.eval("test.notice.value")
    assert saved(tmp_path)["answers"] == keys


@pytest.mark.kernel
def test_another_trainee_sees_other_cases_and_a_broken_slot_does_not_stop_the_rest(kernel, tmp_path):
    specs = sample_specs(load(sample_path("en")))
    nb = notebook(specs, trainee="petrov")
    nb.cells.insert(1, new_code_cell("test.case({'id': 'broken', 'kind': 'lead', 'spec': {'classes': []}, 'start': '2027-02-01'})"))
    k = kernel(tmp_path)
    k.execute_notebook(nb)
    shown = {slot: k.eval(f"test.shown[{slot!r}]['case']") for slot in SLOTS}
    assert shown == {slot: expected_case(specs, slot, "petrov") for slot in SLOTS}
    assert shown != {slot: expected_case(specs, slot, TRAINEE) for slot in SLOTS}
    assert k.eval("sorted(test.items)") == sorted(SLOTS)
    notice = nb.cells[1].outputs[0]["data"]["text/plain"]
    assert "crmtrain-warn" in notice  # the full text is in the widget; text/plain is cut short
