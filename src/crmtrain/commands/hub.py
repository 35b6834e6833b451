"""``crmtrain hub ...``: a JupyterHub for the team on this server (see :mod:`crmtrain.hub`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..i18n import N_, _
from ..hub import LIMIT_DEFAULTS, LIMIT_OPTIONS, accounts, asuser, install as installer
from ..hub.site import AUTHENTICATORS, Site, check_login
from . import REGULATION_HELP

SAMPLE_KEY_WARNING = ("its answer key is public, any trainee can run `crmtrain build` on it and see every answer "
                      "of every assessment")


def install(prefix: str, source: str, out: TextIO = sys.stdout) -> int:
    """``crmtrain hub install``: JupyterHub, the proxy and crmtrain into PREFIX."""
    done = installer.install(prefix, source, log=lambda text: print(text, file=out, flush=True))
    out.write(f"Installed into {done.prefix}: {done.jupyterhub}, {done.proxy}\n"
              f"Next: sudo {done.prefix / 'bin' / 'crmtrain'} hub config REGULATION --specialist LOGIN\n")
    return 0


def config(regulation: str | None, specialist: str, site_dir: str, prefix: str, ip: str, port: int,
           hub_port: int, proxy_api_port: int, db_url: str | None, course_id: str, authenticator: str,
           course_home: str | None, python_path: list[str] | None, allow_sample: bool = False,
           out: TextIO = sys.stdout, remind_at: str = "08:00", smtp: str = "", mail_from: str = "",
           digest_to: str = "", smtp_user: str = "", **budget) -> int:
    """``crmtrain hub config``: write the hub's configuration and build the course as the specialist."""
    from ..grading.plumbing.config import check_db_url
    from ..hub import limits, setup, users
    from . import read

    if regulation and regulation.startswith("sample:") and not allow_sample:
        raise UserError(f"{regulation} is crmtrain's built-in sample: {SAMPLE_KEY_WARNING}; give your own regulation "
                        "file, or pass --allow-sample to try the hub out")
    budget = {**LIMIT_DEFAULTS, **budget}
    limits.parse_size(budget["memory_limit"], "--memory-limit")
    limits.parse_size(budget["file_size_limit"], "--file-size-limit")
    if budget["max_processes"] < 32 or budget["idle_timeout"] < 60:
        raise UserError("--max-processes must be at least 32 (a server with a kernel uses ~30) "
                        "and --idle-timeout at least 60 seconds")
    mail = _mail_settings(remind_at, smtp, mail_from, digest_to, smtp_user)
    # Read (and check) the regulation before touching accounts: ./regulation.yaml when none is named.
    _reg, path = read(regulation, out)
    accounts.require_root("crmtrain hub config")
    missing = installer.missing(prefix)
    if missing:
        raise UserError(f"{prefix} lacks {', '.join(missing)}: run `sudo crmtrain hub install --prefix {prefix}` first")
    check_login(specialist, "specialist")
    check_db_url(db_url)
    if authenticator not in AUTHENTICATORS:
        raise UserError(f"authenticator {authenticator!r}: choose {' or '.join(AUTHENTICATORS)}")
    password = None
    if not accounts.exists(specialist):
        password = accounts.create(specialist, "crmtrain specialist")
    accounts.private_home(specialist)
    home = Path(course_home) if course_home else accounts.home(specialist) / "course"
    accounts.run_as(specialist, ["mkdir", "-p", "-m", "700", str(home)], what=f"creating {home}")
    spec = regulation if regulation and regulation.startswith("sample:") else str(path)
    source = None
    if not spec.startswith("sample:"):
        source = path.expanduser().absolute()
        spec = str(home / "regulation.yaml")
    site = Site(Path(site_dir).absolute(), specialist, home.absolute(), spec, prefix=Path(prefix).absolute(), ip=ip,
                port=port, hub_port=hub_port, proxy_api_port=proxy_api_port, course_id=course_id, db_url=db_url,
                authenticator=authenticator, python_path=tuple(python_path or ()), **mail, **budget)
    if source is not None and source != Path(spec):
        asuser.write(site, specialist, spec, source.read_bytes(), 0o600)  # into their folder, as them
    setup.write_site(site)
    setup.build_course(site)
    setup.write_jupyter_config(site)  # again, now that the workbooks say the regulation's language
    if site.reminders_by == "systemd":
        from ..grading.plumbing.course import Course

        setup.install_timer(site, Course.load(site.course_dir).timezone)
    passwords = users.write_passwords(site, {specialist: password} if password else {})
    out.write(_("Hub configured in {folder} (JupyterHub {url}, {login} login)").format(
        folder=site.root, url=site.url, login=authenticator) + "\n")
    out.write("  " + _("course: {course} (the specialist {specialist}'s), exchange: {exchange}").format(
        course=site.course_dir, specialist=specialist, exchange=site.exchange) + "\n")
    out.write("  " + _("gradebook: {gradebook}").format(gradebook=db_url or site.course_dir / "gradebook.db") + "\n")
    if spec.startswith("sample:"):
        out.write("  " + _("WARNING: this hub runs the built-in {sample}: its answer key is public, any trainee can "
                           "run `crmtrain build` on it and see every answer of every assessment").format(sample=spec)
                  + "\n")
    out.write("  " + (_("reminders: every day at {time} by the systemd timer {unit}") if site.reminders_by == "systemd"
                      else _("reminders: every day at {time} by the hub's service {unit}")).format(
        time=site.remind_at, unit="crmtrain-remind.timer" if site.reminders_by == "systemd" else "crmtrain-remind")
        + "\n")
    if passwords:
        out.write("  " + _("created the account {login}; its initial password is in {file} (root only)").format(
            login=specialist, file=passwords) + "\n")
    out.write(_("Next: sudo crmtrain hub users sync staff.csv --site {site}").format(site=site.root) + "\n      " +
              _("sudo crmtrain hub start --site {site}   (or: systemctl enable --now {unit})").format(
                  site=site.root, unit=site.root / "crmtrain-hub.service") + "\n")
    return 0


