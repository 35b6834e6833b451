"""The "what changed" workbook and the short re-test, made with the notebook builders.

The workbook shows, section by section, what is new, changed or gone, then the section as
it now reads (the same writers as the workbooks), the practice questions on the changed
items and the drills of the changed sections. The re-test is an nbgrader source notebook
like the two assessments, asking only the questions that cover the changed items.
"""

from __future__ import annotations

from nbformat import NotebookNode

from ..notebooks.assessments import assessment_notebook
from ..notebooks.cells import NotebookBuilder, call
from ..notebooks.quizzes import practice_questions
from ..notebooks.sections import client_work_sections, drill_on, process_section, summary_topic
from ..notebooks.workbooks import Context, quiz_cells
from ..regulation.models import Question, Regulation
from .diff import ADDED, CHANGED, REMOVED, Change

WORKBOOK = "what-changed"
RETEST = "retest"


def _status(ctx: Context, change: Change) -> str:
    _ = ctx._
    return {ADDED: _("New"), CHANGED: _("Changed"), REMOVED: _("Removed")}[change.status]


def _sections(ctx: Context) -> list[tuple[str, list[str], tuple | None]]:
    """(section id, markdown parts, drill) of every section, in document order."""
    reg = ctx.reg
    out: list[tuple[str, list[str], tuple | None]] = [(t.id, summary_topic(ctx, t), None) for t in reg.summary.topics]
    for proc in reg.order_processing.processes:
        drill = drill_on("order_processing.processes", proc)
        out.append((proc.id, process_section(ctx, proc), (*drill, proc.id) if drill else None))
    for sec in client_work_sections(ctx):
        out.append((sec.id, sec.text, (sec.drill[0], sec.drill[1], None) if sec.drill else None))
    return out


def what_changed_workbook(old: Regulation, new: Regulation, changes: list[Change],
                          questions: list[Question]) -> NotebookNode:
    """A trainee workbook on what changed from ``old`` to ``new``; ``questions`` are the re-test's."""
    ctx = Context(new)
    _ = ctx._
    practice = {q.id for q in practice_questions(new)}
    asked = [q for q in questions if q.id in practice]
    title = _("What changed in the regulation")
    nb = NotebookBuilder(WORKBOOK, ctx.lang, title)
    nb.markdown(
        f"# {title}",
        _("The regulation of {company} has a new version: {new} in force from {new_date} (it was {old} of {old_date}). "
          "This workbook shows only what changed: read each section and check yourself. The exercises appear under "
          "the text a few seconds after the workbook opens.").format(company=new.meta.company, new=new.meta.version,
                                               new_date=ctx.date(new.meta.effective_date), old=old.meta.version,
                                               old_date=ctx.date(old.meta.effective_date)))
    nb.code("from crmtrain.runtime import Workbook\n" + call("wb = Workbook", WORKBOOK, lang=ctx.lang, questions=[q.id for q in asked],
                                                                 **ctx.runtime_words()))
    by_section: dict[str, list[Change]] = {}
    for c in changes:
        if c.trains and c.kind not in ("question", "assessment"):
            by_section.setdefault(c.section, []).append(c)
    for section_id, parts, drill in _sections(ctx):
        here = by_section.pop(section_id, [])
        if not here:
            continue
        nb.markdown(f"### {_('What changed here')}",
                    "\n".join(f"- **{_status(ctx, c)}:** {c.title}" for c in here))
        nb.markdown(*[p for p in parts])
        mine = [q for q in asked if ctx.items.get(q.refs[0]) and ctx.items[q.refs[0]].section == section_id]
        quiz_cells(ctx, nb, mine)
        if drill:
            kind, spec, process = drill
            nb.markdown(f"#### {_('Drill')}", _("Practise the changed rules: press **Next** for a new case."))
            meta = {"drill": kind, **({"process": process} if process else {})}
            nb.code(call("wb.drill", kind, spec), crmtrain=meta)
    gone = [c for cs in by_section.values() for c in cs]  # sections that no longer exist
    if gone:
        nb.markdown(f"### {_('Removed')}", "\n".join(f"- {c.title}" for c in gone))
    if asked:
        nb.markdown(f"## {_('Your result')}", _("The score below updates as you answer."))
        nb.code("wb.score()")
    return nb.notebook(changes_from=old.meta.version, changes_to=new.meta.version)


def retest_notebook(old: Regulation, new: Regulation, questions: list[Question]) -> NotebookNode:
    """The re-test on the changed items, as an nbgrader source notebook (``source/retest/retest.ipynb``)."""
    _ = Context(new)._
    title = _("Re-test: what changed in version {version}").format(version=new.meta.version)
    description = _("A short test on the rules that changed since version {old}.").format(old=old.meta.version)
    return assessment_notebook(new, RETEST, title, description, questions, new.meta.pass_mark)
