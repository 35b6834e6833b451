"""File work in a user's own folders, done by a child process that runs as that user.

Root never writes, copies or chowns anything in a home or in the specialist's course itself:
every name there belongs to a user, who can put a link where root expects a file (issue 20:
a link at a fixed temporary name had root chown ``/etc/passwd`` to a trainee). Root starts
``python -m crmtrain.hub.<module> ...`` instead, with the user's uid, gid and groups
(:func:`.accounts.run_as`), so the work can do no more than the user could do themselves;
the data travels through the pipe. Files are written under a random temporary name and
renamed over the target, so a reader sees the old file or the new one, and a link at the
target is replaced, never followed.

The child's side here: ``python -m crmtrain.hub.asuser write PATH MODE`` (stdin -> PATH) and
``sqlite-copy DB`` (a consistent copy of a SQLite database -> stdout).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

TIMEOUT_S = 300  # a child that hangs (a FIFO planted by its user) must not hold up a whole sync


def command(site, module: str, *args: object) -> list[str]:
    """``python -m crmtrain.hub.<module> ARGS`` with the hub's Python, without the user's own site folder."""
    return [str(site.prefix / "bin" / "python"), "-s", "-P", "-m", f"crmtrain.hub.{module}", *map(str, args)]


def run(site, name: str, module: str, *args: object, data: bytes = b"", what: str) -> bytes:
    """Run ``crmtrain.hub.<module> ARGS`` as the account ``name`` with ``data`` on stdin; its stdout."""
    from . import accounts
    from .setup import user_env

    return accounts.run_as(name, command(site, module, *args), env=user_env(site), cwd="/", what=what, data=data,
                           timeout=TIMEOUT_S).stdout


def write(site, name: str, path: str | Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` as the account ``name`` (created or replaced, never through a link)."""
    run(site, name, "asuser", "write", path, oct(mode), data=data, what=f"writing {path}")


def replace_file(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``path`` through a new file of a random name renamed over it (a link there is replaced)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".crmtrain-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def sqlite_copy(db: Path) -> bytes:
    """A consistent copy of the SQLite database ``db`` (even while a grader writes); b"" if there is none."""
    import sqlite3

    if not db.is_file():
        return b""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = sqlite3.connect(f"file:{db}?mode=ro", uri=True), sqlite3.connect(Path(tmp) / "copy.db")
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        return (Path(tmp) / "copy.db").read_bytes()


# A verb of a child's command line: how many arguments it takes, and what it does with them.
Verb = tuple[int, Callable[[list[str]], None]]


def child_main(args: list[str], verbs: dict[str, Verb], usage: str) -> int:
    """The child's side of a module run as a user: ``VERB ARGS``; 1 with the reason on stderr if the work
    fails with an OSError, 2 with ``usage`` for a command line it does not know."""
    verb = verbs.get(args[0]) if args else None
    if verb is not None and len(args) == 1 + verb[0]:
        try:
            verb[1](args[1:])
            return 0
        except OSError as exc:
            print(f"{exc.filename or args[1]}: {exc.strerror}", file=sys.stderr)
            return 1
    print(f"usage: {usage}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """The child's side: ``write PATH MODE`` (stdin to PATH) or ``sqlite-copy DB`` (a copy to stdout)."""
    return child_main(sys.argv[1:] if argv is None else argv, {
        "write": (2, lambda a: replace_file(Path(a[0]), sys.stdin.buffer.read(), int(a[1], 8))),
        "sqlite-copy": (1, lambda a: sys.stdout.buffer.write(sqlite_copy(Path(a[0])))),
    }, "python -m crmtrain.hub.asuser write PATH MODE | sqlite-copy DB")


if __name__ == "__main__":
    sys.exit(main())
