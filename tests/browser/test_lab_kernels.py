"""The kernels of a trainee's server (crmtrain.labkernels), through the server's own REST API.

A trainee who opens a workbook gets a kernel that was already started and warmed up, working
in the workbook's folder (where the runtime keeps the progress files).
"""

from __future__ import annotations

import json
import time
import urllib.request

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


def wait_for_spare(server, other_than: str = "", timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        call(server, "GET", "api/kernels")  # what every open page does every few seconds
        ready = [line for line in server.log().splitlines() if "Spare kernel" in line and "ready" in line]
        spare = ready[-1].split("Spare kernel ", 1)[1].split()[0] if ready else ""
        if spare and spare != other_than:
            return spare
        time.sleep(0.5)
    raise AssertionError(f"no spare kernel started; the server's log:\n{server.log()[-3000:]}")


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


def test_an_opened_workbook_gets_a_warm_kernel_in_its_own_folder(lab_server_factory, tmp_path):
    root = tmp_path / "home"
    copy_workbooks(root / "wb")
    server = lab_server_factory(root)
    spare = wait_for_spare(server)

    kernel = open_notebook(server, "wb/01-summary.ipynb")
    assert kernel == spare, "the workbook did not get the waiting kernel"
    shown = run_in(server, kernel, "import os, sys; print(os.getcwd(), 'crmtrain.runtime' in sys.modules, __session__)")
    assert shown == f"{root / 'wb'} True {root / 'wb' / '01-summary.ipynb'}"

    # Restarted (the toolbar's button, an administrator), it starts again in the same folder.
    assert call(server, "GET", f"api/kernels/{kernel}")["crmtrain_restarts"] == 0
    call(server, "POST", f"api/kernels/{kernel}/restart")
    assert call(server, "GET", f"api/kernels/{kernel}")["crmtrain_restarts"] == 1  # what the page compares
    assert run_in(server, kernel, "import os; print(os.getcwd(), os.environ['JPY_SESSION_NAME'])") == \
        f"{root / 'wb'} {root / 'wb' / '01-summary.ipynb'}"

    # The next spare follows, and the next workbook gets it, also when opened while the spare is
    # still starting (it waits for it rather than starting a second kernel beside it).
    second = open_notebook(server, "wb/02-order-processing.ipynb")
    assert second == wait_for_spare(server, other_than=spare)
    assert run_in(server, second, "import os; print(os.getcwd())") == str(root / "wb")
