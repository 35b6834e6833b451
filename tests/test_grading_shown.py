"""What the formgrader and the feedback show under each question: the trainee's answer."""

from __future__ import annotations

import pytest

from crmtrain.grading.shown import KEY, answer_outputs

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


def test_the_key_and_explanation_are_one_output_feedback_can_drop():
    outputs = answer_outputs(SPEC, ["a"], ["a", "b"], note=NOTE, contact="Olga, ext. 2")
    keyed = [o for o in outputs if o["metadata"].get(KEY)]
    assert len(keyed) == 1 and "Phone" in keyed[0]["data"]["text/html"] and "Search finds" in keyed[0]["data"]["text/html"]
    rest = html(o for o in outputs if not o["metadata"].get(KEY))
    assert "Search finds" not in rest and "Correct answer" not in rest and "Olga, ext. 2" in rest


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
