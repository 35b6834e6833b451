"""The next steps crmtrain prints (after `make demo`) work when typed into a shell as printed."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SCRIPT = BIN / "crmtrain"
ASK = "from crmtrain.commands import crmtrain_command; print(crmtrain_command())"

pytestmark = pytest.mark.skipif(not SCRIPT.is_file(), reason="crmtrain is not installed beside this python")


def printed_command(path: str, cwd: Path) -> str:
    env = {**os.environ, "PATH": path}
    return subprocess.run([sys.executable, "-c", ASK], env=env, cwd=cwd, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_outside_the_path_the_script_is_named_so_that_it_runs_as_typed(tmp_path):
    # A fresh clone after `make demo`: .venv/bin is not on the PATH.
    command = printed_command("/usr/bin:/bin", BIN.parent.parent)
    assert command != "crmtrain"
    result = subprocess.run(shlex.split(command) + ["--version"], cwd=BIN.parent.parent, env={"PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_from_another_folder_the_path_is_absolute(tmp_path):
    command = printed_command("/usr/bin:/bin", tmp_path)
    assert Path(command).is_absolute() and Path(command).samefile(SCRIPT)


def test_on_the_path_it_is_just_crmtrain(tmp_path):
    assert printed_command(f"{BIN}:/usr/bin:/bin", tmp_path) == "crmtrain"
