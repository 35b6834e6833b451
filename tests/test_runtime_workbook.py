"""Workbook, quizzes and score driven in-process (no kernel): the widget logic itself.

``specs()`` builds quiz dicts exactly as the notebook builder writes them; the kernel tests
reuse it.
"""

from __future__ import annotations

import json
import sys
import types

import ipywidgets as widgets
import pytest

from crmtrain.runtime import Workbook, keys
from crmtrain.runtime.inputs import INPUTS

SALT = "test-salt"
NAME = "01-summary"
INTERFACE = {"id": "S-interface", "title": "Interface"}
STATUSES = {"id": "S-pipeline", "title": "Deal statuses"}


def spec(qid, qtype, answer, *, options=(), tolerance=0.0, unit="", refs=(INTERFACE,)):
    """One quiz dict as the builder writes it into a ``wb.quiz(...)`` cell."""
    data = {
        "id": qid,
        "type": qtype,
        "text_html": f"<p>Question {qid}?</p>",
        "options": [{"id": o, "text": f"Option {o.upper()}"} for o in options],
        "key": keys.seal(qid, qtype, answer, tolerance=tolerance, salt=SALT, options=list(options)),
        "explanation_html": f"<p>Explanation {qid}.</p>",
        "refs": list(refs),
        "points": 1,
    }
    if unit:
        data["unit"] = unit
    return data


def specs() -> list[dict]:
    """One question of every type."""
    return [
        spec("Q001", "single", "b", options="abc"),
        spec("Q002", "multiple", ["a", "c"], options="abcd", refs=[STATUSES]),
        spec("Q003", "true_false", False),
        spec("Q004", "numeric", 2.5, tolerance=0.25, unit="working hours"),
        spec("Q005", "ordering", ["s1", "s2", "s3", "s4"], options=["s1", "s2", "s3", "s4"]),
    ]


def workbook(folder, lang="en", **kwargs) -> Workbook:
    wb = Workbook(NAME, lang=lang, questions=[s["id"] for s in specs()], folder=folder, **kwargs)
    for s in specs():
        wb.quiz(s)
    return wb


def answer(quiz, value):
    """Set the response and press Check, as a trainee would; return the verdict on screen."""
    quiz.input.value = value
    quiz.check_button.click()
    return quiz.verdict


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_every_sealable_type_can_be_practised_in_a_workbook():
    assert set(keys.TYPES) <= set(INPUTS)
    assert {s["type"] for s in specs()} == set(keys.TYPES)


def test_options_are_shuffled_the_same_way_on_every_run(tmp_path):
    first, again = workbook(tmp_path), workbook(tmp_path)
    other = workbook(tmp_path, seed="another notebook")

    def orders(wb):
        return [[oid for oid, _ in wb.quizzes[q].input.options] for q in ("Q001", "Q002", "Q005")]

    assert orders(first) == orders(again)
    assert orders(first) != orders(other)
    assert sorted(orders(first)[1]) == ["a", "b", "c", "d"]


def test_ordering_never_starts_in_the_right_order(tmp_path):
    pair = spec("Q9", "ordering", ["x", "y"], options=["x", "y"])
    for seed in range(30):
        wb = Workbook(NAME, questions=["Q9"], folder=tmp_path, seed=str(seed))
        wb.quiz(pair)
        assert wb.quizzes["Q9"].input.value == ["y", "x"]


def test_single_choice_wrong_then_try_again_then_right(tmp_path):
    quiz = workbook(tmp_path).quizzes["Q001"]
    assert answer(quiz, "a") == keys.Verdict(False, wrong=("a",))
    text = quiz.feedback_text
    assert text.startswith("✗ Not quite.") and text.endswith("See regulation: Interface")  # no internal ids
    assert "Explanation" not in text  # the explanation would give the answer away
    assert quiz.input.widget.disabled and not shown(quiz.check_button) and shown(quiz.retry_button)
    quiz.retry_button.click()
    assert quiz.feedback.value == "" and not quiz.input.widget.disabled and quiz.input.value == "a"
    assert answer(quiz, "b").correct
    assert quiz.feedback_text.startswith("✓ Correct!") and "Explanation Q001." in quiz.feedback_text
    assert quiz.attempts == 2


