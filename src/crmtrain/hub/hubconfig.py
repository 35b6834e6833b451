"""JupyterHub's configuration for a crmtrain hub, applied inside the hub process.

The generated ``jupyterhub_config.py`` calls :func:`configure`. Choices made here:

* **Login**: PAM (system passwords) or NativeAuthenticator; either way only the specialist and
  the trainees ``users.json`` lists as active may log in, read at every login, so a roster
  sync takes effect without a restart.
* **Servers**: JupyterHub's local process spawner starts JupyterLab as the user, in their home,
  from the hub's prefix; trainees and the specialist get their own Jupyter settings folder
  (``JUPYTER_CONFIG_PATH``), so only the specialist has formgrader and the instructor panels.
  Before each start the newest workbooks go into the trainee's home, written as the trainee.
* **Restarts lose nothing**: servers and the proxy keep running while the hub is down
  (``cleanup_servers``/``cleanup_proxy`` off, a fixed proxy token), and the hub's state is in
  ``state/``; a restarted hub reconnects to them.
* **Formgrader in its own tab**: JupyterHub ≥ 4.1 sends ``frame-ancestors 'none'``, so
  nbgrader's formgrader panel (an iframe) stays blank. The specialist's menu Course →
  Formgrader (written by :mod:`.setup`) opens ``/user/<specialist>/formgrader`` in a browser
  tab instead; the policy is not weakened.
* **Limits** (:mod:`.limits`): each trainee's server starts inside their own control group
  (memory, processes) and rlimits; jupyterhub-idle-culler stops idle servers.
* **Reminders**: without systemd, ``crmtrain remind --daily`` runs as a managed service
  (as the specialist); with it, a systemd timer does (:mod:`.setup`).
* **Roles**: the specialist may see and stop servers in the hub's admin page but not open a
  trainee's server or files; the ``crmtrain`` service (``crmtrain hub status`` and ``users
  sync``) may read users and stop servers.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from pathlib import Path

from ..errors import UserError
from ..lab import DATA_DIR, FIRST_NOTEBOOK, MEMORY_ENVIRONMENT, serve
from . import limits, workbooks
from .site import Site, Users

SINGLEUSER = "jupyterhub-singleuser"

SERVICE = "crmtrain"
SERVICE_SCOPES = ["list:users", "read:users", "read:users:activity", "read:servers", "servers"]
CULLER = "idle-culler"
REMINDERS = "crmtrain-remind"  # the daily reminders, where no systemd timer runs them
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
SPECIALIST_SCOPES = ["admin-ui", "list:users", "read:users", "read:users:activity", "read:servers", "servers",
                     "self"]


def configure(c, settings_path: str) -> None:
    """Fill JupyterHub's config object ``c`` from ``hub.json``."""
    site = Site.load(Path(settings_path).parent)
    state = site.state_dir
    c.JupyterHub.bind_url = f"http://{site.ip}:{site.port}"
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = site.hub_port
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = False
    c.JupyterHub.cleanup_proxy = False
    c.ConfigurableHTTPProxy.command = [str(site.prefix / "node" / "node_modules" / ".bin" / "configurable-http-proxy")]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{site.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
    c.ConfigurableHTTPProxy.auth_token = _secret(state / "proxy-token")

    c.JupyterHub.authenticator_class = authenticator_class(site)
    if site.authenticator == "native":
        c.Authenticator.admin_users = {site.specialist}  # approves sign-ups at /hub/authorize
        c.NativeAuthenticator.open_signup = False
    c.JupyterHub.services = [{"name": SERVICE, "api_token": site.token_path.read_text(encoding="utf-8").strip()},
                             culler_service(site)]
    if site.reminders_by == "hub":  # no systemd timer: the hub keeps the daily reminders running
        c.JupyterHub.services.append(reminder_service(site))
    c.JupyterHub.load_roles = [
        {"name": "crmtrain-service", "scopes": SERVICE_SCOPES, "services": [SERVICE]},
        {"name": "crmtrain-specialist", "scopes": SPECIALIST_SCOPES, "users": [site.specialist]},
        {"name": "crmtrain-idle-culler", "scopes": CULLER_SCOPES, "services": [CULLER]},
    ]

    c.JupyterHub.spawner_class = limited_spawner(site)
    c.Spawner.mem_limit = limits.Limits.of(site).memory  # MEM_LIMIT for the server to show; the cgroup enforces it
    # jupyterhub-singleuser without jsonschema's unused IRI grammar (serve_singleuser), by that name in `ps`.
    c.Spawner.cmd = [str(site.prefix / "bin" / "python"), "-m", "crmtrain.hub.hubconfig", SINGLEUSER]
    c.Spawner.default_url = "/lab"
    c.Spawner.notebook_dir = "~"
    c.Spawner.start_timeout = 180  # a cold JupyterLab on a busy two-core server
    c.Spawner.http_timeout = 180
    # In a thread: the copies run as child processes, and the hub keeps serving meanwhile.
    c.Spawner.pre_spawn_hook = lambda spawner: asyncio.to_thread(prepare_server, site, spawner)


def culler_service(site: Site) -> dict:
    """jupyterhub-idle-culler as a hub service: stops servers idle for ``idle_timeout`` (as nobody)."""
    every = max(60, min(600, site.idle_timeout // 4))
    return {"name": CULLER, "user": "nobody", "cwd": "/",
            "command": [str(site.prefix / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                        f"--timeout={site.idle_timeout}", f"--cull-every={every}"]}


def reminder_service(site: Site) -> dict:
    """``crmtrain remind --daily`` as a managed hub service, run as the specialist (the course is theirs).

    The mail server's password goes from root's ``smtp-password`` file into the service's
    environment, which only the specialist and root can read; never onto a command line.
    """
    from .setup import remind_argv, user_env

    env = dict(user_env(site))
    if site.smtp_password_path.is_file():
        env["CRMTRAIN_SMTP_PASSWORD"] = site.smtp_password_path.read_text(encoding="utf-8").strip()
    return {"name": REMINDERS, "user": site.specialist, "cwd": str(site.course_home),
            "command": remind_argv(site, daily=True), "environment": env}


def limited_spawner(site: Site):
    """JupyterHub's local process spawner, starting each trainee's server inside their limits."""
    from jupyterhub.spawner import LocalProcessSpawner

    budget = limits.Limits.of(site)

    class LimitedSpawner(LocalProcessSpawner):
        """Joins the trainee's control group and sets their rlimits before dropping to the trainee."""

        def make_preexec_fn(self, name):
            drop = super().make_preexec_fn(name)
            if name == site.specialist:
                return drop  # grading runs in the specialist's server
            try:
                procs = limits.prepare(name, budget)
            except OSError as exc:  # rlimits alone then; said in the log
                self.log.warning("crmtrain: no control group for %s (%s): per-process limits only", name, exc)
                procs = ()

            def preexec():
                limits.enter(procs, budget)
                drop()

            return preexec

    return LimitedSpawner


def authenticator_class(site: Site):
    """PAM or NativeAuthenticator, letting in only the specialist and the active trainees."""
    if site.authenticator == "native":
        from nativeauthenticator import NativeAuthenticator as base
    else:
        from jupyterhub.auth import PAMAuthenticator as base

    class RosterAuthenticator(base):
        """Logs in the specialist and the trainees ``users.json`` lists as active."""

        def check_allowed(self, username, authentication=None):
            return username == site.specialist or username in Users.load(site.users_path).trainees

    RosterAuthenticator.__name__ = f"Roster{base.__name__}"
    return RosterAuthenticator


def server_environment(site: Site, username: str) -> dict[str, str]:
    """What a user's server gets in its environment, by role."""
    role = "specialist" if username == site.specialist else "trainee"
    base = site.jupyter_dir(role)
    env = {
        **MEMORY_ENVIRONMENT,  # glibc's arena limit, as for `crmtrain lab` (crmtrain.labmemory)
        "JUPYTER_CONFIG_PATH": str(base / "config"),
        # crmtrain's own JupyterLab extension sits in the package, as for `crmtrain lab`.
        "JUPYTER_PATH": os.pathsep.join([str(base / "data"), str(DATA_DIR)]),
        "PATH": os.pathsep.join([str(site.prefix / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
    }
    if site.python_path:
        env["PYTHONPATH"] = os.pathsep.join(site.python_path)
    return env


def prepare_server(site: Site, spawner) -> None:
    """Before a server starts: its environment, and a trainee's newest workbooks (written as the trainee)."""
    name = spawner.user.name
    spawner.environment.update(server_environment(site, name))
    if name == site.specialist:
        return
    try:
        have, _written = workbooks.update_home(site, name)
    except (UserError, OSError) as exc:  # a missing build must not keep the trainee out of their files
        spawner.log.warning("crmtrain: could not update the workbooks of %s: %s %s", name, exc,
                            " | ".join(map(str, getattr(exc, "problems", ()))))
        return
    if FIRST_NOTEBOOK in have:
        spawner.default_url = f"/lab/tree/{workbooks.FOLDER}/{FIRST_NOTEBOOK}"  # where `crmtrain lab` starts
    try:
        workbooks.update_reminder(site, name)  # the day's reminder for My training
        workbooks.update_review(site, name)  # the review workbook, once the review plan's day has come
    except (UserError, OSError) as exc:
        spawner.log.warning("crmtrain: could not place the reminder or review workbook of %s: %s", name, exc)
    try:
        workbooks.update_dates(site, name)  # their own due dates for My training
    except (UserError, OSError) as exc:
        spawner.log.warning("crmtrain: could not place the due dates of %s: %s", name, exc)


def _secret(path: Path) -> str:
    if not path.exists():
        path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _singleuser_main():
    from jupyterhub.singleuser import main

    return main


def serve_singleuser(argv: list[str]) -> int:
    """A user's server as ``jupyterhub-singleuser ARGS`` runs it, without jsonschema's IRI grammar (~16 MB, lab.serve)."""
    sys.argv[0] = SINGLEUSER  # the program name its messages give, as from its console script
    return serve(argv, app=_singleuser_main)


if __name__ == "__main__":  # Spawner.cmd: python -m crmtrain.hub.hubconfig jupyterhub-singleuser ARGS
    sys.exit(serve_singleuser(sys.argv[2:]) if sys.argv[1:2] == [SINGLEUSER] else 2)
