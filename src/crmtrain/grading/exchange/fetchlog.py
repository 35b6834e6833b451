"""Who fetched what: markers in ``<exchange>/<course>/fetched/``.

nbgrader records submissions (in ``inbound/``) but not fetches. The exchange plugin in
:mod:`crmtrain.grading.plugins` writes one empty marker file per fetch, named like nbgrader
names submissions: ``<trainee>+<assessment>+<UTC timestamp>``. The folder is made by the
release with ``inbound/``'s permissions (everyone may add, only the specialist may list), so
trainees cannot see who else fetched. Stdlib only: reading markers must not load nbgrader.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .owners import owners_for

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's Exchange.timestamp_format default
# rwx for the specialist, wx for the rest: like nbgrader's inbound/ (setgid keeps the group);
# sticky, so no one removes or renames another's marker.
FOLDER_MODE = 0o3733


@dataclass(frozen=True)
class Fetch:
    trainee: str
    assessment: str
    at: dt.datetime  # naive UTC, like nbgrader's gradebook


def parse_timestamp(text: str) -> dt.datetime | None:
    """A naive-UTC datetime from an nbgrader timestamp such as '2024-05-01 10:00:00.5 UTC'."""
    text = text.strip()
    for fmt in (TIMESTAMP_FORMAT, "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:  # ISO form with an offset
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def marker_name(trainee: str, assessment: str, when: dt.datetime | None = None) -> str:
    when = when or dt.datetime.now(dt.timezone.utc)
    return f"{trainee}+{assessment}+{when.astimezone(dt.timezone.utc).strftime(TIMESTAMP_FORMAT)}"


def ensure_folder(folder: Path) -> None:
    """Create the markers folder with inbound-like permissions (and sticky, if it was made without)."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)
    elif not folder.is_symlink() and folder.stat().st_uid == os.geteuid():
        os.chmod(folder, folder.stat().st_mode | stat.S_ISVTX)


def record(folder: Path, trainee: str, assessment: str, when: dt.datetime | None = None) -> Path:
    """Drop one marker (the folder must exist: it is the release's job to make it)."""
    path = folder / marker_name(trainee, assessment, when)
    path.touch()
    return path


def read(folder: Path, assessment: str | None = None) -> list[Fetch]:
    """Every fetch recorded in ``folder`` (optionally of one assessment), oldest first.

    Trainees make the markers, so a marker counts only if it is a plain file of the account
    it names (see :mod:`.exchange.owners`), and its time is the file's change time (ctime),
    which no one but root can set back: a marker made or touched later says "later", never
    earlier than the fetch it records. (A ``hub restore`` renews it too.)
    """
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return []
    found = []
    try:
        with os.scandir(fd) as entries:
            names = [e.name for e in entries]
        for name in names:
            parts = name.rsplit("+", 2)
            if len(parts) != 3 or (assessment is not None and parts[1] != assessment):
                continue
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and st.st_uid in owners_for(parts[0]) and parse_timestamp(parts[2]):
                at = dt.datetime.fromtimestamp(st.st_ctime, dt.timezone.utc).replace(tzinfo=None)
                found.append(Fetch(parts[0], parts[1], at))
    finally:
        os.close(fd)
    return sorted(found, key=lambda f: (f.at, f.trainee))


def first_fetches(folder: Path, assessment: str) -> dict[str, dt.datetime]:
    """``{trainee: when they first fetched}`` for one assessment."""
    first: dict[str, dt.datetime] = {}
    for f in read(folder, assessment):
        first.setdefault(f.trainee, f.at)
    return first
