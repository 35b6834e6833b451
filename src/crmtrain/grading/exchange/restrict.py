"""An assessment released to some trainees only: who may fetch it, and the folder only they can read.

nbgrader's exchange has one ``outbound/<assessment>/`` folder that every trainee reads. A
re-test is for the trainees who learned the old version of the regulation, so:

* the release publishes the list in ``schedule/<assessment>.json`` (``"for"``), and the
  fetch plugin and the "My training" panel say "not for you" to anyone else;
* where the trainees are accounts of this machine (a hub), the released folder itself is
  closed to everyone but its owner and opened to each listed account by a POSIX ACL
  (``user:<login>:r-x``), set through the folder's open descriptor, so a trainee's own
  ``nbgrader fetch_assignment`` or shell cannot read it either. On one machine without such
  accounts (``crmtrain lab``, the demo) the list is what restricts.

Standard library only: the ACL is written as Linux's ``system.posix_acl_access`` attribute.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
import struct
from pathlib import Path

from ..plumbing.config import SCHEDULE_DIR
from .inbound import DIR_FLAGS

ACL_XATTR = "system.posix_acl_access"
_VERSION = 2
_USER_OBJ, _USER, _GROUP_OBJ, _MASK, _OTHER = 0x01, 0x02, 0x04, 0x10, 0x20
_NO_ID = 0xFFFFFFFF
_RX, _RWX = 0o5, 0o7


def published(exchange_course_dir: str | Path, assessment: str) -> dict:
    """What the release published about ``assessment`` (title, due date, ``for``); {} if nothing."""
    try:
        data = json.loads((Path(exchange_course_dir) / SCHEDULE_DIR / f"{assessment}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_for(schedule: dict, trainee: str) -> bool:
    """Whether an assessment with this published schedule is for ``trainee`` (no ``for``: for all)."""
    listed = schedule.get("for")
    return not isinstance(listed, list) or trainee in listed


def accounts(trainees: tuple[str, ...]) -> dict[str, int]:
    """``{login: uid}`` of the trainees who are accounts on this machine."""
    found = {}
    for t in trainees:
        try:
            found[t] = pwd.getpwnam(t).pw_uid
        except KeyError:
            continue
    return found


def acl_bytes(uids: list[int]) -> bytes:
    """The ``posix_acl_access`` value: owner rwx, the listed users r-x, nobody else anything."""
    entries = [(_USER_OBJ, _RWX, _NO_ID), *((_USER, _RX, uid) for uid in sorted(set(uids))),
               (_GROUP_OBJ, 0, _NO_ID), (_MASK, _RX, _NO_ID), (_OTHER, 0, _NO_ID)]
    return struct.pack("<I", _VERSION) + b"".join(struct.pack("<HHI", *e) for e in entries)


def open_only_to(folder: str | Path, uids: list[int]) -> None:
    """Close ``folder`` (the releaser's own, never a link) to all but its owner and ``uids``.

    OSError when the file system keeps no ACLs: the caller says so rather than release the
    re-test to everybody.
    """
    fd = os.open(folder, DIR_FLAGS)
    try:
        if os.fstat(fd).st_uid != os.geteuid():
            raise PermissionError(f"{folder} is not the releaser's own folder")
        os.fchmod(fd, stat.S_IRWXU)  # closed first: the ACL only ever opens it
        if uids:
            os.setxattr(fd, ACL_XATTR, acl_bytes(uids))
    finally:
        os.close(fd)


def readers(folder: str | Path) -> list[int]:
    """The uids a folder's ACL names (to show and test what the release did)."""
    try:
        raw = os.getxattr(folder, ACL_XATTR, follow_symlinks=False)
    except OSError:
        return []
    return [uid for tag, _perm, uid in struct.iter_unpack("<HHI", raw[4:]) if tag == _USER]
