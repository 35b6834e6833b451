"""``crmtrain lab`` and ``crmtrain edit``: which folder they serve, what they print, and a real start and Ctrl+C stop."""

from __future__ import annotations

import io
import os
import pty
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from crmtrain import lab
from crmtrain.commands import edit
from crmtrain.commands import lab as command
from crmtrain.errors import UserError
from harness import copy_workbooks


@pytest.fixture
def trainee_home(tmp_path, monkeypatch) -> Path:
    """A folder with built workbooks as the current directory; settings go to a private cache."""
    copy_workbooks(tmp_path / "workbooks")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_serves_workbooks_and_prints_the_address_and_how_to_stop(trainee_home, monkeypatch):
    started = {}
    monkeypatch.setattr(os, "execvpe", lambda file, argv, env: started.update(argv=argv, env=env))
    out = io.StringIO()
    command.run(None, port=8123, open_browser=False, out=out)
    text = out.getvalue()
    url = re.search(r"http://\S+", text).group(0)
    assert url == f"http://127.0.0.1:8123/lab/tree/00-introduction.ipynb?token={started['env']['JUPYTER_TOKEN']}"
    assert "Ctrl+C" in text and "My training" in text
    argv = started["argv"]
    assert argv[:3] == [sys.executable, "-m", "crmtrain.lab"]  # jupyter lab, without an unused validator
    assert f"--ServerApp.root_dir={trainee_home / 'workbooks'}" in argv
    assert "--ServerApp.open_browser=False" in argv and "--ServerApp.port=8123" in argv
    assert started["env"]["JUPYTER_TOKEN"] not in " ".join(argv)  # not visible in the process list
    config = trainee_home / "cache" / "crmtrain" / "lab" / "config"
    assert started["env"]["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(config)
    assert (config / "labconfig" / "default_setting_overrides.json").is_file()


def test_edit_opens_the_editor_on_the_regulation_and_prints_its_address(tmp_path, monkeypatch):
    # The same start-up as lab's (commands.lab.start): the address first, then JupyterLab takes the process.
    (tmp_path / "regulation.yaml").write_text("meta:\n  language: ru\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    started = {}
    monkeypatch.setattr(os, "execvpe", lambda file, argv, env: started.update(argv=argv, env=env))
    out = io.StringIO()
    assert edit.run(None, port=8125, open_browser=False, out=out) == 0
    text = out.getvalue()
    token = started["env"]["JUPYTER_TOKEN"]
    assert f"Editing {tmp_path / 'regulation.yaml'} in JupyterLab" in text and "Ctrl+C" in text
    assert f"http://127.0.0.1:8125/lab?crmtrain-edit=regulation.yaml&token={token}" in text
    argv = started["argv"]
    assert "--ServerApp.default_url=/lab?crmtrain-edit=regulation.yaml" in argv and "--ServerApp.port=8125" in argv
    assert f"--ServerApp.root_dir={tmp_path}" in argv and token not in " ".join(argv)


def test_a_missing_folder_is_a_user_error(trainee_home):
    with pytest.raises(UserError, match="no-such: no such folder"):
        command.run("no-such", out=io.StringIO())


def test_without_workbooks_it_serves_the_current_folder_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert command.root_dir(None) == tmp_path.resolve()
    cmd = lab.command(tmp_path, state_dir=tmp_path / "state", port=8124, token="t")
    assert "no notebooks here yet" in command.message(cmd, open_browser=True)
    assert cmd.url == "http://127.0.0.1:8124/lab"


def test_starts_a_real_server_that_ctrl_c_stops(trainee_home):
    code = ("import sys; from crmtrain.commands.lab import run; "
            f"sys.exit(run('workbooks', port={lab.free_port(0)}, open_browser=False))")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(trainee_home / "jupyter"),
           "JUPYTER_RUNTIME_DIR": str(trainee_home / "runtime")}
    # A terminal, as the trainee has: JupyterLab handles Ctrl+C itself only when its input is one.
    terminal, its_end = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdin=its_end, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    os.close(its_end)
    try:
        lines = []
        while not (lines and "Ctrl+C" in lines[-1]):
            lines.append(proc.stdout.readline())
            assert lines[-1], "".join(lines)
        url = re.search(r"http://\S+", "".join(lines)).group(0)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "JupyterLab did not answer"
                time.sleep(0.3)
        proc.send_signal(signal.SIGINT)  # what Ctrl+C in the terminal sends
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError("Ctrl+C did not stop JupyterLab; it said:\n" + proc.communicate()[0][-4000:]) from None
        assert code == 0, proc.communicate()[0][-4000:]
    finally:
        os.close(terminal)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
