"""``crmtrain demo``: the whole story on the built-in sample, with simulated trainees.

build → roster → release the initial assessment → six trainees fetch it through the real
exchange, five answer by clicking the real widgets in a real kernel and submit (one after
the due date, one never) → collect → grade (in parallel) → the specialist scores the open
answers → feedback → the same for the follow-up, some trainees having forgotten things →
reports. Everything is written under ``--out`` (default ``demo/``); the repository's own
``workbooks/`` and ``assignments/`` are never touched.
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
from ..kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS, FIRST, LAST
from . import crmtrain_command
from ..i18n import _


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
LATE = "dvolkov"  # submits the first (initial) assessment after its due date
ABSENT = "plebedev"  # fetches, never submits


def _prepare(root: Path) -> None:
    """An empty demo folder: a previous demo's is replaced, anything else is refused."""
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise UserError(f"{root} is not empty and was not made by `crmtrain demo`; choose another --out")
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
        raise UserError(f"trainees' maximum points differ: {max_scores}")
    lines = [f"{len(slots)} per-trainee slot(s); every trainee's maximum is {next(iter(max_scores.values()), 0):g} "
             f"points (nbgrader, {len(max_scores)} graded)"]
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
        label = "drawn question" if first.question is not None else f"{first.kind} case"
        shown = " | ".join(f"{tid}: {_clip(what(seen[tid]), 80)}" for tid in (first_id, other) if tid is not None)
        lines.append(f"  {slot} ({label}): {len(distinct)} different among {len(seen)} trainees — {shown}")
    return lines


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


SYMBOLS = {"learned": "+", "forgotten": "F", "learned_later": "L", "never_learned": "-", "": "·"}


def _retention_and_review(course_root: Path, spec: str, root: Path, out: TextIO) -> None:
    """Print the retention table, write every trainee's review workbook into their folder, outline one."""
    from ..reports.retention import retention_matrix, retention_detail
    from . import review

    reg, data, plan = review.plans(course_root, spec)
    m = retention_matrix(data, retention_detail(data))
    refs = [c for c in m.columns if c not in ("trainee_id", "name")]
    filled = sum(int((m[c] != "").sum()) for c in refs)
    out.write(f"\nRetention per trainee × regulation item tested in both assessments ({len(refs)} items; "
              f"+ learned, F forgotten, L learned later, - never learned, · not compared):\n")
    for row in m.itertuples(index=False):
        out.write(f"  {row.trainee_id:<12} " + "".join(SYMBOLS[v] for v in row[2:]) + "\n")
    r = data.results
    sat = r[r["submitted"]].groupby("trainee_id", observed=True)["assessment"].nunique()
    both = int((sat >= 2).sum())
    cells = both * len(refs)
    out.write(f"  {filled} of the {cells} cells of the {both} trainees who sat both assessments are compared"
              + (f" ({filled / cells:.0%})" if cells else "") + "\n\n")
    review.run(course_root, spec, str(root / "trainees" / "{trainee}"), None, out)
    if len(plan):
        forgot = plan[plan["reason"] == "forgotten"]["trainee_id"].astype(str).value_counts()
        tid = forgot.index[0] if len(forgot) else plan["trainee_id"].astype(str).value_counts().index[0]
        path = review.target(str(root / "trainees" / "{trainee}"), tid)
        out.write(f"\n{tid}'s review workbook ({path}), in outline:\n")
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
                elif line.startswith("| ") and "What to review" in cell.source and lines[-1] != "":
                    lines.append("  " + line)
        elif "item" in meta:
            exercises.append("quiz")
        elif "drill" in meta:
            exercises.append(f"{meta['drill']} drill")
    flush()
    return lines


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
    say = _Clock(out)
    root = Path(out_dir).absolute()
    _prepare(root)
    spec = f"sample:{lang}"
    reg = load(sample_path(lang))
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
    _retention_and_review(course.root, spec, root, out)
    _score_table(reg, people, scores, out)
    _where_everything_is(root, say.elapsed, out)
    return 0


def _set_up(root: Path, spec: str, lang: str, say: _Clock):
    """Build the sample into ``root``, import the roster; the course and the simulated trainees."""
    from ..grading.verbs import roster
    from ..grading.plumbing.course import Course
    from ..grading.plumbing.defaults import DEFAULT_COURSE_ID
    from ..simulate import SimulatedTrainee
    from . import build

    build.run(spec, str(root), io.StringIO(), exchange=str(root / "exchange"), course_id=DEFAULT_COURSE_ID)
    say(f"built the workbooks into {root / 'workbooks'} and the nbgrader course into {root / 'assignments'}")
    course = Course.load(root / "assignments")
    staff = root / "roster.csv"
    with staff.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "email"])
        for tid, name, *_ in TRAINEES[lang]:
            w.writerow([tid, name, f"{tid}@example.com"])
    r = roster.import_roster(course, staff)
    say(f"roster: {len(r.added)} trainees imported from {staff.name}")
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
    say(f"{assessment}: released {rel.items} questions, {rel.points:g} points, due in {days} days")
    for t in people.values():
        t.fetch(course, assessment)
    say(f"{assessment}: {len(people)} trainees fetched it from the exchange")
    answers = _answer_and_submit(course, reg, assessment, people, lang, say)
    got = collect.collect(course, assessment)
    say(f"{assessment}: collected {len(got.collected)} submissions")
    _grade(course, reg, assessment, people, answers, say)
    n = _grade_open_answers(course, reg, assessment, answers)
    say(f"{assessment}: the specialist scored {n} open answers by hand (nbgrader formgrader's job)")
    fb = feedback.feedback(course, assessment)
    say(f"{assessment}: feedback released to {len(fb.released)} trainees")
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
    say(f"{assessment}: {len(answers)} trainees answered in a kernel by clicking the widgets; "
        f"{len(answers) - bool(late)} submitted on time, {ABSENT} did not submit")
    if late:
        release.set_due(course, assessment, dt.datetime.utcnow())
        time.sleep(1.1)
        people[late].submit(course, assessment)
        say(f"{assessment}: the due date passed (moved to now for the demo); {late} submitted after it")
    return answers


