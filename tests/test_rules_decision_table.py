import itertools
import random

import pytest

from crmtrain.rules import conditions as cd
from crmtrain.rules import decision_table as dt

BUDGET = {"name": "budget", "label": "Budget", "type": "number", "values": [], "value_labels": {},
          "min": 0.0, "max": None, "unit": "RUB"}
SOURCE = {"name": "source", "label": "Source", "type": "choice", "values": ["website", "call", "partner"],
          "value_labels": {"website": "Website", "partner": "Partner"}, "min": None, "max": None, "unit": ""}
REPEAT = {"name": "repeat", "label": "Repeat client", "type": "bool", "values": [], "value_labels": {},
          "min": None, "max": None, "unit": ""}


def rule(rid, then, **when):
    return {"id": rid, "when": when, "then": then, "note": ""}


def table(criteria, rules):
    return {"id": "leads", "title": "Leads", "body": "", "criteria": criteria,
            "classes": [{"id": c, "name": c, "description": "", "action": ""} for c in ("A", "B", "C")],
            "rules": rules}


# The table the drills are mostly about: a fully covering, realistic one.
MAIN = table([BUDGET, SOURCE, REPEAT], [
    rule("hot", "A", budget=">= 500000", repeat=True),
    rule("big", "A", budget=">= 500000"),
    rule("mid-partner", "B", budget="100000..500000", source=["partner", "website"]),
    rule("mid", "C", budget="100000..500000"),
    rule("small", "C", budget="< 100000"),
])


def reference_class(lead):
    """Hand-written evaluation of MAIN, independent of the parser."""
    b, s, r = lead["budget"], lead["source"], lead["repeat"]
    if b >= 500000 and r is True:
        return "hot"
    if b >= 500000:
        return "big"
    if 100000 <= b < 500000 and s in ("partner", "website"):
        return "mid-partner"
    if 100000 <= b < 500000:
        return "mid"
    if b < 100000:
        return "small"
    return None


@pytest.mark.parametrize("text, inside, outside", [
    (">= 100", [100, 100.5, 1e9], [99, 99.99]),
    ("> 100", [100.01, 101], [100, 0]),
    ("<= 100", [100, -5], [100.01]),
    ("< 100", [99.99, -1], [100, 101]),
    ("== 100", [100, 100.0], [99, 101]),
    ("= 100", [100], [101]),
    ("100..500", [100, 499, 499.99], [99, 500, 501]),
    ("  100 .. 500 ", [100], [500]),
    ("≥ 500 000", [500000], [499999]),
    ("500_000..1 000 000", [500000, 999999], [1000000]),
    ("-5..5", [-5, 0, 4], [5, -6]),
    ("1.5..2.5", [1.5, 2], [2.5, 1]),
    ("100", [100], [101]),
    (100, [100], [100.5]),
    (2.5, [2.5], [2]),
])
def test_number_conditions(text, inside, outside):
    cond = cd.parse_condition(BUDGET, text)
    assert all(cond.test(v) for v in inside)
    assert not any(cond.test(v) for v in outside)
    assert not cond.test(None) and not cond.test("100") and not cond.test(True)


@pytest.mark.parametrize("bad", [">= ten", "abc", ">=", "100..", "..5", [">= 5"], True, None, "nan", "≥≥ 5"])
def test_bad_number_conditions(bad):
    with pytest.raises(ValueError, match="as a number condition; use e.g. '>= 100000' or '100000..500000'"):
        cd.parse_condition(BUDGET, bad)


def test_bad_number_condition_message():
    with pytest.raises(ValueError) as err:
        cd.parse_condition(BUDGET, ">= ten")
    assert str(err.value) == ("cannot read '>= ten' as a number condition; "
                              "use e.g. '>= 100000' or '100000..500000'")
    with pytest.raises(ValueError, match="empty range.*'100..500'"):
        cd.parse_condition(BUDGET, "500..100")
    with pytest.raises(ValueError, match="empty range.*'== 7'"):
        cd.parse_condition(BUDGET, "7..7")


