"""Flowcharts and the deal pipeline as Graphviz ``dot`` sources, drawn to inline SVG.

Why Graphviz: ``dot`` is a real layered (Sugiyama) layout with edge routing and label
placement, so loops back to an earlier step and decisions with several branches stay
readable; it runs offline from Debian's ``graphviz`` package, and the same source and version
give the same SVG. (The workbooks keep Mermaid, which JupyterLab draws itself; nbconvert and
print would fetch Mermaid from a CDN.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap

from ..errors import UserError
from ..regulation.client_work import Pipeline
from ..regulation.models import Process

FONT = "DejaVu Sans"  # has Cyrillic; installed with graphviz's own font dependencies
WRAP = 26  # characters per line inside a node

_SHAPES = {
    "start": 'shape=box, style="rounded,filled", fillcolor="#e8f1fb", color="#2f6fb0"',
    "end": 'shape=box, style="rounded,filled", fillcolor="#e8f1fb", color="#2f6fb0"',
    "action": 'shape=box, style="filled", fillcolor="#ffffff", color="#444444"',
    "decision": 'shape=diamond, style="filled", fillcolor="#fff6dd", color="#b08a2f", margin="0.02,0.02"',
}


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _lines(text: str, width: int = WRAP) -> str:
    """Text wrapped into an HTML-like label, one <br/> per line."""
    wrapped = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=False) or [""]
    return "<br/>".join(_html(line) for line in wrapped)


def _head(name: str, rankdir: str = "TB") -> list[str]:
    return [f'digraph "{name}" {{',
            f'  graph [rankdir={rankdir}, nodesep=0.35, ranksep=0.4, fontname="{FONT}", bgcolor="transparent"];',
            f'  node [fontname="{FONT}", fontsize=11, penwidth=1.2];',
            f'  edge [fontname="{FONT}", fontsize=10, color="#555555", arrowsize=0.8];']


def process_dot(process: Process) -> str:
    """A top-down flowchart of a process: one node per step, decisions as diamonds, labelled branches."""
    ids = {s.id: f"n{i}" for i, s in enumerate(process.steps)}
    lines = _head(process.id)
    for s in process.steps:
        width = 18 if s.kind == "decision" else WRAP
        label = _lines(s.label, width)
        if s.role:
            label += f'<br/><font point-size="9" color="#555555"><i>{_lines(s.role, width + 6)}</i></font>'
        lines.append(f"  {ids[s.id]} [{_SHAPES[s.kind]}, label=<{label}>];")
    for s in process.steps:
        for branch, target in s.successors():
            attrs = f' [label=<{_lines(branch, 18)}>, fontcolor="#7a5a00"]' if branch else ""
            lines.append(f"  {ids[s.id]} -> {ids[target]}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def pipeline_dot(pipeline: Pipeline) -> str:
    """The deal pipeline: statuses, allowed transitions labelled with the fields required first."""
    ids = {s.id: f"s{i}" for i, s in enumerate(pipeline.statuses)}
    fields = {f.id: f.label for f in pipeline.fields}
    lines = _head(pipeline.id)
    lines.append('  start [shape=circle, width=0.18, style=filled, fillcolor="#2f6fb0", color="#2f6fb0", label=""];')
    for s in pipeline.statuses:
        extra = ', peripheries=2, fillcolor="#eef6ee"' if s.terminal else ', fillcolor="#ffffff"'
        lines.append(f'  {ids[s.id]} [shape=box, style="rounded,filled", color="#2f6fb0"{extra}, label=<{_lines(s.name)}>];')
    lines.append(f"  start -> {ids[pipeline.initial]};")
    for t in pipeline.transitions:
        need = ", ".join(fields.get(f, f) for f in t.requires)
        attrs = f' [label=<{_lines(need, 22)}>, fontcolor="#1d4e80"]' if need else ""
        lines.append(f"  {ids[t.source]} -> {ids[t.to]}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_binary() -> str:
    """The ``dot`` program (``CRMTRAIN_DOT`` overrides); a clear error when Graphviz is missing."""
    found = os.environ.get("CRMTRAIN_DOT") or shutil.which("dot")
    if not found or not os.access(found, os.X_OK):
        raise UserError("Graphviz 'dot' is needed to draw the flowcharts but was not found; install Graphviz "
                        "(Debian/Ubuntu: apt-get install graphviz) or set CRMTRAIN_DOT to the dot program")
    return found


def draw_svg(source: str) -> str:
    """Render dot source to an ``<svg>`` element for inlining (no XML prolog, no comments)."""
    try:
        done = subprocess.run([dot_binary(), "-Tsvg"], input=source, capture_output=True, text=True,
                              encoding="utf-8", timeout=120, check=False)
    except OSError as exc:
        raise UserError(f"cannot run Graphviz dot: {exc.strerror}") from None
    if done.returncode != 0:
        raise UserError(f"Graphviz dot failed: {done.stderr.strip()[:500]}")
    svg = done.stdout[done.stdout.index("<svg"):]
    # Comments carry the Graphviz version and node ids; the picture does not need them.
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    return svg.strip()
