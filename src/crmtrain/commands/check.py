"""``crmtrain check``: validate a regulation, summarise it, and report what is still missing.

The report of a valid file is cached (:mod:`.report_cache`), so checking an unchanged file
again does not even import pydantic; the modules that validate load only on a cache miss.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING, TextIO

from ..errors import Problem
from ..i18n import _, plural, set_language
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
    set_language(reg.meta.language.value)
    out.write(summary(reg))
    parts = report(reg)
    out.write("\n" + _("Completeness") + "\n")
    for part in parts:
        mark = _("ok") if part.complete else _("{n} to do").format(n=len(part.gaps))
        out.write(f"  {_(part.title):<32} {mark}\n")
        for loc, message in part.gaps[:12]:
            out.write(f"      {_gap(path, positions, loc, message)}\n")
        if len(part.gaps) > 12:
            out.write("      " + _("… and {n} more").format(n=len(part.gaps) - 12) + "\n")
    complete = all(p.complete for p in parts)
    out.write(f"\n{path}: " + (_("valid and complete") if complete else _("valid but incomplete")) + "\n")
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
    lc, pls = cw.lead_classification, cw.deal_pipelines
    lines = [
        _("{company} — CRM regulation for {crm}, version {version} of {date} ({language})").format(
            company=m.company, crm=m.crm, version=m.version, date=m.effective_date, language=m.language.value),
        _("Responsible specialist: {name} <{contact}>; pass mark {mark}%").format(
            name=m.specialist.name, contact=m.specialist.contact, mark=m.pass_mark),
        "  " + _("1. Summary: {topics}").format(topics=plural("{n} topic", "{n} topics", len(reg.summary.topics))),
        "  " + _("2. Order processing: {processes}, {steps}").format(
            processes=plural("{n} process", "{n} processes", len(reg.order_processing.processes)),
            steps=plural("{n} step", "{n} steps", steps)),
        "  " + _("3. Working with clients: {classes} by {rules}, {deadlines}, {statuses}, {transitions}, {tasks}").format(
            classes=plural("{n} lead class", "{n} lead classes", len(lc.classes)),
            rules=plural("{n} rule", "{n} rules", len(lc.rules)),
            deadlines=plural("{n} contact deadline", "{n} contact deadlines", len(cw.contact_timing.rules)),
            statuses=plural("{n} deal status", "{n} deal statuses", sum(len(p.statuses) for p in pls)),
            transitions=plural("{n} transition", "{n} transitions", sum(len(p.transitions) for p in pls)),
            tasks=plural("{n} task rule", "{n} task rules", len(cw.tasks.rules))),
        "  " + _("4. Tests: {questions} ({topics}; {types})").format(
            questions=plural("{n} question", "{n} questions", len(reg.questions)),
            topics=", ".join(f"{k} {v}" for k, v in sorted(by_topic.items())),
            types=", ".join(f"{k} {v}" for k, v in sorted(by_type.items()))),
    ]
    for name, qs in sel.questions.items():
        a, slots = getattr(reg.assessments, name), sel.slots[name]
        points = sum(q.points for q in qs) + sum(p.points for p in slots)
        lines.append("     " + _("{name}: {title} — {questions}, {points}, pass mark {mark}%, due {days} after release").format(
            name=name, title=a.title, questions=plural("{n} question", "{n} questions", len(qs)),
            points=plural("{n} point", "{n} points", points), mark=a.pass_mark or m.pass_mark,
            days=plural("{n} day", "{n} days", a.due_days)))
        if slots:
            lines.append("       " + _("{n} per trainee: {slots}").format(n=len(slots), slots=", ".join(_slot(p) for p in slots)))
    return "\n".join(lines) + "\n"


def _slot(plan) -> str:
    """``lead-case (a lead case)``, ``tech-basics (one of in-tech-01, in-tech-02)``."""
    if plan.case:
        what = _("a {kind} case").format(kind=plan.case)
    else:
        what = _("one of {questions}").format(questions=", ".join(q.id for q in plan.questions))
    added = _(", added to re-test the initial") if plan.added else ""
    return f"{plan.id} ({what}{added})"
