"""Grading 40 submissions: ``crmtrain grade`` (parallel) against stock serial ``nbgrader autograde``.

Run: .venv/bin/python benchmarks/bench_grade.py [--trainees 40] [--keep DIR]
     .venv/bin/python benchmarks/bench_grade.py --trainees 1000 --no-stock   # crmtrain alone, at scale
     .venv/bin/python benchmarks/bench_grade.py --trainees 12 --profile 10    # where crmtrain's time goes
Prints markdown tables for docs/benchmarks.md.

Stock nbgrader runs with nbgrader's default preprocessors (what a user of plain nbgrader
has): its copy of the course config loses crmtrain's two ``Autograde`` chains, so it runs
every notebook in a kernel. With ``--no-stock`` only 40 submissions go through the real
exchange; the others are copies of those collected folders under new trainee ids (same
files, same answers as their trainee's plan), which is what collect would leave.

Set-up: the English sample's course is built into a temporary folder; 40 trainees fetch the
initial assessment through the real exchange, their answers (chosen as ``crmtrain.simulate``
chooses them) are written to answers.json in the runtime's format — no kernel per trainee,
for speed — and they submit and are collected through the exchange (so every submission is
a real one, with nbgrader's timestamp.txt). The course is then copied, and both graders run
as commands in subprocesses, in the same run, on identical copies. Scores must agree with
each other and with the key.

The breakdown of stock nbgrader's time per submission: a no-op ``nbgrader autograde`` (app
start, configuration, gradebook opened, nothing to grade), a bare kernel start and stop, and
the execution of one autograded notebook in a started kernel; the rest is nbgrader's
per-submission bookkeeping (gradebook reads and writes, sanitizing, copying files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

A = "initial"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), e.get("PATH", "")))
    return e


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True)
    return time.perf_counter() - start, done


def stock_config(root: Path) -> None:
    """The course config with nbgrader's default Autograde chains (crmtrain's two removed)."""
    path = root / "nbgrader_config.py"
    out, skip = [], False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith(("c.Autograde.sanitize_preprocessors", "c.Autograde.autograde_preprocessors")):
            skip = True
        if not skip:
            out.append(line)
        if skip and line.startswith("]"):
            skip = False
    path.write_text("".join(out), encoding="utf-8")


def clone(course, answers: dict, total: int) -> dict:
    """More collected submissions: copies of the real ones under new ids (``--no-stock`` at scale)."""
    from crmtrain.grading.verbs.roster import import_roster

    ids = sorted(answers)
    more = {}
    for i in range(len(ids), total):
        src = ids[i % len(ids)]
        new = f"t{i + 1:04d}"
        shutil.copytree(course.submitted_dir(src, A), course.submitted_dir(new, A))
        more[new] = answers[src]
    staff = course.root.parent / "staff-more.csv"
    staff.write_text("id,name,email\n" + "".join(f"{t},Trainee {t},{t}@example.com\n" for t in more), encoding="utf-8")
    import_roster(course, staff)
    return {**answers, **more}


def profile(course, trainees: list[str]) -> list[tuple[str, float]]:
    """Grade ``trainees`` in this process under cProfile: seconds per submission in each part."""
    import cProfile
    import pstats

    from crmtrain.grading.verbs import worker_process

    worker_process.init(str(course.root), quiet=False)
    worker_process.grade_trainee(trainees[0], (A,))  # warm: first-use costs are not per submission
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    for t in trainees[1:]:
        worker_process.grade_trainee(t, (A,))
    prof.disable()
    wall = (time.perf_counter() - start) / (len(trainees) - 1)
    stats = pstats.Stats(prof).stats
    n = len(trainees) - 1
    parts = {"crmtrain intake (vetting the folder)": ("intake.py", "vet"),
             "nbgrader: set-up, file copies, gradebook rows (init_assignment)": ("autograde.py", "init_assignment"),
             "crmtrain: the released notebook in place of the trainee's": ("plugins.py", "preprocess", "UseReleased"),
             "nbgrader: restoring locked cells from the gradebook (OverwriteCells)": ("overwritecells.py", "preprocess"),
             "nbgrader: checking cell metadata, twice (CheckCellMetadata)": ("checkcellmetadata.py", "preprocess"),
             "crmtrain: scoring answers.json without a kernel (ScoreAnswers)": ("plugins.py", "preprocess", "ScoreAnswers"),
             "nbgrader: saving grades and comments (SaveAutoGrades)": ("saveautogrades.py", "preprocess"),
             "nbgrader: late penalties (AssignLatePenalties)": ("latesubmission.py", "preprocess"),
             "nbformat: reading, validating and writing notebooks": ("nbformat/__init__.py", "read"),
             "crmtrain: answers.json notes and the graded marker": ("worker_process.py", "_answer_notes")}
    rows = []
    for name, (file, func, *cls) in parts.items():
        total = 0.0
        for (path, _line, fn), (_cc, _nc, _tt, ct, _callers) in stats.items():
            if path.endswith(file) and fn == func:
                if cls and not _defines(path, _line, cls[0]):
                    continue
                total += ct
        rows.append((name, total / n))
    rest = ("the rest: nbconvert's exporter and writer, the Autograde app, logging", wall - sum(v for _, v in rows))
    return [("wall time per submission (under the profiler)", wall), *rows, rest]


def _defines(path: str, line: int, cls: str) -> bool:
    """Whether the function at ``path:line`` belongs to a class named like ``cls``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()[:line]
    for text in reversed(lines):
        if text.startswith("class "):
            return text[6:].startswith(cls)
    return False


