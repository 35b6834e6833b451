"""The specialist grades open answers in nbgrader's formgrader; the trainee reads their feedback.

One course for the module (grading_day.graded_course): the English sample's initial
assessment, released, answered and submitted by two trainees, collected and graded.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grading_day import ASSESSMENT, OPEN_ANSWER, TRAINEES, Formgrader, graded_course, shot
from harness import new_page

from crmtrain.regulation.selection import select
from crmtrain.simulate import slots_asked

COMMENT = "Good: the stock check and the order. Missing: the invoice check by the accountant."
WIDGET_TRACES = ("model_id", "application/vnd.jupyter.widget", "var element", "$('#", "require(", "function(")


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    return graded_course(tmp_path_factory.mktemp("grading-day"))


@pytest.fixture(scope="module")
def formgrader(day, tmp_path_factory):
    server = Formgrader(day[0], tmp_path_factory.mktemp("formgrader"))
    yield server
    server.stop()


def open_questions(reg):
    from crmtrain.simulate import questions

    return [q for q in questions(reg, ASSESSMENT) if not q.kind.autograded]


def points(course, trainee: str) -> float:
    from crmtrain.grading.plumbing.gradebook import cell_grades

    return sum((g.manual if g.manual is not None else g.auto or 0.0)
               for g in cell_grades(course, ASSESSMENT)[trainee])


def submission_id(course, trainee: str) -> str:
    """The formgrader's id of a trainee's notebook (its page is /formgrader/submissions/<id>)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        return gb.find_submission_notebook(ASSESSMENT, ASSESSMENT, trainee).id


def test_the_specialist_grades_an_open_answer_in_the_formgrader(day, formgrader, browser, tmp_path):
    import csv
    import io

    from crmtrain.commands import course as course_commands
    from crmtrain.commands import report
    from crmtrain.simulate import questions

    course, reg, given = day
    first = open_questions(reg)[0]
    page = new_page(browser, height=1000)
    try:
        tid = TRAINEES[0]
        # The formgrader's own requests carry the token too (a token in the address alone
        # does not log the browser in).
        page.context.set_extra_http_headers({"Authorization": f"token {formgrader.token}"})
        page.goto(formgrader.url(f"formgrader/submissions/{submission_id(course, tid)}"))
        expect(page.locator(f"input.score#{first.id}")).to_be_visible()
        body = page.locator("body").inner_text()
        for q in questions(reg, ASSESSMENT):
            value = given[tid].get(q.id)
            if isinstance(value, str) and not q.options:
                assert value in body, f"{q.id}: the open answer is not shown"
            for oid in (value if isinstance(value, list) else [value]) if q.options and value is not None else ():
                text = next(o.text for o in q.options if o.id == oid)
                assert text in body, f"{q.id}: the chosen option {text!r} is not shown"
        assert "Not answered." in body
        assert "✔ right" in body or "The answer is right." in body
        for trace in WIDGET_TRACES[:3]:
            assert trace not in body
        before = points(course, tid)
        score = page.locator(f"input.score#{first.id}")
        score.fill("2")
        with page.expect_response(lambda r: "/api/grade/" in r.url and r.request.method == "PUT" and r.ok):
            score.press("Tab")  # formgrader saves on change, as the specialist moves on
        comment = page.locator(f"textarea#{first.id}-comment")
        comment.fill(COMMENT)
        with page.expect_response(lambda r: "/api/comment/" in r.url and r.request.method == "PUT" and r.ok):
            comment.press("Tab")
        page.locator(".output_html").filter(has_text=given[tid][first.id][:40]).first.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")
        shot(page, "formgrader-open-answer")
    finally:
        page.context.close()

    assert points(course, tid) == before + 2
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        assert gb.find_comment(first.id, ASSESSMENT, ASSESSMENT, tid).manual_comment == COMMENT
    shown = io.StringIO()
    assert course_commands.status(str(course.root), ASSESSMENT, shown) == 0
    line = next(ln for ln in shown.getvalue().splitlines() if ln.strip().startswith(tid))
    total = sum(q.points for q in questions(reg, ASSESSMENT)) + sum(p.points for p in select(reg).slots[ASSESSMENT])
    assert total > 22  # the slots count too
    assert f"{before + 2:g}/{total:g}" in line
    out = io.StringIO()
    assert report.run(str(course.root), None, tmp_path, "csv", out) == 0
    # Read as the specialist reads it: headed in words, points rounded to two decimals.
    rows = {r["Login"]: r for r in csv.DictReader((tmp_path / "trainees.csv").open(encoding="utf-8-sig"))}
    assert float(rows[tid][f"{ASSESSMENT.capitalize()}: points"]) == round(before + 2, 2)


def test_the_trainee_reads_each_answer_with_its_verdict_and_explanation(day, browser):
    from crmtrain.grading.verbs import feedback
    from crmtrain.grading.plumbing.gradebook import hand_grade
    from crmtrain.grading.safety.leaks import hidden_lines

    course, reg, given = day
    tid = TRAINEES[1]
    for q in open_questions(reg):
        hand_grade(course, ASSESSMENT, tid, q.id, 1.0, comment="Say who checks the invoice.")
    feedback.feedback(course, ASSESSMENT, include_pending=True)
    html = course.feedback_dir(tid, ASSESSMENT) / f"{ASSESSMENT}.html"
    page = new_page(browser, height=1000)
    try:
        page.goto(html.as_uri())
        body = page.locator("body").inner_text()
        from crmtrain.simulate import questions

        asked = questions(reg, ASSESSMENT)
        got = slots_asked(reg, ASSESSMENT, course.root.parent / "trainees" / tid / ASSESSMENT / f"{ASSESSMENT}.ipynb", tid)
        drawn = [a.question for a in got if a.question is not None]
        assert got and all(given[tid].get(a.slot) not in (None, "", []) for a in got)
        assert body.count("Your answer:") == sum(1 for q in asked if given[tid].get(q.id) not in (None, "", [])) + len(got)
        assert body.count("The answer is right.") + body.count("The answer is wrong.") == \
            sum(1 for q in asked if q.kind.autograded) + len(got)
        assert "Say who checks the invoice." in body
        assert "Re-read in the regulation:" in body and "in the workbook “1. Summary: general rules”" in body
        assert body.count("n.orlova@teplostroy-eng.ru") == 1  # the contact, once, at the end
        for code in ("test.item", "In [", "Grade cell", ".ipynb"):  # a page for people: no code, cells or files
            assert code not in body
        for trace in WIDGET_TRACES:
            assert trace not in body, f"the feedback page shows {trace!r}"
        # Every explanation is there to learn from; the initial hides the correct answers and the tests.
        assert body.count("Explanation:") == sum(1 for q in (*asked, *drawn) if q.explanation)
        assert "Correct answer:" not in body
        for line in hidden_lines(course.source_notebooks(ASSESSMENT)[0]):
            assert line not in body
        page.get_by_text("The answer is wrong.").first.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -300)")
        shot(page, "feedback-page")
    finally:
        page.context.close()