def _mail_settings(remind_at: str, smtp: str, mail_from: str, digest_to: str, smtp_user: str) -> dict:
    """The reminders' settings of ``hub config``, checked; who runs them: systemd's timer, else the hub."""
    import datetime as dt

    from ..hub.setup import systemd_runs
    from ..reminders.settings import check_address, parse_server

    try:
        dt.time.fromisoformat(remind_at)
    except ValueError:
        raise UserError(_("{value} is not a time of day like 08:00").format(value=repr(remind_at))) from None
    if smtp:
        parse_server(smtp)
    for flag, value in (("--mail-from", mail_from), ("--digest-to", digest_to)):
        if value:
            check_address(value, flag)
    return {"remind_at": remind_at, "smtp": smtp, "mail_from": mail_from, "digest_to": digest_to,
            "smtp_user": smtp_user, "reminders_by": "systemd" if systemd_runs() else "hub"}


def users_sync(site_dir: str, csv_path: str, out: TextIO = sys.stdout) -> int:
    """``crmtrain hub users sync staff.csv``: accounts, homes and workbooks for the roster."""
    from ..hub import users

    site = _site(site_dir)
    result = users.sync(site, csv_path)
    total = len(result.added) + len(result.enabled) + len(result.kept)
    out.write(_("{total} trainees on the hub: {added} added, {enabled} enabled again, {kept} unchanged; {disabled} "
                "disabled (homes and work kept)").format(
                    total=total, added=len(result.added), enabled=len(result.enabled), kept=len(result.kept),
                    disabled=len(result.disabled)) + "\n")
    for label, names in ((_("added"), result.added), (_("enabled again"), result.enabled),
                         (_("disabled"), result.disabled)):
        if names:
            out.write(f"  {label}: {', '.join(names)}\n")
    out.write("  " + _("workbooks updated in {n} home(s)").format(n=result.workbooks_updated) + "\n")
    for problem in result.problems:
        out.write("  " + _("not updated: {problem}").format(problem=problem) + "\n")
    if result.passwords:
        out.write("  " + _("initial passwords of new accounts: {file} (root only; hand them out, then delete it)").format(
            file=result.passwords) + "\n")
    return 0


def users_reviews(site_dir: str, out: TextIO = sys.stdout) -> int:
    """``crmtrain hub users reviews``: each trainee's due review workbook into their home (the daily timer's step)."""
    from ..hub import users

    done, problems = users.place_reviews(_site(site_dir))
    placed = sorted(n for n, what in done.items() if what == "placed")
    kept = sorted(n for n, what in done.items() if what == "kept")
    out.write(_("Review workbooks placed in {n} home(s)").format(n=len(placed)) + (f": {', '.join(placed)}" if placed else "")
              + "\n")
    if kept:
        out.write("  " + _("kept as their trainees changed them: {names}").format(names=", ".join(kept)) + "\n")
    for problem in problems:
        out.write("  " + _("not updated: {problem}").format(problem=problem) + "\n")
    return 1 if problems else 0


