"""Regulation → trainee workbooks: an introduction, one notebook per part, a practice test.

Pure: nothing here touches the file system. Every string a trainee reads comes either from
the regulation (already in its language) or from the gettext catalog.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from nbformat import NotebookNode

from ..i18n import translation
from ..kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS
from ..kinds.drills import DRILL_KINDS
from ..regulation.items import Item, index
from ..regulation.models import Question, Regulation
from ..regulation.selection import select
from .cells import NotebookBuilder, call
from .quizzes import by_section, literal, practice_questions
from .sections import client_work_sections, drill_on, process_section, summary_topic

class Context:
    """What every section writer needs: the regulation, translations, questions by section."""

    def __init__(self, reg: Regulation):
        self.reg = reg
        self.lang = reg.meta.language.value
        # The company's words (meta.words) reach the kernels too: Workbook(..., words=...).
        self.words = reg.meta.word_forms()
        self.tr = tr = translation(self.lang, self.words)
        self._ = tr.gettext
        self.ngettext = tr.ngettext
        self.items: dict[str, Item] = index(reg)
        self.practice = practice_questions(reg)
        self.sections = by_section(reg, self.practice)

    def runtime_words(self) -> dict:
        """The ``words`` argument of the kernel's Workbook or Assessment (none when the usual words are used)."""
        return {"words": self.words} if self.words else {}

    def date(self, d) -> str:
        """A date the way readers of this language write it."""
        return d.strftime("%d.%m.%Y") if self.lang == "ru" else d.isoformat()


def part_titles(_) -> dict[str, str]:
    """Each part's workbook (file name without .ipynb) → its title, as its first heading shows it."""
    return {"01-summary": f"1. {_('Summary: general rules')}", "02-order-processing": f"2. {_('Order processing')}",
            "03-client-work": f"3. {_('Working with {clients}')}", "04-practice-test": f"4. {_('Practice test')}"}


def build_workbooks(reg: Regulation) -> dict[str, NotebookNode]:
    """All trainee workbooks for a regulation, by file name."""
    ctx = Context(reg)
    return {f"{name}.ipynb": make(ctx) for name, make in BUILDERS.items()}


def _start(ctx: Context, name: str, title: str, questions: list[Question]) -> NotebookBuilder:
    nb = NotebookBuilder(name, ctx.lang, title)
    nb.markdown(f"# {title}", ctx._("Read from top to bottom. The exercises appear under the text a few seconds "
                                    "after the workbook opens; answer them by clicking."))
    nb.code("from crmtrain.runtime import Workbook\n"
            + call("wb = Workbook", name, lang=ctx.lang, questions=[q.id for q in questions], **ctx.runtime_words()))
    return nb


def quiz_cells(ctx: Context, nb: NotebookBuilder, questions: list[Question]) -> None:
    """A short heading and one quiz cell per question."""
    if not questions:
        return
    nb.markdown(f"#### {ctx._('Check yourself')}")
    for q in questions:
        nb.code(call("wb.quiz", literal(ctx.reg, q, ctx.items)), crmtrain={"item": q.id})


def _finish(ctx: Context, nb: NotebookBuilder, questions: list[Question]) -> NotebookNode:
    if questions:
        nb.markdown(f"## {ctx._('Your result')}",
                    ctx._("The score below updates as you answer. Questions to review link to the rule they test."))
        nb.code("wb.score()")
    return nb.notebook(questions=len(questions))


def introduction(ctx: Context) -> NotebookNode:
    """How to use the workbooks, who to ask, and what the assessments are."""
    _, m, reg = ctx._, ctx.reg.meta, ctx.reg
    nb = NotebookBuilder("00-introduction", ctx.lang, _("Introduction"))
    nb.markdown(
        f"# {m.company}: {_('training on the CRM regulation')}",
        _("This course teaches how we work in {crm}: the regulation of {company}, version {version}, "
          "in force since {date}.").format(crm=m.crm, company=m.company, version=m.version, date=ctx.date(m.effective_date)),
    )
    parts = [
        ("01-summary", _("Summary: the general rules of work in the CRM")),
        ("02-order-processing", _("Order processing: our business processes as flowcharts")),
        ("03-client-work", _("Working with {clients}: {leads}, proposals, contact deadlines, {deals} and {tasks}")),
        ("04-practice-test", _("Practice test: questions from every part, like the assessments")),
    ]
    nb.markdown(
        f"## {_('How to work through the workbooks')}",
        "\n".join(f"{i}. [{title}]({name}.ipynb)" for i, (name, title) in enumerate(parts, 1)),
        _("In each workbook:"),
        "\n".join(f"- {line}" for line in (
            _("open it in **My training**, on the left; a few seconds later the exercises appear under the text;"),
            _("answer by clicking and press **Check**: you see at once whether you are right, and why;"),
            _("your answers are saved automatically in this folder, so you can close the workbook and come back later;"),
            _("at the bottom of each workbook your score shows what to review."),
        )),
        _("You never need to type or change any code."),
    )
    sp = m.specialist
    nb.markdown(
        f"## {_('Who to ask')}",
        # Neutral wording: the format does not say how to refer to the specialist grammatically.
        _("The responsible specialist for the CRM rollout is **{name}**{role}. Questions about the system and "
          "the regulation, and about the assessments, go to the responsible specialist: {contact}.").format(
            name=sp.name, role=f" ({sp.role})" if sp.role else "", contact=sp.contact),
    )
    sel = select(reg)
    # One sub-section per assessment: its description is Markdown and may have several paragraphs.
    described = []
    for name in ASSESSMENTS:  # the regulation's: a re-test is introduced by the "what changed" workbook
        when = _(ASSESSMENT_KINDS[name].when)
        a = getattr(reg.assessments, name)
        asked = len(sel.questions[name]) + len(sel.slots[name])
        count = ctx.ngettext("{n} question", "{n} questions", asked).format(n=asked)
        described += [f"### {a.title}", f"{when[:1].upper()}{when[1:]}. " + _("{count}, pass mark {mark}%, to be handed in within {days} days of release.").format(
            count=count, mark=a.pass_mark or m.pass_mark, days=a.due_days), a.description]
    nb.markdown(
        f"## {_('Assessments')}",
        _("Knowledge is checked twice. Both assessments mix technical questions, business processes, and work with {clients}."),
        *described,
        _("The responsible specialist releases an assessment; it appears in **My training**, on the left, with its due "
          "date. Press **Start**, answer by clicking, and press **Submit**. Once it is graded, **Open the result** shows "
          "your answers, your points and what to re-read. The workbooks are your preparation."),
    )
    return nb.notebook()


