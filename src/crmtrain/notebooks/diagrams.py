"""Mermaid sources for processes (flowcharts) and deal pipelines, laid out to fit a notebook.

JupyterLab 4 renders ```mermaid blocks in markdown cells offline, and the regulation editor
draws the same sources with JupyterLab's renderer. Node ids are positional (``n0``, ``s0``)
because step ids may hold characters Mermaid reads as syntax; labels are quoted and the text
stays readable as plain source where Mermaid is not rendered.

What keeps a diagram narrow enough for the notebook column (docs/trainee-view.md has the
measurements): labels wrapped into short lines here, not by Mermaid's 200 px rule; 14 px text
and tighter spacing than Mermaid's defaults; processes top-down with Mermaid's default (dagre)
layout; pipelines with ELK, JupyterLab's other bundled layout, which routes many crossing
transitions around each other's labels where dagre draws through them. Whatever is still wider
than the column is shrunk to fit by crmtrain's JupyterLab extension, which then offers the
full-size view.
"""

from __future__ import annotations

import json
import textwrap

from ..regulation.client_work import Pipeline
from ..regulation.models import Process

WRAP = 22  # characters per line in a box
DECISION_WRAP = 16  # a diamond grows with the square of its widest line
EDGE_WRAP = 16  # branch names and required fields on arrows

_SHAPES = {"start": ('(["', '"])'), "end": ('(["', '"])'), "action": ('["', '"]'), "decision": ('{"', '"}')}
_LOOK = {"themeVariables": {"fontSize": "14px"},
         "flowchart": {"curve": "linear", "nodeSpacing": 24, "rankSpacing": 36, "padding": 6, "useMaxWidth": True}}


def _init(layout: str | None = None) -> str:
    config = json.loads(json.dumps(_LOOK))
    if layout:
        # JupyterLab loads its ELK renderer only when it sees "defaultRenderer" in the source.
        config["flowchart"]["defaultRenderer"] = layout
        config["elk"] = {"nodePlacementStrategy": "NETWORK_SIMPLEX"}
    return f"%%{{init: {json.dumps(config, sort_keys=True)}}}%%"


def _label(text: str) -> str:
    # Mermaid has no backslash escapes; it reads HTML entities inside quoted labels.
    return text.replace("&", "&amp;").replace('"', "#quot;").replace("\n", " ")


def wrap(text: str, width: int = WRAP) -> str:
    """``text`` as a Mermaid label of lines at most ``width`` characters (longer words stay whole)."""
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False)
    return "<br/>".join(_label(line) for line in lines)


def fence(source: str) -> str:
    """Wrap Mermaid source in a fenced block for a markdown cell."""
    return f"```mermaid\n{source}\n```"


def flowchart(process: Process) -> str:
    """A top-down flowchart of the process, one node per step, labelled branches."""
    ids = {s.id: f"n{i}" for i, s in enumerate(process.steps)}
    lines = [_init(), "flowchart TD"]
    for s in process.steps:
        left, right = _SHAPES[s.kind]
        width = DECISION_WRAP if s.kind == "decision" else WRAP
        text = wrap(s.label, width) + (f"<br/><i>{wrap(s.role, width)}</i>" if s.role else "")
        lines.append(f"    {ids[s.id]}{left}{text}{right}")
    for s in process.steps:
        for label, target in s.successors():
            arrow = f' -->|"{wrap(label, EDGE_WRAP)}"| ' if label else " --> "
            lines.append(f"    {ids[s.id]}{arrow}{ids[target]}")
    ends = [ids[s.id] for s in process.steps if s.kind in ("start", "end")]
    lines.append("    classDef terminal fill:#e8f1fb,stroke:#2f6fb0")
    lines.append(f"    class {','.join(ends)} terminal")
    return "\n".join(lines)


def state_diagram(pipeline: Pipeline, field_labels: dict[str, str]) -> str:
    """The deal pipeline: statuses as boxes, allowed transitions labelled with required fields."""
    ids = {s.id: f"s{i}" for i, s in enumerate(pipeline.statuses)}
    lines = [_init("elk"), "flowchart TD", "    start@{ shape: sm-circ }"]
    for s in pipeline.statuses:
        lines.append(f'    {ids[s.id]}("{wrap(s.name)}")')
    lines.append(f"    start --> {ids[pipeline.initial]}")
    for t in pipeline.transitions:
        need = ", ".join(field_labels.get(f, f) for f in t.requires)
        arrow = f' -->|"{wrap(need, EDGE_WRAP)}"| ' if need else " --> "
        lines.append(f"    {ids[t.source]}{arrow}{ids[t.to]}")
    final = [ids[s.id] for s in pipeline.statuses if s.terminal]
    lines.append("    classDef final fill:#eef6ee,stroke:#2f6fb0,stroke-width:3px")
    if final:
        lines.append(f"    class {','.join(final)} final")
    return "\n".join(lines)
