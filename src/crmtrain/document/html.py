"""Regulation → one self-contained HTML document, laid out for print (A4).

Pure: the caller passes ``draw`` (dot source → inline SVG), so nothing here runs programs or
touches files. The section texts and tables are the workbooks' own (notebooks/sections.py),
so the printed document and the workbooks never disagree; their Mermaid diagrams are
replaced by Graphviz drawings. Part 4 describes the assessments but never shows questions or
answers: the document is handed to the trainees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
import re
from html import escape, unescape

from ..notebooks.markup import html as md
from ..notebooks.sections import client_work_sections, process_section, summary_topic
from ..notebooks.workbooks import Context
from ..regulation.models import Regulation, TestTopic
from ..kinds.assessments import ASSESSMENTS
from ..regulation.selection import select
from .graphs import pipeline_dot, process_dot
from .style import page_css

Draw = Callable[[str], str]
# (src, alt) -> the HTML of a picture: the caller inlines local files; remote ones become links.
Picture = Callable[[str, str], str]
_IMG = re.compile(r'<img src="([^"]*)" alt="([^"]*)"\s*/?>')


def link_picture(src: str, alt: str) -> str:
    """A picture that is not inlined: its description and address, never a network fetch."""
    return f'<span class="picture-link">[{alt or src}: {src}]</span>'


@dataclass
class Heading:
    """One entry of the table of contents."""

    anchor: str
    number: str
    title: str
    level: int


@dataclass
class Doc:
    """The document being written: body parts, headings for the contents, figure counter."""

    ctx: Context
    draw: Draw
    picture: Picture = link_picture
    parts: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    figures: int = 0

    def heading(self, level: int, number: str, title: str) -> None:
        anchor = "sec-" + number.strip(".").replace(".", "-")
        self.headings.append(Heading(anchor, number, title, level))
        cls = ' class="part"' if level == 1 else ""
        self.parts.append(f'<h{level} id="{anchor}"{cls}><span class="num">{escape(number)}</span> {escape(title)}</h{level}>')

    def markdown(self, *texts: str) -> None:
        for text in texts:
            if text and text.strip():
                self.parts.append(_IMG.sub(lambda m: self.picture(unescape(m.group(1)), unescape(m.group(2))), md(text)))

    def figure(self, dot_source: str, caption: str) -> None:
        self.figures += 1
        label = self.ctx._("Figure {n}").format(n=self.figures)
        self.parts.append(f'<figure>{self.draw(dot_source)}<figcaption>{escape(label)}. {escape(caption)}</figcaption></figure>')

    def section(self, number: str, parts: list[str], diagram: tuple[str, str] | None = None) -> None:
        """A workbook section's markdown parts: its '## title' becomes a numbered heading."""
        title, *rest = parts
        self.heading(2, number, title.removeprefix("## ").strip())
        for part in rest:
            if part.startswith("```mermaid"):
                if diagram:
                    self.figure(*diagram)
            else:
                self.markdown(part)


def build_html(reg: Regulation, draw: Draw, page_numbers: dict[str, int] | None = None,
               picture: Picture = link_picture) -> str:
    """The whole document; ``page_numbers`` (anchor → page) fills the contents when known."""
    ctx = Context(reg)
    doc = Doc(ctx, draw, picture)
    _summary(doc)
    _order_processing(doc)
    _client_work(doc)
    _tests(doc)
    _ = ctx._
    m = reg.meta
    title = _("CRM regulation")
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{ctx.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(m.company)} — {escape(title)} {escape(m.crm)} {escape(m.version)}</title>",
        f"<style>{page_css(f'{m.company} · {title} · {m.version}')}</style>",
        "</head>",
        "<body>",
        _title_page(ctx),
        _contents(ctx, doc.headings, page_numbers or {}),
        *doc.parts,
        "</body>",
        "</html>",
        "",
    ])


def contents_entries(text: str) -> list[tuple[str, str]]:
    """(anchor, heading text as a PDF outline shows it) of every numbered heading in the HTML."""
    found = re.findall(r'<h[12] id="([^"]+)"[^>]*><span class="num">([^<]*)</span> ([^<]*)</h[12]>', text)
    return [(anchor, " ".join(unescape(f"{num} {title}").split())) for anchor, num, title in found]


