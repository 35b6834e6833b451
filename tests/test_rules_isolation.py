"""crmtrain.rules runs inside trainee kernels: standard library only, reproducible from a seed."""

import os
import pathlib
import subprocess
import sys

SRC = str(pathlib.Path(__file__).resolve().parents[1] / "src")

IMPORT_CHECK = """
import sys
before = set(sys.modules)
import crmtrain.rules
import crmtrain.rules.calendar, crmtrain.rules.decision_table, crmtrain.rules.pipeline
import crmtrain.rules.processes, crmtrain.rules.schedule
new = {name.split(".")[0] for name in set(sys.modules) - before}
print(sorted(m for m in ("pydantic", "pandas", "nbgrader", "ipywidgets") if m in sys.modules))
# zoneinfo reads sysconfig, which loads the interpreter's generated _sysconfigdata_* module:
# standard library too, though sys.stdlib_module_names cannot list a name made per platform.
print(sorted(m for m in new - set(sys.stdlib_module_names) - {"crmtrain"} if not m.startswith("_sysconfigdata_")))
"""

# Every drill generator, printed, so two kernels with different string hashing can be compared.
DRILLS = """
import datetime, random
from crmtrain.rules import calendar, decision_table, pipeline, processes
crit = [{"name": "b", "label": "B", "type": "number", "min": 0.0, "max": None},
        {"name": "s", "label": "S", "type": "choice", "values": ["web", "call", "mail", "fair"]}]
table = {"criteria": crit, "rules": [
    {"id": "r1", "when": {"b": ">= 500", "s": ["web", "fair"]}, "then": "A"},
    {"id": "r2", "when": {"b": "100..500"}, "then": "B"}, {"id": "r3", "when": {}, "then": "C"}]}
steps = [{"id": "s", "kind": "start", "next": "a"}, {"id": "a", "kind": "action", "next": "d"},
         {"id": "d", "kind": "decision", "next": None, "branches": [
             {"label": "x", "next": "a"}, {"label": "y", "next": "b"}, {"label": "z", "next": "e2"}]},
         {"id": "b", "kind": "action", "next": "e"}, {"id": "e", "kind": "end"}, {"id": "e2", "kind": "end"}]
pipe = {"initial": "n", "fields": [], "statuses": [{"id": i, "terminal": i in "wl"} for i in "nqpwl"],
        "transitions": [{"from": a, "to": b, "requires": []} for a, b in ("nq", "qp", "pw", "nl", "ql", "pl")]}
cal = {"workdays": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "18:00",
       "holidays": ["2024-06-12", "2024-06-13"]}
rng = random.Random(42)
for _ in range(30):
    print(decision_table.random_lead(table, rng), processes.random_case({"steps": steps}, rng),
          pipeline.random_case(pipe, rng), calendar.random_event(cal, rng, datetime.date(2024, 6, 1)))
print(decision_table.gaps(table), decision_table.shadowed(table), processes.ordering({"steps": steps}))
"""


def run(code, **env):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": SRC, **env})
    return result.stdout


def test_imports_only_the_standard_library():
    heavy, third_party = run(IMPORT_CHECK).splitlines()
    assert heavy == "[]"
    assert third_party == "[]"


def test_drills_do_not_depend_on_string_hashing():
    first = run(DRILLS, PYTHONHASHSEED="1")
    assert first.count("\n") == 31
    assert first == run(DRILLS, PYTHONHASHSEED="2") == run(DRILLS, PYTHONHASHSEED="12345")
