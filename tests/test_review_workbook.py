"""A trainee's review plan becomes a personal workbook: exactly those items, runnable, in their folder."""

from __future__ import annotations

import nbformat
import pytest

from crmtrain.notebooks.review import ReviewItem, build_review
from crmtrain.regulation.items import index
from crmtrain.regulation.loader import load
from crmtrain.regulation.selection import select
from crmtrain.samples import sample_path

WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module", params=["en", "ru"])
def reg(request):
    return load(sample_path(request.param))


def plan_for(reg) -> list[ReviewItem]:
    """A plan touching each part: a summary topic, a process step, the lead classification."""
    topic = reg.summary.topics[1].id
    proc = reg.order_processing.processes[0]
    step = f"{proc.id}.{proc.steps[1].id}"
    lead = reg.client_work.lead_classification.id
    return [ReviewItem(topic, "forgotten", "2024-06-16", "2024-06-19"), ReviewItem(step, "never_learned", "2024-06-16", "2024-06-17"),
            ReviewItem(lead, "missed", "2024-03-16", "2024-03-18")]


def test_the_workbook_holds_exactly_the_sections_of_the_plan(reg):
    plan = plan_for(reg)
    nb = build_review(reg, "Ivan Petrov", plan)
    nbformat.validate(nb)
    items = index(reg)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Ivan Petrov" in nb.cells[0].source
    wanted_sections = {items[p.ref].section for p in plan}
    for t in reg.summary.topics:
        assert (f"## {t.title}\n" in text) == (t.id in wanted_sections), t.id
    for p in reg.order_processing.processes:
        assert (f"## {p.title}\n" in text) == (p.id in wanted_sections), p.id
    assert f"## {reg.client_work.lead_classification.title}" in text
    assert f"## {reg.client_work.pipeline.title}" not in text
    for p in plan:
        assert items[p.ref].title in text  # the plan table names every item
    assert ("16.06.2024" if reg.meta.language.value == "ru" else "2024-06-16") in text
    drills = [c.metadata["crmtrain"]["drill"] for c in nb.cells if "drill" in c.metadata.get("crmtrain", {})]
    assert drills == ["process", "lead"]  # the process's and the lead table's drills, fresh cases at every Next
    assert nb.metadata.crmtrain["items"] == sorted(p.ref for p in plan)


def test_quizzes_are_practice_questions_on_those_items_never_assessment_ones(reg):
    plan = plan_for(reg)
    nb = build_review(reg, "Ivan Petrov", plan)
    asked = [c.metadata["crmtrain"]["item"] for c in nb.cells if "item" in c.metadata.get("crmtrain", {})]
    assert asked, "the sample has practice questions on these items"
    sel = select(reg)
    # A question a slot may draw is an assessment one too, whoever got it.
    assessed = {q.id for qs in sel.questions.values() for q in qs} | \
        {q.id for plans in sel.slots.values() for p in plans for q in p.questions}
    assert assessed > {q.id for qs in sel.questions.values() for q in qs}  # the samples have slots
    questions = {q.id: q for q in reg.questions}
    wanted = {p.ref for p in plan}
    for qid in asked:
        assert qid not in assessed
        assert wanted & set(questions[qid].refs)
    practice = [q.id for q in reg.questions if q.id not in assessed and q.type.value != "open" and wanted & set(q.refs)]
    assert sorted(asked) == sorted(practice)


def test_builds_are_byte_identical(reg):
    from crmtrain.notebooks.cells import render

    assert render(build_review(reg, "A", plan_for(reg))) == render(build_review(reg, "A", plan_for(reg)))


@pytest.mark.kernel
def test_the_review_workbook_runs_in_a_kernel(kernel, tmp_path, reg):
    nb = build_review(reg, "Ivan Petrov", plan_for(reg))
    nbformat.write(nb, tmp_path / "review.ipynb")
    k = kernel(tmp_path)
    done = k.execute_notebook(nbformat.read(tmp_path / "review.ipynb", 4))
    for cell in done.cells:
        if cell.cell_type == "code":
            assert not any(o.output_type == "error" for o in cell.outputs), cell.source[:80]
            assert any(WIDGET in o.get("data", {}) for o in cell.outputs), cell.source[:80]