def _title_page(ctx: Context) -> str:
    _, m = ctx._, ctx.reg.meta
    sp = m.specialist
    blank = '<span class="blank"></span>'
    approval = (
        f'<div class="approval"><p class="approved">{escape(_("APPROVED"))}</p>'
        f'<p>{escape(_("Position"))}: {blank}</p>'
        f'<p>{escape(_("Signature"))}: {blank}</p>'
        f'<p>{escape(_("Full name"))}: {blank}</p>'
        f'<p>{escape(_("Date"))}: {blank}</p></div>'
    )
    rows = [
        (_("Company"), m.company),
        (_("CRM system"), m.crm),
        (_("Version"), m.version),
        (_("Effective date"), ctx.date(m.effective_date)),
        (_("Responsible specialist"), sp.name + (f", {sp.role}" if sp.role else "")),
        (_("Contact"), sp.contact),
    ]
    facts = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return (
        '<section class="title-page">'
        f"{approval}"
        f'<div class="title-block"><p class="company">{escape(m.company)}</p>'
        f'<h1 class="doc-title">{escape(_("Regulation of work in the CRM system"))} {escape(m.crm)}</h1>'
        f'<p class="subtitle">{escape(_("Version {version}, in force from {date}").format(version=m.version, date=ctx.date(m.effective_date)))}</p></div>'
        f'<table class="facts">{facts}</table>'
        "</section>"
    )


def _contents(ctx: Context, headings: list[Heading], pages: dict[str, int]) -> str:
    items = []
    for h in headings:
        page = pages.get(h.anchor)
        # The page cell is always there, so filling it in never moves a line to another page.
        items.append(f'<li class="toc-{h.level}"><a href="#{h.anchor}"><span class="num">{escape(h.number)}</span> '
                     f'<span class="toc-title">{escape(h.title)}</span><span class="page">{page or ""}</span></a></li>')
    return f'<nav class="toc"><h1 class="toc-head">{escape(ctx._("Contents"))}</h1><ol>{"".join(items)}</ol></nav>'


def _summary(doc: Doc) -> None:
    reg, _ = doc.ctx.reg, doc.ctx._
    doc.heading(1, "1.", _("Summary: general rules"))
    doc.markdown(reg.summary.intro)
    for i, topic in enumerate(reg.summary.topics, 1):
        doc.section(f"1.{i}.", summary_topic(doc.ctx, topic))


def _order_processing(doc: Doc) -> None:
    reg, _ = doc.ctx.reg, doc.ctx._
    doc.heading(1, "2.", _("Order processing"))
    doc.markdown(reg.order_processing.intro)
    for i, proc in enumerate(reg.order_processing.processes, 1):
        doc.section(f"2.{i}.", process_section(doc.ctx, proc), (process_dot(proc), proc.title))


def _client_work(doc: Doc) -> None:
    reg, _ = doc.ctx.reg, doc.ctx._
    doc.heading(1, "3.", _("Working with {clients}"))
    doc.markdown(reg.client_work.intro)
    pipelines = {pl.id: pl for pl in reg.client_work.deal_pipelines}
    for i, sec in enumerate(client_work_sections(doc.ctx), 1):
        pl = pipelines.get(sec.id)
        doc.section(f"3.{i}.", sec.text, (pipeline_dot(pl), pl.title) if pl else None)


def _tests(doc: Doc) -> None:
    """Part 4: how knowledge is checked; the questions themselves stay out of the document."""
    ctx = doc.ctx
    reg, _ = ctx.reg, ctx._
    doc.heading(1, "4.", _("Tests"))
    doc.markdown(_("Knowledge of this regulation is checked twice: right after the CRM rollout and again some time "
                   "later, to see what stuck. Both assessments mix questions on working in the system, on the "
                   "business processes and on working with {clients}; they are taken in JupyterLab and graded "
                   "automatically, open answers by the responsible specialist."))
    sel = select(reg)
    rows = []
    for name in ASSESSMENTS:
        a, qs, slots = getattr(reg.assessments, name), sel.questions[name], sel.slots[name]
        rows.append([a.title, str(len(qs) + len(slots)), str(sum(q.points for q in qs) + sum(p.points for p in slots)),
                     f"{a.pass_mark or reg.meta.pass_mark}%", str(a.due_days)])
    doc.heading(2, "4.1.", _("Assessments"))
    doc.parts.append(_table([_("Assessment"), _("Questions"), _("Points"), _("Pass mark"), _("Days to hand in")], rows))
    if any(sel.slots.values()):
        doc.markdown(_("Some questions differ from trainee to trainee: a case made up from the rules of this regulation, "
                       "or one of several questions from the bank. Everyone can earn the same points."))
    topics = {TestTopic.technical: _("Working in the system"), TestTopic.processes: _("Business processes"),
              TestTopic.sales: _("Working with {clients}")}
    count = Counter(q.topic for q in reg.questions)
    doc.heading(2, "4.2.", _("Question bank"))
    doc.markdown(ctx.ngettext("The question bank holds {n} question; each names the items of this regulation it tests.",
                              "The question bank holds {n} questions; each names the items of this regulation it tests.",
                              len(reg.questions)).format(n=len(reg.questions)),
                 _("Practice questions from the bank are in the training workbooks."))
    doc.parts.append(_table([_("Area"), _("Questions")], [[topics[t], str(count[t])] for t in TestTopic]))


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
