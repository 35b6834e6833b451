"""Which questions each assessment asks: included ones plus seeded draws from pools.

Assessments are drawn in the registry's order (initial first); a later one draws only from
what earlier ones did not take, so no two share a question. Seeds come from the regulation version, so a
rebuild asks the same questions and a new version reshuffles them.

Parallel forms: every later assessment re-tests each regulation item the first one tested,
with a different question on the same item, so every trainee × item pair has an initial and
a later observation. Its draws prefer questions on items not yet re-tested (a greedy cover,
ties broken by the seeded shuffle); items still not covered then get a sibling question
from the rest of the bank — the assessment's own pools first, the same topic and an
autograded type preferred. Items no free question refers to are reported as ``uncovered``.

Slots (``slots:``) differ per trainee. A drawn slot tests for every trainee the items all its
questions share (and may test the others); a case slot tests its part of the regulation (the
lead table, the pipeline, the contact deadlines, a process). A later assessment re-tests what
an earlier case slot tested with a fresh case of the same kind, added by itself when the
regulation does not ask for one (``<id>-again``): the same rule, another case. A case slot
drawing each trainee's process from several draws the same process for a trainee in every
assessment (see ``rules.variants``), so a later slot over the same processes re-tests them all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..kinds.assessments import ASSESSMENTS
from ..kinds.drills import DRILL_KINDS
from ..kinds.questions import question_kind
from ..kinds.slots import CASE, DRAW, MIXED, SlotKind
from .models import Question, Regulation, Slot


@dataclass
class Shortfall:
    """A draw that could not be filled: ``available`` of ``count`` questions were left."""

    assessment: str
    draw_index: int
    pool: str
    topic: str | None
    count: int
    available: int
    taken_by_earlier: int = 0  # questions that fit but earlier assessments already ask


@dataclass(frozen=True)
class SlotPlan:
    """A slot as an assessment asks it: the questions it draws from, or the case kind and its parts."""

    id: str
    points: int
    topic: str
    questions: tuple[Question, ...] = ()  # a drawn slot's candidates, in the regulation's order
    case: str | None = None  # a case slot's drill kind
    parts: tuple[str, ...] = ()  # a case slot's regulation items: a section, or the processes drawn from
    added: bool = False  # added to re-test an earlier case slot's items

    @property
    def kind(self) -> SlotKind:
        """Its slot kind: a case of a drill kind, or a draw among questions."""
        return CASE if self.case is not None else DRAW

    @property
    def refs(self) -> tuple[str, ...]:
        """The items tested for every trainee."""
        if self.case is not None:
            return self.parts if len(self.parts) == 1 else ()  # several: each trainee is asked one of them
        common = set(self.questions[0].refs).intersection(*(q.refs for q in self.questions[1:]))
        return tuple(r for r in self.questions[0].refs if r in common)

    @property
    def may_test(self) -> tuple[str, ...]:
        """The items tested for some trainees (all of them for some, for drawn slots)."""
        if self.case is not None:
            return self.parts
        return tuple(dict.fromkeys(r for q in self.questions for r in q.refs))

    def retests(self, earlier: "SlotPlan") -> bool:
        """Whether this slot re-tests, for every trainee, what ``earlier`` tested for them."""
        return self.case is not None and self.case == earlier.case and self.parts == earlier.parts


@dataclass
class Uncovered:
    """A regulation item the first assessment tests that ``assessment`` cannot re-test: no free question on it."""

    assessment: str
    ref: str
    questions: tuple[Question, ...]  # the first assessment's questions on it
    slots: tuple[SlotPlan, ...] = ()  # ... and its slots that may test it


@dataclass
class Selection:
    """The questions of every assessment, in the order they are asked."""

    questions: dict[str, tuple[Question, ...]]
    shortfalls: list[Shortfall] = field(default_factory=list)
    # (assessment, include index, qid, the earlier assessment asking it too)
    overlaps: list[tuple[str, int, str, str]] = field(default_factory=list)
    uncovered: list[Uncovered] = field(default_factory=list)
    siblings: dict[str, tuple[Question, ...]] = field(default_factory=dict)  # added to re-test items, per assessment
    slots: dict[str, tuple[SlotPlan, ...]] = field(default_factory=dict)  # asked after the questions


def drilled(reg: Regulation, kind: str):
    """The part of the regulation drill ``kind`` draws cases from (its record says where): a section, or a list."""
    node = reg
    for name in DRILL_KINDS[kind].drills.removesuffix("[]").split("."):
        node = getattr(node, name)
    return node


def case_parts(reg: Regulation, kind: str, picked: str | None = None) -> tuple[str, ...]:
    """The ids of the regulation items a case of drill ``kind`` draws from (only ``picked``, if given)."""
    node = drilled(reg, kind)
    if not DRILL_KINDS[kind].drills.endswith("[]"):
        return (node.id,)
    return tuple(p.id for p in node if picked is None or p.id == picked)


def _plan(reg: Regulation, slot: Slot, by_id: dict[str, Question]) -> SlotPlan | None:
    """A slot as asked, or None while it names nothing that exists (the checks say what)."""
    if slot.case is not None:
        parts = case_parts(reg, slot.case.value, slot.picked)
        return SlotPlan(slot.id, slot.worth, DRILL_KINDS[slot.case.value].topic, case=slot.case.value,
                        parts=parts) if parts else None
    qs = tuple(dict.fromkeys(by_id[q] for q in slot.one_of if q in by_id))
    if not qs:
        return None
    topics = {q.topic.value for q in qs}
    return SlotPlan(slot.id, qs[0].points, qs[0].topic.value if len(topics) == 1 else MIXED, questions=qs)


def slot_ids(reg: Regulation) -> set[str]:
    """The ids of every slot the regulation writes (an added slot's id must not take one)."""
    return {s.id for name in ASSESSMENTS for s in getattr(reg.assessments, name).slots}


def select(reg: Regulation) -> Selection:
    """Draw every assessment's questions; shortfalls, overlaps and uncovered items are reported, not raised."""
    by_id = {q.id: q for q in reg.questions}
    # By identity: comparing models field by field made sorting quadratic in deep comparisons.
    order = {id(q): i for i, q in enumerate(reg.questions)}
    taken: dict[str, str] = {}  # question id -> the assessment that asks it
    # Questions a slot draws from are kept for it: no draw or sibling of any assessment takes them.
    reserved = {qid for name in ASSESSMENTS for slot in getattr(reg.assessments, name).slots for qid in slot.one_of}
    result = Selection(questions={})
    first: tuple[Question, ...] = ()
    first_slots: tuple[SlotPlan, ...] = ()
    ids = {q.id for q in reg.questions} | slot_ids(reg)
    for name in ASSESSMENTS:
        spec = getattr(reg.assessments, name)
        chosen: list[Question] = []
        mine: set[str] = set()
        plans = [p for p in (_plan(reg, s, by_id) for s in spec.slots) if p is not None]
        for i, qid in enumerate(spec.include):
            if qid in taken:
                result.overlaps.append((name, i, qid, taken[qid]))
            if qid in by_id and qid not in mine:
                chosen.append(by_id[qid])
                mine.add(qid)
        # The first assessment's items this one must re-test, in the order the first asks them.
        todo = {r: None for q in first for r in q.refs} if name != ASSESSMENTS[0] else {}
        todo.update((r, None) for p in first_slots for r in p.may_test)
        strict = {r for q in first for r in q.refs} | {r for p in first_slots for r in p.refs}
        for q in chosen:
            for r in q.refs:
                todo.pop(r, None)
        for p in plans:
            _retested(p, first_slots, todo, strict)
        for i, draw in enumerate(spec.draw):
            topic = draw.topic.value if draw.topic else None
            fits = [q for q in reg.questions if q.pool == draw.pool and (topic is None or q.topic.value == topic)]
            free = [q for q in fits if q.id not in taken and q.id not in mine and q.id not in reserved]
            if len(free) < draw.count:
                by_earlier = sum(1 for q in fits if q.id in taken)
                result.shortfalls.append(Shortfall(name, i, draw.pool, topic, draw.count, len(free), by_earlier))
            rng = random.Random(f"{reg.meta.version}/{name}/{i}")
            if todo:
                picked = _covering(rng.sample(free, len(free)), draw.count, todo)
            else:
                picked = rng.sample(free, min(draw.count, len(free)))
            picked.sort(key=lambda q: order[id(q)])
            chosen.extend(picked)
            mine.update(q.id for q in picked)
        for earlier_slot in first_slots if name != ASSESSMENTS[0] else ():
            if earlier_slot.case is not None and any(r in todo for r in earlier_slot.parts):
                fresh = SlotPlan(_free_id(f"{earlier_slot.id}-again", ids), earlier_slot.points, earlier_slot.topic,
                                 case=earlier_slot.case, parts=earlier_slot.parts, added=True)
                ids.add(fresh.id)
                plans.append(fresh)
                _retested(fresh, first_slots, todo, strict)
        added = _siblings(reg, todo, first, spec, {**taken, **dict.fromkeys(reserved, "")}, mine, order)
        chosen.extend(added)
        mine.update(q.id for q in added)
        result.siblings[name] = tuple(added)
        result.uncovered += [Uncovered(name, r, tuple(q for q in first if r in q.refs),
                                       tuple(p for p in first_slots if r in p.may_test)) for r in todo]
        taken.update((qid, name) for qid in mine if qid not in taken)
        result.questions[name] = tuple(chosen)
        result.slots[name] = tuple(plans)
        if name == ASSESSMENTS[0]:
            first, first_slots = result.questions[name], tuple(plans)
    return result


def _retested(plan: SlotPlan, earlier: tuple[SlotPlan, ...], todo: dict[str, None], strict: set[str]) -> None:
    """Strike from ``todo`` what ``plan`` re-tests for every trainee.

    A case slot drawing from several processes re-tests the process each trainee had in the
    earlier one; an item in ``strict`` was also tested for everyone, and needs a question or
    slot that tests it for everyone.
    """
    for r in plan.refs:
        todo.pop(r, None)
    for e in earlier:
        if plan.retests(e):
            for r in e.parts:
                if r not in strict:
                    todo.pop(r, None)


def _free_id(wanted: str, ids: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``-3``... if a question or slot has that id already."""
    n, candidate = 1, wanted
    while candidate in ids:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def _covering(shuffled: list[Question], count: int, todo: dict[str, None]) -> list[Question]:
    """``count`` questions, each the first in ``shuffled`` order re-testing most items of ``todo`` (consumed)."""
    pool, picked = list(shuffled), []
    while pool and len(picked) < count:
        best = max(range(len(pool)), key=lambda k: (sum(r in todo for r in pool[k].refs), -k))
        q = pool.pop(best)
        picked.append(q)
        for r in q.refs:
            todo.pop(r, None)
    return picked


def _siblings(reg: Regulation, todo: dict[str, None], first, spec, taken, mine, order) -> list[Question]:
    """Bank questions re-testing the items of ``todo`` that the draws left (consumed as they are covered)."""
    pools = [d.pool for d in spec.draw]
    added: list[Question] = []
    for ref in list(todo):
        if ref not in todo:
            continue
        topics = {q.topic for q in first if ref in q.refs}
        free = [q for q in reg.questions if ref in q.refs and q.id not in taken and q.id not in mine
                and q not in added]
        if not free:
            continue
        q = min(free, key=lambda q: (q.pool not in pools, q.topic not in topics,
                                     not question_kind(q.type).autograded, -sum(r in todo for r in q.refs), order[id(q)]))
        added.append(q)
        for r in q.refs:
            todo.pop(r, None)
    return added