def _grade(course, reg, assessment: str, people: dict, answers: dict[str, dict], say: _Clock) -> None:
    """Autograde in parallel; every score must be the one the key gives the trainee's clicks."""
    from ..grading.verbs import autograde
    from ..simulate import expected_scores

    report = autograde.grade(course, [assessment])
    for o in report.outcomes:
        want = expected_scores(reg, assessment, answers[o.trainee], people[o.trainee].asked.get(assessment, ()))
        if not o.ok or o.score != want:
            where = f" (in full: {report.log})" if report.log else ""
            raise UserError(f"{o.trainee}: graded {o.score} (expected {want} from the key): {o.error}{where}")
    late = ", ".join(o.trainee for o in report.outcomes if o.seconds_late > 0) or "none"
    say(f"{assessment}: graded {len(report.graded)} submissions with {report.workers} worker(s) "
        f"in {report.seconds:.1f} s; late: {late}")
    for line in slot_evidence({tid: people[tid].asked.get(assessment, ()) for tid in answers},
                              {o.trainee: o.max_score for o in report.outcomes}):
        say(f"{assessment}: {line}")


def _reports(course_root: Path, spec: str, root: Path, out: TextIO) -> None:
    """The specialist's report files; a failure is said, not fatal: the course is complete anyway."""
    from . import report as report_cmd

    try:
        report_cmd.run(str(course_root), spec, str(root / "reports"), None, out)
    except UserError as exc:
        out.write(f"reports not written: {exc}\n")


def _score_table(reg, people: dict, scores: dict[str, dict[str, float]], out: TextIO) -> None:
    """One line per trainee: the score of each assessment and what stands out."""
    first, last = ASSESSMENT_KINDS[FIRST], ASSESSMENT_KINDS[LAST]
    mark = getattr(reg.assessments, LAST).pass_mark or reg.meta.pass_mark
    labels = [ASSESSMENT_KINDS[a].label for a in ASSESSMENTS]
    out.write(f"\n  {'trainee':<12} {'name':<18} " + " ".join(f"{x:>{len(x) + 1}}" for x in labels) + "  note\n")
    for tid, t in people.items():
        s = scores.get(tid, {})
        cells = " ".join(f"{f'{s[a]:.0f}%' if a in s else '—':>{len(x) + 1}}" for a, x in zip(ASSESSMENTS, labels))
        note = []
        if tid == LATE:
            note.append(f"{first.label} submitted late")
        if tid == ABSENT:
            note.append("never submitted")
        if FIRST in s and LAST in s and s[LAST] < s[FIRST] - 15:
            note.append("forgot a lot: retraining")
        elif LAST in s and s[LAST] < mark:
            note.append(f"{last.label} below its {mark}% pass mark")
        out.write(f"  {tid:<12} {t.name:<18} {cells}  {'; '.join(note)}\n")


def _where_everything_is(root: Path, seconds: float, out: TextIO) -> None:
    """Where the demo put everything, and the next commands, typed so that they run as printed."""
    crmtrain = crmtrain_command()
    out.write(f"\nDone in {seconds:.0f} s. Everything is in {root}/:\n"
              f"  workbooks/    the training workbooks      assignments/  the nbgrader course (gradebook.db)\n"
              f"  exchange/     the nbgrader exchange       trainees/     each trainee's home (answers.json)\n"
              f"  reports/      the reports                 roster.csv    the trainees\n"
              f"  trainees/<id>/review.ipynb  each trainee's personal review workbook\n"
              f"Open the workbooks in JupyterLab:  {crmtrain} lab {root / 'workbooks'}\n"
              f"Try the specialist's commands:     {crmtrain} status --course {root / 'assignments'}\n")


def register(sub) -> None:
    """``crmtrain demo``."""
    p = sub.add_parser("demo", help=_("the whole story on the sample: build, simulated trainees, grading, feedback, reports"))
    p.add_argument("--out", default="demo", metavar="DIR", help="folder for everything the demo makes (default: demo)")
    p.add_argument("--lang", choices=("en", "ru"), default="en", help="language of the sample and the trainees (default: en)")
    p.set_defaults(func=lambda args: run(args.out, lang=args.lang, out=sys.stdout))
