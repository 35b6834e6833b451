"""The ``crmtrain`` command: a thin shell over the library's jobs.

Each subcommand lives in its own module and is imported only when run, so ``--help`` stays
fast. The one user-facing error type, :class:`~crmtrain.errors.UserError`, is caught here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .errors import UserError
from .speedups import skip_unused_validators

REGULATION_HELP = "a regulation YAML file, or sample:en / sample:ru (default: the English sample)"


def _cmd_check(args: argparse.Namespace) -> int:
    from .commands.check import run

    return run(args.regulation, out=sys.stdout)


def _cmd_init(args: argparse.Namespace) -> int:
    from .commands.init import run

    return run(args.dir, lang=args.lang, out=sys.stdout)


def _cmd_build(args: argparse.Namespace) -> int:
    from .commands.build import run

    return run(args.regulation, args.out, out=sys.stdout)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="crmtrain",
        description="Training workbooks and assessments for JupyterLab, generated from a CRM regulation.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"crmtrain {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="scaffold a new regulation with every recommended item marked TODO")
    p.add_argument("dir", help="folder to create the regulation in (regulation.yaml)")
    p.add_argument("--lang", choices=("ru", "en"), default="en", help="language of the regulation (default: en)")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("check", help="validate a regulation and report what is missing, part by part")
    p.add_argument("regulation", nargs="?", default=None, help=REGULATION_HELP)
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("build", help="generate the trainee workbooks (and the assessment course) from a regulation")
    p.add_argument("regulation", nargs="?", default=None, help=REGULATION_HELP)
    p.add_argument("--out", default=".", metavar="DIR", help="folder that receives workbooks/ and assignments/ (default: .)")
    p.set_defaults(func=_cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 incomplete/failed, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    skip_unused_validators()
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        return func(args)
    except UserError as exc:
        for line in exc.lines or (str(exc),):
            print(line, file=sys.stderr)
        if exc.lines:
            print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
