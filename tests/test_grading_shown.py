"""What the formgrader and the feedback show under each question: the trainee's answer."""

from __future__ import annotations

import pytest

from crmtrain.grading.presentation.shown import KEY, answer_outputs

SPEC = {"id": "q", "type": "multiple", "options": [{"id": "a", "text": "Name"}, {"id": "b", "text": "Phone"},
                                                   {"id": "c", "text": "Serial number"}]}
NOTE = {"explanation": "Search finds clients by name or phone.", "refs": [{"title": "Lookup", "workbook": "01-summary.ipynb"}]}


def html(outputs) -> str:
    return "".join(o["data"]["text/html"] for o in outputs)


def test_chosen_options_appear_as_their_text_each_marked_right_or_wrong():
    shown = html(answer_outputs(SPEC, ["a", "c"], ["a", "b"], note=NOTE))
    assert "Name ✔ right" in shown.replace('<span class="crmtrain-right">', "").replace("</span>", "")
    assert "Serial number" in shown and "✘" in shown
    assert "'a'" not in shown and ">a<" not in shown
    assert "The answer is wrong." in shown and "Correct answer:</strong> Name, Phone" in shown
    assert "Lookup — workbook 01-summary.ipynb" in shown


def test_the_key_is_one_output_feedback_can_drop_and_the_explanation_stays():
    outputs = answer_outputs(SPEC, ["a"], ["a", "b"], note=NOTE, contact="Olga, ext. 2")
    keyed = [o for o in outputs if o["metadata"].get(KEY)]
    assert len(keyed) == 1 and "Phone" in keyed[0]["data"]["text/html"] and "Search finds" not in keyed[0]["data"]["text/html"]
    rest = html(o for o in outputs if not o["metadata"].get(KEY))
    assert "Search finds" in rest and "Correct answer" not in rest and "Olga, ext. 2" in rest


def test_an_open_answer_is_escaped_text_graded_by_hand():
    shown = html(answer_outputs({"id": "o", "type": "open"}, "<script>alert(1)</script> call within 1 hour", None))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; call within 1 hour" in shown and "<script" not in shown
    assert "Graded by hand" in shown and "right" not in shown


@pytest.mark.parametrize("answer", [None, "", []])
def test_an_unanswered_item_says_so(answer):
    shown = html(answer_outputs(SPEC, answer, ["a"]))
    assert "Not answered." in shown and "The answer is" not in shown


@pytest.mark.parametrize("spec, answer, key, expected", [
    ({"type": "true_false"}, False, True, "Your answer:</strong> False"),
    ({"type": "numeric", "unit": "days"}, 3, 2, "Your answer:</strong> 3 days"),
    ({"type": "single", "options": [{"id": "x", "text": "The top bar"}]}, "x", "x", "Your answer:</strong> The top bar"),
    ({"type": "ordering", "options": [{"id": "x", "text": "First"}, {"id": "y", "text": "Second"}]}, ["y", "x"],
     ["x", "y"], "<ol><li>Second"),
])
def test_every_type_shows_its_answer_in_words(spec, answer, key, expected):
    assert expected in html(answer_outputs(spec, answer, key))


def test_the_trainee_reads_it_in_the_regulations_language():
    shown = html(answer_outputs(SPEC, None, ["a"], lang="ru", note=NOTE))
    assert "Нет ответа." in shown and "Перечитайте в регламенте" in shown


def sample(**initial):
    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path

    reg = load(sample_path("en"))
    if initial:
        a = reg.assessments
        reg = reg.model_copy(update={"assessments": a.model_copy(update={"initial": a.initial.model_copy(update=initial)})})
    return reg


@pytest.mark.parametrize("setting, initial, followup", [(None, False, True), (True, True, True), (False, False, True)])
def test_show_answers_is_a_setting_per_assessment_hidden_for_the_initial_by_default(setting, initial, followup):
    from crmtrain.notebooks.assessments import build_answer_notes

    notes = build_answer_notes(sample(show_answers=setting) if setting is not None else sample())
    assert notes["notes/initial.json"]["show_answers"] is initial
    assert notes["notes/followup.json"]["show_answers"] is followup
    item = next(iter(notes["notes/initial.json"]["items"].values()))
    assert item["explanation"] and item["refs"][0]["workbook"].endswith(".ipynb")


def test_feedback_drops_the_key_where_the_assessment_hides_it(tmp_path):
    import json

    from nbformat.v4 import new_code_cell, new_notebook

    from crmtrain.grading.plumbing.config import write_config
    from crmtrain.grading.plugins import HideKey
    from crmtrain.grading.plumbing.course import Course

    write_config(tmp_path, "crm-test", tmp_path / "exchange")
    course = Course.load(tmp_path)
    explanation = "The top bar holds the global search and the notifications."
    for name, show in (("initial", False), ("followup", True)):
        (tmp_path / "notes").mkdir(exist_ok=True)
        (tmp_path / "notes" / f"{name}.json").write_text(json.dumps(
            {"show_answers": show, "items": {"q": {"explanation": explanation}}}), encoding="utf-8")
    for name, kept in (("initial", 2), ("followup", 3)):
        cell = new_code_cell("test.item({})", outputs=[*answer_outputs(SPEC, ["a"], ["a", "b"], note=NOTE),
                                                       {"output_type": "display_data", "metadata": {},
                                                        "data": {"application/vnd.jupyter.widget-view+json": {}}}])
        step = HideKey(config=course.nbgrader_config())
        nb, _ = step.preprocess(new_notebook(cells=[cell]), {"nbgrader": {"assignment": name}})
        assert len(nb.cells[0].outputs) == kept and not any(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in nb.cells[0].outputs)
