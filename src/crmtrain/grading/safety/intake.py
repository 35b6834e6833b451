"""Intake: what of a collected submission nbgrader may see, before it sees anything.

A submission folder (``submitted/<trainee>/<assessment>/``) should hold the assessment's
notebook(s), ``answers.json`` and nbgrader's ``timestamp.txt``. nbgrader copies every other
file into the autograded folder, following links, and gives up on a named pipe. So before
grading, everything else is moved out of the way into ``<course>/crmtrain/set-aside/``
(moved, never opened, so a link or a special file cannot do anything), and so is an expected
file that is a link, a folder, a special file or over the size limit. What was set aside is
recorded next to it, so ``crmtrain grade`` and ``crmtrain status`` can say so in one line.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from ...i18n import N_, _, ngettext
from .answers import MAX_ANSWERS_BYTES
from ..plumbing.course import ANSWERS_FILE, Course

MAX_NOTEBOOK_BYTES = 16 << 20  # a generated assessment is ~100 KB; outputs of widgets add little
MAX_FILE_BYTES = 32 << 20  # collect leaves bigger files in the exchange
COLLECT_NOTES = ".crmtrain-collect.json"  # what SafeCollect left behind, written by it last
TIMESTAMP = "timestamp.txt"
NBGRADER_FILES = {TIMESTAMP: 1024, "submission_secret.txt": 1024}  # written by nbgrader's submit
IGNORED_BY_NBGRADER = (".ipynb_checkpoints",)  # nbgrader never copies these (CourseDirectory.ignore)
AREA = "crmtrain"


@dataclass(frozen=True)
class Intake:
    trainee: str
    assessment: str
    notes: tuple[str, ...]  # one per problem, e.g. "answers.json is a link: ignored"

    @property
    def line(self) -> str:
        """The notes as one line ('' if the submission was clean)."""
        return "; ".join(self.notes)


# What a submission holds beside its files: as in "is a link", and as counted in "2 extra links ignored".
KINDS = {"link": (N_("a link"), lambda n: ngettext("{n} extra link ignored", "{n} extra links ignored", n)),
         "folder": (N_("a folder"), lambda n: ngettext("{n} extra folder ignored", "{n} extra folders ignored", n)),
         "special file": (N_("a special file"), lambda n: ngettext("{n} extra special file ignored",
                                                                   "{n} extra special files ignored", n)),
         "file": ("", lambda n: ngettext("{n} extra file ignored", "{n} extra files ignored", n))}


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special file"


def set_aside_dir(course: Course, trainee: str, assessment: str) -> Path:
    return course.root / AREA / "set-aside" / trainee / assessment


def _record_path(course: Course, trainee: str, assessment: str) -> Path:
    return course.root / AREA / "intake" / assessment / f"{trainee}.json"


def _limits(course: Course, assessment: str) -> dict[str, int]:
    expected = {p.name: MAX_NOTEBOOK_BYTES for p in course.source_dir(assessment).glob("*.ipynb")}
    return {**expected, ANSWERS_FILE: MAX_ANSWERS_BYTES, **NBGRADER_FILES}


def vet(course: Course, trainee: str, assessment: str) -> Intake:
    """Set aside everything nbgrader must not see in one submission; the notes say what."""
    folder = course.submitted_dir(trainee, assessment)
    stamp = read_stamp(folder)
    record = _record_path(course, trainee, assessment)
    earlier = _read_record(record, stamp)
    limits = _limits(course, assessment)
    notes: list[str] = []
    aside = set_aside_dir(course, trainee, assessment)
    extra: dict[str, int] = {}
    notes.extend(_collect_notes(folder / COLLECT_NOTES, aside))
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name in IGNORED_BY_NBGRADER and entry.is_dir(follow_symlinks=False):
            continue
        st = entry.stat(follow_symlinks=False)
        limit = limits.get(entry.name)
        if limit is None:
            kind = "file" if stat.S_ISREG(st.st_mode) else _kind(st.st_mode)
            extra[kind] = extra.get(kind, 0) + 1
        elif not stat.S_ISREG(st.st_mode):
            notes.append(_("{file} is {kind}: ignored").format(file=entry.name, kind=_(KINDS[_kind(st.st_mode)][0])))
        elif st.st_size > limit:
            notes.append(_("{file} is over {size} MB: ignored").format(file=entry.name, size=limit >> 20 or 1))
        else:
            continue
        aside.mkdir(parents=True, exist_ok=True)
        target = aside / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(entry.path, target)  # a rename: the link, folder or pipe is never opened
    for kind, n in sorted(extra.items()):
        notes.append(KINDS[kind][1](n).format(n=n))
    for name in limits:
        # The notebook counts for nothing (the released one is graded), answers.json for all;
        # nbgrader cannot grade without one it can read, so a missing or broken one is replaced.
        if not name.endswith(".ipynb"):
            continue
        released = _read_notebook(course.release_dir(assessment) / name)
        mine = _read_notebook(folder / name) if os.path.lexists(folder / name) else None
        if mine is None:
            note = _("{file} is missing: graded from answers.json")
            if os.path.lexists(folder / name):
                note = _("{file} is not a notebook: graded from answers.json")
                aside.mkdir(parents=True, exist_ok=True)
                os.replace(folder / name, aside / name)
            shutil.copyfile(course.release_dir(assessment) / name, folder / name)
            notes.append(note.format(file=name))
        elif released is not None and (changed := _changes(mine, released)):
            notes.append(_("{file}: {changes} ignored (the released notebook is graded)").format(file=name, changes=changed))
    notes = list(dict.fromkeys([*earlier, *notes]))  # a second intake of the same submission finds it clean
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"timestamp": stamp, "notes": notes}, ensure_ascii=False), encoding="utf-8")
    return Intake(trainee, assessment, tuple(notes))


def note_answers(course: Course, trainee: str, assessment: str, notes: tuple[str, ...]) -> Intake:
    """Add what grading noticed in answers.json to the submission's record."""
    record = _record_path(course, trainee, assessment)
    stamp = read_stamp(course.submitted_dir(trainee, assessment))
    merged = list(dict.fromkeys([*_read_record(record, stamp), *notes]))
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"timestamp": stamp, "notes": merged}, ensure_ascii=False), encoding="utf-8")
    return Intake(trainee, assessment, tuple(merged))


