"""The memory of a trainee's JupyterLab server (issue 22): what it loads, and what it gives back.

Measured in docs/benchmarks.md ("The server's memory"); these tests hold the causes found there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crmtrain import lab
from crmtrain.grading.plumbing.config import trainee_config_text

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"

# "My training" in a fresh interpreter, as the server's panel handler builds it: what it lists
# (each time it is asked), how many exchange worker processes that took, and whether nbgrader
# (with nbconvert and SQLAlchemy) was loaded into this process.
OVERVIEW = """
import json, sys
from crmtrain.panel import exchange
from crmtrain.panel.overview import Training
from crmtrain.i18n import translation
runs = []
real = exchange.run
exchange.run = lambda root, request: runs.append(request["do"]) or real(root, request)
training, seen = Training(sys.argv[1]), []
for line in sys.stdin:  # one line per overview asked for: a folder to create first, or nothing
    if line.strip():
        __import__("pathlib").Path(line.strip()).mkdir(parents=True)
    shown = training.overview()
    seen.append({"workbooks": len(shown["workbooks"]), "assessments": [(a["id"], a["state"]) for a in shown["assessments"]],
                 "problem": shown["problem"], "runs": list(runs)})
print(json.dumps({"seen": seen, "nbgrader": "nbgrader" in sys.modules, "sqlalchemy": "sqlalchemy" in sys.modules}))
"""


def _overviews(root: Path, home: Path, *folders: str) -> dict:
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_CONFIG_PATH": "", "HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", OVERVIEW, str(root)], input="\n".join(folders) + "\n", env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def _home_with_workbooks(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    root.mkdir()
    for path in sorted(WORKBOOKS.glob("0*.ipynb"))[:2]:
        (root / path.name).write_bytes(path.read_bytes())
    return root


def test_my_training_without_a_course_asks_no_exchange(tmp_path):
    # `crmtrain lab` on a folder of workbooks: nothing to list, so no worker and no nbgrader.
    shown = _overviews(_home_with_workbooks(tmp_path), tmp_path)
    assert shown["seen"] == [{"workbooks": 2, "assessments": [], "problem": "", "runs": []}]
    assert not shown["nbgrader"] and not shown["sqlalchemy"]


def test_my_training_lists_the_exchange_without_loading_nbgrader(tmp_path):
    # A hub trainee's server: nbgrader lists the exchange in a worker process, never in the
    # server (~38 MB kept for good). A release is seen at the next refresh; an unchanged
    # exchange is not listed again.
    root, exchange = _home_with_workbooks(tmp_path), tmp_path / "exchange"
    (root / "nbgrader_config.py").write_text(trainee_config_text("crm", exchange), encoding="utf-8")
    outbound = exchange / "crm" / "outbound"
    (outbound / "initial").mkdir(parents=True)
    (outbound / "initial" / "initial.ipynb").write_bytes((WORKBOOKS / "04-practice-test.ipynb").read_bytes())
    shown = _overviews(root, tmp_path, "", "", str(outbound / "follow-up"), "")
    first, again, released, later = shown["seen"]
    assert first["assessments"] == [["initial", "open"]] and first["runs"] == ["list"] and not first["problem"]
    assert again == first  # nothing changed: no second worker
    assert released["assessments"] == [["follow-up", "open"], ["initial", "open"]]
    assert released["runs"] == ["list", "list"] and later == released  # read once more, then kept again
    assert not shown["nbgrader"] and not shown["sqlalchemy"]


# Many small blocks from malloc's heap (bytes objects over pymalloc's 512 bytes), every tenth kept,
# so the free ones are holes glibc keeps; the process's USS before and after ``trim()``.
HOLES = """
import json, psutil
from crmtrain import labmemory
uss = lambda: psutil.Process().memory_full_info().uss / 2**20
blocks = [bytes(2000) + bytes([i % 251]) for i in range(40_000)]
kept = blocks[::10]
del blocks
before = uss()
print(json.dumps({"released": labmemory.trim(), "before": before, "after": uss()}))
"""


def test_trim_gives_the_memory_python_freed_back_to_the_system():
    done = subprocess.run([sys.executable, "-c", HOLES], capture_output=True, text=True, timeout=60, check=True)
    seen = json.loads(done.stdout)
    assert seen["released"]
    assert seen["before"] - seen["after"] > 40, seen  # ~70 of the ~80 MB freed went back


@pytest.mark.parametrize("instructor", [False, True], ids=["trainee", "specialist"])
def test_every_server_gives_memory_back(tmp_path, instructor):
    # crmtrain lab and the hub's single-user servers: the trim extension, and glibc's arena limit.
    cmd = lab.command(tmp_path, state_dir=tmp_path / "state", port=8126, token="t", env={"HOME": str(tmp_path)},
                      instructor=instructor)
    assert cmd.env["MALLOC_ARENA_MAX"] == "2"
    assert "--ServerApp.jpserver_extensions" in cmd.argv and "crmtrain.labmemory=True" in cmd.argv
    assert lab.server_config(instructor)["ServerApp"]["jpserver_extensions"]["crmtrain.labmemory"] is True


def test_a_users_own_arena_setting_wins(tmp_path):
    cmd = lab.command(tmp_path, state_dir=tmp_path / "state", port=8126, token="t", env={"MALLOC_ARENA_MAX": "8"})
    assert cmd.env["MALLOC_ARENA_MAX"] == "8"


# The hub's single-user server as the hub starts it (Spawner.cmd), asked for its version: which
# validators the start loaded.
SINGLEUSER = """
import sys
from crmtrain.hub import hubconfig
try:
    hubconfig.serve_singleuser(["--version"])
except SystemExit:
    pass
print("jupyterhub.singleuser" in sys.modules, "jsonschema" in sys.modules, sys.modules.get("rfc3987_syntax", "absent"))
"""


def test_the_hubs_single_user_server_skips_the_unused_iri_grammar():
    # jsonschema builds rfc3987_syntax's lark grammar at import (~16 MB and seconds of CPU) for formats
    # no Jupyter schema uses; crmtrain lab skipped it already (lab.serve), the hub's servers now too.
    done = subprocess.run([sys.executable, "-c", SINGLEUSER], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split()[-3:] == ["True", "True", "None"]
