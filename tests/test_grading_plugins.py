"""The nbgrader plugins named in nbgrader_config.py."""

from __future__ import annotations

import nbformat
from grading_fixtures import source_notebook

from crmtrain.grading.plugins import HideKey


def test_hide_key_blanks_tests_and_their_tracebacks_but_keeps_grades():
    nb = source_notebook()
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "Q001")
    test.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="",
                                           traceback=["check('Q001', 'single', 'opt-kx72')"])]
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "Q001-answer")
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Q001 opt-kx71\n")]
    pp = HideKey()
    assert pp.enabled
    out, _ = pp(nb, {})
    assert test.source == "# Answer check for Q001" and test.outputs == [] and test.metadata.nbgrader.points == 2
    assert answer.outputs and "_crm_saved" in answer.source
    assert not any("BEGIN HIDDEN TESTS" in c.source for c in out.cells)
