"""Drills ask fresh cases from the regulation's rules and grade them by the same rules."""

from __future__ import annotations

import datetime as dt
import html
import random

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from crmtrain.i18n import translation
from crmtrain.regulation.loader import load
from crmtrain.rules import calendar, cases, decision_table, pipeline, processes
from crmtrain.runtime.drills import DRILLS
from crmtrain.samples import SAMPLES, sample_path

CASES = 150


@pytest.fixture(scope="module", params=list(SAMPLES))
def reg(request):
    return load(sample_path(request.param))


def specs(reg) -> dict[str, list[dict]]:
    cw = reg.client_work
    return {
        "lead": [cw.lead_classification.model_dump(mode="json")],
        "pipeline": [p.model_dump(mode="json", by_alias=True) for p in cw.deal_pipelines],
        "process": [p.model_dump(mode="json") for p in reg.order_processing.processes],
        "callback": [cw.contact_timing.model_dump(mode="json")],
    }


def make(kind: str, spec: dict, lang: str, seed: int):
    return DRILLS[kind](spec, translation(lang), lang, random.Random(seed))


def test_lead_drill_grades_by_the_decision_table_over_many_leads(reg):
    spec = specs(reg)["lead"][0]
    lang = reg.meta.language.value
    fired = set()
    for seed in range(CASES):
        d = make("lead", spec, lang, seed)
        rule = decision_table.classify(spec, d.case["lead"])
        fired.add(rule["id"])
        for cls in spec["classes"]:
            d.radio.value = cls["id"]
            assert d.check() is (cls["id"] == rule["then"])
        # The trainee reads the rule's row number in the table and its note, never its id.
        number = spec["rules"].index(rule) + 1
        said = translation(lang).gettext("Rule {n} of the table is the first that matches ({conditions}), so the class is {cls}.")
        assert said.split("{n}")[0] + f"{number}" in d.feedback.value
        assert rule["id"] not in d.feedback.value
        assert not rule.get("note") or html.escape(rule["note"]) in d.feedback.value
    assert fired == {r["id"] for r in spec["rules"]}, "every rule of the table is drilled"


def test_pipeline_drill_needs_the_right_verdict_and_fields(reg):
    spec = specs(reg)["pipeline"][0]
    lang = reg.meta.language.value
    seen = set()
    for seed in range(CASES):
        d = make("pipeline", spec, lang, seed)
        t = pipeline.transition(spec, d.case["from"], d.case["to"])
        seen.add(t is not None)
        d.allowed.value = t is not None
        for f, box in d.fields.items():
            box.value = t is not None and f in t["requires"]
        assert d.check() is True
        d.allowed.value = t is None
        assert d.check() is False
        if t is not None and t["requires"]:
            d.allowed.value = True
            d.fields[t["requires"][0]].value = False
            assert d.check() is False, "forgetting a required field is wrong"
    assert seen == {True, False}


def test_process_drill_covers_decision_branches(reg):
    lang = reg.meta.language.value
    for spec in specs(reg)["process"]:
        branches = set()
        for seed in range(CASES):
            d = make("process", spec, lang, seed)
            expected = processes.next_step(spec, d.case["step"], d.case["branch"])
            assert expected in d.case["options"]
            for option in d.case["options"]:
                d.radio.value = option
                assert d.check() is (option == expected)
            if d.case["branch"]:
                branches.add((d.case["step"], d.case["branch"]))
        decisions = {(s["id"], b["label"]) for s in spec["steps"] if s["kind"] == "decision" for b in s["branches"]}
        assert branches == decisions, spec["id"]


def test_callback_drill_agrees_with_the_working_calendar(reg):
    spec = specs(reg)["callback"][0]
    lang = reg.meta.language.value
    cal = spec["calendar"]
    kinds = set()
    for seed in range(CASES):
        d = make("callback", spec, lang, seed)
        event = cases.moment(d.case["event"])
        rule = next(r for r in spec["rules"] if r["id"] == d.case["rule"])
        expected = calendar.deadline(cal, rule["deadline"], event)
        options = [cases.moment(m) for m in d.case["options"]]
        assert expected in options and len(set(options)) == len(options) == 4
        for text, moment in zip(d.case["options"], options):
            d.radio.value = text
            assert d.check() is (moment == expected)
        if not calendar.is_working_day(cal, event.date()):
            kinds.add("day off")
        elif event.time() >= dt.time.fromisoformat(cal["closes"]):
            kinds.add("after closing")
        elif event.time() < dt.time.fromisoformat(cal["opens"]):
            kinds.add("before opening")
        else:
            kinds.add("working time")
        if expected.time() == dt.time.fromisoformat(cal["closes"]):
            kinds.add("deadline at closing")
    assert kinds >= {"day off", "after closing", "before opening", "working time", "deadline at closing"}


def test_check_without_an_answer_asks_for_one(reg):
    d = make("lead", specs(reg)["lead"][0], reg.meta.language.value, 1)
    assert d.check() is None
    assert d.feedback.value


def test_next_draws_a_fresh_case(reg):
    d = make("process", specs(reg)["process"][0], reg.meta.language.value, 3)
    cases = set()
    for _ in range(12):
        cases.add((d.case["step"], d.case["branch"]))
        d.next_button.click()
    assert len(cases) > 3


@pytest.mark.kernel
def test_drills_in_a_real_kernel_count_tries_in_the_progress_file(kernel, tmp_path):
    reg = load(sample_path("ru"))
    s = specs(reg)
    cells = [new_code_cell("from crmtrain.runtime import Workbook\nwb = Workbook('drills', lang='ru')")]
    cells += [new_code_cell(f"wb.drill({kind!r}, {s[kind][0]!r})") for kind in ("lead", "pipeline", "process", "callback")]
    k = kernel(tmp_path)
    k.execute_notebook(new_notebook(cells=cells))
    case = k.eval("wb.drills[0].case")
    rule = decision_table.classify(s["lead"][0], case["lead"])
    k.run(f"d = wb.drills[0]\nd.radio.value = {rule['then']!r}\nd.check_button.click()")
    assert "Верно!" in k.eval("wb.drills[0].feedback.value")
    k.run("d.next_button.click()")
    assert k.eval("wb.drills[0].feedback.value") == ""
    k.run("d.radio.value = [c['id'] for c in d.spec['classes'] if c['id'] != "
          "__import__('crmtrain.rules.decision_table', fromlist=['x']).classify(d.spec, d.case['lead'])['then']][0]\n"
          "d.check_button.click()")
    assert "Не совсем так." in k.eval("wb.drills[0].feedback.value")
    assert k.eval("wb.progress['drill:lead']") == {"tries": 2, "right": 1}
    # The callback drill explains the deadline in Russian, plural forms included.
    k.run("d = wb.drills[3]\nd.radio.value = d.key()\nd.check_button.click()")
    feedback = k.eval("wb.drills[3].feedback.value")
    assert "Верно!" in feedback and "рабоч" in feedback, feedback
