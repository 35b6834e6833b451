"""Mermaid sources for processes (flowcharts) and the deal pipeline (a state diagram).

JupyterLab 4 renders ```mermaid blocks in markdown cells offline. Node ids are positional
(``n0``, ``n1``) because step ids may hold characters Mermaid reads as syntax; labels are
quoted and the text stays readable as plain source where Mermaid is not rendered.
"""

from __future__ import annotations

from ..regulation.client_work import Pipeline
from ..regulation.models import Process

_SHAPES = {"start": ('(["', '"])'), "end": ('(["', '"])'), "action": ('["', '"]'), "decision": ('{"', '"}')}


def _label(text: str) -> str:
    # Mermaid has no backslash escapes; it reads HTML entities inside quoted labels.
    return text.replace("&", "&amp;").replace('"', "#quot;").replace("\n", " ")


def fence(source: str) -> str:
    """Wrap Mermaid source in a fenced block for a markdown cell."""
    return f"```mermaid\n{source}\n```"


def flowchart(process: Process) -> str:
    """A top-down flowchart of the process, one node per step, labelled branches."""
    ids = {s.id: f"n{i}" for i, s in enumerate(process.steps)}
    lines = ["flowchart TD"]
    for s in process.steps:
        left, right = _SHAPES[s.kind]
        text = _label(s.label) + (f"<br/><i>{_label(s.role)}</i>" if s.role else "")
        lines.append(f"    {ids[s.id]}{left}{text}{right}")
    for s in process.steps:
        for label, target in s.successors():
            arrow = f' -->|"{_label(label)}"| ' if label else " --> "
            lines.append(f"    {ids[s.id]}{arrow}{ids[target]}")
    ends = [ids[s.id] for s in process.steps if s.kind in ("start", "end")]
    lines.append("    classDef terminal fill:#e8f1fb,stroke:#2f6fb0")
    lines.append(f"    class {','.join(ends)} terminal")
    return "\n".join(lines)


def state_diagram(pipeline: Pipeline, field_labels: dict[str, str]) -> str:
    """The deal pipeline: statuses as states, allowed transitions labelled with required fields."""
    ids = {s.id: f"s{i}" for i, s in enumerate(pipeline.statuses)}
    # Top to bottom: left to right made the sample's ten statuses ~2900 px wide, shown at 28%.
    lines = ["stateDiagram-v2"]
    for s in pipeline.statuses:
        lines.append(f'    state "{_label(s.name)}" as {ids[s.id]}')
    lines.append(f"    [*] --> {ids[pipeline.initial]}")
    for t in pipeline.transitions:
        need = ", ".join(field_labels.get(f, f) for f in t.requires)
        lines.append(f"    {ids[t.source]} --> {ids[t.to]}" + (f" : {_label(need)}" if need else ""))
    for s in pipeline.statuses:
        if s.terminal:
            lines.append(f"    {ids[s.id]} --> [*]")
    return "\n".join(lines)
