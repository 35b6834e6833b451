"""Report tables: pure, vectorised functions from :class:`ReportData` to DataFrames.

Conventions: ``*_points`` are raw points, ``*_score`` a share of the maximum (0..1, shown as
a percent), ``change`` is follow-up score minus initial score. A trainee's result on an
assessment is ``pass``, ``fail``, ``pending`` (open answers still ungraded and they could
still decide it) or ``missing`` (not submitted); it is empty where the assessment has not
been released. Every table keeps every roster trainee, so nobody silently drops out.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from .catalog import REPORT_TABLES, TABLES  # noqa: F401  (TABLES re-exported: the order of compute_all's tables)
from ..kinds.assessments import COURSE_ASSESSMENTS, FIRST, LAST
from .data import PARTS, ReportData
from .itemstats import Bounds, item_analysis
from .reliability import assessment_statistics
from .retention import (question_refs, ref_answers, regulation_items, retention_detail, retention_matrix,
                        retention_trainees, review_plan)

EPS = 1e-9  # percent comparisons on float sums


def scores(data: ReportData) -> pd.DataFrame:
    """One row per released assessment × roster trainee: points, score, result, late, pending items."""
    r = data.results
    ungraded = r["score"].isna() & r["submitted"]
    # Group on the categoricals themselves: converting 800k keys to str first costs seconds.
    g = pd.DataFrame({
        "assessment": r["assessment"].values, "trainee_id": r["trainee_id"].values,
        "points": r["score"], "max_points": r["points"], "submitted": r["submitted"], "late": r["late"],
        "pending": ungraded, "pending_points": r["points"].where(ungraded, 0.0),
    }).groupby(["assessment", "trainee_id"], observed=True, sort=False).agg(
        points=("points", "sum"), item_points=("max_points", "sum"), submitted=("submitted", "max"),
        late=("late", "max"), pending=("pending", "sum"), pending_points=("pending_points", "sum"),
    ).reset_index()
    g["assessment"] = g["assessment"].astype(str)
    g["trainee_id"] = g["trainee_id"].astype(str)
    a = data.assessments.set_index("assessment")
    g["max_points"] = g["assessment"].map(a["max_points"]).fillna(g["item_points"])
    g["pass_mark"] = g["assessment"].map(a["pass_mark"])
    g.loc[~g["submitted"], ["points", "pending", "pending_points"]] = np.nan
    g["score"] = g["points"] / g["max_points"].where(g["max_points"] > 0)
    best = (g["points"] + g["pending_points"]) / g["max_points"].where(g["max_points"] > 0)
    g["result"] = np.select(
        [~g["submitted"], g["score"] * 100 >= g["pass_mark"] - EPS, best * 100 >= g["pass_mark"] - EPS],
        ["missing", "pass", "pending"], "fail")
    g["late"] = g["late"] & g["submitted"]
    cols = ["assessment", "trainee_id", "submitted", "late", "points", "max_points", "score", "pass_mark", "result", "pending"]
    return _roster_order(g[cols], data, extra=["assessment"])


def trainees(data: ReportData, sc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per trainee: points, score, result and late flag for each assessment, the change, what is missing."""
    sc = scores(data) if sc is None else sc
    out = data.roster[["trainee_id", "name"]].reset_index(drop=True)
    wide = sc.set_index(["trainee_id", "assessment"])[["points", "score", "result", "late", "pending"]].unstack("assessment")
    for a in data.shown:
        for col in ("points", "score", "result", "late"):
            out[f"{a}_{col}"] = out["trainee_id"].map(wide[(col, a)]) if (col, a) in wide else np.nan
    out["change"] = out[f"{LAST}_score"] - out[f"{FIRST}_score"]
    missing = [np.where(out[f"{a}_result"].eq("missing"), a, "") for a in data.shown]
    out["missing"] = [" ".join(x for x in row if x) for row in zip(*missing)]
    pending = sum((out["trainee_id"].map(wide[("pending", a)]).fillna(0) if ("pending", a) in wide else 0)
                  for a in data.shown)
    out["pending_items"] = pd.Series(pending, index=out.index).astype(int) if len(out) else pd.Series(dtype=int)
    for a in data.shown:
        out[f"{a}_result"] = out[f"{a}_result"].astype(object).fillna("").astype(str)
        out[f"{a}_late"] = out[f"{a}_late"].astype("boolean")
    return out