def test_choice_and_bool_conditions():
    one = cd.parse_condition(SOURCE, "call")
    assert one.test("call") and not one.test("website") and not one.test(None)
    many = cd.parse_condition(SOURCE, ["website", "partner"])
    assert many.test("partner") and not many.test("call")
    with pytest.raises(ValueError) as err:
        cd.parse_condition(SOURCE, "abc")
    assert str(err.value) == "'abc' is not one of website, call, partner"
    with pytest.raises(ValueError, match="'fax' is not one of"):
        cd.parse_condition(SOURCE, ["call", "fax"])
    with pytest.raises(ValueError, match="empty list"):
        cd.parse_condition(SOURCE, [])
    yes, no = cd.parse_condition(REPEAT, True), cd.parse_condition(REPEAT, False)
    assert yes.test(True) and not yes.test(False) and not yes.test(1) and not yes.test(None)
    assert no.test(False) and not no.test(True) and not no.test(0)
    assert cd.parse_condition(REPEAT, "yes").flag is True
    with pytest.raises(ValueError, match="yes/no"):
        cd.parse_condition(REPEAT, "maybe")
    with pytest.raises(ValueError, match="yes/no"):
        cd.parse_condition(REPEAT, 1)


def test_classify_first_match_wins_and_missing_criterion_means_any():
    assert dt.classify(MAIN, {"budget": 700000, "source": "call", "repeat": True})["id"] == "hot"
    assert dt.classify(MAIN, {"budget": 500000, "source": "call", "repeat": False})["id"] == "big"
    assert dt.classify(MAIN, {"budget": 499999, "source": "partner", "repeat": True})["id"] == "mid-partner"
    assert dt.classify(MAIN, {"budget": 100000, "source": "call", "repeat": True})["id"] == "mid"
    assert dt.classify(MAIN, {"budget": 99999, "source": "call", "repeat": True})["id"] == "small"
    assert dt.classify(MAIN, {"budget": 0, "source": "website", "repeat": False})["then"] == "C"
    assert dt.matches(MAIN, MAIN["rules"][1], {"budget": 600000})
    assert not dt.matches(MAIN, MAIN["rules"][0], {"budget": 600000})  # 'repeat' missing from lead
    with pytest.raises(ValueError, match="unknown criterion 'region'"):
        dt.matches(MAIN, rule("x", "A", region="north"), {})


def test_cells_cover_boundaries_and_interiors():
    t = table([{**BUDGET, "max": 1000.0}], [rule("a", "A", budget="< 100"), rule("b", "B", budget="100..500"),
                                           rule("c", "C", budget=">= 500")])
    assert [c["budget"] for c in dt.cells(t)] == [0, 50, 100, 300, 500, 750, 1000]
    open_ended = table([{**BUDGET, "min": None}], [rule("a", "A", budget="> 10")])
    values = [c["budget"] for c in dt.cells(open_ended)]
    assert values[1] == 10 and values[0] < 10 < values[2]
    assert len(dt.cells(MAIN)) == 6 * 3 * 2  # 0, (0,100k), 100k, (100k,500k), 500k, (500k,..)
    assert {(c["source"], c["repeat"]) for c in dt.cells(MAIN)} == set(
        itertools.product(SOURCE["values"], [True, False]))


def test_numeric_gap_found_at_150():
    t = table([{**BUDGET, "min": None}], [rule("low", "A", budget="< 100"), rule("high", "B", budget=">= 200")])
    found = [g["budget"] for g in dt.gaps(t)]
    assert found == [100, 150]
    assert dt.classify(t, {"budget": 150}) is None
    assert dt.shadowed(t) == []


def test_choice_and_bool_gaps():
    t = table([SOURCE, REPEAT], [rule("w", "A", source="website"), rule("r", "B", repeat=True)])
    assert dt.gaps(t) == [{"source": "call", "repeat": False}, {"source": "partner", "repeat": False}]
    assert dt.gaps(MAIN) == []


def test_shadowed_by_earlier_broader_rule():
    t = table([BUDGET, SOURCE], [
        rule("any-big", "A", budget=">= 100"),
        rule("big-partner", "B", budget=">= 500", source="partner"),   # inside any-big
        rule("rest", "C"),
        rule("after-catch-all", "A", source="call"),
    ])
    assert dt.shadowed(t) == ["big-partner", "after-catch-all"]
    assert dt.shadowed(MAIN) == []
    # Partly covered is not shadowed: 'mid' still wins for calls.
    assert "mid" not in dt.shadowed(MAIN)


def test_rule_outside_min_max_is_shadowed():
    t = table([{**BUDGET, "max": 1000.0}], [rule("huge", "A", budget="> 1000"), rule("rest", "B")])
    assert dt.shadowed(t) == ["huge"]
    eq = table([{**BUDGET, "max": 1000.0}], [rule("exact", "A", budget=1000), rule("rest", "B")])
    assert dt.shadowed(eq) == [] and {"budget": 1000} in dt.cells(eq)


