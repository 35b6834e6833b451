import random

import pytest

from crmtrain.rules import processes as pr


def step(sid, kind, next=None, branches=(), label=None):
    return {"id": sid, "kind": kind, "label": label or sid, "role": "", "instructions": "",
            "next": next, "branches": [{"label": lab, "next": nxt} for lab, nxt in branches]}


def process(*steps):
    return {"id": "p", "title": "P", "description": "", "steps": list(steps)}


# Order handling: a payment check that can loop back to a reminder.
ORDER = process(
    step("new", "start", "check"),
    step("check", "action", "paid?"),
    step("paid?", "decision", branches=[("Yes", "ship"), ("No", "remind")]),
    step("remind", "action", "wait?"),
    step("wait?", "decision", branches=[("Paid later", "ship"), ("Still waiting", "check"), ("Refused", "cancel")]),
    step("ship", "action", "done"),
    step("done", "end"),
    step("cancel", "end"),
)


def test_successors_and_next_step():
    assert pr.successors(ORDER, "new") == [(None, "check")]
    assert pr.successors(ORDER, "paid?") == [("Yes", "ship"), ("No", "remind")]
    assert pr.successors(ORDER, "done") == []
    assert pr.next_step(ORDER, "check") == "paid?"
    assert pr.next_step(ORDER, "wait?", "Refused") == "cancel"
    assert pr.next_step(ORDER, "wait?", "  still WAITING ") == "check"
    with pytest.raises(ValueError, match="'Paid later', 'Still waiting', 'Refused'"):
        pr.next_step(ORDER, "wait?", "Maybe")
    with pytest.raises(ValueError, match="decision"):
        pr.next_step(ORDER, "paid?")
    with pytest.raises(ValueError, match="end step"):
        pr.next_step(ORDER, "done")
    with pytest.raises(KeyError):
        pr.successors(ORDER, "nope")


def test_valid_process_has_no_problems():
    assert pr.starts(ORDER) == ["new"]
    assert pr.unknown_targets(ORDER) == []
    assert pr.unreachable(ORDER) == []
    assert pr.dead_ends(ORDER) == []


def test_reference_and_reachability_problems():
    broken = process(
        step("s", "start", "a"),
        step("a", "action", "typo"),
        step("d", "decision", branches=[("x", "e"), ("y", "ghost")]),
        step("loop1", "action", "loop2"),
        step("loop2", "action", "loop1"),
        step("e", "end"),
    )
    assert pr.unknown_targets(broken) == [("a", None, "typo"), ("d", 1, "ghost")]
    assert pr.unreachable(broken) == ["d", "loop1", "loop2", "e"]
    assert pr.dead_ends(broken) == ["s", "a", "loop1", "loop2"]
    no_start = process(step("a", "action", "e"), step("e", "end"))
    assert pr.starts(no_start) == [] and pr.unreachable(no_start) == ["a", "e"]
    with pytest.raises(ValueError, match="no start"):
        pr.ordering(no_start)


def test_loop_without_exit_is_dead_end_but_loop_with_exit_is_not():
    p = process(
        step("s", "start", "d"),
        step("d", "decision", branches=[("again", "a"), ("stop", "e")]),
        step("a", "action", "d"),
        step("trap", "decision", branches=[("l", "trap2"), ("r", "trap2")]),
        step("trap2", "action", "trap"),
        step("e", "end"),
    )
    assert pr.dead_ends(p) == ["trap", "trap2"]
    assert pr.unreachable(p) == ["trap", "trap2"]


def test_ordering_follows_first_branches_and_avoids_loops():
    assert pr.ordering(ORDER) == ["new", "check", "paid?", "ship", "done"]
    # The first branch loops back, so the path takes the next one.
    looping = process(
        step("s", "start", "a"),
        step("a", "action", "d"),
        step("d", "decision", branches=[("retry", "a"), ("ok", "b")]),
        step("b", "action", "e"),
        step("e", "end"),
    )
    assert pr.ordering(looping) == ["s", "a", "d", "b", "e"]
    # The first branch leads into a dead loop: backtrack and use the branch that ends.
    trap = process(
        step("s", "start", "d"),
        step("d", "decision", branches=[("bad", "x"), ("good", "e")]),
        step("x", "action", "y"),
        step("y", "action", "x"),
        step("e", "end"),
    )
    assert pr.ordering(trap) == ["s", "d", "e"]
    endless = process(step("s", "start", "a"), step("a", "action", "s"))
    assert pr.ordering(endless) == ["s", "a"]


def test_random_cases_are_valid():
    seen_steps, seen_branches = set(), set()
    for seed in range(400):
        case = pr.random_case(ORDER, random.Random(seed))
        assert case["step"] not in ("done", "cancel")
        assert case["answer"] == pr.next_step(ORDER, case["step"], case["branch"])
        assert case["answer"] in case["options"]
        assert 3 <= len(case["options"]) <= 4
        assert len(set(case["options"])) == len(case["options"])
        assert all(o in {s["id"] for s in ORDER["steps"]} for o in case["options"])
        seen_steps.add(case["step"])
        seen_branches.add((case["step"], case["branch"]))
    assert seen_steps == {"new", "check", "paid?", "remind", "wait?", "ship"}
    assert len(seen_branches) == 9
    assert pr.random_case(ORDER, random.Random(3)) == pr.random_case(ORDER, random.Random(3))


def test_random_case_options_are_shuffled():
    positions = {pr.random_case(ORDER, random.Random(s))["options"].index(
        pr.random_case(ORDER, random.Random(s))["answer"]) for s in range(100)}
    assert positions == {0, 1, 2, 3}


def test_random_case_on_tiny_and_broken_processes():
    tiny = process(step("s", "start", "e"), step("e", "end"))
    case = pr.random_case(tiny, random.Random(0))
    assert case["step"] == "s" and case["answer"] == "e" and sorted(case["options"]) == ["e", "s"]
    three = process(step("s", "start", "a"), step("a", "action", "e"), step("e", "end"))
    for seed in range(20):
        case = pr.random_case(three, random.Random(seed))
        assert len(case["options"]) == 3 and case["answer"] in case["options"]
    broken = process(step("s", "start", "ghost"), step("e", "end"))
    with pytest.raises(ValueError):
        pr.random_case(broken, random.Random(0))
