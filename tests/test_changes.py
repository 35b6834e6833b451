"""A new version of the regulation: what changed, who must relearn it, and a short re-test.

The fixtures are two versions of the English sample; 2027.2 differs from 2027.1 by:
version and date; the instructions of step order-intake.check-stock; the minimum order
(decision rule lr-below-minimum and the description of class-d); the deadline of
t-missed-call (1 → 2 working hours) and the question in-sales-03 on it; a new task rule
task-complaint-callback with a new practice question pr-sales-complaint; the task rule
task-maintenance removed, with its question pr-sales-09.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crmtrain.changes.diff import diff
from crmtrain.changes.impact import retest_questions, questions_on, workbook_changes
from crmtrain.changes.notebooks import retest_notebook, what_changed_workbook
from crmtrain.cli import main
from crmtrain.regulation.items import index, item_hashes
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path

FIXTURES = Path(__file__).parent / "fixtures" / "changes"
OLD, NEW = FIXTURES / "regulation-2027.1.yaml", FIXTURES / "regulation-2027.2.yaml"
KNOWN = {
    ("changed", "meta", "meta"),
    ("changed", "step", "order-intake.check-stock"),
    ("changed", "lead class", "class-d"),
    ("changed", "decision rule", "lr-below-minimum"),
    ("changed", "contact deadline", "t-missed-call"),
    ("added", "task rule", "task-complaint-callback"),
    ("removed", "task rule", "task-maintenance"),
    ("added", "question", "pr-sales-complaint"),
    ("changed", "question", "in-sales-03"),
    ("removed", "question", "pr-sales-09"),
}
TRAINING = {i for s, k, i in KNOWN if k not in ("meta", "question") and s != "removed"}


@pytest.fixture(scope="module")
def versions():
    old, new = load(OLD), load(NEW)
    return old, new, diff(old, new)


def test_the_diff_names_exactly_the_known_changes(versions):
    _, _, changes = versions
    assert {(c.status, c.kind, c.id) for c in changes} == KNOWN


@pytest.mark.parametrize("item, line", [
    ("t-missed-call", "deadline.hours: 1 → 2"),
    ("lr-below-minimum", "when.budget: '< 150000' → '< 200000'"),
    ("in-sales-03", "answer: 1 → 2"),
    ("meta", "version: '2027.1' → '2027.2'"),
    ("order-intake.check-stock", "    +the *Stock* column shows the warehouse balance for each item, the *Reserved* column what other deals hold."),
    ("task-complaint-callback", "due: '4 working hours'"),
])
def test_each_change_comes_with_a_short_readable_diff(versions, item, line):
    _, _, changes = versions
    change = next(c for c in changes if c.id == item)
    assert line in change.lines
    assert len(change.lines) <= 6


def test_content_hashes_tell_what_changed(versions):
    old, new, changes = versions
    before, after = item_hashes(old), item_hashes(new)
    differ = {i for i in before.keys() & after.keys() if before[i] != after[i]}
    assert differ == {"order-intake.check-stock", "class-d", "lr-below-minimum", "t-missed-call"}
    # A changed step leaves its process's own hash alone; the hash ignores layout, not content.
    assert before["order-intake"] == after["order-intake"]
    assert item_hashes(load(sample_path("en"))) == item_hashes(load(sample_path("en")))
    assert before.keys() - after.keys() == {"task-maintenance"} and after.keys() - before.keys() == {"task-complaint-callback"}


def test_the_questions_that_test_a_changed_item_are_named_through_refs(versions):
    old, new, changes = versions
    by_id = {c.id: c for c in changes}
    direct = {t.question for t in questions_on(new, by_id["t-missed-call"]) if t.via == "item"}
    assert direct == {q.id for q in new.questions if "t-missed-call" in q.refs} == {"in-sales-03"}
    via_section = {t.question for t in questions_on(new, by_id["t-missed-call"]) if t.via == "section"}
    assert via_section == {q.id for q in new.questions if "contact-timing" in q.refs}
    assert "pr-sales-09" in {t.question for t in questions_on(old, by_id["task-maintenance"])}


def test_the_workbooks_and_drills_that_change(versions):
    old, new, _ = versions
    books = {b.name: b for b in workbook_changes(old, new)}
    assert set(books) == {"02-order-processing.ipynb", "03-client-work.ipynb", "04-practice-test.ipynb", "every workbook"}
    assert books["02-order-processing.ipynb"].drills == ["process (order-intake)"]
    assert sorted(books["03-client-work.ipynb"].drills) == ["callback", "lead"]
    assert "pr-sales-complaint" in books["03-client-work.ipynb"].quizzes


def test_the_retest_covers_exactly_the_changed_items(versions, tmp_path):
    from crmtrain.grading.scoring.items import cell_problems, read_items
    from crmtrain.notebooks.cells import render

    _, new, changes = versions
    questions, covering = retest_questions(new, changes)
    assert set(covering) == TRAINING and all(covering.values())
    changed_questions = {c.id for c in changes if c.kind == "question" and c.status != "removed"}
    for q in questions:
        # each question tests a changed item, or is itself new or changed
        assert q.id in changed_questions or any(q.id in qids for qids in covering.values()), q.id
    assert changed_questions <= {q.id for q in questions}
    assert len(questions) < len(new.questions) / 10  # short
    path = tmp_path / "retest.ipynb"
    path.write_text(render(retest_notebook(load(OLD), new, questions)), encoding="utf-8")
    items = read_items(path)
    assert [i.id for i in items] == [q.id for q in questions]
    assert all(i.grade_ids for i in items)
    assert cell_problems(path) == []  # the grading contract `crmtrain release` checks


@pytest.mark.kernel
def test_the_what_changed_workbook_runs_in_a_kernel(versions, kernel, tmp_path):
    old, new, changes = versions
    questions, _ = retest_questions(new, changes)
    nb = what_changed_workbook(old, new, changes, questions)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "2027.2" in text and "2027.1" in text
    for title in ("Order intake and invoicing", "Lead classification", "Attaching tasks to clients"):
        assert f"## {title}" in text
    assert "Why we use the CRM" not in text  # unchanged sections stay out
    ran = kernel(tmp_path).execute_notebook(nb)
    widgets = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors and len(widgets) >= 6


def test_diff_on_the_command_line_writes_the_workbook_and_retest(tmp_path, capsys):
    assert main(["diff", str(OLD), str(NEW), "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "version 2027.1 (2027-01-11) → 2027.2 (2027-03-01): 10 changes (2 added, 2 removed, 6 changed)" in out
    assert "Changed   contact deadline t-missed-call" in out and "      deadline.hours: 1 → 2" in out
    assert "      tested by: in-sales-03, " in out
    assert "03-client-work.ipynb:" in out and "drills: lead, callback" in out
    assert "Re-test: 4 questions on 5 of 5 changed items" in out
    assert main(["diff", str(OLD), str(NEW), "--out", str(tmp_path / "b")]) == 0
    for name in ("what-changed.ipynb", "retest/retest.ipynb"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    nb = json.loads((tmp_path / "a" / "retest" / "retest.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["crmtrain"]["assessment"] == "retest"


def test_no_changes_says_so(capsys):
    assert main(["diff", "sample:en", "sample:en"]) == 0
    assert ": 0 changes (0 added, 0 removed, 0 changed)" in capsys.readouterr().out


def test_a_russian_change_gives_a_russian_workbook(tmp_path, capsys):
    text = sample_path("ru").read_text(encoding="utf-8")
    changed = tmp_path / "ru-2.yaml"
    changed.write_text(text.replace('version: "2027.1"', 'version: "2027.2"').replace("deadline: {hours: 1}", "deadline: {hours: 3}", 1),
                       encoding="utf-8")
    assert main(["diff", "sample:ru", str(changed), "--out", str(tmp_path / "out")]) == 0
    assert "deadline.hours: 1 → 3" in capsys.readouterr().out
    nb = json.loads((tmp_path / "out" / "what-changed.ipynb").read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"])
    assert first.startswith("# Что изменилось в регламенте")


def block(out: str, header: str) -> str:
    """The lines printed under one change (indented deeper than its header line)."""
    lines = out.split("\n")
    start = next(i for i, line in enumerate(lines) if header in line and line.startswith("  ") and not line.startswith("   "))
    body = []
    for line in lines[start + 1:]:
        if not line.startswith("      "):
            break
        body.append(line)
    return "\n".join(body)


@pytest.mark.nbgrader
def test_with_a_course_it_names_who_learned_the_old_version(tmp_path, blank_gradebook, capsys):
    from nbgrader.api import Gradebook

    from crmtrain.commands.build import course_files
    from crmtrain.files import write_files
    from crmtrain.grading.plumbing.course import Course
    from crmtrain.grading.scoring.items import assessment_items

    old = load(OLD)
    root = tmp_path / "course"
    write_files(root, course_files(old, exchange=tmp_path / "exchange", course_id=COURSE_ID))
    course = Course.load(root)
    shutil.copy(blank_gradebook, course.db_path)
    items = assessment_items(course, "initial")
    answered_by_bob = {"in-sales-03"}
    with Gradebook(course.db_url, COURSE_ID) as gb:
        for student in ("alice", "bob", "carol"):
            gb.add_student(student, first_name=student.title(), last_name="Test")
        gb.update_or_create_assignment("initial")
        gb.update_or_create_notebook("initial", "initial")
        for item in items:
            for gid in item.grade_ids:
                gb.update_or_create_grade_cell(gid, "initial", "initial", max_score=item.points,
                                               cell_type="code" if item.autograded else "markdown")
        for student in ("alice", "bob"):
            sub = gb.add_submission("initial", student)
            for nb in sub.notebooks:
                for grade in nb.grades:
                    item = next(i for i in items if grade.name in i.grade_ids)
                    if student == "alice" or item.id in answered_by_bob:
                        grade.auto_score = item.points
        gb.db.commit()
    capsys.readouterr()
    assert main(["diff", str(OLD), str(NEW), "--course", str(root)]) == 0
    out = capsys.readouterr().out
    assert "learned the old version: alice (in-sales-03, in-sales-04), bob (in-sales-03)" in block(out, "contact deadline t-missed-call")
    assert "learned the old version: alice (in-proc-02, in-proc-open)" in block(out, "step order-intake.check-stock")
    assert "learned the old version: nobody answered a question on it yet" in block(out, "task rule task-maintenance")
    assert "learned the old version: alice (in-sales-03), bob (in-sales-03)" in block(out, "question in-sales-03")
    assert "Trainees who studied the old version (submitted an assessment): alice, bob" in out


from grading_fixtures import COURSE_ID, blank_gradebook  # noqa: E402,F401  (pytest fixture)


def test_two_different_regulations_are_flagged(capsys):
    assert main(["diff", "sample:en", "sample:ru"]) == 0
    out = capsys.readouterr().out
    # Said in the new version's language: Russian here.
    assert "Внимание: различается язык (en → ru); возможно, это не две версии одного регламента" in out
    assert "различается компания (Teplostroy Engineering LLC → ООО «Теплострой Инжиниринг»)" in out
