"""The units item analysis reports on, the way Moodle's quiz statistics lay them out.

Moodle analyses every *position* of the test (a slot) and, under a random slot, each question
it drew ("sub-questions"). crmtrain does the same: a question everyone gets and a case slot
are positions of their own; a draw slot is a position (its row: ``item`` = the slot's id,
``qtype`` = :data:`DRAW_TYPE`) with each drawn question as a row beneath it. Two of Moodle's
conventions follow from that (``question/classes/statistics/questions/calculator.php``):

* a drawn question is correlated with the trainee's whole total T, not the rest of the test
  (its "other mark" is the total), so its discrimination index and efficiency use T;
* the effective weight is a position's: 100 × √Cov(x, T) / Σ √Cov(x_j, T) over the positions
  whose covariance with the total is not negative; a negative one gets none (NaN), and so does
  a drawn question.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kinds.slots import DRAW

DRAW_TYPE = DRAW.row_type  # the qtype of a draw slot's own row


def is_drawn(slot: pd.Series, item: pd.Series) -> np.ndarray:
    """Rows of a question drawn at a draw slot (a case slot's item carries the slot's own id)."""
    s, i = slot.astype(str).to_numpy(), item.astype(str).to_numpy()
    return (s != "") & (s != i)


def units(a: pd.DataFrame) -> pd.DataFrame:
    """Answers as analysis units: every answer under its question, and a drawn one also under its slot.

    ``a`` has assessment, item, slot, x, m, total; ``y`` (the "other mark") is added: T − x for a
    position, T for a drawn question, as in Moodle.
    """
    drawn = is_drawn(a["slot"], a["item"])
    own = a.assign(y=np.where(drawn, a["total"], a["total"] - a["x"]), position=~drawn)
    if not drawn.any():
        return own
    slot_rows = a[drawn].assign(item=a.loc[drawn, "slot"].astype(str), position=True)
    slot_rows["y"] = slot_rows["total"] - slot_rows["x"]
    both = pd.concat([own.astype({"item": str}), slot_rows.astype({"item": str})], ignore_index=True)
    return both


def effective_weights(stats: pd.DataFrame) -> pd.Series:
    """Moodle's effective weight (as a share) per row of ``stats`` (assessment, position, cov_t).

    ``cov_t`` is Cov(x, T) with n − 1; positions with a negative one, drawn questions and
    assessments where no covariance is positive get NaN.
    """
    cov = stats["cov_t"].where(stats["position"])
    root = np.sqrt(cov.where(cov >= 0))
    total = root.groupby(stats["assessment"]).transform("sum")
    return (root / total.where(total > 0)).astype(float)


def slot_meta(meta: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """One row per draw slot for the question table: its points, topic and part from its questions,
    the refs of them all, and the mean of their random guess scores (Moodle's for a random slot)."""
    drawn = meta[is_drawn(meta["slot"], meta["item"])]
    if drawn.empty:
        return meta.iloc[0:0]
    rows = []
    for (assessment, slot), group in drawn.groupby(["assessment", "slot"], sort=False):
        refs = " ".join(dict.fromkeys(" ".join(group["refs"]).split()))
        rows.append({"assessment": assessment, "item": slot, "slot": slot, "topic": group["topic"].iloc[0],
                     "part": group["part"].iloc[0], "refs": refs, "qtype": DRAW_TYPE,
                     "points": float(group["points"].iloc[0])})
    return pd.DataFrame(rows, columns=meta.columns)


def slot_guess(out: pd.DataFrame) -> pd.Series:
    """The random guess score of each draw slot's row: the mean of its questions' (NaN elsewhere)."""
    drawn = is_drawn(out["slot"], out["item"])
    mean = out[drawn].groupby(["assessment", "slot"])["random_guess"].mean()
    keys = list(zip(out["assessment"], out["item"]))
    return pd.Series([mean.get(k, np.nan) if q == DRAW_TYPE else np.nan for k, q in zip(keys, out["qtype"])],
                     index=out.index, dtype=float)
