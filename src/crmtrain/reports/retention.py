"""Retention by regulation item: did what a trainee knew at the initial test survive to the follow-up?

The follow-up asks *different* questions (selection never repeats one), so retention is
measured per regulation item and test area (topic), through the questions' ``refs``: a trainee
*knew* an item in an assessment when they answered every graded question of that topic
referring to it correctly. An item
compared for a trainee is then ``learned`` (knew it both times), ``forgotten`` (initially
only), ``learned_later`` (at the follow-up only) or ``never_learned``. Items tested in only
one of the two assessments, and trainees who missed one, are not compared.

The review plan (below) follows from it: which items each trainee revisits, and when.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

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


# --- the review plan --------------------------------------------------------------------
# A review plan per trainee: which regulation items to revisit, and when, spaced by FSRS.
#
# Every regulation item an assessment tested is a memory "card" for each trainee who sat it.
# Each sitting is one review of the card on the assessment's due date (the day it closed, so
# every trainee's schedule is tied to the course calendar rather than to when they clicked
# Submit): *Good* when the trainee answered every question on the item right, *Again*
# otherwise — the usual mapping. The FSRS scheduler (PyPI ``fsrs`` 6, default parameters,
# 90 % desired retention, no intra-day learning steps — a training course reviews in days, not
# minutes — and no fuzzing, so plans are reproducible) then gives the date of the next review (``review_on``) and of the one after it, should the
# trainee get the item right at that review (``then_on``): the spacing grows with what the
# trainee had built up. With the initial test on day 0 and the follow-up on day 92, every item
# answered wrong last time is reviewed the next day (FSRS's first interval after *Again*); after
# a right answer then, a forgotten item returns 3 days later, one never learned 1 day later, one
# missed at the only sitting 2 days later. (Items answered right stay out of the plan; FSRS would
# bring them back after 5 days when learned late, 50 days when right both times.)
#
# An item goes into the plan when the trainee's *latest* answer on it was wrong: ``forgotten``
# (right at the initial test, wrong at the follow-up), ``never_learned`` (wrong both times),
# ``missed`` (wrong at the only sitting that tested it). Items answered right last time are
# left to the workbooks.
#
# FSRS depends only on the ratings and the dates, and the dates are per assessment, so there
# are at most nine schedules: each is computed once and mapped onto every trainee (a single
# review costs about a millisecond, 400,000 of them would not fit the report's budget).

REASONS = ("forgotten", "never_learned", "missed")
COLUMNS = ["trainee_id", "name", "ref", "title", "reason", "last_tested", "review_on", "interval_days", "then_on"]
NONE, WRONG, RIGHT = 0, 1, 2


def knew(answers: pd.DataFrame) -> pd.DataFrame:
    """Per (trainee_id, ref): 0 not tested, 1 wrong, 2 right — at the initial and at the follow-up."""
    cols = ["trainee_id", "ref", FIRST, LAST]
    if answers.empty:
        return pd.DataFrame(columns=cols)
    k = answers.groupby(["trainee_id", "ref", "assessment"], observed=True, sort=False)["correct"].all()
    k = k.unstack("assessment")
    out = pd.DataFrame(index=k.index)
    for a in (FIRST, LAST):
        col = k[a] if a in k else pd.Series(np.nan, index=k.index)
        out[a] = np.where(col.isna(), NONE, np.where(col.eq(True), RIGHT, WRONG)).astype(int)
    return out.reset_index()[cols]


@lru_cache(maxsize=64)
def schedule(initial: int, followup: int, initial_day: dt.date | None, followup_day: dt.date | None
             ) -> tuple[dt.date | None, int, dt.date | None]:
    """FSRS after these sittings (0 none, 1 wrong, 2 right): the next review date, its interval in days,
    and the review after that if the trainee gets it right then."""
    from fsrs import Card, Rating, Scheduler

    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card, last = Card(), None
    for result, day in ((initial, initial_day), (followup, followup_day)):
        if result == NONE or day is None:
            continue
        when = dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc)
        card, _ = scheduler.review_card(card, Rating.Good if result == RIGHT else Rating.Again, when)
        last = when
    if last is None:
        return None, 0, None
    then, _ = scheduler.review_card(card, Rating.Good, card.due)
    return card.due.date(), (card.due - last).days, then.due.date()


def review_plan(data: ReportData, answers: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """One row per trainee × regulation item to revisit: why, when last tested, when to review (FSRS)."""
    k = knew(answers)
    if k.empty:
        return pd.DataFrame(columns=COLUMNS)
    i, f = k[FIRST].to_numpy(), k[LAST].to_numpy()
    reason = np.select([(i == RIGHT) & (f == WRONG), (i == WRONG) & (f == WRONG),
                        ((i == NONE) & (f == WRONG)) | ((i == WRONG) & (f == NONE))], REASONS, "")
    k = k.assign(reason=reason)[reason != ""].reset_index(drop=True)
    if k.empty:
        return pd.DataFrame(columns=COLUMNS)
    days = _days(data, today)
    plans = {(a, b): schedule(a, b, days[FIRST], days[LAST]) for a, b in set(zip(k[FIRST], k[LAST]))}
    pairs = list(zip(k[FIRST], k[LAST]))
    k["review_on"] = _day([plans[p][0] for p in pairs])
    k["interval_days"] = [plans[p][1] for p in pairs]
    k["then_on"] = _day([plans[p][2] for p in pairs])
    k["last_tested"] = _day([days[LAST] if b != NONE else days[FIRST] for _, b in pairs])
    info = data.items.drop_duplicates("ref").reset_index(drop=True)
    doc = {r: n for n, r in enumerate(info["ref"])}
    titles = dict(zip(info["ref"], info["title"]))
    k["title"] = k["ref"].map(lambda r: titles.get(r, r)).astype(str)  # once per distinct ref (categorical)
    names = data.roster.set_index("trainee_id")["name"]
    k["name"] = k["trainee_id"].map(names)
    pos = {t: n for n, t in enumerate(data.roster["trainee_id"])}
    # Mapping a categorical gives a categorical, which sorts by category order: sort on numbers.
    k["_r"] = k["trainee_id"].map(pos).astype(float).fillna(len(pos))
    k["_d"] = k["ref"].map(doc).astype(float).fillna(len(doc))
    k["ref"] = k["ref"].astype(str)
    return k.sort_values(["_r", "review_on", "_d"], kind="stable")[COLUMNS].reset_index(drop=True)


def _day(values) -> pd.DatetimeIndex:
    """Dates as a nanosecond datetime column (what every other report date is)."""
    return pd.to_datetime(list(values)).astype("datetime64[ns]")


def _days(data: ReportData, today: dt.date | None) -> dict[str, dt.date | None]:
    """The review day of each assessment: its due date, else ``today`` (else the date it runs)."""
    due = data.assessments.set_index("assessment")["due"] if len(data.assessments) else pd.Series(dtype="datetime64[ns]")
    fallback = today or dt.date.today()
    out = {}
    for a in (FIRST, LAST):
        d = due.get(a, pd.NaT)
        out[a] = fallback if pd.isna(d) else pd.Timestamp(d).date()
    return out


def plan_for(plan: pd.DataFrame, trainee_id: str) -> pd.DataFrame:
    """One trainee's rows of the plan."""
    return plan[plan["trainee_id"].astype(str) == str(trainee_id)].reset_index(drop=True)
