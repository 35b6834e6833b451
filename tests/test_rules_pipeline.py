import random

import pytest

from crmtrain.rules import pipeline as pl


def status(sid, terminal=False):
    return {"id": sid, "name": sid.title(), "description": "", "terminal": terminal}


def move(src, dst, *requires, note=""):
    return {"from": src, "to": dst, "requires": list(requires), "note": note}


PIPE = {
    "id": "deals", "title": "Deals", "body": "", "initial": "new",
    "fields": [{"id": "budget", "label": "Budget"}, {"id": "contract", "label": "Contract"},
               {"id": "reason", "label": "Loss reason"}],
    "statuses": [status("new"), status("qualified"), status("proposal"), status("won", True),
                 status("lost", True)],
    "transitions": [
        move("new", "qualified", "budget"),
        move("qualified", "proposal"),
        move("proposal", "won", "contract", "budget"),
        move("new", "lost", "reason"),
        move("qualified", "lost", "reason"),
        move("proposal", "lost", "reason"),
        move("proposal", "qualified", note="back to qualification"),
    ],
}


def test_transition_lookup():
    assert pl.transition(PIPE, "proposal", "won")["requires"] == ["contract", "budget"]
    assert pl.transition(PIPE, "won", "new") is None
    assert pl.transition(PIPE, "new", "proposal") is None
    assert pl.allowed_targets(PIPE, "proposal") == ["won", "lost", "qualified"]
    assert pl.allowed_targets(PIPE, "won") == []


def test_clean_pipeline_has_no_problems():
    assert pl.unknown_statuses(PIPE) == []
    assert pl.unknown_fields(PIPE) == []
    assert pl.unreachable_statuses(PIPE) == []


def test_reference_problems():
    broken = {**PIPE, "statuses": PIPE["statuses"] + [status("frozen")],
              "transitions": PIPE["transitions"] + [move("qualifed", "won", "contrat"), move("new", "archive")]}
    assert pl.unknown_statuses(broken) == [(7, "from", "qualifed"), (8, "to", "archive")]
    assert pl.unknown_fields(broken) == [(7, "contrat")]
    assert pl.unreachable_statuses(broken) == ["frozen"]
    assert pl.unreachable_statuses({**PIPE, "initial": "nope"}) == ["new", "qualified", "proposal", "won", "lost"]
    one_way = {**PIPE, "initial": "proposal"}
    assert pl.unreachable_statuses(one_way) == ["new"]


def test_random_cases_are_correct_and_balanced():
    cases = [pl.random_case(PIPE, random.Random(seed)) for seed in range(1000)]
    allowed = [c for c in cases if c["allowed"]]
    assert 400 <= len(allowed) <= 600
    for c in cases:
        t = pl.transition(PIPE, c["from"], c["to"])
        assert (t is not None) == c["allowed"]
        assert c["requires"] == (t["requires"] if t else [])
        assert c["from"] != c["to"]
        assert c["from"] not in ("won", "lost")  # closed deals have no way out here
    assert {(c["from"], c["to"]) for c in allowed} == {(t["from"], t["to"]) for t in PIPE["transitions"]}
    assert {(c["from"], c["to"]) for c in cases if not c["allowed"]} == {
        ("new", "proposal"), ("new", "won"), ("qualified", "new"), ("qualified", "won"), ("proposal", "new")}
    assert pl.random_case(PIPE, random.Random(9)) == pl.random_case(PIPE, random.Random(9))


def test_terminal_status_with_reopen_transition_is_asked_about():
    reopen = {**PIPE, "transitions": PIPE["transitions"] + [move("lost", "qualified", note="client came back")]}
    sources = {pl.random_case(reopen, random.Random(s))["from"] for s in range(600)}
    assert "lost" in sources and "won" not in sources
    lost_cases = [c for s in range(600) if (c := pl.random_case(reopen, random.Random(s)))["from"] == "lost"]
    assert {c["allowed"] for c in lost_cases} == {True, False}


def test_degenerate_pipelines():
    complete = {"initial": "a", "fields": [], "statuses": [status("a"), status("b")],
                "transitions": [move("a", "b"), move("b", "a")]}
    assert all(pl.random_case(complete, random.Random(s))["allowed"] for s in range(20))
    only_broken = {"initial": "a", "fields": [], "statuses": [status("a", True), status("b", True)],
                   "transitions": [move("a", "zzz")]}
    with pytest.raises(ValueError):
        pl.random_case(only_broken, random.Random(0))