def start(site_dir: str, out: TextIO = sys.stdout) -> int:
    """``crmtrain hub start``: run JupyterHub in the foreground (it replaces this process)."""
    site = _site(site_dir)
    accounts.require_root("crmtrain hub start")
    jupyterhub = site.prefix / "bin" / "jupyterhub"
    if not jupyterhub.exists():
        raise UserError(_("{path} not found: run `sudo crmtrain hub install` first").format(path=jupyterhub))
    out.write(_("Starting JupyterHub on {url} (Ctrl+C stops the hub; trainees' servers keep running)").format(
        url=site.url) + "\n")
    out.flush()
    argv = [str(jupyterhub), "-f", str(site.config_path)]
    os.chdir(site.root)
    os.execv(argv[0], argv)
    return 0  # reached only when a test replaces os.execv


def status(site_dir: str, out: TextIO = sys.stdout) -> int:
    """``crmtrain hub status``: logged in, and unsubmitted answers."""
    from ..hub import status as hub_status

    site = _site(site_dir)
    accounts.require_root("crmtrain hub status")
    out.write(hub_status.render(site, hub_status.status(site)))
    return 0


def backup(site_dir: str, archive: str, out: TextIO = sys.stdout) -> int:
    """``crmtrain hub backup ARCHIVE``."""
    from ..hub import backup as hub_backup

    site = _site(site_dir)
    manifest = hub_backup.backup(site, archive)
    out.write(_("Backed up the gradebook ({gradebook}), the course, the exchange and {n} trainees' work into "
                "{archive}").format(gradebook=manifest["gradebook"] or _("none yet"), n=len(manifest["homes"]),
                                    archive=archive) + "\n")
    _left(out, _("left out (links, special files, files of someone else in a home)"), manifest["left_out"])
    return 0


def _left(out: TextIO, label: str, entries: list[str], shown: int = 20) -> None:
    if entries:
        out.write(f"  {len(entries)} {label}:\n" + "".join(f"    {e}\n" for e in entries[:shown]))
        if len(entries) > shown:
            out.write("    " + _("... and {n} more").format(n=len(entries) - shown) + "\n")


def restore(site_dir: str, archive: str, out: TextIO = sys.stdout) -> int:
    """``crmtrain hub restore ARCHIVE``."""
    from ..hub import backup as hub_backup

    site = _site(site_dir)
    manifest = hub_backup.restore(site, archive)
    out.write(_("Restored the backup of {made}: gradebook ({gradebook}), course, exchange and {n} trainees' "
                "work").format(made=manifest["made"], gradebook=manifest["gradebook"] or _("none"),
                               n=len(manifest["homes"])) + "\n")
    _left(out, _("not restored (a link or something else in the way)"), manifest["skipped"])
    return 0


def _site(site_dir: str) -> Site:
    """The hub's site, its commands speaking the language of the course's regulation."""
    from . import speak_course_language

    site = Site.load(site_dir)
    speak_course_language(site.course_dir)
    return site


def _handler(name: str) -> Callable[[argparse.Namespace], int]:
    """Call this module's ``name`` with the parsed arguments as keywords."""
    def handler(args: argparse.Namespace) -> int:
        kwargs = {k: v for k, v in vars(args).items() if k not in ("func", "command", "hub_command", "users_command")}
        return globals()[name](out=sys.stdout, **kwargs)

    return handler


