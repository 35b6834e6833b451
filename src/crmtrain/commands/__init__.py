"""The ``crmtrain`` subcommands, one module each (``course`` and ``hub`` hold a family).

Every module in :data:`COMMANDS` adds its own parser(s) with ``register(sub)`` and sets
``func`` to the handler that runs it; ``cli.py`` only assembles them. A module's top-level
imports stay light (the standard library and crmtrain's constants): the work is imported when
its command runs, so ``crmtrain --help`` stays fast. The helpers below are shared by them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import UserError, comma_choices

# In the order --help lists them.
COMMANDS = ("init", "check", "document", "diff", "interchange", "convert", "build", "course", "report", "review", "lab",
            "edit", "demo", "hub")

REGULATION_HELP = ("a regulation YAML file, a folder holding regulation.yaml, or sample:en / sample:ru / "
                   "sample:freight (default: ./regulation.yaml)")


def add_course(p: argparse.ArgumentParser) -> None:
    """``--course DIR``, as every command that works on the nbgrader course takes it."""
    p.add_argument("--course", dest="course_dir", default="assignments", metavar="DIR",
                   help="the nbgrader course folder written by `crmtrain build` (default: assignments)")


def formats(*allowed: str) -> Callable[[str], str]:
    """An argparse type for ``--format a,b``: checked while parsing, worded as argparse's own choices."""
    def parse(text: str) -> str:
        try:
            return ",".join(comma_choices(text, allowed))
        except UserError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def crmtrain_command() -> str:
    """How to type ``crmtrain`` here, so that a printed next step works when pasted into a shell.

    ``crmtrain`` when the shell finds this installation's script; else the script's own path.
    After ``make demo`` the script lives in the checkout's ``.venv/bin``, which is not on the
    PATH: the path is then given relative to the working folder when it is below it.
    """
    script = Path(sys.executable).parent / "crmtrain"  # beside the venv's python, not resolved
    if not script.is_file():
        return "crmtrain"
    found = shutil.which("crmtrain")
    if found and os.path.samefile(found, script):
        return "crmtrain"
    here = Path.cwd()
    return os.path.relpath(script, here) if script.is_relative_to(here) else str(script)
