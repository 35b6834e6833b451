"""``crmtrain check``: validate a regulation, summarise it, and report what is still missing.

The report of a valid file is cached (:mod:`.report_cache`), so checking an unchanged file
again does not even import pydantic; the modules that validate load only on a cache miss.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING, TextIO

from ..errors import Problem
from ..regulation.positions import Loc, Positions, field_path
from ..regulation.yamlread import MAX_BYTES
from ..samples import resolve
from . import report_cache

if TYPE_CHECKING:
    from ..regulation.models import Regulation


def run(spec: str | None, out: TextIO, *, cache: bool = True) -> int:
    """Print the summary and completeness report; 0 when complete, 1 when something is missing."""
    path = resolve(spec)
    key = None
    try:
        if cache and path.is_file() and path.stat().st_size <= MAX_BYTES:
            key = report_cache.key(path, path.read_bytes())
    except OSError:
        key = None  # unreadable: the loader says why
    hit = report_cache.get(key) if key else None
    if hit:
        out.write(hit[1])
        return hit[0]
    text = io.StringIO()
    status = _check(path, text)
    out.write(text.getvalue())
    if key:
        report_cache.put(key, status, text.getvalue())
    return status


def _check(path, out: TextIO) -> int:
    from ..regulation.completeness import report
    from ..regulation.loader import load_with_positions

    reg, positions = load_with_positions(path)  # UserError with every problem: exit status 2
    out.write(summary(reg))
    parts = report(reg)
    out.write("\nCompleteness\n")
    for part in parts:
        mark = "ok" if part.complete else f"{len(part.gaps)} to do"
        out.write(f"  {part.title:<32} {mark}\n")
        for loc, message in part.gaps[:12]:
            out.write(f"      {_gap(path, positions, loc, message)}\n")
        if len(part.gaps) > 12:
            out.write(f"      … and {len(part.gaps) - 12} more\n")
    complete = all(p.complete for p in parts)
    out.write(f"\n{path}: " + ("valid and complete\n" if complete else "valid but incomplete\n"))
    return 0 if complete else 1


def _gap(path, positions: Positions, loc: Loc | None, message: str) -> Problem:
    from ..regulation.messages import place

    if loc is None:
        return Problem(message=message)
    return Problem(str(path), *place(loc, positions), field_path(loc), message)


def summary(reg: Regulation) -> str:
    """A few lines saying what the regulation holds."""
    from ..regulation.selection import select

    m, cw = reg.meta, reg.client_work
    steps = sum(len(p.steps) for p in reg.order_processing.processes)
    by_topic = Counter(q.topic.value for q in reg.questions)
    by_type = Counter(q.type.value for q in reg.questions)
    sel = select(reg)
    lines = [
        f"{m.company} — CRM regulation for {m.crm}, version {m.version} of {m.effective_date} ({m.language.value})",
        f"Responsible specialist: {m.specialist.name} <{m.specialist.contact}>; pass mark {m.pass_mark}%",
        f"  1. Summary: {len(reg.summary.topics)} topics",
        f"  2. Order processing: {len(reg.order_processing.processes)} processes, {steps} steps",
        f"  3. Working with clients: {len(cw.lead_classification.classes)} lead classes by {len(cw.lead_classification.rules)} rules, "
        f"{len(cw.contact_timing.rules)} contact deadlines, {len(cw.pipeline.statuses)} deal statuses, "
        f"{len(cw.pipeline.transitions)} transitions, {len(cw.tasks.rules)} task rules",
        f"  4. Tests: {len(reg.questions)} questions ("
        + ", ".join(f"{k} {v}" for k, v in sorted(by_topic.items())) + "; "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items())) + ")",
    ]
    for name, qs in sel.questions.items():
        a, slots = getattr(reg.assessments, name), sel.slots[name]
        points = sum(q.points for q in qs) + sum(p.points for p in slots)
        lines.append(f"     {name}: {a.title} — {len(qs)} questions, {points} points, "
                     f"pass mark {a.pass_mark or m.pass_mark}%, due {a.due_days} days after release")
        if slots:
            lines.append(f"       {len(slots)} per trainee: " + ", ".join(_slot(p) for p in slots))
    return "\n".join(lines) + "\n"


def _slot(plan) -> str:
    """``lead-case (a lead case)``, ``tech-basics (one of in-tech-01, in-tech-02)``."""
    what = f"a {plan.case} case" if plan.case else "one of " + ", ".join(q.id for q in plan.questions)
    return f"{plan.id} ({what}{', added to re-test the initial' if plan.added else ''})"