def register(sub) -> None:
    """``crmtrain hub ...``: JupyterHub for the team on one server."""
    from ..hub import DEFAULT_PREFIX, DEFAULT_SITE  # constants only: cheap

    p = sub.add_parser("hub", help=_("run crmtrain for a team on JupyterHub: install, config, users, start, status, backup"))
    hub = p.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    def site_arg(q) -> None:
        q.add_argument("--site", dest="site_dir", default=str(DEFAULT_SITE), metavar="DIR",
                       help=f"the hub's folder (default: {DEFAULT_SITE})")

    q = hub.add_parser("install", help=_("install JupyterHub, configurable-http-proxy and crmtrain into one prefix"))
    q.add_argument("--prefix", default=str(DEFAULT_PREFIX), help=f"where to install (default: {DEFAULT_PREFIX})")
    q.add_argument("--source", default=".", metavar="DIR", help=_("the crmtrain checkout to install (default: .)"))
    q.set_defaults(func=_handler("install"))

    q = hub.add_parser("config", help=_("configure the hub and build the course as the specialist (root)"))
    q.add_argument("regulation", nargs="?", default=None, help=_(REGULATION_HELP))
    q.add_argument("--specialist", required=True, metavar="LOGIN",
                   help=_("the specialist's login: the course's instructor (created if missing)"))
    site_arg(q)
    q.add_argument("--prefix", default=str(DEFAULT_PREFIX), help=f"where `hub install` put the software (default: {DEFAULT_PREFIX})")
    q.add_argument("--ip", default="127.0.0.1", help=_("address people connect to (default: 127.0.0.1; 0.0.0.0 for all)"))
    q.add_argument("--port", type=int, default=8000, help=_("port people connect to (default: 8000)"))
    q.add_argument("--hub-port", type=int, default=8081, help=_("JupyterHub's own port on 127.0.0.1 (default: 8081)"))
    q.add_argument("--proxy-api-port", type=int, default=8001, help=_("the proxy's API port on 127.0.0.1 (default: 8001)"))
    q.add_argument("--db-url", default=None, metavar="URL",
                   help=_("gradebook on PostgreSQL, e.g. postgresql://grader@localhost/crmtrain (default: sqlite in the course)"))
    q.add_argument("--course-id", default="crm-training", help=_("nbgrader course id (default: crm-training)"))
    q.add_argument("--authenticator", choices=AUTHENTICATORS, default="pam",
                   help=_("pam: system passwords (default); native: sign-ups the specialist approves"))
    q.add_argument("--course-home", default=None, metavar="DIR",
                   help=_("where the specialist's course is built (default: ~SPECIALIST/course)"))
    q.add_argument("--allow-sample", action="store_true", help=_("run a built-in sample (sample:en...): its key is "
                   "public, any trainee can rebuild it; for trying the hub out only"))
    for flag, setting, default, text in LIMIT_OPTIONS:
        q.add_argument(flag, dest=setting, type=type(default), default=default, help=_(text))
    q.add_argument("--remind-at", default="08:00", metavar="HH:MM",
                   help=_("when the daily reminders go out, in the course's time zone (default: 08:00)"))
    q.add_argument("--smtp", default="", metavar="HOST:PORT", help=_("the mail server for reminders (see docs/reminders.md)"))
    q.add_argument("--mail-from", default="", metavar="ADDR", help=_("the reminders' sender"))
    q.add_argument("--digest-to", default="", metavar="ADDR", help=_("who gets the daily digest (default: the sender)"))
    q.add_argument("--smtp-user", default="", metavar="LOGIN",
                   help=_("the mail server's login; its password goes into SITE/smtp-password (chmod 600), never here"))
    q.add_argument("--python-path", action="append", default=None, help=argparse.SUPPRESS)  # tests: the checkout
    q.set_defaults(func=_handler("config"))

    q = hub.add_parser("users", help=_("the hub's users"))
    users = q.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    q = users.add_parser("sync", help=_("accounts, private homes and workbooks for every trainee of a roster CSV; "
                                      "trainees no longer listed are disabled, never deleted"))
    q.add_argument("csv_path", metavar="CSV", help=_("the roster: columns id, name, email"))
    site_arg(q)
    q.set_defaults(func=_handler("users_sync"))
    q = users.add_parser("reviews", help=_("place each trainee's review workbook in their home once the review plan's "
                                           "day has come (the daily timer runs it after the reminders)"))
    site_arg(q)
    q.set_defaults(func=_handler("users_reviews"))

    for name, text in (("start", N_("run JupyterHub in the foreground")),
                       ("status", N_("who is logged in and who has answers not yet submitted"))):
        q = hub.add_parser(name, help=_(text))
        site_arg(q)
        q.set_defaults(func=_handler(name))
    for name, text in (("backup", N_("archive the gradebook, the exchange and the trainees' work")),
                       ("restore", N_("put a backup's gradebook, exchange and trainees' work back"))):
        q = hub.add_parser(name, help=_(text))
        q.add_argument("archive", metavar="ARCHIVE", help=_("the .tar.gz file"))
        site_arg(q)
        q.set_defaults(func=_handler(name))
