"""Read an nbgrader course (gradebook + saved answers) and the regulation into :class:`ReportData`.

Scores come from ``<course>/gradebook.db`` through nbgrader's models, with a few bulk
queries rather than object walks (10,000 trainees × 80 grades would take minutes through
the relationships). Grade cells are named after the item they score (``Q012``, or
``Q012-…`` when an item has several cells). Topics, refs and titles come from the
regulation. Saved answers come from ``autograded/<trainee>/<assessment>/answers.json``;
a missing or unreadable file only means no responses for that sitting.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UserError
from .data import ASSESSMENTS, ITEM_COLUMNS, ReportData, assessment_frame, correct_of, normalise

ANSWERS_FILE = "answers.json"
GRADEBOOK = "gradebook.db"
_COURSE_ID = re.compile(r"""^c\.CourseDirectory\.course_id\s*=\s*['"]([^'"]+)['"]""", re.M)


def load_report_data(course_root: Path, regulation) -> ReportData:
    """Everything the reports need from the course at ``course_root`` (the folder holding gradebook.db)."""
    course_root = Path(course_root)
    db = course_root / GRADEBOOK
    if not db.is_file():
        raise UserError(f"no gradebook at {db}: nothing has been autograded in this course yet")
    raw = _read_gradebook(db, _course_id(course_root))
    return build(raw, regulation, course_root)


def _course_id(root: Path) -> str | None:
    """The course id from nbgrader_config.py, if it says one (read, never executed)."""
    try:
        m = _COURSE_ID.search((root / "nbgrader_config.py").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return m.group(1) if m else None


def _read_gradebook(db: Path, course_id: str | None) -> dict[str, pd.DataFrame]:
    """Students, assignments, graded cells, submissions and grades as plain frames."""
    from nbgrader.api import (Assignment, BaseCell, Grade, GradeCell, Gradebook, Notebook, Student,
                              SubmittedAssignment, SubmittedNotebook, TaskCell)
    from sqlalchemy import func, select

    def frame(stmt) -> pd.DataFrame:
        """Small queries, with SQLAlchemy's type conversion (dates, intervals)."""
        return pd.read_sql_query(stmt, gb.db.connection())

    def raw_frame(stmt, strings: tuple[str, ...], chunk: int = 100_000) -> pd.DataFrame:
        """The grades: DB-API tuples in chunks, text as categoricals, so 800k grades stay small in memory
        (SQLAlchemy rows, or one str object per value, would cost seconds and hundreds of MB)."""
        from pandas.api.types import union_categoricals

        sql = stmt.compile(gb.engine, compile_kwargs={"literal_binds": True})
        cursor = gb.db.connection().connection.cursor()
        try:
            cursor.execute(str(sql))
            columns = [d[0] for d in cursor.description]
            parts = []
            while rows := cursor.fetchmany(chunk):
                part = pd.DataFrame.from_records(rows, columns=columns)
                parts.append(part.astype({c: "category" for c in strings}))
        finally:
            cursor.close()
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.DataFrame({c: union_categoricals([p[c] for p in parts]) if c in strings
                             else pd.concat([p[c] for p in parts], ignore_index=True) for c in columns})

    # course_id="" makes Gradebook create no course row: a report must never write the gradebook.
    with Gradebook(f"sqlite:///{db}", course_id="") as gb:
        own = Assignment.name.in_(ASSESSMENTS)
        if course_id and gb.db.scalar(select(func.count()).where(Assignment.course_id == course_id)):
            own = own & (Assignment.course_id == course_id)
        a_name = Assignment.name.label("assessment")
        students = frame(select(Student.id.label("trainee_id"), Student.first_name.label("first"),
                                Student.last_name.label("last"), Student.email)
                         .order_by(Student.last_name, Student.first_name, Student.id))
        assignments = frame(select(a_name, Assignment.duedate.label("due")).where(own))
        cells = pd.concat([frame(select(a_name, cls.name.label("cell"), cls.max_score)
                                 .join(Notebook, cls.notebook_id == Notebook.id)
                                 .join(Assignment, Notebook.assignment_id == Assignment.id).where(own))
                           for cls in (GradeCell, TaskCell)], ignore_index=True)
        subs = frame(select(a_name, SubmittedAssignment.student_id.label("trainee_id"), SubmittedAssignment.timestamp,
                            SubmittedAssignment.extension, Assignment.duedate.label("due"))
                     .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id).where(own))
        grades = raw_frame(select(a_name, SubmittedAssignment.student_id.label("trainee_id"), BaseCell.name.label("cell"),
                              Grade.auto_score.label("auto"), Grade.manual_score.label("manual"),
                              Grade.extra_credit.label("extra"))
                       .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                       .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                       .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                       .join(BaseCell, Grade.cell_id == BaseCell.id).where(own), ("assessment", "trainee_id", "cell"))
    for col in ("auto", "manual", "extra"):  # an all-NULL column comes back as object
        grades[col] = pd.to_numeric(grades[col], errors="coerce").astype(float)
    return {"students": students, "assignments": assignments, "cells": cells, "subs": subs, "grades": grades}


