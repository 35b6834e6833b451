"""Retention by regulation item: did what a trainee knew at the initial test survive to the follow-up?

The follow-up asks *different* questions (selection never repeats one), so retention is
measured per regulation item and test area (topic), through the questions' ``refs``: a trainee
*knew* an item in an assessment when they answered every graded question of that topic
referring to it correctly. An item
compared for a trainee is then ``learned`` (knew it both times), ``forgotten`` (initially
only), ``learned_later`` (at the follow-up only) or ``never_learned``. Items tested in only
one of the two assessments, and trainees who missed one, are not compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kinds.assessments import ASSESSMENTS, FIRST, LAST
from .data import ReportData

STATUSES = ("learned", "forgotten", "learned_later", "never_learned")


def question_refs(data: ReportData) -> pd.DataFrame:
    """One row per (assessment, item, ref) a question refers to."""
    q = data.results[["assessment", "item", "refs"]].drop_duplicates(["assessment", "item"])
    q = pd.DataFrame({"assessment": q["assessment"].astype(str), "item": q["item"].astype(str),
                      "ref": q["refs"].astype(str).str.split()}).explode("ref")
    return q[q["ref"].notna() & (q["ref"] != "")].reset_index(drop=True)


def ref_answers(data: ReportData) -> pd.DataFrame:
    """(assessment, trainee_id, topic, item, ref, correct) for every graded answer, one row per ref."""
    r = data.results
    r = r[r["submitted"] & r["score"].notna()]
    qr = question_refs(data)
    # Merge on integer question keys: joining 800k rows on strings costs several times more.
    key = pd.MultiIndex.from_frame(qr[["assessment", "item"]].drop_duplicates())
    codes = key.get_indexer(pd.MultiIndex.from_arrays([r["assessment"], r["item"]]))
    left = pd.DataFrame({"_q": codes, "trainee_id": r["trainee_id"].values, "topic": r["topic"].values,
                         "correct": r["correct"].to_numpy()})
    right = pd.DataFrame({"_q": key.get_indexer(pd.MultiIndex.from_frame(qr[["assessment", "item"]])),
                          "ref": qr["ref"].to_numpy(), "assessment": qr["assessment"].to_numpy(),
                          "item": qr["item"].to_numpy()})
    out = left.merge(right, on="_q").drop(columns="_q")
    out["ref"] = out["ref"].astype("category")
    return out


def retention_detail(data: ReportData, answers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per trainee × regulation item × topic tested in both assessments: knew it initially, at follow-up, status."""
    a = ref_answers(data) if answers is None else answers
    cols = ["trainee_id", "ref", "topic", FIRST, LAST, "status"]
    if a.empty:
        return pd.DataFrame(columns=cols)
    knew = (a.groupby(["trainee_id", "ref", "topic", "assessment"], observed=True, sort=False)["correct"].all()
            .unstack("assessment"))
    if FIRST not in knew or LAST not in knew:
        return pd.DataFrame(columns=cols)
    knew = knew[[FIRST, LAST]].dropna().astype(bool).reset_index()
    i, f = knew[FIRST].to_numpy(), knew[LAST].to_numpy()
    knew["status"] = np.select([i & f, i & ~f, ~i & f], STATUSES[:3], STATUSES[3])
    knew["status"] = pd.Categorical(knew["status"], categories=STATUSES)
    return knew[cols]


def _counts(detail: pd.DataFrame, by: str) -> pd.DataFrame:
    """Status counts per ``by`` value, with retention = learned / (learned + forgotten)."""
    status = pd.Categorical(detail["status"], categories=STATUSES)
    counts = detail.groupby([detail[by].astype(str), status], observed=False).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts.columns.name = None
    counts["compared"] = counts.sum(axis=1)
    kept = counts["learned"] + counts["forgotten"]
    counts["retention"] = counts["learned"] / kept.where(kept > 0)
    return counts


