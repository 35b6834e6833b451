"""The diagrams' Mermaid text: everything of the regulation is drawn, in lines short enough
for a notebook column, for processes and pipelines larger than any sample's."""

from __future__ import annotations

import re

import pytest

import big_regulation
from crmtrain.notebooks import diagrams
from crmtrain.regulation.client_work import Pipeline
from crmtrain.regulation.models import Process

# JupyterLab's own test for "load the ELK renderer" (@jupyterlab/mermaid, RE_DEFAULT_RENDERER).
JUPYTERLAB_ELK = re.compile(r"""\bdefaultRenderer["']?\s*:\s*(["']?)(\b[^"'\s]+\b)(\1)""")
NODE = re.compile(r'^    ([ns]\d+)[(\[{]+"(.*?)"[)\]}]+$', re.M)
EDGE = re.compile(r'^    ([ns]\d+|start) -->(?:\|"(.*?)"\|)? ([ns]\d+)$', re.M)


def lines_of(label: str) -> list[str]:
    return [re.sub(r"</?i>", "", line) for line in label.split("<br/>")]


@pytest.fixture(params=["en", "ru"])
def big(request):
    lang = request.param
    return Process.model_validate(big_regulation.process(lang)), Pipeline.model_validate(big_regulation.pipeline(lang))


def test_a_25_step_process_with_5_way_decisions_is_drawn_whole_in_short_lines(big):
    process, _ = big
    source = diagrams.flowchart(process)
    nodes = dict(NODE.findall(source))
    assert len(nodes) == len(process.steps) == 25
    edges = EDGE.findall(source)
    assert len(edges) == sum(len(s.successors()) for s in process.steps)
    assert max(len(s.branches) for s in process.steps) == 5
    for step, label in zip(process.steps, nodes.values()):
        width = diagrams.DECISION_WRAP if step.kind == "decision" else diagrams.WRAP
        assert all(len(line) <= width for line in lines_of(label)), label
        assert " ".join(lines_of(label)).startswith(" ".join(step.label.split()))
    for _source, label, _target in edges:
        assert all(len(line) <= diagrams.EDGE_WRAP for line in lines_of(label)), label
    assert not JUPYTERLAB_ELK.search(source)  # processes keep the default, narrower layout


def test_a_15_status_pipeline_asks_jupyterlab_for_its_elk_layout_and_labels_every_transition(big):
    _, pipeline = big
    fields = {f.id: f.label for f in pipeline.fields}
    source = diagrams.state_diagram(pipeline, fields)
    assert [m.group(2) for m in JUPYTERLAB_ELK.finditer(source)] == ["elk"]
    assert len(NODE.findall(source)) == len(pipeline.statuses) == 15
    edges = EDGE.findall(source)
    assert len(edges) == len(pipeline.transitions) + 1  # and the start arrow
    for (_source, label, _target), t in zip(edges[1:], pipeline.transitions):
        assert " ".join(lines_of(label)) == ", ".join(fields[f] for f in t.requires)
    assert "class s13,s14 final" in source


@pytest.mark.parametrize("text, width, expected", [
    ("Check the client's company details", 22, "Check the client's<br/>company details"),
    ("Проверить реквизиты компании клиента", 16, "Проверить<br/>реквизиты<br/>компании клиента"),
    ("Anti-money-laundering-and-sanctions screening", 16, "Anti-money-laundering-and-sanctions<br/>screening"),
    ('The "Won" status & the act', 40, "The #quot;Won#quot; status &amp; the act"),
    ("  spaces\nand   lines ", 22, "spaces and lines"),
])
def test_labels_wrap_at_words_and_keep_mermaid_syntax_out(text, width, expected):
    assert diagrams.wrap(text, width) == expected
