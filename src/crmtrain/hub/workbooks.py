"""Copy the built workbooks into a hub user's home, and update them after a rebuild.

A workbook is generated: a trainee's progress is not in the notebook but in a small file
beside it (``.<name>.progress.json``, written by the runtime), so a newer build of the
notebook replaces the old one and the progress stays. Nothing is ever deleted: a workbook
the new build no longer has stays where it is.

On the hub (the pre-spawn hook and ``crmtrain hub users sync``, both root) nothing is copied
by root: :func:`update_home` reads the workbooks as the specialist (``pack``) and writes them
as the trainee (``unpack``), each in a child process with that account's rights
(:mod:`.asuser`). Stdlib only.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
import tarfile
from pathlib import Path

from . import asuser

FOLDER = "workbooks"  # ~/workbooks/ in each home
DATES = ".crmtrain-dates.json"  # ~/ : the trainee's own due dates, for "My training"
REMINDER = ".crmtrain-reminder.json"  # ~/ : the trainee's reminder of the day, for "My training"
SPECIALIST_ONLY = ("specialist-dashboard.ipynb",)  # written by `crmtrain build` beside the workbooks


def pack(source: Path) -> bytes:
    """The trainees' workbooks of ``source`` (regular ``*.ipynb`` files, no links) as a tar stream."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in sorted(os.listdir(source)):
            data = _read_plain(Path(source) / name) if is_workbook(name) else None
            if data is not None:
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def unpack(packed: bytes, home: Path) -> list[str]:
    """Put packed workbooks into ``home/workbooks``, writing only those that changed; the names written."""
    dest = Path(home) / FOLDER
    if not dest.is_dir():
        dest.mkdir(mode=0o700)
    written = []
    with tarfile.open(fileobj=io.BytesIO(packed), mode="r") as tar:
        for member in tar.getmembers():
            if not (member.isfile() and is_workbook(member.name)):
                continue
            data = tar.extractfile(member).read()
            if _read_plain(dest / member.name) == data:
                continue
            asuser.replace_file(dest / member.name, data, 0o600)
            written.append(member.name)
    return written


def names(packed: bytes) -> list[str]:
    """The workbooks a pack holds."""
    with tarfile.open(fileobj=io.BytesIO(packed), mode="r") as tar:
        return [m.name for m in tar.getmembers() if m.isfile() and is_workbook(m.name)]


def install(source: Path, home: Path) -> list[str]:
    """Copy the workbooks of ``source`` into ``home`` in this process, as whoever runs it; the names written."""
    return unpack(pack(source), home)


def packed_build(site) -> bytes:
    """As root: the build's workbooks, read by the specialist (their folder, their names)."""
    return asuser.run(site, site.specialist, "workbooks", "pack", site.workbooks_dir,
                      what=f"reading the workbooks in {site.workbooks_dir}")


def update_home(site, name: str, packed: bytes | None = None) -> tuple[list[str], list[str]]:
    """As root: the build's workbooks (``packed``, else read now) into ``name``'s home, written as ``name``.

    Returns the workbooks the build has and those written. UserError if either side fails.
    """
    import pwd

    packed = packed_build(site) if packed is None else packed
    home = pwd.getpwnam(name).pw_dir
    out = asuser.run(site, name, "workbooks", "unpack", home, data=packed, what=f"updating the workbooks of {name}")
    return names(packed), json.loads(out)


def update_reminder(site, name: str) -> None:
    """As root: the trainee's reminder of the day (``crmtrain remind`` leaves it in the course, read as the
    specialist) into their home as ``~/.crmtrain-reminder.json``, written as the trainee; ``{}`` when none."""
    import pwd

    data = asuser.run(site, site.specialist, "workbooks", "reminder", site.course_dir, name,
                      what=f"reading the reminder of {name}") or b"{}"
    asuser.write(site, name, Path(pwd.getpwnam(name).pw_dir) / REMINDER, data, 0o600)


def update_review(site, name: str) -> str:
    """As root: ``name``'s review workbook, once the daily job kept it in the course (read as the specialist),
    into ``~/workbooks/review.ipynb``, written as the trainee; what happened: "placed", "kept" (the trainee
    edited theirs), "same" or "none"."""
    import pwd

    data = asuser.run(site, site.specialist, "workbooks", "review", site.course_dir, name,
                      what=f"reading the review workbook of {name}")
    if not data:
        return "none"
    home = pwd.getpwnam(name).pw_dir
    return asuser.run(site, name, "workbooks", "place-review", home, data=data,
                      what=f"placing the review workbook of {name}").decode().strip()


