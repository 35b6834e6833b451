"""Kernel-side answer checks for the hidden tests of assessment notebooks (stdlib only).

The generated test cell of an autograded item is::

    # Answer check for Q012
    ### BEGIN HIDDEN TESTS
    from crmtrain.runtime.check import check
    check("Q012", "single", "opt-3")
    ### END HIDDEN TESTS

nbgrader strips the hidden part from the released notebook and puts it back when grading,
so the key (the last arguments) exists only in the source notebook and the gradebook. A
wrong or missing answer raises AssertionError, which nbgrader scores as 0; a right one
passes silently (full points). With partial credit (the regulation's ``partial_credit``) the
cell also passes the item's ``points``; a partly right answer then makes the call return the
points it earns, and that number, the cell's output, is nbgrader's own partial credit. Messages never quote the key: failed test output appears in
the autograded notebook, and the feedback plugin drops it anyway.

``answers.json`` (next to the notebook; written atomically by the assessment widgets) is a
JSON object whose ``"answers"`` member maps item id to the saved answer, in the form the
question type's record gives (``QuestionKind.saved_as`` in ``crmtrain.kinds.questions``);
the check is the record's own pure ``check`` function.

Other members (trainee id, shuffle seed, timestamps...) are ignored here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..kinds.questions import AUTOGRADED_TYPES, QUESTION_KINDS

ANSWERS_FILE = "answers.json"


def saved_answers(path: str | Path = ANSWERS_FILE) -> dict[str, Any]:
    """All saved answers ({} if the file is missing or unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) else None
    return answers if isinstance(answers, dict) else {}


def saved_answer(item: str, path: str | Path = ANSWERS_FILE) -> Any:
    """The saved answer to ``item``, or None if there is none."""
    return saved_answers(path).get(item)


def is_correct(qtype: str, answer: Any, key: Any, tolerance: float = 0.0) -> bool:
    """Whether ``answer`` (as saved) matches ``key`` for a question of type ``qtype``."""
    if answer is None:
        return False
    kind = QUESTION_KINDS.get(qtype)
    if kind is None or not kind.autograded:
        raise ValueError(f"question type {qtype!r} is not autograded (expected one of {', '.join(AUTOGRADED_TYPES)})")
    return kind.is_correct(answer, key, tolerance)


def check(item: str, qtype: str, key: Any, tolerance: float = 0.0, points: float | None = None,
          path: str | Path = ANSWERS_FILE) -> float | None:
    """None if the saved answer to ``item`` is right; AssertionError if it earns nothing.

    With ``points`` (partial credit), a partly right answer returns the points it earns.
    """
    answer = saved_answer(item, path)
    if answer is None:
        raise AssertionError(f"{item}: no answer was saved")
    if points is None:
        if not is_correct(qtype, answer, key, tolerance):
            raise AssertionError(f"{item}: the answer is not correct")
        return None
    is_correct(qtype, answer, key, tolerance)  # the same errors for an unknown type
    earned = QUESTION_KINDS[qtype].score(answer, key, points, tolerance, partial=True)
    if earned <= 0:
        raise AssertionError(f"{item}: the answer is not correct")
    return None if earned >= points else earned
