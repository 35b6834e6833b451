"""``crmtrain demo``: the whole story on the built-in sample, with simulated trainees.

build → roster → release the initial assessment → six trainees fetch it through the real
exchange, five answer by clicking the real widgets in a real kernel and submit (one after
the due date, one never) → collect → grade (in parallel) → the specialist scores the open
answers → feedback → the same for the follow-up, some trainees having forgotten things →
reports → a newcomer joins weeks later, on dates of their own. All of it goes under ``--out``
(default ``demo/``), never into the repository's own ``workbooks/`` and ``assignments/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..i18n import _, ngettext, plural, set_language
from ..kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS, FIRST, LAST
from . import crmtrain_command


MARKER = ".crmtrain-demo"

# (id, name, skill at each assessment in the registry's order: initial, follow-up).
TRAINEES = {
    "en": [("osmirnova", "Olga Smirnova", 0.95, 0.9), ("ipetrov", "Ivan Petrov", 0.8, 0.45),
           ("akuznetsova", "Anna Kuznetsova", 0.7, 0.7), ("dvolkov", "Dmitry Volkov", 0.55, 0.25),
           ("esokolova", "Elena Sokolova", 0.85, 0.8), ("plebedev", "Pavel Lebedev", 0.6, 0.6)],
    "ru": [("osmirnova", "Ольга Смирнова", 0.95, 0.9), ("ipetrov", "Иван Петров", 0.8, 0.45),
           ("akuznetsova", "Анна Кузнецова", 0.7, 0.7), ("dvolkov", "Дмитрий Волков", 0.55, 0.25),
           ("esokolova", "Елена Соколова", 0.85, 0.8), ("plebedev", "Павел Лебедев", 0.6, 0.6)],
}
# Joins mid-way: starts NEWCOMER_AFTER days after the cohort's releases, on a schedule of their own.
NEWCOMER = {"en": ("mnovikova", "Maria Novikova"), "ru": ("mnovikova", "Мария Новикова")}
NEWCOMER_AFTER, NEWCOMER_TAKES = 21, 2  # days after today they start; days after their start they submit
FOLLOWUP_AFTER = 30  # the demo's regulation: the follow-up opens this many days after one's own initial
LATE = "dvolkov"  # submits the first (initial) assessment after its due date
ABSENT = "plebedev"  # fetches, never submits


def _prepare(root: Path) -> None:
    """An empty demo folder: a previous demo's is replaced, anything else is refused."""
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise UserError(_("{folder} is not empty and was not made by `crmtrain demo`; choose another --out").format(
                folder=root))
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("made by `crmtrain demo`; removed and remade by the next run\n", encoding="utf-8")


def _grade_open_answers(course, reg, assessment: str, answers: dict[str, dict]) -> int:
    """What the specialist does in the formgrader: score every open answer by hand."""
    from ..grading.plumbing.gradebook import hand_grade
    from ..simulate import OPEN_TEXTS, questions

    good = OPEN_TEXTS.get(reg.meta.language.value, OPEN_TEXTS["en"])[0]
    n = 0
    for trainee, given in answers.items():
        for q in questions(reg, assessment):
            if q.answer is None:
                hand_grade(course, assessment, trainee, q.id, float(q.points if given.get(q.id) == good else 1))
                n += 1
    return n


