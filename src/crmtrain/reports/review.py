"""A review plan per trainee: which regulation items to revisit, and when, spaced by FSRS.

Every regulation item an assessment tested is a memory "card" for each trainee who sat it.
Each sitting is one review of the card on the assessment's due date (the day it closed, so
every trainee's schedule is tied to the course calendar rather than to when they clicked
Submit): *Good* when the trainee answered every question on the item right, *Again*
otherwise — the usual mapping. The FSRS scheduler (PyPI ``fsrs`` 6, default parameters,
90 % desired retention, no intra-day learning steps — a training course reviews in days, not
minutes — and no fuzzing, so plans are reproducible) then gives the date of the next review (``review_on``) and of the one after it, should the
trainee get the item right at that review (``then_on``): the spacing grows with what the
trainee had built up. With the initial test on day 0 and the follow-up on day 92, every item
answered wrong last time is reviewed the next day (FSRS's first interval after *Again*); after
a right answer then, a forgotten item returns 3 days later, one never learned 1 day later, one
missed at the only sitting 2 days later. (Items answered right stay out of the plan; FSRS would
bring them back after 5 days when learned late, 50 days when right both times.)

An item goes into the plan when the trainee's *latest* answer on it was wrong: ``forgotten``
(right at the initial test, wrong at the follow-up), ``never_learned`` (wrong both times),
``missed`` (wrong at the only sitting that tested it). Items answered right last time are
left to the workbooks.

FSRS depends only on the ratings and the dates, and the dates are per assessment, so there
are at most nine schedules: each is computed once and mapped onto every trainee (a single
review costs about a millisecond, 400,000 of them would not fit the report's budget).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from ..kinds.assessments import FIRST, LAST
from .data import ReportData

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