def test_nothing_chosen_is_not_an_attempt(tmp_path):
    wb = workbook(tmp_path)
    for qid in ("Q001", "Q002", "Q003", "Q004"):
        assert wb.quizzes[qid].check() is None
        assert wb.quizzes[qid].attempts == 0
    assert wb.quizzes["Q001"].feedback_text == "Choose an answer first."
    assert wb.quizzes["Q004"].feedback_text == "Type a number first, for example 2.5."
    assert answer(wb.quizzes["Q004"], "about two") is None
    assert "doesn’t look like a number" in wb.quizzes["Q004"].feedback_text
    assert wb.tally().answered == 0


def test_multiple_choice_counts_without_naming_then_show_answer(tmp_path):
    quiz = workbook(tmp_path).quizzes["Q002"]
    answer(quiz, ["a", "b"])
    assert "1 option you ticked is not right. 1 correct option is still missing." in quiz.feedback_text
    assert "Option B" not in quiz.feedback_text and not shown(quiz.reveal_button)
    quiz.retry_button.click()
    answer(quiz, ["b", "d"])
    assert "2 options you ticked are not right. 2 correct options are still missing." in quiz.feedback_text
    assert shown(quiz.reveal_button)
    quiz.reveal_button.click()
    shown_order = " ".join(text for oid, text in quiz.input.options if oid in ("a", "c"))
    assert f"The answer: {shown_order}" in quiz.feedback_text  # in the order the trainee sees
    assert "Explanation Q002." in quiz.feedback_text and not shown(quiz.reveal_button)


def test_numeric_accepts_comma_and_dot(tmp_path):
    quiz = workbook(tmp_path).quizzes["Q004"]
    assert answer(quiz, "2,7").correct
    quiz.retry_button.click()
    assert answer(quiz, "2.3").correct
    quiz.retry_button.click()
    assert not answer(quiz, "3").correct
    assert quiz.input.widget.children[1].value == "working hours"


def test_ordering_rows_move_with_arrow_buttons(tmp_path):
    quiz = workbook(tmp_path).quizzes["Q005"]
    rows = quiz.input
    start = rows.value
    assert rows.ups[0].disabled and rows.downs[-1].disabled and not rows.ups[1].disabled
    rows.downs[0].click()
    assert rows.value == [start[1], start[0], *start[2:]]
    assert rows.labels[0].value.endswith(f"Option {start[1].upper()}")
    rows.value = ["s1", "s3", "s2", "s4"]
    quiz.check_button.click()
    assert "2 items are not in the right place yet." in quiz.feedback_text
    assert all(b.disabled for b in rows.ups + rows.downs)  # locked while feedback shows
    quiz.retry_button.click()
    rows.ups[2].click()
    assert rows.value == ["s1", "s2", "s3", "s4"] and quiz.check().correct


def test_score_updates_live_and_lists_what_to_review(tmp_path):
    wb = workbook(tmp_path)
    wb.score()
    assert wb.score_text() == "0 of 5 correct · 5 questions still to answer"
    answer(wb.quizzes["Q001"], "a")
    answer(wb.quizzes["Q002"], ["b"])
    answer(wb.quizzes["Q003"], False)
    assert wb._scores[0].value == wb.score_html()
    assert wb.score_text() == (
        "1 of 5 correct · 2 questions still to answer — review: Interface, Deal statuses"
    )
    answer(wb.quizzes["Q004"], "2,5")
    answer(wb.quizzes["Q005"], ["s1", "s2", "s3", "s4"])
    assert "3 of 5 correct — review:" in wb.score_text()
    for qid, value in (("Q001", "b"), ("Q002", ["a", "c"])):
        wb.quizzes[qid].retry_button.click()
        answer(wb.quizzes[qid], value)
    assert wb.score_text() == "5 of 5 correct — well done!"
    assert "crmtrain-ok" in wb._scores[0].value


def test_russian_texts_and_plurals(tmp_path):
    wb = workbook(tmp_path, lang="ru")
    assert wb.quizzes["Q001"].check_button.description == "Проверить"
    assert [label for label, _ in wb.quizzes["Q003"].input.radio.options] == ["Верно", "Неверно"]
    assert wb.score_text() == "Верно 0 из 5 · ещё 5 вопросов без ответа"
    answer(wb.quizzes["Q003"], True)
    answer(wb.quizzes["Q004"], "2,5")
    assert wb.score_text() == "Верно 1 из 5 · ещё 3 вопроса без ответа — повторите: Interface"
    answer(wb.quizzes["Q001"], "b")
    answer(wb.quizzes["Q002"], ["a", "b"])
    assert "ещё 1 вопрос без ответа" in wb.score_text()
    hint = "1 отмеченный вариант неверен. Ещё 1 верный вариант не отмечен."
    assert hint in wb.quizzes["Q002"].feedback_text
    assert "Q001" not in wb.quizzes["Q001"].widget.children[0].value.replace("Question Q001?", "")  # no id header


