"""The seed of a trainee's kernels: one process with the kernel's imports done, forked for each kernel.

A workbook's kernel used to be a new Python process: the interpreter, ipykernel and IPython,
then ipywidgets and crmtrain's runtime at the first cell — 1.5–3 s of CPU on every open, and
35–40 MB of private memory per kernel. The seed pays the imports once; each kernel is a fork
of it (milliseconds), and the pages the imports filled stay shared with the seed until a kernel
writes to them. :mod:`crmtrain.kernelfork` (in the server) starts the seed and asks it for
kernels.

It speaks newline-delimited JSON over the socket whose descriptor it is given:

    seed → server   {"ready": PID}                                  once, imports done
    server → seed   {"argv": [...], "env": {...}, "cwd": "..."}     fork a kernel
    seed → server   {"pid": PID} | {"error": "..."}                  its answer, in order
    seed → server   {"exit": PID, "code": N}                          a kernel ended (reaped here)

It exits when the server closes the socket; its kernels then notice their parent is gone
(ipykernel's parent poller) and exit too. Run as ``python -m crmtrain.kernelseed FD``.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import sys
import threading
import traceback
from pathlib import Path

# What every kernel imports before or at its first cell: the kernel app and shell, the widgets and
# crmtrain's runtime (whose modules create no widget when imported: a widget made here would have
# no comm in the kernels).
WARM = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipywidgets",
        "crmtrain.runtime.workbook", "crmtrain.runtime.assessment", "crmtrain.runtime.cases")


def warm_up() -> None:
    """Import what a kernel and a workbook's first cell import, then keep those objects out of gc's way."""
    import importlib

    for name in WARM:
        importlib.import_module(name)

    # Objects the imports made are never collected; frozen, the collector does not write to
    # their pages in a kernel (which would copy them out of the seed's shared memory).
    gc.collect()
    gc.freeze()


def serve(fd: int) -> int:
    """Answer fork requests on socket ``fd`` until the server closes it."""
    if sys.path and Path(sys.path[0] or ".").resolve() == Path.cwd():
        del sys.path[0]  # as ipykernel_launcher: the kernel puts its own folder there
    warm_up()
    if threading.active_count() != 1:  # a fork keeps only the calling thread: refuse to seed
        raise SystemExit("crmtrain.kernelseed: an import started a thread; kernels are not forked")
    channel = socket.socket(fileno=fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so select() wakes when a kernel ends
    _send(channel, {"ready": os.getpid()})
    pending = b""
    while True:
        readable, _, _ = select.select([channel, wake_r], [], [])
        if wake_r in readable:
            os.read(wake_r, 512)
            _reap(channel)
        if channel in readable:
            chunk = channel.recv(65536)
            if not chunk:
                return 0  # the server is gone
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                _answer(channel, json.loads(line), (wake_r, wake_w))


def _answer(channel: socket.socket, request: dict, pipe: tuple[int, int]) -> None:
    try:
        pid = os.fork()
    except OSError as error:
        _send(channel, {"error": str(error)})
        return
    if pid == 0:
        _become_kernel(channel, request, pipe)  # never returns
    _send(channel, {"pid": pid})


def _reap(channel: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(channel, {"exit": pid, "code": os.waitstatus_to_exitcode(status)})


def _become_kernel(channel: socket.socket, request: dict, pipe: tuple[int, int]) -> None:
    """In the forked child: the process ``python -m ipykernel_launcher ARGS`` would have been."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses are its to wait for
        os.close(channel.detach())  # detached first: the object must not close a reused number later
        for end in pipe:
            os.close(end)
        os.setsid()  # its own process group, which the server signals (interrupt, kill)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # The kernel's parent is the seed, which lives as long as the server: the kernel ends with it.
        # (ipykernel read JPY_PARENT_PID when the seed imported it, so it is also given as an option.)
        os.environ["JPY_PARENT_PID"] = parent = str(os.getppid())
        import importlib.util

        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize([*request["argv"], f"--IPKernelApp.parent_handle={parent}"])
        # ipywidgets registers its comm targets when imported into a running kernel; it was
        # imported here before there was one.
        import ipywidgets

        ipywidgets.register_comm_target()
        app.start()
        code = 0
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    except BaseException:  # noqa: BLE001 - the child must never return into the seed's loop
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _send(channel: socket.socket, message: dict) -> None:
    channel.sendall(json.dumps(message).encode() + b"\n")


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1])))
