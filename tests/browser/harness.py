"""A real JupyterLab server and headless Chromium for the browser suite and ``screenshots.py``.

The server is started by :func:`crmtrain.lab.command`, exactly as ``crmtrain lab`` starts it,
plus three things only tests need: a random port and token, a private Jupyter home (so the
machine's own settings and kernels cannot leak in), and ``window.jupyterapp`` for waiting on
the kernel.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

from crmtrain import lab

REPO = Path(__file__).resolve().parents[2]
WORKBOOKS = REPO / "workbooks"
CHROMIUM = Path(os.environ.get("CRMTRAIN_CHROMIUM", "/usr/bin/chromium"))
# --disable-background-networking & co: on a closed network Chromium's own update, sync and
# component requests are refused and slow the start; nothing here needs them.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")
START_TIMEOUT_S = 90  # measured ~4 s on 2 cores; generous for a cold CI machine
WAIT_MS = 30_000  # for any one thing to show up: a widget, a diagram, feedback (busy CI machines)


BUILDS = {"en": WORKBOOKS, "ru": REPO / "examples" / "ru" / "workbooks"}  # committed builds by language


def copy_workbooks(dest: Path, source: Path = WORKBOOKS) -> Path:
    """Copy the committed built workbooks (only those the builder makes) into ``dest``."""
    from crmtrain.notebooks.workbooks import NOTEBOOKS

    dest.mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy2(source / f"{name}.ipynb", dest)
    return dest


class LabServer:
    """``jupyter lab`` on 127.0.0.1 serving ``root``; ``work`` holds its home, settings and log."""

    def __init__(self, root: Path, work: Path, config_dirs: tuple[Path, ...] = (), lang: str | None = None,
                 instructor: bool = False, extra_args: tuple[str, ...] = ()) -> None:
        self.root, self.work, self.config_dirs = Path(root), Path(work), tuple(config_dirs)
        self.extra_args = tuple(extra_args)  # after crmtrain's own options, so they win
        self.instructor = instructor  # the specialist's JupyterLab: formgrader and the regulation editor
        self.lang = lang  # JupyterLab's language; None: that of the notebooks in root
        self.token = secrets.token_hex(16)
        self.log_path = self.work / "server.log"
        self.proc: subprocess.Popen | None = None
        self.base = ""

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        home = self.work / "home"
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                          ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
                          ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")):
            env[name] = str(home / sub)
        env.pop("JUPYTER_TOKEN", None)
        return env

    def start(self) -> "LabServer":
        """Start the server and wait until its REST API answers; raise with the log if it dies."""
        self.work.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # the free port may be taken between probing and binding
            cmd = lab.command(self.root, state_dir=self.work / "state", port=lab.free_port(0),
                              token=self.token, open_notebook=None, open_browser=False, lang=self.lang,
                              config_dirs=self.config_dirs, env=self._env(), instructor=self.instructor,
                              extra_args=("--LabApp.expose_app_in_browser=True", *self.extra_args))
            self.base = cmd.url.rsplit("/lab", 1)[0]
            with open(self.log_path, "ab") as log:
                # A session of its own, so a stuck server can be killed with its kernels.
                self.proc = subprocess.Popen(cmd.argv, env=cmd.env, cwd=self.root, stdout=log,
                                             stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_ready():
                return self
            self.stop()
            if "address already in use" not in self.log().lower():
                break
        raise RuntimeError(f"JupyterLab did not start; its log:\n{self.log()[-4000:]}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                self.api("GET", "api/status")
                return True
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        return False

    def url(self, path: str = "lab", reset: bool = False) -> str:
        """An address on the server with the token (``reset`` drops the saved layout of tabs)."""
        query = ("reset&" if reset else "") + f"token={self.token}"
        return f"{self.base}/{path.lstrip('/')}?{query}"

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API; the decoded JSON (None for an empty reply)."""
        request = urllib.request.Request(f"{self.base}/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel, so the next test starts on an unloaded machine."""
        for session in self.api("GET", "api/sessions") or []:
            self.api("DELETE", f"api/sessions/{session['id']}")

    def log(self) -> str:
        """The server's output so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop the server (it shuts its kernels down); kill its process group if it hangs."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def launch_browser(playwright):
    """Headless Debian Chromium (Playwright's own browser download is not used)."""
    # Playwright gives every launch a fresh temporary profile (user-data dir).
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)


def chromium_session():
    """Headless Chromium for a whole pytest session: the one fixture body of the browser and hub suites.

    Each suite registers it under its own name (``browser``, ``chromium``); they run in
    separate pytest processes because Playwright's sync API allows one instance per process.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


def new_page(browser, width: int = 1280, height: int = 900):
    """A page in a fresh browser context (no cookies or storage from other tests)."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    context.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)  # Playwright's default of 5 s is short for a loaded CI box
    return context.new_page()
