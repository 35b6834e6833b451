"""The course's results (read by :mod:`crmtrain.grading`) and the regulation as :class:`ReportData`.

Pure pandas: :mod:`crmtrain.grading.plumbing.gradebook` reads nbgrader's gradebook into typed columns,
:mod:`crmtrain.grading.scoring.items` says which graded cells score which item (their ``grade_ids``,
from the assessment notebook's metadata), and :mod:`crmtrain.grading.safety.answers` reads the saved
answers. Topics, refs and titles come from the regulation; lateness is nbgrader's.

Statistics are per *question*: at a draw slot each trainee's row names the question they drew
(``Item.asked``, from the course id and the trainee id, as grading derives it), and the
``slot`` column keeps the slot's id; a case slot is an item of its own (``qtype`` "case"),
one per process when each trainee's case is on one of several processes.
Grades and saved answers are filed by *position* (the slot id, or the fixed question's id).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..grading.plumbing.course import GRADEBOOK
from ..kinds.questions import QUESTION_KINDS
from ..kinds.assessments import ASSESSMENTS, COURSE_ASSESSMENTS
from ..kinds.slots import CASE, DRAW
from .data import ITEM_COLUMNS, SCHEDULE_COLUMNS, ReportData, assessment_frame, correct_of, normalise


def load_report_data(course_root: Path, regulation) -> ReportData:
    """Everything the reports need from the course at ``course_root`` (the folder holding gradebook.db)."""
    from ..grading.safety import answers
    from ..grading.plumbing import gradebook, snapshot
    from ..grading.plumbing.course import Course
    from ..grading.scoring.items import assessment_items

    course = Course.load(course_root)
    snap = snapshot.snapshot(course)
    if not snap.submissions:  # tables of nobody's answers would look like a report and say nothing
        raise gradebook.nothing_graded(course)
    items = {a: assessment_items(course, a) for a in course.assessments() if a in snap.due}
    saved = answers.all_answers(course, [(s.assessment, s.trainee) for s in snap.submissions])
    data = build(snap, items, saved, regulation, course.course_id, _headers(course, items))
    data.schedule = schedule_frame(course, released=tuple(items))
    return data


def schedule_frame(course, released: tuple[str, ...]) -> pd.DataFrame:
    """Each trainee's own dates of each released assessment, today (the same as ``crmtrain status``)."""
    from ..grading.verbs.schedule import schedules

    rows = [{"trainee_id": t, "assessment": d.assessment, "opens": d.opens, "due": d.due, "standing": d.state,
             "moved": d.moved, "submitted_at": d.submitted}
            for t, dues in schedules(course).items() for d in dues if d.assessment in released]
    return pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS))


def _headers(course, items: dict) -> dict[str, dict]:
    """Title and pass mark (its notebook's) and whom it is for, of each assessment the regulation does not declare."""
    from ..grading.plumbing.audience import read_audience

    out = {}
    for a in items:
        if a in ASSESSMENTS:
            continue
        meta = {}
        for nb in course.source_notebooks(a):
            meta = meta or json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("crmtrain") or {}
        audience = read_audience(course, a)
        out[a] = {"title": str(meta.get("title") or a), "pass_mark": meta.get("pass_mark"),
                  "for": audience.trainees if audience is not None else None}
    return out


def build(snap, items: dict, saved: dict, regulation, course_id: str = "", headers: dict | None = None) -> ReportData:
    """ReportData from a gradebook snapshot, each assessment's items, the saved answers and the course id
    (which, with the trainee's id, says what each trainee drew at a draw slot); ``headers`` give the
    title and pass mark of the assessments the regulation does not declare."""
    from ..regulation.items import index
    from ..regulation.selection import select

    refs_index = index(regulation)
    selected = select(regulation).questions
    item_rows = _items(snap, items, regulation, refs_index)
    roster = pd.DataFrame({"trainee_id": [t.id for t in snap.trainees],
                           "name": [t.name or t.id for t in snap.trainees],
                           "email": [t.email for t in snap.trainees]}, dtype=object)
    subs = pd.DataFrame([(s.assessment, s.trainee, s.seconds_late > 0) for s in snap.submissions],
                        columns=["assessment", "trainee_id", "late"])

    results = _grid(item_rows, roster, items, course_id,
                    {a: h["for"] for a, h in (headers or {}).items() if h.get("for") is not None})
    key = pd.MultiIndex.from_arrays([results["assessment"], results["trainee_id"], results["position"]])
    per_item = _item_scores(snap.grades, items)
    results["score"] = per_item.reindex(key).to_numpy() if len(per_item) else np.nan
    sub_key = pd.MultiIndex.from_arrays([results["assessment"], results["trainee_id"]])
    sub_index = subs.set_index(["assessment", "trainee_id"])
    results["submitted"] = sub_key.isin(sub_index.index)
    results["late"] = sub_index["late"].reindex(sub_key).fillna(False).to_numpy(dtype=bool)
    results.loc[~results["submitted"], "score"] = np.nan
    results["correct"] = correct_of(results["score"], results["points"])
    responses = _responses(saved, items, course_id)
    results["response"] = pd.Categorical(responses.reindex(key).fillna("").to_numpy(dtype=object) if len(responses)
                                         else np.full(len(results), "", dtype=object))
    results = results.drop(columns="position")

    rows = []
    for a in _order(items):
        spec = getattr(regulation.assessments, a, None)
        head = {"title": spec.title, "pass_mark": spec.pass_mark} if spec is not None else (headers or {}).get(a, {})
        mine = item_rows[item_rows["assessment"] == a].drop_duplicates("position")  # a draw's candidates: once
        planned = sum(q.points for q in selected.get(a, ())) if mine.empty else mine["points"].sum()
        rows.append({"assessment": a, "title": head.get("title") or a,
                     "pass_mark": head.get("pass_mark") or regulation.meta.pass_mark,
                     "max_points": float(planned), "due": snap.due.get(a)})
    ref_items = pd.DataFrame([(i.id, i.part, i.section, i.title, refs_index[i.section].title
                               if i.section in refs_index else i.section) for i in refs_index.values()],
                             columns=list(ITEM_COLUMNS))
    texts = item_rows[["assessment", "item", "slot", "text", "options", "guess"]].reset_index(drop=True)
    return normalise(ReportData(results, assessment_frame(rows), roster, ref_items, texts))


