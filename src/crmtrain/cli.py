"""The ``crmtrain`` command: a thin shell over the library's jobs.

Each subcommand lives in its own module under :mod:`crmtrain.commands`, which registers its
own parser and imports its work only when run, so ``--help`` stays fast. The one user-facing
error type, :class:`~crmtrain.errors.UserError`, is caught here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import TextIO

from .commands import COMMANDS
from .errors import UserError
from .i18n import _
from .speedups import skip_unused_validators


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (each module in ``commands.COMMANDS`` adds its own)."""
    parser = argparse.ArgumentParser(
        prog="crmtrain",
        description=_("Training workbooks and assessments for JupyterLab, generated from a CRM regulation."),
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"crmtrain {__version__}",
                        help=_("show program's version number and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    for name in COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


def report(exc: UserError, stream: TextIO) -> None:
    """Print a user error: one line per problem (``file:line:col: field: message``), then the summary."""
    for problem in exc.problems:
        print(problem, file=stream)
    print(str(exc), file=stream)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 incomplete/failed, 2 bad input)."""
    from .commands import argparse_speaking, folder_language
    from .i18n import set_language

    # ./regulation.yaml's language, else the locale's, until a command reads a regulation and speaks its own.
    set_language(folder_language())
    try:
        with argparse_speaking():
            parser = build_parser()
            args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse has printed
        set_language(None)
        return exc.code if isinstance(exc.code, int) else 0
    skip_unused_validators()
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        with argparse_speaking():
            parser.print_help()
        return 0
    try:
        return func(args)
    except UserError as exc:
        report(exc, sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `crmtrain diff OLD NEW | head`: the reader stopped reading; that is not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        set_language(None)  # a caller running several commands (tests, the demo) starts each afresh


if __name__ == "__main__":
    sys.exit(main())
