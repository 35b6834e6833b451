"""Is a valid regulation finished? What the article asks for, part by part, and TODO markers.

Validity (the loader) says the document is consistent; completeness says it is ready to roll
out. ``crmtrain init`` writes a valid but incomplete regulation, full of TODO markers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .items import CLIENT_SECTIONS, Loc, index
from .models import Regulation, SummaryKind, TestTopic

PART_TITLES = {
    "meta": "Meta",
    "summary": "1. Summary (general rules)",
    "order_processing": "2. Order processing",
    "client_work": "3. Working with clients",
    "tests": "4. Tests",
}
MARKER = "TODO"


@dataclass
class PartReport:
    """What is missing in one part; ``gaps`` are (location or None, message)."""

    part: str
    title: str
    gaps: list[tuple[Loc | None, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.gaps


def todo_markers(data: Any, loc: Loc = ()) -> Iterator[Loc]:
    """Locations of every string that still carries the TODO marker."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from todo_markers(v, (*loc, k))
    elif isinstance(data, (list, tuple)):
        for i, v in enumerate(data):
            yield from todo_markers(v, (*loc, i))
    elif isinstance(data, str) and MARKER in data:
        yield loc


def report(reg: Regulation) -> list[PartReport]:
    """A completeness report for each part of the regulation."""
    parts = {name: PartReport(name, title) for name, title in PART_TITLES.items()}
    for loc in todo_markers(reg.model_dump(mode="json", by_alias=True)):
        part = "tests" if loc[0] in ("questions", "assessments") else loc[0]
        parts[part].gaps.append((loc, "still marked TODO"))

    kinds = {t.kind for t in reg.summary.topics}
    for kind in SummaryKind:
        if kind not in kinds:
            parts["summary"].gaps.append((("summary", "topics"), f"no topic of kind '{kind.value}' ({KIND_HINTS[kind]})"))

    for i, p in enumerate(reg.order_processing.processes):
        at = ("order_processing", "processes", i)
        if not any(s.kind == "decision" for s in p.steps):
            parts["order_processing"].gaps.append((at, f"process '{p.id}' has no decision step; are there really no branches?"))
        for j, s in enumerate(p.steps):
            if s.kind in ("action", "decision") and not (s.role and s.instructions):
                parts["order_processing"].gaps.append(((*at, "steps", j), f"step '{p.id}.{s.id}' needs a role and CRM instructions"))

    for name in CLIENT_SECTIONS:
        if not getattr(reg.client_work, name).body.strip():
            parts["client_work"].gaps.append((("client_work", name, "body"), f"'{name}' has no explanatory text"))

    tested_topics = {q.topic for q in reg.questions}
    for topic in TestTopic:
        if topic not in tested_topics:
            parts["tests"].gaps.append((("questions",), f"no question on topic '{topic.value}'"))
    items = index(reg)
    tested_parts = {items[r].part for q in reg.questions for r in q.refs if r in items}
    for part in ("summary", "order_processing", "client_work"):
        if part not in tested_parts:
            parts["tests"].gaps.append((("questions",), f"no question tests part '{PART_TITLES[part]}'"))
    parts["tests"].gaps += list(retest_gaps(reg))
    return list(parts.values())


def retest_gaps(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Items the first assessment tests that a later one cannot re-test, and what question to add for each."""
    from ..kinds.assessments import ASSESSMENT_KINDS, FIRST
    from ..kinds.questions import question_kind
    from .selection import select

    items = index(reg)
    for u in select(reg).uncovered:
        spec = getattr(reg.assessments, u.assessment)
        pool = spec.draw[0].pool if spec.draw else "core"
        # The first assessment's questions on the item: its own, or those a slot draws from.
        asking = u.questions or tuple(q for p in u.slots for q in p.questions if u.ref in q.refs)
        title = items[u.ref].title if u.ref in items else u.ref
        if not asking:  # only a case slot tests it, and a later one of the same kind draws from other parts
            kinds = ", ".join(sorted({p.case for p in u.slots if p.case}))
            yield (("assessments", u.assessment),
                   f"the {ASSESSMENT_KINDS[u.assessment].label} cannot re-test '{u.ref}' ({title}), which the "
                   f"{ASSESSMENT_KINDS[FIRST].label} tests with a {kinds} case: give its case slot the same parts "
                   f"as the {ASSESSMENT_KINDS[FIRST].label}'s, or add a question with refs [{u.ref}]")
            continue
        q = asking[0]
        kind = question_kind(q.type)
        # An open question's item is re-tested just as well by one that grades itself.
        qtype = "single" if not kind.autograded else q.type.value
        asked = ", ".join(x.id for x in asking) if u.questions else \
            "slot " + ", ".join(f"'{p.id}' ({', '.join(x.id for x in p.questions if u.ref in x.refs)})"
                                for p in u.slots if p.questions)
        yield (("assessments", u.assessment),
               f"the {ASSESSMENT_KINDS[u.assessment].label} cannot re-test '{u.ref}' ({title}), which the "
               f"{ASSESSMENT_KINDS[FIRST].label} tests with {asked}: add {'an' if qtype[0] in 'aeiou' else 'a'} {qtype} question on topic "
               f"'{q.topic.value}' with refs [{u.ref}] (pool '{pool}') that no other assessment asks")


KIND_HINTS = {
    SummaryKind.purpose: "why the CRM exists and what it gains the company",
    SummaryKind.access: "registration, login and account security",
    SummaryKind.interface: "the interface, block by block",
    SummaryKind.sales_setup: "how the sales process is set up in the system",
    SummaryKind.analytics: "how sales are analysed",
    SummaryKind.lookup: "finding tasks, clients and products",
    SummaryKind.settings: "basic settings: language, account, mobile version",
}
