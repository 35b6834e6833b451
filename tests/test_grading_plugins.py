"""The nbgrader plugins named in nbgrader_config.py."""

from __future__ import annotations

import nbformat
from grading_fixtures import source_notebook

from crmtrain.grading.plugins import DropAddedCode, HideKey


def test_drop_added_code_keeps_only_the_assessments_own_code_cells():
    nb = source_notebook()
    own = len(nb.cells)
    nb.cells.insert(2, nbformat.v4.new_code_cell("import crmtrain.runtime.check as m"))
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("my notes"))
    stripped = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {}})  # a de-duplicated copy
    nb.cells.append(stripped)
    pp = DropAddedCode()
    assert pp.enabled  # nbgrader registers sanitize preprocessors without enabling them
    out, _ = pp(nb, {})
    assert len(out.cells) == own + 1  # the markdown note stays: it never runs
    assert not any("import crmtrain.runtime.check as m" in c.source for c in out.cells)


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
