import datetime as dt
import random

import pytest

from crmtrain.rules import calendar as cl

# June 2024: Fri 31 May, Sat 1, Sun 2, Mon 3 ... Mon 10 (made a holiday here), Wed 12 (holiday).
CAL = {"timezone": "Europe/Moscow", "workdays": ["mon", "tue", "wed", "thu", "fri"],
       "opens": "09:00", "closes": "18:00", "holidays": ["2024-06-10", "2024-06-12"]}
SHOP = {"timezone": "Asia/Yekaterinburg", "workdays": ["mon", "tue", "wed", "thu", "fri", "sat"],
        "opens": "10:00", "closes": "19:30", "holidays": ["2024-06-12", "2024-06-13"]}
NONSTOP = {"timezone": "UTC", "workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
           "opens": "00:00", "closes": "23:59", "holidays": []}


def at(text):
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize("event, spec, expected", [
    ("2024-05-31 17:30", {"hours": 2}, "2024-06-03 10:30"),      # Friday evening -> Monday
    ("2024-06-01 12:00", {"minutes": 30}, "2024-06-03 09:30"),   # Saturday: clock starts Monday 09:00
    ("2024-06-01 12:00", {"hours": 1}, "2024-06-03 10:00"),
    ("2024-06-07 17:00", {"hours": 2}, "2024-06-11 10:00"),      # Monday 10th is a holiday -> Tuesday
    ("2024-06-03 18:00", {"hours": 1}, "2024-06-04 10:00"),      # exactly at closing: waits for opening
    ("2024-06-03 16:00", {"hours": 2}, "2024-06-03 18:00"),      # ends exactly at closing, same day
    ("2024-06-03 09:00", {"minutes": 1}, "2024-06-03 09:01"),    # exactly at opening
    ("2024-06-03 08:59", {"minutes": 1}, "2024-06-03 09:01"),
    ("2024-06-03 17:50", {"minutes": 30}, "2024-06-04 09:20"),   # crosses midnight
    ("2024-06-03 23:59", {"minutes": 15}, "2024-06-04 09:15"),
    ("2024-06-04 00:00", {"minutes": 15}, "2024-06-04 09:15"),
    ("2024-06-11 17:00", {"hours": 2}, "2024-06-13 10:00"),      # eve of the 12th holiday
    ("2024-06-03 10:00", {"hours": 9}, "2024-06-04 10:00"),      # a whole working day
    ("2024-06-03 10:00", {"hours": 45}, "2024-06-11 10:00"),     # five working days, holiday skipped
    ("2024-05-31 17:00", {"days": 1}, "2024-06-03 18:00"),       # Friday + 1 working day = Monday close
    ("2024-05-31 08:00", {"days": 1}, "2024-06-03 18:00"),       # time of day does not matter
    ("2024-06-01 12:00", {"days": 1}, "2024-06-03 18:00"),       # Saturday
    ("2024-06-07 12:00", {"days": 1}, "2024-06-11 18:00"),       # Monday holiday skipped
    ("2024-06-07 12:00", {"days": 3}, "2024-06-14 18:00"),       # Tue 11, Thu 13, Fri 14
    ("2024-06-03 10:00", {"minutes": None, "hours": None, "days": 2}, "2024-06-05 18:00"),
])
def test_worked_examples(event, spec, expected):
    assert cl.deadline(CAL, spec, at(event)) == at(expected)


def test_other_calendar_shapes():
    # Saturday is a working day in the shop, and it opens late.
    assert cl.deadline(SHOP, {"hours": 1}, at("2024-06-01 19:00")) == at("2024-06-03 10:30")
    assert cl.deadline(SHOP, {"minutes": 45}, at("2024-06-01 09:00")) == at("2024-06-01 10:45")
    assert cl.deadline(SHOP, {"days": 1}, at("2024-06-11 12:00")) == at("2024-06-14 19:30")
    assert cl.deadline(NONSTOP, {"minutes": 2}, at("2024-06-01 23:58")) == at("2024-06-02 00:01")
    assert cl.deadline(CAL, {"hours": 1}, "2024-06-03T09:30") == at("2024-06-03 10:30")


