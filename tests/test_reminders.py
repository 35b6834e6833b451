"""Reminders by email, through a real SMTP server: a quarter of a course, day by day, as the timer runs it.

The specialist builds the course, imports the roster and releases the initial assessment; then
``crmtrain remind --today DAY`` runs once a day (sometimes twice) for three months against a
local aiosmtpd server, which one week refuses a trainee's mailbox. What each person received
is then read as they would read it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from pathlib import Path

import pytest

from crmtrain.cli import main
from grading_fixtures import Trainee
from mailserver import MailServer, self_signed

pytestmark = [pytest.mark.nbgrader]

SPECIALIST = "head@example.com"
SENDER = "Training <training@example.com>"
ROSTER = [("ann", "Ann Lee", "ann@example.com"), ("bob", "Bob Stone", "bob@example.com"),
          ("cat", "Cat <b>&amp; Co's", "cat@example.com")]


def office_today() -> dt.date:
    """Today in the samples' office (Europe/Moscow), as `crmtrain remind` counts days: not the machine's
    UTC date, which is still yesterday between 21:00 and midnight UTC."""
    import zoneinfo

    return dt.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).date()


def crmtrain(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue() + err.getvalue()


def build_course(tmp_path: Path, lang: str, starts: dict[str, int] | None = None) -> Path:
    """The specialist's steps: build the sample, import the roster (``starts``: days from today)."""
    root = tmp_path / "training"
    status, said = crmtrain("build", f"sample:{lang}", "--out", str(root), "--exchange", str(tmp_path / "exchange"))
    assert status == 0, said
    course = root / "assignments"
    staff = tmp_path / "staff.csv"
    start = {i: (office_today() + dt.timedelta(days=d)).isoformat() for i, d in (starts or {}).items()}
    staff.write_text("id,name,email,start\n" + "".join(f"{i},{n},{e},{start.get(i, '')}\n" for i, n, e in ROSTER),
                     encoding="utf-8")
    assert crmtrain("roster", "import", str(staff), "--course", str(course))[0] == 0
    return course


def release(course: Path, assessment: str, due: dt.date) -> None:
    status, said = crmtrain("release", assessment, "--due", due.isoformat(), "--course", str(course))
    assert status == 0, said


