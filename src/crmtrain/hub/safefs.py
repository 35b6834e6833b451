"""Root reading and writing folders that users own, without ever following a link.

``hub backup`` and ``hub restore`` must work as root (the exchange mixes every trainee's
files, and owners are restored by name), in folders where trainees create names: their homes
and the exchange. Path-based calls (``tarfile.add``, ``tarfile.extract``) follow a link that
a trainee swaps in between a check and the use. Here every step is taken from the descriptor
of the folder before it (``openat`` with ``O_NOFOLLOW``): a link is never followed at any
level, a file is read or written through the descriptor that was opened, and a restored file
is created afresh (``O_EXCL``) after whatever had its name was removed. A path given to
:func:`open_dir` may pass through links only if root owns them (``/home`` -> ``/srv/home``).
"""

from __future__ import annotations

import contextlib
import errno
import grp
import io
import os
import pwd
import stat
import tarfile
from pathlib import Path, PurePosixPath

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def open_dir(path: str | Path) -> int:
    """A descriptor of the folder ``path``; OSError if a part of it is a link not made by root."""
    current = Path("/")
    for part in Path(path).parts[1:]:
        current = current / part
        st = os.lstat(current)
        if stat.S_ISLNK(st.st_mode) and st.st_uid != 0:
            raise OSError(errno.ELOOP, "a link made by a user", str(current))
    fd = os.open("/", _DIR)
    for part in Path(os.path.realpath(path)).parts[1:]:
        try:
            child = os.open(part, _DIR, dir_fd=fd)
        finally:
            os.close(fd)
        fd = child
    return fd


def add_tree(tar: tarfile.TarFile, folder: str | Path, arcname: str, owner: int | None = None,
             skip=lambda arcname: False) -> list[str]:
    """Add ``folder``'s folders and regular files to ``tar``; links and special files are left out.

    With ``owner``, only what that uid owns is taken (a trainee's home holds nothing of anyone
    else's); ``skip(arcname)`` leaves out what is archived otherwise. Returns what was left
    out and why (a name in the way of the folder itself raises OSError).
    """
    left: list[str] = []
    fd = open_dir(folder)
    try:
        _add(tar, fd, arcname, owner, skip, left)
    finally:
        os.close(fd)
    return left


def _add(tar: tarfile.TarFile, fd: int, arcname: str, owner: int | None, skip, left: list[str]) -> None:
    tar.addfile(_info(arcname, os.fstat(fd), tarfile.DIRTYPE))
    for name in sorted(os.listdir(fd)):
        path = f"{arcname}/{name}"
        if skip(path):
            continue
        try:
            child = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError as exc:
            left.append(f"{path}: {'a link' if exc.errno == errno.ELOOP else exc.strerror}")
            continue
        try:
            st = os.fstat(child)
            if owner is not None and st.st_uid != owner:
                left.append(f"{path}: not the owner's")
            elif stat.S_ISDIR(st.st_mode):
                _add(tar, child, path, owner, skip, left)
            elif stat.S_ISREG(st.st_mode):
                data = _read_all(child)
                info = _info(path, st, tarfile.REGTYPE)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                left.append(f"{path}: a special file")
        finally:
            os.close(child)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _info(name: str, st: os.stat_result, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = kind, stat.S_IMODE(st.st_mode), int(st.st_mtime)
    info.uid, info.gid = st.st_uid, st.st_gid
    info.uname, info.gname = _name(pwd.getpwuid, st.st_uid), _name(grp.getgrgid, st.st_gid)
    return info


def _name(lookup, number: int) -> str:
    try:
        return lookup(number)[0]
    except KeyError:
        return ""


def restore_member(base: str | Path, relative: str, member: tarfile.TarInfo, data: bytes | None) -> None:
    """Put one archived folder or file at ``base/relative``, owner and mode by name, links never followed.

    A name in the way that is not a folder (where a folder goes) or is a folder (where a file
    goes) raises OSError; whatever else had the file's name is replaced, not written through.
    """
    parts = PurePosixPath(relative).parts
    fd = open_dir(base)
    try:
        for part in parts[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o700, dir_fd=fd)
            child = os.open(part, _DIR, dir_fd=fd)
            os.close(fd)
            fd = child
        last = parts[-1]
        if member.isdir():
            with contextlib.suppress(FileExistsError):
                os.mkdir(last, 0o700, dir_fd=fd)
            target = os.open(last, _DIR, dir_fd=fd)
            mode = member.mode & 0o3777  # the exchange's inbound keeps its setgid bit
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(last, dir_fd=fd)  # a link there goes, its target stays as it was
            target = os.open(last, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd)
            with open(os.dup(target), "wb") as fh:
                fh.write(data or b"")
            mode = member.mode & 0o777  # never setuid
        try:
            os.fchown(target, _id(pwd.getpwnam, member.uname, member.uid), _id(grp.getgrnam, member.gname, member.gid))
            os.fchmod(target, mode)
            os.utime(target, (member.mtime, member.mtime))
        finally:
            os.close(target)
    finally:
        os.close(fd)


def _id(lookup, name: str, number: int) -> int:
    try:
        return lookup(name)[2] if name else number
    except KeyError:
        return number

