"""Regulation → every assessment (initial, follow-up) as an nbgrader source notebook.

One notebook per assessment keeps grading cheap. Per question: a locked markdown cell with
the text, a locked cell showing the answer widget, and the graded cell — an autograder test
whose hidden part holds the key (nbgrader strips it from everything it releases), or, for
an open answer, a task the specialist scores by hand in the formgrader.
"""

from __future__ import annotations

from nbformat import NotebookNode

from ..i18n import translation
from ..kinds.assessments import ASSESSMENTS
from ..regulation.items import index
from ..regulation.models import Question, Regulation
from ..regulation.selection import select
from .cells import NotebookBuilder, call

SCHEMA_VERSION = 3  # nbgrader's cell metadata schema


def _nbgrader(grade_id: str, *, grade: bool = False, task: bool = False, points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": True, "schema_version": SCHEMA_VERSION,
            "solution": False, "task": task}
    if grade or task:
        meta["points"] = points
    return meta


def _locked(grade_id: str, crm: dict | None = None, **kw) -> dict:
    # editable/deletable stop accidents in JupyterLab; nbgrader's checksums catch the rest.
    md = {"nbgrader": _nbgrader(grade_id, **kw), "editable": False, "deletable": False}
    if crm:
        md["crmtrain"] = crm
    return md


def hidden_test(q: Question, partial: bool = False) -> str:
    """The source of an autograded item's test cell; only the comment survives release.

    ``partial`` is the assessment's ``partial_credit``; a question with partial credit passes
    its points, so the check prints the points a partly right answer earns.
    """
    args = [repr(q.id), repr(q.type.value), repr(q.key)]
    if q.kind.tolerance and q.tolerance:
        args.append(f"tolerance={q.tolerance!r}")
    if q.partial(partial):
        args.append(f"points={q.points!r}")
    return ("# Scored when the responsible specialist grades the assessment.\n"
            "### BEGIN HIDDEN TESTS\n"
            "from crmtrain.runtime.check import check\n"
            f"check({', '.join(args)})\n"
            "### END HIDDEN TESTS")


def item_spec(q: Question) -> dict:
    """What the answer cell passes to the runtime: never the key."""
    spec = {"id": q.id, "type": q.type.value, "options": [{"id": o.id, "text": o.text} for o in q.options]}
    if q.unit:
        spec["unit"] = q.unit
    return spec


def build_assessment(reg: Regulation, name: str) -> NotebookNode:
    """The nbgrader source notebook of one assessment (a name in ``kinds.assessments``)."""
    spec = getattr(reg.assessments, name)
    return assessment_notebook(reg, name, spec.title, spec.description, select(reg).questions[name],
                               spec.pass_mark or reg.meta.pass_mark, partial=spec.partial_credit)


def assessment_notebook(reg: Regulation, name: str, title: str, description: str, questions, mark: int,
                        partial: bool = False) -> NotebookNode:
    """An nbgrader source notebook asking ``questions`` (any assessment: the two, or a re-test)."""
    tr = translation(reg.meta.language.value)
    _ = tr.gettext
    items = index(reg)
    total = sum(q.points for q in questions)
    nb = NotebookBuilder(name, reg.meta.language.value, title)
    nb.markdown(
        f"# {title}", description,
        _("{questions}, {points} points in all; you pass with {mark}% of the points.").format(
            questions=tr.ngettext("{n} question", "{n} questions", len(questions)).format(n=len(questions)),
            points=total, mark=mark),
        _("The answer fields appear under the questions a few seconds after the notebook opens. Answer every question "
          "by clicking; each answer is saved at once. You will see your score after the responsible specialist grades "
          "the assessment."),
        **_locked("intro"),
    )
    nb.code("from crmtrain.runtime import Assessment\n" + call("test = Assessment", name, lang=reg.meta.language.value),
            **_locked("setup"))
    for n, q in enumerate(questions, 1):
        crm = {"item": q.id, "topic": q.topic.value, "type": q.type.value, "points": q.points,
               "refs": list(q.refs), "parts": sorted({items[r].part for r in q.refs})}
        head = _("Question {n} of {total}").format(n=n, total=len(questions))
        pts = tr.ngettext("{n} point", "{n} points", q.points).format(n=q.points)
        hint = _(q.kind.hint) if q.kind.hint else ""
        nb.markdown(f"### {head} · {pts}", q.text, f"*{hint}*" if hint else "", **_locked(f"{q.id}-question", crm))
        nb.code(call("test.item", item_spec(q)), **_locked(f"{q.id}-answer", crm))
        if not q.kind.autograded:
            nb.markdown(_("*Graded by hand.*"), **_locked(q.id, crm, task=True, points=q.points))
        else:
            nb.code(hidden_test(q, partial), hidden=False, **_locked(q.id, crm, grade=True, points=q.points))
    nb.markdown(f"## {_('When you are done')}",
                _("Check that every question says “Saved”. Then open **Nbgrader → Assignment List** in the menu and press "
                  "**Submit** next to this assessment. You can submit again until the due date; the last submission counts."),
                **_locked("outro"))
    return nb.notebook(assessment=name, max_points=total, pass_mark=mark)


def build_assessments(reg: Regulation) -> dict[str, NotebookNode]:
    """Both assessments' source notebooks, by path inside the course's ``source/`` folder."""
    return {f"{name}/{name}.ipynb": build_assessment(reg, name) for name in ASSESSMENTS}



# The workbook each regulation part is taught in (see notebooks.workbooks.BUILDERS).
PART_WORKBOOKS = {"summary": "01-summary", "order_processing": "02-order-processing",
                  "client_work": "03-client-work"}


def answer_notes(reg: Regulation, name: str, questions) -> dict:
    """What grading writes under each answer (see grading.shown): never released to trainees.

    Per item its explanation and the regulation items to re-read (with the workbook that
    teaches them); for the assessment whether the correct answers are shown and how to reach
    the responsible specialist.
    """
    from ..kinds.assessments import ASSESSMENT_KINDS

    items = index(reg)
    spec = getattr(reg.assessments, name, None)
    show = spec.show_answers if spec is not None and spec.show_answers is not None else \
        ASSESSMENT_KINDS[name].shows_answers if name in ASSESSMENT_KINDS else False
    sp = reg.meta.specialist
    contact = f"{sp.name}{f' ({sp.role})' if sp.role else ''}, {sp.contact}"
    notes = {}
    for q in questions:
        refs = [{"title": items[r].title, "workbook": f"{PART_WORKBOOKS[items[r].part]}.ipynb"}
                for r in q.refs if r in items and items[r].part in PART_WORKBOOKS]
        notes[q.id] = {"explanation": q.explanation, "refs": refs}
    return {"assessment": name, "lang": reg.meta.language.value, "show_answers": bool(show),
            "contact": contact, "items": notes}


def build_answer_notes(reg: Regulation) -> dict[str, dict]:
    """Each assessment's notes, by path inside the course folder (``notes/<name>.json``)."""
    sel = select(reg)
    return {f"notes/{name}.json": answer_notes(reg, name, sel.questions[name]) for name in ASSESSMENTS}