def slot_evidence(asked: dict, max_scores: dict[str, float]) -> list[str]:
    """Lines showing that trainees got their own cases and draws, all for the same maximum points.

    ``asked``: trainee -> what they got in each slot (``simulate.Asked``); ``max_scores``: the
    maximum nbgrader recorded for each graded trainee. Unequal maxima are an error, not a line.
    """
    import json

    slots = sorted({a.slot for got in asked.values() for a in got})
    if not slots:
        return []
    if len(set(max_scores.values())) > 1:
        raise UserError(_("trainees' maximum points differ: {points}").format(points=max_scores))
    lines = [_("{slots} per-trainee slot(s); every trainee's maximum is {points:g} points (nbgrader, {graded} graded)").format(
        slots=len(slots), points=next(iter(max_scores.values()), 0), graded=len(max_scores))]
    for slot in slots:
        seen = {tid: a for tid, got in asked.items() for a in got if a.slot == slot}
        def what(a) -> str:
            """The question's id, or the case's facts (not its options) as ``name=value``, sorted."""
            if a.question is not None:
                return a.question.id
            facts = {k: v for k, v in a.case.items() if k not in ("options", "fields")}
            facts = facts.get("lead", facts)  # a lead case: its criteria
            return ", ".join(f"{k}={v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                             for k, v in sorted(facts.items()))
        distinct = {what(a) for a in seen.values()}
        first_id, first = next(iter(seen.items()))
        other = next((tid for tid, a in seen.items() if what(a) != what(first)), None)  # a trainee who got another
        label = _("drawn question") if first.question is not None else _("{kind} case").format(kind=first.kind)
        shown = " | ".join(f"{tid}: {_clip(what(seen[tid]), 80)}" for tid in (first_id, other) if tid is not None)
        lines.append("  " + _("{slot} ({label}): {n} different among {trainees} trainees — {shown}").format(
            slot=slot, label=label, n=len(distinct), trainees=len(seen), shown=shown))
    return lines


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class _Clock:
    """The demo's narrator: each line says how many seconds into the story it happened."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.started = out, time.monotonic()

    def __call__(self, text: str) -> None:
        self.out.write(f"[{self.elapsed:5.1f}s] {text}\n")
        self.out.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


def run(out_dir: str | Path = "demo", lang: str = "en", out: TextIO | None = None) -> int:
    """The whole story in ``out_dir``: build, six trainees through both assessments, reports, a table."""
    from ..regulation.loader import load
    from ..samples import sample_path

    out = out or sys.stdout
    set_language(lang)  # the demo speaks the sample's language from its first line
    say = _Clock(out)
    root = Path(out_dir).absolute()
    _prepare(root)
    spec = _regulation(sample_path(lang), root)
    reg = load(spec)
    course, people = _set_up(root, spec, lang, say)
    skills = {tid: dict(zip(ASSESSMENTS, skill)) for tid, _, *skill in TRAINEES[lang]}
    scores: dict[str, dict[str, float]] = {}
    for assessment in ASSESSMENTS:
        for tid, t in people.items():
            t.skill = skills[tid][assessment]
        for tid, pct in _sitting(course, reg, assessment, people, lang, say).items():
            scores.setdefault(tid, {})[assessment] = pct
    out.write("\n")
    _reports(course.root, spec, root, out)
    from .review import retention_and_review

    retention_and_review(course.root, spec, root, out)
    _score_table(reg, people, scores, out)
    _newcomer(course, root / "roster.csv", lang, out)
    _where_everything_is(root, say.elapsed, out)
    return 0


def _regulation(sample: Path, root: Path) -> str:
    """The sample, with the follow-up opening FOLLOWUP_AFTER days after each trainee's own initial, in ``root``."""
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {LAST}:"))
    due = next(i for i in range(at, len(lines)) if lines[i].lstrip().startswith("due_days:"))
    lines.insert(due + 1, lines[due][: len(lines[due]) - len(lines[due].lstrip())] + f"after_days: {FOLLOWUP_AFTER}\n")
    (root / "regulation.yaml").write_text("".join(lines), encoding="utf-8")
    return str(root / "regulation.yaml")


def _set_up(root: Path, spec: str, lang: str, say: _Clock):
    """Build the sample into ``root``, import the roster; the course and the simulated trainees."""
    from ..grading.verbs import roster
    from ..grading.plumbing.course import Course
    from ..grading.plumbing.defaults import DEFAULT_COURSE_ID
    from ..simulate import SimulatedTrainee
    from . import build

    build.run(spec, str(root), io.StringIO(), exchange=str(root / "exchange"), course_id=DEFAULT_COURSE_ID)
    say(_("built the workbooks into {workbooks} and the nbgrader course into {course}").format(
        workbooks=root / "workbooks", course=root / "assignments"))
    course = Course.load(root / "assignments")
    staff = root / "roster.csv"
    with staff.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "email"])
        for tid, name, *_skills in TRAINEES[lang]:
            w.writerow([tid, name, f"{tid}@example.com"])
    r = roster.import_roster(course, staff)
    say(_("roster: {n} trainees imported from {file}").format(n=len(r.added), file=staff.name))
    people = {tid: SimulatedTrainee(tid, name, f"{tid}@example.com", first, root / "trainees" / tid)
              for tid, name, first, *_ in TRAINEES[lang]}
    return course, people


