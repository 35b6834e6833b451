"""Per-item facts of an assessment, read back from its source notebook.

The notebook builder writes ``metadata["crmtrain"]`` on every cell of an item::

    {"item": "Q012", "topic": "sales", "refs": ["lead-classes"], "type": "single", "points": 2}

A *slot* (docs/regulation-format.md, ``slots:``) differs per trainee and says so:
``"slot": "case"`` with the drill kind in ``"case"`` (type ``"case"``), or ``"slot": "draw"``
with its ``"candidates"`` (``[{"item", "type", "topic", "refs"}]``, type the candidates' common
one or ``"mixed"``). :meth:`Item.asked` says which question a trainee got in it: the drawn
candidate, or for a process case over several processes the case on the trainee's own
process (``slot/process``, tested on that process).

and nbgrader metadata on the cell that carries the item's points: an autograder test cell
(``grade: true, solution: false``, code) for autograded types, a task cell (``task: true``,
markdown) for open answers. The item's nbgrader ``grade_id`` cells are what the gradebook
scores, so reports join grades to items through :attr:`Item.grade_ids`.

Notebooks are read as plain JSON (nbformat costs seconds to import).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError
from ...kinds.drills import DRILL_KINDS
from ...kinds.questions import QUESTION_KINDS, QUESTION_TYPES, question_kind
from ...kinds.slots import CASE, DRAW, MIXED, SLOT_KINDS, slot_kind
from ...rules.variants import draw_index
from ..plumbing.course import Course

ITEM_FIELDS = ("item", "topic", "refs", "type", "points")
TYPES = QUESTION_TYPES
CANDIDATE_FIELDS = ("item", "type", "topic", "refs")


@dataclass(frozen=True)
class Asked:
    """The question one trainee got at one position of an assessment (statistics are kept per question)."""

    id: str  # the question's id: a bank question's, or the slot's own for a case
    type: str  # a question type, or a case slot's item type (CASE.item_type)
    topic: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    id: str
    topic: str
    refs: tuple[str, ...]
    type: str
    points: float
    notebook: str  # notebook name without .ipynb (nbgrader's notebook id)
    grade_ids: tuple[str, ...]  # nbgrader cells scoring this item (tests or task)
    slot: str = ""  # "" for a question everyone gets; a slot kind's name (kinds/slots.py) for a slot
    case: str = ""  # a case slot's drill kind (kinds/drills.py)
    candidates: tuple[Asked, ...] = ()  # a draw slot's questions, in the notebook's order
    guess: float | None = None  # a case slot's random guess score (metadata's, else its engine's)
    course: str = ""  # the course id the slot's seeds were built with ("" : the Course's own)
    processes: tuple[str, ...] = ()  # a process or pipeline case's parts, when each trainee gets one of several

    @property
    def autograded(self) -> bool:
        """Whether a check scores it (slots always are: a case by its engine, a draw's candidates by theirs)."""
        return bool(self.slot) or question_kind(self.type).autograded

    def asked(self, course_id: str, assessment: str, trainee: str) -> Asked:
        """What ``trainee`` was asked here: for a draw, the candidate their seed picks (rules.variants).

        The seed's course is the one the notebook was built with (its metadata), else ``course_id``.
        """
        course = self.course or course_id
        if self.slot == DRAW.name:
            return self.candidates[draw_index(len(self.candidates), course, assessment, trainee, self.id)]
        if self.processes:  # the trainee's own process is the item their case tests (rules.cases narrows it)
            from ...rules.cases import CASES

            [mine] = CASES[self.case].narrowed([{"id": p} for p in self.processes], course, trainee)
            return self._on(mine["id"])
        return Asked(self.id, self.type, self.topic, self.refs)

    def questions(self) -> tuple[Asked, ...]:
        """Every question this position can ask: the draw's candidates, a case per process, else the item."""
        if self.slot == DRAW.name:
            return self.candidates
        if self.processes:
            return tuple(self._on(p) for p in self.processes)
        return (Asked(self.id, self.type, self.topic, self.refs),)

    def _on(self, process: str) -> Asked:
        # Cases on different processes are different questions: each gets statistics of its own.
        return Asked(f"{self.id}/{process}", self.type, self.topic, (process,))


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
    shown: dict[str, str] = {}  # a case slot's answer cell: its spec gives the case's random guess score
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
        problems.extend(f"{where}: {p}" for p in _slot_problems(crm))
        qid = str(crm["item"])
        if qid not in meta:
            meta[qid] = crm
            order.append(qid)
            grades[qid] = []
        elif any(meta[qid].get(f) != crm.get(f) for f in (*ITEM_FIELDS, *SLOT_FIELDS)):
            problems.append(f"{where}: item {qid} metadata differs from its first cell")
        if _graded(nbg):
            grades[qid].append((str(nbg.get("grade_id")), float(nbg.get("points", 0))))
        elif slot_kind(crm.get("slot")) is CASE and nbg.get("grade_id") == f"{qid}-answer":
            source = cell.get("source", "")
            shown[qid] = "".join(source) if isinstance(source, list) else str(source)
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
                **_slot_fields(crm, shown.get(qid, "")),
            )
        )
    if problems:
        raise UserError(f"{label}: the assessment notebook's item metadata is inconsistent", problems)
    return tuple(items)


