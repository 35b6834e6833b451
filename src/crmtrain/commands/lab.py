"""``crmtrain lab``: open the workbooks (and fetched assessments) in JupyterLab, set up for trainees."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .. import lab
from ..errors import UserError
from ..i18n import _


def root_dir(directory: str | None) -> Path:
    """The folder to serve: DIR, else ./workbooks if it exists, else the current folder."""
    if directory is None:
        default = Path("workbooks")
        return (default if default.is_dir() else Path(".")).resolve()
    path = Path(directory).expanduser()
    if not path.is_dir():
        raise UserError(f"{directory}: no such folder (build the workbooks first: crmtrain build --out DIR)")
    return path.resolve()


def message(cmd: lab.LabCommand, open_browser: bool) -> str:
    """What the trainee reads before JupyterLab's own output starts."""
    lines = [f"Starting JupyterLab in {cmd.root}"]
    if not any(cmd.root.glob("*.ipynb")):
        lines.append("  (no notebooks here yet: build them with `crmtrain build --out DIR` and run `crmtrain lab DIR/workbooks`)")
    lines += [
        "",
        "  Open this address in your browser:" + (" (it should open by itself)" if open_browser else ""),
        f"    {cmd.login_url}",
        "",
        "  Your workbooks and assessments: the panel My training, on the left.",
        "  Keep this window open while you work. To stop JupyterLab, press Ctrl+C here",
        "  (or choose File → Shut Down in JupyterLab).",
        "",
    ]
    return "\n".join(lines)


def start(prepare: Callable[[], lab.LabCommand], say: Callable[[lab.LabCommand], str], out: TextIO) -> int:
    """Prepare JupyterLab, print what the user reads first (``say``), then hand this process over to it.

    Shared by ``crmtrain lab`` and ``crmtrain edit``. On POSIX JupyterLab replaces this process,
    so Ctrl+C, its shutdown and its exit status are its own.
    """
    try:
        cmd = prepare()
    except OSError as exc:
        raise UserError(f"cannot prepare JupyterLab's settings: {exc}") from None
    out.write(say(cmd))
    out.flush()
    sys.stderr.flush()
    if os.name != "posix":
        return subprocess.call(cmd.argv, env=cmd.env)  # pragma: no cover - Windows has no real exec
    os.execvpe(cmd.argv[0], cmd.argv, cmd.env)
    return 0  # reached only when a test replaces os.execvpe


def run(directory: str | None, *, port: int | None = None, open_browser: bool = True,
        out: TextIO = sys.stdout) -> int:
    """Start ``jupyter lab`` on 127.0.0.1 for DIR; on POSIX it replaces this process."""
    root = root_dir(directory)
    return start(lambda: lab.command(root, port=port or lab.free_port(), token=secrets.token_hex(24),
                                     open_browser=open_browser,
                                     # Jupyter's info log would push the address off the screen; warnings stay.
                                     extra_args=("--ServerApp.log_level=WARN", "--LabApp.log_level=WARN")),
                 lambda cmd: message(cmd, open_browser) + "\n", out)


def server_options(p) -> None:
    """The options of a command that starts JupyterLab (``lab``, ``edit``): its port and the browser."""
    p.add_argument("--port", type=int, default=None, help=_("port on 127.0.0.1 (default: 8888, or a free one if taken)"))
    p.add_argument("--no-browser", action="store_true", help=_("only print the address; do not open a browser"))


def register(sub) -> None:
    """``crmtrain lab``."""
    p = sub.add_parser("lab", help=_("open the workbooks (and fetched assessments) in JupyterLab, set up for trainees"))
    p.add_argument("dir", nargs="?", default=None, metavar="DIR",
                   help=_("the trainee's folder to open (default: ./workbooks if it exists, else .)"))
    server_options(p)
    p.set_defaults(func=lambda args: run(args.dir, port=args.port, open_browser=not args.no_browser, out=sys.stdout))