def _sitting(course, reg, assessment: str, people: dict, lang: str, say: _Clock) -> dict[str, float]:
    """Release, fetch, answer, submit (one late, one never), collect, grade, hand-grade, feedback;
    every trainee's score in percent."""
    from ..grading.verbs import collect, feedback, release
    from ..grading.presentation import results

    days = getattr(reg.assessments, assessment).due_days
    rel = release.release(course, assessment, due=dt.datetime.utcnow() + dt.timedelta(days=days))
    said = _(ASSESSMENT_KINDS[assessment].label)
    say(_("{assessment}: released {questions}, {points}, due in {days} days").format(assessment=said, days=days,
        questions=plural("{n} question", "{n} questions", rel.items),
        points=ngettext("{n} point", "{n} points", round(rel.points)).format(n=f"{rel.points:g}")))
    for t in people.values():
        t.fetch(course, assessment)
    say(_("{assessment}: {n} trainees fetched it from the exchange").format(assessment=said, n=len(people)))
    answers = _answer_and_submit(course, reg, assessment, people, lang, say)
    got = collect.collect(course, assessment)
    say(_("{assessment}: collected {n} submissions").format(assessment=said, n=len(got.collected)))
    _grade(course, reg, assessment, people, answers, say)
    n = _grade_open_answers(course, reg, assessment, answers)
    say(_("{assessment}: the specialist scored {n} open answers by hand (nbgrader formgrader's job)").format(
        assessment=said, n=n))
    fb = feedback.feedback(course, assessment)
    say(_("{assessment}: feedback released to {n} trainees").format(assessment=said, n=len(fb.released)))
    return {res.trainee: 100 * res.score / res.max_score for res in results.results(course, assessment)}


def _answer_and_submit(course, reg, assessment: str, people: dict, lang: str, say: _Clock) -> dict[str, dict]:
    """Everyone but the absent trainee answers by clicking; the late one submits after the due date."""
    from ..grading.verbs import release

    answers: dict[str, dict] = {}
    late = LATE if assessment == FIRST else None
    for tid, t in people.items():
        if tid == ABSENT:
            continue
        rng = random.Random(f"crmtrain-demo/{lang}/{tid}/{assessment}")
        answers[tid] = t.answer(course, assessment, reg, rng)
        if tid != late:
            t.submit(course, assessment)
    said = _(ASSESSMENT_KINDS[assessment].label)
    say(_("{assessment}: {n} trainees answered in a kernel by clicking the widgets; {on_time} submitted on time, "
          "{absent} did not submit").format(assessment=said, n=len(answers), on_time=len(answers) - bool(late), absent=ABSENT))
    if late:
        release.set_due(course, assessment, dt.datetime.utcnow())
        time.sleep(1.1)
        people[late].submit(course, assessment)
        say(_("{assessment}: the due date passed (moved to now for the demo); {late} submitted after it").format(
            assessment=said, late=late))
    return answers


def _grade(course, reg, assessment: str, people: dict, answers: dict[str, dict], say: _Clock) -> None:
    """Autograde in parallel; every score must be the one the key gives the trainee's clicks."""
    from ..grading.verbs import autograde
    from ..simulate import expected_scores

    report = autograde.grade(course, [assessment])
    for o in report.outcomes:
        want = expected_scores(reg, assessment, answers[o.trainee], people[o.trainee].asked.get(assessment, ()))
        if not o.ok or o.score != want:
            where = _(" (in full: {log})").format(log=report.log) if report.log else ""
            raise UserError(_("{trainee}: graded {score} (expected {want} from the key): {error}").format(
                trainee=o.trainee, score=o.score, want=want, error=o.error) + where)
    late = ", ".join(o.trainee for o in report.outcomes if o.seconds_late > 0) or _("none")
    said = _(ASSESSMENT_KINDS[assessment].label)
    say(_("{assessment}: graded {n} submissions with {workers} worker(s) in {seconds:.1f} s; late: {late}").format(
        assessment=said, n=len(report.graded), workers=report.workers, seconds=report.seconds, late=late))
    for line in slot_evidence({tid: people[tid].asked.get(assessment, ()) for tid in answers},
                              {o.trainee: o.max_score for o in report.outcomes}):
        say(f"{said}: {line}")


def _reports(course_root: Path, spec: str, root: Path, out: TextIO) -> None:
    """The specialist's report files; a failure is said, not fatal: the course is complete anyway."""
    from . import report as report_cmd

    try:
        report_cmd.run(str(course_root), spec, str(root / "reports"), None, out)
    except UserError as exc:
        out.write(_("reports not written: {error}").format(error=exc) + "\n")


