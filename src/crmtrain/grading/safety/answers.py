"""The saved answers of a sitting: ``answers.json``, read as data, never trusted.

The assessment widgets save ``{"answers": {item id: answer}, ...}`` next to the notebook;
submit carries the file. Grading reads the submitted file with :func:`read_submitted`
(bounded, type-checked, never through a link) and writes what it took into the autograded
folder (:func:`write_vetted`); reports read that vetted copy first (:func:`read_answers`).

A slot's answer is filed under the slot's id, in the plain shapes of any answer; a case
slot's answer must also have the shape its drill kind keeps (``rules.cases``: a class id, a
step id, a moment, or the pipeline's verdict and fields). The ``"shown"`` member records what
the trainee was shown in each slot (``{"question": id}`` or ``{"case": {...}}``): it is kept,
bounded, for the specialist to read, and never decides anything — grading regenerates each
trainee's case and draw from the trainee id.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...i18n import _, plural
from ...kinds.slots import CASE, DRAW
from ..plumbing.course import ANSWERS_FILE, Course


def read_answers(course: Course, trainee: str, assessment: str) -> dict[str, Any]:
    """``{item: answer}`` of one sitting; {} if there is no readable answers.json."""
    for folder in ("autograded", "submitted"):
        try:  # os.path, not pathlib: this runs once per sitting, 20,000 times for a large course
            with open(os.path.join(course.root, folder, trainee, assessment, ANSWERS_FILE), encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        answers = data.get("answers", data) if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            return {}
        # {"value": v} and {"response": v} entries come from older widget versions.
        return {str(item): entry.get("value", entry.get("response")) if isinstance(entry, dict) else entry
                for item, entry in answers.items()}
    return {}


def all_answers(course: Course, sittings: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """``{(assessment, trainee): {item: answer}}`` for each sitting that saved any."""
    out = {}
    for assessment, trainee in sittings:
        found = read_answers(course, trainee, assessment)
        if found:
            out[(assessment, trainee)] = found
    return out


# --- a submission's answers.json, as grading reads it --------------------------------------

MAX_ANSWERS_BYTES = 1 << 20  # 1 MiB: a full assessment's answers take a few KB
MAX_ITEMS = 1000  # answers kept at most (the rest is ignored)
MAX_TEXT = 20_000  # characters of one answer (an open answer is a few paragraphs)
MAX_LIST = 200  # ids in one answer (an ordering or a multiple choice)
MAX_SHOWN = 20_000  # characters of one slot's record of what was shown (a case is a few hundred)


@dataclass(frozen=True)
class SavedAnswers:
    """What grading takes from a submission's answers.json, and what it ignored (one note each)."""

    answers: dict[str, Any]
    notes: tuple[str, ...]
    shown: dict[str, dict] = field(default_factory=dict)  # slot -> {"question": id} or {"case": {...}}


def _plain(value: Any) -> bool:
    """The shapes an answer can take as data: a string, a number, a bool, or a list of strings."""
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return math.isfinite(value) and abs(value) < 1e15
    if isinstance(value, list):
        return len(value) <= MAX_LIST and all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value)
    return False


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def _shown(value: Any) -> bool:
    """What a slot recorded as shown: one question id, or one case as a JSON object."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    if DRAW.shown in value:
        return isinstance(value[DRAW.shown], str) and len(value[DRAW.shown]) <= 200
    return isinstance(value.get(CASE.shown), dict) and len(json.dumps(value[CASE.shown])) <= MAX_SHOWN


def _case_shape(kind: str, value: Any) -> bool:
    """Whether an answer has the shape a case of drill kind ``kind`` keeps (the kind's own rule)."""
    from ...rules.cases import CASES

    rules = CASES.get(kind)
    return rules is not None and rules.normal(value) is not None


def read_submitted(path: str | os.PathLike, items: Iterable[str] | None = None,
                   cases: Mapping[str, str] | None = None) -> SavedAnswers:
    """The answers of a submission, bounded and type-checked; never follows a link.

    Only answers to ``items`` (if given) are kept; everything else is ignored and noted.
    ``cases`` maps each case slot to its drill kind: an answer of another shape is ignored.
    A missing, linked, oversized or unreadable file gives no answers, so every item scores 0.
    """
    name = os.path.basename(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return SavedAnswers({}, (_("no {file}: nothing answered").format(file=name),))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return SavedAnswers({}, (_("{file} is a link: ignored").format(file=name),))
        return SavedAnswers({}, (_("{file} cannot be read ({reason}): ignored").format(file=name, reason=exc.strerror),))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return SavedAnswers({}, (_("{file} is not a regular file: ignored").format(file=name),))
        if st.st_size > MAX_ANSWERS_BYTES:
            return SavedAnswers({}, (_too_big(name),))
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(MAX_ANSWERS_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_ANSWERS_BYTES:
        return SavedAnswers({}, (_too_big(name),))
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return SavedAnswers({}, (_("{file} is not valid JSON: ignored").format(file=name),))
    given = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(given, dict):
        return SavedAnswers({}, (_("{file} has no answers object: ignored").format(file=name),))
    wanted = None if items is None else set(items)
    kept: dict[str, Any] = {}
    unknown = badly_typed = 0
    for item, value in given.items():
        if (wanted is not None and item not in wanted) or len(kept) >= MAX_ITEMS:
            unknown += 1
        elif value is None:
            continue  # nothing saved for it: unanswered
        elif not _plain(value) or (cases and item in cases and not _case_shape(cases[item], value)):
            badly_typed += 1
        else:
            kept[item] = value
    shown, odd = {}, 0
    given_shown = data.get("shown")
    for slot, value in (given_shown.items() if isinstance(given_shown, dict) else ()):
        if (wanted is None or slot in wanted) and len(shown) < MAX_ITEMS and _shown(value):
            shown[slot] = value
        else:
            odd += 1
    notes = []
    if badly_typed:
        notes.append(plural("{n} answer of the wrong type ignored", "{n} answers of the wrong type ignored",
                            badly_typed))
    if unknown:
        notes.append(plural("{n} answer to no question of the assessment ignored",
                            "{n} answers to no question of the assessment ignored", unknown))
    if odd or (given_shown is not None and not isinstance(given_shown, dict)):
        notes.append(_("a record of what was shown that fits no slot ignored"))
    return SavedAnswers(kept, tuple(notes), shown)


def _too_big(name: str) -> str:
    return _("{file} is over {size} KB: ignored").format(file=name, size=MAX_ANSWERS_BYTES >> 10)


def write_vetted(folder: str | os.PathLike, saved: SavedAnswers) -> None:
    """Replace ``folder/answers.json`` with exactly what grading took from the submission."""
    path = os.path.join(folder, ANSWERS_FILE)
    tmp = path + ".vetted.tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    with open(tmp, "x", encoding="utf-8") as f:
        json.dump({"answers": saved.answers, **({"shown": saved.shown} if saved.shown else {})}, f,
                  ensure_ascii=False, sort_keys=True)
    os.replace(tmp, path)  # replaces a link itself, never its target