def retention_trainees(data: ReportData, detail: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per roster trainee: how many regulation items were learned, forgotten, learned later, never learned."""
    detail = retention_detail(data) if detail is None else detail
    out = data.roster[["trainee_id", "name"]].reset_index(drop=True)
    counts = _counts(detail, "trainee_id")
    for col in (*STATUSES, "compared"):
        out[col] = out["trainee_id"].map(counts[col]).fillna(0).astype(int) if len(counts) else 0
    out["retention"] = out["trainee_id"].map(counts["retention"]) if len(counts) else np.nan
    return out


def regulation_items(data: ReportData, detail: pd.DataFrame | None = None,
                     answers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per regulation item any question tests: questions, share answered right per assessment, retention."""
    answers = ref_answers(data) if answers is None else answers
    detail = retention_detail(data, answers) if detail is None else detail
    qr = question_refs(data)
    cols = ["ref", "part", "section_title", "title", *(f"{a}_questions" for a in ASSESSMENTS),
            *(f"{a}_facility" for a in ASSESSMENTS), *STATUSES, "compared", "retention"]
    if qr.empty:
        return pd.DataFrame(columns=cols)
    refs = list(dict.fromkeys(qr["ref"]))
    it = data.items.drop_duplicates("ref").set_index("ref")
    doc = {r: i for i, r in enumerate(it.index)}
    out = pd.DataFrame({"ref": sorted(refs, key=lambda r: (doc.get(r, len(doc)), r))})
    for col in ("part", "section_title", "title"):
        out[col] = out["ref"].map(it[col]) if col in it else np.nan
    out["title"] = out["title"].fillna(out["ref"])
    out[["part", "section_title"]] = out[["part", "section_title"]].fillna("")
    nq = qr.groupby(["ref", "assessment"]).size().unstack("assessment")
    fac = answers.groupby(["ref", "assessment"], observed=True)["correct"].mean().unstack("assessment") \
        if len(answers) else pd.DataFrame()
    for a in ASSESSMENTS:
        out[f"{a}_questions"] = out["ref"].map(nq[a]).fillna(0).astype(int) if a in nq else 0
        out[f"{a}_facility"] = out["ref"].map(fac[a]) if a in fac else np.nan
    counts = _counts(detail, "ref")
    for col in (*STATUSES, "compared"):
        out[col] = out["ref"].map(counts[col]).fillna(0).astype(int) if len(counts) else 0
    out["retention"] = out["ref"].map(counts["retention"]) if len(counts) else np.nan
    return out[cols]


def retention_matrix(data: ReportData, detail: pd.DataFrame | None = None) -> pd.DataFrame:
    """Roster trainees × regulation items (document order): each cell a status, '' where not compared.

    A column is the item's id, or ``id/topic`` when the item is tested in more than one test area.
    """
    detail = retention_detail(data) if detail is None else detail
    out = data.roster[["trainee_id", "name"]].reset_index(drop=True)
    if detail.empty:
        return out
    d = pd.DataFrame({"trainee_id": detail["trainee_id"].astype(str).to_numpy(),
                      "ref": detail["ref"].astype(str).to_numpy(), "topic": detail["topic"].astype(str).to_numpy(),
                      "status": detail["status"].astype(str).to_numpy()})
    topics = d.drop_duplicates(["ref", "topic"])
    several = set(topics.loc[topics["ref"].duplicated(), "ref"])
    d["column"] = np.where(d["ref"].isin(several), d["ref"] + "/" + d["topic"], d["ref"])
    doc = {r: n for n, r in enumerate(data.items.drop_duplicates("ref")["ref"])}
    columns = sorted(d["column"].unique(), key=lambda c: (doc.get(c.split("/")[0], len(doc)), c))
    wide = d.pivot(index="trainee_id", columns="column", values="status").reindex(columns=columns)
    wide = wide.reindex(out["trainee_id"]).fillna("")
    wide.columns.name = None
    return pd.concat([out, wide.reset_index(drop=True)], axis=1)
