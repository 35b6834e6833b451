"""The ``crmtrain`` subcommands, one module each (``course`` and ``hub`` hold a family).

Every module in :data:`COMMANDS` adds its own parser(s) with ``register(sub)`` and sets
``func`` to the handler that runs it; ``cli.py`` only assembles them. A module's top-level
imports stay light (the standard library and crmtrain's constants): the work is imported when
its command runs, so ``crmtrain --help`` stays fast. The helpers below are shared by them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import UserError, comma_choices
from ..i18n import N_, _, set_language

if TYPE_CHECKING:
    from ..regulation.models import Regulation

# In the order --help lists them.
COMMANDS = ("init", "check", "document", "diff", "interchange", "convert", "build", "course", "report", "review", "lab",
            "edit", "demo", "hub")

REGULATION_HELP = N_("a regulation YAML file, a folder holding regulation.yaml, or sample:en / sample:ru / "
                     "sample:freight (default: ./regulation.yaml)")  # a msgid: help=_(REGULATION_HELP)


def add_course(p: argparse.ArgumentParser) -> None:
    """``--course DIR``, as every command that works on the nbgrader course takes it."""
    p.add_argument("--course", dest="course_dir", default="assignments", metavar="DIR",
                   help=_("the nbgrader course folder written by `crmtrain build` (default: assignments)"))


def formats(*allowed: str) -> Callable[[str], str]:
    """An argparse type for ``--format a,b``: checked while parsing, worded as argparse's own choices."""
    def parse(text: str) -> str:
        try:
            return ",".join(comma_choices(text, allowed))
        except UserError:
            # argparse's own words for a bad choice (its msgid, in the catalogs), in the current language.
            bad = next((w for w in (w.strip().lower() for w in text.split(",")) if w not in allowed), "")
            raise argparse.ArgumentTypeError(_("invalid choice: %(value)r (choose from %(choices)s)") % {
                "value": bad, "choices": ", ".join(map(repr, allowed))}) from None

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


# --- reading the regulation ----------------------------------------------------------------
# How a command reads its regulation: which file, in which language, and saying what it read.
#
# Given no regulation, a command reads ``./regulation.yaml`` (never a sample unless asked, as
# ``sample:en``). Once read, the command speaks the regulation's language: a Russian regulation
# gets Russian messages whatever the locale. The one line naming the company and version tells
# the specialist which regulation the command worked on.

# What a built course remembers about its regulation, so its commands find it by themselves.
COURSE_RECORD = "crmtrain.json"

def read(spec: str | Path | None, out: TextIO | None, *, base: Path | None = None) -> tuple[Regulation, Path]:
    """Resolve, load and announce a regulation; later messages are said in its language."""
    from ..regulation.loader import load
    from ..samples import resolve

    path = resolve(spec, base=base)
    reg = load(path)  # a UserError lists its problems, in its declared language
    set_language(reg.meta.language.value)
    if out is not None:
        out.write(named(reg, path) + "\n")
    return reg, path


def named(reg: Regulation, path: Path) -> str:
    """One line: the company, its CRM and the regulation's version, and the file it came from."""
    m = reg.meta
    return _("Regulation: {company} ({crm}), version {version} of {date} — {path}").format(
        company=m.company, crm=m.crm, version=m.version, date=m.effective_date, path=path)


def recorded(course: str | Path) -> str | None:
    """How the course at ``course`` names the regulation it was built from (None: no record)."""
    from ..errors import UserError

    record = Path(course) / COURSE_RECORD
    try:
        return json.loads(record.read_text(encoding="utf-8"))["regulation"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(_("{file}: unreadable ({error}); rebuild the course or pass --regulation").format(
            file=record, error=exc)) from None


def folder_language(folder: Path | None = None) -> str | None:
    """The language of ``./regulation.yaml`` (the specialist's folder), read before any command runs; None: none there.

    The CLI speaks it from the start (``--help`` included), so a specialist working in their
    regulation's folder reads every word in its language; elsewhere the locale decides
    (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), until a command reads a regulation.
    """
    from ..regulation.formats.yamlread import written_language

    try:
        with open((folder or Path.cwd()) / "regulation.yaml", encoding="utf-8", errors="replace") as f:
            return written_language(f.read(65536))  # meta comes first; a huge file is not read whole
    except OSError:
        return None


# argparse's own words (said through its module's ``_``), as msgids of crmtrain's catalogs.
ARGPARSE_WORDS = (N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                  N_("show program's version number and exit"), N_("the following arguments are required: %s"),
                  N_("unrecognized arguments: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
                  N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
                  N_("expected one argument"), N_("invalid %(type)s value: %(value)r"))


@contextlib.contextmanager
def argparse_speaking() -> Iterator[None]:
    """argparse's own words (usage, options, its errors) in the current language inside the block."""
    saved = argparse._
    argparse._ = lambda text: _(text) if isinstance(text, str) and text else text  # it passes None at times
    try:
        yield
    finally:
        argparse._ = saved


def speak_course_language(course: str | Path) -> None:
    """Say the course commands' messages in the language of the regulation the course was built from."""
    from ..errors import UserError
    from ..regulation.formats.yamlread import ReadFailed, read_text, written_language
    from ..samples import resolve

    try:
        ref = recorded(course)
        if ref is not None:
            set_language(written_language(read_text(resolve(ref, base=Path(course)))))
    except (UserError, ReadFailed, OSError):
        pass  # no language is a reason to fail a command: the locale's it is
