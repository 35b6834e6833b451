"""The hub's nbgrader exchange, laid out up front by root so no trainee can squat any of it.

Layout (``<site>/exchange``)::

    exchange/                    root's, 1777 (nbgrader wants it writable by all): sticky,
                                 so no one renames or removes what others made
    exchange/<course>/           the specialist's, 0755: only they add assessments
        outbound/                the specialist's, 0755: released assessments
        inbound/                 the specialist's, 3733: trainees add submissions, cannot list,
                                 rename or remove them (sticky), the group stays the specialist's
        fetched/                 the same, for fetch markers

Every folder is made here before any trainee could make it, and each one is opened without
following a link (the specialist owns ``<course>/`` and could plant one) before its owner and
mode are set through the open descriptor. A ``<course>`` folder someone else made before the
hub was configured is refused, with what to do.
"""

from __future__ import annotations

import os
import pwd
import stat

from ..errors import UserError
from ..grading.plumbing.config import FETCHED_DIR
from ..grading.exchange.owners import user_name
from .site import Site

ROOT_MODE = 0o1777
COURSE_MODE = 0o755
FOLDERS = {"outbound": 0o755, "inbound": 0o3733, FETCHED_DIR: 0o3733}
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _own_folder(parent: int, name: str, uid: int, gid: int, mode: int, where: str) -> int:
    """Make or adopt ``name`` under ``parent`` for ``uid``:``gid`` with ``mode``; its descriptor."""
    try:
        os.mkdir(name, 0o700, dir_fd=parent)
    except FileExistsError:
        pass
    try:
        fd = os.open(name, _DIR, dir_fd=parent)
    except OSError as exc:
        raise UserError(f"{where} is not a folder (a link or a file: {exc.strerror}); remove it and run "
                        "`crmtrain hub config` again") from None
    owner = os.fstat(fd).st_uid
    if owner not in (0, uid):
        os.close(fd)
        raise UserError(f"{where} belongs to {user_name(owner)}, not to the specialist: someone made it before "
                        "the hub was configured; remove it and run `crmtrain hub config` again")
    os.fchown(fd, uid, gid)
    os.fchmod(fd, mode)
    return fd


def write_exchange(site: Site) -> None:
    """Make (or repair) the exchange's folders with their owners and modes (root only)."""
    entry = pwd.getpwnam(site.specialist)
    site.exchange.mkdir(parents=True, exist_ok=True)  # inside the site folder: root's alone
    root = os.open(site.exchange, _DIR)
    try:
        st = os.fstat(root)
        if st.st_uid != 0 or stat.S_IMODE(st.st_mode) != ROOT_MODE:
            os.fchown(root, 0, 0)
            os.fchmod(root, ROOT_MODE)
        course = _own_folder(root, site.course_id, entry.pw_uid, entry.pw_gid, COURSE_MODE,
                             str(site.exchange / site.course_id))
        try:
            for name, mode in FOLDERS.items():
                os.close(_own_folder(course, name, entry.pw_uid, entry.pw_gid, mode,
                                     str(site.exchange / site.course_id / name)))
        finally:
            os.close(course)
    finally:
        os.close(root)