def recorded(course: Course, trainee: str, assessment: str) -> Intake:
    """The notes recorded for the submission collected now (none if it was never vetted)."""
    stamp = read_stamp(course.submitted_dir(trainee, assessment))
    return Intake(trainee, assessment, tuple(_read_record(_record_path(course, trainee, assessment), stamp)))


def write_collect_notes(folder: str | os.PathLike, notes: list[str]) -> None:
    """Record, in a collected submission, what collect left behind (replacing any such file sent)."""
    path = os.path.join(folder, COLLECT_NOTES)
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    with open(path, "x", encoding="utf-8") as f:
        json.dump(notes, f, ensure_ascii=False)


def _collect_notes(path: Path, aside: Path) -> list[str]:
    """The notes SafeCollect wrote, moved out of the submission."""
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 1 << 16:
            return []
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    aside.mkdir(parents=True, exist_ok=True)
    os.replace(path, aside / path.name)
    return [n for n in found if isinstance(n, str)] if isinstance(found, list) else []


def _read_notebook(path: Path) -> dict | None:
    """The notebook as JSON, if nbgrader could read it as one (None otherwise)."""
    try:
        with open(path, "rb") as f:
            nb = json.loads(f.read(MAX_NOTEBOOK_BYTES + 1).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    ok = (isinstance(nb, dict) and nb.get("nbformat") == 4 and isinstance(nb.get("cells"), list)
          and isinstance(nb.get("metadata", {}), dict)
          and all(isinstance(c, dict) and isinstance(c.get("metadata", {}), dict) for c in nb["cells"]))
    return nb if ok else None


def _cell_key(cell: dict) -> tuple:
    """What of a cell grading could be fooled by (outputs and view state are not)."""
    md = cell.get("metadata", {})
    src = cell.get("source", "")
    return (cell.get("cell_type"), "".join(src) if isinstance(src, list) else src,
            json.dumps(md.get("nbgrader"), sort_keys=True), json.dumps(md.get("crmtrain"), sort_keys=True))


def _changes(mine: dict, released: dict) -> str:
    """What the trainee changed in the notebook, e.g. '2 cells added or changed' ('' if nothing)."""
    theirs = {_cell_key(c) for c in released["cells"]}
    changed = sum(1 for c in mine["cells"] if _cell_key(c) not in theirs)
    removed = max(0, len(released["cells"]) - len(mine["cells"]))
    found = []
    if changed:
        found.append(ngettext("{n} cell added or changed", "{n} cells added or changed", changed).format(n=changed))
    if removed:
        found.append(ngettext("{n} cell deleted", "{n} cells deleted", removed).format(n=removed))
    ours, given = released.get("metadata", {}), mine.get("metadata", {})
    kernel = (given.get("kernelspec") or {}).get("name") if isinstance(given.get("kernelspec"), dict) else None
    if kernel != (ours.get("kernelspec") or {}).get("name") or any(
            given.get(k) != ours.get(k) for k in ("crmtrain", "nbgrader")):
        found.append(_("notebook metadata changed"))
    return ", ".join(found)


def read_stamp(folder: Path) -> str:
    """A submission's timestamp.txt ('' if none or not a small regular file)."""
    path = folder / TIMESTAMP
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > 1024:
            return ""
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _read_record(path: Path, stamp: str) -> list[str]:
    """The notes recorded for this very submission (a newer submission starts afresh)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("timestamp") != stamp:
        return []
    return [n for n in data.get("notes", []) if isinstance(n, str)]
