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

Other members (trainee id, shuffle seed, timestamps, what was shown...) are ignored here.

A slot that differs per trainee has a check that first derives *whose* sitting it grades
(:func:`graded_trainee`), then the case (:func:`check_case`) or the drawn question
(:func:`check_draw`) from the slot's seed, exactly as the trainee's kernel did to show it::

    from crmtrain.runtime.check import check_case
    check_case('lead-case', 'lead', {...spec...}, course='crm-training', assessment='initial', start='2027-02-01')

    from crmtrain.runtime.check import check_draw
    check_draw('deal-rules', [('Q101', 'single', 'opt-a', {}), ...], course='crm-training', assessment='initial')

The trainee id never comes from answers.json or the kernel's environment, which the trainee
controls, so editing them cannot change which case or question is graded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..kinds.questions import AUTOGRADED_TYPES, QUESTION_KINDS
from ..rules import cases, variants

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
    return _score(item, qtype, saved_answer(item, path), key, tolerance, points)


def _score(item: str, qtype: str, answer: Any, key: Any, tolerance: float, points: float | None) -> float | None:
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


def graded_trainee(trainee: str | None, assessment: str) -> str:
    """Whose sitting is graded: ``trainee`` as grading gives it, else stock autograde's folder.

    Stock ``nbgrader autograde`` runs the notebook in ``autograded/<trainee>/<assessment>``
    and says so in ``NBGRADER_EXECUTION``; anywhere else nobody vouches for an id, so the
    check fails (0 points) rather than grade somebody's case.
    """
    if trainee is not None:
        if not isinstance(trainee, str) or not trainee:
            raise AssertionError("cannot tell whose case this is: no trainee id was given")
        return trainee
    here = Path.cwd()
    if os.environ.get("NBGRADER_EXECUTION") == "autograde" and here.name == assessment and here.parent.name:
        return here.parent.name
    raise AssertionError("cannot tell whose case this is: run this check under nbgrader autograde")


def check_case(slot: str, kind: str, spec: Any, *, course: str, assessment: str, start: str,
               trainee: str | None = None, path: str | Path = ANSWERS_FILE) -> None:
    """None if the trainee's answer to their own case of ``slot`` is right; AssertionError if not."""
    who = graded_trainee(trainee, assessment)
    case = cases.trainee_case(kind, spec, start, course=course, assessment=assessment, trainee=who, slot=slot)
    answer = saved_answer(slot, path)
    if answer is None:
        raise AssertionError(f"{slot}: no answer was saved")
    if not cases.grade_case(kind, spec, case, answer):
        raise AssertionError(f"{slot}: the answer is not correct")


def check_draw(slot: str, candidates: list, *, course: str, assessment: str, trainee: str | None = None,
               path: str | Path = ANSWERS_FILE) -> float | None:
    """Score the answer to the question the trainee drew in ``slot``, exactly as :func:`check` would.

    ``candidates``: ``(item id, type, key, {"tolerance": ..., "points": ...})`` per question.
    """
    who = graded_trainee(trainee, assessment)
    _qid, qtype, key, options = candidates[variants.draw_index(len(candidates), course, assessment, who, slot)]
    unknown = set(options) - {"tolerance", "points"}
    if unknown:
        raise ValueError(f"{slot}: unknown candidate options {', '.join(sorted(unknown))}")
    return _score(slot, qtype, saved_answer(slot, path), key, float(options.get("tolerance", 0.0)),
                  options.get("points"))