def test_progress_file_keeps_response_correctness_and_attempts(tmp_path):
    wb = workbook(tmp_path)
    answer(wb.quizzes["Q004"], "3")
    wb.quizzes["Q004"].retry_button.click()
    answer(wb.quizzes["Q004"], "2,5")
    saved = json.loads((tmp_path / f".{NAME}.progress.json").read_text(encoding="utf-8"))
    entry = saved["questions"]["Q004"]
    assert saved["workbook"] == NAME
    assert [entry[k] for k in ("response", "correct", "attempts", "revealed")] == ["2,5", True, 2, False]


def test_reopening_restores_responses_and_feedback(tmp_path, capsys):
    wb = workbook(tmp_path)
    answer(wb.quizzes["Q002"], ["a", "b"])
    answer(wb.quizzes["Q005"], ["s1", "s2", "s3", "s4"])
    capsys.readouterr()
    again = workbook(tmp_path)
    assert "Welcome back! Your answers to 2 questions were restored." in capsys.readouterr().out
    assert sorted(again.quizzes["Q002"].input.value) == ["a", "b"]
    assert again.quizzes["Q002"].feedback_text == wb.quizzes["Q002"].feedback_text
    assert again.quizzes["Q005"].feedback_text.startswith("✓ Correct!")
    assert again.quizzes["Q001"].feedback.value == "" and shown(again.quizzes["Q001"].check_button)
    assert again.score_text() == wb.score_text()


def test_a_failed_save_is_reported_gently(tmp_path, monkeypatch):
    wb = workbook(tmp_path)

    def refuse(_data):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(wb.store, "save", refuse)
    assert answer(wb.quizzes["Q001"], "b").correct
    assert "We couldn't save your progress just now." in wb.quizzes["Q001"].feedback_text
    assert wb.score_text().startswith("1 of 5 correct")  # still counts in this session


def test_bad_question_dict_or_unknown_drill_shows_a_notice_not_a_traceback(tmp_path, capsys):
    wb = workbook(tmp_path)
    wb.quiz({"id": "Q900", "type": "open", "text_html": "<p>?</p>"})
    wb.quiz({"id": "Q901", "type": "single", "text_html": "<p>?</p>", "key": {}})
    wb.drill("no-such-drill", {})
    out = capsys.readouterr().out
    assert "This question can&#x27;t be shown (Q900: unknown type &#x27;open&#x27;" in out
    assert "Q901: &#x27;key&#x27; is missing" in out
    assert "This exercise isn&#x27;t available in this version yet." in out
    assert "Q900" not in wb.quizzes and "Q900" not in wb.questions


def test_unsupported_language_or_bad_name_is_a_build_error(tmp_path):
    with pytest.raises(ValueError, match="unsupported language"):
        Workbook(NAME, lang="de", folder=tmp_path)
    with pytest.raises(ValueError):
        Workbook("../escape", folder=tmp_path)


def test_drills_are_built_from_their_registry_and_tallied_apart(tmp_path, monkeypatch):
    made = []

    class FakeDrill:
        def __init__(self, spec, tr, lang, rng, on_result=None):
            made.append((spec, lang, rng.random()))
            self.widget = widgets.HTML("drill")
            self.on_result = on_result

    fake = types.SimpleNamespace(DRILLS={"lead": FakeDrill})
    monkeypatch.setitem(sys.modules, "crmtrain.runtime.drills", fake)
    wb = workbook(tmp_path, lang="ru")
    wb.drill("lead", {"criteria": []})
    wb.drill("lead", {"criteria": []})
    assert [m[:2] for m in made] == [({"criteria": []}, "ru")] * 2 and made[0][2] != made[1][2]
    wb.drills[0].on_result(True)
    wb.drills[0].on_result(False)
    assert wb.progress["drill:lead"] == {"tries": 2, "right": 1}
    assert wb.tally().total == 5 and wb.tally().answered == 0  # drills never change the score
