"""A hub's settings and folders: ``<site>/hub.json``, written by ``crmtrain hub config``.

Layout (``/srv/crmtrain`` by default; root owns everything but the exchange's course folder)::

    hub.json      (0600)      these settings
    jupyterhub_config.py (0600) two lines: crmtrain.hub.hubconfig reads hub.json
    crmtrain-hub.service (0600) a systemd unit that runs the hub
    crmtrain-remind.service, .timer (0600) the daily reminders, where systemd runs
    smtp-password (0600, optional; yours) the mail server's password for the reminders
    users.json    (0600)      who may log in (written by `hub users sync`, read at each login)
    state/        (0700)      JupyterHub's database, cookie secret, the status service's token
    jupyter/trainee/          Jupyter settings every trainee's server reads (JUPYTER_CONFIG_PATH)
    jupyter/specialist/       the same for the specialist, with nbgrader's instructor side
    exchange/     (1777)      nbgrader's exchange; exchange/<course>/ belongs to the specialist

The specialist's course (``crmtrain build`` output: workbooks/ and assignments/) lives in the
specialist's home, ``~/course`` unless told otherwise, and is written as the specialist.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..errors import UserError
from ..i18n import _
from . import AUTHENTICATORS, DEFAULT_PREFIX, LIMIT_DEFAULTS
from . import DEFAULT_SITE as _DEFAULT_SITE

DEFAULT_SITE = Path(_DEFAULT_SITE)
SETTINGS = "hub.json"
# Login names the shadow tools accept everywhere (Debian allows more; portable wins).
_LOGIN = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


def check_login(name: str, what: str = "user name") -> str:
    """``name`` if it can be a system login name, else a UserError saying what is allowed."""
    if name and not name.isascii():  # a name in Cyrillic where the login goes: the usual slip
        raise UserError(_("{what} {name}: Latin letters only; a login on the server is lower-case Latin letters, "
                          "digits, '-' and '_', starting with a letter (at most 32), like a_ivanova").format(
                              what=what, name=repr(name)))
    if not _LOGIN.match(name or ""):
        raise UserError(_("{what} {name} cannot be a login name on the server: use lower-case letters, digits, '-' "
                          "and '_', starting with a letter (at most 32)").format(what=what, name=repr(name)))
    return name


@dataclass(frozen=True)
class Site:
    """The settings of one hub; paths are absolute."""

    root: Path
    specialist: str
    course_home: Path  # the build output: workbooks/ and assignments/ (the nbgrader course)
    regulation: str
    prefix: Path = Path(DEFAULT_PREFIX)
    ip: str = "127.0.0.1"
    port: int = 8000  # where people connect (the proxy)
    hub_port: int = 8081  # JupyterHub itself, on 127.0.0.1 (the proxy and the servers talk to it)
    proxy_api_port: int = 8001  # the proxy's REST API, on 127.0.0.1
    course_id: str = "crm-training"
    db_url: str | None = None
    authenticator: str = "pam"
    python_path: tuple[str, ...] = field(default=())  # prepended to PYTHONPATH (tests: the checkout's src)
    # What one trainee may use (hub/limits.py): their server with its kernels and terminals.
    memory_limit: str = LIMIT_DEFAULTS["memory_limit"]
    max_processes: int = LIMIT_DEFAULTS["max_processes"]
    file_size_limit: str = LIMIT_DEFAULTS["file_size_limit"]
    idle_timeout: int = LIMIT_DEFAULTS["idle_timeout"]  # seconds without activity before a server is stopped
    # Reminders (`crmtrain remind`, daily): by a systemd timer, or by a JupyterHub service without systemd.
    remind_at: str = "08:00"  # the time of day, in the course's time zone
    reminders_by: str = "hub"  # "systemd" or "hub"
    smtp: str = ""  # HOST:PORT; empty: the course's reminders.json says (docs/reminders.md)
    mail_from: str = ""
    digest_to: str = ""
    smtp_user: str = ""

    # --- files and folders -------------------------------------------------------------------

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS

    @property
    def config_path(self) -> Path:
        return self.root / "jupyterhub_config.py"

    @property
    def users_path(self) -> Path:
        return self.root / "users.json"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def token_path(self) -> Path:
        return self.state_dir / "status-service-token"

    @property
    def smtp_password_path(self) -> Path:
        """Root's file holding the mail server's password (0600), handed to the reminders as they start."""
        return self.root / "smtp-password"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    def jupyter_dir(self, role: str) -> Path:
        """``jupyter/trainee`` or ``jupyter/specialist``: that role's config and data folders."""
        return self.root / "jupyter" / role

    @property
    def course_dir(self) -> Path:
        return self.course_home / "assignments"

    @property
    def workbooks_dir(self) -> Path:
        return self.course_home / "workbooks"

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    # --- reading and writing -----------------------------------------------------------------

    def save(self) -> Path:
        """Write ``hub.json`` (sorted keys: the same settings give the same bytes)."""
        data = {k: (str(v) if isinstance(v, Path) else list(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items()}
        self.root.mkdir(parents=True, exist_ok=True)
        write_private(self.settings_path, json.dumps(data, indent=2, sort_keys=True) + "\n")
        return self.settings_path

    @classmethod
    def load(cls, root: str | Path = DEFAULT_SITE) -> "Site":
        """Read ``<root>/hub.json``; a UserError saying to run ``crmtrain hub config`` if absent."""
        root = Path(root).absolute()
        path = root / SETTINGS
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{root} is not a crmtrain hub: {SETTINGS} is missing (run `crmtrain hub config` first)") from None
        except (OSError, ValueError) as exc:
            raise UserError(f"{path}: cannot read the hub's settings: {exc}") from None
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UserError(f"{path}: unknown settings: {', '.join(unknown)}")
        try:
            return cls(**{**data, "root": root, "course_home": Path(data["course_home"]),
                          "prefix": Path(data.get("prefix", DEFAULT_PREFIX)),
                          "python_path": tuple(data.get("python_path", ()))})
        except (KeyError, TypeError) as exc:
            raise UserError(f"{path}: incomplete settings ({exc})") from None


@dataclass(frozen=True)
class Users:
    """Who may log in: the active trainees, the specialist, and disabled trainees (kept, locked)."""

    trainees: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    created: tuple[str, ...] = ()  # system accounts crmtrain made (the only ones it ever locks)

    def save(self, path: Path) -> None:
        text = json.dumps({"trainees": sorted(self.trainees), "disabled": sorted(self.disabled),
                           "created": sorted(self.created)}, indent=2) + "\n"
        write_private(path, text)  # the hub reads it at every login: never half-written

    @classmethod
    def load(cls, path: Path) -> "Users":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        return cls(tuple(data.get("trainees", ())), tuple(data.get("disabled", ())), tuple(data.get("created", ())))


def write_private(path: Path, text: str) -> None:
    """Write a site file only root may read (0600), replacing the old one in one rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
