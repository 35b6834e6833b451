"""Questions that test a rule without saying so, and whose key the rule contradicts.

:mod:`.rulechecks` holds a question that names its rule (``answer_from``) to that rule. Most
questions are written by hand, though: "A deal can be moved from Proposal sent straight to
Invoice issued" with the key *false*, and later somebody adds that transition. These hints
recognise the four shapes of such a question from its ``refs`` and options, ask the rule
engines, and report a key that disagrees, at the answer, with the ``answer_from`` that would
keep the two together. They are hints (``check`` lists them as something to do), not errors:
a question may mean more than its refs say ("... without filling in the loss reason").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..i18n import _
from .models import Regulation
from .positions import Loc
from .rulechecks import in_words, shown

# Words that say which unit a number is in (any language of the catalogs): a question asking "how
# many working minutes" about a minutes rule asks for its deadline.
_UNIT_WORDS = {"minutes": ("minute", "минут"), "hours": ("hour", "час"), "days": ("day", "дн", "день")}
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")  # a clock time: the question computes from a moment instead


def hints(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Every hand-written key that disagrees with the rule its question tests."""
    yield from deadline_hints(reg)
    yield from move_hints(reg)
    yield from next_step_hints(reg)
    yield from lead_hints(reg)


def _unruled(reg: Regulation, shape: str):
    """(index, question) of the questions whose answer has this shape (kinds.questions.SHAPES), with a
    hand-written key: the rule's fact has that shape, whatever the question's type."""
    for i, q in enumerate(reg.questions):
        if q.kind.shape == shape and q.answer_from is None and q.answer is not None:
            yield i, q


