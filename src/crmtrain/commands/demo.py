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
import time
from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS, FIRST, LAST

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
    from ..grading.gradebook import hand_grade
    from ..simulate import OPEN_TEXTS, questions

    good = OPEN_TEXTS.get(reg.meta.language.value, OPEN_TEXTS["en"])[0]
    n = 0
    for trainee, given in answers.items():
        for q in questions(reg, assessment):
            if q.answer is None:
                hand_grade(course, assessment, trainee, q.id, float(q.points if given.get(q.id) == good else 1))
                n += 1
    return n


def run(out_dir: str | Path = "demo", lang: str = "en", out: TextIO | None = None) -> int:
    import sys

    from ..grading import autograde, collect, feedback, release, roster, results
    from ..grading.course import DEFAULT_COURSE_ID, Course
    from ..regulation.loader import load
    from ..samples import sample_path
    from ..simulate import SimulatedTrainee, expected_scores
    from . import build

    out = out or sys.stdout
    started = time.monotonic()

    def say(text: str) -> None:
        out.write(f"[{time.monotonic() - started:5.1f}s] {text}\n")
        out.flush()

    root = Path(out_dir).absolute()
    _prepare(root)
    spec = f"sample:{lang}"
    reg = load(sample_path(lang))
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

    skills = {tid: dict(zip(ASSESSMENTS, skill)) for tid, _, *skill in TRAINEES[lang]}
    people = {tid: SimulatedTrainee(tid, name, f"{tid}@example.com", skills[tid][FIRST], root / "trainees" / tid)
              for tid, name, *_ in TRAINEES[lang]}
    scores: dict[str, dict[str, float]] = {}

    for assessment in ASSESSMENTS:
        for tid, t in people.items():
            t.skill = skills[tid][assessment]
        days = getattr(reg.assessments, assessment).due_days
        rel = release.release(course, assessment, due=dt.datetime.utcnow() + dt.timedelta(days=days))
        say(f"{assessment}: released {rel.items} questions, {rel.points:g} points, due in {days} days")
        for t in people.values():
            t.fetch(course, assessment)
        say(f"{assessment}: {len(people)} trainees fetched it from the exchange")
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
        got = collect.collect(course, assessment)
        say(f"{assessment}: collected {len(got.collected)} submissions")
        report = autograde.grade(course, [assessment])
        for o in report.outcomes:
            want = expected_scores(reg, assessment, answers[o.trainee])
            if not o.ok or o.score != want:
                raise UserError(f"{o.trainee}: graded {o.score} (expected {want} from the key): {o.error}")
        say(f"{assessment}: graded {len(report.graded)} submissions with {report.workers} worker(s) "
            f"in {report.seconds:.1f} s; late: {', '.join(o.trainee for o in report.outcomes if o.seconds_late > 0) or 'none'}")
        n = _grade_open_answers(course, reg, assessment, answers)
        say(f"{assessment}: the specialist scored {n} open answers by hand (nbgrader formgrader's job)")
        fb = feedback.feedback(course, assessment)
        say(f"{assessment}: feedback released to {len(fb.released)} trainees")
        for res in results.results(course, assessment):
            scores.setdefault(res.trainee, {})[assessment] = 100 * res.score / res.max_score

    out.write("\n")
    try:
        from . import report as report_cmd
    except ImportError:
        report_cmd = None
    if report_cmd is not None and hasattr(report_cmd, "run"):
        try:
            report_cmd.run(str(course.root), spec, str(root / "reports"), None, out)
        except UserError as exc:  # the reports are a bonus here; the course is complete anyway
            out.write(f"reports not written: {exc}\n")
        except Exception as exc:  # noqa: BLE001  (another helper's module may still be in progress)
            out.write(f"reports not written ({type(exc).__name__}: {exc})\n")
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
    out.write(f"\nDone in {time.monotonic() - started:.0f} s. Everything is in {root}/:\n"
              f"  workbooks/    the training workbooks      assignments/  the nbgrader course (gradebook.db)\n"
              f"  exchange/     the nbgrader exchange       trainees/     each trainee's home (answers.json)\n"
              f"  reports/      the reports                 roster.csv    the trainees\n"
              f"Open the workbooks in JupyterLab:  crmtrain lab {root / 'workbooks'}\n"
              f"Try the specialist's commands:     crmtrain status --course {root / 'assignments'}\n")
    return 0
