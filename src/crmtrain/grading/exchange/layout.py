"""The exchange's course folders: the releaser's own, never a link, inbound/ and fetched/ sticky.

The exchange's root is writable by all (nbgrader insists), so a trainee could create
``<exchange>/<course>/`` (or a link by that name) before the specialist's first release and
so decide where assessments are released and submissions land. Code that creates or uses
those folders as the specialist or as root checks them with :func:`refuse_squatted` first.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from ...errors import UserError
from .inbound import DIR_FLAGS
from .owners import user_name
from .readtree import MAX_ENTRIES, MAX_SUBMISSION_BYTES


def refuse_squatted(path: Path, owners: set[int] | None = None) -> None:
    """UserError if ``path`` exists but is a link, not a folder, or a folder of someone else's."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    owners = owners if owners is not None else {0, os.geteuid()}
    if stat.S_ISLNK(st.st_mode):
        why = "is a link"
    elif not stat.S_ISDIR(st.st_mode):
        why = "is not a folder"
    elif st.st_uid not in owners:
        why = f"belongs to {user_name(st.st_uid)}"
    else:
        return
    raise UserError(f"{path} {why}: someone made it before the course was set up, so it cannot be trusted; "
                    "remove it (as root) and run the command again, or run `crmtrain hub config`, which does")


def make_sticky(path: Path) -> None:
    """Add the sticky bit to the folder ``path`` (own folders only; a link is never followed)."""
    fd = os.open(path, DIR_FLAGS)
    try:
        st = os.fstat(fd)
        if st.st_uid == os.geteuid() and not st.st_mode & stat.S_ISVTX:
            os.fchmod(fd, stat.S_IMODE(st.st_mode) | stat.S_ISVTX)
    finally:
        os.close(fd)


def submission_size(folder: str | Path, exclude: tuple[str, ...] = (".ipynb_checkpoints", "__pycache__")) -> int:
    """The bytes nbgrader's submit would copy from ``folder`` (it follows links; so does this count)."""
    total = entries = 0
    for here, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = [d for d in dirs if not any(fnmatch.fnmatch(d, g) for g in exclude)]
        entries += len(dirs) + len(files)
        if entries > MAX_ENTRIES:  # also ends a walk round a link to a folder above
            return max(total, MAX_SUBMISSION_BYTES + 1)
        for name in files:
            try:
                total += os.stat(os.path.join(here, name)).st_size
            except OSError:
                continue
    return total
