"""Each trainee's review workbook once its day has come: ``<course>/reviews/<trainee>.ipynb``.

The review plan (``crmtrain review``, the report's ``review_plan``) gives each trainee the
days to revisit the rules they got wrong. The daily job (``crmtrain remind``, as the
specialist) writes a trainee's workbook here on the first of those days, with a line in
``reviews/index.json`` saying since when it is due; on a hub, root places it in the trainee's
home as the trainee (:func:`crmtrain.hub.workbooks.update_review`) and the reminder says so.
The folder is the specialist's, in their private course folder. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .course import Course

REVIEWS_DIR = "reviews"
INDEX = "index.json"
HOME_PATH = "workbooks/review.ipynb"  # where the hub puts it, relative to the trainee's home
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")  # a roster id as a file name: no '/', no leading dot


@dataclass(frozen=True)
class ReviewDue:
    """A trainee's review workbook: due since ``since``, ``items`` rules to revisit, where it lands in the home."""

    trainee: str
    since: dt.date
    items: int
    path: str = HOME_PATH


def _write(path: Path, text: str) -> bool:
    """Atomically write ``text`` unless the file already says it; True when written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)
    return True


def _index(course: Course) -> dict:
    try:
        data = json.loads((course.root / REVIEWS_DIR / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record_review(course: Course, trainee: str, notebook: str, since: dt.date, items: int) -> bool:
    """Keep ``trainee``'s due review workbook (its text) in the course; True when it is new or changed."""
    if not _ID.match(trainee):
        raise ValueError(f"not a trainee id: {trainee!r}")
    folder = course.root / REVIEWS_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    changed = _write(folder / f"{trainee}.ipynb", notebook)
    index = _index(course)
    index[trainee] = {"since": since.isoformat(), "items": items}
    _write(folder / INDEX, json.dumps(dict(sorted(index.items())), indent=1) + "\n")
    return changed


def reviews_due(course: Course, trainee: str, today: dt.date) -> ReviewDue | None:
    """The trainee's review workbook if its day has come by ``today`` (what the reminder says is in their home)."""
    entry = _index(course).get(trainee)
    try:
        since = dt.date.fromisoformat(entry["since"])
        items = int(entry["items"])
    except (TypeError, KeyError, ValueError):
        return None
    if since > today or not (course.root / REVIEWS_DIR / f"{trainee}.ipynb").is_file():
        return None
    return ReviewDue(trainee, since, items)


def review_notebook_path(course_root: Path, trainee: str) -> Path | None:
    """Where a trainee's due review workbook is kept (None for a name that is not a roster id)."""
    return Path(course_root) / REVIEWS_DIR / f"{trainee}.ipynb" if _ID.match(trainee) else None
