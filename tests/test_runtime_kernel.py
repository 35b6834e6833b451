"""Workbooks in a real ipykernel: execute a notebook, drive its widgets, restart, crash."""

from __future__ import annotations

import json
import os
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from test_runtime_workbook import NAME, specs

pytestmark = pytest.mark.kernel
WIDGET = "application/vnd.jupyter.widget-view+json"
PROGRESS = f".{NAME}.progress.json"


def notebook(lang: str = "en") -> nbformat.NotebookNode:
    """A tiny workbook as the builder makes it: setup cell, one quiz cell per type, score."""
    ids = [s["id"] for s in specs()]
    setup = "from crmtrain.runtime import Workbook\n" f"wb = Workbook({NAME!r}, lang={lang!r}, questions={ids!r})"
    cells = [new_code_cell(setup)]
    cells += [new_code_cell(f"wb.quiz({s!r})") for s in specs()]
    cells.append(new_code_cell("wb.score()"))
    return new_notebook(cells=cells)


def answer(k, qid: str, value) -> None:
    """Set a quiz's response and press Check inside the kernel."""
    k.run(f"q = wb.quizzes[{qid!r}]\nq.input.value = {value!r}\nq.check_button.click()")


def feedback(k, qid: str) -> str:
    return k.eval(f"wb.quizzes[{qid!r}].feedback_text")


def progress(folder) -> dict:
    return json.loads((folder / PROGRESS).read_text(encoding="utf-8"))["questions"]


def test_workbook_runs_and_quizzes_answer_in_a_real_kernel(kernel, tmp_path):
    k = kernel(tmp_path)
    nb = k.execute_notebook(notebook())
    assert k.eval("__import__('sys').executable") == sys.executable  # the venv's own kernel
    for cell in nb.cells[1:]:
        assert any(WIDGET in out.get("data", {}) for out in cell.outputs), cell.source

    answer(k, "Q001", "a")
    assert feedback(k, "Q001").startswith("✗ Not quite.")
    assert "See regulation: Interface" in feedback(k, "Q001")
    k.run("wb.quizzes['Q001'].retry_button.click()")
    assert feedback(k, "Q001") == ""
    answer(k, "Q001", "b")
    assert feedback(k, "Q001").startswith("✓ Correct!") and "Explanation Q001." in feedback(k, "Q001")

    answer(k, "Q002", ["a", "d"])
    assert "1 option you ticked is not right. 1 correct option is still missing." in feedback(k, "Q002")
    answer(k, "Q003", False)
    answer(k, "Q004", "2,5")
    assert feedback(k, "Q004").startswith("✓ Correct!")
    k.run("rows = wb.quizzes['Q005'].input\nrows.value = ['s2', 's1', 's3', 's4']\nrows.ups[1].click()")
    assert k.eval("wb.quizzes['Q005'].input.value") == ["s1", "s2", "s3", "s4"]
    k.run("wb.quizzes['Q005'].check_button.click()")
    assert feedback(k, "Q005").startswith("✓ Correct!")

    score = "4 of 5 correct — review: Deal statuses"
    assert k.eval("wb.score_text()") == score
    assert k.eval("wb._scores[0].value") == k.eval("wb.score_html()")  # the score cell's widget is live
    saved = progress(tmp_path)
    assert saved["Q001"] == {
        "response": "b", "correct": True, "attempts": 2, "revealed": False,
        "refs": [{"id": "S-interface", "title": "Interface"}],
    }
    assert saved["Q002"]["response"] in (["a", "d"], ["d", "a"]) and saved["Q002"]["correct"] is False
    assert saved["Q004"]["response"] == "2,5"


