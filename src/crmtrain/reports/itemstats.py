"""Item analysis on Moodle's quiz-statistics definitions (``shared/domain/item-statistics.md``).

Only graded answers of submitted assessments count. For trainee t and question i with
maximum m_i: x_ti the points earned, T_t the trainee's total on that assessment (graded
questions only) and R_ti = T_t − x_ti the rest-of-test score. Per question, over the ``n``
trainees with a graded answer:

* ``facility``: mean(x)/m (Moodle's facility index); ``sd``: sample SD (n − 1) of x/m;
* ``random_guess``: the expected score of a random response (the question kind's
  ``guess_score``, :mod:`crmtrain.kinds.questions`), with partial credit where the question
  gets it in that assessment;
* ``intended_weight``: m_i / Σ m; ``effective_weight``: Moodle's √Cov(x_i, T) / Σ_j √Cov(x_j, T)
  over the test's positions (:mod:`.positions`: none for a negative covariance or a drawn
  question); ``variance_share``: crmtrain's own Cov(x_i, T) / Var(T), the share of the
  total-score variance the question carries (the positions' shares add up to 1);
* ``discrimination_index``: Pearson r(x_i, R_i) — Moodle's 100 × r, kept as a share like every
  percentage here; ``discriminative_efficiency``: Cov(x, R) / Cov_max, with Cov_max the
  covariance of the sorted x paired with the sorted R (for a drawn question T takes R's place,
  as in Moodle);
* ``upper_facility``/``lower_facility``: facility in the top and bottom 27 % by total
  (Kelley; group size round(0.27 N), at least 1, ties broken by trainee id);
* ``wrong_answer``/``wrong_share``: the most common wrong response and its share of answers;
  ``never_chosen``: the options of a choice question nobody picked.

A per-trainee slot (``slot`` column) is analysed as Moodle analyses a random slot: the draw
slot as a position of its own (over every trainee, whichever question they drew), then each
drawn question over the trainees who drew it; a case slot is one item of its own. Intended
weights count positions: a draw slot's candidates share its one place in the test.
Reliability per assessment is :mod:`.reliability`.

``flag`` is plain advice for the specialist, and stays empty until a question has
:attr:`Bounds.min_responses` answers: below that ``note`` says how many more are needed,
since a handful of answers makes every figure noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..i18n import _, plural
from ..kinds.questions import QUESTION_KINDS
from .data import CASE_TYPE, ReportData
from .positions import DRAW_TYPE, effective_weights, slot_guess, slot_meta, units

GROUP_SHARE = 0.27
COLUMNS = ["assessment", "item", "slot", "text", "topic", "part", "refs", "qtype", "points", "n", "facility", "sd",
           "random_guess", "intended_weight", "effective_weight", "variance_share", "discrimination_index",
           "discriminative_efficiency", "upper_facility", "lower_facility", "wrong_answer", "wrong_share",
           "never_chosen", "flag", "note"]
CHOICE_TYPES = tuple(k.name for k in QUESTION_KINDS.values() if k.choice)  # options can go unchosen
HAND_GRADED = tuple(k.name for k in QUESTION_KINDS.values() if not k.autograded)  # no wrong answer to count
# Each trainee answers their own case: the same wrong answer to different cases says nothing.
NO_COMMON_WRONG = (*HAND_GRADED, CASE_TYPE)


@dataclass(frozen=True)
class Bounds:
    """Where a question stops looking sensible (Moodle's bands), and how many answers it takes to say so."""

    min_responses: int = 20
    facility_broken: float = 0.05
    facility_low: float = 0.20
    facility_high: float = 0.95
    guess_high: float = 0.40
    discrimination_low: float = 0.20
    efficiency_low: float = 0.15


def item_analysis(data: ReportData, bounds: Bounds | None = None) -> pd.DataFrame:
    """One row per (assessment, question) with the figures above, the advice and the sample-size note."""
    bounds = bounds or Bounds()
    r = data.results
    meta = r[["assessment", "item", "slot", "topic", "part", "refs", "qtype", "points"]].drop_duplicates(
        ["assessment", "item"])
    meta = meta.astype({c: str for c in ("assessment", "item", "slot", "topic", "part", "refs", "qtype")}
                       ).reset_index(drop=True)
    meta = pd.concat([meta, slot_meta(meta, data.questions)], ignore_index=True)
    # A draw slot's candidates share one position: its points count once in the test's total.
    position = meta["slot"].where(meta["slot"] != "", meta["item"])
    meta = _in_test_order(meta, position, data.questions)
    position = meta["slot"].where(meta["slot"] != "", meta["item"])
    planned = meta.assign(_p=position).drop_duplicates(["assessment", "_p"]).groupby("assessment")["points"].sum()
    meta["intended_weight"] = meta["points"] / meta["assessment"].map(planned)
    g = r[r["submitted"] & r["score"].notna()]
    a = _answers_with_totals(g)
    s = _moments(a)
    out = meta.merge(s, on=["assessment", "item"], how="left")
    out["n"] = out["n"].fillna(0).astype(int)
    out = out.merge(_wrong_answers(g), on=["assessment", "item"], how="left")
    out["wrong_answer"] = out["wrong_answer"].fillna("")
    out["wrong_share"] = out["wrong_count"] / out["n"].where(out["n"] > 0)
    q = data.questions
    qmeta = q.drop_duplicates(["assessment", "item"]).set_index(["assessment", "item"]) if len(q) else None
    keys = list(zip(out["assessment"], out["item"]))

    def lookup(col, default):
        if qmeta is None or col not in qmeta:
            return [default] * len(out)
        return [qmeta[col].get(k, default) for k in keys]

    out["text"] = lookup("text", "")
    out["random_guess"] = pd.to_numeric(pd.Series(lookup("guess", np.nan), index=out.index), errors="coerce")
    out["random_guess"] = out["random_guess"].fillna(slot_guess(out))
    out["never_chosen"] = _never_chosen(g, out, lookup("options", ""))
    out["flag"] = flags(out, bounds)
    out["note"] = notes(out, bounds)
    return out[COLUMNS]


def _in_test_order(meta: pd.DataFrame, position: pd.Series, questions: pd.DataFrame) -> pd.DataFrame:
    """Questions in the test's order (positions as the results first show them); a draw's candidates
    in the order the questions table lists them (the notebook's), since trainees meet them in any order."""
    if not (meta["slot"] != "").any():
        return meta
    listed = {k: n for n, k in enumerate(zip(questions["assessment"].astype(str), questions["item"].astype(str)))} \
        if len(questions) else {}
    first = {k: n for n, k in reversed(list(enumerate(zip(meta["assessment"], position))))}
    # A draw slot's own row leads its questions, as Moodle's random slot leads its sub-questions.
    keys = pd.DataFrame({"p": [first[k] for k in zip(meta["assessment"], position)],
                         "q": [-1 if t == DRAW_TYPE else listed.get(k, len(listed))
                               for k, t in zip(zip(meta["assessment"], meta["item"]), meta["qtype"])]})
    return meta.iloc[keys.sort_values(["p", "q"], kind="stable").index].reset_index(drop=True)


def _answers_with_totals(g: pd.DataFrame) -> pd.DataFrame:
    """Graded answers with the trainee's total, rest score and upper/lower group."""
    # Categorical keys throughout: factorising 800k strings per groupby would dominate.
    a = pd.DataFrame({"assessment": g["assessment"].values, "trainee_id": g["trainee_id"].values,
                      "item": g["item"].values, "slot": g["slot"].values, "x": g["score"].to_numpy(dtype=float),
                      "m": g["points"].to_numpy(dtype=float)})
    total = a.groupby(["assessment", "trainee_id"], observed=True)["x"].sum().rename("total").reset_index()
    total["_id"] = total["trainee_id"].astype(str)
    total = total.sort_values(["assessment", "total", "_id"], ascending=[True, False, True], kind="stable")
    by = total.groupby("assessment", observed=True)["total"]
    size = by.transform("size")
    k = np.maximum(np.rint(GROUP_SHARE * size), 1)
    rank = total.groupby("assessment", observed=True).cumcount()
    total["group"] = np.select([size < 2, rank < k, rank >= size - k], [0, 1, -1], 0)
    total["var_t"] = by.transform("var")  # sample variance of the totals, per assessment
    return a.merge(total[["assessment", "trainee_id", "total", "group", "var_t"]], on=["assessment", "trainee_id"])


def _moments(a: pd.DataFrame) -> pd.DataFrame:
    """Per (assessment, item) and per draw slot: facility, SD, weights, DI, DE and the group facilities."""
    cols = ["assessment", "item", "n", "facility", "sd", "effective_weight", "variance_share", "discrimination_index",
            "discriminative_efficiency", "upper_facility", "lower_facility"]
    if a.empty:
        return pd.DataFrame(columns=cols)
    a = units(a)
    # Group codes from the two keys' own codes: factorising a MultiIndex builds 800k tuples.
    (ac, av), (ic, iv) = _codes(a["assessment"]), _codes(a["item"])
    uniq_pairs, codes = np.unique(ac.astype(np.int64) * (len(iv) + 1) + ic, return_inverse=True)
    uniq = [(av[u // (len(iv) + 1)], iv[u % (len(iv) + 1)]) for u in uniq_pairs]
    k = len(uniq)
    x, y, t, m = (a[c].to_numpy(dtype=float) for c in ("x", "y", "total", "m"))

    def total(v):
        return np.bincount(codes, weights=v, minlength=k)

    n = np.bincount(codes, minlength=k).astype(float)
    sx, sy, st = total(x), total(y), total(t)
    cxx = total(x * x) - sx * sx / n
    cyy = total(y * y) - sy * sy / n
    cxy = total(x * y) - sx * sy / n
    cxt = total(x * t) - sx * st / n
    # Cov_max: pair the item's sorted scores with its sorted rest scores (both sorts keep groups contiguous).
    ox, oy = np.lexsort((x, codes)), np.lexsort((y, codes))
    cmax = np.bincount(codes[ox], weights=x[ox] * y[oy], minlength=k) - sx * sy / n
    mm = total(m) / n
    up, lo = a["group"].to_numpy() == 1, a["group"].to_numpy() == -1
    share = x / m
    with np.errstate(divide="ignore", invalid="ignore"):
        s = pd.DataFrame({
            "n": n.astype(int), "facility": sx / n / mm,
            "sd": np.sqrt(np.where(n > 1, cxx / (n - 1), np.nan)) / mm,
            "cov_t": np.where(n > 1, cxt / (n - 1), np.nan),
            "variance_share": (cxt / (n - 1)) / total(a["var_t"].to_numpy(dtype=float)) * n,
            "discrimination_index": np.where((cxx > 1e-12) & (cyy > 1e-12), cxy / np.sqrt(cxx * cyy), np.nan),
            "discriminative_efficiency": np.where(cmax > 1e-12, cxy / cmax, np.nan),
            "upper_facility": np.bincount(codes, weights=share * up, minlength=k) / np.bincount(codes[up], minlength=k),
            "lower_facility": np.bincount(codes, weights=share * lo, minlength=k) / np.bincount(codes[lo], minlength=k),
        })
    s.loc[~np.isfinite(s["variance_share"]) | (n < 2), "variance_share"] = np.nan
    s.insert(0, "item", [str(v[1]) for v in uniq])
    s.insert(0, "assessment", [str(v[0]) for v in uniq])
    s["position"] = np.bincount(codes, weights=a["position"].to_numpy(dtype=float), minlength=k) > 0
    s["effective_weight"] = effective_weights(s)
    return s[cols]


def _codes(s: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes of a column and the values they stand for (a categorical's own, else factorised)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), list(s.cat.categories)
    codes, values = pd.factorize(s)
    return codes, list(values)


def _wrong_answers(g: pd.DataFrame) -> pd.DataFrame:
    """The most common wrong response per closed question (ties: the alphabetically first)."""
    w = g[~g["correct"] & ~g["qtype"].isin(NO_COMMON_WRONG) & (g["response"] != "")]
    if w.empty:
        return pd.DataFrame(columns=["assessment", "item", "wrong_answer", "wrong_count"])
    c = (pd.DataFrame({"assessment": w["assessment"].values, "item": w["item"].values, "wrong_answer": w["response"].values})
         .groupby(["assessment", "item", "wrong_answer"], observed=True).size().rename("wrong_count").reset_index())
    c = c[c["wrong_count"] > 0].astype({"assessment": str, "item": str, "wrong_answer": str})
    c = c.sort_values(["assessment", "item", "wrong_count", "wrong_answer"], ascending=[True, True, False, True])
    return c.drop_duplicates(["assessment", "item"])


def _never_chosen(g: pd.DataFrame, out: pd.DataFrame, options: list[str]) -> list[str]:
    """Per row of ``out``: the options of a choice question that no answer picked, joined by ' '."""
    chosen: dict[tuple[str, str], set[str]] = {}
    c = g[g["qtype"].isin(CHOICE_TYPES) & (g["response"] != "")]
    pairs = pd.DataFrame({"assessment": c["assessment"].values, "item": c["item"].values,
                          "response": c["response"].values}).drop_duplicates()
    for a, i, resp in pairs.itertuples(index=False):  # distinct responses only: a few per question
        chosen.setdefault((str(a), str(i)), set()).update(str(resp).split(","))
    result = []
    for a, i, qtype, n, opts in zip(out["assessment"], out["item"], out["qtype"], out["n"], options):
        if qtype not in CHOICE_TYPES or not n or not opts:
            result.append("")
            continue
        picked = chosen.get((a, i), set())
        result.append(" ".join(o for o in str(opts).split() if o not in picked))
    return result


def percent(v: float) -> str:
    """A share as a whole percentage, the way the advice lines say it."""
    return f"{v * 100:.0f} %"


def needs(have: str, n: int, need: int) -> str:
    """'5 answers; advice needs 20 (15 more)': why there is no advice yet."""
    return _("{have}; advice needs {need} ({more} more)").format(have=have, need=need, more=need - n)


def flags(stats: pd.DataFrame, bounds: Bounds) -> pd.Series:
    """Plain-words advice per question ('' when it looks fine or when there are too few answers to tell)."""
    text = []
    for row in stats.itertuples(index=False):
        if row.n < max(bounds.min_responses, 2):
            text.append("")
            continue
        f, di, de, up, lo = (row.facility, row.discrimination_index, row.discriminative_efficiency,
                             row.upper_facility, row.lower_facility)
        said = []
        if f <= bounds.facility_broken:
            said.append(_("almost nobody answers it right ({share}): check the key and the wording").format(share=percent(f)))
        elif f < bounds.facility_low:
            said.append(_("very hard for this team: {share} of the points scored").format(share=percent(f)))
        elif f >= bounds.facility_high:
            said.append(_("too easy for this team: {share} of the points scored").format(share=percent(f)))
        if row.random_guess == row.random_guess and row.random_guess > bounds.guess_high:
            said.append(_("easy to guess: a random answer scores {share}").format(share=percent(row.random_guess)))
        if (di == di and di < 0) or (up == up and lo == lo and up < lo):
            said.append(_("the key may be wrong: the strongest trainees miss it (the most common wrong answer is "
                          "'{answer}')").format(answer=row.wrong_answer) if row.wrong_answer
                        else _("the key may be wrong: the strongest trainees miss it"))
        elif di == di and di < bounds.discrimination_low:
            said.append(_("tells strong and weak trainees apart poorly (discrimination index {share})").format(share=percent(di)))
        elif de == de and de < bounds.efficiency_low:
            said.append(_("dubious: discriminative efficiency {share}").format(share=percent(de)))
        if row.never_chosen:
            opts = row.never_chosen.split()
            said.append(_("option {options} is never chosen").format(options=opts[0]) if len(opts) == 1
                        else _("options {options} are never chosen").format(options=", ".join(opts)))
        text.append("; ".join(said))
    return pd.Series(text, index=stats.index, dtype=object)


def notes(stats: pd.DataFrame, bounds: Bounds) -> pd.Series:
    """Why a question is not judged yet: no answers, or how many more answers it takes."""
    need = max(bounds.min_responses, 2)
    text = [_("no answers yet") if n == 0 else
            needs(plural("{n} answer", "{n} answers", n), n, need) if n < need else ""
            for n in stats["n"]]
    return pd.Series(text, index=stats.index, dtype=object)
