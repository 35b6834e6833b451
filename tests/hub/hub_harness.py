"""A real crmtrain hub for the hub suite: system users, JupyterHub, its proxy, PostgreSQL.

Everything is made through crmtrain's own commands (``crmtrain hub config``, ``users sync``)
run as root, like an administrator would; only what a test needs on top is added here:
throwaway user names, free ports, a site folder under /tmp, ``window.jupyterapp`` for waiting
on kernels, and a copy of the checkout's ``src/`` the users' servers can read.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, expect

from crmtrain import cli
from crmtrain.hub import accounts, api, install, limits
from crmtrain.hub.site import Site

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "hub"  # screenshots and the hub's log when a test fails
PREFIX = Path(os.environ.get("CRMTRAIN_HUB_PREFIX", install.DEFAULT_PREFIX))
START_TIMEOUT_S = 120
SPAWN_TIMEOUT_MS = 180_000  # a cold JupyterLab on a loaded two-core machine


def skip_reason() -> str | None:
    """Why the live hub suite cannot run here, or None."""
    if os.geteuid() != 0:
        return "the hub suite creates system users and must run as root (CI does; `sudo make test` here)"
    for tool in ("useradd", "userdel", "chpasswd", "runuser", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} not found"
    if not os.access("/usr/bin/python3", os.X_OK):
        return "no system Python at /usr/bin/python3 (apt-get install python3 python3-venv)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_installed() -> None:
    """`crmtrain hub install` into PREFIX unless it holds this checkout's dependencies (CI does it up front)."""
    if not install.up_to_date(PREFIX, REPO):
        assert cli.main(["hub", "install", "--prefix", str(PREFIX), "--source", str(REPO)]) == 0


