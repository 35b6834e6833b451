"""The specialist's dashboard notebook: its structure, its filters, and a real run in a kernel."""

from __future__ import annotations

import ast
import subprocess
import sys

import nbformat
import pytest

from crmtrain.reports import dashboard
from crmtrain.reports.catalog import TABLES
from crmtrain.reports.itemstats import Bounds
from crmtrain.reports.tables import compute_all
from test_reports_tables import make  # the hand-computed example


@pytest.fixture(scope="module")
def tables():
    return compute_all(make())


def test_notebook_structure():
    nb = dashboard.build_dashboard("../assignments", "sample:ru")
    nbformat.validate(nb)
    ids = [c.id for c in nb.cells]
    assert ids == [f"dashboard-{k:03d}" for k in range(len(nb.cells))]
    assert nb.metadata.crmtrain == {"notebook": "dashboard", "audience": "specialist"}
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "data = dash.load('../assignments', 'sample:ru')" in code[0]
    for name in TABLES[1:]:
        assert f"dash.explore(tables, {name!r})" in code
    called = {node.func.attr for src in code for node in ast.walk(ast.parse(src))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "dash"}
    assert called and all(callable(getattr(dashboard, f, None)) for f in called)
    assert dashboard.build_dashboard() == dashboard.build_dashboard()  # deterministic
    demo = dashboard.build_dashboard(demo_trainees=50)
    assert "data = dash.demo(50)" in demo.cells[1].source


def test_building_the_notebook_imports_no_pandas():
    code = ("import sys; from crmtrain.reports.dashboard import build_dashboard; build_dashboard(); "
            "print('pandas' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_filters(tables):
    t = tables["trainees"]
    assert dashboard.filter_frame(t, result="fail")["trainee_id"].tolist() == ["A", "C", "D"]
    assert dashboard.filter_frame(t, result="missing")["trainee_id"].tolist() == ["D", "E"]
    assert dashboard.filter_frame(t, text="АНН")["trainee_id"].tolist() == ["A"]  # case-insensitive Cyrillic
    assert dashboard.filter_frame(t, text="follow")["trainee_id"].tolist() == ["D", "E"]  # the missing column
    assert dashboard.filter_frame(tables["item_analysis"], flagged=True).empty  # 3–4 answers: too few to judge
    ia = compute_all(make(), Bounds(min_responses=3))["item_analysis"]
    assert dashboard.filter_frame(ia, flagged=True)["item"].tolist() == ["I1", "I2", "F1"]
    assert dashboard.filter_frame(ia, choices={"assessment": "followup", "topic": ""})["item"].tolist() == ["F1", "F2"]
    assert dashboard.filter_frame(ia, text="no such thing").empty


def test_widgets_build_without_a_frontend(tables):
    box = dashboard.explore_widget(tables, "item_analysis")
    controls = box.children[0].children
    labels = [c.description for c in controls]
    assert labels == ["Find", "Assessment", "Test area", "Part of the regulation", "Question type", "flagged only", "rows"]
    assert [v for _, v in controls[1].options] == ["", "followup", "initial"]  # filtering on the codes,
    assert [label for label, _ in controls[1].options] == ["all", "Follow-up", "Initial"]  # shown in words
    trainees = dashboard.explore_widget(tables, "trainees").children[0].children
    assert [c.description for c in trainees] == ["Find", "result", "rows"]
    heat = dashboard.heatmap_widget(tables)
    assert [c.description for c in heat.children[0].children] == ["Find", "trainees"]
    heat.children[0].children[0].value = "Анна"  # refreshing must not fail either


@pytest.mark.kernel
def test_dashboard_runs_in_a_kernel(tmp_path, kernel):
    nb = dashboard.build_dashboard(demo_trainees=40)
    k = kernel(tmp_path)
    k.execute_notebook(nb)
    outputs = {c.id: c.outputs for c in nb.cells if c.cell_type == "code"}
    assert all(outputs.values())
    assert "<svg" in outputs["dashboard-003"][0]["data"]["text/html"]
    widget_cells = [o for outs in outputs.values() for o in outs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widget_cells) == 1 + len(TABLES) - 1  # heat map + one per table after the summary, shown once each
    assert (tmp_path / "report" / "report.xlsx").is_file() and (tmp_path / "report" / "report.html").is_file()


def test_a_russian_course_gets_a_russian_dashboard(tables):
    # crmtrain build writes the dashboard in the regulation's language; its first cell speaks it in the kernel.
    nb = dashboard.build_dashboard(".", "regulation.yaml", lang="ru", timezone="Europe/Moscow")
    assert nb.cells[0].source.startswith("# Результаты обучения — панель специалиста")
    assert "dash.speak('ru', 'Europe/Moscow')" in nb.cells[1].source
    assert any(c.source.startswith("## Список на переобучение") for c in nb.cells)
    dashboard.speak("ru", "Europe/Moscow")
    try:
        controls = dashboard.explore_widget(tables, "trainees").children[0].children
        assert [c.description for c in controls] == ["Найти", "итог", "строк"]
        assert [label for label, _ in controls[1].options] == ["любое", "прошёл", "не прошёл", "ждёт проверки", "не сдал"]
    finally:
        dashboard.speak()
