"""The nbgrader plugins named in nbgrader_config.py."""

from __future__ import annotations

import nbformat
from grading_fixtures import cell, source_notebook

from crmtrain.grading.plugins import HideKey


def test_hide_key_blanks_tests_and_their_tracebacks_but_keeps_grades():
    nb = source_notebook()
    test = cell(nb, "Q001")
    comment = test.source.split("### BEGIN HIDDEN TESTS")[0].strip()  # what the builder writes above the key
    test.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="",
                                           traceback=["check('Q001', 'single', 'opt-kx72')"])]
    answer = cell(nb, "Q001-answer")
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Q001 opt-kx71\n")]
    pp = HideKey()
    assert pp.enabled
    out, _ = pp(nb, {})
    assert comment and test.source == comment and test.outputs == [] and test.metadata.nbgrader.points == 2
    assert answer.outputs and "test.item(" in answer.source
    assert not any("BEGIN HIDDEN TESTS" in c.source for c in out.cells)