def summary(ctx: Context) -> NotebookNode:
    """Part 1: where to find what in the system, topic by topic."""
    reg, _ = ctx.reg, ctx._
    asked = [q for t in reg.summary.topics for q in ctx.sections.get(t.id, [])]
    nb = _start(ctx, "01-summary", part_titles(_)["01-summary"], asked)
    if reg.summary.intro:
        nb.markdown(reg.summary.intro)
    for topic in reg.summary.topics:
        nb.markdown(*summary_topic(ctx, topic))
        quiz_cells(ctx, nb, ctx.sections.get(topic.id, []))
    return _finish(ctx, nb, asked)


def order_processing(ctx: Context) -> NotebookNode:
    """Part 2: each business process as a flowchart, its steps, questions and a drill."""
    reg, _ = ctx.reg, ctx._
    procs = reg.order_processing.processes
    asked = [q for p in procs for q in ctx.sections.get(p.id, [])]
    nb = _start(ctx, "02-order-processing", part_titles(_)["02-order-processing"], asked)
    if reg.order_processing.intro:
        nb.markdown(reg.order_processing.intro)
    for proc in procs:
        nb.markdown(*process_section(ctx, proc))
        quiz_cells(ctx, nb, ctx.sections.get(proc.id, []))
        if drill := drill_on("order_processing.processes", proc):
            drill_cells(ctx, nb, *drill, process=proc.id)
    return _finish(ctx, nb, asked)


def drill_cells(ctx: Context, nb, kind: str, spec: dict, **crmtrain) -> None:
    """A drill's heading and hint (from its registry record) and its ``wb.drill`` cell."""
    record = DRILL_KINDS[kind]
    nb.markdown(f"#### {ctx._(record.heading)}", ctx._(record.hint))
    nb.code(call("wb.drill", kind, spec), crmtrain={"drill": kind, **crmtrain})


def client_work(ctx: Context) -> NotebookNode:
    """Part 3: leads, proposal, contact timing, conversion, deal statuses and tasks."""
    reg, _ = ctx.reg, ctx._
    sections = client_work_sections(ctx)
    asked = [q for sec in sections for q in ctx.sections.get(sec.id, [])]
    nb = _start(ctx, "03-client-work", part_titles(_)["03-client-work"], asked)
    if reg.client_work.intro:
        nb.markdown(reg.client_work.intro)
    for sec in sections:
        nb.markdown(*sec.text)
        quiz_cells(ctx, nb, ctx.sections.get(sec.id, []))
        if sec.drill:
            drill_cells(ctx, nb, *sec.drill)
    return _finish(ctx, nb, asked)


def practice_test(ctx: Context) -> NotebookNode:
    """Part 4: every practice question, topics mixed, in a fixed shuffled order."""
    _ = ctx._
    questions = list(ctx.practice)
    random.Random(f"{ctx.reg.meta.version}/practice").shuffle(questions)
    nb = _start(ctx, "04-practice-test", part_titles(_)["04-practice-test"], questions)
    nb.markdown(_("Questions from every part of the regulation, mixed as in the assessments: working in the system, "
                  "business processes, and work with {clients}. This test does not count; take it as often as you like."))
    for n, q in enumerate(questions, 1):
        nb.markdown(f"#### {_('Question {n} of {total}').format(n=n, total=len(questions))}")
        nb.code(call("wb.quiz", literal(ctx.reg, q, ctx.items)), crmtrain={"item": q.id})
    return _finish(ctx, nb, questions)


# The workbooks, in the order trainees take them: file name (without .ipynb) → its builder.
BUILDERS: dict[str, Callable[[Context], NotebookNode]] = {
    "00-introduction": introduction,
    "01-summary": summary,
    "02-order-processing": order_processing,
    "03-client-work": client_work,
    "04-practice-test": practice_test,
}
NOTEBOOKS = tuple(BUILDERS)