def deadline_hints(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Numeric questions that test one contact rule, say its unit and disagree with its deadline."""
    from ..rules.calendar import parse_deadline

    ct = reg.client_work.contact_timing
    rules = {r.id: r for r in ct.rules}
    for i, q in _unruled(reg, "number"):
        if _CLOCK.search(q.text):
            continue
        named = [rules[r] for r in q.refs if r in rules] or (list(ct.rules) if ct.id in q.refs and len(ct.rules) == 1
                                                             else [])
        if len(named) != 1:
            continue
        deadline = named[0].deadline.model_dump(exclude_none=True)
        unit, amount = parse_deadline(deadline)
        words = (q.unit + " " + q.text).casefold()
        if any(w in words for w in _UNIT_WORDS[unit.removeprefix("calendar_")]) and float(q.answer) != amount:
            yield ("questions", i, "answer"), _(
                "the key {answer} differs from contact rule '{id}' it tests ({deadline}); if the question asks for "
                "that deadline, write 'answer_from: {{contact_deadline: {id}}}' instead of 'answer'").format(
                answer=shown(q.answer), id=named[0].id, deadline=in_words(deadline))


def _owned(q, owners) -> list[tuple[object, object]]:
    """(owner, member) for each ref of the form ``owner.member``, in the order of the refs."""
    found = []
    for ref in q.refs:
        head, dot, tail = ref.partition(".")
        for owner, members in owners:
            if dot and owner.id == head:
                found += [(owner, m) for m in members(owner) if m.id == tail]
    return found


def _asked_move(q, pipelines):
    """(pipeline, from, to) when the question refs exactly two statuses of one pipeline."""
    statuses = _owned(q, [(p, lambda p: p.statuses) for p in pipelines])
    if len(statuses) != 2 or statuses[0][0] is not statuses[1][0] or statuses[0][1] is statuses[1][1]:
        return None
    (pl, a), (_pl, b) = statuses
    text = q.text.casefold()
    at_a, at_b = text.find(a.name.casefold()), text.find(b.name.casefold())
    # The text says the direction ("from Negotiation back to Proposal sent") when it names both.
    return (pl, b, a) if 0 <= at_b < at_a else (pl, a, b)


def move_hints(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """True/false questions on a move between two statuses whose key disagrees with the pipeline."""
    from ..rules import pipeline as pipeline_rules

    pipelines = reg.client_work.deal_pipelines
    for i, q in _unruled(reg, "boolean"):
        move = _asked_move(q, pipelines)
        if move is None:
            continue
        pl, src, dst = move
        t = pipeline_rules.transition(pl.model_dump(mode="json", by_alias=True), src.id, dst.id)
        # An allowed move with conditions may be the subject of a "false" ("... without the reason"),
        # so only a move the pipeline has no conditions on is taken at its word.
        if (t is not None) == bool(q.answer) or (t is not None and (t.get("requires") or t.get("note"))):
            continue
        fact = _("pipeline '{id}' allows {src} → {dst}") if t else _("pipeline '{id}' does not allow {src} → {dst}")
        yield ("questions", i, "answer"), _(
            "the key {answer} disagrees with the pipeline it tests: {fact}; if the question asks whether that move is "
            "allowed, write 'answer_from: {{transition: {{from: {src}, to: {dst}{more}}}}}' instead of 'answer'"
        ).format(answer=shown(q.answer), fact=fact.format(id=pl.id, src=src.name, dst=dst.name), src=src.id,
                 dst=dst.id, more=f", pipeline: {pl.id}" if len(pipelines) > 1 else "")


def _step_of(option, steps) -> object | None:
    """The step an option stands for: by id, or by the step's label."""
    return next((s for s in steps if option.id == s.id or option.text.strip().casefold() == s.label.casefold()), None)


def next_step_hints(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Single-choice questions "what comes after step X" whose key is not a step that follows X."""
    procs = reg.order_processing.processes
    for i, q in _unruled(reg, "option"):
        asked = _owned(q, [(p, lambda p: p.steps) for p in procs])
        if len(asked) != 1:
            continue
        proc, step = asked[0]
        stands_for = {o.id: _step_of(o, proc.steps) for o in q.options}
        key = stands_for.get(q.answer)
        # Options that are steps make it a "which step" question; free sentences are left alone.
        if key is None or sum(s is not None for s in stands_for.values()) < 2:
            continue
        following = [proc.step(target) for _label, target in step.successors()]
        if not following or any(s.id == key.id for s in following):
            continue
        yield ("questions", i, "answer"), _(
            "the key '{key}' is not a step that follows '{step}' in process '{id}' (next: {following}); if the "
            "question asks for the next step, write 'answer_from: {{next_step: {{process: {id}, step: {step_id}}}}}' "
            "instead of 'answer'").format(key=key.label, step=step.label, id=proc.id, step_id=step.id,
                                          following=", ".join(f"'{s.label}'" for s in following))


def lead_hints(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Single-choice "which class is this lead" questions keyed with another class than the rule they ref gives."""
    table = reg.client_work.lead_classification
    for i, q in _unruled(reg, "option"):
        rules = [r for r in table.rules if r.id in q.refs]
        classes = {r.then for r in rules}
        stands_for = {o.id: _class_of(o, table.classes) for o in q.options}
        key = stands_for.get(q.answer)
        # The rules it refs must agree on one class, and its options must be classes.
        if len(classes) != 1 or key is None or sum(c is not None for c in stands_for.values()) < 2:
            continue
        given = next(c for c in table.classes if c.id in classes)
        if key.id == given.id:
            continue
        yield ("questions", i, "answer"), _(
            "the key '{key}' disagrees with the lead table: rule '{rule}', which the question tests, gives class "
            "'{name}'; if the question describes a lead, write 'answer_from: {{lead: {{...}}}}' with the lead's value "
            "of each criterion ({criteria}) instead of 'answer'").format(
            key=key.name, rule=rules[0].id if len(rules) == 1 else "', '".join(r.id for r in rules), name=given.name,
            criteria=", ".join(c.name for c in table.criteria))


def _class_of(option, classes) -> object | None:
    """The lead class an option stands for: by id, or by the class's name."""
    return next((c for c in classes if option.id == c.id or option.text.strip().casefold() == c.name.casefold()), None)
