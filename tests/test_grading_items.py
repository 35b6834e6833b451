"""Item facts read back from the assessment notebook's cell metadata."""

from __future__ import annotations

import nbformat
import pytest
from grading_fixtures import ITEMS, make_course, source_notebook

from crmtrain.errors import UserError
from crmtrain.grading.scoring.items import assessment_items, read_items


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
    from crmtrain.grading.scoring.items import cell_problems

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


DRAW = {"item": "pick", "slot": "draw", "topic": "sales", "type": "single", "points": 1, "refs": [],
        "candidates": [{"item": "q-a", "type": "single", "topic": "sales", "refs": ["r1"]},
                       {"item": "q-b", "type": "single", "topic": "sales", "refs": ["r2"]}]}
CASE = {"item": "lead-case", "slot": "case", "case": "lead", "topic": "sales", "type": "case", "points": 2,
        "refs": ["lead-classification"]}


def _slot_notebook(path, *metas):
    import json

    cells = [{"cell_type": "code", "source": "", "outputs": [], "execution_count": None,
              "metadata": {"crmtrain": m, "nbgrader": {"grade": True, "grade_id": m["item"], "points": m["points"],
                                                       "locked": True, "solution": False}}} for m in metas]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_slots_come_back_with_what_each_trainee_was_asked(tmp_path):
    from crmtrain.rules.variants import draw_index

    draw, case = read_items(_slot_notebook(tmp_path / "initial.ipynb", DRAW, CASE))
    assert (draw.slot, [q.id for q in draw.candidates], draw.autograded) == ("draw", ["q-a", "q-b"], True)
    assert (case.slot, case.case, case.type, case.autograded, case.guess) == ("case", "lead", "case", True, None)
    for t in ("anna", "boris", "vera"):
        got = draw.asked("crm", "initial", t)
        assert got == draw.candidates[draw_index(2, "crm", "initial", t, "pick")]
        assert got.refs == {"q-a": ("r1",), "q-b": ("r2",)}[got.id]
        assert case.asked("crm", "initial", t).id == "lead-case"


@pytest.mark.parametrize("change, message", [
    ({"slot": "lottery"}, "slot 'lottery' is not 'case' or 'draw'"),
    ({"candidates": []}, "draw slot 'pick' has no candidates"),
    ({"candidates": [{"item": "q-a", "type": "open", "topic": "sales", "refs": []}]},
     "candidate 'q-a' has type 'open', not an autograded question type"),
    ({"candidates": [{"item": "q-a", "type": "single"}]}, "a candidate lacks one of item, type, topic, refs"),
    ({"candidates": [{"item": "q-a", "type": "single", "topic": "sales", "refs": []}] * 2},
     "draw slot 'pick' lists a candidate more than once"),
    ({"type": "multiple"}, "draw slot 'pick' has type 'multiple'; its candidates make it 'single'"),
])
def test_a_malformed_draw_slot_is_named(tmp_path, change, message):
    with pytest.raises(UserError) as err:
        read_items(_slot_notebook(tmp_path / "initial.ipynb", {**DRAW, **change}))
    assert any(message in line for line in err.value.lines), err.value.lines


@pytest.mark.parametrize("change, message", [
    ({"case": "astrology"}, "case 'astrology' is not one of lead, pipeline, process, callback"),
    ({"type": "single"}, "case slot 'lead-case' has type 'single', not 'case'"),
    ({"guess": 2}, "guess 2 is not a share between 0 and 1"),
])
def test_a_malformed_case_slot_is_named(tmp_path, change, message):
    with pytest.raises(UserError) as err:
        read_items(_slot_notebook(tmp_path / "initial.ipynb", {**CASE, **change}))
    assert any(message in line for line in err.value.lines), err.value.lines


def test_a_question_both_fixed_and_drawn_is_refused(tmp_path):
    from crmtrain.grading.plumbing.config import write_config
    from crmtrain.grading.plumbing.course import Course

    write_config(tmp_path, "crm", tmp_path / "exchange")
    folder = tmp_path / "source" / "initial"
    folder.mkdir(parents=True)
    fixed = {"item": "q-b", "topic": "sales", "refs": [], "type": "single", "points": 1}
    _slot_notebook(folder / "initial.ipynb", fixed, DRAW)
    with pytest.raises(UserError, match="has items more than once: q-b"):
        assessment_items(Course.load(tmp_path), "initial")


def test_a_draw_uses_the_course_id_the_notebook_was_built_with(tmp_path):
    from crmtrain.rules.variants import draw_index

    [draw] = read_items(_slot_notebook(tmp_path / "initial.ipynb", {**DRAW, "course": "built-as"}))
    trainees = [f"t{n}" for n in range(20)]
    assert [draw.asked("other", "initial", t).id for t in trainees] == [
        draw.candidates[draw_index(2, "built-as", "initial", t, "pick")].id for t in trainees]


def test_the_freight_samples_case_slots_carry_their_engines_random_guess_score():
    from pathlib import Path

    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path

    root = Path(__file__).resolve().parents[1] / "examples" / "freight" / "assignments" / "source"
    slots = {i.id: i for i in read_items(root / "initial" / "initial.ipynb") if i.slot == "case"}
    classes = load(sample_path("freight")).client_work.lead_classification.classes
    lead = next(i for i in slots.values() if i.case == "lead")
    assert lead.guess == pytest.approx(1 / len(classes))
    assert all(0 < i.guess < 1 for i in slots.values()), {i.id: i.guess for i in slots.values()}


def test_a_process_case_over_several_processes_tests_each_trainee_on_their_own(tmp_path):
    import json

    from crmtrain.notebooks.sections import drill_of
    from crmtrain.regulation.loader import load
    from crmtrain.rules.cases import trainee_case
    from crmtrain.samples import sample_path

    specs = [drill_of("process", p)[1] for p in load(sample_path("en")).order_processing.processes]
    meta = {"item": "next-step", "slot": "case", "case": "process", "topic": "processes", "type": "case",
            "points": 1, "refs": [], "course": "crm"}
    path = _slot_notebook(tmp_path / "initial.ipynb", meta)
    nb = json.loads(path.read_text())
    spec = {"id": "next-step", "kind": "process", "spec": specs, "start": "2027-02-01"}
    nb["cells"].insert(0, {"cell_type": "code", "outputs": [], "execution_count": None, "source": f"test.case({spec!r})",
                           "metadata": {"crmtrain": meta, "nbgrader": {"grade_id": "next-step-answer", "locked": True}}})
    path.write_text(json.dumps(nb))
    [item] = read_items(path)
    assert item.processes == tuple(p["id"] for p in specs) and len(specs) > 1
    got = {}
    for t in [f"t{n}" for n in range(12)]:
        got_case = item.asked("other", "initial", t)
        [ref] = got_case.refs
        assert got_case.id == f"next-step/{ref}" and got_case in item.questions()  # its statistics are its own
        # the process the trainee's own case asks about, as the kernel and the grader make it
        assert ref == trainee_case("process", specs, "2027-02-01", course="crm", assessment="initial", trainee=t,
                                   slot="next-step")["process"]
        assert item.asked("other", "followup", t).refs == (ref,)  # the follow-up re-tests that same process
        got[t] = ref
    assert len(set(got.values())) > 1
