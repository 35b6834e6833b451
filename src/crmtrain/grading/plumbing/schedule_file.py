"""The course's ``schedule.json``: trainees' start days, release moments, the specialist's moved dates.

What each trainee's schedule (:mod:`crmtrain.rules.schedule`) needs beyond nbgrader's
gradebook, kept in one small file beside ``nbgrader_config.py``::

    {"starts":   {"a.petrova": "2027-03-02"},
     "released": {"initial": "2027-02-23T06:00:00"},
     "moved":    {"initial": {"a.petrova": {"days": 3}}, "followup": {"b.li": {"to": "2027-05-01"}}}}

Why a file and not the gradebook: nbgrader's schema has no column for a start day or a
release moment, and a table of crmtrain's own inside nbgrader's database would live outside
nbgrader's alembic migrations (``nbgrader db upgrade`` knows nothing of it) and would need a
second code path for a PostgreSQL gradebook. A JSON file is read by the autograde preprocessor
of a stock ``nbgrader autograde`` as easily as by crmtrain, is copied with the course by
``crmtrain hub backup``, and reads plainly in a diff. The gradebook keeps what nbgrader owns:
the assessment's due date and each submission's extension (derived from this file, and
re-derived on every grading, so a re-grade keeps a moved date).

The file names people and dates, never key material; it lives in the specialist's course
folder with mode 0600. Written atomically (a temporary file in the same folder, flushed, then
renamed over the old one): a reader sees the old version or the new one, never half.
Moments are naive UTC as nbgrader stores them; days are ISO dates of the course's calendar.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import UserError
from ...i18n import _
from ...rules.schedule import Move

SCHEDULE_FILE = "schedule.json"


@dataclass(frozen=True)
class Record:
    """What ``schedule.json`` says."""

    starts: dict[str, dt.date] = field(default_factory=dict)  # trainee -> the day they got CRM access
    released: dict[str, dt.datetime] = field(default_factory=dict)  # assessment -> naive UTC
    moved: dict[str, dict[str, Move]] = field(default_factory=dict)  # assessment -> trainee -> move

    def moves_of(self, trainee: str) -> dict[str, Move]:
        """``{assessment: move}`` of one trainee."""
        return {a: by[trainee] for a, by in self.moved.items() if trainee in by}


def path(root: str | Path) -> Path:
    return Path(root) / SCHEDULE_FILE


def read(root: str | Path) -> Record:
    """The course's record (empty when there is no file yet); UserError if it is unreadable."""
    p = path(root)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return Record(
            starts={t: dt.date.fromisoformat(d) for t, d in data.get("starts", {}).items()},
            released={a: dt.datetime.fromisoformat(m) for a, m in data.get("released", {}).items()},
            moved={a: {t: _move(m) for t, m in by.items()} for a, by in data.get("moved", {}).items()},
        )
    except FileNotFoundError:
        return Record()
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise UserError(_("{file}: unreadable ({error}); fix or remove it (it holds the trainees' start days "
                          "and moved due dates)").format(file=p, error=exc)) from None


def _move(data: Mapping) -> Move:
    to = data.get("to")
    return Move(days=int(data.get("days", 0)), to=dt.date.fromisoformat(to) if to else None)


def write(root: str | Path, record: Record) -> Path:
    """Replace the course's record atomically (mode 0600)."""
    data = {
        "starts": {t: d.isoformat() for t, d in sorted(record.starts.items())},
        "released": {a: m.isoformat(timespec="seconds") for a, m in sorted(record.released.items())},
        "moved": {a: {t: ({"to": m.to.isoformat()} if m.to else {"days": m.days}) for t, m in sorted(by.items())}
                  for a, by in sorted(record.moved.items()) if by},
    }
    p = path(root)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{SCHEDULE_FILE}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def set_starts(root: str | Path, starts: Mapping[str, dt.date | None]) -> tuple[str, ...]:
    """Record (a date) or clear (None) these trainees' start days; the ids whose start changed."""
    record = read(root)
    new = dict(record.starts)
    for trainee, day in starts.items():
        if day is None:
            new.pop(trainee, None)
        else:
            new[trainee] = day
    changed = tuple(sorted(t for t in starts if new.get(t) != record.starts.get(t)))
    if changed:
        write(root, Record(new, record.released, record.moved))
    return changed


def set_released(root: str | Path, assessment: str, moment: dt.datetime) -> None:
    """Record when ``assessment`` was released (naive UTC); a release again (--force) keeps the first."""
    record = read(root)
    if assessment not in record.released:
        write(root, Record(record.starts, {**record.released, assessment: moment}, record.moved))


def set_move(root: str | Path, assessment: str, trainee: str, move: Move | None) -> None:
    """Record (or with None, undo) the specialist's move of one trainee's due date."""
    record = read(root)
    moved = {a: dict(by) for a, by in record.moved.items()}
    if move is None:
        moved.get(assessment, {}).pop(trainee, None)
    else:
        moved.setdefault(assessment, {})[trainee] = move
    write(root, Record(record.starts, record.released, moved))
