"""``crmtrain review`` and ``crmtrain remind``: the review plan as workbooks, and the daily reminders.

``review``: each trainee's review plan as a personal workbook, written into their folder.

The plan is the report's ``review_plan`` table (what the trainee got wrong last time, spaced
by FSRS); the workbook holds exactly those items' regulation text, practice questions and
drills. ``--out`` is a folder pattern where ``{trainee}`` stands for the trainee's id, so on a
shared server the workbook can go straight into each home: ``--out '/home/{trainee}/training'``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..i18n import _, plural
from . import REGULATION_HELP, add_course


FILE = "review.ipynb"
DEFAULT_OUT = "review/{trainee}"


def plans(course_dir: str | Path, regulation_spec: str | None, today: dt.date | None = None,
          out: TextIO | None = None):
    """(regulation, report data, review plan table) for the course; by default its recorded regulation."""
    from ..reports.data import validate
    from ..reports.from_gradebook import course_root, load_report_data
    from ..reports.retention import ref_answers, review_plan
    from . import read
    from .report import recorded_regulation

    root = course_root(course_dir)
    reg, _path = read(regulation_spec or recorded_regulation(root), out)
    data = validate(load_report_data(root, reg))
    return reg, data, review_plan(data, ref_answers(data), today)


def items_of(plan, trainee_id: str) -> list:
    """The plan lines of one trainee, as the builder takes them."""
    from ..notebooks.review import ReviewItem
    from ..reports.retention import plan_for

    mine = plan_for(plan, trainee_id)
    day = lambda v: "" if v != v or v is None else v.date().isoformat()  # noqa: E731  (NaT -> "")
    return [ReviewItem(str(r.ref), str(r.reason), day(r.review_on), day(r.then_on)) for r in mine.itertuples(index=False)]


def place_reviews(root: Path, reg, data, plan, today: dt.date) -> dict:
    """Keep in the course the review workbook of each trainee whose plan's first day has come by ``today``.

    The daily job's step (``crmtrain remind``): on a hub, the trainee's server start places it
    in their home (``hub.workbooks.update_review``); ``{trainee: ReviewDue}`` of those due.
    """
    from ..grading.plumbing.course import Course
    from ..grading.plumbing.reviews import record_review, reviews_due
    from ..notebooks.cells import render
    from ..notebooks.review import build_review

    course = Course.load(root)
    names = dict(zip(data.roster["trainee_id"].astype(str), data.roster["name"].astype(str)))
    due = {}
    for tid in sorted(set(plan["trainee_id"].astype(str))):
        items = items_of(plan, tid)
        days = [dt.date.fromisoformat(d) for i in items for d in (i.review_on, i.then_on) if d]
        if items and days and min(days) <= today:
            record_review(course, tid, render(build_review(reg, names.get(tid) or tid, items)), min(days), len(items))
            due[tid] = reviews_due(course, tid, today)
    return due


def target(pattern: str, trainee_id: str) -> Path:
    """The workbook's path for this trainee under the ``--out`` pattern."""
    if "{trainee}" not in pattern:
        return Path(pattern) / trainee_id / FILE
    return Path(pattern.replace("{trainee}", trainee_id)) / FILE


def run(course_dir: str | Path, regulation_spec: str | None, out_pattern: str = DEFAULT_OUT,
        trainees: list[str] | None = None, out: TextIO | None = None, today: dt.date | None = None) -> int:
    """Write a review workbook for each trainee with something to review (or the ones named); 0 on success."""
    import sys

    from ..notebooks.review import build_review
    from ..files import write_text
    from ..notebooks.cells import render

    out = out or sys.stdout
    reg, data, plan = plans(course_dir, regulation_spec, today, out)
    names = dict(zip(data.roster["trainee_id"], data.roster["name"]))
    wanted = list(trainees or [t for t in names if (plan["trainee_id"].astype(str) == t).any()])
    unknown = [t for t in wanted if t not in names]
    if unknown:
        raise UserError(_("not in the course roster: {ids}").format(ids=", ".join(unknown)))
    if not wanted:
        out.write(_("nobody has anything to review: every latest answer was right") + "\n")
        return 0
    for tid in wanted:
        items = items_of(plan, tid)
        if not items:
            out.write(_("{trainee}: nothing to review").format(trainee=tid) + "\n")
            continue
        path = target(out_pattern, tid)
        write_text(path, render(build_review(reg, names[tid], items)))
        first = min(i.review_on for i in items if i.review_on) if any(i.review_on for i in items) else "—"
        out.write(_("{trainee}: {items}, first on {date}: wrote {path}").format(
            trainee=tid, items=plural("{n} item to review", "{n} items to review", len(items)), date=first,
            path=path) + "\n")
    return 0


