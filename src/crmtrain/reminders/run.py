"""One run of ``crmtrain remind``: compose the day's letters, send what was not sent yet, record, report.

Order of a run: the letters a server refused on earlier days are tried again; each trainee's
letter of the day goes out unless the sent-log has it for today; then the specialist's digest,
which names what could not be delivered. Every outcome is one line of the command's output.
Each trainee's letter of the day is also written for their "My training" panel
(``reminders/panel/<trainee>.json``). ``dry_run`` prints every letter and touches nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from ..i18n import _, translation
from . import mail, sentlog
from .letters import Day, Letter, Person, digest, trainee_letter
from .settings import MailSettings, ready

PANEL = "panel"


@dataclass
class Outcome:
    sent: list[Letter] = field(default_factory=list)
    already: list[Letter] = field(default_factory=list)
    failed: list[tuple[Letter, str]] = field(default_factory=list)
    given_up: list[Letter] = field(default_factory=list)


def letters_of(day: Day, tr) -> list[Letter]:
    """Every trainee's letter of the day (those with nothing to be told get none)."""
    return [le for person in day.people if (le := trainee_letter(tr, day, person)) is not None]


def remind(course_root: Path, day: Day, settings: MailSettings, lang: str, words: dict | None = None, *,
           dry_run: bool = False, now: dt.datetime | None = None, out: TextIO) -> int:
    """Send (or with ``dry_run`` show) the day's reminders; 0 when all were delivered, 1 when some were not."""
    tr = translation(lang, words)
    everyone = letters_of(day, tr)
    letters = [le for le in everyone if le.to]
    for le in everyone:
        if not le.to:
            out.write(_("{trainee}: no email address in the roster; nothing sent").format(trainee=le.trainee) + "\n")
    if dry_run:
        return _show(day, letters, settings, tr, lang, out)
    publish(course_root, day, everyone, lang)  # the panel shows them even where no mail server is set
    ready(settings).password()  # a password file others could read stops the run before anything is sent
    now = now or dt.datetime.now(dt.timezone.utc)
    with sentlog.one_run_at_a_time(course_root):
        log = sentlog.SentLog.load(course_root)
        outcome = _deliver(log, day, letters, settings, lang, now)
        people = {p.id: p for p in day.people}
        failed = tuple((people.get(le.trainee, Person(le.trainee, le.name, le.to)), why) for le, why in outcome.failed
                       if le.trainee)
        failed += tuple((people.get(le.trainee, Person(le.trainee, le.name, le.to)), _("given up after {n} days").format(
            n=sentlog.GIVE_UP_DAYS)) for le in outcome.given_up)
        letter = digest(tr, day, settings.digest_to, failed, sent=log.sent_on(day.today))
        if letter is not None:
            _deliver_one(log, day, letter, settings, lang, now, outcome)
        log.save(day.today)
    return _report(outcome, out)


def _deliver(log: sentlog.SentLog, day: Day, letters: list[Letter], settings: MailSettings, lang: str,
             now: dt.datetime) -> Outcome:
    outcome = Outcome()
    again, dropped = log.waiting(day.today)
    log.forget(dropped)
    outcome.given_up = [sentlog.letter_of(p["letter"]) for p in dropped]
    current = {p.id: p.email for p in day.people}
    # A letter tried again goes to the trainee's address as the roster has it now (maybe corrected).
    again = [(d, replace(le, to=current.get(le.trainee) or le.to)) for d, le in again]
    todo = [(d, le) for d, le in again if not log.was_sent(le, d)]
    for le in letters:
        (outcome.already.append(le) if log.was_sent(le, day.today) else todo.append((day.today, le)))
    failures = mail.send(settings, [(le, mail.message_of(le, settings.sender, lang)) for _d, le in todo])
    for d, le in todo:
        if le.key in failures:
            log.record_failed(le, d, failures[le.key], now)
            outcome.failed.append((le, failures[le.key]))
        else:
            log.record_sent(le, d, now)
            outcome.sent.append(le)
    return outcome


def _deliver_one(log, day: Day, letter: Letter, settings: MailSettings, lang: str, now: dt.datetime,
                 outcome: Outcome) -> None:
    if log.was_sent(letter, day.today):
        outcome.already.append(letter)
        return
    failures = mail.send(settings, [(letter, mail.message_of(letter, settings.sender, lang))])
    if letter.key in failures:
        log.record_failed(letter, day.today, failures[letter.key], now)
        outcome.failed.append((letter, failures[letter.key]))
    else:
        log.record_sent(letter, day.today, now)
        outcome.sent.append(letter)


def _who(letter: Letter) -> str:
    return f"{letter.trainee or _('digest')} <{letter.to}>"


def _report(outcome: Outcome, out: TextIO) -> int:
    for le in outcome.sent:
        out.write(_("{who}: sent \u201c{subject}\u201d").format(who=_who(le), subject=le.subject) + "\n")
    for le in outcome.already:
        out.write(_("{who}: already sent today").format(who=_who(le)) + "\n")
    for le, why in outcome.failed:
        out.write(_("{who}: NOT delivered ({reason}); it is tried again at the next run").format(
            who=_who(le), reason=why) + "\n")
    for le in outcome.given_up:
        out.write(_("{who}: given up after {n} days of failed deliveries").format(
            who=_who(le), n=sentlog.GIVE_UP_DAYS) + "\n")
    out.write(_("Reminders: {sent} sent, {already} already sent today, {failed} not delivered").format(
        sent=len(outcome.sent), already=len(outcome.already), failed=len(outcome.failed)) + "\n")
    return 1 if outcome.failed or outcome.given_up else 0


def _show(day: Day, letters: list[Letter], settings: MailSettings, tr, lang: str, out: TextIO) -> int:
    letter = digest(tr, day, settings.digest_to or _("(the specialist: set --to or 'specialist')"), sent=len(letters))
    for le in [*letters, *([letter] if letter else [])]:
        out.write(f"To: {le.name + ' ' if le.name else ''}<{le.to}>\nSubject: {le.subject}\n\n{mail.text_of(le)}\n")
    if not letters and letter is None:
        out.write(_("Nothing to remind anyone of on {date}.").format(date=day.today.isoformat()) + "\n")
    out.write(_("Dry run: nothing was sent or recorded.") + "\n")
    return 0


def publish(course_root: Path, day: Day, letters: list[Letter], lang: str) -> None:
    """Each trainee's letter of the day for their panel; a trainee with none gets their old one removed.

    On a hub the server's start copies it into the trainee's home (``hub.workbooks.update_reminder``).
    """
    from ..files import write_text

    folder = course_root / sentlog.FOLDER / PANEL
    mine = {le.trainee: le for le in letters}
    for person in day.people:
        path = folder / f"{person.id}.json"
        letter = mine.get(person.id)
        if letter is None:
            path.unlink(missing_ok=True)
            continue
        data = {"day": day.today.isoformat(), "timezone": day.timezone, "lang": lang, "subject": letter.subject,
                "sections": [{"heading": h, "lines": list(lines)} for h, lines in letter.sections],
                "closing": list(letter.closing)}
        write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
