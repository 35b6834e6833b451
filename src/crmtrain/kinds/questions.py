"""Question types: one frozen :class:`QuestionKind` record each, in :data:`QUESTION_KINDS`.

Everything that differs between question types is said here, once: the regulation model's
``QuestionType`` enum, the regulation checks, the practice keys (``runtime/keys.py``), the
hidden tests of assessments, the trainee's widgets (``runtime/inputs.py``), the simulated
trainees, grading and the reports all read these records.

Adding a question type means three things:

1. one :class:`QuestionKind` entry in :data:`QUESTION_KINDS` below (its answer check, its
   answer's shape, how the key is sealed — an existing key shape of ``runtime/keys.py`` or a
   new one there — the name of its widget, and how people read its name: ``label`` in reports,
   ``menu`` in the editor's list of types, ``aliases`` in spreadsheets). Its ``shape`` (one of
   :data:`SHAPES`) is all that other formats need: Moodle XML, GIFT, QTI and spreadsheets write
   and read it, the synthetic course asks it and ``answer_from`` gives its key by that shape. A
   new shape needs its writers there too; until then the formats report such questions as not
   exported;
2. its widget: an ``AnswerInput`` subclass in ``crmtrain/runtime/inputs.py`` named by
   ``widget``;
3. its tests: rows in the answer tables of ``tests/test_kinds_questions.py`` (the check and
   the sealed key must agree) and a widget test in ``tests/test_runtime_workbook.py``.

Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .answers import (N_, _as_is, _as_list, _check_multiple, _check_numeric, _check_ordering, _check_single,
                      _check_true_false, _credit_multiple, _credit_ordering, _guess_multiple, _guess_ordering,
                      _guess_single, _option_text, _problem_multiple, _problem_numeric, _problem_open,
                      _problem_ordering, _problem_single, _problem_true_false, _words_numeric, _words_true_false,
                      _wrong_multiple, _wrong_numeric, _wrong_ordering, _wrong_single, _wrong_true_false)
from .guessing import ORDERS, SUBSETS, Responses, expected_share

# The shapes an answer comes in. Other formats key their tables by shape, never by type name:
# the interchange formats' writers and readers, the synthetic course, the rules that give a key
# (``answer_from``). A new type of an existing shape needs no entry there; a new shape is new
# there too, and until then those formats say they cannot take it.
SHAPES = {
    "option": "one option id",
    "options": "a set of option ids",
    "boolean": "true or false",
    "number": "a number, right within a tolerance",
    "order": "every option id, in order",
    "text": "the trainee's own words",
}
# How a graded notebook lays a whole answer of each shape out (see QuestionKind.form).
_FORMS = {"options": "set", "order": "sequence", "text": "text"}


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
    shape: str  # the answer's shape, one of SHAPES: what other formats key their tables by
    wrong: Callable[[Any, Sequence[str], float, random.Random], Any] | None = None  # a plausible wrong answer
    tolerance: bool = False  # the question may give a tolerance
    choice: bool = False  # the trainee picks among the options, so some may go unchosen
    # Expected share of the points from a uniform random guess, given the number of options
    # (Moodle's random guess score; item analysis flags questions too easy to guess).
    guess: Callable[[int], float] = lambda k: 0.0  # numbers and texts cannot be guessed
    unordered: bool = False  # the answer is a set of ids: order carries no meaning
    hint: str = ""  # msgid shown under the question in an assessment ("" for none)
    label: str = ""  # msgid: how reports name the type for people ("one answer")
    menu: str = ""  # msgid: the type in the editor's pick list of question types ("One answer")
    # Partial credit, when the regulation asks for it: (answer, key, tolerance) -> share of the
    # points in [0, 1]. None: the type is all or nothing by ``check`` even then.
    credit: Callable[[Any, Any, float], float] | None = None
    # What a random response is, for the guess score under partial credit (kinds/guessing.py).
    responses: Responses | None = None
    # Other names a specialist's spreadsheet may give the type (matched ignoring case).
    aliases: tuple[str, ...] = ()
    # One saved value in words, given the question's spec (options, unit) and a gettext.
    words: Callable[[Any, dict, Callable[[str], str]], str] = lambda value, spec, _: _option_text(value, spec)

    def describe(self, value: Any, spec: dict, gettext: Callable[[str], str] = str) -> str:
        """One saved answer value as the trainee reads it: an option's text, yes/no, a number with its unit."""
        return self.words(value, spec, gettext)

    @property
    def form(self) -> str:
        """How a graded notebook lays a whole answer out, by its shape.

        "value" (one value), "text" (the trainee's own words, quoted verbatim), "set" (ids, each
        right when in the key) or "sequence" (ids, each right when in the key's place; the key
        reads "a → b → c").
        """
        return _FORMS.get(self.shape, "value")

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
    QuestionKind("single", label=N_("one answer"), menu=N_("One answer"), autograded=True, options=True,
                 saved_as="the chosen option's id (a string), never its position: options are shuffled",
                 canonical=_as_is, check=_check_single, answer_problem=_problem_single,
                 key="option", widget="SingleChoice", shape="option", wrong=_wrong_single, choice=True,
                 guess=_guess_single, aliases=("single choice", "один")),
    QuestionKind("multiple", label=N_("several answers"), menu=N_("Several answers"), autograded=True, options=True,
                 saved_as="a list of the chosen option ids (order ignored)",
                 canonical=_as_list, check=_check_multiple, answer_problem=_problem_multiple,
                 key="marks", widget="MultipleChoice", shape="options", wrong=_wrong_multiple, unordered=True, choice=True,
                 guess=_guess_multiple, credit=_credit_multiple, responses=SUBSETS,
                 hint=N_("Tick all that apply."), aliases=("multiple choice", "несколько")),
    QuestionKind("true_false", label=N_("true or false statement"), menu=N_("True or false"), autograded=True, options=False, saved_as="true or false",
                 canonical=_as_is, check=_check_true_false, answer_problem=_problem_true_false,
                 key="boolean", widget="TrueFalse", shape="boolean", wrong=_wrong_true_false, guess=lambda k: 0.5,
                 words=_words_true_false, aliases=("true/false", "truefalse", "да/нет", "верно/неверно")),
    QuestionKind("numeric", label=N_("a number"), menu=N_("Number"), autograded=True, options=False, saved_as="a number (right within the tolerance)",
                 canonical=_as_is, check=_check_numeric, answer_problem=_problem_numeric,
                 key="number", widget="NumberInput", shape="number", wrong=_wrong_numeric, tolerance=True,
                 words=_words_numeric, aliases=("number", "число")),
    QuestionKind("ordering", label=N_("in order"), menu=N_("Put in order"), autograded=True, options=True,
                 saved_as="a list of option ids in the trainee's order",
                 canonical=_as_list, check=_check_ordering, answer_problem=_problem_ordering,
                 key="order", widget="Ordering", shape="order", wrong=_wrong_ordering, guess=_guess_ordering,
                 credit=_credit_ordering, responses=ORDERS, aliases=("order", "порядок")),
    QuestionKind("open", label=N_("open answer"), menu=N_("Open answer (graded by hand)"), autograded=False, options=False,
                 saved_as="the text (graded by hand, never checked)",
                 canonical=_as_is, check=None, answer_problem=_problem_open, key=None, widget="TextAnswer",
                 shape="text", words=lambda value, spec, _: str(value), aliases=("essay", "открытый"),
                 hint=N_("Answer in your own words; the responsible specialist grades this one by hand.")),
)