def _items(snap, items: dict, regulation, refs_index) -> pd.DataFrame:
    """One row per (assessment, question) in notebook order — a draw slot's candidates one row each —
    with its ``position`` (slot id or question id); points are what nbgrader's cells carry."""
    questions = {q.id: q for q in regulation.questions}
    cell_points = {(c.assessment, c.notebook, c.name): c.max_score for c in snap.cells}
    rows = []
    for a in _order(items):
        partial = getattr(getattr(regulation.assessments, a, None), "partial_credit", False)
        for it in items.get(a, ()):
            pts = [cell_points[(a, it.notebook, g)] for g in it.grade_ids if (a, it.notebook, g) in cell_points]
            points = float(sum(pts)) if pts else float(it.points)
            for q in it.questions():
                meta = _meta(questions.get(q.id), refs_index, q, it, regulation, partial)
                rows.append({"assessment": a, "item": q.id, "position": it.id, "slot": it.id if it.slot else "",
                             "points": points, **meta})
    return pd.DataFrame(rows, columns=["assessment", "item", "position", "slot", "points", "topic", "part", "refs",
                                       "qtype", "text", "options", "guess"])


def _grid(rows: pd.DataFrame, roster: pd.DataFrame, items: dict, course_id: str,
          only: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Every roster trainee × every position of each released assessment, trainee-major, as categoricals
    built from index arrays (800k repeated strings would cost seconds to factorise). At a draw slot
    the row is the question the trainee drew (one seed per trainee and slot: linear in trainees).
    ``only`` names the trainees an assessment is for (a re-test); the others have no row of it."""
    everyone = [str(t) for t in roster["trainee_id"]]
    first = {(a, p): i for i, (a, p) in reversed(list(enumerate(zip(rows["assessment"], rows["position"]))))}
    item_idx, trainee_idx = [np.zeros(0, dtype=int)], [np.zeros(0, dtype=int)]
    for a in _order(items):
        listed = set((only or {}).get(a, everyone))
        who = np.array([k for k, t in enumerate(everyone) if t in listed], dtype=int)
        trainees, n_t = [everyone[k] for k in who], len(who)
        columns = []
        for it in items.get(a, ()):
            start = first[(a, it.id)]
            if len(it.questions()) > 1:  # a draw, or a process case over several processes
                ids = {q.id: k for k, q in enumerate(it.questions())}
                columns.append(start + np.fromiter((ids[it.asked(course_id, a, t).id] for t in trainees),
                                                   dtype=int, count=n_t))
            else:
                columns.append(np.full(n_t, start))
        if columns:
            item_idx.append(np.column_stack(columns).reshape(-1))
            trainee_idx.append(np.repeat(who, len(columns)))
    item_idx, trainee_idx = np.concatenate(item_idx), np.concatenate(trainee_idx)
    return pd.DataFrame({
        **{c: _take(rows[c], item_idx) for c in ("assessment", "item", "topic", "part", "refs", "qtype", "slot",
                                                 "position")},
        "trainee_id": _take(roster["trainee_id"], trainee_idx), "trainee_name": _take(roster["name"], trainee_idx),
        "points": rows["points"].to_numpy(dtype=float)[item_idx],
    })


def _order(items: dict) -> tuple[str, ...]:
    """The regulation's assessments, then any other kind that has items (a re-test), in the registry's order."""
    return tuple(a for a in COURSE_ASSESSMENTS if a in ASSESSMENTS or a in items)


def _item_scores(grades, items: dict) -> pd.Series:
    """Score per (assessment, trainee_id, position): the sum of its cells, NaN if any cell is ungraded."""
    owner = {(a, it.notebook, g): it.id for a, its in items.items() for it in its for g in it.grade_ids}
    if not len(grades):
        return pd.Series(dtype=float)
    g = pd.DataFrame({"assessment": pd.Categorical(grades.assessment), "trainee_id": pd.Categorical(grades.trainee),
                      "notebook": pd.Categorical(grades.notebook), "cell": pd.Categorical(grades.cell)})
    # Map each distinct (assessment, notebook, cell) once, not each of 800k grades.
    cells = g[["assessment", "notebook", "cell"]].drop_duplicates()
    cells["item"] = [owner.get(k) for k in zip(cells["assessment"], cells["notebook"], cells["cell"])]
    g = g.merge(cells, on=["assessment", "notebook", "cell"], how="left", sort=False)
    auto, manual, extra = (pd.to_numeric(pd.Series(c, dtype=object), errors="coerce").astype(float).to_numpy()
                           for c in (grades.auto, grades.manual, grades.extra))
    # nbgrader's own Grade.score is 0 for an ungraded cell; a report must tell "0" from "not graded".
    g["score"] = np.where(np.isnan(manual), auto, manual) + np.nan_to_num(extra)
    g["gaps"] = g["score"].isna()
    g = g[g["item"].notna()]  # a graded cell crmtrain did not generate scores no item
    per = g.groupby(["assessment", "trainee_id", "item"], observed=True).agg(score=("score", "sum"), gaps=("gaps", "sum"))
    return per["score"].where(per["gaps"] == 0)


def _meta(q, refs_index, asked, item, regulation, partial: bool = False) -> dict:
    """Topic, part (of the first ref the regulation knows), refs, type, text, option ids and random guess score.

    ``partial`` is the assessment's ``partial_credit``: a guess earns more where partial credit is given.
    """
    from ..kinds.questions import question_kind

    if item.slot == CASE.name:  # a rule-generated case: what the notebook says, the drill's heading as its text
        text = _case_text(item.case, regulation) + (f" ({asked.refs[0]})" if item.processes else "")
        return {"topic": item.topic, "part": next((refs_index[r].part for r in asked.refs if r in refs_index), ""),
                "refs": " ".join(asked.refs), "qtype": item.type, "text": text,
                "options": "", "guess": np.nan if item.guess is None else item.guess}
    if q is None:  # not in this regulation: what the notebook says
        return {"topic": asked.topic, "part": "", "refs": " ".join(asked.refs), "qtype": asked.type, "text": "",
                "options": "", "guess": np.nan}
    part = next((refs_index[r].part for r in q.refs if r in refs_index), "")
    return {"topic": q.topic.value, "part": part, "refs": " ".join(q.refs), "qtype": q.type.value, "text": q.text,
            "options": " ".join(o.id for o in q.options),
            "guess": question_kind(q.type).guess_score([o.id for o in q.options], q.key, q.partial(partial))}


def _case_text(kind: str, regulation) -> str:
    """A case slot's text in the report: its drill kind's heading, in the regulation's language."""
    from ..i18n import translation
    from ..kinds.drills import DRILL_KINDS

    drill = DRILL_KINDS.get(kind)
    return translation(regulation.meta.language.value).gettext(drill.heading) if drill else kind


def _take(values: pd.Series, index: np.ndarray) -> pd.Categorical:
    """``values[index]`` as a categorical, without materialising the repeated strings."""
    cat = pd.Categorical(values.astype(str).to_numpy(dtype=object))
    return pd.Categorical.from_codes(cat.codes[index], categories=cat.categories)


def _responses(saved: dict, items: dict, course_id: str) -> pd.Series:
    """Saved answers as text, indexed by (assessment, trainee_id, position); a draw's by the drawn question's type."""
    types = {a: {it.id: it.type for it in its} for a, its in items.items()}
    draws = {a: [it for it in its if it.slot == DRAW.name] for a, its in items.items()}
    rows = []
    for (a, t), answers in saved.items():
        kinds = types.get(a, {})
        if draws.get(a):  # this trainee's own questions decide how their answers read
            kinds = {**kinds, **{it.id: it.asked(course_id, a, t).type for it in draws[a]}}
        rows.extend((a, t, item, v.strip() if isinstance(v, str) else response_text(v, kinds.get(item, "")))
                    for item, v in answers.items())
    frame = pd.DataFrame(rows, columns=["assessment", "trainee_id", "item", "response"])
    return frame.drop_duplicates(["assessment", "trainee_id", "item"]).set_index(["assessment", "trainee_id", "item"])["response"]


def response_text(value: Any, qtype: str = "") -> str:
    """A saved answer as text: ids joined by ',' (sorted for multiple choice), numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "" if isinstance(value, float) and not math.isfinite(value) else f"{value:g}"
    if isinstance(value, (list, tuple)):
        parts = [response_text(v) for v in value]
        kind = QUESTION_KINDS.get(qtype)
        return ",".join(sorted(parts) if kind is not None and kind.unordered else parts)
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def course_root(path: str | Path) -> Path:
    """The course folder: ``path`` itself or its ``assignments/`` (the build output)."""
    path = Path(path)
    for name in (GRADEBOOK, "nbgrader_config.py"):  # a course on a gradebook server has no gradebook.db
        if not (path / name).is_file() and (path / "assignments" / name).is_file():
            return path / "assignments"
    return path
