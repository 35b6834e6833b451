"""Each trainee's own schedule (crmtrain.rules.schedule): the dates a specialist expects.

The story: the initial is released on Monday 2 March 2026 at 09:00 in Moscow (06:00 UTC),
seven days to take it; the follow-up opens 30 days after a trainee's own initial
submission, five days to take it. Trainees join before, on and after the release.
"""

from __future__ import annotations

import datetime as dt

import pytest

from crmtrain.rules.schedule import (
    DUE_SOON, GRADED, OPEN, OVERDUE, STATES, SUBMITTED, WAITING, Due, Move, Plan, Trainee, by_urgency,
    course_schedule, end_of_day, local_day, own_due_date, trainee_schedule,
)

MSK = "Europe/Moscow"  # UTC+3, no daylight saving
D = dt.date
T = dt.datetime  # naive UTC, as nbgrader stores moments

RELEASED = T(2026, 3, 2, 6, 0)  # 09:00 in Moscow
INITIAL = Plan("initial", due_days=7, released=RELEASED)
FOLLOWUP = Plan("followup", due_days=5, after_days=30, released=T(2026, 3, 2, 6, 0))
PLANS = (INITIAL, FOLLOWUP)


def msk_end(day: dt.date) -> dt.datetime:
    """23:59:59 in Moscow of ``day``, as naive UTC."""
    return T(day.year, day.month, day.day, 20, 59, 59)


def msk_start(day: dt.date) -> dt.datetime:
    return T(day.year, day.month, day.day) - dt.timedelta(hours=3)


def initial_of(trainee: Trainee, today=D(2026, 3, 3), plans=PLANS, timezone=MSK) -> Due:
    return trainee_schedule(plans, trainee, today, timezone)[0]


@pytest.mark.parametrize("story, start, opens, due", [
    ("no start: the release", None, RELEASED, msk_end(D(2026, 3, 9))),
    ("started long before the release", D(2025, 11, 1), RELEASED, msk_end(D(2026, 3, 9))),
    ("started on the release day: still the release", D(2026, 3, 2), RELEASED, msk_end(D(2026, 3, 9))),
    ("started the next day: their own week", D(2026, 3, 3), msk_start(D(2026, 3, 3)), msk_end(D(2026, 3, 10))),
    ("joined in April", D(2026, 4, 14), msk_start(D(2026, 4, 14)), msk_end(D(2026, 4, 21))),
])
def test_the_initial_is_due_days_after_the_later_of_release_and_start(story, start, opens, due):
    d = initial_of(Trainee("a.petrova", start=start))
    assert (d.opens, d.due) == (opens, due)
    # nbgrader's extension is exactly the difference to the assessment's own date
    assert d.extension == due - msk_end(D(2026, 3, 9))
    assert d.extension >= dt.timedelta(0)


def test_a_due_date_given_at_release_is_everybody_s_who_started_before():
    given = T(2026, 3, 5, 15, 0)  # release --due '2026-03-05 18:00', earlier than 7 days
    plans = (Plan("initial", due_days=7, released=RELEASED, due=given), FOLLOWUP)
    assert initial_of(Trainee("early"), plans=plans).due == given
    assert initial_of(Trainee("early", start=D(2026, 1, 1)), plans=plans).extension == dt.timedelta(0)
    # a newcomer gets their own seven days, never less than the given date
    late = initial_of(Trainee("new", start=D(2026, 3, 20)), plans=plans)
    assert late.due == msk_end(D(2026, 3, 27))
    assert late.extension == msk_end(D(2026, 3, 27)) - given
    # one who starts the day after: own 7 days is later than the given date
    assert initial_of(Trainee("next", start=D(2026, 3, 3)), plans=plans).due == msk_end(D(2026, 3, 10))


@pytest.mark.parametrize("story, submitted, today, state, opens", [
    ("initial not submitted: the follow-up waits, date unknown", {}, D(2026, 6, 1), WAITING, None),
    ("submitted the initial: opens 30 days after, at the day's start",
     {"initial": T(2026, 3, 6, 12, 0)}, D(2026, 4, 4), WAITING, msk_start(D(2026, 4, 5))),
    ("the opening day", {"initial": T(2026, 3, 6, 12, 0)}, D(2026, 4, 5), OPEN, msk_start(D(2026, 4, 5))),
    ("submitted late at night Moscow time (still the 6th in UTC is the 7th in Moscow)",
     {"initial": T(2026, 3, 6, 22, 0)}, D(2026, 4, 5), WAITING, msk_start(D(2026, 4, 6))),
])
def test_the_followup_opens_after_the_trainee_s_own_initial(story, submitted, today, state, opens):
    d = trainee_schedule(PLANS, Trainee("b.sidorov", submitted=submitted), today, MSK)[1]
    assert (d.state, d.opens) == (state, opens)
    if opens is None:
        assert d.due is None and d.extension == dt.timedelta(0)
    else:
        assert d.due == msk_end(local_day(opens, MSK) + dt.timedelta(days=5))


def test_the_followup_never_opens_before_its_release():
    unreleased = (INITIAL, Plan("followup", due_days=5, after_days=30))
    d = trainee_schedule(unreleased, Trainee("c", submitted={"initial": T(2026, 3, 3)}), D(2026, 5, 1), MSK)[1]
    assert (d.state, d.opens, d.due) == (WAITING, None, None)
    released_late = (INITIAL, Plan("followup", due_days=5, after_days=30, released=T(2026, 5, 10, 7, 0)))
    d = trainee_schedule(released_late, Trainee("c", submitted={"initial": T(2026, 3, 3)}), D(2026, 5, 11), MSK)[1]
    assert d.opens == T(2026, 5, 10, 7, 0)  # opened with everybody at the release: the assessment's own date
    assert d.due == msk_end(D(2026, 5, 15)) and d.extension == dt.timedelta(0)


