"""The seam between grading and reports: :class:`ReportData`, four (five) plain DataFrames.

Whatever produces the data (the nbgrader gradebook adapter, the synthetic generator, a test)
hands over one long ``results`` table and a few small lookup tables; every report table is
computed from these alone. :func:`normalise` fixes the dtypes, :func:`validate` lists every
problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import UserError
from ..kinds.assessments import ASSESSMENTS, COURSE_ASSESSMENTS, described
from ..kinds.questions import QUESTION_TYPES
from ..kinds.slots import CASE

CASE_TYPE = CASE.item_type  # the qtype of a case slot's item (kinds/slots.py)

PARTS = ("summary", "order_processing", "client_work")

# Column -> meaning; the order is the canonical column order.
RESULTS = {
    "assessment": described(names=COURSE_ASSESSMENTS),
    "trainee_id": "nbgrader student id",
    "trainee_name": "display name ('' if unknown)",
    "item": "question id (at a draw slot the question this trainee drew); a case slot's own id",
    "topic": "test area: technical, processes or sales",
    "part": "regulation part of the question's first ref: summary, order_processing, client_work ('' if unknown)",
    "refs": "regulation item ids the question tests, joined by ' '",
    "qtype": f"{', '.join(QUESTION_TYPES)} or {CASE_TYPE} (a rule-generated case of a slot)",
    "points": "maximum points of the question (float)",
    "score": "points scored; NaN if not submitted or not graded yet (open answers await the specialist)",
    "correct": "score >= points (False where score is NaN)",
    "response": "the saved answer as text: option id, ids joined by ',', number, text ('' if none)",
    "submitted": "the trainee submitted this assessment (rows exist for every roster trainee)",
    "late": "submitted after the due date (extensions included)",
    "slot": "the slot's id where the assessment asks each trainee their own case or drawn question ('' elsewhere)",
}
OPTIONAL_RESULTS = {"slot": ""}  # results columns a producer may leave out, with their value then
ASSESSMENT_COLUMNS = {
    "assessment": described(names=COURSE_ASSESSMENTS),
    "title": "the assessment's title",
    "pass_mark": "percent of max_points needed to pass (1..100)",
    "max_points": "total points of the assessment",
    "due": "due date (UTC, NaT if none)",
}
ROSTER_COLUMNS = {"trainee_id": "nbgrader student id", "name": "display name", "email": "e-mail ('' if unknown)"}
ITEM_COLUMNS = {
    "ref": "regulation item id (what a question's refs name)",
    "part": "summary, order_processing or client_work",
    "section": "id of the section the item belongs to (a topic, process or client-work section)",
    "title": "the item's title",
    "section_title": "the section's title",
}
QUESTION_COLUMNS = {"assessment": described(names=COURSE_ASSESSMENTS), "item": "question id", "text": "question text"}
# Each trainee's own dates (crmtrain.rules.schedule), one row per trainee × released assessment; optional.
SCHEDULE_COLUMNS = {
    "trainee_id": "nbgrader student id", "assessment": described(names=COURSE_ASSESSMENTS),
    "opens": "when it opened for this trainee (UTC; NaT: not yet known)",
    "due": "the trainee's own due date (UTC; NaT: not yet known)",
    "standing": "overdue, due_soon, open, waiting, submitted or graded (crmtrain.rules.schedule.STATES)",
    "moved": "the specialist moved this date (crmtrain extend)",
    "submitted_at": "when they submitted (UTC; NaT: not yet)",
}
# Optional columns of ``questions``: item analysis uses them when present.
QUESTION_EXTRA = {"slot": "the slot asking it ('' for a question everyone gets)",
                  "options": "option ids of a choice question, joined by ' '",
                  "guess": "random guess score: expected share of the points from a uniform guess (0..1)"}

_CATEGORICAL = ("assessment", "trainee_id", "trainee_name", "item", "topic", "part", "refs", "qtype", "response", "slot")


@dataclass
class ReportData:
    """Everything a report needs.

    ``results``: one row per (assessment, trainee, item) for every roster trainee and every
    item of every released assessment; columns in :data:`RESULTS`.
    ``assessments``: one row per assessment (:data:`ASSESSMENT_COLUMNS`); an assessment with
    no results rows has not been released.
    ``roster``: one row per trainee (:data:`ROSTER_COLUMNS`).
    ``items``: the regulation's referenceable items (:data:`ITEM_COLUMNS`), for titles.
    ``questions``: optional question texts (:data:`QUESTION_COLUMNS`, and :data:`QUESTION_EXTRA` when
    known), shown in item analysis.
    ``schedule``: optional, each trainee's own dates (:data:`SCHEDULE_COLUMNS`).
    """

    results: pd.DataFrame
    assessments: pd.DataFrame
    roster: pd.DataFrame
    items: pd.DataFrame
    questions: pd.DataFrame = field(default_factory=lambda: empty(QUESTION_COLUMNS))
    schedule: pd.DataFrame = field(default_factory=lambda: empty(SCHEDULE_COLUMNS))

    @property
    def shown(self) -> tuple[str, ...]:
        """The assessments the reports show: the regulation's always, another kind (a re-test) once it has a row."""
        listed = set(self.assessments["assessment"].astype(str))
        return tuple(a for a in COURSE_ASSESSMENTS if a in ASSESSMENTS or a in listed)


