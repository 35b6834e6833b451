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
passes silently (full points). Messages never quote the key: failed test output appears in
the autograded notebook, and the feedback plugin drops it anyway.

``answers.json`` (next to the notebook; written atomically by the assessment widgets) is a
JSON object whose ``"answers"`` member maps item id to the saved answer:

* single: the chosen option's id (a string) — never its position, options are shuffled;
* multiple: list of chosen option ids (order ignored);
* ordering: list of option ids in the trainee's order;
* true_false: true or false;
* numeric: a number;
* open: the text (graded by hand, never checked here).

Other members (trainee id, shuffle seed, timestamps...) are ignored here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

ANSWERS_FILE = "answers.json"
AUTOGRADED_TYPES = ("single", "multiple", "true_false", "numeric", "ordering")


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
    if qtype == "single":
        return isinstance(answer, str) and answer == key
    if qtype == "true_false":
        return isinstance(answer, bool) and answer is bool(key)
    if qtype == "multiple":
        return _ids(answer) is not None and sorted(set(answer)) == sorted(set(key)) and len(set(answer)) == len(answer)
    if qtype == "ordering":
        return _ids(answer) is not None and list(answer) == list(key)
    if qtype == "numeric":
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
            return False
        return abs(float(answer) - float(key)) <= float(tolerance) + 1e-9
    raise ValueError(f"question type {qtype!r} is not autograded (expected one of {', '.join(AUTOGRADED_TYPES)})")


def _ids(answer: Any) -> list[str] | None:
    if isinstance(answer, (list, tuple)) and all(isinstance(x, str) for x in answer):
        return list(answer)
    return None


def check(item: str, qtype: str, key: Any, tolerance: float = 0.0, path: str | Path = ANSWERS_FILE) -> None:
    """Pass silently if the saved answer to ``item`` is right; AssertionError otherwise."""
    answer = saved_answer(item, path)
    if answer is None:
        raise AssertionError(f"{item}: no answer was saved")
    if not is_correct(qtype, answer, key, tolerance):
        raise AssertionError(f"{item}: the answer is not correct")
