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
from dataclasses import dataclass
from pathlib import Path

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's Exchange.timestamp_format default
# rwx for the specialist, wx for the rest: like nbgrader's inbound/ (setgid keeps the group).
FOLDER_MODE = 0o2733


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
    """Create the markers folder with inbound-like permissions (no-op if it exists)."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)


def record(folder: Path, trainee: str, assessment: str, when: dt.datetime | None = None) -> Path:
    """Drop one marker (the folder must exist: it is the release's job to make it)."""
    path = folder / marker_name(trainee, assessment, when)
    path.touch()
    return path


def read(folder: Path, assessment: str | None = None) -> list[Fetch]:
    """Every fetch recorded in ``folder`` (optionally of one assessment), oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parts = path.name.rsplit("+", 2)
        if len(parts) != 3 or (assessment is not None and parts[1] != assessment):
            continue
        at = parse_timestamp(parts[2])
        if at is not None:
            found.append(Fetch(parts[0], parts[1], at))
    return sorted(found, key=lambda f: (f.at, f.trainee))


def first_fetches(folder: Path, assessment: str) -> dict[str, dt.datetime]:
    """``{trainee: when they first fetched}`` for one assessment."""
    first: dict[str, dt.datetime] = {}
    for f in read(folder, assessment):
        first.setdefault(f.trainee, f.at)
    return first
