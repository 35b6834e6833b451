"""Questions as cell literals for the kernel runtime, and where each one is asked."""

from __future__ import annotations

from collections import defaultdict

from ..regulation.items import Item, index
from ..regulation.models import Question, Regulation
from ..regulation.selection import select
from ..runtime.keys import seal
from .cells import stable_salt
from .markup import html


def practice_questions(reg: Regulation) -> list[Question]:
    """Questions no assessment asks and that grade themselves: the workbooks' quizzes.

    A question a slot may draw counts as asked: practising it would show its key.
    """
    sel = select(reg)
    assessed = {q.id for qs in sel.questions.values() for q in qs}
    assessed |= {q.id for plans in sel.slots.values() for p in plans for q in p.questions}
    return [q for q in reg.questions if q.id not in assessed and q.kind.practice]


def by_section(reg: Regulation, questions: list[Question]) -> dict[str, list[Question]]:
    """Questions grouped by the regulation section their first ref belongs to."""
    items = index(reg)
    out: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        out[items[q.refs[0]].section].append(q)
    return out


def salt_for(reg: Regulation) -> str:
    """The key salt of this regulation version."""
    return stable_salt(reg.meta.company, reg.meta.version, reg.meta.language.value)


def ref_list(q: Question, items: dict[str, Item]) -> list[dict]:
    """The regulation items a question tests, with titles for the feedback line."""
    return [{"id": r, "title": items[r].title} for r in q.refs]


def literal(reg: Regulation, q: Question, items: dict[str, Item]) -> dict:
    """The dict a ``wb.quiz(...)`` cell receives: display data and a sealed key."""
    key = seal(q.id, q.type.value, q.key, tolerance=q.tolerance, salt=salt_for(reg),
               options=[o.id for o in q.options])
    data = {
        "id": q.id,
        "type": q.type.value,
        "text_html": html(q.text),
        "options": [{"id": o.id, "text": o.text} for o in q.options],
        "key": key,
        "explanation_html": html(q.explanation),
        "refs": ref_list(q, items),
        "points": q.points,
    }
    if q.unit:
        data["unit"] = q.unit
    return data