def test_random_leads_match_reference_and_hit_edges():
    rng = random.Random(2024)
    leads = [dt.random_lead(MAIN, rng) for _ in range(500)]
    for lead in leads:
        got = dt.classify(MAIN, lead)
        assert (got and got["id"]) == reference_class(lead), lead
    hit = {dt.classify(MAIN, lead)["id"] for lead in leads}
    assert hit == {r["id"] for r in MAIN["rules"]}
    budgets = {lead["budget"] for lead in leads}
    assert {0, 100000, 500000} <= budgets           # exactly on boundaries
    assert {99999, 100001, 499999, 500001} <= budgets  # just either side of them
    assert all(b >= 0 for b in budgets)             # respects min


def test_random_lead_is_deterministic_and_reaches_gaps():
    first = [dt.random_lead(MAIN, random.Random(7)) for _ in range(3)]
    assert first == [dt.random_lead(MAIN, random.Random(7)) for _ in range(3)]
    gappy = table([{**BUDGET, "min": None}], [rule("low", "A", budget="< 100"), rule("high", "B", budget=">= 200")])
    rng = random.Random(1)
    results = [dt.classify(gappy, dt.random_lead(gappy, rng)) for _ in range(300)]
    assert any(r is None for r in results) and {"low", "high"} <= {r["id"] for r in results if r}


def _random_condition(criterion, rng):
    if criterion["type"] == "bool":
        return rng.choice([True, False])
    if criterion["type"] == "choice":
        return rng.sample(criterion["values"], rng.randint(1, 2))
    a, b = sorted(rng.sample(range(0, 50, 5), 2))
    return rng.choice([f">= {a}", f"> {a}", f"<= {a}", f"< {a}", f"== {a}", a, f"{a}..{b}"])


def test_cells_are_exhaustive_on_random_tables():
    """Any lead's first match is some cell's first match, and an unmatched lead implies a gap."""
    crit = [{**BUDGET, "min": None}, SOURCE, REPEAT]
    rng = random.Random(5)
    for _ in range(150):
        rules = [rule(f"r{i}", "A", **{c["name"]: _random_condition(c, rng) for c in crit if rng.random() < 0.6})
                 for i in range(rng.randint(1, 5))]
        t = table(crit, rules)
        winners = {(dt.classify(t, c) or {}).get("id") for c in dt.cells(t)}
        assert set(dt.shadowed(t)) == {r["id"] for r in rules} - winners
        for _ in range(60):
            lead = {"budget": rng.choice([rng.randint(-10, 60), rng.randint(-10, 60) + 0.5]),
                    "source": rng.choice(SOURCE["values"]), "repeat": rng.choice([True, False])}
            got = dt.classify(t, lead)
            brute = next((r for r in rules if dt.matches(t, r, lead)), None)
            assert got == brute
            assert (got or {}).get("id") in winners
            if got is None:
                assert dt.gaps(t)


def test_describe_condition():
    assert cd.describe_condition(BUDGET, ">= 500000") == "≥ 500 000"
    assert cd.describe_condition(BUDGET, "< 100000") == "< 100 000"
    assert cd.describe_condition(BUDGET, 5) == "= 5"
    assert cd.describe_condition(BUDGET, "1.5..2.5") == "1.5 ≤ x < 2.5"
    assert cd.describe_condition(BUDGET, "100000..500000") == "100 000 ≤ x < 500 000"
    assert cd.describe_condition(SOURCE, ["website", "partner"]) == "Website or Partner"
    assert cd.describe_condition(SOURCE, ["website", "call", "partner"]) == "Website, call or Partner"
    assert cd.describe_condition(SOURCE, "call") == "call"
    assert cd.describe_condition(REPEAT, True) == "yes"
    assert cd.describe_condition(REPEAT, False) == "no"
    assert cd.describe_condition(REPEAT, None) == "any"
    ru = {"yes": "да", "no": "нет", "any": "любой", "or": "или", "range": "от {low} до {high}",
          "thousands": "\u00a0", "decimal": ","}
    assert cd.describe_condition(REPEAT, True, ru) == "да"
    assert cd.describe_condition(SOURCE, ["call", "partner"], ru) == "call или Partner"
    assert cd.describe_condition(BUDGET, "1000.5..2000", ru) == "от 1\u00a0000,5 до 2\u00a0000"
    assert cd.describe_condition(BUDGET, cd.parse_condition(BUDGET, "> 7")) == "> 7"


def test_oversized_table_is_refused_not_hung():
    crit = [{**BUDGET, "name": f"n{i}", "min": None} for i in range(6)]
    rules = [rule(f"r{i}", "A", **{c["name"]: f"{k}..{k + 1}" for c in crit}) for i, k in enumerate(range(0, 20, 2))]
    with pytest.raises(ValueError, match="combinations"):
        dt.gaps(table(crit, rules))