def item_of(cell: str, qids: set[str]) -> str:
    """The question a grade cell scores: its own name, or the longest question id it starts with."""
    if cell in qids:
        return cell
    best = max((q for q in qids if cell.startswith(q) and not cell[len(q)].isalnum()), key=len, default=None)
    return best or cell


def build(raw: dict[str, pd.DataFrame], regulation, course_root: Path | None = None) -> ReportData:
    """ReportData from the gradebook frames and the regulation (separate from reading, for tests)."""
    from ..regulation.items import index
    from ..regulation.selection import select

    refs_index = index(regulation)
    selected = select(regulation).questions
    items = _items(raw["cells"], regulation, selected, refs_index)
    st = raw["students"]
    full = (st["first"].fillna("") + " " + st["last"].fillna("")).str.strip()
    roster = pd.DataFrame({"trainee_id": st["trainee_id"], "name": full.where(full != "", st["trainee_id"]),
                           "email": st["email"].fillna("")})
    subs = raw["subs"].copy()
    due = pd.to_datetime(subs["due"]) + pd.to_timedelta(subs["extension"]).fillna(pd.Timedelta(0))
    subs["late"] = (pd.to_datetime(subs["timestamp"]) > due).fillna(False).astype(bool)

    results = _grid(items, roster)
    key = pd.MultiIndex.from_arrays([results["assessment"], results["trainee_id"], results["item"]])
    per_item = _item_scores(raw["grades"], {q.id for q in regulation.questions})
    results["score"] = per_item.reindex(key).to_numpy() if len(per_item) else np.nan
    sub_key = pd.MultiIndex.from_arrays([results["assessment"], results["trainee_id"]])
    sub_index = subs.set_index(["assessment", "trainee_id"])
    results["submitted"] = sub_key.isin(sub_index.index)
    results["late"] = sub_index["late"].reindex(sub_key).fillna(False).to_numpy(dtype=bool)
    results.loc[~results["submitted"], "score"] = np.nan
    results["correct"] = correct_of(results["score"], results["points"])
    responses = _responses(course_root, subs, dict(zip(items["item"], items["qtype"])))
    results["response"] = pd.Categorical(responses.reindex(key).fillna("").to_numpy(dtype=object) if len(responses)
                                         else np.full(len(results), "", dtype=object))

    dues = raw["assignments"].set_index("assessment")["due"]
    rows = []
    for a in ASSESSMENTS:
        spec = getattr(regulation.assessments, a)
        mine = items[items["assessment"] == a]
        planned = sum(q.points for q in selected.get(a, ())) if mine.empty else mine["points"].sum()
        rows.append({"assessment": a, "title": spec.title, "pass_mark": spec.pass_mark or regulation.meta.pass_mark,
                     "max_points": float(planned), "due": dues.get(a)})
    ref_items = pd.DataFrame([(i.id, i.part, i.section, i.title, refs_index[i.section].title
                               if i.section in refs_index else i.section) for i in refs_index.values()],
                             columns=list(ITEM_COLUMNS))
    texts = items[["assessment", "item", "text", "options", "guess"]].reset_index(drop=True)
    return normalise(ReportData(results, assessment_frame(rows), roster, ref_items, texts))


def _items(cells: pd.DataFrame, regulation, selected, refs_index) -> pd.DataFrame:
    """One row per (assessment, item) the gradebook scores, in the order asked, with the regulation's metadata."""
    questions = {q.id: q for q in regulation.questions}
    order = {(a, q.id): i for a, qs in selected.items() for i, q in enumerate(qs)}
    cells = cells.assign(item=[item_of(c, set(questions)) for c in cells["cell"]])
    items = cells.groupby(["assessment", "item"], sort=False)["max_score"].sum().rename("points").reset_index()
    items["_a"] = items["assessment"].map({a: i for i, a in enumerate(ASSESSMENTS)})
    items["_o"] = [order.get((a, i), len(order)) for a, i in zip(items["assessment"], items["item"])]
    items = items.sort_values(["_a", "_o", "item"]).drop(columns=["_a", "_o"]).reset_index(drop=True)
    meta = [_meta(questions.get(i), refs_index) for i in items["item"]]
    return items.assign(**{k: [m[k] for m in meta] for k in ("topic", "part", "refs", "qtype", "text", "options", "guess")})


