"""``crmtrain hub users sync staff.csv``: the roster becomes the hub's users.

Every trainee gets a system account (created with a random initial password when missing),
a home only they can read, and the newest workbooks; the gradebook's roster is updated as
the specialist. A trainee no longer in the file is *disabled*: kept out of the hub, their
server stopped, their account locked if crmtrain created it — their home, answers and grades
stay. Listing them again enables them again. Nothing is ever deleted.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..grading.verbs.roster import read_roster
from . import accounts, api, asuser, workbooks
from .setup import user_env
from .site import Site, Users, check_login

ROSTER_COPY = "staff.csv"  # the specialist's copy of the roster, beside the course
PASSWORDS = "initial-passwords.csv"  # in state/ (root only): hand these out, then delete the file


@dataclass(frozen=True)
class Sync:
    added: tuple[str, ...]
    enabled: tuple[str, ...]  # listed again after being disabled
    disabled: tuple[str, ...]
    kept: tuple[str, ...]
    passwords: Path | None  # where new accounts' passwords were written, if any
    workbooks_updated: int
    problems: tuple[str, ...] = ()  # homes whose workbooks could not be updated


def sync(site: Site, roster_csv: str | Path) -> Sync:
    """Make the hub's users match the roster (root only)."""
    people = read_roster(roster_csv)
    bad = []
    for person in people:
        try:
            check_login(person.id, "id")
        except UserError as exc:
            bad.append(f"{Path(roster_csv).name}: {exc}")
    if site.specialist in {p.id for p in people}:
        bad.append(f"{Path(roster_csv).name}: {site.specialist!r} is the specialist, not a trainee")
    if bad:
        raise UserError(f"{Path(roster_csv).name}: {len(bad)} problem(s); no account was changed", bad)
    accounts.require_root("crmtrain hub users sync")

    before = Users.load(site.users_path)
    listed = [p.id for p in people]
    created, passwords = set(before.created), {}
    added, enabled, kept = [], [], []
    for person in people:
        if not accounts.exists(person.id):
            passwords[person.id] = accounts.create(person.id, person.name)
            created.add(person.id)
            added.append(person.id)
        elif person.id in before.disabled:
            if person.id in created:
                accounts.unlock(person.id)
            enabled.append(person.id)
        else:
            kept.append(person.id)
    gone = sorted((set(before.trainees) | set(before.disabled)) - set(listed))
    newly_disabled = sorted(set(before.trainees) - set(listed))
    for name in newly_disabled:
        if name in created and accounts.exists(name):
            accounts.lock(name)
    # Log-ins check users.json: from here on the disabled cannot log in any more.
    Users(tuple(listed), tuple(gone), tuple(sorted(created))).save(site.users_path)
    for name in newly_disabled:
        try:
            api.stop_server(site, name)
        except api.HubDown:
            pass  # not running: nothing to stop

    updated, problems = 0, []
    try:
        packed = workbooks.packed_build(site)  # read once, written into every home
    except UserError as exc:
        packed, problems = None, [_said(exc)]
    for name in listed:
        accounts.private_home(name)
        try:
            updated += packed is not None and bool(workbooks.update_home(site, name, packed)[1])
        except UserError as exc:  # one home we cannot write to must not stop the others
            problems.append(_said(exc))
    _import_roster(site, roster_csv)
    return Sync(tuple(added), tuple(enabled), tuple(newly_disabled), tuple(kept),
                write_passwords(site, passwords), updated, tuple(problems))


def place_reviews(site: Site) -> tuple[dict[str, str], list[str]]:
    """Each trainee's review workbook, once its day has come, into their home (written as them; root only).

    ``({login: "placed" | "kept" | "same" | "none"}, problems)``: one home that cannot be written
    does not stop the others. The daily timer runs it after the reminders.
    """
    done, problems = {}, []
    for name in Users.load(site.users_path).trainees:
        try:
            done[name] = workbooks.update_review(site, name)
        except (UserError, OSError) as exc:
            problems.append(_said(exc) if isinstance(exc, UserError) else f"{name}: {exc}")
    return done, problems


def _said(exc: UserError) -> str:
    return " ".join([str(exc), *map(str, exc.problems)])


def write_passwords(site: Site, passwords: dict[str, str]) -> Path | None:
    """Append new accounts' initial passwords to ``state/initial-passwords.csv`` (root only)."""
    if not passwords:
        return None
    path = site.state_dir / PASSWORDS
    new = not path.exists()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if new:
        writer.writerow(["login", "initial password"])
    writer.writerows(sorted(passwords.items()))
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(buffer.getvalue())
    return path


def _import_roster(site: Site, roster_csv: str | Path) -> None:
    """``crmtrain roster import`` as the specialist, from a copy written into their course as them."""
    copy = site.course_home / ROSTER_COPY
    asuser.write(site, site.specialist, copy, Path(roster_csv).read_bytes(), 0o600)
    accounts.run_as(site.specialist, [str(site.prefix / "bin" / "python"), "-m", "crmtrain", "roster", "import",
                                      str(copy), "--course", str(site.course_dir)],
                    env=user_env(site), what="crmtrain roster import")