def setup(root: Path, n: int):
    from crmtrain.commands.build import run as build
    from crmtrain.grading.verbs import collect, release, roster
    from crmtrain.grading.plumbing.course import Course
    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path
    from crmtrain.simulate import SimulatedTrainee, slots_asked

    reg = load(sample_path("en"))
    build("sample:en", str(root), io.StringIO(), exchange=str(root / "exchange"))
    course = Course.load(root / "assignments")
    ids = [f"t{i:02d}" for i in range(1, n + 1)]
    staff = root / "staff.csv"
    staff.write_text("id,name,email\n" + "".join(f"{t},Trainee {t},{t}@example.com\n" for t in ids), encoding="utf-8")
    roster.import_roster(course, staff)
    release.release(course, A, due=dt.datetime.utcnow() + dt.timedelta(days=7))
    answers = {}
    for i, t in enumerate(ids):
        s = SimulatedTrainee(t, t, f"{t}@example.com", 0.3 + 0.65 * i / max(1, n - 1), root / "home" / t)
        s.fetch(course, A)
        answers[t] = s.plan(reg, A, random.Random(f"bench/{t}"), slots_asked(reg, A, s.notebook(A), t))
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        (s.folder(A) / "answers.json").write_text(json.dumps(
            {"format": 1, "assessment": A, "trainee": t, "answers": answers[t],
             "saved_at": {q: now for q in answers[t]}}, ensure_ascii=False), encoding="utf-8")
        s.submit(course, A)
    collect.collect(course, A)
    return reg, course, answers


def key_scores(reg, course, answers: dict) -> dict[str, float]:
    """The points each trainee's answers earn by the key, every slot by that trainee's own case or draw."""
    from crmtrain.simulate import expected_scores, slots_asked

    released = course.release_dir(A) / f"{A}.ipynb"
    return {t: expected_scores(reg, A, a, slots_asked(reg, A, released, t)) for t, a in answers.items()}


def scores(root: Path) -> dict[str, float]:
    from crmtrain.grading.plumbing.course import Course
    from crmtrain.grading.presentation.results import results

    return {r.trainee: r.score for r in results(Course.load(root), A)}


