"""A slot gives each trainee a question of their own, drawn from several, worth the same points."""

from __future__ import annotations

import json

import pytest

from crmtrain.i18n import translation
from crmtrain.kinds.questions import QUESTION_KINDS
from crmtrain.notebooks.assessments import assessment_notebook
from crmtrain.regulation.loader import load
from crmtrain.regulation.selection import SlotPlan
from crmtrain.rules import variants
from crmtrain.samples import sample_path

pytestmark = pytest.mark.kernel

COURSE = "crm-training"


def draw_notebook(lang: str = "en", ids=("in-tech-01", "in-tech-02", "in-tech-05")):
    """An assessment with one drawn slot of sample questions, as a trainee runs it (no grade cells)."""
    reg = load(sample_path(lang))
    qs = tuple(reg.question(q) for q in ids)
    plan = SlotPlan("tech-basics", qs[0].points, qs[0].topic.value, questions=qs)
    nb = assessment_notebook(reg, "initial", "Test", "", (), 80, slots=(plan,), course=COURSE)
    grade_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    nb.cells = [c for c in nb.cells if c not in grade_cells]
    return nb, qs, grade_cells


def trainees_with_different_draws(n: int = 3) -> dict[int, str]:
    """One trainee per candidate index, found by the seed itself (no trainee is special)."""
    found: dict[int, str] = {}
    i = 0
    while len(found) < n:
        name = f"trainee-{i:03d}"
        found.setdefault(variants.draw_index(n, COURSE, "initial", name, "tech-basics"), name)
        i += 1
    return found


def run_as(kernel, folder, trainee, nb):
    k = kernel(folder)
    k.run(f"import os; os.environ['CRMTRAIN_TRAINEE'] = {trainee!r}")
    return k, k.execute_notebook(nb)


def shown_markdown(nb) -> str:
    return "".join(o["data"].get("text/markdown", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", ()) if "data" in o)


def test_each_trainee_sees_their_own_question_and_the_same_points(kernel, tmp_path):
    nb, qs, grade_cells = draw_notebook()
    assert [c.metadata.nbgrader.points for c in grade_cells] == [1]
    header = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "tech-basics-question")
    assert header == "### Question 1 of 1 · 1 point"  # no question text: the runtime shows the trainee's own
    for index, trainee in trainees_with_different_draws().items():
        folder = tmp_path / trainee
        folder.mkdir()
        k, done = run_as(kernel, folder, trainee, nb)
        text = shown_markdown(done)
        assert qs[index].text.strip()[:40] in text
        assert all(q.text.strip()[:40] not in text for j, q in enumerate(qs) if j != index)
        k.shutdown()


def test_the_drawn_answer_is_saved_under_the_slot_and_restored_after_a_restart(kernel, tmp_path):
    nb, qs, _ = draw_notebook()
    index, trainee = next(iter(trainees_with_different_draws().items()))
    q = qs[index]
    k, _done = run_as(kernel, tmp_path, trainee, nb)
    ref = "test.items['tech-basics'].input"
    value = q.options[-1].id if q.type.value == "single" else False
    k.run(f"{ref}.radio.value = {value!r}")
    saved = json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"tech-basics": value}
    assert saved["shown"] == {"tech-basics": {"question": q.id}}
    k.shutdown()
    again, _done = run_as(kernel, tmp_path, trainee, nb)
    assert again.eval("test.items['tech-basics'].stored()") == value
    assert "answer to 1 question was restored" in again.eval("test.notice.value")


def test_the_russian_draw_shows_the_question_and_its_hint_in_russian(kernel, tmp_path):
    nb, qs, _ = draw_notebook("ru", ("in-proc-05", "fu-proc-03"))  # two multiple-choice questions, 2 points each
    index, trainee = next(iter(trainees_with_different_draws(2).items()))
    _k, done = run_as(kernel, tmp_path, trainee, nb)
    text = shown_markdown(done)
    assert qs[index].text.strip()[:30] in text
    hint = QUESTION_KINDS[qs[index].type.value].hint
    assert hint and translation("ru").gettext(hint) in text and translation("ru").gettext(hint) != hint
