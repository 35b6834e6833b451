"""What each question type does with an answer, as pure functions the registry names.

:mod:`crmtrain.kinds.questions` puts these together, one :class:`QuestionKind` per type: the
answer check, partial credit, the regulation answer's canonical form and its flaws, a saved
value in words, a plausible wrong answer and the random guess score. Kept apart so the
registry reads as a table. Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

import math
from typing import Any
from collections.abc import Sequence


def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return message


# --- answer checks: pure functions on the stored form ------------------------------------


def _ids(answer: Any) -> list[str] | None:
    if isinstance(answer, (list, tuple)) and all(isinstance(x, str) for x in answer):
        return list(answer)
    return None


def _check_single(answer, key, tolerance):
    return isinstance(answer, str) and answer == key


def _check_true_false(answer, key, tolerance):
    return isinstance(answer, bool) and answer is bool(key)


def _check_multiple(answer, key, tolerance):
    return _ids(answer) is not None and sorted(set(answer)) == sorted(set(key)) and len(set(answer)) == len(answer)


def _check_ordering(answer, key, tolerance):
    return _ids(answer) is not None and list(answer) == list(key)


def _check_numeric(answer, key, tolerance):
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        return False
    return abs(float(answer) - float(key)) <= float(tolerance) + 1e-9


# --- partial credit: share of the points in [0, 1] (docs/measurement.md) -------------------


def _credit_multiple(answer, key, tolerance):
    """(right options ticked - wrong options ticked) / right options, never below 0."""
    if _ids(answer) is None or len(set(answer)) != len(answer) or not key:
        return 0.0  # not a set of option ids, as the widget saves it
    chosen, right = set(answer), set(key)
    return max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))


def _credit_ordering(answer, key, tolerance):
    """The share of all pairs of options that the answer puts in the right relative order."""
    if _ids(answer) is None or len(answer) != len(key) or sorted(answer) != sorted(key):
        return 0.0  # not an ordering of exactly the options: nothing to compare
    if len(key) < 2:
        return 1.0
    place = {item: i for i, item in enumerate(answer)}
    pairs = [(a, b) for i, a in enumerate(key) for b in key[i + 1:]]
    return sum(place[a] < place[b] for a, b in pairs) / len(pairs)


# --- the regulation's answer: canonical form and its flaws --------------------------------


def _as_is(answer: Any) -> Any:
    return answer


def _as_list(answer: Any) -> Any:
    if isinstance(answer, str):
        return [answer]  # "answer: opt-a" on a multiple-choice question means one right option
    return list(answer) if isinstance(answer, tuple) else answer


def _listed(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def _problem_single(ans, ids):
    if not isinstance(ans, str) or ans not in ids:
        return N_("correct answer {answer} is not among the options ({options})"), {"answer": repr(ans), "options": _listed(ids)}
    return None


def _problem_multiple(ans, ids):
    chosen = [ans] if isinstance(ans, str) else list(ans) if isinstance(ans, tuple) else None
    if not chosen:
        return N_("give the correct option ids as a list"), {}
    if bad := [a for a in chosen if a not in ids]:
        return N_("correct answer {answer} is not among the options ({options})"), {
            "answer": ", ".join(map(repr, bad)), "options": _listed(ids)}
    return None


def _problem_ordering(ans, ids):
    if not isinstance(ans, tuple) or sorted(ans) != sorted(ids):
        return N_("an ordering answer lists every option id once, in the right order ({options})"), {"options": _listed(ids)}
    return None


def _problem_true_false(ans, ids):
    return None if isinstance(ans, bool) else (N_("a true_false answer is true or false (got {answer})"), {"answer": repr(ans)})


def _problem_numeric(ans, ids):
    if isinstance(ans, bool) or not isinstance(ans, (int, float)):
        return N_("a numeric answer is a number (got {answer})"), {"answer": repr(ans)}
    return None


def _problem_open(ans, ids):
    return N_("an open question is graded by hand and has no 'answer'; put guidance in 'explanation'"), {}


# --- an answer value in words (graded notebooks, feedback) --------------------------------


def _option_text(value: Any, spec: dict) -> str:
    texts = {str(o.get("id")): str(o.get("text", "")) for o in spec.get("options", ()) if isinstance(o, dict)}
    return texts.get(str(value), str(value))


def _words_true_false(value, spec, _):
    return _(N_("True")) if value is True else _(N_("False"))


def _words_numeric(value, spec, _):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:g} {spec.get('unit', '')}".strip()


# --- plausible wrong answers, for simulated trainees ---------------------------------------


def _wrong_single(key, ids, tolerance, rng):
    return rng.choice([i for i in ids if i != key])


def _wrong_true_false(key, ids, tolerance, rng):
    return not key


def _wrong_multiple(key, ids, tolerance, rng):
    others = [i for i in ids if i not in key]
    if others and (len(key) <= 1 or rng.random() < 0.5):
        return key + [rng.choice(others)]
    dropped = rng.choice(key)  # drawn once: one ticked option left out, so never the key itself
    return [i for i in key if i != dropped]


def _wrong_numeric(key, ids, tolerance, rng):
    step = max(1.0, abs(float(key)) * 0.5) * rng.choice((1, 2))
    delta = tolerance + step
    value = float(key) - delta if float(key) - delta >= 0 and rng.random() < 0.5 else float(key) + delta
    return int(value) if value == int(value) else round(value, 2)


def _wrong_ordering(key, ids, tolerance, rng):
    i = rng.randrange(len(key) - 1)
    wrong = list(key)
    wrong[i], wrong[i + 1] = wrong[i + 1], wrong[i]
    return wrong


# --- random guess scores (Moodle's definitions) -------------------------------------------


def _guess_single(k: int) -> float:
    return 1 / k if k else 0.0


def _guess_multiple(k: int) -> float:
    return 1 / (2 ** k - 1) if k else 0.0  # one of the 2^k - 1 non-empty subsets, all or nothing


def _guess_ordering(k: int) -> float:
    return 1 / math.factorial(k) if k else 0.0
