"""Typed, immutable models of a CRM regulation (the YAML format in docs/regulation-format.md).

Field-level checks live here; checks that need the whole regulation (references,
reachability, decision-table gaps) live in ``checks.py`` so that every problem can be
reported at once with its position.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model, model_validator

from ..kinds.assessments import ASSESSMENTS
from ..kinds.questions import QUESTION_TYPES, QuestionKind, question_kind

# One id pattern for every id (documented in docs/regulation-format.md). No dots: a dot joins
# an owner and its child in a reference (``order-intake.check-stock``), so a dotted id could
# collide with a reference and hide a duplicate.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
ID_MAX = 64
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9][A-Za-z0-9_-]*)?$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX)]
Ref = Annotated[str, StringConstraints(pattern=REF_PATTERN, max_length=2 * ID_MAX + 1)]
Text = Annotated[str, StringConstraints(min_length=1)]


class ShapeError(ValueError):
    """A model's fields do not fit together; ``field`` names the key to point at."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Model(BaseModel):
    """Base: immutable, unknown keys are errors (they are almost always typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False, defer_build=True)


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
                raise ShapeError("next", "a decision step has 'branches', not 'next'")
            if len(self.branches) < 2:
                raise ShapeError("branches", "a decision step needs at least two branches")
        else:
            if self.branches:
                raise ShapeError("branches", f"only a decision step has 'branches' (this one is '{self.kind}')")
            if self.kind == "end" and self.next is not None:
                raise ShapeError("next", "an end step has no 'next'")
            if self.kind != "end" and self.next is None:
                raise ShapeError("next", f"a{'n' if self.kind == 'action' else ''} {self.kind} step needs 'next'")
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


# --- part 3: client work ------------------------------------------------------------------


class Criterion(Model):
    """One input of the lead decision table."""

    name: Id
    label: Text
    type: Literal["number", "choice", "bool"]
    values: tuple[Text, ...] = ()
    value_labels: dict[str, str] = {}
    min: float | None = None
    max: float | None = None
    unit: str = ""

    @model_validator(mode="after")
    def _values_for_choice(self) -> "Criterion":
        if self.type == "choice" and len(self.values) < 2:
            raise ShapeError("values", "a choice criterion needs at least two 'values'")
        if self.type != "choice" and self.values:
            raise ShapeError("values", f"'values' belongs to choice criteria (this one is '{self.type}')")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ShapeError("min" if self.min is not None else "max", "'min'/'max' belong to number criteria")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ShapeError("max", "'min' must be below 'max'")
        return self


class LeadClass(Model):
    id: Id
    name: Text
    description: str = ""
    action: str = ""


# A condition is a choice value (or list of them), a bool, or a number expression such as
# ">= 500000", "< 100000" or "100000..500000" (lower bound included, upper excluded).
Condition = Union[bool, int, float, str, tuple[str, ...]]


class Rule(Model):
    id: Id
    when: dict[str, Condition] = {}
    then: Id
    note: str = ""


class LeadClassification(Model):
    id: Id
    title: Text
    body: str = ""
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    classes: tuple[LeadClass, ...] = Field(min_length=2)
    rules: tuple[Rule, ...] = Field(min_length=1)


class ProposalSource(Model):
    id: Id
    case: Text
    source: Text
    approver: str = ""


class Proposal(Model):
    id: Id
    title: Text
    body: str = ""
    sources: tuple[ProposalSource, ...] = Field(min_length=1)


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class Calendar(Model):
    timezone: Text = "Europe/Moscow"
    workdays: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    opens: HHMM = "09:00"
    closes: HHMM = "18:00"
    holidays: tuple[dt.date, ...] = ()

    @model_validator(mode="after")
    def _open_before_close(self) -> "Calendar":
        if self.opens >= self.closes:
            raise ShapeError("closes", "'opens' must be earlier than 'closes'")
        if not self.workdays:
            raise ShapeError("workdays", "at least one workday is needed")
        return self


class Deadline(Model):
    """Exactly one of: working minutes, working hours, working days."""

    minutes: int | None = Field(None, gt=0)
    hours: int | None = Field(None, gt=0)
    days: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> "Deadline":
        given = [k for k in ("minutes", "hours", "days") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ShapeError(given[1] if given else "", "give exactly one of 'minutes', 'hours', 'days'")
        return self


class TimingRule(Model):
    id: Id
    event: Text
    action: Text
    deadline: Deadline
    channel: Literal["call", "email", "message", "meeting", "any"] = "call"


class ContactTiming(Model):
    id: Id
    title: Text
    body: str = ""
    calendar: Calendar = Calendar()
    rules: tuple[TimingRule, ...] = Field(min_length=1)


class ConversionCriterion(Model):
    id: Id
    text: Text


class Conversion(Model):
    id: Id
    title: Text
    body: str = ""
    criteria: tuple[ConversionCriterion, ...] = Field(min_length=1)


class DealField(Model):
    id: Id
    label: Text


class Status(Model):
    id: Id
    name: Text
    description: str = ""
    terminal: bool = False


class Transition(Model):
    source: Id = Field(alias="from")
    to: Id
    requires: tuple[Id, ...] = ()
    note: str = ""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class Pipeline(Model):
    id: Id
    title: Text
    body: str = ""
    initial: Id
    fields: tuple[DealField, ...] = ()
    statuses: tuple[Status, ...] = Field(min_length=2)
    transitions: tuple[Transition, ...] = Field(min_length=1)


class TaskRule(Model):
    id: Id
    when: Text
    task: Text
    attach_to: Literal["lead", "contact", "company", "deal"]
    due: str = ""


class Tasks(Model):
    id: Id
    title: Text
    body: str = ""
    rules: tuple[TaskRule, ...] = Field(min_length=1)


class ClientWork(Model):
    intro: str = ""
    lead_classification: LeadClassification
    proposal: Proposal
    contact_timing: ContactTiming
    conversion: Conversion
    pipeline: Pipeline
    tasks: Tasks


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
    tolerance: float = Field(0, ge=0)
    unit: str = ""
    explanation: str = ""
    points: int = Field(1, ge=1, le=100)
    pool: Id = "core"

    @property
    def kind(self) -> QuestionKind:
        """The record of this question's type."""
        return question_kind(self.type)

    @property
    def key(self) -> Any:
        """The answer in its stored form (as answers.json and the hidden test hold it)."""
        return None if self.answer is None else self.kind.canonical(self.answer)


class Draw(Model):
    pool: Id
    topic: TestTopic | None = None
    count: int = Field(ge=1)


class Assessment(Model):
    title: Text
    description: str = ""
    pass_mark: int | None = Field(None, ge=1, le=100)
    due_days: int = Field(7, ge=0)
    include: tuple[Id, ...] = ()
    draw: tuple[Draw, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> "Assessment":
        if not self.include and not self.draw:
            raise ShapeError("include", "an assessment needs 'include' or 'draw'")
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
