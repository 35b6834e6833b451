"""Checks that hold the rules against each other and the questions against the rules.

The working calendar: hours of a day that does not work, extra working days that already work
or are holidays too. Questions: a question whose key is a fact the rules determine says so
with ``answer_from`` (a contact deadline, a lead's class, whether a move is allowed, the next
step of a process); the key is then computed by the rule engines, and an ``answer`` written
beside it must agree. The loader fills in the computed keys (:func:`with_rule_keys`), so
everything downstream (workbooks, assessments, export, diff) sees the rule's key.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import N_, _
from ..kinds.questions import QUESTION_KINDS
from ..rules.calendar import WEEKDAYS
from .models import Regulation
from .positions import Loc

WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
                 N_("Sunday"))


def calendar(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Per-weekday hours name workdays; extra working days are days off and not holidays."""
    cal = reg.client_work.contact_timing.calendar
    at = ("client_work", "contact_timing", "calendar")
    for day in cal.hours:
        if day not in cal.workdays:
            yield (*at, "hours", day), _(
                "'{day}' is not one of the workdays ({workdays}); add it to 'workdays' or remove its hours (for a "
                "single working {weekday}, use 'extra_workdays')").format(
                    day=day, workdays=", ".join(cal.workdays), weekday=_(WEEKDAY_NAMES[WEEKDAYS.index(day)]))
    seen: set = set()
    for i, date in enumerate(cal.extra_workdays):
        weekday = WEEKDAYS[date.weekday()]
        if date in seen:
            yield (*at, "extra_workdays", i), _("{date} is listed twice").format(date=date.isoformat())
        elif weekday in cal.workdays:
            yield (*at, "extra_workdays", i), _(
                "{date} is a {weekday}, a workday already; list here only days off that are worked").format(
                    date=date.isoformat(), weekday=_(WEEKDAY_NAMES[date.weekday()]))
        elif date in cal.holidays:
            yield (*at, "extra_workdays", i), _("{date} is also in 'holidays'; keep it in one of the lists").format(
                date=date.isoformat())
        seen.add(date)


# --- questions whose key is a fact of the rules ---------------------------------------------------

# The answer shape (kinds.questions.SHAPES) of the fact each source gives: a question of any type of that shape takes it.
SOURCE_SHAPES = {"contact_deadline": "number", "lead": "option", "transition": "boolean", "next_step": "option"}


class _Wrong(Exception):
    """What a question's ``answer_from`` names does not exist or fit; ``where`` is under the question."""

    def __init__(self, where: tuple, message: str):
        super().__init__(message)
        self.where, self.message = where, message


class _Broken(Exception):
    """The rule a key comes from is broken itself; its own check reports it."""


def rule_key(reg: Regulation, q) -> tuple[object, str]:
    """(the key in the question's answer form, the rule's fact in words) of ``q.answer_from``; _Wrong if none."""
    src = q.answer_from.source
    if q.kind.shape != SOURCE_SHAPES[src]:
        wanted = " / ".join(k.name for k in QUESTION_KINDS.values() if k.shape == SOURCE_SHAPES[src])
        raise _Wrong(("answer_from", src), _("'{source}' gives the key of a {wanted} question (this one is {type})").format(
            source=src, wanted=wanted, type=q.type.value))
    return _FACTS[src](reg, q, getattr(q.answer_from, src))


def _deadline(reg, q, rule_id):
    from ..rules.calendar import parse_deadline

    rules = reg.client_work.contact_timing.rules
    rule = next((r for r in rules if r.id == rule_id), None)
    if rule is None:
        raise _Wrong(("answer_from", "contact_deadline"), _("unknown contact rule '{id}' (the rules: {known})").format(
            id=rule_id, known=", ".join(r.id for r in rules)))
    deadline = rule.deadline.model_dump(exclude_none=True)
    return parse_deadline(deadline)[1], _("contact rule '{id}' gives {deadline}").format(
        id=rule_id, deadline=in_words(deadline))


def _lead(reg, q, lead):
    from ..rules import conditions, decision_table

    lc = reg.client_work.lead_classification
    criteria = {c.name: c.model_dump(mode="json") for c in lc.criteria}
    for name, value in lead.items():
        if name not in criteria:
            raise _Wrong(("answer_from", "lead", name), _("unknown criterion '{name}' (criteria: {criteria})").format(
                name=name, criteria=", ".join(criteria)))
        if isinstance(value, tuple) or isinstance(value, str) and criteria[name]["type"] == "number":
            raise _Wrong(("answer_from", "lead", name), _("give the lead's one value of '{name}', not a condition")
                         .format(name=name))
        try:  # a value is a condition that holds for exactly that value
            conditions.parse_condition(criteria[name], value)
        except ValueError as exc:
            raise _Wrong(("answer_from", "lead", name), str(exc)) from None
    missing = [n for n in criteria if n not in lead]
    if missing:
        raise _Wrong(("answer_from", "lead"), _("describe the lead by every criterion; missing: {names}").format(
            names=", ".join(missing)))
    plain = {n: (v == "yes" if criteria[n]["type"] == "bool" and isinstance(v, str) else v) for n, v in lead.items()}
    try:
        rule = decision_table.classify(lc.model_dump(mode="json"), plain)
    except ValueError:  # the table itself is broken: its own check says where, a key can wait
        raise _Broken from None
    if rule is None:
        raise _Wrong(("answer_from", "lead"), _("no rule of the lead table matches this lead"))
    cls = next(c for c in lc.classes if c.id == rule["then"])
    return _option(q, cls.id, cls.name, ("answer_from", "lead")), _("the lead table gives class '{name}'").format(
        name=cls.name)


