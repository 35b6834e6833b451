"""Rule-generated cases: each trainee's case is drawn from a seed, graded by the rules, and hides its key."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from crmtrain.kinds.drills import DRILL_KINDS
from crmtrain.regulation.loader import load
from crmtrain.rules import calendar, cases, decision_table, pipeline, processes
from crmtrain.samples import SAMPLES, sample_path

DRAWS = 120
START = dt.date(2027, 2, 1)
# What a case may hold: what the trainee sees, never the answer or anything it is computed from.
MEMBERS = {"lead": {"lead", "options"}, "pipeline": {"pipeline", "from", "to", "fields"},
           "process": {"process", "step", "branch", "options"}, "callback": {"rule", "event", "options"}}


def sample_specs(reg) -> dict:
    """Each kind's spec, as an assessment slot passes it (process, pipeline: a list of them)."""
    cw = reg.client_work
    return {"lead": cw.lead_classification.model_dump(mode="json"),
            "pipeline": [p.model_dump(mode="json", by_alias=True) for p in cw.deal_pipelines],
            "process": [p.model_dump(mode="json") for p in reg.order_processing.processes],
            "callback": cw.contact_timing.model_dump(mode="json")}


@pytest.fixture(scope="module", params=list(SAMPLES))
def specs(request):
    return sample_specs(load(sample_path(request.param)))


def wrong_answers(kind: str, case: dict, key) -> list:
    """Every other answer the case's inputs let a trainee give (pipeline: the near misses)."""
    if kind != "pipeline":
        return [o for o in case["options"] if o != key]
    if key == ["not-allowed"]:
        return [["allowed", *fields] for fields in ([], case["fields"][:1], case["fields"])]
    misses = [["not-allowed"], ["allowed", *key[1:], *[f for f in case["fields"] if f not in key][:1]]]
    return [m for m in misses if m != key] + ([["allowed", *key[2:]]] if len(key) > 1 else [])


def test_every_kind_has_case_rules_and_a_topic():
    assert set(cases.CASES) == set(DRILL_KINDS)
    assert {k.name: k.topic for k in DRILL_KINDS.values()} == {
        "lead": "sales", "pipeline": "sales", "process": "processes", "callback": "sales"}


@pytest.mark.parametrize("kind", list(DRILL_KINDS))
def test_a_case_is_json_hides_its_key_and_only_the_key_is_right(specs, kind):
    spec = specs[kind]
    for seed in range(DRAWS):
        case = cases.new_case(kind, spec, random.Random(seed), START)
        assert json.loads(json.dumps(case)) == case
        assert set(case) == MEMBERS[kind]
        key = cases.case_key(kind, spec, case)
        assert key is not None, "an assessment never asks a case the rules cannot answer"
        if kind == "pipeline":
            assert set(key[1:]) <= set(case["fields"])
        else:
            assert key in case["options"] and len(set(case["options"])) == len(case["options"]) >= 2
        assert cases.grade_case(kind, spec, case, key) is True
        for wrong in wrong_answers(kind, case, key):
            assert cases.grade_case(kind, spec, case, wrong) is False, (case, wrong)


@pytest.mark.parametrize("kind", list(DRILL_KINDS))
def test_the_same_seed_and_start_give_the_same_case_whatever_the_day(specs, kind):
    drawn = [cases.new_case(kind, specs[kind], random.Random(f"t{i}"), "2027-02-01") for i in range(30)]
    again = [cases.new_case(kind, specs[kind], random.Random(f"t{i}"), START) for i in range(30)]
    assert drawn == again
    assert len({json.dumps(c, sort_keys=True) for c in drawn}) > 5, "different trainees get different cases"


def test_the_keys_agree_with_the_rule_engines(specs):
    for seed in range(DRAWS):
        rng = random.Random(seed)
        lead = cases.new_case("lead", specs["lead"], rng, START)
        assert cases.case_key("lead", specs["lead"], lead) == decision_table.classify(specs["lead"], lead["lead"])["then"]
        move = cases.new_case("pipeline", specs["pipeline"], rng, START)
        pl = next(p for p in specs["pipeline"] if p["id"] == move["pipeline"])
        t = pipeline.transition(pl, move["from"], move["to"])
        assert cases.case_key("pipeline", specs["pipeline"], move) == (
            ["not-allowed"] if t is None else ["allowed", *sorted(t["requires"])])
        step = cases.new_case("process", specs["process"], rng, START)
        process = next(p for p in specs["process"] if p["id"] == step["process"])
        assert cases.case_key("process", specs["process"], step) == processes.next_step(process, step["step"], step["branch"])
        call = cases.new_case("callback", specs["callback"], rng, START)
        rule = next(r for r in specs["callback"]["rules"] if r["id"] == call["rule"])
        deadline = calendar.deadline(specs["callback"]["calendar"], rule["deadline"], call["event"])
        assert cases.case_key("callback", specs["callback"], call) == deadline.strftime("%Y-%m-%dT%H:%M")
        assert START <= dt.date.fromisoformat(call["event"][:10]) <= START + dt.timedelta(days=400)


