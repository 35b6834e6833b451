"""Which questions each assessment asks: included ones plus seeded draws from pools.

Assessments are drawn in the registry's order (initial first); a later one draws only from
what earlier ones did not take, so no two share a question. Seeds come from the regulation version, so a
rebuild asks the same questions and a new version reshuffles them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..kinds.assessments import ASSESSMENTS
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
class Selection:
    """The questions of every assessment, in the order they are asked."""

    questions: dict[str, tuple[Question, ...]]
    shortfalls: list[Shortfall] = field(default_factory=list)
    # (assessment, include index, qid, the earlier assessment asking it too)
    overlaps: list[tuple[str, int, str, str]] = field(default_factory=list)


def select(reg: Regulation) -> Selection:
    """Draw every assessment's questions; shortfalls and overlaps are reported, not raised."""
    by_id = {q.id: q for q in reg.questions}
    # By identity: comparing models field by field made sorting quadratic in deep comparisons.
    order = {id(q): i for i, q in enumerate(reg.questions)}
    taken: dict[str, str] = {}  # question id -> the assessment that asks it
    result = Selection(questions={})
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
        for i, draw in enumerate(spec.draw):
            topic = draw.topic.value if draw.topic else None
            fits = [q for q in reg.questions if q.pool == draw.pool and (topic is None or q.topic.value == topic)]
            free = [q for q in fits if q.id not in taken and q.id not in mine]
            if len(free) < draw.count:
                by_earlier = sum(1 for q in fits if q.id in taken)
                result.shortfalls.append(Shortfall(name, i, draw.pool, topic, draw.count, len(free), by_earlier))
            rng = random.Random(f"{reg.meta.version}/{name}/{i}")
            picked = rng.sample(free, min(draw.count, len(free)))
            picked.sort(key=lambda q: order[id(q)])
            chosen.extend(picked)
            mine.update(q.id for q in picked)
        taken.update((qid, name) for qid in mine if qid not in taken)
        result.questions[name] = tuple(chosen)
    return result