# --- the demo's retention grid and a review workbook in outline -----------------------------
SYMBOLS = {"learned": "+", "forgotten": "F", "learned_later": "L", "never_learned": "-", "": "·"}


def retention_and_review(course_root: Path, spec: str, root: Path, out: TextIO) -> None:
    """Print the retention table, write every trainee's review workbook into their folder, outline one."""
    from ..reports.retention import retention_matrix, retention_detail
    reg, data, plan = plans(course_root, spec)
    m = retention_matrix(data, retention_detail(data))
    refs = [c for c in m.columns if c not in ("trainee_id", "name")]
    filled = sum(int((m[c] != "").sum()) for c in refs)
    out.write("\n" + _("Retention per trainee × regulation item tested in both assessments ({items}; + learned, "
                        "F forgotten, L learned later, - never learned, · not compared):").format(
                            items=plural("{n} item", "{n} items", len(refs))) + "\n")
    for row in m.itertuples(index=False):
        out.write(f"  {row.trainee_id:<12} " + "".join(SYMBOLS[v] for v in row[2:]) + "\n")
    r = data.results
    sat = r[r["submitted"]].groupby("trainee_id", observed=True)["assessment"].nunique()
    both = int((sat >= 2).sum())
    cells = both * len(refs)
    out.write("  " + _("{filled} of the {cells} cells of the {both} trainees who sat both assessments are compared").format(
        filled=filled, cells=cells, both=both) + (f" ({filled / cells:.0%})" if cells else "") + "\n\n")
    run(course_root, spec, str(root / "trainees" / "{trainee}"), None, out)
    if len(plan):
        forgot = plan[plan["reason"] == "forgotten"]["trainee_id"].astype(str).value_counts()
        tid = forgot.index[0] if len(forgot) else plan["trainee_id"].astype(str).value_counts().index[0]
        path = target(str(root / "trainees" / "{trainee}"), tid)
        out.write("\n" + _("{trainee}'s review workbook ({path}), in outline:").format(trainee=tid, path=path) + "\n")
        for line in outline(path):
            out.write(f"  {line}\n")


def outline(path: Path) -> list[str]:
    """A review workbook in a few lines: its title, the plan table, each section with its exercises."""
    import nbformat

    lines: list[str] = []
    exercises: list[str] = []

    def flush() -> None:
        if exercises:
            lines.append("    " + ", ".join(f"{n} × {kind}" for kind, n in Counter(exercises).items()))
            exercises.clear()

    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("crmtrain", {})
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith(("# ", "## ")):
                    flush()
                    lines.append(line)
                elif line.startswith("| ") and _("What to review, and when") in cell.source and lines[-1] != "":
                    lines.append("  " + line)
        elif "item" in meta:
            exercises.append(_("quiz"))
        elif "drill" in meta:
            exercises.append(_("{kind} drill").format(kind=meta["drill"]))
    flush()
    return lines



