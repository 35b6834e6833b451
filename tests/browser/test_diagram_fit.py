"""Flowcharts and pipelines larger than any sample's, in a real JupyterLab, in both languages.

The regulation (tests/big_regulation.py) adds a 25-step complaint process with two 5-way
decisions and three loops back, and a 15-status pipeline with 33 transitions. Every node of
every diagram must lie inside the notebook column, on a laptop's window and on a narrow one;
no text may lie over other text or under an edge that is not its own; a diagram shrunk to fit
offers its full size, which the trainee can zoom and move around in until they have seen all
of it. Geometry comes from the browser itself (diagram_geometry.js).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

import big_regulation
from harness import new_page
from trainee import Trainee

GEOMETRY = (Path(__file__).parent / "diagram_geometry.js").read_text(encoding="utf-8")
WORKBOOKS = ["02-order-processing.ipynb", "03-client-work.ipynb"]


@pytest.fixture(scope="module")
def big_builds(lab_server, tmp_path_factory) -> dict[str, str]:
    """The big regulation built in English and Russian, each in its own folder of the server's root."""
    from crmtrain.commands.build import workbook_files
    from crmtrain.regulation.loader import load

    folders = {}
    for lang in ("en", "ru"):
        reg = load(big_regulation.write(tmp_path_factory.mktemp(f"big-{lang}"), lang))
        folder = lab_server.root / f"big-{lang}"
        folder.mkdir()
        for name, text in workbook_files(reg).items():
            if Path(name).name in WORKBOOKS:
                (folder / Path(name).name).write_text(text, encoding="utf-8")
        folders[lang] = folder.name
    return folders


# The image starts above the notebook's view, yet its button is inside that view. (Scrolls the
# image's middle to the view's middle first, and again if JupyterLab moves the page meanwhile.)
BUTTON_FOLLOWS = """i => { const s = i.closest('.jp-WindowedPanel-outer'), v = s.getBoundingClientRect();
  const r = i.getBoundingClientRect();
  if (r.top > v.top - 50) { s.scrollTop += (r.top + r.height / 2) - (v.top + v.height / 2); return false; }
  const b = i.parentElement.querySelector('.crmtrain-zoom').getBoundingClientRect();
  return b.top >= v.top && b.bottom <= v.bottom; }"""


def rendered_diagrams(person: Trainee, expected: int):
    """Every Mermaid image of the open workbook, once JupyterLab has drawn them all."""
    images = person.panel.locator(".jp-RenderedMermaid img")
    expect(images).to_have_count(expected)
    expect(person.panel.locator(".jp-RenderedMermaid.jp-mod-warning")).to_have_count(0)
    person.page.wait_for_function("() => [...document.querySelectorAll('.jp-RenderedMermaid img')]"
                                  ".every(i => i.complete && i.naturalWidth > 0)")
    return [images.nth(i) for i in range(expected)]


def placed(img) -> dict:
    """The image's diagram geometry, and its box and its column's box on the screen."""
    found = img.evaluate(GEOMETRY)
    found["img"] = img.bounding_box()
    found["column"] = img.evaluate("i => { const r = i.closest('.jp-RenderedMarkdown').getBoundingClientRect();"
                                   " return {x: r.left, width: r.width}; }")
    return found


