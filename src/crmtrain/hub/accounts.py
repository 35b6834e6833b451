"""System accounts for the hub's users, through the shadow tools (useradd, chpasswd, usermod).

JupyterHub's PAM login checks the system password and its local spawner starts each user's
server as that user, so every trainee is a real account with a private home: Debian's
``useradd -m`` makes homes world-readable (0755), so each home is tightened to 0700.
Nothing here ever deletes an account or a home: a trainee taken off the roster is locked.
"""

from __future__ import annotations

import os
import pwd
import secrets
import subprocess
import time
from pathlib import Path

from ..errors import UserError

HOME_MODE = 0o700
_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"  # nothing to misread


def require_root(what: str) -> None:
    """UserError unless this process may manage accounts (root)."""
    if os.geteuid() != 0:
        raise UserError(f"{what} manages system accounts and must run as root (sudo crmtrain hub ...)")


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def home(name: str) -> Path:
    return Path(pwd.getpwnam(name).pw_dir)


def new_password() -> str:
    """A random initial password of 12 characters that are easy to read out."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def create(name: str, full_name: str = "", password: str | None = None) -> str:
    """Make the account with a private home; set and return its password (random unless given)."""
    _run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", full_name.replace(":", " ")[:100], name],
         f"creating the account {name!r}")
    set_password(name, password := password or new_password())
    private_home(name)
    return password


def set_password(name: str, password: str) -> None:
    _run(["chpasswd"], f"setting the password of {name!r}", stdin=f"{name}:{password}\n")


def private_home(name: str) -> Path:
    """Make the home folder readable by its owner only; return it.

    The folder is opened without following a link and changed through that descriptor, and
    only when its owner is the account: root never chmods what a name was swapped to.
    """
    path, uid = home(name), pwd.getpwnam(name).pw_uid
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return path  # no home (yet), or a link: nothing of ours to tighten
    try:
        st = os.fstat(fd)
        if st.st_uid == uid and (st.st_mode & 0o777) != HOME_MODE:
            os.fchmod(fd, HOME_MODE)
    finally:
        os.close(fd)
    return path


def lock(name: str) -> None:
    """No more password logins for the account (its home and work stay)."""
    _run(["usermod", "--lock", "--expiredate", "1", name], f"locking the account {name!r}")


def unlock(name: str) -> None:
    _run(["usermod", "--unlock", "--expiredate", "", name], f"unlocking the account {name!r}")


def delete(name: str) -> None:
    """Remove the account and its home: for the test suite's throwaway users only."""
    for _ in range(40):  # a killed process takes a moment to go, and userdel refuses while it is there
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        result = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if not exists(name):  # userdel also complains about a missing mail spool; only this matters
            return
        time.sleep(0.25)
    raise UserError(f"removing the account {name!r} failed: {result.stderr.strip()[:300]}")


def run_as(name: str, argv: list[str], *, env: dict[str, str] | None = None, cwd: str | Path | None = None,
           what: str = "", data: bytes | None = None, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ``argv`` as the account ``name`` (root only); UserError with its output if it fails.

    With ``data`` the child reads those bytes on stdin and its output stays bytes.
    """
    entry = pwd.getpwnam(name)
    # Not root's PATH: it may name folders the account cannot run from (a venv whose python
    # lives in root's home, put first by nbgrader_tools_on_path), which nbgrader would then try
    # for `alembic`. The program's own folder and the system's are what the account needs.
    own = [str(Path(argv[0]).parent)] if os.path.isabs(argv[0]) else []
    path = os.pathsep.join([*own, "/usr/local/bin", "/usr/bin", "/bin"])
    environ = {"HOME": entry.pw_dir, "USER": name, "LOGNAME": name, "PATH": path,
               "LANG": os.environ.get("LANG", "C.UTF-8"), **(env or {})}
    try:
        result = subprocess.run(argv, capture_output=True, text=data is None, input=data, env=environ,
                                cwd=cwd or entry.pw_dir, timeout=timeout, user=entry.pw_uid, group=entry.pw_gid,
                                extra_groups=_groups(name, entry.pw_gid))
    except subprocess.TimeoutExpired:
        raise UserError(f"{what or ' '.join(argv[:3])} as {name} did not finish in {timeout:.0f} s") from None
    if result.returncode != 0:
        err, out = (x.decode(errors="replace") if isinstance(x, bytes) else x for x in (result.stderr, result.stdout))
        tail = (err.strip() or out.strip()).splitlines()[-12:]
        raise UserError(f"{what or ' '.join(argv[:3])} as {name} failed (exit {result.returncode})", tail)
    return result


def _groups(name: str, primary: int) -> list[int]:
    return [g for g in os.getgrouplist(name, primary) if g != primary]


def _run(argv: list[str], what: str, stdin: str | None = None) -> None:
    try:
        result = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    except FileNotFoundError:
        raise UserError(f"{what} failed: {argv[0]} not found (the shadow tools: apt-get install passwd)") from None
    if result.returncode != 0:
        raise UserError(f"{what} failed: {(result.stderr or result.stdout).strip()[:300]}")
