"""A personal review workbook: exactly the regulation items one trainee has to revisit.

Pure, like the other builders. For each regulation section holding an item of the trainee's
review plan it shows the section's text (with its flowchart or tables), the practice
questions on those items — never an assessment's own questions, so a review can not leak the
follow-up — and the section's drill when it has one, with a fresh case at every Next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nbformat import NotebookNode

from ..regulation.models import Regulation
from .cells import NotebookBuilder, call
from .sections import client_work_sections, drill_on, process_section, summary_topic
from .workbooks import Context, drill_cells, quiz_cells

NAME = "review"


@dataclass(frozen=True)
class ReviewItem:
    """One line of a trainee's review plan."""

    ref: str
    reason: str  # forgotten, never_learned, missed
    review_on: str  # ISO date
    then_on: str = ""


def build_review(reg: Regulation, trainee: str, plan: Sequence[ReviewItem]) -> NotebookNode:
    """The review workbook of ``trainee`` (a display name) for these plan lines."""
    ctx = Context(reg)
    _ = ctx._
    wanted = {p.ref for p in plan if p.ref in ctx.items}
    sections = [s for s in _sections(ctx) if any(ctx.items[r].section == s[0] for r in wanted)]
    questions = [q for q in ctx.practice if wanted & set(q.refs)]
    # A question sits under the section of the first item it tests that the trainee must review.
    home = {q.id: ctx.items[next(r for r in q.refs if r in wanted)].section for q in questions}
    nb = NotebookBuilder(NAME, ctx.lang, _("Your review"))
    nb.markdown(f"# {_('Your review')}: {trainee}",
                _("These are the rules of the regulation you answered wrongly last time. Read each rule again, answer "
                  "the questions and practise with the drills; the exercises appear under the text a few seconds "
                  "after the workbook opens."))
    nb.code("from crmtrain.runtime import Workbook\n"
            + call("wb = Workbook", NAME, lang=ctx.lang, questions=[q.id for q in questions], **ctx.runtime_words()))
    reasons = {"forgotten": _("you knew it at the initial test, not at the follow-up"),
               "never_learned": _("wrong at both assessments"),
               "missed": _("wrong at the assessment that asked it")}
    rows = [f"| {ctx.items[p.ref].title} | {reasons.get(p.reason, p.reason)} | {_day(ctx, p.review_on)} | "
            f"{_day(ctx, p.then_on)} |" for p in plan if p.ref in wanted]
    nb.markdown(f"## {_('What to review, and when')}",
                f"| {_('Rule')} | {_('Why')} | {_('Review on')} | {_('Again on, if right')} |\n|---|---|---|---|\n"
                + "\n".join(rows),
                _("The dates are spaced by how you did: a rule you know less well comes back sooner."))
    for section_id, parts, drill in sections:
        nb.markdown(*parts)
        quiz_cells(ctx, nb, [q for q in questions if home[q.id] == section_id])
        if drill:
            drill_cells(ctx, nb, *drill)
    if questions:
        nb.markdown(f"## {_('Your result')}",
                    _("The score below updates as you answer. Questions to review link to the rule they test."))
        nb.code("wb.score()")
    return nb.notebook(items=sorted(wanted), questions=len(questions))


def _sections(ctx: Context) -> list[tuple[str, list[str], tuple | None]]:
    """Every section of the regulation in document order: (id, markdown parts, drill or None)."""
    _, reg = ctx._, ctx.reg
    out: list[tuple[str, list[str], tuple | None]] = [(t.id, summary_topic(ctx, t), None) for t in reg.summary.topics]
    for proc in reg.order_processing.processes:
        out.append((proc.id, process_section(ctx, proc), drill_on("order_processing.processes", proc)))
    out += [(s.id, s.text, s.drill) for s in client_work_sections(ctx)]
    return out


def _day(ctx: Context, iso: str) -> str:
    import datetime as dt

    return ctx.date(dt.date.fromisoformat(iso)) if iso else "—"

