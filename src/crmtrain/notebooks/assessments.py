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
from ..kinds.slots import CASE, DRAW, MIXED
from ..regulation.items import index
from ..regulation.models import Question, Regulation
from ..regulation.selection import SlotPlan, drilled, select
from .cells import NotebookBuilder, call
from .sections import drill_of
from .workbooks import part_titles

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
    args = [repr(q.id), repr(q.type.value), repr(q.key), *(f"{k}={v!r}" for k, v in check_options(q, partial).items())]
    return _hidden(f"check({', '.join(args)})", "check")


def check_options(q: Question, partial: bool) -> dict:
    """The keyword arguments a question's check takes beyond its key: tolerance, and points for partial credit."""
    options = {}
    if q.kind.tolerance and q.tolerance:
        options["tolerance"] = q.tolerance
    if q.partial(partial):
        options["points"] = q.points
    return options


def _hidden(call_source: str, function: str) -> str:
    """A grade cell holding ``call_source`` (a call of ``function`` of runtime.check) between nbgrader's markers."""
    return ("# Scored when the responsible specialist grades the assessment.\n"
            "### BEGIN HIDDEN TESTS\n"
            f"from crmtrain.runtime.check import {function}\n"
            f"{call_source}\n"
            "### END HIDDEN TESTS")


def case_spec(reg: Regulation, plan: SlotPlan) -> dict | list:
    """What a case slot's rule engine reads: the drill's spec, or the list of processes drawn from."""
    source = drilled(reg, plan.case)
    if isinstance(source, tuple):  # one of several (the processes): the trainee's is drawn from those named
        return [drill_of(plan.case, p)[1] for p in source if p.id in plan.parts]
    return drill_of(plan.case, source)[1]


def slot_cells(reg: Regulation, name: str, plan: SlotPlan, course: str, partial: bool) -> tuple[str, str]:
    """A slot's answer cell and hidden test: the trainee's own case or question, graded by who submitted.

    Neither names the trainee: the kernel shows the case of whoever opens the notebook, and
    grading regenerates it from the trainee nbgrader filed the submission under.
    """
    where = {"course": course, "assessment": name}
    if plan.case is not None:
        spec = case_spec(reg, plan)
        start = reg.meta.effective_date.isoformat()  # never today: grading months later sees the same case
        shown = call(f"test.{CASE.show}", {"id": plan.id, "kind": plan.case, "spec": spec, "start": start})
        test = _hidden(call(CASE.check, plan.id, plan.case, spec, **where, start=start), CASE.check)
        return shown, test
    candidates = [(q.id, q.type.value, q.key, check_options(q, partial)) for q in plan.questions]
    shown = call(f"test.{DRAW.show}", {"id": plan.id, "candidates": [{**item_spec(q), "text": q.text} for q in plan.questions]})
    # One candidate per line: the key scan (grading.safety.leaks) looks for these lines in released files.
    rows = "".join(f"    {c!r},\n" for c in candidates)
    test = (f"{DRAW.check}({plan.id!r}, course={course!r}, assessment={name!r}, candidates=[\n{rows}])")
    return shown, _hidden(test, DRAW.check)


def slot_metadata(plan: SlotPlan, items, course: str) -> dict:
    """What reports and feedback read from a slot's cells (``metadata.crmtrain``), the seed's course included."""
    parts = sorted({items[r].part for r in plan.may_test if r in items})
    meta = {"item": plan.id, "slot": plan.kind.name, "topic": plan.topic, "points": plan.points,
            "refs": list(plan.refs), "parts": parts, "course": course}
    if plan.case is not None:
        meta.update(case=plan.case, type=CASE.item_type, may_test=list(plan.may_test))
    else:
        types = {q.type.value for q in plan.questions}
        meta["type"] = types.pop() if len(types) == 1 else MIXED
        meta["candidates"] = [{"item": q.id, "type": q.type.value, "topic": q.topic.value, "refs": list(q.refs)}
                              for q in plan.questions]
    return meta


def item_spec(q: Question) -> dict:
    """What the answer cell passes to the runtime: never the key."""
    spec = {"id": q.id, "type": q.type.value, "options": [{"id": o.id, "text": o.text} for o in q.options]}
    if q.unit:
        spec["unit"] = q.unit
    return spec


def build_assessment(reg: Regulation, name: str, course: str) -> NotebookNode:
    """The nbgrader source notebook of one assessment (a name in ``kinds.assessments``) for course ``course``."""
    spec = getattr(reg.assessments, name)
    sel = select(reg)
    return assessment_notebook(reg, name, spec.title, spec.description, sel.questions[name],
                               spec.pass_mark or reg.meta.pass_mark, partial=spec.partial_credit,
                               slots=sel.slots[name], course=course, schedule=schedule_settings(spec))


def schedule_settings(spec) -> dict:
    """What grading needs of the regulation to date each trainee's sitting (see crmtrain.rules.schedule)."""
    return {"due_days": spec.due_days, **({"after_days": spec.after_days} if spec.after_days is not None else {})}


