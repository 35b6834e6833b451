"""A trainee's JupyterLab server gives back the memory it no longer uses (a Jupyter server extension).

Measured in docs/benchmarks.md ("The server's memory"): after a trainee has opened the four
workbooks, the server held 10-17 MB that Python had freed and glibc kept. Two things give
it back, for ``crmtrain lab`` and the hub's single-user servers alike (both load the
extensions of :func:`crmtrain.lab.server_config` and get :data:`ENVIRONMENT`):

- ``MALLOC_ARENA_MAX=2``: glibc gives every thread that allocates its own arena (64 MB of
  address space each, and free chunks in each that no other thread reuses); the server's
  work is one event loop and a few helper threads, which two arenas serve as well.
- ``malloc_trim(0)`` on the server's event loop once a minute: returns the free pages of every
  arena to the system (glibc does so by itself only at the top of the main heap). It takes
  2 ms of CPU with nothing to give back, 10 ms with 70 MB of holes; on a C library without it
  (musl, macOS) nothing is done.

Kernels inherit the server's environment, so the arena limit applies to them too.

And one thing is kept out: JupyterLab asks for nbconvert's export formats (``GET /api/nbconvert``,
for its "Save and Export Notebook As" menu) when the first notebook opens, and jupyter_server
answers by importing nbconvert with every exporter, about 6 MB the server then keeps. The same
answer is computed once by a short-lived process (:data:`EXPORT_FORMATS`); an actual export
still runs in the server, as before. Likewise the list of installed language packs
(``GET /lab/api/translations``, at every page load): jupyterlab_server names each pack in two
languages from babel's CLDR data, about 6 MB kept; :func:`_language_packs` gets the same list
from a short-lived process, once per display language.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import json
import logging
import subprocess
import sys

log = logging.getLogger(__name__)
ENVIRONMENT = {"MALLOC_ARENA_MAX": "2"}
TRIM_INTERVAL_S = 60
# jupyter_server's NbconvertRootHandler.get, printed as JSON (the exporters of the installed nbconvert).
# Both scripts skip jsonschema's unused IRI grammar, as crmtrain.speedups does.
EXPORT_FORMATS = """
import json, sys
sys.modules.setdefault("rfc3987_syntax", None)
from nbconvert.exporters import base
formats = {}
for name in base.get_export_names():
    try:
        formats[name] = {"output_mimetype": base.get_exporter(name).output_mimetype}
    except ValueError:
        continue
print(json.dumps(formats))
"""
# jupyterlab_server's get_language_packs(display_locale), printed as JSON: (packs with their names, message).
LANGUAGE_PACKS = """
import json, sys
sys.modules.setdefault("rfc3987_syntax", None)
from jupyterlab_server.translation_utils import get_language_packs
print(json.dumps(get_language_packs(sys.argv[1])))
"""
_language_lists: dict[str, tuple[dict, str]] = {}
_log = {"server": log}  # the server's own logger once loaded, so these lines reach its log


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none."""
    try:
        function = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on; no search
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
        _log["server"].debug("crmtrain: free heap memory given back to the system")


def _language_packs(display_locale: str = "en") -> tuple[dict, str]:
    """jupyterlab_server's list of installed language packs, from :data:`LANGUAGE_PACKS` once per display language.

    Installed packs do not change while a server runs (jupyterlab_server keeps them too).
    Called in a thread of the server's executor, as the function it stands for.
    """
    if display_locale not in _language_lists:
        done = subprocess.run([sys.executable, "-c", LANGUAGE_PACKS, display_locale], capture_output=True, text=True,
                              timeout=120)
        if done.returncode:
            return {}, done.stderr[-2000:]  # shown as jupyterlab_server shows its own failures
        data, message = json.loads(done.stdout)
        _language_lists[display_locale] = (data, message)
        _log["server"].info("crmtrain: the language packs listed by a process of their own")
    return _language_lists[display_locale]


def _export_formats_handler():
    """``GET /api/nbconvert`` answered from :data:`EXPORT_FORMATS`, run once per server."""
    from jupyter_server.auth.decorator import authorized
    from jupyter_server.services.nbconvert.handlers import NbconvertRootHandler
    from tornado import web

    class ExportFormatsHandler(NbconvertRootHandler):
        formats: str | None = None

        @web.authenticated
        @authorized
        async def get(self) -> None:
            async with self._exporter_lock:
                if ExportFormatsHandler.formats is None:
                    ExportFormatsHandler.formats = await _run_python(EXPORT_FORMATS)
                    self.log.info("crmtrain: nbconvert's export formats listed by a process of their own")
            self.finish(ExportFormatsHandler.formats)

    return ExportFormatsHandler


async def _run_python(code: str) -> str:
    from tornado import web

    process = await asyncio.create_subprocess_exec(sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    if process.returncode:
        raise web.HTTPError(500, f"Could not list nbconvert's exporters: {err.decode(errors='replace')[-1000:]}")
    return out.decode()


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "crmtrain.labmemory"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.utils import url_path_join
    from tornado.ioloop import PeriodicCallback

    web_app = serverapp.web_app
    _log["server"] = serverapp.log
    # Added after jupyter_server's own handlers, so it answers first.
    web_app.add_handlers(".*$", [(url_path_join(web_app.settings["base_url"], "api", "nbconvert"),
                                  _export_formats_handler())])
    try:
        from jupyterlab_server import translations_handler
    except ImportError:  # a server without JupyterLab
        pass
    else:
        translations_handler.get_language_packs = _language_packs  # what its TranslationsHandler calls
    if _malloc_trim() is None:
        return
    timer = PeriodicCallback(_trim_and_log, TRIM_INTERVAL_S * 1000)
    timer.start()
    web_app.settings["crmtrain_trim"] = timer  # kept alive with the server
