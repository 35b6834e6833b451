"""Copy the built workbooks into a hub user's home, and update them after a rebuild.

A workbook is generated: a trainee's progress is not in the notebook but in a small file
beside it (``.<name>.progress.json``, written by the runtime), so a newer build of the
notebook replaces the old one and the progress stays. Nothing is ever deleted: a workbook
the new build no longer has stays where it is. Stdlib only; runs as root (the hub's hook
or ``crmtrain hub users sync``) and hands every file to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER = "workbooks"  # ~/workbooks/ in each home
SPECIALIST_ONLY = ("specialist-dashboard.ipynb",)  # written by `crmtrain build` beside the workbooks


def install(source: Path, home: Path, uid: int, gid: int) -> list[str]:
    """Put every trainee workbook of ``source`` into ``home/workbooks``; the names written."""
    dest = home / FOLDER
    if not dest.is_dir():
        dest.mkdir(mode=0o700)
        os.chown(dest, uid, gid)
    written = []
    for notebook in sorted(Path(source).glob("*.ipynb")):
        if notebook.name in SPECIALIST_ONLY:
            continue
        target = dest / notebook.name
        data = notebook.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue
        tmp = dest / f".{notebook.name}.crmtrain-new"
        tmp.write_bytes(data)
        os.chown(tmp, uid, gid)
        tmp.chmod(0o600)
        tmp.replace(target)  # a server reading the notebook sees the old or the new one, never half
        written.append(notebook.name)
    return written
