"""`make demo`, the README's first command: the whole story on the sample, as a newcomer runs it.

One real run (kernels, nbgrader, reports) checked for what the newcomer reads and gets: every
step said, the late and the absent trainee, both assessments graded by the key, the reports and
review workbooks written, and next steps that run as printed.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from crmtrain.cli import main

pytestmark = [pytest.mark.nbgrader, pytest.mark.kernel]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import contextlib
    import io

    root = tmp_path_factory.mktemp("demo") / "demo"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["demo", "--out", str(root)])
    return status, out.getvalue(), root


def test_the_demo_tells_the_whole_story(demo):
    status, said, root = demo
    assert status == 0, said
    for step in ("built the workbooks", "roster: 6 trainees imported", "initial: released", "follow-up: released",
                 "dvolkov submitted after it", "plebedev did not submit", "initial: graded 5 submissions",
                 "follow-up: graded 5 submissions", "open answers by hand", "feedback released to"):
        assert step in said, step
    table = said[said.index("  login "):]
    assert re.search(r"plebedev .* —\s+—\s+never submitted", table)
    assert "initial submitted late" in table.splitlines()[[l.split()[0] for l in table.splitlines()[1:7]].index("dvolkov") + 1]


def test_a_newcomer_joins_weeks_later_on_dates_of_their_own(demo):
    import datetime as dt

    status, said, root = demo
    joined = said[said.index("Maria Novikova (mnovikova) joins in 21 days"):]
    start = dt.date.fromisoformat(re.search(r"joins in 21 days, on (\S+),", joined).group(1))
    day = lambda n: (start + dt.timedelta(days=n)).isoformat()  # noqa: E731
    before, after = joined.split("once the initial is submitted on ")
    # Her initial: open from her start, due 7 days later; the follow-up waits for her own initial.
    assert f"initial: opens {start.isoformat()}, due {day(7)}" in before
    assert "follow-up: opens 30 days after their own initial" in before
    assert after.startswith(f"{day(2)}:") and f"follow-up: opens {day(32)}, due {day(37)}" in after
    assert f"mnovikova,Maria Novikova,mnovikova@example.com,{start.isoformat()}" in (root / "roster.csv").read_text()


def test_the_demo_leaves_a_course_reports_and_review_workbooks(demo):
    _, said, root = demo
    assert (root / "assignments" / "gradebook.db").is_file()
    assert {p.name for p in (root / "reports").iterdir()} >= {"summary.csv", "report.xlsx", "report.html"}
    assert list((root / "trainees").glob("*/review.ipynb"))
    assert not (root / "assignments" / "grading.log").exists()  # nothing failed


def test_the_printed_next_steps_run_as_typed(demo):
    _, said, root = demo
    status_line = next(l for l in said.splitlines() if "Try the specialist's commands:" in l)
    argv = shlex.split(status_line.split(":", 1)[1])
    done = subprocess.run(argv, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "osmirnova" in done.stdout
    lab_line = next(l for l in said.splitlines() if "Open the workbooks in JupyterLab:" in l)
    lab = shlex.split(lab_line.split(":", 1)[1])
    assert lab[1:] == ["lab", str(root / "workbooks")]
    assert subprocess.run([lab[0], "lab", "--help"], capture_output=True).returncode == 0


def test_on_the_review_plans_day_each_trainee_is_mailed_their_items_and_the_specialist_a_digest(demo):
    """After both assessments, `crmtrain remind` on the day the review plan gives, through a real SMTP server."""
    import contextlib
    import io

    from crmtrain.commands.review import plans
    from mailserver import MailServer

    _, _, root = demo
    course = root / "assignments"
    _reg, _data, plan = plans(course, None)
    day = min(plan["review_on"]).date()
    with MailServer() as server, contextlib.redirect_stdout(io.StringIO()) as out:
        status = main(["remind", "--course", str(course), "--today", day.isoformat(), "--smtp", server.address,
                       "--from", "training@example.com", "--to", "head@example.com"])
    assert status == 0, out.getvalue()
    due = plan[plan["review_on"].dt.date == day]
    assert len(set(due["trainee_id"])) >= 2
    for trainee, items in due.groupby("trainee_id"):
        (mail,) = server.recorder.to(f"{trainee}@example.com")
        text = mail.part("plain")
        assert "Your review plan — revisit today:" in text
        assert all(f"  - {title}: " in text for title in items["title"])
    (digest,) = server.recorder.to("head@example.com")
    text = digest.part("plain")
    assert "Pavel Lebedev (plebedev): " in text.split("Overdue:")[1]  # he never submitted
    assert "Forgot a lot:" in text and "items they knew at the initial assessment" in text


def test_the_russian_demo_speaks_russian_on_an_english_machine(tmp_path, monkeypatch, capsys):
    # `crmtrain demo --lang ru`: the story, the report summary, the grid, the table and the next steps in Russian.
    from test_messages_ru import allowed_words
    from test_specialist_language import PRODUCTS, latin_left

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["demo", "--lang", "ru", "--out", str(tmp_path / "demo")]) == 0
    said = capsys.readouterr().out
    assert "входное тестирование: выдано — 19 вопросов, 29 баллов" in said and "Готово за" in said
    logins = {"osmirnova", "ipetrov", "akuznetsova", "dvolkov", "esokolova", "plebedev", "mnovikova"}
    # The retention grid's symbols (F, L) and the drill kinds' and slots' ids stay as the legend and the file name them.
    allowed = allowed_words() | PRODUCTS | logins | {"F", "L", "formgrader", "lab", "status", "course", "x"}
    said = re.sub(r"(?<![\w-])[FL+·-]{2,}(?![\w-])", " ", said)  # the grid's rows
    said = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d|gradebook\.db", " ", said)  # a case's moment, the gradebook's file
    left = latin_left(said, allowed, tmp_path)
    assert left == [], sorted(set(left))