SLOT_FIELDS = ("slot", "case", "candidates", "guess", "course")


def _slot_problems(crm: dict) -> list[str]:
    """What is wrong with an item's type and slot fields (a fixed question's type must be a question type)."""
    slot, qtype = crm.get("slot"), crm["type"]
    if slot is None:
        return [] if qtype in TYPES else [f"type {qtype!r} is not one of {', '.join(TYPES)}"]
    if slot_kind(slot) is CASE:
        problems = [] if qtype == CASE.item_type else [f"case slot {crm['item']!r} has type {qtype!r}, not {CASE.item_type!r}"]
        if crm.get("case") not in DRILL_KINDS:
            problems.append(f"case slot {crm['item']!r}: case {crm.get('case')!r} is not one of {', '.join(DRILL_KINDS)}")
        guess = crm.get("guess")
        if guess is not None and not (isinstance(guess, (int, float)) and 0 <= guess <= 1):
            problems.append(f"case slot {crm['item']!r}: guess {guess!r} is not a share between 0 and 1")
        return problems
    if slot_kind(slot) is not DRAW:
        return [f"item {crm['item']!r}: slot {slot!r} is not {' or '.join(map(repr, SLOT_KINDS))}"]
    cands = crm.get("candidates")
    if not isinstance(cands, list) or not cands:
        return [f"draw slot {crm['item']!r} has no candidates"]
    problems = []
    for c in cands:
        if not isinstance(c, dict) or any(f not in c for f in CANDIDATE_FIELDS):
            problems.append(f"draw slot {crm['item']!r}: a candidate lacks one of {', '.join(CANDIDATE_FIELDS)}")
        elif not (c["type"] in QUESTION_KINDS and QUESTION_KINDS[c["type"]].autograded):
            problems.append(f"draw slot {crm['item']!r}: candidate {c['item']!r} has type {c['type']!r}, "
                            "not an autograded question type")
    if problems:
        return problems
    ids = [str(c["item"]) for c in cands]
    if len(set(ids)) < len(ids):
        problems.append(f"draw slot {crm['item']!r} lists a candidate more than once")
    types = {c["type"] for c in cands}
    want = types.pop() if len(types) == 1 else MIXED
    if qtype != want:
        problems.append(f"draw slot {crm['item']!r} has type {qtype!r}; its candidates make it {want!r}")
    return problems


def _case_facts(kind: str, answer_source: str) -> tuple[float | None, tuple[str, ...]]:
    """From the spec a case slot's answer cell shows: its engine's random guess score (None: unreadable)
    and, for a process case over several processes, their ids (each trainee gets one)."""
    from ...rules.cases import guess

    spec = item_spec(answer_source) if answer_source else None
    try:
        share = None if spec is None else float(guess(kind, spec["spec"]))
        several = kind in DRILL_KINDS and DRILL_KINDS[kind].drills.endswith("[]") and spec is not None and \
            len(spec["spec"]) > 1
        return share, tuple(str(p["id"]) for p in spec["spec"]) if several else ()
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError):
        return None, ()


def _slot_fields(crm: dict, answer_source: str = "") -> dict:
    """The Item fields of a slot (none for a fixed question); a case's guess from its metadata, else its engine."""
    slot = crm.get("slot")
    if slot is None:
        return {}
    # Malformed candidates are left out here: _slot_problems has named them, and the items are not returned.
    cands = tuple(Asked(str(c["item"]), str(c["type"]), str(c["topic"]), tuple(str(r) for r in c["refs"]))
                  for c in crm.get("candidates") or () if isinstance(c, dict) and all(f in c for f in CANDIDATE_FIELDS)
                  ) if slot_kind(slot) is DRAW else ()
    guess = crm.get("guess")
    engine_guess, processes = _case_facts(str(crm.get("case")), answer_source) if slot_kind(slot) is CASE else (None, ())
    if not isinstance(guess, (int, float)):
        guess = engine_guess
    return {"slot": str(slot), "case": str(crm.get("case") or ""), "candidates": cands,
            "guess": float(guess) if isinstance(guess, (int, float)) else None, "course": str(crm.get("course") or ""),
            "processes": processes}


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
    # A question asked at two positions (twice, or also as a draw's candidate) would merge two
    # positions into one item's statistics and could be asked twice of one trainee.
    seen: set[str] = set()
    ids = [i.id for i in found] + [q.id for i in found if i.slot == DRAW.name for q in i.candidates]
    dupes = sorted({i for i in ids if i in seen or seen.add(i)})
    if dupes:
        raise UserError(f"assessment {assessment!r} has items more than once: {', '.join(dupes)}")
    return tuple(found)


def item_spec(source: str) -> dict[str, Any] | None:
    """The spec of an answer cell ``test.item({...})`` (read as a literal, never run)."""
    try:
        body = ast.parse(source).body
        call = body[0].value if len(body) == 1 and isinstance(body[0], ast.Expr) else None
        if not (isinstance(call, ast.Call) and call.args):
            return None
        spec = ast.literal_eval(call.args[0])
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError, AttributeError):
        return None
    return spec if isinstance(spec, dict) else None
