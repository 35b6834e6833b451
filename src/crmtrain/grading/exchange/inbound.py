"""What in ``<exchange>/<course>/inbound/`` counts as a submission, and why the rest does not.

Any trainee may create entries in ``inbound/`` (nbgrader makes it writable by all), so an
entry counts as ``<trainee>``'s submission only if all of this holds, checked without
following a link and without reading anything but its ``timestamp.txt``:

* it is named ``<trainee>+<assessment>+<UTC time>[+<random>]`` with a roster-like trainee id;
* it is a real folder (not a link, a file or a pipe) the collector may enter;
* it belongs to the account named ``<trainee>`` (the hub's logins are the roster's ids), to
  the collector itself or to root: one trainee cannot submit in another's name;
* its time is not in the future (beyond :data:`SKEW`), so it cannot outrank later submissions;
* its ``timestamp.txt``, which nbgrader writes after copying everything else, names the same
  time: a submit still in progress is left for the next collect.

Everything else is named in one line each (:attr:`Scan.refused`) and left where it is.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError
from ...kinds.assessments import COURSE_ASSESSMENTS
from .fetchlog import parse_timestamp
from .owners import owners_for, user_name

SKEW = dt.timedelta(minutes=5)  # how far ahead of this machine's clock a submission may be dated
TIMESTAMP = "timestamp.txt"
TRAINEE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$")  # as the roster accepts them
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # a pipe never blocks the open


class Refused(Exception):
    """Why an entry does not count, in a few words (the entry's name is added when reported)."""


@dataclass(frozen=True)
class Submission:
    name: str  # the entry's name in inbound/
    trainee: str
    at: dt.datetime  # naive UTC, from the name (and its timestamp.txt)
    uid: int  # the owner, checked
    ino: tuple[int, int]  # (device, inode): the very folder that was checked


@dataclass(frozen=True)
class Scan:
    accepted: tuple[Submission, ...]  # oldest first
    refused: tuple[str, ...]  # one line per entry: "<name>: <why>: ignored"

    def by_trainee(self) -> dict[str, list[Submission]]:
        """``{trainee: [their accepted submissions, oldest first]}``."""
        found: dict[str, list[Submission]] = {}
        for sub in self.accepted:
            found.setdefault(sub.trainee, []).append(sub)
        return found


def shown(name: str) -> str:
    """A name as it can be printed on one line (control characters and bad bytes escaped)."""
    return name if name.isprintable() else repr(name)


def open_own_dir(name: str, parent: int | None = None, *, owners: set[int] | None = None) -> int:
    """An fd of the folder ``name`` (relative to ``parent``), refused if a link or someone else's."""
    try:
        fd = os.open(name, DIR_FLAGS, dir_fd=parent)
    except OSError as exc:
        why = {errno.ELOOP: "is a link", errno.ENOTDIR: "is not a folder", errno.ENOENT: "does not exist",
               errno.EACCES: "cannot be read"}.get(exc.errno, exc.strerror)
        raise Refused(why) from None
    owner = os.fstat(fd).st_uid
    if owner not in (owners if owners is not None else {0, os.geteuid()}):
        os.close(fd)
        raise Refused(f"belongs to {user_name(owner)}")
    return fd


def open_inbound(exchange_dir: Path, course_id: str, trusted: set[int] | None = None) -> int:
    """An fd of ``<exchange>/<course>/inbound`` reached through no link and no trainee's folder.

    Both folders must belong to one of ``trusted`` (by default the reader and root; root
    reading the hub's exchange passes the specialist's uid too).
    """
    root = os.open(exchange_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # the configured root
    try:
        where = course_id
        course = open_own_dir(course_id, root, owners=trusted)
        try:
            where = f"{course_id}/inbound"
            return open_own_dir("inbound", course, owners=trusted)
        finally:
            os.close(course)
    except Refused as why:
        raise UserError(f"{exchange_dir / where} {why}: refusing to read submissions through it "
                        "(the exchange's course folder must be made by the specialist; see docs/security.md)") from None
    finally:
        os.close(root)


def _timestamp_inside(folder: int) -> str:
    """The text of ``timestamp.txt`` in an open submission folder (Refused if it cannot be trusted)."""
    try:
        fd = os.open(TIMESTAMP, FILE_FLAGS, dir_fd=folder)
    except FileNotFoundError:
        raise Refused(f"has no {TIMESTAMP} yet (a submit still in progress?)") from None
    except OSError as exc:
        raise Refused(f"its {TIMESTAMP} cannot be read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 1024:
            raise Refused(f"its {TIMESTAMP} is not a small file")
        return os.read(fd, 1024).decode("utf-8", "replace").strip()
    finally:
        os.close(fd)


def check(inbound: int, name: str, trainee: str, stamp: str, now: dt.datetime) -> Submission:
    """The submission ``name`` if it counts (see the module's docstring); Refused says why not."""
    if not TRAINEE_ID.match(trainee):
        raise Refused("the trainee id is not one a roster can hold")
    at = parse_timestamp(stamp)
    if at is None:
        raise Refused(f"its time {stamp!r} cannot be read")
    if at > now + SKEW:
        raise Refused(f"dated {at:%Y-%m-%d %H:%M} UTC, in the future")
    st = os.stat(name, dir_fd=inbound, follow_symlinks=False)
    if stat.S_ISLNK(st.st_mode):
        raise Refused("is a link")
    if not stat.S_ISDIR(st.st_mode):
        raise Refused("is a file, not a folder" if stat.S_ISREG(st.st_mode) else "is a special file")
    allowed = owners_for(trainee)
    if st.st_uid not in allowed:
        raise Refused(f"made by {user_name(st.st_uid)}, not by {trainee}")
    try:
        fd = open_own_dir(name, inbound, owners=allowed)
    except Refused as why:
        if str(why) == "cannot be read":
            raise Refused(f"cannot be read (mode {stat.S_IMODE(st.st_mode):04o})") from None
        raise
    try:
        inside = _timestamp_inside(fd)
        if parse_timestamp(inside) != at:
            raise Refused(f"its {TIMESTAMP} says {shown(inside[:40])!r}, its name {stamp!r}")
        found = os.fstat(fd)
    finally:
        os.close(fd)
    return Submission(name, trainee, at, found.st_uid, (found.st_dev, found.st_ino))


def scan(inbound: int, assessment: str, now: dt.datetime | None = None) -> Scan:
    """Every entry of ``inbound/`` about ``assessment``: the submissions that count and the refused."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    accepted, refused = [], []
    with os.scandir(inbound) as entries:
        names = sorted(e.name for e in entries)
    for name in names:
        parts = name.split("+")
        if len(parts) in (3, 4) and parts[1] != assessment and parts[1] in COURSE_ASSESSMENTS:
            continue  # another assessment's: its own collect judges it
        try:
            if len(parts) not in (3, 4) or parts[1] != assessment:
                raise Refused("not named <trainee>+<assessment>+<time>")
            accepted.append(check(inbound, name, parts[0], parts[2], now))
        except Refused as why:
            refused.append(f"{shown(name)}: {why}: ignored")
        except FileNotFoundError:
            continue  # removed meanwhile
    return Scan(tuple(sorted(accepted, key=lambda s: (s.at, s.name))), tuple(refused))


def scan_course(exchange_dir: Path, course_id: str, assessments: tuple[str, ...],
                trusted: set[int] | None = None) -> dict[str, Scan]:
    """:func:`scan` of a course's ``inbound/`` for each assessment (empty scans if there is none yet)."""
    if not (exchange_dir / course_id / "inbound").is_dir():
        return {a: Scan((), ()) for a in assessments}
    fd = open_inbound(exchange_dir, course_id, trusted)
    try:
        return {a: scan(fd, a) for a in assessments}
    finally:
        os.close(fd)