def submit(course: Path, tmp_path: Path, trainee: str, assessment: str) -> None:
    """The trainee fetches and submits through nbgrader's exchange, as their panel does."""
    from crmtrain.grading.plumbing.course import Course

    person = Trainee(trainee, tmp_path / "homes" / trainee, Course.load(course))
    person.home.mkdir(parents=True, exist_ok=True)
    person.fetch(assessment)
    person.submit(assessment)


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A course whose initial assessment is due in two days; the tests below share it."""
    course = build_course(tmp_path_factory.mktemp("released"), "en")
    release(course, "initial", office_today() + dt.timedelta(days=2))
    return course


@pytest.fixture
def course(released) -> Path:
    """The shared course as the specialist left it: no reminder sent, no settings written."""
    import shutil

    yield released
    shutil.rmtree(released / "reminders", ignore_errors=True)
    (released / "reminders.json").unlink(missing_ok=True)


def remind(course: Path, server: MailServer, day: dt.date, *extra: str) -> tuple[int, str]:
    return crmtrain("remind", "--course", str(course), "--today", day.isoformat(), "--smtp", server.address,
                    "--from", SENDER, "--to", SPECIALIST, *extra)


def quarter(course: Path, tmp_path: Path, days: int = 92, refused: dict[int, str] | None = None,
            submits: dict[int, str] | None = None) -> tuple[list, dict[int, str]]:
    """Run `crmtrain remind` once a day (on some days twice, as the timer and the specialist would) for
    ``days`` days from today; ``refused``: the day a mailbox goes down for two days; ``submits``: the day a
    trainee submits the initial assessment. The mails (each with its ``day``) and each day's output."""
    start, outputs = office_today(), {}
    with MailServer() as server:
        for n in range(days):
            if n in (refused or {}):
                server.recorder.refuse.add(refused[n])
            if n - 2 in (refused or {}):
                server.recorder.refuse.discard(refused[n - 2])
            if n in (submits or {}):
                submit(course, tmp_path, submits[n], "initial")
            before = len(server.recorder.mails)
            status, outputs[n] = remind(course, server, start + dt.timedelta(days=n))
            if n % 10 == 3:  # the specialist ran it after the timer: nothing goes twice
                assert remind(course, server, start + dt.timedelta(days=n))[0] == 0
            for mail in server.recorder.mails[before:]:
                mail.day = n
    return server.recorder, outputs


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_quarter_of_daily_reminders_for_three_start_dates(tmp_path, lang):
    # Ann was there at the rollout; Bob starts a month later, Cat two months later.
    course = build_course(tmp_path, lang, starts={"bob": 30, "cat": 60})
    status, said = crmtrain("release", "initial", "--course", str(course))  # due in the regulation's 7 days
    assert status == 0, said
    mails, outputs = quarter(course, tmp_path, refused={65: "cat@example.com"}, submits={0: "ann", 45: "bob"})
    words = WORDS[lang]

    # Ann submitted at once: she is never reminded.
    assert mails.to("ann@example.com") == []
    # Bob: told on his first day that it opens, due soon in his last three days, overdue after his own date,
    # until he submits on day 45. One letter a day, never the same one twice.
    bob = mails.to("bob@example.com")
    assert [m.day for m in bob] == [30, 35, 36, 37, *range(38, 45)]
    assert len({m.subject for m in bob}) == len(bob)
    assert words["opens"] in bob[0].part("plain") and words["soon"] not in bob[0].part("plain")
    assert words["soon"] in bob[1].part("plain") and words["overdue"] not in bob[1].part("plain")
    assert words["overdue"] in bob[4].part("plain")
    assert bob[0].message["Content-Language"] == lang
    # Cat's letters of days 65 and 66 were refused; both went out on day 67 with that day's own.
    cat = mails.to("cat@example.com")
    assert [m.day for m in cat] == [60, 67, 67, 67, *range(68, 92)]
    assert len({m.subject for m in cat}) == len(cat)
    assert words["not delivered"] in outputs[65] and "cat <cat@example.com>" in outputs[65]
    # The specialist: one digest a day while someone is due or overdue; it names the refusal.
    digests = mails.to(SPECIALIST)
    assert len({m.day for m in digests}) == len(digests)
    by_day = {m.day: m.part("plain") for m in digests}
    assert words["not delivered head"] in by_day[65] and "cat@example.com" in by_day[65]
    assert words["due this week"] in by_day[31] and "(bob)" in by_day[31] and "(cat)" not in by_day[31]
    assert words["overdue head"] in by_day[40] and "(bob)" in by_day[40]
    assert "(bob)" not in by_day[80] and "(cat)" in by_day[80]
    assert 20 not in by_day  # nobody is due or overdue: no digest


def test_every_letter_is_plain_text_and_html_with_names_escaped(course):
    with MailServer() as server:
        assert remind(course, server, office_today())[0] == 0
    cat = server.recorder.to("cat@example.com")[0]
    assert cat.message.get_content_type() == "multipart/alternative"
    html = cat.part("html")
    assert "Cat &lt;b&gt;&amp;amp; Co&#x27;s" in html and "<b>" not in html
    assert "Hello, Cat <b>&amp; Co's!" in cat.part("plain")
    assert cat.message["To"].addresses[0].display_name == "Cat <b>&amp; Co's"


def test_a_dry_run_prints_the_letters_and_sends_nothing(course):
    with MailServer() as server:
        status, said = remind(course, server, office_today(), "--dry-run")
        assert server.recorder.mails == []
    assert status == 0
    assert said.count("Subject: CRM training: your reminder for") == 3 and "To: <head@example.com>" in said
    assert "Dry run: nothing was sent or recorded." in said
    assert not (course / "reminders" / "sent.json").exists()


def test_over_starttls_with_a_login(course, tmp_path, monkeypatch):
    cert = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))  # the company's own certificate authority
    (course / "reminders.json").write_text('{"user": "training", "password_file": "%s"}' % (tmp_path / "pw"))
    (tmp_path / "pw").write_text("s3cret\n")
    with MailServer(cert=cert, login=("training", "s3cret")) as server:
        (tmp_path / "pw").chmod(0o644)
        status, said = remind(course, server, office_today())
        assert status == 2 and "the SMTP password file must be yours and private" in said
        (tmp_path / "pw").chmod(0o600)
        status, said = remind(course, server, office_today())
        assert status == 0, said
        assert len(server.recorder.mails) == 4 and set(server.logins) == {"training"}
        monkeypatch.setenv("CRMTRAIN_SMTP_PASSWORD", "wrong")  # the variable wins over the file
        status, said = remind(course, server, office_today() + dt.timedelta(days=1))
    assert status == 1 and "refused the login of training" in said and len(server.recorder.mails) == 4