def _score_table(reg, people: dict, scores: dict[str, dict[str, float]], out: TextIO) -> None:
    """One line per trainee: the score of each assessment and what stands out."""
    first, last = ASSESSMENT_KINDS[FIRST], ASSESSMENT_KINDS[LAST]
    mark = getattr(reg.assessments, LAST).pass_mark or reg.meta.pass_mark
    labels = [_(ASSESSMENT_KINDS[a].label) for a in ASSESSMENTS]
    out.write(f"\n  {_('login'):<12} {_('name'):<18} " + " ".join(f"{x:>{len(x) + 1}}" for x in labels) + f"  {_('note')}\n")
    for tid, t in people.items():
        s = scores.get(tid, {})
        cells = " ".join(f"{f'{s[a]:.0f}%' if a in s else '—':>{len(x) + 1}}" for a, x in zip(ASSESSMENTS, labels))
        note = []
        if tid == LATE:
            note.append(_("{assessment} submitted late").format(assessment=_(first.label)))
        if tid == ABSENT:
            note.append(_("never submitted"))
        if FIRST in s and LAST in s and s[LAST] < s[FIRST] - 15:
            note.append(_("forgot a lot: retraining"))
        elif LAST in s and s[LAST] < mark:
            note.append(_("{assessment} below its {mark}% pass mark").format(assessment=_(last.label), mark=mark))
        out.write(f"  {tid:<12} {t.name:<18} {cells}  {'; '.join(note)}\n")


def _newcomer(course, staff: Path, lang: str, out: TextIO) -> None:
    """A manager who joins weeks later: added to the roster with a start day, their own dates, and the
    follow-up opening after their own initial (the schedule engine, as status and the reminders use it)."""
    from ..grading.plumbing import timetable
    from ..grading.verbs import roster
    from ..rules import schedule as rules

    tid, name = NEWCOMER[lang]
    start = rules.local_day(dt.datetime.utcnow(), course.timezone) + dt.timedelta(days=NEWCOMER_AFTER)
    rows = list(csv.reader(staff.open(encoding="utf-8")))
    with staff.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[*rows[0], "start"], *([*r, ""] for r in rows[1:]),
                                 [tid, name, f"{tid}@example.com", start.isoformat()]])
    roster.import_roster(course, staff)
    out.write("\n" + _("{name} ({trainee}) joins in {n} days, on {start}, with dates of their own:").format(
        name=name, trainee=tid, n=NEWCOMER_AFTER, start=start.isoformat()) + "\n")
    plans = timetable.plans(course)
    taken_on = start + dt.timedelta(days=NEWCOMER_TAKES)
    taken = rules.end_of_day(taken_on, course.timezone) - dt.timedelta(hours=6)  # that evening
    day = lambda moment: rules.local_day(moment, course.timezone).isoformat()  # noqa: E731
    for when, submitted in ((start, {}), (taken_on, {FIRST: taken})):
        mine = rules.trainee_schedule(plans, rules.Trainee(tid, start, submitted), when, course.timezone)
        if submitted:
            out.write("  " + _("once the {assessment} is submitted on {day}:").format(
                assessment=_(ASSESSMENT_KINDS[FIRST].label), day=taken_on.isoformat()) + "\n")
        for d in mine:
            said = _(ASSESSMENT_KINDS[d.assessment].label)
            out.write("  " + (_("{assessment}: opens {opens}, due {due}").format(
                assessment=said, opens=day(d.opens), due=day(d.due)) if d.opens else _(
                "{assessment}: opens {n} days after their own {before}").format(
                assessment=said, n=FOLLOWUP_AFTER, before=_(ASSESSMENT_KINDS[FIRST].label))) + "\n")


def _where_everything_is(root: Path, seconds: float, out: TextIO) -> None:
    """Where the demo put everything, and the next commands, typed so that they run as printed."""
    crmtrain = crmtrain_command()
    places = [("workbooks/", _("the training workbooks")), ("assignments/", _("the nbgrader course (gradebook.db)")),
              ("exchange/", _("the nbgrader exchange")), ("trainees/", _("each trainee's home (answers.json)")),
              ("reports/", _("the reports")), ("roster.csv", _("the trainees")),
              ("trainees/<id>/review.ipynb", _("each trainee's personal review workbook"))]
    out.write("\n" + _("Done in {seconds:.0f} s. Everything is in {folder}/:").format(seconds=seconds, folder=root) + "\n"
              + "".join(f"  {where:<14} {what}\n" for where, what in places)
              + _("Open the workbooks in JupyterLab:") + f"  {crmtrain} lab {root / 'workbooks'}\n"
              + _("Try the specialist's commands:") + f"  {crmtrain} status --course {root / 'assignments'}\n")


def register(sub) -> None:
    """``crmtrain demo``."""
    p = sub.add_parser("demo", help=_("the whole story on the sample: build, simulated trainees, grading, feedback, reports"))
    p.add_argument("--out", default="demo", metavar="DIR", help=_("folder for everything the demo makes (default: demo)"))
    p.add_argument("--lang", choices=("en", "ru"), default="en", help=_("language of the sample and the trainees (default: en)"))
    p.set_defaults(func=lambda args: run(args.out, lang=args.lang, out=sys.stdout))
