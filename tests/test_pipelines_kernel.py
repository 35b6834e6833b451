"""A company with two deal pipelines: trainees drill each one, and an assessment asks each trainee
about a move in the pipeline its slot names (or their own drawn one), graded by that pipeline's rules.
Real kernels run the notebooks the builders write for the freight sample (sales and tenders).
"""

from __future__ import annotations

import pytest

from crmtrain.notebooks.assessments import build_assessment
from crmtrain.notebooks.workbooks import build_workbooks
from crmtrain.regulation.loader import load
from crmtrain.rules import cases, variants
from crmtrain.samples import sample_path

pytestmark = pytest.mark.kernel

COURSE = "crm-training"


@pytest.fixture(scope="module")
def reg():
    return load(sample_path("freight"))


def give(k, view: str, answer: list) -> None:
    """Answer a pipeline case the way clicks do: the verdict, then the fields."""
    k.run(f"{view}.allowed.value = {answer[0] == 'allowed'}")
    for field in answer[1:]:
        k.run(f"{view}.fields[{field!r}].value = True")


def test_the_workbook_drills_each_pipeline_on_its_own_statuses(kernel, tmp_path, reg):
    nb = build_workbooks(reg)["03-client-work.ipynb"]
    titles = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## The ")]
    assert any("Freight sales pipeline" in t for t in titles) and any("Tenders pipeline" in t for t in titles)
    # One diagram per pipeline (pipelines are laid out by ELK; processes by Mermaid's default).
    assert sum('"defaultRenderer": "elk"' in c.source for c in nb.cells) == 2
    k = kernel(tmp_path)
    k.execute_notebook(nb)
    drills = k.eval("[(i, d.spec['id']) for i, d in enumerate(wb.drills) if d.kind == 'pipeline']")
    assert [pid for _, pid in drills] == ["freight-sales", "tenders"]
    index = drills[1][0]
    tender_statuses = {s.id for s in reg.client_work.pipelines[1].statuses}
    for _ in range(5):  # several fresh cases, each on the tenders pipeline, graded by its transitions
        case = k.eval(f"wb.drills[{index}].case")
        assert case["pipeline"] == "tenders" and {case["from"], case["to"]} <= tender_statuses
        key = k.eval(f"wb.drills[{index}].key()")
        give(k, f"wb.drills[{index}]", key)
        k.run(f"wb.drills[{index}].check_button.click()")
        assert "Correct!" in k.eval(f"wb.drills[{index}].feedback.value")
        k.run(f"wb.drills[{index}].next_button.click()")
    assert k.eval("wb.progress['drill:pipeline']") == {"tries": 5, "right": 5}


def trainee_on(pipeline_ids: list[str], wanted: str) -> str:
    """A trainee whose drawn pipeline is ``wanted`` (found by the seed itself: nobody is special)."""
    family = "\x1f".join(sorted(pipeline_ids))
    return next(t for t in (f"trainee-{i:03d}" for i in range(200))
                if pipeline_ids[variants.draw_index(len(pipeline_ids), COURSE, "pipeline", t, family)] == wanted)


def test_case_slots_ask_the_named_pipeline_or_the_trainees_own(kernel, tmp_path, reg):
    nb = build_assessment(reg, "initial", COURSE)
    hidden = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    ids = [pl.id for pl in reg.client_work.deal_pipelines]
    seen = {}
    for wanted in ids:
        trainee = trainee_on(ids, wanted)
        folder = tmp_path / trainee
        folder.mkdir()
        k = kernel(folder)
        k.run(f"import os; os.environ['CRMTRAIN_TRAINEE'] = {trainee!r}")
        k.execute_notebook(nb)
        tender = k.eval("test.shown['tender-move']['case']")
        own = k.eval("test.shown['deal-move']['case']")
        assert tender["pipeline"] == "tenders"  # the slot names it: everybody gets a tenders move
        assert own["pipeline"] == wanted  # drawn per trainee
        seen[wanted] = own
        # The hidden test grades by the case's own pipeline: wrong first, then the key.
        test = next(src for gid, src in hidden.items() if "'tender-move'" in src)
        spec = [pl.model_dump(mode="json", by_alias=True) for pl in reg.client_work.deal_pipelines]
        key = cases.case_key("pipeline", spec, tender)
        wrong = ["allowed"] if key == ["not-allowed"] else ["not-allowed"]
        give(k, "test.items['tender-move'].input.view", wrong)
        assert "not correct" in _fails(k, test, trainee)
        k.run("v = test.items['tender-move'].input.view\nfor b in v.fields.values(): b.value = False")
        give(k, "test.items['tender-move'].input.view", key)
        assert _fails(k, test, trainee) == ""
        k.shutdown()
    assert set(seen) == set(ids)


def _fails(k, hidden_source: str, trainee: str) -> str:
    """Run a hidden test as the grader would for ``trainee``: '' if it passes, else its message."""
    body = hidden_source.split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0].strip()
    # As grading passes the submission's owner.
    call = body.removesuffix(")").rstrip().rstrip(",") + f", trainee={trainee!r})"
    code = "try:\n" + "".join(f"    {line}\n" for line in call.splitlines()) + \
        "    _r = ''\nexcept AssertionError as e:\n    _r = str(e)"
    k.run(code)
    return k.eval("_r")