def test_working_day_and_opening():
    assert cl.is_working_day(CAL, "2024-06-03")
    assert not cl.is_working_day(CAL, dt.date(2024, 6, 1))    # Saturday
    assert not cl.is_working_day(CAL, "2024-06-10")           # holiday
    assert cl.is_working_day(CAL, at("2024-06-11 23:00"))
    assert cl.next_opening(CAL, at("2024-06-03 08:00")) == at("2024-06-03 09:00")
    assert cl.next_opening(CAL, at("2024-06-03 09:00")) == at("2024-06-03 09:00")
    assert cl.next_opening(CAL, at("2024-06-03 09:01")) == at("2024-06-04 09:00")
    assert cl.next_opening(CAL, at("2024-06-07 18:30")) == at("2024-06-11 09:00")
    assert cl.is_working_time(CAL, at("2024-06-03 09:00"))
    assert cl.is_working_time(CAL, at("2024-06-03 17:59"))
    assert not cl.is_working_time(CAL, at("2024-06-03 18:00"))
    assert not cl.is_working_time(CAL, at("2024-06-10 12:00"))


def test_bad_input():
    for bad in ({}, {"hours": 1, "days": 1}, {"hours": 0}, {"hours": -1}, {"hours": True},
                {"hours": 1.5}, {"weeks": 1}, {"hours": None}):
        with pytest.raises(ValueError):
            cl.deadline(CAL, bad, at("2024-06-03 10:00"))
    with pytest.raises(ValueError, match="earlier"):
        cl.deadline({**CAL, "opens": "18:00", "closes": "09:00"}, {"hours": 1}, at("2024-06-03 10:00"))
    with pytest.raises(ValueError, match="weekday"):
        cl.is_working_day({**CAL, "workdays": ["monday"]}, "2024-06-03")


def test_calendar_without_working_days_fails_fast():
    mondays = [dt.date(2024, 6, 3) + dt.timedelta(weeks=w) for w in range(4 * 53)]
    never = {**CAL, "workdays": ["mon"], "holidays": [d.isoformat() for d in mondays]}
    for call in (lambda: cl.deadline(never, {"hours": 1}, at("2024-06-03 10:00")),
                 lambda: cl.deadline(never, {"days": 1}, at("2024-06-03 10:00")),
                 lambda: cl.next_opening(never, at("2024-06-03 10:00")),
                 lambda: cl.random_event(never, random.Random(0), dt.date(2024, 6, 1))):
        with pytest.raises(ValueError, match="no working day"):
            call()


def test_describe_deadline():
    assert cl.describe_deadline({"minutes": 15, "hours": None, "days": None}) == "15 working minutes"
    assert cl.describe_deadline({"hours": 1}) == "1 working hour"
    assert cl.describe_deadline({"days": 2}) == "2 working days"

    def hours_ru(n):
        form = "час" if n % 10 == 1 and n % 100 != 11 else (
            "часа" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "часов")
        return f"{n} рабочих {form}" if n != 1 else "1 рабочий час"

    assert cl.describe_deadline({"hours": 2}, {"hours": hours_ru}) == "2 рабочих часа"
    assert cl.describe_deadline({"days": 5}, {"days": "{n} раб. дн."}) == "5 раб. дн."
    nouns = {"minutes": "рабочих минут", "hours": "рабочих часов", "hour": "рабочий час"}
    assert cl.describe_deadline({"hours": 1}, nouns) == "1 рабочий час"
    assert cl.describe_deadline({"hours": 8}, nouns) == "8 рабочих часов"
    assert cl.describe_deadline({"minutes": 1}, nouns) == "1 рабочих минут"  # no English 'minute'
    assert cl.describe_deadline({"days": 1}, nouns) == "1 working day"      # not translated at all