def test_every_process_of_a_drawn_slot_is_asked(specs):
    asked = {cases.new_case("process", specs["process"], random.Random(s), START)["process"] for s in range(DRAWS)}
    assert asked == {p["id"] for p in specs["process"]}


def test_a_lead_table_with_a_gap_never_gives_an_assessment_an_unanswerable_case():
    table = {"criteria": [{"name": "budget", "label": "Budget", "type": "number", "min": 0}],
             "classes": [{"id": "big", "name": "Big"}, {"id": "small", "name": "Small"}],
             "rules": [{"id": "r1", "when": {"budget": ">= 100"}, "then": "big"},
                       {"id": "r2", "when": {"budget": "< 10"}, "then": "small"}]}  # 10..99: a gap
    drill = [cases.new_case("lead", table, random.Random(s), START, gaps=True) for s in range(300)]
    assert any(cases.case_key("lead", table, c) is None for c in drill), "a workbook drill may show the gap"
    assessed = [cases.new_case("lead", table, random.Random(s), START) for s in range(300)]
    assert all(cases.case_key("lead", table, c) in ("big", "small") for c in assessed)
    gap_only = {**table, "rules": []}
    with pytest.raises(ValueError, match="no rule of the lead table covers the leads drawn"):
        cases.new_case("lead", gap_only, random.Random(1), START)


def test_a_pipeline_answer_is_graded_by_its_fields_not_their_order():
    spec = [{"id": "deals", "statuses": [{"id": "new", "name": "New"}, {"id": "won", "name": "Won", "terminal": True}],
             "fields": [{"id": "budget", "label": "Budget"}, {"id": "contract", "label": "Contract"}],
             "transitions": [{"from": "new", "to": "won", "requires": ["contract", "budget"]}]}]
    case = {"pipeline": "deals", "from": "new", "to": "won", "fields": ["budget", "contract"]}
    assert cases.case_key("pipeline", spec, case) == ["allowed", "budget", "contract"]
    assert cases.grade_case("pipeline", spec, case, ["allowed", "contract", "budget", "budget"])
    assert not cases.grade_case("pipeline", spec, case, ["allowed", "contract"])
    back = {"pipeline": "deals", "from": "won", "to": "new", "fields": ["budget", "contract"]}
    # Boxes ticked before choosing "not allowed" do not count against it.
    assert cases.grade_case("pipeline", spec, back, ["not-allowed", "budget"])


@pytest.mark.parametrize("kind, answer", [
    ("lead", None), ("lead", 3), ("lead", ["class-a"]), ("process", {"step": "x"}), ("callback", True),
    ("pipeline", None), ("pipeline", []), ("pipeline", "allowed"), ("pipeline", ["maybe"]), ("pipeline", [True]),
])
def test_answers_of_the_wrong_shape_are_simply_wrong(specs, kind, answer):
    case = cases.new_case(kind, specs[kind], random.Random(5), START)
    assert cases.grade_case(kind, specs[kind], case, answer) is False


@pytest.mark.parametrize("call, message", [
    (lambda s: cases.new_case("quiz", s["lead"], random.Random(1), START), "unknown case kind 'quiz'; the kinds are lead"),
    (lambda s: cases.case_key("deal", s["lead"], {}), "unknown case kind 'deal'"),
    (lambda s: cases.new_case("callback", s["callback"], random.Random(1), "1 Feb 2027"), "Invalid isoformat"),
])
def test_bad_calls_say_what_is_wrong(specs, call, message):
    with pytest.raises(ValueError, match=message):
        call(specs)


