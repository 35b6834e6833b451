"""Item facts read back from the assessment notebook's cell metadata."""

from __future__ import annotations

import nbformat
import pytest
from grading_fixtures import ITEMS, make_course, source_notebook

from crmtrain.errors import UserError
from crmtrain.grading.items import assessment_items, read_items


def test_items_come_back_with_points_topic_refs_type(tmp_path):
    course = make_course(tmp_path / "c", tmp_path / "ex")
    items = assessment_items(course, "initial")
    assert [i.id for i in items] == [i.id for i in ITEMS]
    q1, q6 = items[0], items[-1]
    assert (q1.topic, q1.refs, q1.type, q1.points, q1.grade_ids, q1.autograded) == (
        "technical", ("access",), "single", 2.0, ("Q001",), True)
    assert (q6.type, q6.autograded, q6.grade_ids, q6.notebook) == ("open", False, ("Q006",), "initial")


def test_inconsistent_metadata_is_reported_all_at_once(tmp_path):
    nb = source_notebook()
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("points")]
    graded[0].metadata.nbgrader.points = 5  # Q001 says 2 points
    del graded[1].metadata["crmtrain"]  # Q002's test cell lost its item
    answer_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-answer")]
    answer_cells[2].metadata.crmtrain = {**answer_cells[2].metadata.crmtrain, "topic": "technical"}  # Q003
    path = tmp_path / "initial.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(UserError) as err:
        read_items(path, label="initial.ipynb")
    lines = err.value.lines
    assert any("graded cell 'Q002' has no crmtrain item metadata" in ln for ln in lines)
    assert any("item Q003 metadata differs from its first cell" in ln for ln in lines)
    assert "initial.ipynb: item Q001 is worth 2 points but its graded cells carry 5" in lines
    assert "initial.ipynb: item Q002 has no graded cell (test or task cell)" in lines


def test_every_code_cell_must_be_a_locked_nbgrader_cell(tmp_path):
    from crmtrain.grading.items import cell_problems

    nb = source_notebook()
    path = tmp_path / "initial.ipynb"
    nbformat.write(nb, path)
    assert cell_problems(path) == []
    nb.cells.append(nbformat.v4.new_code_cell("x = 1"))
    nb.cells[1].metadata.nbgrader.locked = False
    nbformat.write(nb, path)
    assert cell_problems(path, label="nb") == [
        "nb: cell 2: code cell 'setup' must be locked (trainees never type code)",
        f"nb: cell {len(nb.cells)}: code cell without an nbgrader grade_id (it would be dropped when grading)",
    ]
