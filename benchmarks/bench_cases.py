"""What a slot's hidden test costs: regenerating and grading each trainee's own case or draw.

Run: .venv/bin/python benchmarks/bench_cases.py [--trainees 2000]
Prints a markdown table for docs/benchmarks.md.

For every drill kind of every sample regulation, ``check_case`` runs once per trainee (a
distinct id each, so every call draws a new case) against an answers.json holding that
trainee's right answer, as ``crmtrain grade`` calls it; ``check_draw`` the same over a slot
of three questions. The time is per call, in one process, after one warm-up call (the lead
table's regions are compiled once per process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from crmtrain.regulation.loader import load  # noqa: E402
from crmtrain.rules import cases, variants  # noqa: E402
from crmtrain.runtime.check import check_case, check_draw  # noqa: E402
from crmtrain.samples import SAMPLES, sample_path  # noqa: E402

COURSE, ASSESSMENT, START = "crm-training", "initial", "2027-02-01"
DRAW = [("Q1", "single", "opt-a", {}), ("Q2", "numeric", 24.0, {"tolerance": 0.5}),
        ("Q3", "multiple", ["opt-x", "opt-z"], {"points": 2})]


def specs(reg) -> dict:
    cw = reg.client_work
    return {"lead": cw.lead_classification.model_dump(mode="json"),
            "pipeline": cw.pipeline.model_dump(mode="json", by_alias=True),
            "process": [p.model_dump(mode="json") for p in reg.order_processing.processes],
            "callback": cw.contact_timing.model_dump(mode="json")}


def timed(calls: list) -> float:
    """Mean milliseconds per call (each call is a (function, answers path) pair)."""
    calls[0][0]()  # warm-up: compiled tables, imports
    start = time.perf_counter()
    for call, _ in calls:
        call()
    return (time.perf_counter() - start) / len(calls) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=2000)
    n = parser.parse_args().trainees
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for sample in SAMPLES:
            s = specs(load(sample_path(sample)))
            for kind, spec in s.items():
                calls = []
                for i in range(n):
                    trainee = f"t{i:05d}"
                    case = cases.trainee_case(kind, spec, START, course=COURSE, assessment=ASSESSMENT,
                                              trainee=trainee, slot="slot")
                    path = folder / f"{sample}-{kind}-{i}.json"
                    path.write_text(json.dumps({"answers": {"slot": cases.case_key(kind, spec, case)}}))
                    calls.append((lambda k=kind, sp=spec, t=trainee, p=path: check_case(
                        "slot", k, sp, course=COURSE, assessment=ASSESSMENT, start=START, trainee=t, path=p), path))
                rows.append((f"sample:{sample}", f"check_case {kind}", timed(calls)))
        calls = []
        for i in range(n):
            trainee = f"t{i:05d}"
            key = DRAW[variants.draw_index(len(DRAW), COURSE, ASSESSMENT, trainee, "slot")][2]
            path = folder / f"draw-{i}.json"
            path.write_text(json.dumps({"answers": {"slot": key}}))
            calls.append((lambda t=trainee, p=path: check_draw(
                "slot", DRAW, course=COURSE, assessment=ASSESSMENT, trainee=t, path=p), path))
        rows.append(("—", "check_draw (3 questions)", timed(calls)))
    print(f"| regulation | check ({n} trainees) | ms per call |\n|---|---|---|")
    for reg, what, ms in rows:
        print(f"| {reg} | {what} | {ms:.3f} |")
    print(f"\nmedian {statistics.median(ms for *_, ms in rows):.3f} ms per call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
