"""What each trainee and the specialist are told on a given day, as letters in the regulation's language.

A trainee's letter lists the assessments overdue, opening today or due soon on their own
schedule (:mod:`crmtrain.rules.schedule`'s states, as ``crmtrain status`` shows them), and
the regulation items their review plan says to revisit today; with
nothing of that, no letter. The specialist's digest lists who is overdue, who is due this
week, who forgot a lot since the initial assessment, and the letters that could not be
delivered. A letter is data (a subject and sections of lines); :mod:`.mail` renders it as
plain text and HTML, and the trainee's "My training" panel shows the same sections.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

from ..kinds.assessments import ASSESSMENT_KINDS
from ..rules.schedule import DUE_SOON, GRADED, OVERDUE, SUBMITTED, WAITING

WEEK = 7
# "Forgot a lot": at least this share of the items a trainee knew at the initial assessment
# were wrong at the follow-up, and at least FORGOT_MIN of them.
FORGOT_SHARE, FORGOT_MIN = 1 / 3, 2


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str


@dataclass(frozen=True)
class Deadline:
    """One assessment of one trainee, on their own schedule (dates in the course's time zone)."""

    trainee: str
    assessment: str
    title: str
    opens: dt.date | None  # the day it opens for them; None: not known
    due: dt.datetime | None  # their own due date; None: none
    state: str  # crmtrain.rules.schedule's: overdue, due_soon, open, waiting, submitted, graded

    @property
    def submitted(self) -> bool:
        return self.state in (SUBMITTED, GRADED)


@dataclass(frozen=True)
class Review:
    """A regulation item a trainee's review plan says to revisit on ``on``."""

    trainee: str
    ref: str
    title: str
    reason: str  # forgotten, never_learned, missed (reports.retention.REASONS)
    on: dt.date


@dataclass(frozen=True)
class Forgetting:
    trainee: str
    forgotten: int  # items right at the initial assessment, wrong at the follow-up
    knew: int  # items right at the initial assessment that the follow-up tested again


@dataclass(frozen=True)
class Letter:
    """One reminder: to whom, about what; ``sections`` are (heading, lines) in order."""

    to: str  # the address
    trainee: str  # the trainee's id; "" for the specialist's digest
    name: str
    subject: str
    greeting: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    closing: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The same letter to the same person gets the same key (the sent-log's, with the day)."""
        body = json.dumps([self.to, self.subject, self.sections, self.closing], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:20]

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Day:
    """Everything the letters of one day are made from."""

    today: dt.date
    people: tuple[Person, ...]
    deadlines: tuple[Deadline, ...]
    reviews: tuple[Review, ...]
    forgetting: tuple[Forgetting, ...]
    timezone: str = "UTC"  # the course's: whose calendar ``today`` is a day of
    review_workbooks: frozenset[str] = frozenset()  # trainees whose review workbook waits in their home


def _date(tr, when: dt.date | dt.datetime) -> str:
    return when.strftime(tr.gettext("%Y-%m-%d"))


def _assessment(tr, d: Deadline) -> str:
    kind = ASSESSMENT_KINDS.get(d.assessment)
    label = tr.gettext(kind.label) if kind else d.assessment
    return d.title or label[:1].upper() + label[1:]


def _left(tr, days: int) -> str:
    if days == 0:
        return tr.gettext("today")
    return tr.ngettext("in {n} day", "in {n} days", days).format(n=days)


def _late(tr, days: int) -> str:
    return tr.ngettext("{n} day late", "{n} days late", days).format(n=days)


def _reason(tr, reason: str) -> str:
    texts = {"forgotten": tr.gettext("right at the initial assessment, wrong at the follow-up"),
             "never_learned": tr.gettext("wrong at both assessments"),
             "missed": tr.gettext("wrong at the only assessment that asked it")}
    return texts.get(reason, reason)


def deadline_lines(tr, day: Day, trainee: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(overdue, opening today, due soon) lines of one trainee's assessments, by their schedule's state."""
    overdue, opening, soon = [], [], []
    for d in day.deadlines:
        if d.trainee != trainee or d.submitted or d.state == WAITING:
            continue
        days = (d.due.date() - day.today).days if d.due else None
        due = tr.gettext("due {date}").format(date=_date(tr, d.due)) if d.due else tr.gettext("no due date")
        if d.state == OVERDUE:
            overdue.append(tr.gettext("{assessment}: was due {date}, {late}").format(
                assessment=_assessment(tr, d), date=_date(tr, d.due), late=_late(tr, max(1, -(days or 0)))))
        elif d.opens == day.today:
            opening.append(f"{_assessment(tr, d)}: {due}")
        elif d.state == DUE_SOON and days is not None:
            soon.append(f"{_assessment(tr, d)}: {due}, {_left(tr, days)}")
    return tuple(overdue), tuple(opening), tuple(soon)


def trainee_letter(tr, day: Day, person: Person) -> Letter | None:
    """What ``person`` is reminded of today; None when there is nothing."""
    overdue, opening, soon = deadline_lines(tr, day, person.id)
    reviews = tuple(f"{r.title}: {_reason(tr, r.reason)}" for r in day.reviews
                    if r.trainee == person.id and r.on == day.today)
    sections = [(head, lines) for head, lines in (
        (tr.gettext("Overdue — please submit as soon as you can"), overdue),
        (tr.gettext("Opens today"), opening),
        (tr.gettext("Due soon"), soon),
        (tr.gettext("Your review plan — revisit today"), reviews)) if lines]
    if not sections:
        return None
    closing = [tr.gettext("Open JupyterLab: the My training panel has your workbooks and assessments.")]
    if reviews and person.id in day.review_workbooks:
        closing.insert(0, tr.gettext("Your personal review workbook is in your home: {path}.").format(path=REVIEW_PATH))
    return Letter(person.email, person.id, person.name,
                  tr.gettext("CRM training: your reminder for {date}").format(date=_date(tr, day.today)),
                  tr.gettext("Hello, {name}!").format(name=person.name or person.id), tuple(sections), tuple(closing))


REVIEW_PATH = "workbooks/review.ipynb"  # where the hub places it (grading.plumbing.reviews.HOME_PATH)


def forgot_a_lot(f: Forgetting) -> bool:
    return f.forgotten >= FORGOT_MIN and f.forgotten >= FORGOT_SHARE * f.knew


def digest(tr, day: Day, to: str, failed: tuple[tuple[Person, str], ...] = (), sent: int = 0) -> Letter | None:
    """The specialist's digest of the day; None when there is nothing to report."""
    names = {p.id: p.name or p.id for p in day.people}
    overdue, week = [], []
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    for d in sorted(day.deadlines, key=lambda d: (d.due or far, d.trainee)):
        if d.submitted or not d.due or d.state == WAITING or d.trainee not in names:
            continue
        days = (d.due.date() - day.today).days
        who = f"{names[d.trainee]} ({d.trainee})"
        if d.state == OVERDUE:
            overdue.append(tr.gettext("{who}: {assessment}, was due {date}, {late}").format(
                who=who, assessment=_assessment(tr, d), date=_date(tr, d.due), late=_late(tr, -days)))
        elif days < WEEK:
            week.append(tr.gettext("{who}: {assessment}, due {date}").format(
                who=who, assessment=_assessment(tr, d), date=_date(tr, d.due)))
    forgot = tuple(tr.gettext("{who}: forgot {forgotten} of the {knew} items they knew at the initial assessment").format(
        who=f"{names.get(f.trainee, f.trainee)} ({f.trainee})", forgotten=f.forgotten, knew=f.knew)
        for f in day.forgetting if forgot_a_lot(f))
    undelivered = tuple(tr.gettext("{who} <{address}>: {reason}; tried again at the next run").format(
        who=p.name or p.id, address=p.email, reason=why) for p, why in failed)
    sections = tuple((head, tuple(lines)) for head, lines in (
        (tr.gettext("Overdue"), overdue), (tr.gettext("Due this week"), week), (tr.gettext("Forgot a lot"), forgot),
        (tr.gettext("Reminders not delivered"), undelivered)) if lines)
    if not sections:
        return None
    subject = tr.gettext("CRM training digest for {date}: overdue {overdue}, due this week {week}").format(
        date=_date(tr, day.today), overdue=len(overdue), week=len(week))
    closing = (tr.ngettext("{n} reminder was sent to trainees today.", "{n} reminders were sent to trainees today.",
                           sent).format(n=sent),)
    return Letter(to, "", "", subject, tr.gettext("The training today:"), sections, closing)
