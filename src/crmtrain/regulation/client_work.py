"""Models of part 3 of a regulation, working with clients: the lead decision table, the
commercial proposal, contact deadlines on a working calendar, lead to client, the deal
pipeline and task rules. Part of :mod:`crmtrain.regulation.models`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from ..i18n import _
from .fields import Id, Model, ShapeError, Text, not_null


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
            raise ShapeError("values", _("a choice criterion needs at least two 'values'"))
        if self.type != "choice" and self.values:
            raise ShapeError("values", _("'values' belongs to choice criteria (this one is '{type}')").format(type=self.type))
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ShapeError("min" if self.min is not None else "max", _("'min'/'max' belong to number criteria"))
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ShapeError("max", _("'min' must be below 'max'"))
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


class DayHours(Model):
    """The working hours of one weekday, where they differ from the usual ones."""

    opens: HHMM
    closes: HHMM

    @model_validator(mode="after")
    def _open_before_close(self) -> "DayHours":
        if self.opens >= self.closes:
            raise ShapeError("closes", _("'opens' must be earlier than 'closes'"))
        return self


class Calendar(Model):
    timezone: Text = "Europe/Moscow"
    workdays: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    opens: HHMM = "09:00"
    closes: HHMM = "18:00"
    hours: dict[Weekday, DayHours] = Field(
        {}, description="working hours of the weekdays whose hours differ from opens-closes, e.g. fri: "
                        "{opens: '09:00', closes: '16:45'}")
    extra_workdays: tuple[dt.date, ...] = Field(
        (), description="dates that are working days although their weekday is not (a working Saturday)")
    holidays: tuple[dt.date, ...] = ()

    @model_validator(mode="after")
    def _open_before_close(self) -> "Calendar":
        if self.opens >= self.closes:
            raise ShapeError("closes", _("'opens' must be earlier than 'closes'"))
        if not self.workdays:
            raise ShapeError("workdays", _("at least one workday is needed"))
        return self


# Working time stops outside working hours; calendar time runs day and night, every day.
DEADLINE_UNITS = ("minutes", "hours", "days", "calendar_hours", "calendar_days")


class Deadline(Model):
    """Exactly one of: working minutes, working hours, working days, calendar hours, calendar days."""

    minutes: int | None = Field(None, gt=0, description="working minutes")
    hours: int | None = Field(None, gt=0, description="working hours")
    days: int | None = Field(None, gt=0, description="working days: by closing time of the N-th working day after")
    calendar_hours: int | None = Field(None, gt=0, description="hours day and night, weekends included")
    calendar_days: int | None = Field(None, gt=0, description="by the end (23:59) of the N-th day after, "
                                                                  "weekends and holidays included")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Deadline":
        given = [k for k in DEADLINE_UNITS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ShapeError(given[1] if given else "", _("give exactly one of {units}").format(
                units=", ".join(f"'{k}'" for k in DEADLINE_UNITS)))
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
    # Unset, not null, in the schema: an editor then shows a wrong key of the pipeline, not "no match".
    pipeline: Pipeline | None = Field(None, json_schema_extra=not_null,
                                      description="the deal pipeline, when the CRM has one")
    pipelines: tuple[Pipeline, ...] = Field(
        (), description="several deal pipelines (amoCRM's 'воронки'), each with its own statuses, transitions "
                        "and fields; instead of 'pipeline'")
    tasks: Tasks

    @model_validator(mode="after")
    def _pipeline_or_pipelines(self) -> "ClientWork":
        if self.pipeline is not None and self.pipelines:
            raise ShapeError("pipelines", _("give either 'pipeline' (one) or 'pipelines' (several), not both"))
        if self.pipeline is None and not self.pipelines:
            raise ShapeError("pipelines" if "pipelines" in self.model_fields_set else "pipeline",
                             _("the deal pipeline is missing: give 'pipeline', or 'pipelines' when the CRM has several"))
        return self

    @property
    def deal_pipelines(self) -> tuple[Pipeline, ...]:
        """Every deal pipeline, however the file writes them (one 'pipeline' or a list of 'pipelines')."""
        return (self.pipeline,) if self.pipeline is not None else self.pipelines

    def pipeline_locs(self) -> tuple[tuple[tuple, Pipeline], ...]:
        """(location in the document, pipeline) of every deal pipeline."""
        if self.pipeline is not None:
            return ((("client_work", "pipeline"), self.pipeline),)
        return tuple((("client_work", "pipelines", i), pl) for i, pl in enumerate(self.pipelines))


# --- a question's key taken from the rules (``answer_from``) -------------------------------------


class MoveRef(Model):
    """A move of a deal between two statuses; ``pipeline`` may be left out when there is one."""

    pipeline: Id | None = Field(None, json_schema_extra=not_null)
    source: Id = Field(alias="from")
    to: Id

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class StepRef(Model):
    """A step of a process, and for a decision the branch taken."""

    process: Id
    step: Id
    branch: str | None = Field(None, json_schema_extra=not_null)


class AnswerFrom(Model):
    """The rule a question's key is taken from: exactly one of these (docs/regulation-format.md)."""

    contact_deadline: Id | None = Field(
        None, json_schema_extra=not_null,
        description="numeric questions: the number in this contact rule's deadline")
    lead: dict[str, Condition] | None = Field(
        None, json_schema_extra=not_null,
        description="single-choice questions: the class the lead table gives this lead (the option "
                          "with the class's id or name)")
    transition: MoveRef | None = Field(
        None, json_schema_extra=not_null,
        description="true/false questions: whether the pipeline allows this move")
    next_step: StepRef | None = Field(
        None, json_schema_extra=not_null,
        description="single-choice questions: the step that follows (the option with the step's id or label)")

    @model_validator(mode="after")
    def _exactly_one(self) -> "AnswerFrom":
        given = [k for k in ANSWER_SOURCES if getattr(self, k) is not None]
        if len(given) != 1:
            raise ShapeError(given[1] if given else "", _("give exactly one of {sources}").format(
                sources=", ".join(f"'{k}'" for k in ANSWER_SOURCES)))
        return self

    @property
    def source(self) -> str:
        """Which rule it names: 'contact_deadline', 'lead', 'transition' or 'next_step'."""
        return next(k for k in ANSWER_SOURCES if getattr(self, k) is not None)


ANSWER_SOURCES = ("contact_deadline", "lead", "transition", "next_step")
