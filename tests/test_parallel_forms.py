"""Parallel forms: the follow-up re-tests every regulation item the initial tested, with other questions."""

from __future__ import annotations

import pytest

from crmtrain.cli import main
from crmtrain.kinds.assessments import FIRST, LAST
from crmtrain.regulation.loader import load
from crmtrain.regulation.selection import select
from crmtrain.rules import variants
from crmtrain.samples import SAMPLES, sample_path


def items_asked(trainee: str, sel, name: str, course: str = "crm-training") -> set[str]:
    """The regulation items ``trainee`` is asked about in assessment ``name``: their own draws and cases."""
    items = {r for q in sel.questions[name] for r in q.refs}
    for plan in sel.slots[name]:
        if plan.questions:
            drawn = plan.questions[variants.draw_index(len(plan.questions), course, name, trainee, plan.id)]
            items.update(drawn.refs)
        elif plan.case == "process" and len(plan.parts) > 1:  # the same process in every assessment
            items.add(plan.parts[variants.draw_index(len(plan.parts), course, "process", trainee,
                                                     "\x1f".join(sorted(plan.parts)))])
        else:
            items.update(plan.parts)
    return items


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_item_tested_initially_is_tested_again_by_another_question(name):
    sel = select(load(sample_path(name)))
    first, last = sel.questions[FIRST], sel.questions[LAST]
    asked = lambda n: {q.id for q in sel.questions[n]} | {q.id for p in sel.slots[n] for q in p.questions}
    assert not asked(FIRST) & asked(LAST)  # never the same question
    assert not {p.id for p in sel.slots[FIRST]} & {p.id for p in sel.slots[LAST]}  # a case slot comes back fresh
    for trainee in [f"trainee-{i:02d}" for i in range(40)]:
        tested, retested = items_asked(trainee, sel, FIRST), items_asked(trainee, sel, LAST)
        assert tested <= retested, f"{trainee}: not re-tested: {sorted(tested - retested)}"
    assert sel.uncovered == []


@pytest.mark.parametrize("name", list(SAMPLES))
def test_a_rebuild_draws_the_same_forms(name):
    reg = load(sample_path(name))
    a, b = select(reg), select(reg)
    assert {k: [q.id for q in v] for k, v in a.questions.items()} == {k: [q.id for q in v] for k, v in b.questions.items()}


def _without(text: str, qid: str) -> str:
    """The regulation text with question ``qid`` removed (its block up to the next question)."""
    start = text.index(f"  - id: {qid}\n")
    end = text.index("\n  - id: ", start + 1) + 1
    return text[:start] + text[end:]


def test_check_names_the_items_the_followup_cannot_cover_and_the_question_to_add(tmp_path, capsys):
    """Drop the sample's only free questions on 't-missed-call' and 'task-first-call': nothing can re-test them."""
    text = sample_path("en").read_text(encoding="utf-8")
    for qid in ("fu-sales-10", "fu-sales-09"):
        text = _without(text, qid)
    target = tmp_path / "regulation.yaml"
    target.write_text(text, encoding="utf-8")
    reg = load(target)
    sel = select(reg)
    assert {u.ref for u in sel.uncovered} == {"t-missed-call", "task-first-call"}
    assert main(["check", str(target)]) == 1
    out = capsys.readouterr().out
    assert ("assessments.followup: the follow-up cannot re-test 't-missed-call' (A client's call to the sales line "
            "or to your extension is missed), which the initial tests with in-sales-03: add a numeric question on "
            "topic 'sales' with refs [t-missed-call] (pool 'followup') that no other assessment asks") in out
    # An item the initial tests only with an open question: a self-grading one re-tests it as well.
    assert ("cannot re-test 'task-first-call' (A new lead is created), which the initial tests with in-sales-open: "
            "add a single question on topic 'sales' with refs [task-first-call]") in out


def test_draws_prefer_questions_on_items_still_to_re_test():
    """The follow-up's draws come from its own pool first; siblings from elsewhere only fill the gaps."""
    reg = load(sample_path("en"))
    sel = select(reg)
    drawn = [q for q in sel.questions[LAST] if q not in sel.siblings[LAST]]
    assert all(q.pool == "followup" for q in drawn)
    tested = {r for q in sel.questions[FIRST] for r in q.refs} | {r for p in sel.slots[FIRST] for r in p.may_test}
    for q in sel.siblings[LAST]:  # each sibling re-tests something the draws left
        assert tested & set(q.refs)