QUESTION_KINDS: dict[str, QuestionKind] = {k.name: k for k in _KINDS}
QUESTION_TYPES: tuple[str, ...] = tuple(QUESTION_KINDS)
AUTOGRADED_TYPES: tuple[str, ...] = tuple(k.name for k in _KINDS if k.autograded)
PRACTICE_TYPES: tuple[str, ...] = tuple(k.name for k in _KINDS if k.practice)
CREDIT_TYPES: tuple[str, ...] = tuple(k.name for k in _KINDS if k.credit is not None)


def of_shape(shape: str, named: Any = None) -> QuestionKind | None:
    """The type a reader makes of an answer of this shape: ``named`` if it has that shape, else the
    first registered type that has it (None: crmtrain has no type of that shape)."""
    name = getattr(named, "value", named)
    kind = QUESTION_KINDS.get(name) if isinstance(name, str) else None
    if kind is not None and kind.shape == shape:
        return kind
    return next((k for k in _KINDS if k.shape == shape), None)


def question_kind(name: Any) -> QuestionKind:
    """The record of a question type (an enum member or its name); ValueError if unknown."""
    name = getattr(name, "value", name)
    try:
        return QUESTION_KINDS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown question type {name!r}; known: {', '.join(QUESTION_TYPES)}") from None
