"""A trainee answers an assessment by clicking; nothing they answered is ever lost."""

from __future__ import annotations

import json

import nbformat
import pytest

from crmtrain.notebooks.assessments import build_assessment
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path

pytestmark = pytest.mark.kernel


def trainee_notebook(lang: str = "en") -> tuple[nbformat.NotebookNode, list]:
    """The assessment as a trainee runs it: graded cells left out (they need the key)."""
    reg = load(sample_path(lang))
    nb = build_assessment(reg, "initial", "crm-training")
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    from crmtrain.regulation.selection import select

    return nb, list(select(reg).questions["initial"])


def answers(folder) -> dict:
    return json.loads((folder / "answers.json").read_text(encoding="utf-8"))["answers"]


def give(k, q) -> object:
    """Answer question ``q`` by driving its widgets the way clicks do; return what must be saved."""
    ref = f"test.items[{q.id!r}].input"
    t = q.type.value
    if t == "single":
        value = q.options[-1].id
        k.run(f"{ref}.radio.value = {value!r}")
    elif t == "true_false":
        value = False
        k.run(f"{ref}.radio.value = False")
    elif t == "multiple":
        value = [o.id for o in q.options[:2]]
        k.run("".join(f"{ref}.boxes[{o!r}].value = True\n" for o in value))
        value = [oid for oid, _ in k.eval(f"{ref}.options") if oid in value]
    elif t == "numeric":
        value = 2.5
        k.run(f"{ref}.text.value = '2,5'")
    elif t == "ordering":
        k.run(f"{ref}.move(0, 1)")
        value = k.eval(f"{ref}.order")
    else:
        value = "Проверю реквизиты и согласую с бухгалтерией."
        k.run(f"{ref}.area.value = {value!r}")
    return value


def test_every_answer_is_saved_at_once_and_restored_after_a_restart(kernel, tmp_path):
    nb, questions = trainee_notebook()
    k = kernel(tmp_path)
    k.execute_notebook(nb)
    expected = {}
    for q in questions:
        expected[q.id] = give(k, q)
        # Saved the moment it is given, without pressing anything else.
        assert answers(tmp_path)[q.id] == expected[q.id], q.id
    assert set(expected) == {q.id for q in questions}
    types = {q.type.value for q in questions}
    assert {"single", "multiple", "true_false", "numeric", "open"} <= types

    k.shutdown()
    again = kernel(tmp_path)
    again.execute_notebook(trainee_notebook()[0])
    for q in questions:
        shown = again.eval(f"test.items[{q.id!r}].stored()")
        assert shown == expected[q.id], q.id
    assert f"answers to {len(questions)} questions were restored" in again.eval("test.notice.value")


def test_a_crash_in_the_middle_of_a_save_loses_nothing_already_saved(kernel, tmp_path):
    nb, questions = trainee_notebook()
    single = next(q for q in questions if q.type.value == "single")
    other = next(q for q in questions if q.type.value == "true_false")
    k = kernel(tmp_path)
    k.execute_notebook(nb)
    first = give(k, single)
    # The next save dies after writing its temp file, before the rename: the kernel is killed.
    k.kc.execute("import os\nos.replace = lambda *a, **kw: os._exit(1)\n"
                 f"test.items[{other.id!r}].input.radio.value = False")
    k.wait_dead()
    assert answers(tmp_path) == {single.id: first}
    leftovers = list(tmp_path.glob(".answers.json.*.tmp"))
    assert leftovers, "the crash happened mid-save"

    again = kernel(tmp_path)
    again.execute_notebook(trainee_notebook()[0])
    assert again.eval(f"test.items[{single.id!r}].stored()") == first
    assert again.eval(f"test.items[{other.id!r}].stored()") is None


def test_options_are_shuffled_per_trainee_but_saved_by_id(kernel, tmp_path, monkeypatch):
    nb, questions = trainee_notebook()
    q = next(q for q in questions if q.type.value == "single" and len(q.options) >= 4)
    orders = {}
    for trainee in ("ivanova", "petrov", "sidorov", "kuznetsova"):
        folder = tmp_path / trainee
        folder.mkdir()
        monkeypatch.setenv("CRMTRAIN_TRAINEE", trainee)
        k = kernel(folder)
        k.execute_notebook(trainee_notebook()[0])
        orders[trainee] = tuple(k.eval(f"[o for o, _ in test.items[{q.id!r}].input.options]"))
        k.run(f"test.items[{q.id!r}].input.radio.index = 0")  # the first option on screen
        assert answers(folder)[q.id] == orders[trainee][0]
        k.shutdown()
    assert len(set(orders.values())) > 1


def test_the_trainee_notebook_holds_no_key():
    from crmtrain.grading.scoring.items import item_spec

    reg = load(sample_path("en"))
    nb = build_assessment(reg, "initial", "crm-training")
    from crmtrain.regulation.selection import select

    slots = 0
    for cell in nb.cells:
        md = cell.metadata.get("nbgrader", {})
        if md.get("grade"):
            # The key lives only between the hidden-test markers, which nbgrader strips.
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            assert "check" not in visible
        elif cell.cell_type == "code" and cell.metadata.get("crmtrain", {}).get("slot"):
            # A slot's cell passes the regulation's own text (which may say "answer"): no key in its data.
            slots += 1
            spec = item_spec(cell.source)
            assert spec is not None and not keys_in(spec) & {"answer", "key", "tolerance"}, md.get("grade_id")
        elif cell.cell_type == "code":
            assert "check(" not in cell.source and "answer" not in cell.source.replace("Assessment", "")
    sel = select(reg)
    assert slots == len(sel.slots["initial"]) > 0
    assert len([c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]) == \
        len([q for q in sel.questions["initial"] if q.type.value != "open"]) + len(sel.slots["initial"])


def keys_in(value) -> set[str]:
    """Every dict key anywhere inside ``value``."""
    if isinstance(value, dict):
        return set(value).union(*(keys_in(v) for v in value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*(keys_in(v) for v in value))
    return set()
