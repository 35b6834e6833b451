"""Question types: one frozen :class:`QuestionKind` record each, in :data:`QUESTION_KINDS`.

Everything that differs between question types is said here, once: the regulation model's
``QuestionType`` enum, the regulation checks, the practice keys (``runtime/keys.py``), the
hidden tests of assessments, the trainee's widgets (``runtime/inputs.py``), the simulated
trainees, grading and the reports all read these records.

Adding a question type means three things:

1. one :class:`QuestionKind` entry in :data:`QUESTION_KINDS` below (its answer check, its
   answer's shape, how the key is sealed — an existing key shape of ``runtime/keys.py`` or a
   new one there — and the name of its widget);
2. its widget: an ``AnswerInput`` subclass in ``crmtrain/runtime/inputs.py`` named by
   ``widget``;
3. its tests: rows in the answer tables of ``tests/test_kinds_questions.py`` (the check and
   the sealed key must agree) and a widget test in ``tests/test_runtime_workbook.py``.

Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .guessing import ORDERS, SUBSETS, Responses, expected_share


def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return message


Check = Callable[[Any, Any, float], bool]


@dataclass(frozen=True)
class QuestionKind:
    """Everything crmtrain knows about one question type."""

    name: str  # as written in the regulation's ``type:`` and in answers.json's metadata
    autograded: bool  # scored by a check (else the specialist grades it by hand)
    options: bool  # the question lists at least two options; if False it lists none
    saved_as: str  # the answer's stored form in answers.json and in the hidden test's key
    canonical: Callable[[Any], Any]  # the regulation's answer -> that stored form
    check: Check | None  # pure (answer, key, tolerance) -> correct; answer is never None here
    # A regulation answer's flaw: (msgid, its placeholders), said in the regulation's language by the check.
    answer_problem: Callable[[Any, Sequence[str]], tuple[str, dict[str, str]] | None]
    key: str | None  # the key shape in runtime/keys.py that seals it for practice; None: no practice
    widget: str  # class name of its AnswerInput in crmtrain.runtime.inputs
    wrong: Callable[[Any, Sequence[str], float, random.Random], Any] | None = None  # a plausible wrong answer
    tolerance: bool = False  # the question may give a tolerance
    choice: bool = False  # the trainee picks among the options, so some may go unchosen
    # Expected share of the points from a uniform random guess, given the number of options
    # (Moodle's random guess score; item analysis flags questions too easy to guess).
    guess: Callable[[int], float] = lambda k: 0.0  # numbers and texts cannot be guessed
    unordered: bool = False  # the answer is a set of ids: order carries no meaning
    hint: str = ""  # msgid shown under the question in an assessment ("" for none)
    label: str = ""  # msgid: how reports name the type for people ("one answer")
    # Partial credit, when the regulation asks for it: (answer, key, tolerance) -> share of the
    # points in [0, 1]. None: the type is all or nothing by ``check`` even then.
    credit: Callable[[Any, Any, float], float] | None = None
    # What a random response is, for the guess score under partial credit (kinds/guessing.py).
    responses: Responses | None = None
    # How a graded notebook lays a whole answer out: "value" (one value), "text" (the trainee's
    # own words, quoted verbatim), "set" (ids, each right when in the key) or "sequence" (ids,
    # each right when in the key's place; the key reads "a → b → c").
    form: str = "value"
    # One saved value in words, given the question's spec (options, unit) and a gettext.
    words: Callable[[Any, dict, Callable[[str], str]], str] = lambda value, spec, _: _option_text(value, spec)

    def describe(self, value: Any, spec: dict, gettext: Callable[[str], str] = str) -> str:
        """One saved answer value as the trainee reads it: an option's text, yes/no, a number with its unit."""
        return self.words(value, spec, gettext)

    @property
    def practice(self) -> bool:
        """Whether workbooks can ask it with a sealed key and instant feedback."""
        return self.key is not None

    def is_correct(self, answer: Any, key: Any, tolerance: float = 0.0) -> bool:
        """Whether a saved answer matches the key (no answer is never correct)."""
        if answer is None:
            return False
        if self.check is None:
            raise ValueError(f"question type {self.name!r} is not autograded "
                             f"(expected one of {', '.join(AUTOGRADED_TYPES)})")
        return self.check(answer, key, tolerance)

    def score(self, answer: Any, key: Any, points: float, tolerance: float = 0.0, partial: bool = False) -> float:
        """Points a saved answer earns: all or nothing, or partial credit if asked and the kind has it.

        Partial points are rounded to 4 decimals (the hidden test prints them; nbgrader reads
        that number back), and a right answer always earns exactly ``points``.
        """
        if answer is None:
            return 0.0
        if self.is_correct(answer, key, tolerance):
            return float(points)
        if partial and self.credit is not None:
            return round(float(points) * self.credit(answer, key, tolerance), 4)
        return 0.0

    def guess_score(self, option_ids: Sequence[str], key: Any = None, partial: bool = False) -> float:
        """Moodle's random guess score: the expected share of the points from a random response."""
        if not partial or self.credit is None or self.responses is None or key is None:
            return self.guess(len(option_ids))
        frozen = tuple(key) if isinstance(key, (list, tuple)) else key
        return _partial_guess(self.name, tuple(option_ids), frozen)


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


