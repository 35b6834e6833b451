"""Is a valid regulation finished? What the article asks for, part by part, and TODO markers.

Validity (the loader) says the document is consistent; completeness says it is ready to roll
out. ``crmtrain init`` writes a valid but incomplete regulation, full of TODO markers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, _
from .items import Loc, client_sections, index
from .rulehints import hints as rule_hints
from .models import Regulation, SummaryKind, TestTopic

PART_TITLES = {  # msgids
    "meta": N_("Meta"),
    "summary": N_("1. Summary (general rules)"),
    "order_processing": N_("2. Order processing"),
    "client_work": N_("3. Working with clients"),
    "tests": N_("4. Tests"),
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
        parts[part].gaps.append((loc, _("still marked TODO")))

    kinds = {t.kind for t in reg.summary.topics}
    for kind in SummaryKind:
        if kind not in kinds:
            parts["summary"].gaps.append((("summary", "topics"), _("no topic of kind '{kind}' ({hint})").format(
                kind=kind.value, hint=_(KIND_HINTS[kind]))))

    for i, p in enumerate(reg.order_processing.processes):
        at = ("order_processing", "processes", i)
        if not any(s.kind == "decision" for s in p.steps):
            parts["order_processing"].gaps.append((at, _(
                "process '{id}' has no decision step; are there really no branches?").format(id=p.id)))
        for j, s in enumerate(p.steps):
            if s.kind in ("action", "decision") and not (s.role and s.instructions):
                parts["order_processing"].gaps.append(((*at, "steps", j), _(
                    "step '{id}' needs a role and CRM instructions").format(id=f"{p.id}.{s.id}")))

    for at, sec in client_sections(reg):
        if not sec.body.strip():
            parts["client_work"].gaps.append(((*at, "body"), _("'{name}' has no explanatory text").format(name=sec.id)))

    tested_topics = {q.topic for q in reg.questions}
    for topic in TestTopic:
        if topic not in tested_topics:
            parts["tests"].gaps.append((("questions",), _("no question on topic '{topic}'").format(topic=topic.value)))
    items = index(reg)
    tested_parts = {items[r].part for q in reg.questions for r in q.refs if r in items}
    for part in ("summary", "order_processing", "client_work"):
        if part not in tested_parts:
            parts["tests"].gaps.append((("questions",), _("no question tests part '{part}'").format(
                part=_(PART_TITLES[part]))))
    parts["tests"].gaps += list(retest_gaps(reg))
    parts["tests"].gaps += list(rule_hints(reg))  # a hand-written key that the rule it tests contradicts
    return list(parts.values())


def retest_gaps(reg: Regulation) -> Iterator[tuple[Loc, str]]:
    """Items the first assessment tests that a later one cannot re-test, and what question to add for each."""
    from ..kinds.assessments import ASSESSMENT_KINDS, FIRST
    from ..kinds.questions import AUTOGRADED_TYPES, question_kind
    from .selection import select

    items = index(reg)
    for u in select(reg).uncovered:
        spec = getattr(reg.assessments, u.assessment)
        pool = spec.draw[0].pool if spec.draw else "core"
        # The first assessment's questions on the item: its own, or those a slot draws from.
        asking = u.questions or tuple(q for p in u.slots for q in p.questions if u.ref in q.refs)
        title = items[u.ref].title if u.ref in items else u.ref
        later, first = _(ASSESSMENT_KINDS[u.assessment].label), _(ASSESSMENT_KINDS[FIRST].label)
        if not asking:  # only a case slot tests it, and a later one of the same kind draws from other parts
            kinds = ", ".join(sorted({p.case for p in u.slots if p.case}))
            yield (("assessments", u.assessment), _(
                "the {later} cannot re-test '{ref}' ({title}), which the {first} tests with a {kind} case: give its "
                "case slot the same parts as the {first}'s, or add a question with refs [{ref}]").format(
                    later=later, first=first, ref=u.ref, title=title, kind=kinds))
            continue
        q = asking[0]
        kind = question_kind(q.type)
        # An open question's item is re-tested just as well by one that grades itself.
        qtype = AUTOGRADED_TYPES[0] if not kind.autograded else q.type.value
        asked = ", ".join(x.id for x in asking) if u.questions else \
            _("slot") + " " + ", ".join(f"'{p.id}' ({', '.join(x.id for x in p.questions if u.ref in x.refs)})"
                                for p in u.slots if p.questions)
        yield (("assessments", u.assessment), _(
            "the {later} cannot re-test '{ref}' ({title}), which the {first} tests with {asked}: add {a} {type} "
            "question on topic '{topic}' with refs [{ref}] (pool '{pool}') that no other assessment asks").format(
                later=later, first=first, ref=u.ref, title=title, asked=asked, a="an" if qtype[0] in "aeiou" else "a",
                type=qtype, topic=q.topic.value, pool=pool))


KIND_HINTS = {  # msgids
    SummaryKind.purpose: N_("why the CRM exists and what it gains the company"),
    SummaryKind.access: N_("registration, login and account security"),
    SummaryKind.interface: N_("the interface, block by block"),
    SummaryKind.sales_setup: N_("how the sales process is set up in the system"),
    SummaryKind.analytics: N_("how sales are analysed"),
    SummaryKind.lookup: N_("finding tasks, clients and products"),
    SummaryKind.settings: N_("basic settings: language, account, mobile version"),
}