def assessment_notebook(reg: Regulation, name: str, title: str, description: str, questions, mark: int,
                        partial: bool = False, slots: tuple[SlotPlan, ...] = (), course: str = "",
                        schedule: dict | None = None) -> NotebookNode:
    """An nbgrader source notebook asking ``questions``, then ``slots`` (any assessment: the two, or a re-test).

    ``course`` is the nbgrader course id: with the trainee, the assessment and the slot it
    seeds each trainee's cases and draws. ``schedule``: its ``due_days`` and ``after_days``.
    """
    tr = translation(reg.meta.language.value, reg.meta.word_forms())
    _ = tr.gettext
    items = index(reg)
    total = sum(q.points for q in questions) + sum(p.points for p in slots)
    asked = len(questions) + len(slots)
    nb = NotebookBuilder(name, reg.meta.language.value, title)
    nb.markdown(
        f"# {title}", description,
        _("{questions}, {points} points in all; you pass with {mark}% of the points.").format(
            questions=tr.ngettext("{n} question", "{n} questions", asked).format(n=asked),
            points=total, mark=mark),
        _("The answer fields appear under the questions a few seconds after the notebook opens. Answer every question "
          "by clicking; each answer is saved at once. You will see your score after the responsible specialist grades "
          "the assessment."),
        **_locked("intro"),
    )
    words = reg.meta.word_forms()
    setup = {"lang": reg.meta.language.value, **({"course": course} if slots else {}), **({"words": words} if words else {})}
    nb.code("from crmtrain.runtime import Assessment\n" + call("test = Assessment", name, **setup), **_locked("setup"))
    for n, q in enumerate(questions, 1):
        crm = {"item": q.id, "topic": q.topic.value, "type": q.type.value, "points": q.points,
               "refs": list(q.refs), "parts": sorted({items[r].part for r in q.refs})}
        head = _("Question {n} of {total}").format(n=n, total=asked)
        pts = tr.ngettext("{n} point", "{n} points", q.points).format(n=q.points)
        hint = _(q.kind.hint) if q.kind.hint else ""
        nb.markdown(f"### {head} · {pts}", q.text, f"*{hint}*" if hint else "", **_locked(f"{q.id}-question", crm))
        nb.code(call("test.item", item_spec(q)), **_locked(f"{q.id}-answer", crm))
        if not q.kind.autograded:
            nb.markdown(_("*Graded by hand.*"), **_locked(q.id, crm, task=True, points=q.points))
        else:
            nb.code(hidden_test(q, partial), hidden=False, **_locked(q.id, crm, grade=True, points=q.points))
    for n, plan in enumerate(slots, len(questions) + 1):
        crm = slot_metadata(plan, items, course)
        head = _("Question {n} of {total}").format(n=n, total=asked)
        pts = tr.ngettext("{n} point", "{n} points", plan.points).format(n=plan.points)
        shown, test = slot_cells(reg, name, plan, course, partial)
        nb.markdown(f"### {head} · {pts}", **_locked(f"{plan.id}-question", crm))
        nb.code(shown, **_locked(f"{plan.id}-answer", crm))
        nb.code(test, hidden=False, **_locked(plan.id, crm, grade=True, points=plan.points))
    nb.markdown(f"## {_('When you are done')}",
                _("Check that every question says “Saved”. Then press **Submit** next to this assessment in **My training**, "
                  "on the left. You can submit again until the due date; the last submission counts."),
                **_locked("outro"))
    return nb.notebook(assessment=name, max_points=total, pass_mark=mark, **({"schedule": schedule} if schedule else {}))


def build_assessments(reg: Regulation, course: str) -> dict[str, NotebookNode]:
    """Both assessments' source notebooks for course ``course``, by path inside its ``source/`` folder."""
    return {f"{name}/{name}.ipynb": build_assessment(reg, name, course) for name in ASSESSMENTS}



# The workbook each regulation part is taught in (see notebooks.workbooks.BUILDERS).
PART_WORKBOOKS = {"summary": "01-summary", "order_processing": "02-order-processing",
                  "client_work": "03-client-work"}


def answer_notes(reg: Regulation, name: str, questions, slots: tuple[SlotPlan, ...] = ()) -> dict:
    """What grading writes under each answer (see grading.presentation.shown): never released to trainees.

    Per item its explanation and the regulation items to re-read (with the workbook that
    teaches them); for the assessment whether the correct answers are shown and how to reach
    the responsible specialist.
    """
    from ..kinds.assessments import ASSESSMENT_KINDS

    items = index(reg)
    titles = part_titles(translation(reg.meta.language.value, reg.meta.word_forms()).gettext)

    def ref(r: str) -> dict:
        # The section's heading is where the workbook opens (JupyterLab's anchor of that heading).
        book = PART_WORKBOOKS[items[r].part]
        section = items.get(items[r].section)
        return {"title": items[r].title, "workbook": f"{book}.ipynb", "part": titles[book],
                "section": section.title if section else items[r].title}

    spec = getattr(reg.assessments, name, None)
    show = spec.show_answers if spec is not None and spec.show_answers is not None else \
        ASSESSMENT_KINDS[name].shows_answers if name in ASSESSMENT_KINDS else False
    sp = reg.meta.specialist
    contact = f"{sp.name}{f' ({sp.role})' if sp.role else ''}, {sp.contact}"
    notes = {}
    drawn = [q for p in slots for q in p.questions]
    for q in (*questions, *drawn):
        refs = [ref(r) for r in q.refs if r in items and items[r].part in PART_WORKBOOKS]
        notes[q.id] = {"explanation": q.explanation, "refs": refs}
    for p in slots:
        if p.case is not None:  # the rule engine explains each case; the items to re-read are its parts
            notes[p.id] = {"explanation": "", "refs": [ref(r) for r in p.may_test
                                                       if r in items and items[r].part in PART_WORKBOOKS]}
    words = reg.meta.word_forms()  # the graded view's cases speak the company's words too
    return {"assessment": name, "lang": reg.meta.language.value, "show_answers": bool(show),
            "contact": contact, "items": notes, **({"words": words} if words else {})}


def build_answer_notes(reg: Regulation) -> dict[str, dict]:
    """Each assessment's notes, by path inside the course folder (``notes/<name>.json``)."""
    sel = select(reg)
    return {f"notes/{name}.json": answer_notes(reg, name, sel.questions[name], sel.slots[name]) for name in ASSESSMENTS}
