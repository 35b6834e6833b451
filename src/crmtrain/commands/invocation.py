"""How to type ``crmtrain`` here: the printed next steps must work when pasted into a shell."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def crmtrain_command() -> str:
    """``crmtrain`` when the shell finds this installation's script, else the script's own path.

    After ``make demo`` the script lives in the checkout's ``.venv/bin``, which is not on the
    PATH: the path is then given relative to the working folder when it is below it.
    """
    script = Path(sys.executable).parent / "crmtrain"  # beside the venv's python, not resolved
    if not script.is_file():
        return "crmtrain"
    found = shutil.which("crmtrain")
    if found and os.path.samefile(found, script):
        return "crmtrain"
    try:
        return str(Path(os.path.relpath(script, Path.cwd()))) if script.is_relative_to(Path.cwd()) else str(script)
    except ValueError:
        return str(script)
