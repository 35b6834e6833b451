"""What a set of changes touches: the questions that test them, the drills, the workbooks.

A question tests an item through its ``refs``: it names the item, or the section that holds
it (a question on the lead classification tests every rule of the table), or, for a change
of a section's own content (say the pipeline's transitions), an item inside that section.

Which workbooks and drills change is not guessed: the workbooks of both versions are built
with the notebook builders and compared cell by cell (with the new version's number set to
the old one, so that only content shows, not the new keys' salt).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..i18n import _
from ..regulation.items import index
from ..regulation.models import Question, Regulation
from .diff import ADDED, REMOVED, Change


@dataclass(frozen=True)
class Tested:
    """A question that tests a changed item, and how (``item`` or ``section``)."""

    question: str
    via: str


def questions_on(reg: Regulation, change: Change) -> list[Tested]:
    """The questions of ``reg`` that test the changed item (through their refs)."""
    if change.kind in ("question", "assessment", "meta", "introduction"):
        return []
    items = index(reg)
    section_items = {i for i, it in items.items() if it.section == change.section}
    out = []
    for q in reg.questions:
        refs = set(q.refs)
        if change.id in refs:
            out.append(Tested(q.id, "item"))
        elif change.section != change.id and change.section in refs:
            out.append(Tested(q.id, "section"))
        elif change.section == change.id and refs & section_items:
            out.append(Tested(q.id, "section"))
    return out


def retest_questions(new: Regulation, changes: list[Change]) -> tuple[list[Question], dict[str, list[str]]]:
    """A short re-test: the new version's questions covering the changed items, and {item: its questions}.

    Per changed item, the questions that name it; only where none does, those that test its
    section. Added and changed questions are in it too; removed items take their questions
    with them. An item no question tests maps to an empty list.
    """
    covering: dict[str, list[str]] = {}
    wanted: set[str] = set()
    for c in changes:
        if not c.trains or c.kind in ("assessment", "introduction") or c.status == REMOVED:
            continue
        if c.kind == "question":
            wanted.add(c.id)
            continue
        tested = questions_on(new, c)
        direct = [t.question for t in tested if t.via == "item"]
        covering[c.id] = direct or [t.question for t in tested]
        wanted.update(covering[c.id])
    return [q for q in new.questions if q.id in wanted], covering


@dataclass
class NotebookChange:
    """How one workbook differs between the versions."""

    name: str
    added: int = 0  # cells new or changed
    removed: int = 0  # cells gone or changed
    drills: list[str] = field(default_factory=list)
    quizzes: list[str] = field(default_factory=list)
    note: str = ""


def _same_version(new: Regulation, old: Regulation) -> Regulation:
    meta = new.meta.model_copy(update={"version": old.meta.version, "effective_date": old.meta.effective_date})
    return new.model_copy(update={"meta": meta})


def _describe_drill(meta: dict) -> str:
    drill = meta.get("drill", "")
    return f"{drill} ({meta['process']})" if meta.get("process") else drill


def workbook_changes(old: Regulation, new: Regulation) -> list[NotebookChange]:
    """The workbooks whose cells differ, with the drills and quizzes among those cells."""
    from ..notebooks.workbooks import build_workbooks

    before = build_workbooks(old)
    after = build_workbooks(_same_version(new, old))
    out = []
    for name in dict.fromkeys([*after, *before]):
        a = [(c.cell_type, c.source) for c in before.get(name, {"cells": []})["cells"]]
        b_cells = after.get(name, {"cells": []})["cells"]
        b = [(c.cell_type, c.source) for c in b_cells]
        came, gone = Counter(b) - Counter(a), Counter(a) - Counter(b)
        if not came and not gone:
            continue
        change = NotebookChange(name, sum(came.values()), sum(gone.values()))
        for cell in b_cells:
            if (cell.cell_type, cell.source) not in came:
                continue
            meta = cell.metadata.get("crmtrain", {})
            if meta.get("drill"):
                change.drills.append(_describe_drill(meta))
            elif meta.get("item"):
                change.quizzes.append(meta["item"])
        out.append(change)
    if (old.meta.version, old.meta.effective_date) != (new.meta.version, new.meta.effective_date):
        # The version's salt changes every practice key, and the introduction names version and date.
        out.append(NotebookChange(_("every workbook"), note=_("the new version number reseals every quiz key; "
                                                              "the introduction names the version and date")))
    return out