@pytest.mark.parametrize("argv, message", [
    (["--smtp", "mail.example.com:smtp"], "the SMTP server is written HOST:PORT"),
    (["--from", "training"], "--from: 'training' is not an email address"),
    (["--from", "a@example.com"], "reminders cannot be sent: no smtp"),
])
def test_bad_mail_settings_are_named(course, argv, message):
    status, said = crmtrain("remind", "--course", str(course), *argv)
    assert status == 2 and message in said, said
    # Without a mail server the day's letters still reach the panel; a wrong setting stops before anything.
    assert (course / "reminders" / "panel" / "bob.json").is_file() == message.startswith("reminders cannot")


WORDS = {
    "en": {"opens": "Opens today:", "soon": "Due soon:", "overdue": "Overdue — please submit", "not delivered": "NOT delivered",
           "not delivered head": "Reminders not delivered:", "due this week": "Due this week:",
           "overdue head": "Overdue:"},
    "ru": {"opens": "Открывается сегодня:", "soon": "Скоро срок:", "overdue": "Просрочено — сдайте", "not delivered": "НЕ доставлено",
           "not delivered head": "Не доставлены напоминания:", "due this week": "Срок на этой неделе:",
           "overdue head": "Просрочено:"},
}


def test_the_hubs_daily_service_sends_the_days_letters_and_waits_for_tomorrow(course, tmp_path):
    """Where systemd does not run, the hub keeps `crmtrain remind --daily` running: its definition, run for real."""
    import signal
    import subprocess
    import sys
    import time

    from crmtrain.hub import hubconfig
    from crmtrain.hub.site import Site

    src = str(Path(__file__).resolve().parents[1] / "src")
    with MailServer() as server:
        site = Site(tmp_path / "site", "anna", course.parent, "sample:en", prefix=Path(sys.executable).parents[1],
                    smtp=server.address, mail_from="training@example.com", digest_to=SPECIALIST, python_path=(src,))
        site.root.mkdir()
        site.smtp_password_path.write_text("unused\n")
        service = hubconfig.reminder_service(site)
        env = {**os.environ, **service["environment"]}
        proc = subprocess.Popen(service["command"], cwd=service["cwd"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 120
            while len(server.recorder.mails) < 4 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.5)
            time.sleep(1)
            assert proc.poll() is None, proc.stdout.read()  # still running: it waits for tomorrow
        finally:
            proc.send_signal(signal.SIGTERM)
            said = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, said
    assert sorted(a for m in server.recorder.mails for a in m.to) == sorted(
        ["ann@example.com", "bob@example.com", "cat@example.com", SPECIALIST])
    assert "next reminders at" in said and "Reminders: 4 sent" in said


def test_my_training_shows_the_same_reminder_on_its_day_only(course, tmp_path):
    """The hub copies the day's letter into the trainee's home when their server starts; the panel shows it."""
    from crmtrain.hub.workbooks import REMINDER, reminder
    from crmtrain.panel.overview import Training

    today = office_today()
    with MailServer() as server:
        assert remind(course, server, today)[0] == 0
    letter = server.recorder.to("bob@example.com")[0]
    home = tmp_path / "bob"
    home.mkdir()
    # What the hub's server start does: read as the specialist by the child process it runs, written as Bob.
    import subprocess
    import sys

    src = str(Path(__file__).resolve().parents[1] / "src")
    child = subprocess.run([sys.executable, "-m", "crmtrain.hub.workbooks", "reminder", str(course), "bob"],
                           capture_output=True, env={**os.environ, "PYTHONPATH": src}, check=True)
    assert child.stdout == reminder(course, "bob") != b""
    (home / REMINDER).write_bytes(child.stdout)
    shown = Training(home).overview()
    assert shown["words"]["reminder"] == "Today's reminder"
    for section in shown["reminder"]["sections"]:
        assert section["heading"] + ":" in letter.part("plain")
        assert all(f"  - {line}" in letter.part("plain") for line in section["lines"])
    tomorrow = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert Training(home).reminder(tomorrow) is None  # yesterday's reminder is not shown
    assert reminder(course, "../bob") == b"" and reminder(course, "nobody") == b""