def _grid(items: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Every roster trainee × every item of each released assessment, trainee-major, as categoricals
    built from index arrays (800k repeated strings would cost seconds to factorise)."""
    n_t = len(roster)
    item_idx, trainee_idx = [np.zeros(0, dtype=int)], [np.zeros(0, dtype=int)]
    for a in ASSESSMENTS:
        pos = np.flatnonzero(items["assessment"].to_numpy() == a)
        item_idx.append(np.tile(pos, n_t))
        trainee_idx.append(np.repeat(np.arange(n_t), len(pos)))
    item_idx, trainee_idx = np.concatenate(item_idx), np.concatenate(trainee_idx)
    return pd.DataFrame({
        **{c: _take(items[c], item_idx) for c in ("assessment", "item", "topic", "part", "refs", "qtype")},
        "trainee_id": _take(roster["trainee_id"], trainee_idx), "trainee_name": _take(roster["name"], trainee_idx),
        "points": items["points"].to_numpy(dtype=float)[item_idx],
    })


def _item_scores(grades: pd.DataFrame, qids: set[str]) -> pd.Series:
    """Score per (assessment, trainee_id, item): the sum of its cells, NaN if any cell is ungraded."""
    cell = grades["cell"].astype("category")  # map each distinct cell name once, not each of 800k grades
    item_names = [item_of(str(c), qids) for c in cell.cat.categories]
    found = list(dict.fromkeys(item_names))
    codes = np.array([found.index(n) for n in item_names] + [-1], dtype=int)
    g = grades[["assessment", "trainee_id"]].assign(item=pd.Categorical.from_codes(codes[cell.cat.codes.to_numpy()], found))
    # nbgrader's own Grade.score is 0 for an ungraded cell; a report must tell "0" from "not graded".
    g["score"] = grades["manual"].where(grades["manual"].notna(), grades["auto"]) + grades["extra"].fillna(0)
    g["gaps"] = g["score"].isna()
    per = g.groupby(["assessment", "trainee_id", "item"], observed=True).agg(score=("score", "sum"), gaps=("gaps", "sum"))
    return per["score"].where(per["gaps"] == 0)


def _meta(q, refs_index) -> dict:
    """Topic, part (of the first ref the regulation knows), refs, type, text, option ids and random guess score."""
    from ..regulation.guessing import random_guess

    if q is None:
        return {"topic": "", "part": "", "refs": "", "qtype": "", "text": "", "options": "", "guess": np.nan}
    part = next((refs_index[r].part for r in q.refs if r in refs_index), "")
    return {"topic": q.topic.value, "part": part, "refs": " ".join(q.refs), "qtype": q.type.value, "text": q.text,
            "options": " ".join(o.id for o in q.options), "guess": random_guess(q)}


def _take(values: pd.Series, index: np.ndarray) -> pd.Categorical:
    """``values[index]`` as a categorical, without materialising the repeated strings."""
    cat = pd.Categorical(values.astype(str).to_numpy(dtype=object))
    return pd.Categorical.from_codes(cat.codes[index], categories=cat.categories)


def _responses(root: Path | None, subs: pd.DataFrame, qtype: dict[str, str]) -> pd.Series:
    """Saved answers as text, indexed by (assessment, trainee_id, item); one file per sitting."""
    rows = []
    if root is not None:
        for a, t in zip(subs["assessment"], subs["trainee_id"]):
            for item, v in read_answers(root, t, a).items():
                rows.append((a, t, item, v.strip() if isinstance(v, str) else response_text(v, qtype.get(item, ""))))
    frame = pd.DataFrame(rows, columns=["assessment", "trainee_id", "item", "response"])
    return frame.drop_duplicates(["assessment", "trainee_id", "item"]).set_index(["assessment", "trainee_id", "item"])["response"]


def read_answers(root: Path, trainee: str, assessment: str) -> dict[str, Any]:
    """``{item: value}`` from the sitting's answers.json (autograded copy first); {} if unreadable."""
    for folder in ("autograded", "submitted"):
        try:  # os.path, not pathlib: this runs once per sitting, 20,000 times for a large course
            with open(os.path.join(root, folder, trainee, assessment, ANSWERS_FILE), encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        answers = data.get("answers", data) if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            return {}
        out = {}
        for item, entry in answers.items():
            # Tolerate {"value": v}, {"response": v} and a bare v until the schema settles.
            out[str(item)] = entry.get("value", entry.get("response")) if isinstance(entry, dict) else entry
        return out
    return {}


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
        return ",".join(sorted(parts) if qtype == "multiple" else parts)
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def course_root(path: str | Path) -> Path:
    """The folder holding gradebook.db: ``path`` itself or its ``assignments/`` (the build output)."""
    path = Path(path)
    if not (path / GRADEBOOK).is_file() and (path / "assignments" / GRADEBOOK).is_file():
        return path / "assignments"
    return path