def kernel_start_stop(runs: int = 3) -> float:
    from jupyter_client import KernelManager

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        km = KernelManager(kernel_name="python3")
        km.start_kernel(stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def execution(course, trainee: str, runs: int = 3) -> float:
    """Running one autograded notebook's cells in an already started kernel."""
    import nbformat
    from nbclient import NotebookClient

    folder = course.autograded_dir(trainee, A)
    samples = []
    for _ in range(runs):
        nb = nbformat.read(folder / f"{A}.ipynb", as_version=4)
        client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(folder)}})
        with client.setup_kernel(stderr=subprocess.DEVNULL):
            start = time.perf_counter()
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def at_scale(n: int, keep: str | None) -> int:
    """crmtrain grade on ``n`` collected submissions: total and per-submission time."""
    from crmtrain.grading.verbs.autograde import usable_cpus

    tmp = Path(keep or tempfile.mkdtemp(prefix="bench-grade-")).absolute()
    tmp.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    reg, course, answers = setup(tmp / "ours", min(n, 40))
    answers = clone(course, answers, n)
    print(f"set-up: {n} collected submissions in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    load0 = os.getloadavg()
    t_ours, done = timed(["crmtrain", "grade", A, "--course", str(course.root)])
    load1 = os.getloadavg()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ours = scores(course.root)
    key = key_scores(reg, course, answers)
    assert ours == key, "the scores differ from those computed from the key"
    print(f"\nMachine: {os.cpu_count()} CPUs ({usable_cpus()} usable); load average {load0[0]:.2f} before, "
          f"{load1[0]:.2f} after (1-minute).\n")
    print(f"| {n} submissions, `crmtrain grade` ({usable_cpus()} workers) | wall time | per submission |")
    print("|---|---|---|")
    print(f"| total | {t_ours:.1f} s ({t_ours / 60:.1f} min) | {t_ours / n:.3f} s |")
    print(f"\nScores: all {n} equal to those computed from the key.")
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trainees", type=int, default=40)
    p.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temporary folder")
    p.add_argument("--no-stock", action="store_true", help="time crmtrain alone (40 real submissions, the rest copies)")
    p.add_argument("--profile", type=int, metavar="N", help="only profile grading N submissions in one process")
    args = p.parse_args()
    if args.profile:
        tmp = Path(tempfile.mkdtemp(prefix="bench-grade-"))
        _, course, _ = setup(tmp / "ours", args.profile)
        print("| where crmtrain's time goes, per submission | s |\n|---|---|")
        for name, value in profile(course, sorted(course.submitted_trainees(A))):
            print(f"| {name} | {value:.3f} |")
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    if args.no_stock:
        return at_scale(args.trainees, args.keep)
    from crmtrain.grading.verbs.autograde import usable_cpus
    from crmtrain.simulate import autograded_max

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="bench-grade-")).absolute()
    tmp.mkdir(parents=True, exist_ok=True)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    reg, course, answers = setup(tmp / "ours", args.trainees)
    stock_root = tmp / "stock"
    shutil.copytree(course.root, stock_root)
    stock_config(stock_root)
    print(f"set-up: {args.trainees} submissions fetched, answered, submitted and collected in "
          f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)

    cpus = usable_cpus()
    t_ours, done = timed(["crmtrain", "grade", A, "--course", str(course.root)])
    failed = [line.split()[1] for line in done.stdout.splitlines() if "FAILED" in line]
    for line in done.stdout.splitlines():
        if "FAILED" in line:
            print(f"crmtrain grade: {line.strip()}", file=sys.stderr)
    t_retry = 0.0
    if failed:  # graded again, one at a time, and the time added to crmtrain's
        from crmtrain.grading.verbs.autograde import grade

        t_retry, again = time.perf_counter(), grade(course, [A], trainees=failed, workers=1)
        t_retry = time.perf_counter() - t_retry
        assert not again.failed, [o.error for o in again.failed]
    assert done.returncode == 0 or failed, done.stdout + done.stderr
    load1 = os.getloadavg()
    t_stock, done = timed(["nbgrader", "autograde", A], cwd=stock_root)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    load2 = os.getloadavg()

    ours, theirs = scores(course.root), scores(stock_root)
    key = key_scores(reg, course, answers)
    assert ours == theirs, "crmtrain grade and nbgrader autograde disagree"
    assert ours == key, "the scores differ from those computed from the key"

    t_noop, _ = timed(["nbgrader", "autograde", A, "--CourseDirectory.student_id=nobody"], cwd=stock_root)
    t_kernel = kernel_start_stop()
    t_exec = execution(course, "t01")
    n = args.trainees
    per = t_stock / n
    rest = (t_stock - t_noop) / n - t_kernel - t_exec

    print(f"\nMachine: {os.cpu_count()} CPUs ({cpus} usable); load average {load0[0]:.2f} before, "
          f"{load1[0]:.2f} after crmtrain grade, {load2[0]:.2f} after nbgrader autograde (1-minute).\n")
    from crmtrain.regulation.selection import select

    sel = select(reg)
    asked = f"{len(sel.questions[A])} questions and {len(sel.slots[A])} per-trainee slots"
    print(f"| {n} submissions of the initial assessment ({asked}) | wall time, s | per submission, s | speed-up |")
    print("|---|---|---|---|")
    print(f"| stock `nbgrader autograde` (serial) | {t_stock:.1f} | {per:.2f} | 1.0× |")
    print(f"| `crmtrain grade` ({cpus} workers) | {t_ours:.1f} | {t_ours / n:.2f} | {t_stock / t_ours:.1f}× |")
    if failed:
        total = t_ours + t_retry
        print(f"| `crmtrain grade` + grading its {len(failed)} failed submission(s) again | {total:.1f} "
              f"| {total / n:.2f} | {t_stock / total:.1f}× |")
    print(f"\nScores: identical for all {n} submissions, and equal to those computed from the key "
          f"(mean {statistics.mean(ours.values()):.1f} of {autograded_max(reg, A):g} autograded points).\n")
    print("| where stock nbgrader's time goes | s | share |")
    print("|---|---|---|")
    for name, value in (("app start + config + gradebook (no-op autograde, once)", t_noop),
                        ("kernel start + shutdown (× {n})".format(n=n), t_kernel * n),
                        ("executing the notebook's cells (× {n})".format(n=n), t_exec * n),
                        ("nbgrader bookkeeping: gradebook, sanitize, file copies (rest)", rest * n)):
        print(f"| {name} | {value:.1f} | {value / t_stock:.0%} |")
    print(f"| total | {t_stock:.1f} | 100% |")
    print(f"\nPer submission: kernel {t_kernel:.2f} s, execution {t_exec:.2f} s, bookkeeping {rest:.2f} s.")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
