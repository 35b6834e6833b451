"""The processes crmtrain exports as BPMN open in bpmn.io's own viewer (bpmn-js, from the npm registry).

bpmn-js is what bpmn.io and Camunda Modeler draw with: the exported file is imported by it in
headless Chromium, with no warning, every step and flow drawn where the file's diagram puts it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from crmtrain.interchange.bpmn_write import export_bpmn
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path

VIEWER = Path(__file__).parent / "bpmn-js"
SCRIPT = VIEWER / "node_modules" / "bpmn-js" / "dist" / "bpmn-navigated-viewer.production.min.js"


@pytest.fixture(scope="module")
def viewer_script() -> Path:
    if not SCRIPT.exists():  # npm ci from the lock file: the registry is reachable wherever the tests run
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=VIEWER, check=True)
    return SCRIPT


@pytest.mark.parametrize("sample", ["en", "ru", "freight"])
def test_bpmn_io_opens_the_exported_processes(browser, viewer_script, sample):
    processes = load(sample_path(sample)).order_processing.processes
    xml = export_bpmn(processes).text
    page = browser.new_page()
    try:
        page.set_content('<div id="canvas" style="width: 1600px; height: 1000px"></div>')
        page.add_script_tag(path=str(viewer_script))
        got = page.evaluate("""async xml => {
            const viewer = new BpmnJS({container: '#canvas'});
            const {warnings} = await viewer.importXML(xml);
            const all = viewer.get('elementRegistry').getAll();
            return {warnings: warnings.map(w => w.message),
                    tasks: all.filter(e => e.type === 'bpmn:Task').length,
                    gateways: all.filter(e => e.type === 'bpmn:ExclusiveGateway').length,
                    flows: all.filter(e => e.type === 'bpmn:SequenceFlow').length,
                    lanes: all.filter(e => e.type === 'bpmn:Lane').map(e => e.businessObject.name),
                    svg: document.querySelectorAll('#canvas .djs-element').length};
        }""", xml)
    finally:
        page.close()
    assert got["warnings"] == []
    steps = [s for p in processes for s in p.steps]
    assert got["tasks"] == sum(s.kind == "action" for s in steps)
    assert got["gateways"] == sum(s.kind == "decision" for s in steps)
    assert got["flows"] == sum(1 if s.next else len(s.branches) for s in steps)
    assert set(got["lanes"]) == {s.role for s in steps}
    assert got["svg"] > len(steps)  # drawn, not only read
