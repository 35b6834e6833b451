"""The kernels of a trainee's server (crmtrain.labkernels, crmtrain.kernelfork), through the server's own REST API.

A trainee who opens a workbook gets a kernel forked from the server's seed, which has the
kernel's imports done: it works in the workbook's folder (where the runtime keeps the progress
files), is interrupted, restarted and brought back after a crash like any Jupyter kernel, and
a server whose seed is gone still gives kernels.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request

import psutil

from harness import copy_workbooks
from jupyter_client import BlockingKernelClient


def call(server, method: str, path: str, body: dict | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{server.base}/{path}", data=data, method=method,
                                     headers={"Authorization": f"token {server.token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as reply:
        text = reply.read()
    return json.loads(text) if text else None


def open_notebook(server, path: str) -> str:
    """What JupyterLab does when a notebook's tab is shown: a session; its kernel's id."""
    session = call(server, "POST", "api/sessions", {"path": path, "type": "notebook", "name": path.rsplit("/", 1)[-1],
                                                    "kernel": {"name": "python3"}})
    return session["kernel"]["id"]


def seed_of(server) -> psutil.Process:
    """The server's seed process (started once a page, or this test, lists the kernels)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        call(server, "GET", "api/kernels")  # what every open page does every few seconds
        seeds = [p for p in psutil.Process(server.proc.pid).children(recursive=True)
                 if "crmtrain.kernelseed" in p.cmdline()]
        if seeds:
            return seeds[0]
        time.sleep(0.2)
    raise AssertionError(f"no seed started; the server's log:\n{server.log()[-3000:]}")


def run_in(server, kernel_id: str, code: str) -> str:
    """What ``code`` prints in the kernel (connected through its connection file, as a console would)."""
    deadline = time.monotonic() + 60
    while True:
        client = BlockingKernelClient(connection_file=str(server.work / "home" / "runtime" / f"kernel-{kernel_id}.json"))
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            out: list[str] = []
            client.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
            return "".join(out).strip()
        except RuntimeError:  # a kernel just restarted has no heartbeat yet
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
        finally:
            client.stop_channels()


def test_an_opened_workbook_gets_a_forked_kernel_in_its_own_folder(lab_server_factory, tmp_path):
    root = tmp_path / "home"
    copy_workbooks(root / "wb")
    server = lab_server_factory(root)
    seed = seed_of(server)

    kernel = open_notebook(server, "wb/01-summary.ipynb")
    shown = run_in(server, kernel, "import os, sys; print(os.getcwd(), 'crmtrain.runtime.workbook' in sys.modules, "
                                   "__session__, os.getppid(), os.getpgid(0) == os.getpid())")
    assert shown == f"{root / 'wb'} True {root / 'wb' / '01-summary.ipynb'} {seed.pid} True"
    # The workbook's own first cell makes widgets the page can draw (their comms reach the page).
    # (Outside a kernel, ipywidgets gives a comm.base_comm DummyComm, which never reaches a page.)
    assert run_in(server, kernel, "import ipywidgets; b = ipywidgets.Button(); print(type(b.comm).__module__)") == \
        "ipykernel.comm.comm"

    # Restarted (the toolbar's button, an administrator), it starts again in the same folder.
    assert call(server, "GET", f"api/kernels/{kernel}")["crmtrain_restarts"] == 0
    call(server, "POST", f"api/kernels/{kernel}/restart")
    assert call(server, "GET", f"api/kernels/{kernel}")["crmtrain_restarts"] == 1  # what the page compares
    assert run_in(server, kernel, "import os; print(os.getcwd(), os.environ['JPY_SESSION_NAME'], os.getppid())") == \
        f"{root / 'wb'} {root / 'wb' / '01-summary.ipynb'} {seed.pid}"

    # The next workbook gets its own kernel, forked too.
    second = open_notebook(server, "wb/02-order-processing.ipynb")
    assert second != kernel
    assert run_in(server, second, "import os; print(os.getcwd(), os.getppid())") == f"{root / 'wb'} {seed.pid}"
    assert "not forked" not in server.log()


def test_a_forked_kernel_is_interrupted_and_brought_back_after_a_crash(lab_server_factory, tmp_path):
    root = tmp_path / "home"
    copy_workbooks(root / "wb")
    server = lab_server_factory(root)
    seed_of(server)
    kernel = open_notebook(server, "wb/03-client-work.ipynb")
    pid = int(run_in(server, kernel, "import os; print(os.getpid())"))

    # The stop button: a cell that waits is interrupted, and the kernel stays.
    client = BlockingKernelClient(connection_file=str(server.work / "home" / "runtime" / f"kernel-{kernel}.json"))
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        msg_id = client.execute("import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print('stopped')")
        time.sleep(1)
        call(server, "POST", f"api/kernels/{kernel}/interrupt")
        reply = client.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
    assert int(run_in(server, kernel, "import os; print(os.getpid())")) == pid

    # Killed from outside (out of memory, an administrator), Jupyter sees it die and restarts it.
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while int(run_in(server, kernel, "import os; print(os.getpid())")) == pid:
        assert time.monotonic() < deadline, "the killed kernel was not brought back"
        time.sleep(1)


def test_without_its_seed_a_server_still_gives_kernels(lab_server_factory, tmp_path):
    root = tmp_path / "home"
    copy_workbooks(root / "wb")
    server = lab_server_factory(root)
    old = seed_of(server)
    old.kill()
    old.wait(10)
    # A new seed, or a kernel started the usual way: either way the workbook gets a working kernel.
    kernel = open_notebook(server, "wb/01-summary.ipynb")
    assert run_in(server, kernel, "import os; print(os.getcwd())") == str(root / "wb")
    assert seed_of(server).pid != old.pid


def test_a_server_nobody_looks_at_stops_its_seed_and_starts_it_again_when_a_page_comes(lab_server_factory, tmp_path):
    (tmp_path / "home").mkdir()
    server = lab_server_factory(tmp_path / "home", extra_args=(
        "--TraineeKernelManager.cull_idle_timeout=2", "--TraineeKernelManager.cull_interval=1"))
    first = seed_of(server)
    first.wait(30)  # no kernel, no page listing kernels: the culler ends the seed
    assert "The kernels' seed stopped" in server.log()
    assert seed_of(server).pid != first.pid  # a page lists kernels again
