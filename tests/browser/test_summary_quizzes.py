"""The summary workbook as a trainee uses it: Run All, answer by clicking, read feedback and score."""

from __future__ import annotations

from playwright.sync_api import expect

from crmtrain.regulation.loader import load
from crmtrain.samples import resolve

REG = load(resolve("sample:en"))
WORKBOOK = "01-summary.ipynb"


def first_summary_quiz(reg) -> str:
    """The first single-choice practice question the summary workbook asks (whatever the assessments took)."""
    from crmtrain.notebooks.quizzes import practice_questions
    from crmtrain.regulation.items import index

    items = index(reg)
    return next(q.id for q in practice_questions(reg) if q.type.value == "single" and items[q.refs[0]].part == "summary")


def texts(qid: str) -> dict[str, str]:
    """Option id -> text of a question in the sample regulation."""
    return {o.id: o.text for o in REG.question(qid).options}


def test_wrong_then_right_answer_changes_feedback_and_score(trainee):
    trainee.open(WORKBOOK)
    trainee.shot("opened")
    trainee.exercises_appear()
    total = trainee.count("item")
    assert trainee.score().startswith(f"0 of {total} correct · {total} questions still to answer")
    trainee.shot("ran-all")

    qid = first_summary_quiz(REG)
    question, options = REG.question(qid), texts(qid)
    quiz = trainee.quiz(qid)
    wrong = next(text for oid, text in options.items() if oid != question.answer)
    trainee.choose(quiz, wrong)
    feedback = trainee.check(quiz)
    assert feedback.startswith("✗ Not quite.") and "See regulation:" in feedback, feedback
    expect(quiz.locator("button.crmtrain-retry")).to_be_visible()
    expect(quiz.get_by_label(wrong, exact=True)).to_be_disabled()  # locked while feedback shows
    score = trainee.score()
    assert score.startswith(f"0 of {total} correct · {total - 1} questions still to answer — review:"), score
    trainee.shot("wrong-answer")

    trainee.click(quiz.locator("button.crmtrain-retry"))
    expect(quiz.locator(".crmtrain-feedback")).to_be_empty()
    trainee.choose(quiz, options[question.answer])
    feedback = trainee.check(quiz)
    assert feedback.startswith("✓ Correct!"), feedback
    assert trainee.score().startswith(f"1 of {total} correct · {total - 1} questions still to answer")
    trainee.shot("right-answer")

    saved = trainee.progress()[qid]
    assert (saved["response"], saved["correct"], saved["attempts"]) == (question.answer, True, 2)

    # Back the next day: the page reloads, the kernel restarts, the answer is still there.
    trainee.save_and_reload()
    trainee.restart_exercises()
    trainee.exercises_appear()
    expect(trainee.panel.locator(".crmtrain-notice")).to_contain_text("Welcome back! Your answer to 1 question was restored.")
    quiz = trainee.quiz(qid)
    expect(quiz.locator(".crmtrain-feedback")).to_contain_text("✓ Correct!")
    expect(quiz.get_by_label(options[question.answer], exact=True)).to_be_checked()
    assert trainee.score().startswith(f"1 of {total} correct")
    trainee.shot("restored")


def test_every_question_type_answers_by_clicking(trainee):
    trainee.open(WORKBOOK)
    trainee.exercises_appear()
    total = trainee.count("item")

    # Multiple choice: tick every right option.
    quiz = trainee.quiz("pr-tech-03")
    for oid in REG.question("pr-tech-03").answer:
        trainee.choose(quiz, texts("pr-tech-03")[oid])
    assert trainee.check(quiz).startswith("✓ Correct!")

    # Ordering: move rows with the ↑ buttons until they are in the regulation's order.
    quiz = trainee.quiz("pr-tech-04")
    trainee.order(quiz, [texts("pr-tech-04")[oid] for oid in REG.question("pr-tech-04").answer])
    assert trainee.check(quiz).startswith("✓ Correct!")

    # Numeric: typed with a decimal comma or point alike.
    quiz = trainee.quiz("pr-tech-06")
    trainee.type_number(quiz, str(REG.question("pr-tech-06").answer).replace(".", ","))
    assert trainee.check(quiz).startswith("✓ Correct!")
    trainee.shot("three-types-right")

    # True/false answered wrongly twice: "Show answer" appears and reveals it.
    quiz = trainee.quiz("pr-tech-02")
    wrong = "False" if REG.question("pr-tech-02").answer else "True"
    for attempt in range(2):
        if attempt:
            trainee.click(quiz.locator("button.crmtrain-retry"))
        trainee.choose(quiz, wrong)
        assert trainee.check(quiz).startswith("✗ Not quite.")
    reveal = quiz.locator("button.crmtrain-reveal")
    expect(reveal).to_be_visible()
    trainee.click(reveal)
    expect(quiz.locator(".crmtrain-feedback")).to_contain_text("The answer:")
    expect(reveal).to_be_hidden()
    trainee.shot("answer-revealed")

    assert trainee.score().startswith(f"3 of {total} correct · {total - 4} questions still to answer — review:")
    assert set(trainee.progress()) == {"pr-tech-02", "pr-tech-03", "pr-tech-04", "pr-tech-06"}
