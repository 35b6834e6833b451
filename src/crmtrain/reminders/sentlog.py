"""The sent-log: which letters went out on which day, and which are waiting to be tried again.

``<course>/reminders/sent.json`` (the specialist's alone, 0600; replaced in one rename, so a
crash never leaves half of it) holds ``sent``, one entry per delivered letter keyed by
recipient, day and the letter's content (:attr:`.letters.Letter.key`), and ``pending``, the
letters a server refused, kept whole so the next run sends them again, until they are
delivered or :data:`GIVE_UP_DAYS` old. Entries older than :data:`KEEP_DAYS` are dropped. One
run at a time holds ``reminders/.lock``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..i18n import _
from .letters import Letter

FOLDER = "reminders"
LOG = "sent.json"
KEEP_DAYS = 120
GIVE_UP_DAYS = 7


@dataclass
class SentLog:
    path: Path
    sent: list[dict] = field(default_factory=list)
    pending: list[dict] = field(default_factory=list)

    @classmethod
    def load(cls, course_root: Path) -> "SentLog":
        path = course_root / FOLDER / LOG
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            raise UserError(_("{file}: unreadable ({error}); move it away to start a new sent-log").format(
                file=path, error=exc)) from None
        return cls(path, list(data.get("sent", [])), list(data.get("pending", [])))

    def was_sent(self, letter: Letter, day: dt.date) -> bool:
        """Whether this very letter went to this address on ``day``."""
        return any(e["key"] == letter.key and e["day"] == day.isoformat() for e in self.sent)

    def sent_on(self, day: dt.date, digest: bool = False) -> int:
        """How many letters (trainees', or digests) were delivered for ``day``."""
        return sum(1 for e in self.sent if e["day"] == day.isoformat() and (e["trainee"] == "") == digest)

    def record_sent(self, letter: Letter, day: dt.date, now: dt.datetime) -> None:
        self.pending = [p for p in self.pending if not (p["letter"]["to"] == letter.to and p["key"] == letter.key)]
        self.sent.append({"day": day.isoformat(), "trainee": letter.trainee, "to": letter.to, "key": letter.key,
                          "subject": letter.subject, "at": now.isoformat(timespec="seconds")})

    def record_failed(self, letter: Letter, day: dt.date, reason: str, now: dt.datetime) -> None:
        for p in self.pending:
            if p["key"] == letter.key and p["day"] == day.isoformat():
                p.update(tries=p["tries"] + 1, reason=reason, last=now.isoformat(timespec="seconds"))
                return
        self.pending.append({"day": day.isoformat(), "key": letter.key, "trainee": letter.trainee, "tries": 1,
                             "reason": reason, "last": now.isoformat(timespec="seconds"), "letter": letter.as_json()})

    def waiting(self, today: dt.date) -> tuple[list[tuple[dt.date, Letter]], list[dict]]:
        """(letters of earlier days to try again, entries given up: older than GIVE_UP_DAYS)."""
        again, dropped = [], []
        for p in self.pending:
            day = dt.date.fromisoformat(p["day"])
            if day >= today:
                continue
            if (today - day).days > GIVE_UP_DAYS:
                dropped.append(p)
            else:
                again.append((day, letter_of(p["letter"])))
        return again, dropped

    def forget(self, entries: list[dict]) -> None:
        self.pending = [p for p in self.pending if p not in entries]

    def save(self, today: dt.date) -> None:
        """Write the log in one rename, dropping what is older than KEEP_DAYS."""
        oldest = (today - dt.timedelta(days=KEEP_DAYS)).isoformat()
        data = {"sent": [e for e in self.sent if e["day"] >= oldest], "pending": self.pending}
        self.path.parent.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{LOG}.")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def letter_of(data: dict) -> Letter:
    """A letter back from its JSON form."""
    sections = tuple((str(h), tuple(map(str, lines))) for h, lines in data["sections"])
    return Letter(data["to"], data["trainee"], data["name"], data["subject"], data["greeting"], sections,
                  tuple(data.get("closing", ())))


@contextlib.contextmanager
def one_run_at_a_time(course_root: Path) -> Iterator[None]:
    """Hold ``reminders/.lock``; a UserError when another run holds it."""
    folder = course_root / FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(_("another `crmtrain remind` is sending the reminders of {course} now").format(
                course=course_root)) from None
        yield
    finally:
        os.close(fd)