@dataclass
class Hub:
    """One configured hub with a specialist and two trainees; ``start``/``stop`` the JupyterHub process."""

    site: Site
    passwords: dict[str, str]
    trainees: tuple[str, str]
    work: Path
    proc: subprocess.Popen | None = None
    log_path: Path = field(init=False)
    config_argv: list[str] = field(default_factory=list)  # `crmtrain hub config ...` as first run
    staff: Path | None = None

    def __post_init__(self) -> None:
        self.log_path = self.work / "jupyterhub.log"

    @property
    def specialist(self) -> str:
        return self.site.specialist

    @property
    def url(self) -> str:
        return self.site.url

    def home(self, name: str) -> Path:
        return accounts.home(name)

    # --- the JupyterHub process ----------------------------------------------------------------

    def start(self) -> "Hub":
        """Start JupyterHub as ``crmtrain hub start`` does; wait until its login page answers."""
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [str(self.site.prefix / "bin" / "jupyterhub"), "-f", str(self.site.config_path)],
                cwd=self.site.root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited; its log:\n{self.log()[-5000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/login", timeout=5) as reply:
                    if reply.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise RuntimeError(f"JupyterHub did not answer; its log:\n{self.log()[-5000:]}")

    def stop(self) -> None:
        """Stop the hub process only (servers and proxy keep running, as configured)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def running_servers(self) -> set[str]:
        """Users whose server the hub reports as running."""
        return {u["name"] for u in api.users(self.site) if u.get("server")}

    def teardown(self) -> None:
        """Stop every server, the hub and its proxy; remove the users and the site."""
        try:
            for name in (self.specialist, *self.trainees):
                try:
                    api.stop_server(self.site, name)
                except (api.HubDown, urllib.error.HTTPError):
                    pass
        finally:
            self.stop()
            pid_file = self.site.state_dir / "jupyterhub-proxy.pid"
            if pid_file.exists():
                try:
                    os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
                except (ValueError, ProcessLookupError):
                    pass
            for name in (self.specialist, *self.trainees):
                if accounts.exists(name):
                    accounts.delete(name)
                limits.remove(name)
            shutil.rmtree(self.site.root, ignore_errors=True)

    # --- acting as a user on the server ------------------------------------------------------

    def run_as(self, name: str, *args: str) -> subprocess.CompletedProcess:
        """``crmtrain ARGS`` as the user ``name``, with the hub's Python (as in their terminal)."""
        from crmtrain.hub.setup import user_env

        from crmtrain.errors import UserError

        try:
            return accounts.run_as(name, [str(self.site.prefix / "bin" / "python"), "-m", "crmtrain", *args],
                                   env=user_env(self.site), what=f"crmtrain {args[0]}")
        except UserError as exc:
            raise AssertionError("\n".join([str(exc), *exc.lines])) from None


def make_hub(work: Path, db_url: str | None = None) -> Hub:
    """Configure a hub with three new system users (unique names) through crmtrain's commands."""
    ensure_installed()
    tag = secrets.token_hex(2)
    specialist, trainees = f"ct{tag}-spec", (f"ct{tag}-ann", f"ct{tag}-bob")
    # Under /tmp, not pytest's private tmp: the users' servers must read the site's settings.
    root = Path(tempfile.mkdtemp(prefix="crmtrain-hub-", dir="/tmp"))
    root.chmod(0o755)
    src = root / "src"
    shutil.copytree(REPO / "src" / "crmtrain", src / "crmtrain",
                    ignore=shutil.ignore_patterns("__pycache__"))  # the checkout may be private (CI)
    subprocess.run(["chmod", "-R", "a+rX", str(src)], check=True)
    ports = [str(free_port()) for _ in range(3)]
    argv = ["hub", "config", "sample:en", "--allow-sample", "--specialist", specialist, "--site", str(root), "--prefix", str(PREFIX),
            "--port", ports[0], "--hub-port", ports[1], "--proxy-api-port", ports[2], "--python-path", str(src)]
    if db_url:
        argv += ["--db-url", db_url]
    try:
        assert cli.main(argv) == 0
        site = Site.load(root)
        expose_app_in_browser(site)
        staff = work / "staff.csv"
        staff.write_text("id,name,email\n" + "".join(f"{t},{t.title()},{t}@example.com\n" for t in trainees),
                         encoding="utf-8")
        assert cli.main(["hub", "users", "sync", str(staff), "--site", str(root)]) == 0
        with open(site.state_dir / "initial-passwords.csv", encoding="utf-8") as fh:
            passwords = {row[0]: row[1] for row in list(csv.reader(fh))[1:]}
    except BaseException:
        for name in (specialist, *trainees):
            if accounts.exists(name):
                accounts.delete(name)
        shutil.rmtree(root, ignore_errors=True)
        raise
    hub = Hub(site, passwords, trainees, work)
    hub.config_argv, hub.staff = argv, staff
    return hub


def expose_app_in_browser(site: Site) -> None:
    """Tests wait on the kernel through ``window.jupyterapp``, as the browser suite does."""
    for role in ("trainee", "specialist"):
        path = site.jupyter_dir(role) / "config" / "jupyter_lab_config.json"
        path.write_text(json.dumps({"LabApp": {"expose_app_in_browser": True}}) + "\n", encoding="utf-8")
        path.chmod(0o644)


class Postgres:
    """A private PostgreSQL server from Debian's package, run by ``owner``: a socket in their home, no TCP."""

    def __init__(self, owner: str) -> None:
        import glob

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise RuntimeError("PostgreSQL's server is not installed (apt-get install postgresql)")
        self.bin, self.owner = Path(found[-1]).parent, owner
        self.data = accounts.home(owner) / "pg-data"
        self.socket = accounts.home(owner) / "pg-socket"
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgresql://{self.owner}@/crmtrain?host={self.socket}&port={self.port}"

    def _as_owner(self, *argv: str) -> None:
        accounts.run_as(self.owner, [str(a) for a in argv], what=Path(argv[0]).name)

    def start(self) -> "Postgres":
        self._as_owner("mkdir", "-m", "700", "-p", self.socket)
        self._as_owner(self.bin / "initdb", "--auth=peer", "--username", self.owner, "-D", self.data)
        self._as_owner(self.bin / "pg_ctl", "-D", self.data, "-w", "-t", "120", "-l", self.data / "server.log",
                       "-o", f"-k {self.socket} -p {self.port} -c listen_addresses=''", "start")
        self._as_owner(self.bin / "createdb", "-h", self.socket, "-p", str(self.port), "crmtrain")
        return self

    def stop(self) -> None:
        try:
            self._as_owner(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        except Exception:  # the owner's processes are killed when the account goes anyway
            pass


@dataclass
class UserServer:
    """What tests/browser/trainee.py needs of a server: page addresses and the served folder."""

    hub_url: str
    name: str
    root: Path

    def url(self, path: str = "lab", reset: bool = False) -> str:
        return f"{self.hub_url}/user/{self.name}/{path.lstrip('/')}" + ("?reset" if reset else "")


def log_in(page: Page, hub: Hub, name: str, password: str | None = None) -> UserServer:
    """Log in on the hub's own login page and wait for JupyterLab (the server is spawned on first login)."""
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(password or hub.passwords[name])
    page.locator("#login_submit").click()
    page.wait_for_url(f"**/user/{name}/lab**", timeout=SPAWN_TIMEOUT_MS)
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=SPAWN_TIMEOUT_MS)
    return UserServer(hub.url, name, hub.home(name))


def in_kernel(page: Page, code: str) -> str:
    """Run ``code`` in the kernel of the notebook open on ``page``; its printed output."""
    return page.evaluate("""async (code) => {
      const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
      const future = kernel.requestExecute({code, store_history: false});
      let out = '';
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') out += msg.content.text;
        if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
      };
      await future.done;
      return out;
    }""", code)
