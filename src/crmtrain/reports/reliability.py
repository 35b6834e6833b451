"""Per assessment on Moodle's definitions: the totals' median, SD, skewness and kurtosis, and
reliability (Cronbach's alpha, error ratio, standard error).

The k items are the test's *positions* (:func:`positions`): at a draw slot x_i is the score of
whichever question the trainee drew, so every sitting has the same k. The per-question figures
are :mod:`.itemstats`, whose :class:`~.itemstats.Bounds` say when there is enough to advise on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import _, language, plural
from ..i18n.numbers import number
from .data import ReportData
from .itemstats import Bounds, needs, percent


def assessment_statistics(data: ReportData, bounds: Bounds | None = None) -> pd.DataFrame:
    """Per assessment: Cronbach's alpha, error ratio and standard error over the complete sittings.

    A sitting counts when every question of the assessment is graded (an open answer still
    awaiting the specialist leaves it out). The k items are the test's positions: at a draw
    slot x_i is the score of whichever question the trainee drew. ``alpha`` = k/(k−1) × (1 − Σ Var(x_i) / Var(T))
    (Moodle's coefficient of internal consistency, as a share), ``error_ratio`` = √(1 − alpha),
    ``standard_error`` = error_ratio × SD(T) in points; variances with n − 1.
    """
    bounds = bounds or Bounds()
    cols = ["assessment", "sittings", "items", "max_points", "mean_points", "median_points", "sd_points", "skewness",
            "kurtosis", "alpha", "error_ratio", "standard_error", "advice", "note"]
    r = data.results
    rows = []
    for name in [str(v) for v in data.assessments["assessment"]]:
        mine = r[(r["assessment"] == name) & r["submitted"]]
        ours = r[r["assessment"] == name]
        ours = ours.assign(_p=positions(ours))
        items = ours["_p"].nunique()
        if mine.empty or items == 0:
            rows.append({"assessment": name, "sittings": 0, "items": int(items), "advice": "", "note": _("no sittings yet")})
            continue
        grid = pd.DataFrame({"t": mine["trainee_id"].to_numpy(), "i": positions(mine),
                             "x": mine["score"].to_numpy(dtype=float)}).pivot(index="t", columns="i", values="x")
        grid = grid.dropna()
        n, k = grid.shape
        total = grid.sum(axis=1)
        var_t = total.var(ddof=1) if n > 1 else np.nan
        alpha = k / (k - 1) * (1 - grid.var(ddof=1).sum() / var_t) if k > 1 and var_t and var_t > 0 else np.nan
        er = np.sqrt(1 - alpha) if alpha == alpha and alpha <= 1 else np.nan
        sd = np.sqrt(var_t) if var_t == var_t else np.nan
        row = {"assessment": name, "sittings": n, "items": k,
               "max_points": float(ours.drop_duplicates("_p")["points"].sum()),
               "mean_points": total.mean(), "median_points": total.median(), "sd_points": sd, **shape(total),
               "alpha": alpha, "error_ratio": er,
               "standard_error": er * sd if er == er else np.nan}
        row["advice"], row["note"] = _reliability_advice(row, bounds)
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def shape(total: pd.Series) -> dict[str, float]:
    """Skewness and kurtosis of the totals as Moodle's quiz statistics compute them.

    From the k-statistics (``mod/quiz/report/statistics/classes/calculator.php``): with m_j the
    j-th central moment over n, k2 = n m2/(n−1), k3 = n² m3/((n−1)(n−2)),
    k4 = n² ((n+1) m4 − 3 (n−1) m2²)/((n−1)(n−2)(n−3)); skewness k3/k2^1.5 (n > 2),
    kurtosis k4/k2² (n > 3, the excess: 0 for a normal spread).
    """
    n = len(total)
    d = total.to_numpy(dtype=float) - total.mean() if n else np.zeros(0)
    m2, m3, m4 = ((d ** p).sum() / n for p in (2, 3, 4)) if n else (np.nan,) * 3
    k2 = n * m2 / (n - 1) if n > 1 else np.nan
    out = {"skewness": np.nan, "kurtosis": np.nan}
    if n > 2 and k2 > 0:
        out["skewness"] = n * n * m3 / ((n - 1) * (n - 2)) / k2 ** 1.5
    if n > 3 and k2 > 0:
        out["kurtosis"] = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3)) / k2 ** 2
    return out


def positions(r: pd.DataFrame) -> np.ndarray:
    """Each row's place in the test: its slot's id, or the question's own id."""
    in_slot = (r["slot"] != "").to_numpy()
    if not in_slot.any():  # no slots: skip converting 400k categorical values to strings
        return r["item"].to_numpy()
    return np.where(in_slot, r["slot"].astype(str).to_numpy(), r["item"].astype(str).to_numpy())


def _reliability_advice(row: dict, bounds: Bounds) -> tuple[str, str]:
    """Moodle's reading of alpha and the error ratio, once there are enough sittings."""
    n, alpha, er = row["sittings"], row["alpha"], row["error_ratio"]
    need = max(bounds.min_responses, 2)
    if n < need:
        return "", needs(plural("{n} complete sitting", "{n} complete sittings", n), n, need)
    if alpha != alpha:
        return "", _("no spread in the totals: consistency cannot be measured")
    words = []
    if alpha > 0.9:
        words.append(_("alpha {share} is rarely real: questions may repeat each other").format(share=percent(alpha)))
    elif alpha > 0.75:
        words.append(_("satisfactory consistency (alpha {share})").format(share=percent(alpha)))
    elif alpha < 0.64:
        words.append(_("unsatisfactory consistency (alpha {share}): the total says little about the trainee").format(
            share=percent(alpha)))
    else:
        words.append(_("acceptable consistency (alpha {share})").format(share=percent(alpha)))
    if er == er and er > 0.5:
        words.append(_("error ratio {share}: more noise than signal").format(share=percent(er)))
    words.append(_("a score is ± {points} points of noise").format(points=number(row["standard_error"], language(), 1)))
    return "; ".join(words), ""
