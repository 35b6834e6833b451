"""Where reminders are sent from and how: the course's ``reminders.json``, then the command line.

``<course>/reminders.json`` (all keys optional; the hub's ``crmtrain hub config --smtp ...``
passes the same settings on the service's command line)::

    {"smtp": "mail.example.com:587", "from": "Training <training@example.com>",
     "specialist": "head.of.sales@example.com", "user": "training@example.com",
     "password_file": "~/.config/crmtrain/smtp-password"}

The password is never a setting or an option: it is the ``CRMTRAIN_SMTP_PASSWORD``
environment variable, else the file ``CRMTRAIN_SMTP_PASSWORD_FILE`` names (systemd's
credentials), else the ``password_file`` (which must be the runner's own, readable by nobody
else: mode 0600 or 0400), else none (a server that needs no login).
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import UserError
from ..i18n import _

FILE = "reminders.json"
PASSWORD_ENV = "CRMTRAIN_SMTP_PASSWORD"
PASSWORD_FILE_ENV = "CRMTRAIN_SMTP_PASSWORD_FILE"
KEYS = ("smtp", "from", "specialist", "user", "password_file")
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>.]+(\.[^@\s<>.]+)+$")


@dataclass(frozen=True)
class MailSettings:
    """How to reach the mail server, who sends, who gets the digest."""

    host: str = ""
    port: int = 25
    sender: str = ""  # the From: address, maybe with a display name
    specialist: str = ""  # the digest's recipient; the sender's address when empty
    user: str = ""  # the SMTP login, used when the server offers AUTH
    password_file: str = ""

    @property
    def digest_to(self) -> str:
        return self.specialist or self.sender

    def password(self) -> str | None:
        """The SMTP password: the environment variable, else the private file, else None."""
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        if os.environ.get(PASSWORD_FILE_ENV):  # systemd's credentials: private to the service by design
            return _read(Path(os.environ[PASSWORD_FILE_ENV]), private=False)
        return _read(Path(self.password_file).expanduser(), private=True) if self.password_file else None


def _read(path: Path, private: bool) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise UserError(_("{file}: cannot read the SMTP password ({reason})").format(
            file=path, reason=exc.strerror)) from None
    with os.fdopen(fd, encoding="utf-8") as fh:
        st = os.fstat(fh.fileno())
        if private and (st.st_uid != os.geteuid() or stat.S_IMODE(st.st_mode) & 0o077):
            raise UserError(_("{file}: the SMTP password file must be yours and private (chmod 600 {file})").format(
                file=path))
        return fh.read().strip()


def parse_server(text: str) -> tuple[str, int]:
    """``host:port`` (or ``host``, port 25) as a pair; UserError when the port is not a number."""
    host, sep, port = text.strip().rpartition(":") if ":" in text else (text.strip(), "", "25")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UserError(_("{value}: the SMTP server is written HOST:PORT, like mail.example.com:587").format(
            value=repr(text)))
    return host, int(port)


def check_address(value: str, what: str) -> str:
    """``value`` when it holds an email address (``Name <a@b.c>`` or ``a@b.c``), else a UserError."""
    bare = value.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in value else value.strip()
    if not _ADDRESS.match(bare):
        raise UserError(_("{what}: {value} is not an email address").format(what=what, value=repr(value)))
    return value.strip()


def load(course_root: Path, smtp: str | None = None, sender: str | None = None,
         specialist: str | None = None, user: str | None = None) -> MailSettings:
    """The course's settings with the command line's on top (the command line wins)."""
    path = course_root / FILE
    data: dict = {}
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(_("{file}: unreadable ({error})").format(file=path, error=exc)) from None
        if not isinstance(data, dict):
            raise UserError(_("{file}: expected an object of settings like {example}").format(
                file=path, example='{"smtp": "mail.example.com:587", "from": "training@example.com"}'))
        unknown = sorted(set(data) - set(KEYS))
        if unknown:
            raise UserError(_("{file}: unknown settings {names}; known: {known}").format(
                file=path, names=", ".join(unknown), known=", ".join(KEYS)))
    if user:
        data = {**data, "user": user}
    return _settings(data, path.name, smtp, sender, specialist)


def _settings(data: dict, where: str, smtp: str | None, sender: str | None, specialist: str | None) -> MailSettings:
    out = MailSettings()
    server = smtp or data.get("smtp")
    if server:
        host, port = parse_server(str(server))
        out = replace(out, host=host, port=port)
    if sender or data.get("from"):
        out = replace(out, sender=check_address(str(sender or data["from"]), "--from" if sender else f"{where}: from"))
    if specialist or data.get("specialist"):
        out = replace(out, specialist=check_address(str(specialist or data["specialist"]),
                                                    "--to" if specialist else f"{where}: specialist"))
    return replace(out, user=str(data.get("user") or ""), password_file=str(data.get("password_file") or ""))


def ready(settings: MailSettings) -> MailSettings:
    """``settings`` when mail can be sent with them, else a UserError saying what is missing and where."""
    missing = [name for name, value in (("smtp", settings.host), ("from", settings.sender)) if not value]
    if missing:
        raise UserError(_("reminders cannot be sent: no {names} (give --smtp HOST:PORT and --from ADDRESS, or write "
                          "them into {file} in the course folder); --dry-run shows what would be sent").format(
                              names=" / ".join(missing), file=FILE))
    return settings