def test_random_guess_scores_by_hand():
    three_classes = {"classes": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    assert cases.guess("lead", three_classes) == pytest.approx(1 / 3)
    assert cases.guess("callback", {"rules": []}) == 0.25
    # Both kinds of move exist: half the cases are allowed (1/2 verdict x 1/4 field subsets), half not (1/2).
    spec = {"id": "p", "statuses": [{"id": "a"}, {"id": "b"}], "fields": [{"id": "x"}, {"id": "y"}],
            "transitions": [{"from": "a", "to": "b", "requires": ["x"]}]}
    assert cases.guess("pipeline", [spec]) == pytest.approx(0.5 * 0.5 * 0.25 + 0.5 * 0.5)
    # Two pipelines: the mean of theirs (a trainee's pipeline is drawn uniformly); every move allowed: 1/2 x 1/4.
    only_back = {**spec, "id": "q", "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}]}
    assert cases.guess("pipeline", [spec, only_back]) == pytest.approx((0.5 * 0.5 * 0.25 + 0.5 * 0.5 + 0.5 * 0.25) / 2)
    # Three steps in a line: two questions, each with the other two steps as the only wrong options.
    line = [{"id": "p", "steps": [{"id": "s", "kind": "start", "next": "m"}, {"id": "m", "kind": "action", "next": "e"},
                                  {"id": "e", "kind": "end"}]}]
    assert cases.guess("process", line) == pytest.approx(1 / 3)


@pytest.mark.parametrize("kind", ["process", "pipeline"])
def test_the_guess_score_is_what_random_clicking_earns(specs, kind):
    """Over many drawn cases, answering at random scores the guess fraction on average."""
    spec, rng, earned, n = specs[kind], random.Random(99), 0, 4000
    for seed in range(n):
        case = cases.new_case(kind, spec, random.Random(seed), START)
        if kind == "process":
            answer = rng.choice(case["options"])
        elif rng.random() < 0.5:
            answer = ["not-allowed"]
        else:
            answer = ["allowed", *[f for f in case["fields"] if rng.random() < 0.5]]
        earned += cases.grade_case(kind, spec, case, answer)
    assert earned / n == pytest.approx(cases.guess(kind, spec), abs=0.03)


def test_a_trainee_meets_the_same_process_in_both_assessments_with_a_fresh_step():
    from crmtrain.notebooks.sections import drill_of
    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path

    reg = load(sample_path("en"))
    spec = [drill_of("process", p)[1] for p in reg.order_processing.processes]
    where = {"course": "crm-training", "slot": "next-step"}
    seen_processes, fresh = set(), 0
    for i in range(40):
        trainee = f"trainee-{i:02d}"
        first = cases.trainee_case("process", spec, "2027-01-11", assessment="initial", trainee=trainee, **where)
        later = cases.trainee_case("process", spec, "2027-01-11", assessment="followup", trainee=trainee, **where)
        assert first["process"] == later["process"]
        seen_processes.add(first["process"])
        fresh += (first["step"], first["branch"]) != (later["step"], later["branch"])
    assert len(seen_processes) == len(spec)  # every process is somebody's
    assert fresh > 20  # mostly another step of it


# --- regulations nobody wrote by hand: small random specs of every kind ------------------------

def random_lead_table(rng: random.Random) -> dict:
    criteria = [{"name": "budget", "label": "Budget", "type": "number", "min": 0, "unit": "RUB"},
                {"name": "decides", "label": "Decides", "type": "bool"},
                {"name": "source", "label": "Source", "type": "choice", "values": ["web", "call", "fair"]}]
    classes = [{"id": f"c{i}", "name": f"Class {i}"} for i in range(rng.randint(2, 5))]
    rules = []
    for i in range(rng.randint(1, 5)):
        when = {}
        if rng.random() < 0.7:
            when["budget"] = rng.choice([f">= {rng.randrange(1, 50) * 1000}", f"< {rng.randrange(1, 50) * 1000}",
                                         f"{rng.randrange(1, 10) * 1000}..{rng.randrange(10, 90) * 1000}"])
        if rng.random() < 0.5:
            when["decides"] = rng.choice(["yes", "no"])
        if rng.random() < 0.4:
            when["source"] = rng.sample(["web", "call", "fair"], rng.randint(1, 2))
        rules.append({"id": f"r{i}", "when": when, "then": rng.choice(classes)["id"]})
    rules.append({"id": "rest", "when": {}, "then": classes[-1]["id"]})  # the catch-all a real table ends with
    return {"criteria": criteria, "classes": classes, "rules": rules}


def random_pipeline(rng: random.Random) -> dict:
    statuses = [{"id": f"s{i}", "name": f"Status {i}", "terminal": i >= 3 and rng.random() < 0.5}
                for i in range(rng.randint(2, 7))]
    fields = [{"id": f"f{i}", "label": f"Field {i}"} for i in range(rng.randint(0, 5))]
    ids = [s["id"] for s in statuses]
    transitions = [{"from": a, "to": b, "requires": rng.sample([f["id"] for f in fields], rng.randint(0, len(fields)))}
                   for a in ids for b in ids if a != b and rng.random() < 0.4]
    transitions = transitions or [{"from": ids[0], "to": ids[1], "requires": []}]
    return {"id": f"pl{rng.randrange(1000)}", "statuses": statuses, "fields": fields, "transitions": transitions,
            "initial": ids[0]}


def random_process(rng: random.Random, pid: str) -> dict:
    n = rng.randint(2, 9)
    steps = [{"id": f"{pid}-{i}", "label": f"Step {i}", "kind": "action"} for i in range(n)]
    steps[0]["kind"], steps[-1]["kind"] = "start", "end"
    for i, step in enumerate(steps[:-1]):
        ahead = [s["id"] for s in steps[i + 1:]]
        if step["kind"] == "action" and len(ahead) >= 2 and rng.random() < 0.4:
            step["kind"] = "decision"
            targets = rng.sample(ahead, 2) + ([steps[rng.randrange(i + 1)]["id"]] if rng.random() < 0.3 else [])
            step["branches"] = [{"label": f"answer {j}", "next": t} for j, t in enumerate(targets)]
        else:
            step["next"] = ahead[0] if rng.random() < 0.7 else rng.choice(ahead)
    return {"id": pid, "title": f"Process {pid}", "steps": steps}


def random_timing(rng: random.Random) -> dict:
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    opens = rng.randint(6, 11)
    calendar_ = {"workdays": sorted(rng.sample(days, rng.randint(1, 7)), key=days.index),
                 "opens": f"{opens:02d}:{rng.choice(['00', '30'])}", "closes": f"{rng.randint(opens + 2, 23):02d}:00",
                 "holidays": sorted({(START + dt.timedelta(days=rng.randrange(200))).isoformat() for _ in range(rng.randint(0, 6))})}
    # Some weekdays keep hours of their own; some days off are worked (a working Saturday).
    for day in calendar_["workdays"]:
        if rng.random() < 0.3:
            low = rng.randint(0, 12)
            calendar_.setdefault("hours", {})[day] = {"opens": f"{low:02d}:00", "closes": f"{rng.randint(low + 1, 23):02d}:30"}
    off = [START + dt.timedelta(days=i) for i in range(60) if days[(START + dt.timedelta(days=i)).weekday()] not in calendar_["workdays"]]
    calendar_["extra_workdays"] = [d.isoformat() for d in rng.sample(off, min(len(off), rng.randint(0, 2)))]
    unit = lambda: rng.choice([{"minutes": rng.randint(5, 240)}, {"hours": rng.randint(1, 30)}, {"days": rng.randint(1, 4)},
                               {"calendar_hours": rng.randint(1, 72)}, {"calendar_days": rng.randint(1, 7)}])
    rules = [{"id": f"t{i}", "event": f"Event {i}", "action": f"Act {i}", "deadline": unit()} for i in range(rng.randint(1, 4))]
    return {"calendar": calendar_, "rules": rules}


RANDOM_SPECS = {
    "lead": random_lead_table,
    "pipeline": lambda rng: [{**random_pipeline(rng), "id": f"pl{i}"} for i in range(rng.randint(1, 3))],
    "process": lambda rng: [random_process(rng, f"p{i}") for i in range(rng.randint(1, 3))],
    "callback": random_timing,
}


@pytest.mark.parametrize("kind", list(RANDOM_SPECS))
def test_cases_of_random_regulations_keep_every_promise(kind):
    for n in range(40):
        spec = RANDOM_SPECS[kind](random.Random(f"{kind}-{n}"))
        for seed in range(15):
            case = cases.new_case(kind, spec, random.Random(seed), START)
            assert case == cases.new_case(kind, json.loads(json.dumps(spec)), random.Random(seed), START)
            assert json.loads(json.dumps(case)) == case and set(case) == MEMBERS[kind]
            key = cases.case_key(kind, spec, case)
            assert cases.grade_case(kind, spec, case, key), (spec, case)
            assert not any(cases.grade_case(kind, spec, case, w) for w in wrong_answers(kind, case, key)), (spec, case)
        assert 0 < cases.guess(kind, spec) <= 0.5


def test_a_trainees_case_is_the_same_in_every_process_whatever_the_hash_seed():
    """Kernel and grader are different processes, with different string hashing."""
    code = ("import json, random; from crmtrain.rules import cases; from crmtrain.regulation.loader import load;"
            "from crmtrain.samples import sample_path; from test_rules_cases import sample_specs;"
            "s = sample_specs(load(sample_path('freight')));"
            "print(json.dumps([cases.trainee_case(k, s[k], '2027-02-01', course='c', assessment='initial',"
            " trainee=f't{i}', slot='x') for k in s for i in range(5)], sort_keys=True))")
    outs = set()
    for hash_seed in ("1", "2", "4242"):
        path = os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": path}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outs.add(done.stdout)
    assert len(outs) == 1