def by_group(data: ReportData, key: str) -> pd.DataFrame:
    """Per trainee × ``key`` ('topic' or 'part'): points, max and score per assessment, and the change."""
    r = data.results
    g = pd.DataFrame({
        "trainee_id": r["trainee_id"].values, key: r[key].values, "assessment": r["assessment"].values,
        "points": r["score"], "max": r["points"].where(r["submitted"]),
    }).groupby(["trainee_id", key, "assessment"], observed=True, sort=False).agg(
        points=("points", "sum"), max=("max", "sum"), submitted=("max", "count"))
    g.index = g.index.set_levels([lvl.astype(str) for lvl in g.index.levels])
    g.loc[g["submitted"] == 0, ["points", "max"]] = np.nan
    g["score"] = g["points"] / g["max"].where(g["max"] > 0)
    wide = g[["points", "max", "score"]].unstack("assessment")
    out = pd.DataFrame(index=wide.index)
    for a in data.shown:
        for col in ("points", "max", "score"):
            out[f"{a}_{col}"] = wide[(col, a)] if (col, a) in wide else np.nan
    out["change"] = out[f"{LAST}_score"] - out[f"{FIRST}_score"]
    out = out.reset_index()
    out.insert(1, "name", out["trainee_id"].map(data.roster.set_index("trainee_id")["name"]))
    order = {v: i for i, v in enumerate(PARTS if key == "part" else ("technical", "processes", "sales"))}
    out["_k"] = out[key].map(order).fillna(len(order))
    return _roster_order(out, data, extra=["_k", key]).drop(columns="_k")


