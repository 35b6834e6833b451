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
        raise UserError(f"the regulation has {exc.error_count()} problem(s); fix them to try a question") from None
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
