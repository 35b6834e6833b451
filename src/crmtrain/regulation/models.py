"""Typed, immutable models of a CRM regulation (the YAML format in docs/regulation-format.md).

The document and parts 1, 2 and 4 live here, part 3 in ``client_work.py``, the shared id
types and base model in ``fields.py``. Field-level checks live in the models; checks that
need the whole regulation (references, reachability, decision-table gaps) live in
``checks.py`` so that every problem can be reported at once with its position.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Literal, Union

from pydantic import Field, create_model, model_validator

from ..i18n import _
from ..kinds.assessments import ASSESSMENTS
from ..kinds.drills import DRILL_KINDS
from ..kinds.questions import QUESTION_TYPES, QuestionKind, question_kind
from .client_work import AnswerFrom, ClientWork
from .fields import Id, Model, Ref, ShapeError, Text, WordForms, not_null


class Language(str, Enum):
    ru = "ru"
    en = "en"


# --- meta ---------------------------------------------------------------------------------


class Specialist(Model):
    name: Text
    contact: Text
    role: str = ""


class Meta(Model):
    company: Text
    crm: Text
    language: Language
    version: Text
    effective_date: dt.date
    specialist: Specialist
    pass_mark: int = Field(80, ge=1, le=100, description="percent of points needed to pass")
    words: dict[Literal["lead", "client", "deal", "task"], WordForms] = Field(
        {}, description="the company's own words for the CRM's objects, used in every generated text: "
                        "lead: {one: заявка}")

    def word_forms(self) -> dict:
        """The words as the translations take them (crmtrain.i18n.translation's ``words``)."""
        return {k: v.model_dump(exclude_defaults=True) for k, v in self.words.items()}


# --- part 1: summary ----------------------------------------------------------------------


class SummaryKind(str, Enum):
    """The items the article asks the summary to cover."""

    purpose = "purpose"
    access = "access"
    interface = "interface"
    sales_setup = "sales_setup"
    analytics = "analytics"
    lookup = "lookup"
    settings = "settings"


class Link(Model):
    title: Text
    url: Text


class Image(Model):
    path: Text
    alt: Text


class Block(Model):
    """One sub-section of a topic, e.g. one block of the interface."""

    title: Text
    body: Text


class Topic(Model):
    id: Id
    kind: SummaryKind
    title: Text
    body: Text
    blocks: tuple[Block, ...] = ()
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()


class Summary(Model):
    intro: str = ""
    topics: tuple[Topic, ...] = Field(min_length=1)


# --- part 2: order processing -------------------------------------------------------------


class Branch(Model):
    label: Text
    next: Id


class Step(Model):
    id: Id
    kind: Literal["start", "action", "decision", "end"]
    label: Text
    role: str = ""
    instructions: str = ""
    next: Id | None = None
    branches: tuple[Branch, ...] = ()

    @model_validator(mode="after")
    def _shape_matches_kind(self) -> "Step":
        if self.kind == "decision":
            if self.next is not None:
                raise ShapeError("next", _("a decision step has 'branches', not 'next'"))
            if len(self.branches) < 2:
                raise ShapeError("branches", _("a decision step needs at least two branches"))
        else:
            if self.branches:
                raise ShapeError("branches", _("only a decision step has 'branches' (this one is '{kind}')").format(kind=self.kind))
            if self.kind == "end" and self.next is not None:
                raise ShapeError("next", _("an end step has no 'next'"))
            if self.kind != "end" and self.next is None:
                raise ShapeError("next", _("a step of kind '{kind}' needs 'next'").format(kind=self.kind))
        return self

    def successors(self) -> tuple[tuple[str | None, str], ...]:
        """(branch label or None, next step id) pairs leaving this step."""
        if self.kind == "decision":
            return tuple((b.label, b.next) for b in self.branches)
        return ((None, self.next),) if self.next else ()


class Process(Model):
    id: Id
    title: Text
    description: str = ""
    steps: tuple[Step, ...] = Field(min_length=2)

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError if none)."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)


class OrderProcessing(Model):
    intro: str = ""
    processes: tuple[Process, ...] = Field(min_length=1)


# --- part 4: tests ------------------------------------------------------------------------


class TestTopic(str, Enum):
    """The article's three test areas."""

    technical = "technical"
    processes = "processes"
    sales = "sales"


# One member per record of the question-type registry; nothing else lists the types.
QuestionType = Enum("QuestionType", [(name, name) for name in QUESTION_TYPES], type=str, module=__name__)


class Option(Model):
    id: Id
    text: Text


Answer = Union[bool, int, float, str, tuple[str, ...]]