def retraining(data: ReportData, sc: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each trainee whose latest result is a fail: the regulation items behind the answers they got wrong."""
    sc = scores(data) if sc is None else sc
    cols = ["trainee_id", "name", "assessment", "score", "pass_mark", "part", "section_title", "ref", "title",
            "wrong_items", "items", "questions"]
    taken = sc[sc["submitted"]].copy()
    taken["_order"] = taken["assessment"].map({a: i for i, a in enumerate(COURSE_ASSESSMENTS)})
    latest = taken.sort_values("_order").drop_duplicates("trainee_id", keep="last")
    failed = latest[latest["result"] == "fail"][["assessment", "trainee_id", "score", "pass_mark"]]
    r = data.results
    wrong = r[r["submitted"] & r["score"].notna() & ~r["correct"]]
    wrong = pd.DataFrame({"assessment": wrong["assessment"].astype(str), "trainee_id": wrong["trainee_id"].astype(str),
                          "item": wrong["item"].astype(str)}).merge(failed, on=["assessment", "trainee_id"])
    if wrong.empty:
        return pd.DataFrame(columns=cols)
    wrong = wrong.merge(question_refs(data), on=["assessment", "item"])
    keys = ["trainee_id", "assessment", "ref"]
    wrong = wrong.sort_values([*keys, "item"], kind="stable").reset_index(drop=True)
    first = ~wrong.duplicated(keys).to_numpy()
    out = wrong.loc[first, [*keys, "score", "pass_mark"]].reset_index(drop=True)
    starts = np.flatnonzero(first)
    out["wrong_items"] = np.diff(np.append(starts, len(wrong)))
    # Join the item ids per group in one ufunc pass (a per-group str.join takes seconds at 100k groups).
    out["items"] = pd.Series(np.add.reduceat((wrong["item"] + " ").to_numpy(dtype=object), starts)).str.rstrip()
    # The same questions in words, for people: their texts (a question without one keeps its id).
    texts = data.questions.drop_duplicates(["assessment", "item"]).set_index(["assessment", "item"])["text"]
    said = pd.MultiIndex.from_arrays([wrong["assessment"], wrong["item"]]).map(texts.to_dict().get)
    said = pd.Series(said, dtype=object).where(pd.notna(said), wrong["item"]).map(_short)
    out["questions"] = pd.Series(np.add.reduceat((said + QUESTION_SEP).to_numpy(dtype=object), starts)).str[:-len(QUESTION_SEP)]
    ref_info = _ref_info(data)
    out = out.merge(ref_info, on="ref", how="left")
    out["title"] = out["title"].fillna(out["ref"])
    out[["part", "section_title"]] = out[["part", "section_title"]].fillna("")
    out["name"] = out["trainee_id"].map(data.roster.set_index("trainee_id")["name"])
    return _roster_order(out, data, extra=["_part", "_doc", "ref"])[cols]


QUESTION_SEP = " · "


def _short(text: str, limit: int = 90) -> str:
    """A question's first line, cut at a word near ``limit`` characters."""
    line = " ".join(str(text).split("\n", 1)[0].split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


def summary(data: ReportData, sc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per assessment: how many trainees submitted, were late, passed, failed, and the score spread."""
    sc = scores(data) if sc is None else sc
    a = data.assessments.set_index("assessment")
    rows = []
    for name in data.shown:
        s = sc[sc["assessment"] == name]
        res = s["result"].value_counts()
        rows.append({"assessment": name, "title": a["title"].get(name, ""), "released": len(s) > 0,
                     "pass_mark": a["pass_mark"].get(name, np.nan), "max_points": a["max_points"].get(name, np.nan),
                     # a re-test has rows only for the trainees it is for
                     "due": a["due"].get(name, pd.NaT), "trainees": len(s) or len(data.roster),
                     "submitted": int(s["submitted"].sum()),
                     "missing": int(res.get("missing", 0)), "late": int(s["late"].sum()), "passed": int(res.get("pass", 0)),
                     "failed": int(res.get("fail", 0)), "pending": int(res.get("pending", 0)),
                     "mean_score": s["score"].mean(), "median_score": s["score"].median()})
    out = pd.DataFrame(rows)
    out["pass_rate"] = out["passed"] / out["submitted"].where(out["submitted"] > 0)
    return out


class Shared:
    """The data and the results several tables are computed from, each computed once, when first needed."""

    def __init__(self, data: ReportData, bounds: Bounds | None = None, today=None) -> None:
        self.data, self.bounds, self.today = data, bounds, today

    @cached_property
    def scores(self) -> pd.DataFrame:
        return scores(self.data)

    @cached_property
    def answers(self) -> pd.DataFrame:
        return ref_answers(self.data)

    @cached_property
    def detail(self) -> pd.DataFrame:
        return retention_detail(self.data, self.answers)


# The builders the report-table records (reports.catalog) name: Shared -> one table.
def summary_table(s: Shared) -> pd.DataFrame:
    return summary(s.data, s.scores)


def trainees_table(s: Shared) -> pd.DataFrame:
    return trainees(s.data, s.scores)


def topics_table(s: Shared) -> pd.DataFrame:
    return by_group(s.data, "topic")


def parts_table(s: Shared) -> pd.DataFrame:
    return by_group(s.data, "part")


def retention_trainees_table(s: Shared) -> pd.DataFrame:
    return retention_trainees(s.data, s.detail)


def retention_table(s: Shared) -> pd.DataFrame:
    return retention_matrix(s.data, s.detail)


def regulation_items_table(s: Shared) -> pd.DataFrame:
    return regulation_items(s.data, s.detail, s.answers)


def item_analysis_table(s: Shared) -> pd.DataFrame:
    return item_analysis(s.data, s.bounds)


def assessment_statistics_table(s: Shared) -> pd.DataFrame:
    return assessment_statistics(s.data, s.bounds)


def retraining_table(s: Shared) -> pd.DataFrame:
    return retraining(s.data, s.scores)


def review_plan_table(s: Shared) -> pd.DataFrame:
    return review_plan(s.data, s.answers, s.today)


def schedule_table(s: Shared) -> pd.DataFrame:
    """Each trainee's own dates of each released assessment, overdue first, then by due date."""
    from ..grading.plumbing.timetable import STANDINGS

    df = s.data.schedule.copy()
    df.insert(1, "name", df["trainee_id"].map(s.data.roster.set_index("trainee_id")["name"]))
    df["_u"] = df["standing"].map({k: i for i, k in enumerate(STANDINGS)}).fillna(len(STANDINGS))
    df = df.sort_values(["_u", "due", "trainee_id", "assessment"], kind="stable", na_position="last")
    return df.drop(columns="_u").reset_index(drop=True)


def compute_all(data: ReportData, bounds: Bounds | None = None, today=None) -> dict[str, pd.DataFrame]:
    """Every report table, by name, in the order of the report-table registry (:data:`TABLES`);
    ``today`` dates the reviews after an assessment that has no due date."""
    shared = Shared(data, bounds, today)
    return {t.name: t.build_function()(shared) for t in REPORT_TABLES.values()}


def _ref_info(data: ReportData) -> pd.DataFrame:
    """ref -> part, section title, title and sort keys (document order) from the items table."""
    it = data.items.drop_duplicates("ref").reset_index(drop=True)
    info = it[["ref", "part", "section_title", "title"]].copy()
    info["_part"] = info["part"].map({p: i for i, p in enumerate(PARTS)}).fillna(len(PARTS))
    info["_doc"] = np.arange(len(info))
    return info


def _roster_order(frame: pd.DataFrame, data: ReportData, extra: list[str]) -> pd.DataFrame:
    """Rows in roster order, then by ``extra``; unknown trainees last."""
    pos = {t: i for i, t in enumerate(data.roster["trainee_id"])}
    frame = frame.assign(_r=frame["trainee_id"].map(pos).fillna(len(pos)))
    for col in extra:
        if col not in frame:
            frame[col] = np.nan
    keys = ["_r", *extra]
    return frame.sort_values(keys, kind="stable").drop(columns="_r").reset_index(drop=True)