@lru_cache(maxsize=1024)
def _partial_guess(name: str, ids: tuple[str, ...], key: Any) -> float:
    # Cached: the reports ask once per question and assessment, and an ordering of 7 has 5040 responses.
    kind = QUESTION_KINDS[name]
    key = list(key) if isinstance(key, tuple) else key
    right = len(set(key) & set(ids)) if isinstance(key, list) else 1
    return expected_share(kind.responses, ids, right,
                          lambda r: 1.0 if kind.is_correct(r, key) else kind.credit(r, key, 0.0))


# --- the registry ---------------------------------------------------------------------------

_KINDS = (
    QuestionKind("single", label=N_("one answer"), autograded=True, options=True,
                 saved_as="the chosen option's id (a string), never its position: options are shuffled",
                 canonical=_as_is, check=_check_single, answer_problem=_problem_single,
                 key="option", widget="SingleChoice", wrong=_wrong_single, choice=True,
                 guess=_guess_single),
    QuestionKind("multiple", label=N_("several answers"), autograded=True, options=True,
                 saved_as="a list of the chosen option ids (order ignored)",
                 canonical=_as_list, check=_check_multiple, answer_problem=_problem_multiple,
                 key="marks", widget="MultipleChoice", wrong=_wrong_multiple, unordered=True, choice=True, guess=_guess_multiple,
                 credit=_credit_multiple, responses=SUBSETS, form="set",
                 hint=N_("Tick all that apply.")),
    QuestionKind("true_false", label=N_("true or false statement"), autograded=True, options=False, saved_as="true or false",
                 canonical=_as_is, check=_check_true_false, answer_problem=_problem_true_false,
                 key="boolean", widget="TrueFalse", wrong=_wrong_true_false, guess=lambda k: 0.5,
                 words=_words_true_false),
    QuestionKind("numeric", label=N_("a number"), autograded=True, options=False, saved_as="a number (right within the tolerance)",
                 canonical=_as_is, check=_check_numeric, answer_problem=_problem_numeric,
                 key="number", widget="NumberInput", wrong=_wrong_numeric, tolerance=True, words=_words_numeric),
    QuestionKind("ordering", label=N_("in order"), autograded=True, options=True,
                 saved_as="a list of option ids in the trainee's order",
                 canonical=_as_list, check=_check_ordering, answer_problem=_problem_ordering,
                 key="order", widget="Ordering", wrong=_wrong_ordering, guess=_guess_ordering,
                 credit=_credit_ordering, responses=ORDERS, form="sequence"),
    QuestionKind("open", label=N_("open answer"), autograded=False, options=False,
                 saved_as="the text (graded by hand, never checked)",
                 canonical=_as_is, check=None, answer_problem=_problem_open, key=None, widget="TextAnswer",
                 form="text", words=lambda value, spec, _: str(value),
                 hint=N_("Answer in your own words; the responsible specialist grades this one by hand.")),
)

QUESTION_KINDS: dict[str, QuestionKind] = {k.name: k for k in _KINDS}
QUESTION_TYPES: tuple[str, ...] = tuple(QUESTION_KINDS)
AUTOGRADED_TYPES: tuple[str, ...] = tuple(k.name for k in _KINDS if k.autograded)
PRACTICE_TYPES: tuple[str, ...] = tuple(k.name for k in _KINDS if k.practice)
CREDIT_TYPES: tuple[str, ...] = tuple(k.name for k in _KINDS if k.credit is not None)


def question_kind(name: Any) -> QuestionKind:
    """The record of a question type (an enum member or its name); ValueError if unknown."""
    name = getattr(name, "value", name)
    try:
        return QUESTION_KINDS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown question type {name!r}; known: {', '.join(QUESTION_TYPES)}") from None
