""""Try it as a trainee": one question as the trainees' own workbook cell, in a notebook of its own.

The notebook is built by the workbooks' builders (the same ``wb.quiz`` cell, the same sealed
key), so the specialist clicks the real widget in a real kernel and sees it graded exactly as
a trainee will. It is written into ``crmtrain-try/`` beside the regulation (JupyterLab does not
open hidden folders) and rewritten at every try.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..i18n import _

FOLDER = "crmtrain-try"


def notebook_for(data: Any, question: dict) -> tuple[str, str]:
    """(file name, notebook JSON) of a practice notebook asking ``question`` of the regulation ``data``."""
    from pydantic import ValidationError

    from ..notebooks.cells import NotebookBuilder, call, render
    from ..notebooks.quizzes import literal
    from ..notebooks.workbooks import Context
    from ..regulation.models import Regulation

    qid = str(question.get("id") or "question")
    questions = [q for q in data.get("questions", []) if isinstance(q, dict) and q.get("id") != qid]
    try:
        reg = Regulation.model_validate({**data, "questions": [*questions, question]})
    except ValidationError as exc:
        raise UserError(_("the regulation has {n} problem(s); fix them to try a question").format(n=exc.error_count())) from None
    q = reg.question(qid)
    ctx = Context(reg)
    name = "try-" + re.sub(r"[^A-Za-z0-9_-]+", "-", qid)
    nb = NotebookBuilder(name, ctx.lang, q.text[:60])
    nb.code("from crmtrain.runtime import Workbook\n" + call("wb = Workbook", name, lang=ctx.lang, questions=[q.id]))
    nb.code(call("wb.quiz", literal(reg, q, ctx.items)), crmtrain={"item": q.id})
    return f"{name}.ipynb", render(nb.notebook())


def write(regulation: Path, root: Path, data: Any, question: dict) -> str:
    """Write the try-out notebook beside ``regulation``; its path relative to ``root``."""
    name, text = notebook_for(data, question)
    folder = regulation.parent / FOLDER
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return (folder / name).relative_to(root).as_posix()


# --- a case slot: the trainee's own rule-generated case, as one (made-up) trainee gets it -----

def N_(text: str) -> str:
    """Mark a msgid for extraction."""
    return text


SLOT_TEXTS = {
    "intro": N_("**{slot}**, as the trainee “{trainee}” gets it in the {assessment} assessment. Each trainee gets "
                "a case of their own; press “Try this case as a trainee” again to see another trainee's."),
    "grade": N_("Answer above, then press “Grade my answer”: the saved answer is graded as grading will."),
    "button": N_("Grade my answer"),
    "right": N_("Right: this answer earns the slot's points."),
    "wrong": N_("Not right, or not answered yet: this answer earns nothing."),
}


# The grade button: the hidden test's own check, run on the answer the widget saved.
_GRADE = """import ipywidgets as widgets
from crmtrain.runtime.check import {check}

verdict = widgets.HTML()


def grade(_=None):
    try:
        {call}
        verdict.value = {right!r}
    except AssertionError:
        verdict.value = {wrong!r}


button = widgets.Button(description={button!r})
button.on_click(grade)
display(widgets.VBox([button, verdict]))"""


def slot_notebook(data: Any, assessment: str, slot: dict, trainee: str) -> tuple[str, str]:
    """(file name, notebook JSON) showing ``trainee``'s case of ``slot`` in ``assessment``, and grading it."""
    from pydantic import ValidationError

    from ..i18n import translation
    from ..kinds.slots import CASE
    from ..notebooks.assessments import case_spec
    from ..notebooks.cells import NotebookBuilder, call, render
    from ..regulation.models import Regulation
    from ..regulation.selection import select

    sid = str(slot.get("id") or "")
    try:
        reg = Regulation.model_validate(data)
        plan = next(p for p in select(reg).slots.get(assessment, ()) if p.id == sid)
    except ValidationError as exc:
        raise UserError(_("the regulation has {n} problem(s); fix them to try a case").format(n=exc.error_count())) from None
    except StopIteration:
        raise UserError(_("the assessment has no slot '{slot}' to try").format(slot=sid)) from None
    if plan.case is None:
        raise UserError(_("'{slot}' is not a case slot: try its questions one by one").format(slot=sid))
    lang, words = reg.meta.language.value, reg.meta.word_forms()
    tr = translation(lang, words)
    spec, start = case_spec(reg, plan), reg.meta.effective_date.isoformat()
    course = "crmtrain-try"
    where = {"course": course, "assessment": assessment, "start": start, "trainee": trainee}
    name = "try-" + re.sub(r"[^A-Za-z0-9_-]+", "-", sid)
    nb = NotebookBuilder(name, lang, sid)
    title = getattr(reg.assessments, assessment).title
    nb.markdown(tr.gettext(SLOT_TEXTS["intro"]).format(slot=sid, trainee=trainee, assessment=title))
    setup = {"lang": lang, "course": course, "trainee": trainee, **({"words": words} if words else {})}
    nb.code("from crmtrain.runtime import Assessment\n" + call("test = Assessment", assessment, **setup))
    nb.code(call(f"test.{CASE.show}", {"id": plan.id, "kind": plan.case, "spec": spec, "start": start}))
    nb.markdown(tr.gettext(SLOT_TEXTS["grade"]))
    nb.code(_GRADE.format(check=CASE.check, call=call(CASE.check, plan.id, plan.case, spec, **where),
                          right=tr.gettext(SLOT_TEXTS["right"]), wrong=tr.gettext(SLOT_TEXTS["wrong"]),
                          button=tr.gettext(SLOT_TEXTS["button"])))
    return f"{name}.ipynb", render(nb.notebook())


def write_slot(regulation: Path, root: Path, data: Any, assessment: str, slot: dict) -> str:
    """Write a case slot's try-out notebook in a folder of its own (a fresh answers.json); its path."""
    import secrets

    name, text = slot_notebook(data, assessment, slot, f"example-{secrets.token_hex(2)}")
    folder = regulation.parent / FOLDER / name.removesuffix(".ipynb")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answers.json").unlink(missing_ok=True)  # the last try's answer belongs to another trainee
    (folder / name).write_text(text, encoding="utf-8")
    return (folder / name).relative_to(root).as_posix()
