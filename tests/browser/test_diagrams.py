"""Flowcharts and the deal pipeline are drawn by JupyterLab's Mermaid renderer, offline.

JupyterLab 4 turns a ```mermaid block of a markdown cell into
``<div class="jp-RenderedMermaid"><figure><img src="data:image/svg+xml,..."><pre><code class="mermaid">``
(the source stays in a hidden <pre> for copy and screen readers); a source Mermaid cannot
parse gives ``.jp-RenderedMermaid.jp-mod-warning``: a <details> with the source and Mermaid's
parse error, and no image. Markdown renders without a kernel; the Mermaid library ships in
JupyterLab's own static files, so this works offline.
"""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from trainee import words

FENCE = re.compile(r"```mermaid\n(.*?)```", re.S)
# Node and state labels in the builder's output: n3["text<br/><i>role</i>"], state "text" as s1.
LABEL = re.compile(r'^\s*(?:[ns]\d+[(\[{]+"|state ")(.*?)"', re.M)


def labels(source: str) -> list[str]:
    """Every node/state label of a diagram as the reader sees it (role lines split off)."""
    found = []
    for raw in LABEL.findall(source):
        raw = raw.replace("#quot;", '"')
        found += [words(html.unescape(re.sub(r"<[^>]+>", " ", part))) for part in raw.split("<br/>")]
    return [f for f in found if f]


def svg_text(src: str) -> str:
    """The visible text of an SVG data URL."""
    assert src.startswith("data:image/svg+xml,"), src[:80]
    svg = urllib.parse.unquote(src.split(",", 1)[1])
    return words(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", svg, flags=re.S))))


def diagram_cells(trainee):
    """(cell locator, Mermaid source) for every markdown cell with a diagram."""
    cells = trainee.panel.locator(".jp-Notebook .jp-Cell")
    expect(cells).to_have_count(len(trainee.notebook.cells))  # windowingMode defer: all laid out, soon
    found = [(cells.nth(i), m.group(1)) for i, c in enumerate(trainee.notebook.cells)
             if c.cell_type == "markdown" for m in [FENCE.search(c.source)] if m]
    assert found, "no diagram in the workbook"
    return found


@pytest.mark.parametrize("workbook", ["02-order-processing.ipynb", "03-client-work.ipynb"])
def test_every_diagram_is_drawn_as_a_readable_svg_image(trainee, workbook):
    trainee.open(workbook, kernel=False)  # markdown renders without one
    scales = []
    for n, (cell, source) in enumerate(diagram_cells(trainee)):
        rendered, img = cell.locator(".jp-RenderedMermaid"), cell.locator(".jp-RenderedMermaid img")
        # Rendering is asynchronous; it ends in an image or in a warning with Mermaid's error.
        expect(img.or_(cell.locator(".jp-mod-warning"))).to_have_count(1)
        assert "jp-mod-warning" not in rendered.get_attribute("class"), rendered.inner_text()
        expect(rendered.locator("pre")).to_be_hidden()  # the source is not shown as text
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "the SVG image did not load"
        text = svg_text(img.get_attribute("src"))
        assert "Syntax error" not in text, text[:300]
        missing = [label for label in labels(source) if label not in text]
        assert not missing, f"diagram {n}: labels not drawn: {missing}"
        # Mermaid sets the drawing's own width; a wide one is shrunk to the cell, text and all.
        scales.append(img.bounding_box()["width"] / float(img.get_attribute("width")))
        if n == 0:
            rendered.scroll_into_view_if_needed()
            trainee.shot("first-diagram")
    small = {n: f"{scale:.0%}" for n, scale in enumerate(scales) if scale < 0.5}
    assert not small, f"diagrams shown below half size, text unreadable: {small}"