def _move(reg, q, move):
    from ..rules import pipeline as pipeline_rules

    pipelines = reg.client_work.deal_pipelines
    if move.pipeline is None and len(pipelines) > 1:
        raise _Wrong(("answer_from", "transition"), _("say which pipeline: 'pipeline' is one of {known}").format(
            known=", ".join(p.id for p in pipelines)))
    pl = pipelines[0] if move.pipeline is None else next((p for p in pipelines if p.id == move.pipeline), None)
    if pl is None:
        raise _Wrong(("answer_from", "transition", "pipeline"), _("unknown pipeline '{id}' (the pipelines: {known})")
                     .format(id=move.pipeline, known=", ".join(p.id for p in pipelines)))
    statuses = [s.id for s in pl.statuses]
    for key, value in (("from", move.source), ("to", move.to)):
        if value not in statuses:
            raise _Wrong(("answer_from", "transition", key), _("status '{status}' is not one of the statuses ({statuses})")
                         .format(status=value, statuses=", ".join(statuses)))
    allowed = pipeline_rules.transition(pl.model_dump(mode="json", by_alias=True), move.source, move.to) is not None
    text = _("pipeline '{id}' allows {src} → {dst}") if allowed else _("pipeline '{id}' does not allow {src} → {dst}")
    return allowed, text.format(id=pl.id, src=move.source, dst=move.to)


def _next(reg, q, ref):
    from ..rules import processes

    procs = reg.order_processing.processes
    proc = next((p for p in procs if p.id == ref.process), None)
    if proc is None:
        raise _Wrong(("answer_from", "next_step", "process"), _("unknown process '{id}' (the processes: {known})")
                     .format(id=ref.process, known=", ".join(p.id for p in procs)))
    try:
        target = processes.next_step(proc.model_dump(mode="json"), ref.step, ref.branch)
    except (ValueError, KeyError) as exc:
        raise _Wrong(("answer_from", "next_step"), str(exc.args[0] if exc.args else exc)) from None
    step = proc.step(target)
    return _option(q, step.id, step.label, ("answer_from", "next_step")), _(
        "in process '{id}' the next step is '{label}'").format(id=proc.id, label=step.label)


def _option(q, wanted_id: str, name: str, where: tuple) -> str:
    """The option that is ``wanted_id``: by id, else by its text."""
    for o in q.options:
        if o.id == wanted_id or o.text.strip().casefold() == name.strip().casefold():
            return o.id
    raise _Wrong(where, _("no option is '{name}': give the right option the id '{id}' or the text '{name}'").format(
        name=name, id=wanted_id))


_FACTS = {"contact_deadline": _deadline, "lead": _lead, "transition": _move, "next_step": _next}


def answers_agree(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """A question taking its key from a rule names a rule that gives one, and its own 'answer' agrees."""
    for i, q in enumerate(reg.questions):
        if q.answer_from is None:
            continue
        try:
            key, fact = rule_key(reg, q)
        except _Wrong as wrong:
            yield ("questions", i, *wrong.where), wrong.message
            continue
        except _Broken:
            continue
        if q.answer is not None and q.kind.canonical(q.answer) != q.kind.canonical(key):
            yield ("questions", i, "answer"), _(
                "the key {answer} disagrees with the rule: {fact}; leave out 'answer' to take the key from the rule"
            ).format(answer=shown(q.answer), fact=fact)


def in_words(deadline: dict) -> str:
    """'30 working minutes' in the language messages are said in now."""
    from ..i18n import deadline_text, language, translation
    from ..rules.calendar import UNITS, describe_deadline

    tr = translation(language())
    return describe_deadline(deadline, {u: (lambda n, u=u: deadline_text(tr, u, n)) for u in UNITS})


def shown(value) -> str:
    """A key as people read it: yes/no for true/false."""
    return (_("yes") if value else _("no")) if isinstance(value, bool) else str(value)


def with_rule_keys(reg: Regulation) -> Regulation:
    """The regulation with each ``answer_from`` question's key filled in from its rule (checked first)."""
    changed = {i: q.model_copy(update={"answer": rule_key(reg, q)[0]})
               for i, q in enumerate(reg.questions) if q.answer_from is not None and q.answer is None}
    if not changed:
        return reg
    questions = tuple(changed.get(i, q) for i, q in enumerate(reg.questions))
    return reg.model_copy(update={"questions": questions})
