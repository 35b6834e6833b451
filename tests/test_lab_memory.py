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

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"

# "My training" in a fresh interpreter, as the server's panel handler builds it: which big
# packages its overview loaded.
OVERVIEW = """
import json, sys
from crmtrain.panel.overview import Training
shown = Training(sys.argv[1]).overview()
print(json.dumps({"workbooks": len(shown["workbooks"]), "nbgrader": "nbgrader" in sys.modules,
                  "sqlalchemy": "sqlalchemy" in sys.modules}))
"""


def _overview(root: Path, home: Path) -> dict:
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_CONFIG_PATH": "",
           "HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", OVERVIEW, str(root)], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("course, loaded", [(False, False), (True, True)], ids=["workbooks only", "with a course"])
def test_my_training_loads_nbgrader_only_for_a_course(tmp_path, course, loaded):
    # nbgrader with nbconvert and SQLAlchemy is ~38 MB of the server; `crmtrain lab` on a folder
    # of workbooks has no assessments to list, so its panel must not pay for them.
    root = tmp_path / "home"
    root.mkdir()
    for path in sorted(WORKBOOKS.glob("0*.ipynb"))[:2]:
        (root / path.name).write_bytes(path.read_bytes())
    if course:
        (root / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.course_id = 'crm'\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n",
            encoding="utf-8")
        (tmp_path / "exchange").mkdir()
    shown = _overview(root, tmp_path)
    assert shown["workbooks"] == 2
    assert (shown["nbgrader"], shown["sqlalchemy"]) == (loaded, loaded)


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
