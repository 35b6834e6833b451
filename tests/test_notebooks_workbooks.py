"""The specialist builds workbooks; trainees open them in JupyterLab and everything just runs."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from crmtrain.cli import main
from crmtrain.files import write_files
from crmtrain.notebooks.cells import render
from crmtrain.notebooks.workbooks import NOTEBOOKS, build_workbooks
from crmtrain.regulation.loader import load
from crmtrain.samples import SAMPLES, sample_path

WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module", params=list(SAMPLES))
def built(request):
    reg = load(sample_path(request.param))
    return request.param, reg, build_workbooks(reg)


def test_one_notebook_per_part_with_a_kernelspec(built):
    lang, reg, notebooks = built
    assert list(notebooks) == [f"{n}.ipynb" for n in NOTEBOOKS]
    for name, nb in notebooks.items():
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3", name
        ids = [c.id for c in nb.cells]
        assert len(set(ids)) == len(ids)
        for cell in nb.cells:
            if cell.cell_type == "code":
                # One call into the runtime per cell, its code folded away from the trainee.
                assert cell.metadata.jupyter.source_hidden is True
                assert re.match(r"^(from crmtrain\.runtime import Workbook\nwb = Workbook\(|wb\.(quiz|drill|score)\()", cell.source)


def test_two_builds_are_byte_identical(built):
    lang, reg, first = built
    second = build_workbooks(load(sample_path(lang)))
    assert {k: render(v) for k, v in first.items()} == {k: render(v) for k, v in second.items()}


def test_flowcharts_pipeline_and_decision_table_are_drawn(built):
    lang, reg, notebooks = built
    text = "\n".join(c.source for c in notebooks["02-order-processing.ipynb"].cells if c.cell_type == "markdown")
    assert text.count("```mermaid\n%%{init:") == text.count("\nflowchart TD\n") == len(reg.order_processing.processes)
    unwrapped = " ".join(text.replace("<br/>", " ").split())
    for proc in reg.order_processing.processes:
        for step in proc.steps:  # readable even where Mermaid is not rendered
            assert " ".join(step.label.replace('"', "#quot;").split()) in unwrapped
    client = "\n".join(c.source for c in notebooks["03-client-work.ipynb"].cells if c.cell_type == "markdown")
    assert client.count('"defaultRenderer": "elk"') == len(reg.client_work.deal_pipelines)
    # The decision table numbers its rules (ids are internal) and shows each rule's note.
    for n, rule in enumerate(reg.client_work.lead_classification.rules, 1):
        assert f"| {n} |" in client and f"| {rule.id} |" not in client
        assert " ".join(rule.note.split()) in client
    drills = [c.metadata.get("crmtrain", {}).get("drill") for nb in notebooks.values() for c in nb.cells]
    assert {"lead", "pipeline", "process", "callback"} <= set(drills)


def test_the_key_is_not_readable_at_a_glance(built):
    from crmtrain.runtime.keys import verify

    lang, reg, notebooks = built
    for nb in notebooks.values():
        for cell in nb.cells:
            item = cell.metadata.get("crmtrain", {}).get("item")
            if not item:
                continue
            q = reg.question(item)
            spec = ast.literal_eval(ast.parse(cell.source).body[0].value.args[0])
            assert "answer" not in spec
            # No value in the key is an option id or the answer in clear (every option is
            # listed for multiple choice, each with a hash, so keys say nothing)...
            values = set(_leaves(spec["key"]))
            assert not values & {o.id for o in q.options}
            assert q.answer not in values or isinstance(q.answer, bool) and q.answer in (0, 1)
            if q.type.value == "numeric":
                assert set(spec["key"]) == {"v", "type", "salt", "code"}
            # ...yet the runtime grades with it.
            answer = list(q.answer) if isinstance(q.answer, tuple) else q.answer
            assert verify(spec["key"], q.id, q.type.value, answer).correct


def _leaves(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("v", "type"):
                yield from _leaves(v)
    elif isinstance(node, list):
        for v in node:
            yield from _leaves(v)
    else:
        yield node


def test_questions_are_placed_with_their_section_and_none_from_assessments(built):
    lang, reg, notebooks = built
    from crmtrain.regulation.selection import select

    assessed = {q.id for qs in select(reg).questions.values() for q in qs}
    asked = [c.metadata.crmtrain["item"] for nb in notebooks.values() for c in nb.cells if "item" in c.metadata.get("crmtrain", {})]
    assert asked and not assessed & set(asked)
    practice = [c.metadata.crmtrain["item"] for c in notebooks["04-practice-test.ipynb"].cells if "item" in c.metadata.get("crmtrain", {})]
    assert {reg.question(q).topic.value for q in practice} == {"technical", "processes", "sales"}


def test_build_command_writes_and_reports(tmp_path, capsys):
    # The Russian regulation's build speaks Russian, whatever the locale.
    assert main(["build", "sample:ru", "--out", str(tmp_path)]) == 0
    assert "5 тетрадей для обучаемых" in capsys.readouterr().out
    assert main(["build", "sample:ru", "--out", str(tmp_path)]) == 0
    assert "(изменено: 0)" in capsys.readouterr().out
    # The trainees' folder holds only their workbooks; the dashboard is in the course folder.
    assert sorted(p.name for p in (tmp_path / "workbooks").iterdir()) == [f"{n}.ipynb" for n in NOTEBOOKS]
    assert (tmp_path / "assignments" / "dashboard.ipynb").is_file()
    intro = nbformat.read(tmp_path / "workbooks" / "00-introduction.ipynb", 4)
    assert intro.cells[1].source.startswith("## Как работать с тетрадями")


@pytest.mark.kernel
@pytest.mark.parametrize("lang", list(SAMPLES))
def test_every_workbook_executes_headless(kernel, tmp_path, lang):
    notebooks = build_workbooks(load(sample_path(lang)))
    write_files(tmp_path, {name: render(nb) for name, nb in notebooks.items()})
    k = kernel(tmp_path)
    for name in notebooks:
        nb = k.execute_notebook(nbformat.read(tmp_path / name, 4))
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not any(o.output_type == "error" for o in cell.outputs), (name, cell.source[:80])
                assert any(WIDGET in o.get("data", {}) for o in cell.outputs), (name, cell.source[:80])
    assert k.eval("sorted(m for m in ('pandas', 'nbgrader', 'pydantic') if m in __import__('sys').modules)") == []
