"""A trainee's JupyterLab server gives back the memory it no longer uses (a Jupyter server extension).

Measured in docs/benchmarks.md ("The server's memory"): after a trainee has opened the four
workbooks, the server held about 10 MB that Python had freed and glibc kept. Two things give
it back, for ``crmtrain lab`` and the hub's single-user servers alike (both load the
extensions of :func:`crmtrain.lab.server_config` and get :data:`ENVIRONMENT`):

- ``MALLOC_ARENA_MAX=2``: glibc gives every thread that allocates its own arena (64 MB of
  address space each, and free chunks in each that no other thread reuses); the server's
  work is one event loop and a few helper threads, which two arenas serve as well.
- ``malloc_trim(0)`` on the server's event loop once a minute: returns the free pages of every
  arena to the system (glibc does so by itself only at the top of the main heap). It takes
  about a millisecond; on a C library without it (musl, macOS) nothing is done.

Kernels inherit the server's environment, so the arena limit applies to them too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger(__name__)
ENVIRONMENT = {"MALLOC_ARENA_MAX": "2"}
TRIM_INTERVAL_S = 60


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none."""
    name = ctypes.util.find_library("c")
    try:
        function = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes, function.restype = [ctypes.c_size_t], ctypes.c_int
    return function


def trim() -> bool:
    """Give the free memory of the process's heap back to the system; whether any was given back."""
    function = _malloc_trim()
    return bool(function and function(0))


def _trim_and_log() -> None:
    if trim():
        log.debug("crmtrain: free heap memory given back to the system")


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "crmtrain.labmemory"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from tornado.ioloop import PeriodicCallback

    if _malloc_trim() is None:
        return
    timer = PeriodicCallback(_trim_and_log, TRIM_INTERVAL_S * 1000)
    timer.start()
    serverapp.web_app.settings["crmtrain_trim"] = timer  # kept alive with the server
