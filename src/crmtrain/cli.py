"""The ``crmtrain`` command: a thin shell over the library's jobs.

Each subcommand lives in its own module and is imported only when run, so ``--help`` stays
fast. The one user-facing error type, :class:`~crmtrain.errors.UserError`, is caught here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from .errors import UserError, comma_choices
from .grading.defaults import DEFAULT_COURSE_ID, DEFAULT_EXCHANGE
from .kinds.assessments import ASSESSMENTS
from .speedups import skip_unused_validators

REGULATION_HELP = ("a regulation YAML file, a folder holding regulation.yaml, or sample:en / sample:ru / "
                   "sample:freight (default: ./regulation.yaml)")


def _cmd_check(args: argparse.Namespace) -> int:
    from .commands.check import run

    return run(args.regulation, out=sys.stdout, cache=not args.no_cache)


def _cmd_init(args: argparse.Namespace) -> int:
    from .commands.init import run

    return run(args.dir, lang=args.lang, out=sys.stdout)


def _cmd_build(args: argparse.Namespace) -> int:
    from .commands.build import run

    return run(args.regulation, args.out, out=sys.stdout, exchange=args.exchange, course_id=args.course_id,
               db_url=args.db_url)


def _cmd_lab(args: argparse.Namespace) -> int:
    from .commands.lab import run

    return run(args.dir, port=args.port, open_browser=not args.no_browser, out=sys.stdout)


def _cmd_edit(args: argparse.Namespace) -> int:
    from .commands.edit import run

    return run(args.regulation, port=args.port, open_browser=not args.no_browser, out=sys.stdout)


def _cmd_demo(args: argparse.Namespace) -> int:
    from .commands.demo import run

    return run(args.out, lang=args.lang, out=sys.stdout)


def _cmd_report(args: argparse.Namespace) -> int:
    from .commands.report import run

    return run(args.course_dir, args.regulation, args.out, args.format, out=sys.stdout)


def _cmd_document(args: argparse.Namespace) -> int:
    from .commands.document import run

    return run(args.regulation, args.out, args.format, out=sys.stdout)


def _cmd_diff(args: argparse.Namespace) -> int:
    from .commands.diff import run

    return run(args.old, args.new, out=sys.stdout, course_dir=args.course_dir, out_dir=args.out)


def _cmd_export(args: argparse.Namespace) -> int:
    from .commands.interchange import export

    return export(args.regulation, args.format, args.out, out=sys.stdout)


def _cmd_import(args: argparse.Namespace) -> int:
    from .commands.interchange import import_

    return import_(args.file, args.format, args.out, out=sys.stdout)


def _cmd_review(args: argparse.Namespace) -> int:
    from .commands.review import run

    return run(args.course_dir, args.regulation, args.out, args.trainee or None, out=sys.stdout)


def _cmd_schema(args: argparse.Namespace) -> int:
    from .commands.schema import run

    return run(args.out, out=sys.stdout)


def _course(name: str) -> Callable[[argparse.Namespace], int]:
    """A handler calling ``commands.course.<name>`` with the parsed arguments."""

    def handler(args: argparse.Namespace) -> int:
        from .commands import course

        kwargs = {k: v for k, v in vars(args).items() if k not in ("func", "command", "roster_command")}
        return getattr(course, name)(out=sys.stdout, **kwargs)

    return handler


def _hub(name: str) -> Callable[[argparse.Namespace], int]:
    """A handler calling ``commands.hub.<name>`` with the parsed arguments."""

    def handler(args: argparse.Namespace) -> int:
        from .commands import hub

        kwargs = {k: v for k, v in vars(args).items() if k not in ("func", "command", "hub_command", "users_command")}
        return getattr(hub, name)(out=sys.stdout, **kwargs)

    return handler


def _add_hub(sub) -> None:
    """``crmtrain hub ...``: JupyterHub for the team on one server."""
    from .hub import AUTHENTICATORS, DEFAULT_PREFIX, DEFAULT_SITE  # constants only: cheap

    p = sub.add_parser("hub", help="run crmtrain for a team on JupyterHub: install, config, users, start, status, backup")
    hub = p.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    def site_arg(q) -> None:
        q.add_argument("--site", dest="site_dir", default=str(DEFAULT_SITE), metavar="DIR",
                       help=f"the hub's folder (default: {DEFAULT_SITE})")

    q = hub.add_parser("install", help="install JupyterHub, configurable-http-proxy and crmtrain into one prefix")
    q.add_argument("--prefix", default=str(DEFAULT_PREFIX), help=f"where to install (default: {DEFAULT_PREFIX})")
    q.add_argument("--source", default=".", metavar="DIR", help="the crmtrain checkout to install (default: .)")
    q.set_defaults(func=_hub("install"))

    q = hub.add_parser("config", help="configure the hub and build the course as the specialist (root)")
    q.add_argument("regulation", nargs="?", default=None, help=REGULATION_HELP)
    q.add_argument("--specialist", required=True, metavar="LOGIN",
                   help="the specialist's login: the course's instructor (created if missing)")
    site_arg(q)
    q.add_argument("--prefix", default=str(DEFAULT_PREFIX), help=f"where `hub install` put the software (default: {DEFAULT_PREFIX})")
    q.add_argument("--ip", default="127.0.0.1", help="address people connect to (default: 127.0.0.1; 0.0.0.0 for all)")
    q.add_argument("--port", type=int, default=8000, help="port people connect to (default: 8000)")
    q.add_argument("--hub-port", type=int, default=8081, help="JupyterHub's own port on 127.0.0.1 (default: 8081)")
    q.add_argument("--proxy-api-port", type=int, default=8001, help="the proxy's API port on 127.0.0.1 (default: 8001)")
    q.add_argument("--db-url", default=None, metavar="URL",
                   help="gradebook on PostgreSQL, e.g. postgresql://grader@localhost/crmtrain (default: sqlite in the course)")
    q.add_argument("--course-id", default="crm-training", help="nbgrader course id (default: crm-training)")
    q.add_argument("--authenticator", choices=AUTHENTICATORS, default="pam",
                   help="pam: system passwords (default); native: sign-ups the specialist approves")
    q.add_argument("--course-home", default=None, metavar="DIR",
                   help="where the specialist's course is built (default: ~SPECIALIST/course)")
    q.add_argument("--python-path", action="append", default=None, help=argparse.SUPPRESS)  # tests: the checkout
    q.set_defaults(func=_hub("config"))

    q = hub.add_parser("users", help="the hub's users")
    users = q.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    q = users.add_parser("sync", help="accounts, private homes and workbooks for every trainee of a roster CSV; "
                                      "trainees no longer listed are disabled, never deleted")
    q.add_argument("csv_path", metavar="CSV", help="the roster: columns id, name, email")
    site_arg(q)
    q.set_defaults(func=_hub("users_sync"))

    for name, text in (("start", "run JupyterHub in the foreground"),
                       ("status", "who is logged in and who has answers not yet submitted")):
        q = hub.add_parser(name, help=text)
        site_arg(q)
        q.set_defaults(func=_hub(name))
    for name, text in (("backup", "archive the gradebook, the exchange and the trainees' work"),
                       ("restore", "put a backup's gradebook, exchange and trainees' work back")):
        q = hub.add_parser(name, help=text)
        q.add_argument("archive", metavar="ARCHIVE", help="the .tar.gz file")
        site_arg(q)
        q.set_defaults(func=_hub(name))


def _formats(*allowed: str) -> Callable[[str], str]:
    """An argparse type for ``--format a,b``: checked while parsing, worded as argparse's own choices."""
    def parse(text: str) -> str:
        try:
            return ",".join(comma_choices(text, allowed))
        except UserError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _add_course(p: argparse.ArgumentParser) -> None:
    p.add_argument("--course", dest="course_dir", default="assignments", metavar="DIR",
                   help="the nbgrader course folder written by `crmtrain build` (default: assignments)")


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
    p.add_argument("--no-cache", action="store_true",
                   help="validate again even if this file was checked before unchanged (reports are cached in ~/.cache/crmtrain)")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("document", help="write the regulation as a formatted official document: HTML and PDF")
    p.add_argument("regulation", nargs="?", default=None, help=REGULATION_HELP)
    p.add_argument("--out", default="document", metavar="DIR", help="folder for regulation.html and regulation.pdf (default: document)")
    p.add_argument("--format", default="html,pdf", type=_formats("html", "pdf"),
                   help="comma-separated: html, pdf (default: both; pdf needs Chromium)")
    p.set_defaults(func=_cmd_document)

    p = sub.add_parser("diff", help="what changed between two versions of the regulation, who must relearn it, a re-test")
    p.add_argument("old", metavar="OLD", help="the earlier regulation (a file, or sample:en / sample:ru)")
    p.add_argument("new", metavar="NEW", help="the new regulation")
    p.add_argument("--course", dest="course_dir", default=None, metavar="DIR",
                   help="the nbgrader course built from OLD: also list who learned the old version of each item")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="write the 'what changed' workbook and the re-test (retest/retest.ipynb) into DIR")
    p.set_defaults(func=_cmd_diff)

    # The interchange formats, named here so that --help needs no import.
    formats = ("moodle-xml", "gift", "xlsx", "csv", "qti", "bpmn")
    p = sub.add_parser("export", help="write the question bank as Moodle XML, GIFT or a spreadsheet, or the "
                                      "processes as BPMN")
    p.add_argument("regulation", nargs="?", default=None, help=REGULATION_HELP)
    p.add_argument("--format", required=True, choices=formats, help="moodle-xml, gift, xlsx, csv, qti (QTI 2.1 zip, "
                                                                    "export only) or bpmn (the business processes)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="the file to write; a missing folder is created (default: questions.xml, questions.gift, "
                        "questions.xlsx, questions.csv or questions-qti.zip here)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("import", help="read questions from Moodle XML, GIFT or a spreadsheet, or processes from "
                                      "BPMN, as regulation YAML")
    p.add_argument("file", metavar="FILE", help="a .xml (Moodle XML), .gift/.txt (GIFT), .xlsx, .csv or .bpmn file")
    p.add_argument("--format", default=None, choices=formats, help="the file's format (default: by its suffix)")
    p.add_argument("--out", default=None, metavar="FILE", help="write the questions' YAML here (default: print it)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("schema", help="print the JSON Schema of the regulation format (for editor completion)")
    p.add_argument("--out", default=None, metavar="FILE", help="write it to FILE instead of printing it")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("build", help="generate the trainee workbooks (and the assessment course) from a regulation")
    p.add_argument("regulation", nargs="?", default=None, help=REGULATION_HELP)
    p.add_argument("--out", default=".", metavar="DIR", help="folder that receives workbooks/ and assignments/ (default: .)")
    p.add_argument("--exchange", default=DEFAULT_EXCHANGE, metavar="DIR",
                   help=f"nbgrader exchange folder shared with trainees (default: nbgrader's {DEFAULT_EXCHANGE})")
    p.add_argument("--course-id", default=DEFAULT_COURSE_ID, help=f"nbgrader course id (default: {DEFAULT_COURSE_ID})")
    p.add_argument("--db-url", default=None, metavar="URL",
                   help="gradebook on a database server, e.g. postgresql://grader@localhost/crmtrain "
                        "(default: gradebook.db in the course folder; a rebuild keeps the one set before)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("roster", help="manage the trainees of the course")
    roster = p.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    p = roster.add_parser("import", help="add or update trainees from a CSV file with columns id, name, email")
    p.add_argument("csv_path", metavar="CSV")
    _add_course(p)
    p.set_defaults(func=_course("roster_import"))

    p = sub.add_parser("release", help="generate an assessment's trainee version and release it")
    p.add_argument("assessment", choices=ASSESSMENTS)
    p.add_argument("--due", help="due date, e.g. 2027-02-15 (end of day) or '2027-02-15 18:00', in the course time zone")
    p.add_argument("--force", action="store_true", help="release again although it was released before")
    _add_course(p)
    p.set_defaults(func=_course("release"))

    for name, text in (("status", "who fetched, submitted, is late and was graded, per assessment"),
                       ("collect", "collect the latest submissions from the exchange"),
                       ("grade", "autograde every collected submission (in parallel)"),
                       ("feedback", "release feedback (answers and points, never the key) to trainees")):
        p = sub.add_parser(name, help=text)
        p.add_argument("assessment", nargs="?", choices=ASSESSMENTS, help="only this assessment (default: all)")
        _add_course(p)
        if name == "grade":
            p.add_argument("--workers", type=int, default=None, help="parallel workers (default: one per CPU)")
            p.add_argument("--watch", action="store_true",
                           help="keep running: collect and grade each new submission as it arrives (Ctrl+C stops)")
            p.add_argument("--interval", type=float, default=10.0, metavar="S",
                           help="with --watch: seconds between looks at the exchange (default: 10)")
        if name == "feedback":
            p.add_argument("--include-pending", action="store_true",
                           help="also for trainees whose open answers are not graded yet")
        p.set_defaults(func=_course(name))

    p = sub.add_parser("report", help="score tables for the specialist: CSV, XLSX and an offline HTML report")
    _add_course(p)
    p.add_argument("--regulation", default=None, help=REGULATION_HELP.replace("default: ./regulation.yaml", "default: the one the course was built from"))
    p.add_argument("--out", default="reports", metavar="DIR", help="folder for the report files (default: reports)")
    p.add_argument("--format", default="csv,xlsx,html", type=_formats("csv", "xlsx", "html"),
                   help="comma-separated: csv, xlsx, html (default: all)")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("review", help="each trainee's review plan as a personal workbook in their folder")
    _add_course(p)
    p.add_argument("--regulation", default=None, help=REGULATION_HELP)
    p.add_argument("--out", default="review/{trainee}", metavar="PATTERN",
                   help="folder per trainee; {trainee} stands for the trainee's id (default: review/{trainee})")
    p.add_argument("--trainee", action="append", metavar="ID", help="only this trainee (repeatable)")
    p.set_defaults(func=_cmd_review)

    p = sub.add_parser("lab", help="open the workbooks (and fetched assessments) in JupyterLab, set up for trainees")
    p.add_argument("dir", nargs="?", default=None, metavar="DIR",
                   help="the trainee's folder to open (default: ./workbooks if it exists, else .)")
    p.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: 8888, or a free one if taken)")
    p.add_argument("--no-browser", action="store_true", help="only print the address; do not open a browser")
    p.set_defaults(func=_cmd_lab)

    p = sub.add_parser("edit", help="edit the regulation as forms in JupyterLab (the YAML keeps its comments)")
    p.add_argument("regulation", nargs="?", default=None, metavar="REGULATION",
                   help="the regulation file or its folder (default: ./regulation.yaml)")
    p.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: 8888, or a free one if taken)")
    p.add_argument("--no-browser", action="store_true", help="only print the address; do not open a browser")
    p.set_defaults(func=_cmd_edit)

    p = sub.add_parser("demo", help="the whole story on the sample: build, simulated trainees, grading, feedback, reports")
    p.add_argument("--out", default="demo", metavar="DIR", help="folder for everything the demo makes (default: demo)")
    p.add_argument("--lang", choices=("en", "ru"), default="en", help="language of the sample and the trainees (default: en)")
    p.set_defaults(func=_cmd_demo)

    _add_hub(sub)
    return parser


def report(exc: UserError, stream: TextIO) -> None:
    """Print a user error: one line per problem (``file:line:col: field: message``), then the summary."""
    for problem in exc.problems:
        print(problem, file=stream)
    print(str(exc), file=stream)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 incomplete/failed, 2 bad input)."""
    from .i18n import set_language

    set_language(None)  # the locale's, until a command reads a regulation and speaks its language
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse has printed
        return exc.code if isinstance(exc.code, int) else 0
    skip_unused_validators()
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
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


if __name__ == "__main__":
    sys.exit(main())