@pytest.mark.parametrize("width", [1280, 900])
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_every_node_of_every_diagram_is_inside_the_column_and_no_text_is_crossed(
        browser, lab_server, big_builds, lang, workbook, width):
    page = new_page(browser, width=width)
    person = Trainee(page, lab_server, big_builds[lang])
    try:
        person.open(workbook, kernel=False)
        diagrams = sum("```mermaid" in c.source for c in person.notebook.cells if c.cell_type == "markdown")
        words = person.notebook.metadata.crmtrain.ui
        for n, img in enumerate(rendered_diagrams(person, diagrams)):
            img.scroll_into_view_if_needed()
            d = placed(img)
            assert not d["problems"], f"diagram {n}: {d['problems']}"
            scale = d["img"]["width"] / d["width"]
            left, right = d["column"]["x"] - 0.5, d["column"]["x"] + d["column"]["width"] + 0.5
            outside = [node["text"] for node in d["nodes"]
                       if d["img"]["x"] + node["x"] * scale < left or d["img"]["x"] + (node["x"] + node["w"]) * scale > right]
            assert not outside, f"diagram {n} ({d['width']:.0f} px at {scale:.0%}): cut off: {outside}"
            assert d["img"]["x"] + d["img"]["width"] <= min(right, width)
            zoom = img.locator("xpath=..").locator(".crmtrain-zoom")
            if scale < 0.99:  # shrunk to fit: the full size is one visible click away
                expect(zoom).to_be_visible()
                expect(zoom).to_contain_text(words["zoom"])
            else:
                expect(zoom).to_be_hidden()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_shrunk_flowchart_opens_full_size_and_every_part_can_be_reached(browser, lab_server, big_builds, lang):
    page = new_page(browser, width=1024, height=768)
    shots = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser" / f"diagram-zoom-{lang}"
    shots.mkdir(parents=True, exist_ok=True)
    person = Trainee(page, lab_server, big_builds[lang], shots)
    try:
        person.open("02-order-processing.ipynb", kernel=False)
        diagrams = sum("```mermaid" in c.source for c in person.notebook.cells if c.cell_type == "markdown")
        words = person.notebook.metadata.crmtrain.ui
        big = rendered_diagrams(person, diagrams)[-1]  # the 25-step process comes last
        full = placed(big)["width"]
        # Halfway down the tall diagram, its button is still in sight.
        assert big.bounding_box()["width"] < full  # shrunk to the column
        button = big.locator("xpath=..").get_by_role("button", name=words["zoom"])
        page.wait_for_function(BUTTON_FOLLOWS, arg=big.element_handle(), polling=250)
        person.shot("shrunk-to-the-column")
        button.click()
        view = page.get_by_role("dialog")
        expect(view).to_be_visible()
        expect(view).to_contain_text(words["zoomHint"])
        view.get_by_role("button", name=words["close"]).click()
        expect(view).to_have_count(0)
        # A click on the image opens it too, centred where the trainee clicked.
        size = big.bounding_box()
        big.click(position={"x": size["width"] * 0.3, "y": size["height"] * 0.6})
        body, shown = view.locator(".crmtrain-zoom-body"), view.locator("img")
        assert abs(shown.bounding_box()["width"] - full) < 1  # Mermaid's own size: 14 px text
        centre = body.evaluate("b => { const i = b.querySelector('img'); return ["
                               "(b.scrollLeft + b.clientWidth / 2 - i.offsetLeft) / i.clientWidth,"
                               "(b.scrollTop + b.clientHeight / 2 - i.offsetTop) / i.clientHeight]; }")
        assert abs(centre[1] - 0.6) < 0.03, centre  # (across, it may stop at the diagram's edge)
        box = body.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 1024 and box["y"] + box["height"] <= 768
        person.shot("full-size")
        # Every part can be reached: the far corner scrolls into the view.
        body.evaluate("b => { b.scrollLeft = b.scrollWidth; b.scrollTop = b.scrollHeight; }")
        corner, inside = shown.bounding_box(), body.bounding_box()
        assert corner["x"] + corner["width"] <= inside["x"] + inside["width"] + 1
        assert corner["y"] + corner["height"] <= inside["y"] + inside["height"] + 1
        person.shot("far-corner")
        # Dragging moves it back.
        before = body.evaluate("b => [b.scrollLeft, b.scrollTop]")
        page.mouse.move(inside["x"] + 100, inside["y"] + 100)
        page.mouse.down()
        page.mouse.move(inside["x"] + 300, inside["y"] + 400, steps=5)
        page.mouse.up()
        after = body.evaluate("b => [b.scrollLeft, b.scrollTop]")
        assert after[0] < before[0] and after[1] < before[1], (before, after)
        view.get_by_role("button", name=words["zoomIn"]).click()
        assert abs(shown.bounding_box()["width"] - full * 1.25) < 2
        view.get_by_role("button", name=words["zoomOut"]).click()
        view.get_by_role("button", name=words["zoomOut"]).click()
        assert shown.bounding_box()["width"] < full
        page.keyboard.press("Escape")
        expect(view).to_have_count(0)
        expect(button).to_be_focused()
    finally:
        page.context.close()
