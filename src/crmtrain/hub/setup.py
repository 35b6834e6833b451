"""``crmtrain hub config``: the hub's configuration, folders, exchange and the specialist's course.

Everything is (re)written from the settings, so running it again after a change (another
port, a gradebook on PostgreSQL, a new regulation) is how the hub is reconfigured; the
course is rebuilt as the specialist, which keeps grades and trainees' work.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
from pathlib import Path

from .. import lab
from ..grading.plumbing.config import PLUGINS, trainee_config_text
from . import accounts
from .exchange import write_exchange
from .site import Site, write_private

ROLES = ("trainee", "specialist")

_HUB_CONFIG = '''\
"""JupyterHub configuration of the crmtrain hub in this folder (written by `crmtrain hub config`).

The settings are in hub.json; crmtrain.hub.hubconfig turns them into JupyterHub's. Put local
changes (another authenticator, HTTPS, ...) after the call: they win.
"""
{path_line}from crmtrain.hub.hubconfig import configure

configure(c, {settings!r})  # noqa: F821  (`c` is JupyterHub's config object)
'''

_UNIT = """\
[Unit]
Description=crmtrain JupyterHub ({root})
After=network.target

[Service]
User=root
WorkingDirectory={root}
ExecStart={jupyterhub} -f {config}
Restart=on-failure
# Stopping the hub leaves the trainees' servers running (JupyterHub's cleanup_servers=False).
KillMode=process

[Install]
WantedBy=multi-user.target
"""


# The daily reminders where systemd runs: a oneshot service as the specialist, and its timer.
_REMIND_UNIT = """\
[Unit]
Description=crmtrain reminders by email ({root})
After=network-online.target

[Service]
Type=oneshot
User={specialist}
WorkingDirectory={course_home}
ExecStart={argv}
# As root ('+'): the review workbooks whose day has come, into the homes, each written as its trainee.
ExecStartPost=+{reviews}
{environment}"""

_REMIND_TIMER = """\
[Unit]
Description=crmtrain reminders every day at {at} ({root})

[Timer]
OnCalendar=*-*-* {at}:00 {timezone}
Persistent=true

