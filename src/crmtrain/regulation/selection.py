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
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..kinds.assessments import ASSESSMENTS
from ..kinds.questions import question_kind
from .models import Question, Regulation


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


@dataclass
class Uncovered:
    """A regulation item the first assessment tests that ``assessment`` cannot re-test: no free question on it."""

    assessment: str
    ref: str
    questions: tuple[Question, ...]  # the first assessment's questions on it


@dataclass
class Selection:
    """The questions of every assessment, in the order they are asked."""

    questions: dict[str, tuple[Question, ...]]
    shortfalls: list[Shortfall] = field(default_factory=list)
    # (assessment, include index, qid, the earlier assessment asking it too)
    overlaps: list[tuple[str, int, str, str]] = field(default_factory=list)
    uncovered: list[Uncovered] = field(default_factory=list)
    siblings: dict[str, tuple[Question, ...]] = field(default_factory=dict)  # added to re-test items, per assessment


def select(reg: Regulation) -> Selection:
    """Draw every assessment's questions; shortfalls, overlaps and uncovered items are reported, not raised."""
    by_id = {q.id: q for q in reg.questions}
    # By identity: comparing models field by field made sorting quadratic in deep comparisons.
    order = {id(q): i for i, q in enumerate(reg.questions)}
    taken: dict[str, str] = {}  # question id -> the assessment that asks it
    result = Selection(questions={})
    first: tuple[Question, ...] = ()
    for name in ASSESSMENTS:
        spec = getattr(reg.assessments, name)
        chosen: list[Question] = []
        mine: set[str] = set()
        for i, qid in enumerate(spec.include):
            if qid in taken:
                result.overlaps.append((name, i, qid, taken[qid]))
            if qid in by_id and qid not in mine:
                chosen.append(by_id[qid])
                mine.add(qid)
        # The first assessment's items this one must re-test, in the order the first asks them.
        todo = {r: None for q in first for r in q.refs} if name != ASSESSMENTS[0] else {}
        for q in chosen:
            for r in q.refs:
                todo.pop(r, None)
        for i, draw in enumerate(spec.draw):
            topic = draw.topic.value if draw.topic else None
            fits = [q for q in reg.questions if q.pool == draw.pool and (topic is None or q.topic.value == topic)]
            free = [q for q in fits if q.id not in taken and q.id not in mine]
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
        added = _siblings(reg, todo, first, spec, taken, mine, order)
        chosen.extend(added)
        mine.update(q.id for q in added)
        result.siblings[name] = tuple(added)
        result.uncovered += [Uncovered(name, r, tuple(q for q in first if r in q.refs)) for r in todo]
        taken.update((qid, name) for qid in mine if qid not in taken)
        result.questions[name] = tuple(chosen)
        if name == ASSESSMENTS[0]:
            first = result.questions[name]
    return result


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
