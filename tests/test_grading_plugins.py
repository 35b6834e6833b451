"""The nbgrader plugins named in nbgrader_config.py."""

from __future__ import annotations

import nbformat
import pytest
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


@pytest.mark.parametrize("saved, shown", [
    ({"q1": "b"}, "q1: Second option"),
    ({"q1": ["a", "b"]}, "q1: First; Second option"),
    ({"q1": "Typed in my own words"}, "q1: Typed in my own words"),
    ({"q1": 12.5}, "q1: 12.5"),
    ({}, "q1: (no answer)"),
])
def test_the_graded_notebook_shows_each_saved_answer_in_words(saved, shown):
    from crmtrain.grading.plugins import answer_shown

    source = "test.item({'id': 'q1', 'type': 'single', 'options': [{'id': 'a', 'text': 'First'}, {'id': 'b', 'text': 'Second option'}]})"
    assert answer_shown(source, saved) == [{"output_type": "display_data", "metadata": {},
                                            "data": {"text/plain": shown}}]
    assert answer_shown("print('not an item')", saved) == []
