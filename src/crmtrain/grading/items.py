"""Per-item facts of an assessment, read back from its source notebook.

The notebook builder writes ``metadata["crmtrain"]`` on every cell of an item::

    {"item": "Q012", "topic": "sales", "refs": ["lead-classes"], "type": "single", "points": 2}

and nbgrader metadata on the cell that carries the item's points: an autograder test cell
(``grade: true, solution: false``, code) for autograded types, a task cell (``task: true``,
markdown) for open answers. The item's nbgrader ``grade_id`` cells are what the gradebook
scores, so reports join grades to items through :attr:`Item.grade_ids`.

Notebooks are read as plain JSON (nbformat costs seconds to import).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..kinds.questions import QUESTION_TYPES, question_kind
from .course import Course

ITEM_FIELDS = ("item", "topic", "refs", "type", "points")
TYPES = QUESTION_TYPES


@dataclass(frozen=True)
class Item:
    id: str
    topic: str
    refs: tuple[str, ...]
    type: str
    points: float
    notebook: str  # notebook name without .ipynb (nbgrader's notebook id)
    grade_ids: tuple[str, ...]  # nbgrader cells scoring this item (tests or task)

    @property
    def autograded(self) -> bool:
        return question_kind(self.type).autograded


def _graded(nbg: dict) -> bool:
    return bool(nbg.get("grade") or nbg.get("task"))


def read_items(path: str | Path, *, label: str | None = None) -> tuple[Item, ...]:
    """The items of one notebook, in notebook order; UserError listing every inconsistency."""
    path = Path(path)
    label = label or str(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{label}: not a readable notebook ({exc})") from None
    problems: list[str] = []
    meta: dict[str, dict] = {}
    grades: dict[str, list[tuple[str, float]]] = {}
    order: list[str] = []
    for i, cell in enumerate(cells, start=1):
        md = cell.get("metadata", {})
        crm, nbg = md.get("crmtrain"), md.get("nbgrader", {})
        where = f"{label}: cell {i}"
        if crm is None:
            if _graded(nbg):
                problems.append(f"{where}: graded cell {nbg.get('grade_id')!r} has no crmtrain item metadata")
            continue
        missing = [f for f in ITEM_FIELDS if f not in crm]
        if missing:
            problems.append(f"{where}: crmtrain metadata lacks {', '.join(missing)}")
            continue
        if crm["type"] not in TYPES:
            problems.append(f"{where}: type {crm['type']!r} is not one of {', '.join(TYPES)}")
        qid = str(crm["item"])
        if qid not in meta:
            meta[qid] = crm
            order.append(qid)
            grades[qid] = []
        elif any(meta[qid][f] != crm[f] for f in ITEM_FIELDS):
            problems.append(f"{where}: item {qid} metadata differs from its first cell")
        if _graded(nbg):
            grades[qid].append((str(nbg.get("grade_id")), float(nbg.get("points", 0))))
    items = []
    for qid in order:
        crm, graded = meta[qid], grades[qid]
        if not graded:
            problems.append(f"{label}: item {qid} has no graded cell (test or task cell)")
        elif abs(sum(p for _, p in graded) - float(crm["points"])) > 1e-9:
            problems.append(
                f"{label}: item {qid} is worth {crm['points']} points but its graded cells carry "
                f"{sum(p for _, p in graded):g}"
            )
        items.append(
            Item(
                id=qid,
                topic=str(crm["topic"]),
                refs=tuple(str(r) for r in crm["refs"]),
                type=str(crm["type"]),
                points=float(crm["points"]),
                notebook=path.stem,
                grade_ids=tuple(g for g, _ in graded),
            )
        )
    if problems:
        raise UserError(f"{label}: the assessment notebook's item metadata is inconsistent", problems)
    return tuple(items)


def cell_problems(path: str | Path, *, label: str | None = None) -> list[str]:
    """Code cells that break the grading contract: every code cell must be a locked nbgrader
    cell with a ``grade_id`` (anything else is dropped before grading as trainee-added)."""
    label = label or str(path)
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = []
    for i, cell in enumerate(nb.get("cells", []), start=1):
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code":
            continue
        if not nbg.get("grade_id"):
            problems.append(
                f"{label}: cell {i}: code cell without an nbgrader grade_id (it would be dropped when grading)"
            )
        elif not (nbg.get("locked") or nbg.get("grade")) or nbg.get("solution"):
            problems.append(
                f"{label}: cell {i}: code cell {nbg['grade_id']!r} must be locked (trainees never type code)"
            )
    return problems


def assessment_items(course: Course, assessment: str) -> tuple[Item, ...]:
    """Every item of an assessment (all its source notebooks, in order)."""
    found: list[Item] = []
    for nb in course.source_notebooks(assessment):
        found.extend(read_items(nb, label=str(nb.relative_to(course.root))))
    seen: set[str] = set()
    dupes = sorted({i.id for i in found if i.id in seen or seen.add(i.id)})
    if dupes:
        raise UserError(f"assessment {assessment!r} has items more than once: {', '.join(dupes)}")
    return tuple(found)