[Install]
WantedBy=timers.target
"""
REMIND_UNITS = ("crmtrain-remind.service", "crmtrain-remind.timer")
SYSTEMD_DIR = Path("/etc/systemd/system")


def hub_config_text(site: Site) -> str:
    """The text of ``jupyterhub_config.py`` (deterministic)."""
    path_line = ""
    if site.python_path:
        path_line = f"import sys\nsys.path[:0] = {list(site.python_path)!r}\n"
    return _HUB_CONFIG.format(settings=str(site.settings_path), path_line=path_line)


def unit_text(site: Site) -> str:
    """A systemd unit running this hub (``systemctl enable --now /srv/crmtrain/crmtrain-hub.service``)."""
    return _UNIT.format(root=site.root, jupyterhub=site.prefix / "bin" / "jupyterhub", config=site.config_path)


def remind_argv(site: Site, *, daily: bool) -> list[str]:
    """``crmtrain remind`` on the hub's course with the hub's mail settings (``daily``: the service's loop)."""
    argv = [str(site.prefix / "bin" / "python"), "-m", "crmtrain", "remind", "--course", str(site.course_dir)]
    for flag, value in (("--smtp", site.smtp), ("--from", site.mail_from), ("--to", site.digest_to),
                        ("--smtp-user", site.smtp_user)):
        argv += [flag, value] if value else []
    return argv + (["--daily", site.remind_at] if daily else [])


def remind_units(site: Site, timezone: str) -> dict[str, str]:
    """The systemd service and timer that run the reminders daily at ``site.remind_at`` in ``timezone``."""
    env = [f"Environment={k}={v}" for k, v in user_env(site).items()]
    if site.smtp_password_path.is_file():  # systemd hands root's file to the service as a credential
        env += [f"LoadCredential=smtp-password:{site.smtp_password_path}",
                "Environment=CRMTRAIN_SMTP_PASSWORD_FILE=%d/smtp-password"]
    service = _REMIND_UNIT.format(root=site.root, specialist=site.specialist, course_home=site.course_home,
                                  argv=shlex.join(remind_argv(site, daily=False)), environment="".join(f"{e}\n" for e in env),
                                  reviews=shlex.join([str(site.prefix / "bin" / "python"), "-m", "crmtrain", "hub", "users",
                                                      "reviews", "--site", str(site.root)]))
    timer = _REMIND_TIMER.format(root=site.root, at=site.remind_at, timezone=timezone)
    return dict(zip(REMIND_UNITS, (service, timer)))


def systemd_runs() -> bool:
    """Whether systemd manages this machine (its runtime folder exists), so a timer can run the reminders."""
    return Path("/run/systemd/system").is_dir()


def install_timer(site: Site, timezone: str) -> None:
    """Write the reminders' units into systemd's folder and start the timer (root, systemd only)."""
    import subprocess

    for name, text in remind_units(site, timezone).items():
        write_private(site.root / name, text)
        _write(SYSTEMD_DIR / name, text)
    for argv in (["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", REMIND_UNITS[1]]):
        subprocess.run(argv, check=True, capture_output=True)


def write_site(site: Site) -> None:
    """Write every file and folder of the site except the course (root only, as the hub runs)."""
    site.root.mkdir(parents=True, exist_ok=True)
    site.root.chmod(0o755)
    site.save()
    # Root's alone: the settings and the trainee list are nobody else's business. Only
    # jupyter/ (every server's settings) and the exchange are open to the users.
    write_private(site.config_path, hub_config_text(site))
    write_private(site.root / "crmtrain-hub.service", unit_text(site))
    if site.users_path.exists():
        site.users_path.chmod(0o600)
    site.state_dir.mkdir(mode=0o700, exist_ok=True)
    site.state_dir.chmod(0o700)
    if not site.token_path.exists():
        site.token_path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
        site.token_path.chmod(0o600)
    write_exchange(site)
    write_jupyter_config(site)


def write_jupyter_config(site: Site) -> None:
    """The trainees' and the specialist's Jupyter settings (readable by all, written by root)."""
    python = str(site.prefix / "bin" / "python")
    for role in ROLES:
        instructor = role == "specialist"
        base = site.jupyter_dir(role)
        # JupyterLab in the regulation's language (its language pack comes with crmtrain).
        lang = lab.notebook_language(site.workbooks_dir) if site.workbooks_dir.is_dir() else "en"
        config, _data = lab.prepare(base, python=python, lang=lang, instructor=instructor)
        server = lab.server_config(instructor=instructor)  # idle kernels culled (lab.KERNEL_CULLING)
        _write(config / "jupyter_server_config.json", json.dumps(server, indent=2) + "\n")
        if instructor:
            _add_defaults(config, formgrader_menu(site))
        text = trainee_config_text(site.course_id, site.exchange)
        if instructor:
            # nbgrader then also reads the course's own nbgrader_config.py (db_url and all); the
            # exchange classes are named here too, so no way of starting nbgrader gets stock collect.
            text += (f"c.CourseDirectory.root = {str(site.course_dir)!r}\n"
                     f'c.ExchangeFactory.collect = "{PLUGINS}.SafeCollect"\n'
                     f'c.ExchangeFactory.release_assignment = "{PLUGINS}.RecordingReleaseAssignment"\n')
        _write(config / "nbgrader_config.py", text)
        for folder in (base, *base.rglob("*")):
            folder.chmod(0o755 if folder.is_dir() else 0o644)
    (site.root / "jupyter").chmod(0o755)


def formgrader_menu(site: Site) -> dict:
    """A "Course" menu for the specialist whose entry opens formgrader in a browser tab of its own.

    Since JupyterHub 4.1 single-user servers forbid being framed (``frame-ancestors 'none'``),
    so nbgrader's own menu entry shows an empty panel; a tab of its own needs no exception to
    that policy.
    """
    return {"@jupyterlab/mainmenu-extension:plugin": {"menus": [{
        "id": "jp-mainmenu-crmtrain", "label": "Course", "rank": 90,
        "items": [{"command": "help:open", "rank": 0,
                   "args": {"url": f"/user/{site.specialist}/formgrader", "text": "Formgrader (opens a new tab)",
                            "newBrowserTab": True}}],
    }]}}


def _add_defaults(config: Path, extra: dict) -> None:
    path = config / "labconfig" / "default_setting_overrides.json"
    merged = {**json.loads(path.read_text(encoding="utf-8")), **extra}
    _write(path, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")


def build_course(site: Site) -> None:
    """Build (or rebuild) the workbooks and the course into the specialist's home, as the specialist."""
    argv = [str(site.prefix / "bin" / "python"), "-m", "crmtrain", "build", site.regulation,
            "--out", str(site.course_home), "--exchange", str(site.exchange), "--course-id", site.course_id]
    if site.db_url:
        argv += ["--db-url", site.db_url]
    accounts.run_as(site.specialist, argv, env=user_env(site), what="crmtrain build")


def user_env(site: Site) -> dict[str, str]:
    """Environment for crmtrain run as a hub user (the checkout's src first, in tests)."""
    return {"PYTHONPATH": os.pathsep.join(site.python_path)} if site.python_path else {}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