def test_a_followup_without_after_days_opens_like_the_initial():
    plans = (INITIAL, Plan("followup", due_days=5, released=T(2026, 4, 1, 6, 0)))
    d = trainee_schedule(plans, Trainee("new", start=D(2026, 4, 10)), D(2026, 4, 10), MSK)[1]
    assert (d.opens, d.due, d.state) == (msk_start(D(2026, 4, 10)), msk_end(D(2026, 4, 15)), OPEN)


@pytest.mark.parametrize("today, state", [
    (D(2026, 3, 1), WAITING), (D(2026, 3, 2), OPEN), (D(2026, 3, 6), OPEN), (D(2026, 3, 7), DUE_SOON),
    (D(2026, 3, 9), DUE_SOON), (D(2026, 3, 10), OVERDUE),
    (T(2026, 3, 9, 20, 59, 59), DUE_SOON), (T(2026, 3, 9, 21, 0, 0), OVERDUE), (T(2026, 3, 2, 5, 59), WAITING),
])
def test_where_a_trainee_stands_on_a_day_or_at_a_moment(today, state):
    assert initial_of(Trainee("d"), today=today).state == state


def test_submitted_and_graded_whatever_the_day_and_late_against_their_own_date():
    on_time_for_her = T(2026, 3, 10, 12, 0)  # late for the cohort, on time for a 3 March start
    d = initial_of(Trainee("e", start=D(2026, 3, 3), submitted={"initial": on_time_for_her}), today=D(2026, 6, 1))
    assert (d.state, d.late) == (SUBMITTED, False)
    d = initial_of(Trainee("f", submitted={"initial": on_time_for_her}, graded=frozenset({"initial"})))
    assert (d.state, d.late, d.seconds_late) == (GRADED, True, (on_time_for_her - msk_end(D(2026, 3, 9))).total_seconds())


@pytest.mark.parametrize("move, due", [
    (Move(days=3), msk_end(D(2026, 3, 12))),
    (Move(to=D(2026, 3, 20)), msk_end(D(2026, 3, 20))),
    (Move(days=-30), msk_end(D(2026, 3, 9))),  # never before the assessment's own date (nbgrader has no negative extension)
    (Move(to=D(2026, 3, 1)), msk_end(D(2026, 3, 9))),
])
def test_the_specialist_moves_one_date(move, due):
    d = initial_of(Trainee("g", moved={"initial": move}))
    assert (d.due, d.moved, d.extension) == (due, True, due - msk_end(D(2026, 3, 9)))


def test_days_are_counted_on_the_regulation_s_calendar_across_a_clock_change():
    # Berlin moves its clocks on 29 March 2026: a week from 25 March ends at 23:59:59 CEST (UTC+2).
    berlin = (Plan("initial", due_days=7, released=T(2026, 3, 25, 8, 0)),)
    d = trainee_schedule(berlin, Trainee("h"), D(2026, 3, 25), "Europe/Berlin")[0]
    assert d.due == T(2026, 4, 1, 21, 59, 59)
    moved = trainee_schedule(berlin, Trainee("h", moved={"initial": Move(days=1)}), D(2026, 3, 25), "Europe/Berlin")[0]
    assert moved.due == T(2026, 4, 2, 21, 59, 59)
    # released at 23:30 UTC on the 24th is already the 25th in Berlin, and the same in Vladivostok +10
    late_night = (Plan("initial", due_days=1, released=T(2026, 3, 24, 23, 30)),)
    assert trainee_schedule(late_night, Trainee("i"), D(2026, 3, 25), "Europe/Berlin")[0].due == T(2026, 3, 26, 22, 59, 59)
    assert trainee_schedule(late_night, Trainee("i"), D(2026, 3, 25), "UTC")[0].due == T(2026, 3, 25, 23, 59, 59)
    # a start on the 30th opens at Berlin's midnight, summer time already (22:00 UTC on the 29th)
    start = trainee_schedule(berlin, Trainee("j", start=D(2026, 3, 30)), D(2026, 3, 30), "Europe/Berlin")[0]
    assert start.opens == T(2026, 3, 29, 22, 0) and start.due == T(2026, 4, 6, 21, 59, 59)


def test_an_unreleased_assessment_has_no_dates():
    d = trainee_schedule((Plan("initial"),), Trainee("k", start=D(2026, 3, 3)), D(2026, 3, 3), MSK)[0]
    assert (d.state, d.opens, d.due, d.extension) == (WAITING, None, None, dt.timedelta(0))
    with pytest.raises(ValueError):
        own_due_date(Plan("initial"), MSK)


def test_status_order_is_overdue_first_then_the_earliest_due():
    people = [Trainee("old"), Trainee("new", start=D(2026, 3, 8)), Trainee("done", submitted={"initial": RELEASED}),
              Trainee("future", start=D(2026, 3, 20))]
    everyone = course_schedule((INITIAL,), people, D(2026, 3, 12), MSK)
    order = [(d.trainee, d.state) for d in by_urgency(d for dues in everyone.values() for d in dues)]
    assert order == [("old", OVERDUE), ("new", OPEN), ("future", WAITING), ("done", SUBMITTED)]
    assert list(everyone) == ["old", "new", "done", "future"]
    assert STATES[0] == OVERDUE


def test_day_helpers_speak_the_calendar():
    assert end_of_day(D(2026, 3, 9), MSK) == msk_end(D(2026, 3, 9))
    assert local_day(T(2026, 3, 9, 21, 0), MSK) == D(2026, 3, 10)