def empty(columns: dict[str, str]) -> pd.DataFrame:
    """An empty frame with these columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def normalise(data: ReportData) -> ReportData:
    """A copy with canonical dtypes (categoricals for the repeated strings of ``results``)."""
    r = data.results.assign(**{c: v for c, v in OPTIONAL_RESULTS.items() if c not in data.results})
    r = r[[c for c in RESULTS if c in r] + [c for c in r if c not in RESULTS]].copy()
    for col in RESULTS:
        if col not in r:
            continue
        if col in _CATEGORICAL:
            if not isinstance(r[col].dtype, pd.CategoricalDtype):
                r[col] = r[col].fillna("").astype(str).astype("category")
        elif col in ("points", "score"):
            r[col] = pd.to_numeric(r[col], errors="coerce").astype("float64")
        else:
            r[col] = r[col].fillna(False).astype(bool)
    a = data.assessments.copy()
    if len(a):
        a["pass_mark"] = pd.to_numeric(a["pass_mark"], errors="coerce").astype("float64")
        a["max_points"] = pd.to_numeric(a["max_points"], errors="coerce").astype("float64")
        a["due"] = pd.to_datetime(a["due"], errors="coerce")
    roster = data.roster.copy()
    for col in ROSTER_COLUMNS:
        if col in roster:
            roster[col] = roster[col].fillna("").astype(str)
    sched = data.schedule.copy()
    for col in ("opens", "due", "submitted_at"):
        sched[col] = pd.to_datetime(sched[col], errors="coerce")
    return ReportData(r, a, roster, data.items.copy(), data.questions.copy(), sched)


def validate(data: ReportData) -> ReportData:
    """``data`` normalised; UserError listing every problem if it does not fit the schema."""
    problems: list[str] = []
    required = {c: v for c, v in RESULTS.items() if c not in OPTIONAL_RESULTS}
    for name, frame, columns in (("results", data.results, required), ("assessments", data.assessments, ASSESSMENT_COLUMNS),
                                 ("roster", data.roster, ROSTER_COLUMNS), ("items", data.items, ITEM_COLUMNS)):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            problems.append(f"{name}: missing columns {', '.join(missing)}")
    if problems:
        raise UserError("report data does not fit the schema", problems)
    data = normalise(data)
    r = data.results
    present = {str(v) for v in r["assessment"].unique()}
    bad = sorted(present - set(COURSE_ASSESSMENTS))
    if bad:
        problems.append(f"results: unknown assessments {', '.join(bad)} (expected {', '.join(COURSE_ASSESSMENTS)})")
    dupes = r.duplicated(["assessment", "trainee_id", "item"])
    if dupes.any():
        first = r.loc[dupes].iloc[0]
        problems.append(f"results: {int(dupes.sum())} repeated (assessment, trainee, item) rows, "
                        f"e.g. {first['assessment']}/{first['trainee_id']}/{first['item']}")
    if (r["score"] < 0).any():
        problems.append(f"results: {int((r['score'] < 0).sum())} negative scores")
    if (r["points"] <= 0).any() or r["points"].isna().any():
        problems.append("results: every item needs positive points")
    scored_unsubmitted = r["score"].notna() & ~r["submitted"]
    if scored_unsubmitted.any():
        problems.append(f"results: {int(scored_unsubmitted.sum())} scores for assessments that were not submitted")
    unknown = {str(v) for v in r["trainee_id"].unique()} - set(data.roster["trainee_id"])
    if unknown:
        problems.append(f"results: trainees missing from the roster: {', '.join(sorted(unknown)[:5])}"
                        + (" …" if len(unknown) > 5 else ""))
    if data.roster["trainee_id"].duplicated().any():
        problems.append("roster: repeated trainee ids")
    unlisted = sorted(present & set(COURSE_ASSESSMENTS) - set(data.assessments["assessment"]))
    if unlisted:
        problems.append(f"assessments: no row (pass mark, points) for {', '.join(unlisted)}")
    extra = set(data.assessments["assessment"]) - set(COURSE_ASSESSMENTS)
    if extra:
        problems.append(f"assessments: unknown assessments {', '.join(sorted(map(str, extra)))}")
    marks = data.assessments["pass_mark"]
    if len(marks) and ((marks < 1) | (marks > 100) | marks.isna()).any():
        problems.append("assessments: pass_mark must be a percent between 1 and 100")
    if problems:
        raise UserError("report data does not fit the schema", problems)
    return data


def assessment_frame(rows: list[dict]) -> pd.DataFrame:
    """An ``assessments`` table from dicts, in the canonical column order."""
    frame = pd.DataFrame(rows, columns=list(ASSESSMENT_COLUMNS))
    frame["due"] = pd.to_datetime(frame["due"], errors="coerce")
    return frame


def correct_of(score: pd.Series, points: pd.Series) -> np.ndarray:
    """Full marks (a tiny tolerance absorbs float sums of several grade cells)."""
    return (score >= points - 1e-9).to_numpy(dtype=bool, na_value=False)