# --- property checks against a slow, obviously correct reference ---------------------------

def working_minute(cal, moment):
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return (days[moment.weekday()] in cal["workdays"]
            and moment.date().isoformat() not in cal["holidays"]
            and cal["opens"] <= moment.strftime("%H:%M") < cal["closes"])


def working_minutes_between(cal, start, end):
    """Step minute by minute; only the per-day part of the check is memoised, for speed."""
    opens, closes = dt.time.fromisoformat(cal["opens"]), dt.time.fromisoformat(cal["closes"])
    workday = {}
    count, moment, step = 0, start, dt.timedelta(minutes=1)
    while moment < end:
        day = moment.date()
        if day not in workday:
            workday[day] = working_minute(cal, dt.datetime.combine(day, opens))
        count += workday[day] and opens <= moment.time() < closes
        moment += step
    return count


@pytest.mark.parametrize("cal", [CAL, SHOP, NONSTOP], ids=["office", "shop", "nonstop"])
def test_minute_deadlines_match_reference(cal):
    for seed in range(150):
        rng = random.Random(seed)
        event = cl.random_event(cal, rng, dt.date(2024, 6, 1))
        unit, amount = rng.choice([("minutes", 1), ("minutes", 15), ("minutes", 59), ("hours", 1),
                                   ("hours", 2), ("hours", 9), ("hours", 10), ("minutes", 1200)])
        due = cl.deadline(cal, {unit: amount}, event)
        wanted = amount * (60 if unit == "hours" else 1)
        assert working_minutes_between(cal, event, due) == wanted, (event, unit, amount, due)
        # Due inside working time: the last counted minute is a working one.
        assert working_minute(cal, due - dt.timedelta(minutes=1)), (event, due)


@pytest.mark.parametrize("cal", [CAL, SHOP], ids=["office", "shop"])
def test_day_deadlines_match_reference(cal):
    for seed in range(150):
        rng = random.Random(seed)
        event = cl.random_event(cal, rng, dt.date(2024, 6, 1))
        days = rng.randint(1, 6)
        due = cl.deadline(cal, {"days": days}, event)
        assert due.strftime("%H:%M") == cal["closes"]
        assert cl.is_working_day(cal, due.date())
        between = [event.date() + dt.timedelta(days=i) for i in range(1, (due.date() - event.date()).days + 1)]
        assert sum(cl.is_working_day(cal, d) for d in between) == days


def test_random_events_cover_edge_cases():
    events = [cl.random_event(CAL, random.Random(seed), dt.date(2024, 6, 1)) for seed in range(400)]
    assert all(e.date() >= dt.date(2024, 6, 1) for e in events)
    times = {e.strftime("%H:%M") for e in events}
    assert {"09:00", "18:00"} <= times
    assert any("17:30" <= t < "18:00" for t in times)            # just before closing
    assert any(t < "09:00" for t in times) and any(t > "18:00" for t in times)
    assert any(e.weekday() >= 5 for e in events)                  # weekends
    assert any(e.date().isoformat() in CAL["holidays"] for e in events)
    assert any(e.date() == dt.date(2024, 6, 11) and e.strftime("%H:%M") >= "16:30" for e in events)  # eve
    assert any(e.weekday() == 4 and "16:30" <= e.strftime("%H:%M") < "18:00" for e in events)
    assert all(e.second == 0 and e.microsecond == 0 for e in events)
    again = [cl.random_event(CAL, random.Random(seed), dt.date(2024, 6, 1)) for seed in range(400)]
    assert again == events


# A shop that closes early on Friday, opens Saturday morning, and works one Sunday before New Year.
# 2027: Fri 24 Dec, Sat 25 (holiday), Sun 26 (worked), Mon 27.
SHORT_FRIDAY = {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat"], "opens": "09:00", "closes": "18:00",
                "hours": {"fri": {"opens": "09:00", "closes": "16:00"}, "sat": {"opens": "10:00", "closes": "14:00"}},
                "extra_workdays": ["2027-12-26"], "holidays": ["2027-12-25"]}


