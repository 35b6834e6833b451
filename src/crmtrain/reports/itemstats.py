"""Classical item analysis per question: facility, discrimination, the most chosen wrong answer.

Only graded answers of submitted assessments count (``n``). Definitions:

* ``facility``: share of answers with full marks; ``mean_score``: mean share of the points.
* ``discrimination`` (Kelley's D): facility in the upper 27 % of trainees by total points on
  that assessment minus facility in the lower 27 % (group size ``round(0.27 N)``, at least 1;
  ties on the boundary are broken by trainee id so the result is reproducible).
* ``point_biserial``: correlation between answering the item right (0/1) and the *rest*
  score (total points minus this item's), so an item does not correlate with itself.
* ``wrong_answer``/``wrong_share``: the most common wrong response (closed types only) and
  the share of all answers that chose it — a popular wrong option points at a misunderstood
  rule, or at a wrong key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import ReportData

GROUP_SHARE = 0.27
COLUMNS = ["assessment", "item", "text", "topic", "part", "refs", "qtype", "points", "n", "facility", "mean_score",
           "discrimination", "point_biserial", "wrong_answer", "wrong_share", "flag"]


@dataclass(frozen=True)
class Bounds:
    """Where an item stops looking sensible."""

    facility_low: float = 0.2
    facility_high: float = 0.95
    discrimination_low: float = 0.1


def item_analysis(data: ReportData, bounds: Bounds | None = None) -> pd.DataFrame:
    """One row per (assessment, question) with the statistics above and a plain-words flag."""
    bounds = bounds or Bounds()
    r = data.results
    meta = r[["assessment", "item", "topic", "part", "refs", "qtype", "points"]].drop_duplicates(["assessment", "item"])
    meta = meta.astype({c: str for c in ("assessment", "item", "topic", "part", "refs", "qtype")}).reset_index(drop=True)
    g = r[r["submitted"] & r["score"].notna()]
    # Categorical keys throughout: factorising 800k strings per groupby would dominate.
    a = pd.DataFrame({
        "assessment": g["assessment"].values, "trainee_id": g["trainee_id"].values, "item": g["item"].values,
        "x": g["correct"].to_numpy(dtype=float), "share": (g["score"] / g["points"]).to_numpy(),
        "score": g["score"].to_numpy(),
    })
    total = a.groupby(["assessment", "trainee_id"], observed=True)["score"].sum().rename("total").reset_index()
    total["_id"] = total["trainee_id"].astype(str)
    total = total.sort_values(["assessment", "total", "_id"], ascending=[True, False, True], kind="stable")
    size = total.groupby("assessment", observed=True)["total"].transform("size")
    k = np.maximum(np.rint(GROUP_SHARE * size), 1)
    rank = total.groupby("assessment", observed=True).cumcount()
    total["group"] = np.select([size < 2, rank < k, rank >= size - k], [0, 1, -1], 0)
    a = a.merge(total[["assessment", "trainee_id", "total", "group"]], on=["assessment", "trainee_id"])
    a["y"] = a["total"] - a["score"]
    a["xy"], a["yy"] = a["x"] * a["y"], a["y"] ** 2
    a["up"], a["lo"] = a["group"].eq(1), a["group"].eq(-1)
    a["x_up"], a["x_lo"] = a["x"].where(a["up"]), a["x"].where(a["lo"])
    s = a.groupby(["assessment", "item"], observed=True).agg(
        n=("x", "size"), facility=("x", "mean"), mean_score=("share", "mean"), sx=("x", "sum"), sy=("y", "sum"),
        sxy=("xy", "sum"), syy=("yy", "sum"), up=("x_up", "mean"), lo=("x_lo", "mean")).reset_index()
    s = s.astype({"assessment": str, "item": str})
    s["discrimination"] = s["up"] - s["lo"]
    n = s["n"]
    num = n * s["sxy"] - s["sx"] * s["sy"]
    den = (n * s["sx"] - s["sx"] ** 2) * (n * s["syy"] - s["sy"] ** 2)  # x is 0/1, so sum(x²) = sum(x)
    s["point_biserial"] = num / np.sqrt(den.where(den > 1e-12))
    out = meta.merge(s[["assessment", "item", "n", "facility", "mean_score", "discrimination", "point_biserial"]],
                     on=["assessment", "item"], how="left")
    out["n"] = out["n"].fillna(0).astype(int)
    out = out.merge(_wrong_answers(g), on=["assessment", "item"], how="left")
    out["wrong_answer"] = out["wrong_answer"].fillna("")
    out["wrong_share"] = out["wrong_count"] / out["n"].where(out["n"] > 0)
    out["flag"] = flags(out, bounds)
    q = data.questions
    text = q.drop_duplicates(["assessment", "item"]).set_index(["assessment", "item"])["text"] if len(q) else None
    out["text"] = ([text.get((x, y), "") for x, y in zip(out["assessment"], out["item"])] if text is not None
                   else "")
    return out[COLUMNS]


def _wrong_answers(g: pd.DataFrame) -> pd.DataFrame:
    """The most common wrong response per closed question (ties: the alphabetically first)."""
    w = g[~g["correct"] & (g["qtype"] != "open") & (g["response"] != "")]
    if w.empty:
        return pd.DataFrame(columns=["assessment", "item", "wrong_answer", "wrong_count"])
    c = (pd.DataFrame({"assessment": w["assessment"].values, "item": w["item"].values, "wrong_answer": w["response"].values})
         .groupby(["assessment", "item", "wrong_answer"], observed=True).size().rename("wrong_count").reset_index())
    c = c[c["wrong_count"] > 0].astype({"assessment": str, "item": str, "wrong_answer": str})
    c = c.sort_values(["assessment", "item", "wrong_count", "wrong_answer"], ascending=[True, True, False, True])
    return c.drop_duplicates(["assessment", "item"])


def flags(stats: pd.DataFrame, bounds: Bounds) -> pd.Series:
    """Plain-words warnings per item ('' when it looks fine)."""
    f, d, rpb = stats["facility"], stats["discrimination"], stats["point_biserial"]
    negative = (d < 0) | (rpb < 0)
    checks = [
        (stats["n"] == 0, "no answers yet"),
        (f < bounds.facility_low, f"too hard: facility below {bounds.facility_low:g}"),
        (f > bounds.facility_high, f"too easy: facility above {bounds.facility_high:g}"),
        (negative, "negative discrimination: strong trainees get it wrong (check the key)"),
        (~negative & (d < bounds.discrimination_low), f"weak discrimination: below {bounds.discrimination_low:g}"),
    ]
    text = pd.Series("", index=stats.index, dtype=object)
    for cond, words in checks:
        text = text + np.where(cond.fillna(False).to_numpy(dtype=bool), words + "; ", "")
    return text.str.removesuffix("; ")
