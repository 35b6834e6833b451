"""Every drill kind in the browser: Next, answer by clicking, read the verdict, then get it right.

A drill's explanation names the right answer for the case ("Next comes “…”", "so the class is
…"), so the test checks that the verdict agrees with what was clicked, then clicks the named
answer and expects "Correct!". Which answer is right is the rule engines' business (unit tests).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from crmtrain.regulation.loader import load
from crmtrain.samples import resolve
from trainee import Trainee, words

REG = load(resolve("sample:en"))
FIELDS = [f.label for f in REG.client_work.pipeline.fields]
# kind -> the explanation's pattern naming the right option
NAMED = {
    "process": re.compile(r"Next comes “(.+?)”"),
    "lead": re.compile(r"so the class is (.+?)\.(?:\s|$)"),  # a rule note may follow
    "callback": re.compile(r"the latest moment is (.+)\.$"),
}


def verdict(trainee: Trainee, drill: Locator) -> tuple[bool, str]:
    """Press Check; (correct?, explanation) from the feedback box."""
    trainee.click(drill.get_by_role("button", name="Check"))
    box = drill.locator(".crmtrain-ok, .crmtrain-retry")
    expect(box).to_have_count(1)
    text = words(box.inner_text())
    correct = "crmtrain-ok" in box.get_attribute("class")
    assert text.startswith("Correct!" if correct else "Not quite."), text
    return correct, text


def option_labels(drill: Locator) -> list[str]:
    return [words(t) for t in drill.locator(".widget-radio-box label, .jupyter-widget-radio-box label").all_inner_texts()]


def practise(trainee: Trainee, kind: str, drill: Locator) -> None:
    """One case: Next, a first answer, the verdict, then the right answer."""
    drill.scroll_into_view_if_needed()
    trainee.click(drill.get_by_role("button", name="Next"))
    expect(drill.locator(".crmtrain-ok, .crmtrain-retry")).to_have_count(0)  # a fresh case
    if kind == "pipeline":
        return practise_pipeline(trainee, drill)
    first = option_labels(drill)[0]
    trainee.choose(drill, first)
    correct, text = verdict(trainee, drill)
    right = NAMED[kind].search(text)
    assert right, text
    assert correct == (first == right.group(1)), (first, text)
    if not correct:
        trainee.choose(drill, right.group(1))
        assert verdict(trainee, drill)[0]


def practise_pipeline(trainee: Trainee, drill: Locator) -> None:
    """'Allowed' with nothing filled in first; then what the explanation says."""
    trainee.choose(drill, "Allowed")
    correct, text = verdict(trainee, drill)
    if "is not in the regulation" in text:
        assert not correct
        trainee.choose(drill, "Not allowed")
    else:
        needed = re.search(r"allowed once these are filled in: (.+)\.$", text).group(1)
        assert correct == (needed == "nothing extra"), text
        for label in FIELDS:
            if label in needed:
                trainee.choose(drill, label)
    if not correct:
        assert verdict(trainee, drill)[0]


def test_process_drills_in_order_processing(trainee):
    trainee.open("02-order-processing.ipynb")
    trainee.exercises_appear()
    drills = trainee.drills()
    assert [kind for kind, _ in drills] == ["process"] * len(REG.order_processing.processes)
    for kind, drill in drills:
        practise(trainee, kind, drill)
    trainee.shot("process-drill")
    assert trainee.progress()["drill:process"]["tries"] >= len(drills)


def test_lead_callback_and_pipeline_drills_in_client_work(trainee):
    trainee.open("03-client-work.ipynb")
    trainee.exercises_appear()
    drills = trainee.drills()
    assert sorted(kind for kind, _ in drills) == ["callback", "lead", "pipeline"]
    for kind, drill in drills:
        practise(trainee, kind, drill)
        trainee.shot(f"{kind}-drill")
    assert {"drill:lead", "drill:callback", "drill:pipeline"} <= set(trainee.progress())