@pytest.mark.parametrize("event, spec, expected", [
    ("2027-12-16 15:30", {"hours": 1}, "2027-12-16 16:30"),     # Thursday: the usual hours
    ("2027-12-17 15:30", {"hours": 1}, "2027-12-18 10:30"),     # Friday closes at 16:00, Saturday opens at 10:00
    ("2027-12-17 16:00", {"minutes": 10}, "2027-12-18 10:10"),  # exactly at Friday's closing
    ("2027-12-18 13:30", {"hours": 1}, "2027-12-20 09:30"),     # Saturday closes at 14:00, no Sunday
    ("2027-12-17 10:00", {"days": 1}, "2027-12-18 14:00"),      # the next working day is Saturday: its closing
    ("2027-12-18 10:00", {"days": 1}, "2027-12-20 18:00"),
    ("2027-12-24 15:30", {"hours": 1}, "2027-12-26 09:30"),     # Saturday 25th a holiday, Sunday 26th worked
    ("2027-12-24 12:00", {"days": 1}, "2027-12-26 18:00"),
    ("2027-12-26 17:30", {"hours": 1}, "2027-12-27 09:30"),
])
def test_per_weekday_hours_and_an_extra_working_day(event, spec, expected):
    assert cl.deadline(SHORT_FRIDAY, spec, at(event)) == at(expected)


def test_working_hours_of_a_day():
    assert cl.working_hours(SHORT_FRIDAY, "2027-12-17") == (dt.time(9), dt.time(16))
    assert cl.working_hours(SHORT_FRIDAY, "2027-12-26") == (dt.time(9), dt.time(18))  # a Sunday, worked: the usual hours
    assert cl.working_hours(SHORT_FRIDAY, "2027-12-25") is None
    assert cl.working_hours(SHORT_FRIDAY, "2027-12-19") is None
    assert cl.is_working_time(SHORT_FRIDAY, at("2027-12-18 13:59"))
    assert not cl.is_working_time(SHORT_FRIDAY, at("2027-12-18 14:00"))
    assert cl.next_opening(SHORT_FRIDAY, at("2027-12-17 16:30")) == at("2027-12-18 10:00")


@pytest.mark.parametrize("event, spec, expected", [
    ("2024-05-31 17:30", {"calendar_hours": 24}, "2024-06-01 17:30"),  # runs through the weekend
    ("2024-06-01 12:00", {"calendar_hours": 1}, "2024-06-01 13:00"),
    ("2024-05-31 17:30", {"calendar_days": 1}, "2024-06-01 23:59"),    # the end of the next day, a Saturday
    ("2024-06-07 09:00", {"calendar_days": 3}, "2024-06-10 23:59"),    # the holiday on the 10th counts too
])
def test_calendar_time_ignores_the_calendar(event, spec, expected):
    assert cl.deadline(CAL, spec, at(event)) == at(expected)
    assert not cl.counts_working_time(spec)


def test_calendar_units_are_described():
    assert cl.describe_deadline({"calendar_days": 3}) == "3 calendar days"
    assert cl.describe_deadline({"calendar_hours": 1}) == "1 hour"


def test_drill_events_fall_on_extra_working_days_and_short_days():
    rng = random.Random(7)
    events = [cl.random_event(SHORT_FRIDAY, rng, "2027-12-13") for _ in range(600)]
    assert any(e.date() == dt.date(2027, 12, 26) and dt.time(9) <= e.time() < dt.time(18) for e in events)
    fridays = [e for e in events if e.weekday() == 4 and e.date() != dt.date(2027, 12, 24)]
    assert any(e.time() == dt.time(16) for e in fridays)  # "at closing" on a Friday is 16:00, not 18:00
    assert not any(e.time() == dt.time(18) for e in fridays)