def test_restart_restores_responses_and_feedback(kernel, tmp_path):
    first = kernel(tmp_path)
    first.execute_notebook(notebook())
    answer(first, "Q002", ["a", "b"])
    answer(first, "Q004", "2.5")
    before = {q: feedback(first, q) for q in ("Q002", "Q004")}
    score = first.eval("wb.score_text()")
    first.shutdown()

    again = kernel(tmp_path)
    nb = again.execute_notebook(notebook())
    assert sorted(again.eval("wb.quizzes['Q002'].input.value")) == ["a", "b"]
    assert again.eval("wb.quizzes['Q004'].input.value") == "2.5"
    assert {q: feedback(again, q) for q in before} == before
    assert again.eval("wb.quizzes['Q001'].input.value") is None and feedback(again, "Q001") == ""
    assert again.eval("wb.score_text()") == score
    assert "Welcome back! Your answers to 2 questions were restored." in again.eval("wb.notice.value")
    assert nb.cells[0].outputs  # the notice is shown in the setup cell


def test_russian_workbook(kernel, tmp_path):
    k = kernel(tmp_path)
    k.execute_notebook(notebook(lang="ru"))
    assert k.eval("wb.quizzes['Q001'].check_button.description") == "Проверить"
    answer(k, "Q004", "2,6")
    answer(k, "Q003", True)
    assert feedback(k, "Q004").startswith("✓ Верно!")
    assert feedback(k, "Q003").startswith("✗ Не совсем так.")
    score = "Верно 1 из 5 · ещё 3 вопроса без ответа — повторите: Interface"
    assert k.eval("wb.score_text()") == score


def test_a_crash_mid_save_keeps_the_previous_progress(kernel, tmp_path):
    k = kernel(tmp_path)
    k.execute_notebook(notebook())
    answer(k, "Q001", "b")
    before = (tmp_path / PROGRESS).read_bytes()
    # The kernel dies after the temp file is written and synced, before it replaces the file.
    k.kc.execute(
        "import os\nos.replace = lambda *a, **kw: os._exit(1)\n"
        "q = wb.quizzes['Q003']\nq.input.value = False\nq.check_button.click()"
    )
    k.wait_dead()
    assert (tmp_path / PROGRESS).read_bytes() == before
    leftovers = list(tmp_path.glob(f"{PROGRESS}.*.tmp"))
    assert len(leftovers) == 1 and '"Q003"' in leftovers[0].read_text(encoding="utf-8")
    past = time.time() - 3600
    os.utime(leftovers[0], (past, past))

    again = kernel(tmp_path)
    again.execute_notebook(notebook())
    assert feedback(again, "Q001").startswith("✓ Correct!")
    assert again.eval("wb.quizzes['Q003'].input.value") is None
    assert not leftovers[0].exists()  # swept on the next start
    answer(again, "Q003", False)
    assert set(progress(tmp_path)) == {"Q001", "Q003"}


def test_a_failed_save_leaves_the_file_intact_and_says_so(kernel, tmp_path):
    k = kernel(tmp_path)
    k.execute_notebook(notebook())
    answer(k, "Q001", "b")
    before = (tmp_path / PROGRESS).read_bytes()
    k.run(
        "import os\n_replace = os.replace\n"
        "def _refuse(*a, **kw):\n    raise OSError(28, 'No space left on device')\n"
        "os.replace = _refuse"
    )
    answer(k, "Q003", False)
    assert "We couldn't save your progress just now." in feedback(k, "Q003")
    assert (tmp_path / PROGRESS).read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))
    k.run("os.replace = _replace\nwb.quizzes['Q003'].retry_button.click()")
    answer(k, "Q003", False)
    assert "couldn't save" not in feedback(k, "Q003")
    assert set(progress(tmp_path)) == {"Q001", "Q003"}


def test_a_corrupt_progress_file_starts_fresh_with_a_notice(kernel, tmp_path):
    (tmp_path / PROGRESS).write_text('{"questions": {"Q001": {"respo', encoding="utf-8")
    k = kernel(tmp_path)
    k.execute_notebook(notebook())
    notice = k.eval("wb.notice.value")
    assert "could not be read, so this workbook starts fresh" in notice and f"{PROGRESS}.bak" in notice
    assert (tmp_path / f"{PROGRESS}.bak").read_text(encoding="utf-8").startswith('{"questions"')
    answer(k, "Q001", "b")
    assert progress(tmp_path)["Q001"]["correct"] is True