def register(sub) -> None:
    """``crmtrain review``."""
    p = sub.add_parser("review", help=_("each trainee's review plan as a personal workbook in their folder"))
    add_course(p)
    p.add_argument("--regulation", default=None, help=_(REGULATION_HELP))
    p.add_argument("--out", default=DEFAULT_OUT, metavar="PATTERN",
                   help=_("folder per trainee; {trainee} stands for the trainee's id (default: review/{trainee})"))
    p.add_argument("--trainee", action="append", metavar="ID", help=_("only this trainee (repeatable)"))
    p.set_defaults(func=lambda args: run(args.course_dir, args.regulation, args.out, args.trainee or None, out=sys.stdout))

    p = sub.add_parser("remind", help=_("email each trainee what is due and what to revisit today, and the "
                                        "specialist a digest (see docs/reminders.md)"))
    add_course(p)
    p.add_argument("--today", type=_date, default=None, metavar="DATE",
                   help=_("remind as on this day, YYYY-MM-DD (default: today in the course's time zone)"))
    p.add_argument("--dry-run", action="store_true", help=_("print what would be sent; send and record nothing"))
    p.add_argument("--smtp", metavar="HOST:PORT", help=_("the mail server (default: 'smtp' in the course's reminders.json)"))
    p.add_argument("--from", dest="sender", metavar="ADDR", help=_("the sender's address (default: 'from' in reminders.json)"))
    p.add_argument("--to", dest="specialist", metavar="ADDR",
                   help=_("who gets the digest (default: 'specialist' in reminders.json, else the sender)"))
    p.add_argument("--smtp-user", dest="user", metavar="LOGIN",
                   help=_("log in to the mail server as LOGIN (the password: $CRMTRAIN_SMTP_PASSWORD, see docs/reminders.md)"))
    p.add_argument("--daily", metavar="HH:MM", type=_clock, default=None,
                   help=_("keep running and remind every day at this time of the course's time zone (the hub's service)"))
    p.set_defaults(func=lambda args: remind(args.course_dir, args.today, args.dry_run,
                                            (args.smtp, args.sender, args.specialist, args.user), args.daily, out=sys.stdout))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a date like 2027-03-01").format(value=repr(text))) from None


def _clock(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a time of day like 08:00").format(value=repr(text))) from None


def remind(course_dir: str, today: dt.date | None, dry_run: bool, mail: tuple[str | None, ...] = (),
           daily: dt.time | None = None, out: TextIO | None = None) -> int:
    """``crmtrain remind``: one run (or, with ``daily``, one a day until stopped)."""
    from ..grading.plumbing.course import Course
    from ..reminders.daily import every_day
    from ..reports.from_gradebook import course_root

    out = out or sys.stdout
    if daily is None:
        return remind_once(course_dir, today, dry_run, mail, out)
    timezone = Course.load(course_root(course_dir)).timezone
    return every_day(daily, lambda: remind_once(course_dir, None, dry_run, mail, out), timezone, out)


def remind_once(course_dir: str, today: dt.date | None, dry_run: bool, mail_options: tuple[str | None, ...],
                out: TextIO) -> int:
    """Gather the course's day (roster, deadlines, review plan) and send its reminders.

    ``mail_options``: the command line's (smtp, from, to, user), each None when not given.
    """
    import zoneinfo

    from ..grading.plumbing.course import Course
    from ..i18n import set_language
    from ..reminders import facts, settings as mail
    from ..reminders.letters import Day
    from ..reminders.run import remind as send_reminders
    from ..reports.from_gradebook import course_root

    root = course_root(course_dir)
    course = Course.load(root)
    lang = facts.course_language(course)
    set_language(lang)
    today = today or dt.datetime.now(zoneinfo.ZoneInfo(course.timezone)).date()
    settings = mail.load(root, *mail_options)
    reviews, forgetting, words = review_facts(root, today, out, place=not dry_run)
    from ..grading.plumbing.reviews import reviews_due

    people = facts.people(course)
    ready = frozenset(p.id for p in people if reviews_due(course, p.id, today))  # placed by review_facts
    day = Day(today, people, facts.deadlines(course, today), reviews, forgetting, course.timezone, ready)
    return send_reminders(root, day, settings, lang, words, dry_run=dry_run, out=out)


def review_facts(root: Path, today: dt.date, out: TextIO, place: bool = False) -> tuple[tuple, tuple, dict | None]:
    """(what each trainee revisits on which day, how much each forgot, the company's words); empty before grading.

    With ``place``, each review workbook whose day has come is kept in the course for the trainee's home.
    """
    from ..reminders.letters import Forgetting, Review
    from ..reports.retention import retention_trainees

    if not any((root / "autograded").glob("*/*")):  # nothing graded: no plan yet
        return (), (), None
    reg, data, plan = plans(root, None, today)
    if place:
        place_reviews(root, reg, data, plan, today)
    reviews = tuple(Review(str(r.trainee_id), str(r.ref), str(r.title), str(r.reason), when.date())
                    for r in plan.itertuples(index=False) for when in (r.review_on, r.then_on) if when == when)
    kept = retention_trainees(data)
    forgetting = tuple(Forgetting(str(r.trainee_id), int(r.forgotten), int(r.learned + r.forgotten))
                       for r in kept.itertuples(index=False))
    return reviews, forgetting, reg.meta.word_forms()