class Question(Model):
    id: Id
    refs: tuple[Ref, ...] = Field(min_length=1)
    topic: TestTopic
    type: QuestionType
    text: Text
    options: tuple[Option, ...] = ()
    answer: Answer | None = None
    answer_from: AnswerFrom | None = Field(
        None, json_schema_extra=not_null,
        description="take the key from a rule (a contact deadline, a lead's class, a move, the next step) "
                          "instead of 'answer', so that changing the rule changes the key")
    tolerance: float = Field(0, ge=0)
    unit: str = ""
    explanation: str = ""
    points: int = Field(1, ge=1, le=100)
    pool: Id = "core"
    partial_credit: bool | None = Field(
        None, description="multiple and ordering only: a partly right answer earns part of the points; "
                          "unset: as the assessment says")

    @property
    def kind(self) -> QuestionKind:
        """The record of this question's type."""
        return question_kind(self.type)

    def partial(self, assessment_default: bool = False) -> bool:
        """Whether this question earns partial credit in an assessment with that default."""
        wanted = assessment_default if self.partial_credit is None else self.partial_credit
        return wanted and self.kind.credit is not None

    @property
    def key(self) -> Any:
        """The answer in its stored form (as answers.json and the hidden test hold it)."""
        return None if self.answer is None else self.kind.canonical(self.answer)


class Draw(Model):
    pool: Id
    topic: TestTopic | None = None
    count: int = Field(ge=1)


# One member per drill kind: the rule-generated cases a slot can ask.
CaseKind = Enum("CaseKind", [(name, name) for name in DRILL_KINDS], type=str, module=__name__)


# Case kinds drawing from one of several parts (a list in the regulation), whose slot may pick one
# by a field of the kind's name.
PICKS = tuple(name for name, kind in DRILL_KINDS.items() if kind.drills.endswith("[]"))


class Slot(Model):
    """A place in an assessment that differs per trainee, with the same points for everyone.

    ``one_of``: one of several bank questions, drawn per trainee (Moodle's random question).
    ``case``: a case the rule engine of that drill kind generates per trainee, graded by it.
    """

    id: Id
    one_of: tuple[Id, ...] = ()
    case: CaseKind | None = None
    process: Id | None = Field(None, description="case: process only; unset: each trainee's process is drawn too")
    pipeline: Id | None = Field(None, description="case: pipeline only; unset: each trainee's pipeline is drawn too")
    points: int | None = Field(None, ge=1, le=100, description="case slots only (default 1); a draw is worth "
                                                               "what its questions are")

    @model_validator(mode="after")
    def _one_kind(self) -> "Slot":
        if bool(self.one_of) == (self.case is not None):
            raise ShapeError("one_of" if self.one_of else "case", _(
                "a slot has either 'one_of' (questions to draw from) or 'case' (a rule-generated case), not both")
                if self.one_of else
                _("a slot needs 'one_of' (questions to draw from) or 'case' (a rule-generated case)"))
        if self.one_of:
            if len(self.one_of) < 2:
                raise ShapeError("one_of", _("a slot draws from at least two questions (for one, use 'include')"))
            if self.points is not None:
                raise ShapeError("points", _("a drawn slot is worth what its questions are; 'points' is for 'case' slots"))
        for name in PICKS:
            if getattr(self, name) is not None and self.case is not None and self.case.value != name:
                raise ShapeError(name, _("'{name}' is for 'case: {name}' slots (this one is '{case}')").format(
                    name=name, case=self.case.value))
        return self

    @property
    def picked(self) -> str | None:
        """The one process or pipeline a case slot asks about (None: each trainee's is drawn)."""
        return getattr(self, self.case.value) if self.case is not None and self.case.value in PICKS else None

    @property
    def worth(self) -> int | None:
        """The points of a case slot (a drawn slot takes its questions')."""
        return (self.points or 1) if self.case is not None else None


class Assessment(Model):
    title: Text
    description: str = ""
    pass_mark: int | None = Field(None, ge=1, le=100)
    due_days: int = Field(7, ge=0)
    after_days: int | None = Field(None, ge=0)
    include: tuple[Id, ...] = ()
    draw: tuple[Draw, ...] = ()
    slots: tuple[Slot, ...] = Field((), description="per-trainee variants: a question drawn from several, or "
                                                    "a rule-generated case; asked after the other questions")
    show_answers: bool | None = Field(
        None, description="whether the trainees' feedback shows the correct answers; unset: hidden "
                          "for the initial (its items come back in the follow-up), shown for the others")
    partial_credit: bool = Field(
        False, description="partial credit for its multiple and ordering questions that do not say otherwise")

    @model_validator(mode="after")
    def _not_empty(self) -> "Assessment":
        if not self.include and not self.draw and not self.slots:
            raise ShapeError("include", _("an assessment needs 'include', 'draw' or 'slots'"))
        return self


# One field per assessment kind of the registry, in the order they are taken.
Assessments = create_model("Assessments", __base__=Model, __module__=__name__,
                           **{name: (Assessment, ...) for name in ASSESSMENTS})


# --- the whole document -------------------------------------------------------------------


class Regulation(Model):
    meta: Meta
    summary: Summary
    order_processing: OrderProcessing
    client_work: ClientWork
    questions: tuple[Question, ...] = Field(min_length=1)
    assessments: Assessments

    def question(self, qid: str) -> Question:
        """The question with this id (KeyError if none)."""
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)