def review(course_dir: Path, name: str) -> bytes:
    """``name``'s review workbook kept in the course, b"" if none (or not a plain file)."""
    from ..grading.plumbing.reviews import review_notebook_path

    path = review_notebook_path(course_dir, name)
    return (_read_plain(path) or b"") if path else b""


def place_review(data: bytes, home: Path) -> str:
    """As the trainee: ``data`` into ``home/workbooks/review.ipynb`` unless they edited the one placed before.

    ``.review.ipynb.placed`` beside it holds the hash of what was placed last: a workbook that no
    longer has it was changed by its trainee and is kept ("kept"); a fresh plan replaces one
    that was not ("placed"). Answers live in the progress file beside the notebook, not in it.
    """
    import hashlib

    dest = Path(home) / FOLDER
    if not dest.is_dir():
        dest.mkdir(mode=0o700)
    target, stamp = dest / "review.ipynb", dest / ".review.ipynb.placed"
    have = _read_plain(target)
    if have == data:
        return "same"
    placed = (_read_plain(stamp) or b"").decode(errors="replace").strip()
    if have is not None and hashlib.sha256(have).hexdigest() != placed:
        return "kept"
    asuser.replace_file(target, data, 0o600)
    asuser.replace_file(stamp, hashlib.sha256(data).hexdigest().encode() + b"\n", 0o600)
    return "placed"


def reminder(course_dir: Path, name: str) -> bytes:
    """The panel's copy of ``name``'s reminder (``reminders/panel/<name>.json``), b"" if none or not a plain file."""
    if "/" in name or name.startswith("."):
        return b""
    return _read_plain(Path(course_dir) / "reminders" / "panel" / f"{name}.json") or b""


def update_dates(site, name: str) -> None:
    """As root: the trainee's own due dates (computed as the specialist, from the course) into their home as
    ``~/.crmtrain-dates.json``, written as the trainee (0600): "My training" shows them, nobody else reads them."""
    import pwd

    data = asuser.run(site, site.specialist, "workbooks", "dates", site.course_dir, name,
                      what=f"reading the due dates of {name}") or b"{}"
    asuser.write(site, name, Path(pwd.getpwnam(name).pw_dir) / DATES, data, 0o600)


def dates(course_dir: Path, name: str) -> bytes:
    """The child's side, as the specialist: ``name``'s own dates as JSON (b"{}" for a name that is no trainee's)."""
    if "/" in name or name.startswith("."):
        return b"{}"
    from ..errors import UserError
    from ..grading.plumbing.course import Course
    from ..grading.verbs.schedule import own_dates

    try:
        return json.dumps(own_dates(Course.load(course_dir), name), ensure_ascii=False).encode("utf-8")
    except UserError as exc:  # the panel then shows everybody's dates; the hub's log says why
        print(f"{exc} {' | '.join(map(str, exc.problems))}", file=sys.stderr)
        return b"{}"


def is_workbook(name: str) -> bool:
    return name.endswith(".ipynb") and "/" not in name and not name.startswith(".") and name not in SPECIALIST_ONLY


def _read_plain(path: Path) -> bytes | None:
    """The bytes of a regular file at ``path``; None for a link, a FIFO, a folder or nothing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        return fh.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None


def main(argv: list[str] | None = None) -> int:
    """The child's side: ``pack SOURCE`` (tar to stdout) or ``unpack HOME`` (tar on stdin, names written out)."""
    return asuser.child_main(sys.argv[1:] if argv is None else argv, {
        "pack": (1, lambda a: sys.stdout.buffer.write(pack(Path(a[0])))),
        "unpack": (1, lambda a: print(json.dumps(unpack(sys.stdin.buffer.read(), Path(a[0]))))),
        "reminder": (2, lambda a: sys.stdout.buffer.write(reminder(Path(a[0]), a[1]))),
        "dates": (2, lambda a: sys.stdout.buffer.write(dates(Path(a[0]), a[1]))),
        "review": (2, lambda a: sys.stdout.buffer.write(review(Path(a[0]), a[1]))),
        "place-review": (1, lambda a: print(place_review(sys.stdin.buffer.read(), Path(a[0])))),
    }, "python -m crmtrain.hub.workbooks pack SOURCE | unpack HOME | reminder COURSE TRAINEE | dates COURSE TRAINEE"
       " | review COURSE TRAINEE | place-review HOME")


if __name__ == "__main__":
    sys.exit(main())
