"""Copy a submission out of the exchange through file descriptors, following no link.

Collect runs with the specialist's rights, on folders a trainee owns and may change while
they are read. So every entry is opened relative to its parent's descriptor with
``O_NOFOLLOW`` (a link is recreated as a link, never opened; intake sets it aside), a pipe
or socket is never read, every entry must belong to the owner of the submission's folder (a
hard link to someone else's file is refused), and the whole copy is bounded in bytes, entries and depth.
The copy goes into a fresh folder inside the course; only a complete copy replaces what was
collected before, in one rename (:func:`swap_into`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fnmatch
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from .inbound import DIR_FLAGS, FILE_FLAGS, Refused, shown, user_name

MAX_SUBMISSION_BYTES = 16 << 20  # a submission holds a ~100 KB notebook and answers.json
MAX_ENTRIES = 2000
MAX_DEPTH = 16
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Patterns:
    """nbgrader's ``CourseDirectory.ignore`` and ``include`` globs, applied to names only."""

    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ("*",)

    def skips(self, name: str, is_file: bool) -> bool:
        if any(fnmatch.fnmatch(name, g) for g in self.exclude):
            return True
        return is_file and not any(fnmatch.fnmatch(name, g) for g in self.include)


class Budget:
    """What is left of the limits for one submission."""

    def __init__(self) -> None:
        self.bytes, self.entries = MAX_SUBMISSION_BYTES, MAX_ENTRIES

    def take(self, entries: int = 0, size: int = 0) -> None:
        self.entries -= entries
        self.bytes -= size
        if self.entries < 0:
            raise Refused(f"holds more than {MAX_ENTRIES} files")
        if self.bytes < 0:
            raise Refused(f"is over {MAX_SUBMISSION_BYTES >> 20} MB in all")


def copy_tree(src: int, dst: int, *, owners: set[int], patterns: Patterns, file_limit: int,
              notes: list[str], budget: Budget | None = None, rel: str = "", depth: int = 0) -> None:
    """Copy the open folder ``src`` into the open, empty folder ``dst``; Refused if it cannot be whole.

    What ``patterns`` leave out is skipped silently, as nbgrader does; what is left out for
    a reason is added to ``notes``.
    """
    budget = budget or Budget()
    if depth > MAX_DEPTH:
        raise Refused(f"has folders nested deeper than {MAX_DEPTH}")
    names = []
    with os.scandir(src) as entries:
        for entry in entries:  # counted as listed: a folder of a million names stops at the limit
            budget.take(entries=1)
            names.append(entry.name)
    names.sort()
    for name in names:
        path = f"{rel}{shown(name)}"
        st = os.stat(name, dir_fd=src, follow_symlinks=False)
        if patterns.skips(name, stat.S_ISREG(st.st_mode)):
            continue
        if st.st_uid not in owners:
            raise Refused(f"{path} belongs to {user_name(st.st_uid)}")
        if stat.S_ISLNK(st.st_mode):
            os.symlink(os.readlink(name, dir_fd=src), name, dir_fd=dst)
        elif stat.S_ISDIR(st.st_mode):
            _copy_folder(src, dst, name, st, owners=owners, patterns=patterns, file_limit=file_limit, notes=notes,
                         budget=budget, rel=f"{path}/", depth=depth + 1)
        elif not stat.S_ISREG(st.st_mode):
            notes.append(f"{path} is a special file: refused")
        elif st.st_size > file_limit:
            notes.append(f"{path} is over {file_limit >> 20} MB: refused")
        else:
            _copy_file(src, dst, name, st, budget)


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _copy_folder(src: int, dst: int, name: str, st: os.stat_result, **kw) -> None:
    try:
        inner = os.open(name, DIR_FLAGS, dir_fd=src)
    except OSError as exc:
        raise Refused(f"{kw['rel'].rstrip('/')} cannot be read ({exc.strerror})") from None
    try:
        if not _same(os.fstat(inner), st):
            raise Refused(f"{kw['rel'].rstrip('/')} changed while being collected")
        os.mkdir(name, 0o700, dir_fd=dst)
        out = os.open(name, DIR_FLAGS, dir_fd=dst)
        try:
            copy_tree(inner, out, **kw)
            os.fchmod(out, 0o755)
        finally:
            os.close(out)
    finally:
        os.close(inner)


def _copy_file(src: int, dst: int, name: str, st: os.stat_result, budget: Budget) -> None:
    try:
        fin = os.open(name, FILE_FLAGS, dir_fd=src)
    except OSError as exc:
        raise Refused(f"{shown(name)} cannot be read ({exc.strerror})") from None
    try:
        got = os.fstat(fin)
        if not (_same(got, st) and stat.S_ISREG(got.st_mode)):
            raise Refused(f"{shown(name)} changed while being collected")
        fout = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                       0o600, dir_fd=dst)
        try:
            while chunk := os.read(fin, min(_CHUNK, budget.bytes + 1)):
                budget.take(size=len(chunk))
                os.write(fout, chunk)
            os.fchmod(fout, 0o644)
            os.utime(fout, ns=(got.st_atime_ns, got.st_mtime_ns))
        finally:
            os.close(fout)
    finally:
        os.close(fin)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_into(new: Path, dest: Path) -> None:
    """Put the complete folder ``new`` at ``dest``; whatever was at ``dest`` is removed after.

    Both must be on one file system (``new`` is made inside the course). ``dest`` holds either
    the old or the new folder at every moment, where the system can swap in one step.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not os.path.lexists(dest):
        os.rename(new, dest)
        return
    if not _exchange(new, dest):
        old = new.with_name(new.name + ".old")
        os.rename(dest, old)
        os.rename(new, dest)
        new = old
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(new)
