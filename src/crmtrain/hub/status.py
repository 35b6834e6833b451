"""``crmtrain hub status``: who is logged in, and who has answers they have not submitted.

Logged in comes from the running hub (its REST API, as the ``crmtrain`` service). Unsubmitted
answers come from the files: a trainee's ``~/<assessment>/answers.json`` (saved at every
click) newer than their latest submission in the exchange's ``inbound/`` — or no submission
at all. Root reads both; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from ..grading.plumbing.course import ANSWERS_FILE, ASSESSMENTS
from ..grading.exchange.inbound import scan_course
from . import api, limits
from .site import Site, Users


@dataclass(frozen=True)
class Work:
    assessment: str
    saved: dt.datetime | None  # answers.json's last change (UTC), None when never answered
    submitted: dt.datetime | None  # the latest submission (UTC)

    @property
    def unsubmitted(self) -> bool:
        return self.saved is not None and (self.submitted is None or self.saved > self.submitted)


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # trainee, specialist, disabled
    server: str  # running, stopped, unknown (hub down)
    last_activity: str
    work: tuple[Work, ...]
    in_use: str = ""  # memory and tasks of the trainee's control group, when it has one


@dataclass(frozen=True)
class Status:
    hub_up: bool
    people: tuple[Person, ...]
    limits: tuple[str, ...] = ()  # what one trainee may use, and how it is enforced here

    @property
    def logged_in(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.people if p.server == "running")

    @property
    def unsubmitted(self) -> tuple[tuple[str, str], ...]:
        return tuple((p.name, w.assessment) for p in self.people for w in p.work if w.unsubmitted)


def status(site: Site) -> Status:
    """The hub's users, their servers and their unsubmitted answers."""
    users = Users.load(site.users_path)
    try:
        hub = {u["name"]: u for u in api.users(site)}
        up = True
    except api.HubDown:
        hub, up = {}, False
    submissions = latest_submissions(site)
    people = []
    roles = [(site.specialist, "specialist")] + [(t, "trainee") for t in users.trainees] \
        + [(t, "disabled") for t in users.disabled]
    for name, role in roles:
        model = hub.get(name, {})
        running = bool(model.get("server")) or any(s.get("ready") for s in (model.get("servers") or {}).values())
        server = ("running" if running else "stopped") if up else "unknown"
        activity = (model.get("last_activity") or "")[:16].replace("T", " ")
        work = () if role == "specialist" else tuple(_work(name, a, submissions) for a in ASSESSMENTS)
        used = limits.usage(name) if role != "specialist" else None
        in_use = f"{limits.human(used[0])}, {used[1]} tasks" if used and used[1] else ""
        people.append(Person(name, role, server, activity, work, in_use))
    budget = limits.Limits.of(site)
    home = Path(pwd.getpwnam(site.specialist).pw_dir).parent if _exists(site.specialist) else Path("/home")
    return Status(up, tuple(people), (*limits.describe(budget), f"disk per home: {limits.quota(home)}"))


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def latest_submissions(site: Site) -> dict[tuple[str, str], dt.datetime]:
    """(trainee, assessment) -> the latest submission's time, of those collect would take.

    Forged, future-dated and half-written entries of ``inbound/`` do not count (see
    :mod:`crmtrain.grading.exchange.inbound`); nothing there is followed or opened but a
    submission's ``timestamp.txt``, without following a link.
    """
    trusted = {0, os.geteuid()}
    try:  # the course's folders in the exchange are the specialist's
        trusted.add(pwd.getpwnam(site.specialist).pw_uid)
    except KeyError:
        pass
    scans = scan_course(site.exchange, site.course_id, ASSESSMENTS, trusted)
    return {(t, a): subs[-1].at for a, found in scans.items() for t, subs in found.by_trainee().items()}


def _work(name: str, assessment: str, submissions) -> Work:
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        return Work(assessment, None, submissions.get((name, assessment)))
    saved = None
    try:  # the trainee's own name: a link there is not followed, to anything of root's
        st = (home / assessment / ANSWERS_FILE).lstat()
    except OSError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode):
        saved = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).replace(tzinfo=None)
    return Work(assessment, saved, submissions.get((name, assessment)))


def render(site: Site, st: Status) -> str:
    """The status as a table for the terminal."""
    lines = [f"Hub {site.url}: " + ("running" if st.hub_up else "NOT RUNNING (start it: crmtrain hub start)"),
             f"Logged in (server running): {', '.join(st.logged_in) or 'nobody'}"]
    pending = st.unsubmitted
    lines.append("Answers not submitted: " + (", ".join(f"{n} ({a})" for n, a in pending) or "none"))
    if site.regulation.startswith("sample:"):
        lines.append(f"WARNING: the regulation is the built-in {site.regulation}: its answer key is public")
    lines += ["Limits per trainee:", *(f"  {line}" for line in st.limits), ""]
    header = ["user", "role", "server", "last active (UTC)", "in use", *ASSESSMENTS]
    rows = [[p.name, p.role, p.server, p.last_activity or "-", p.in_use or "-", *(_cell(w) for w in p.work)]
            for p in st.people]
    rows = [r + [""] * (len(header) - len(r)) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header, *rows]:
        lines.append("  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _cell(w: Work) -> str:
    if w.unsubmitted:
        return "NOT SUBMITTED" + (" (changed since)" if w.submitted else "")
    if w.submitted:
        return f"submitted {w.submitted:%Y-%m-%d %H:%M}"
    return "-"
