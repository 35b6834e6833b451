"""Benchmark ``crmtrain report`` on synthetic gradebooks: time and peak memory as trainees grow.

Run with the venv's python::

    .venv/bin/python benchmarks/bench_report.py                # 2,500 / 5,000 / 10,000 trainees
    .venv/bin/python benchmarks/bench_report.py 1000 20000     # other sizes
    .venv/bin/python benchmarks/bench_report.py --tracemalloc  # also traced peak of each step (slows it)
    .venv/bin/python benchmarks/bench_report.py --gradebook    # also read a real gradebook.db + answers.json
    .venv/bin/python benchmarks/bench_report.py --slots        # 4 draw slots (3 questions each), 2 case slots

Each size runs in a fresh process so its peak RSS (``resource.getrusage``) is its own; times
are the fastest of ``--repeat`` runs. Data is 2 assessments × 40 items per trainee;
generating it is not timed. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SIZES = (2500, 5000, 10000)
ITEMS = 40
SLOTS = {"draws": 4, "candidates": 3, "cases": 2}  # with --slots: per assessment, of the 40 positions


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def make_course(data, root: Path) -> None:
    """A real nbgrader gradebook.db (schema by nbgrader, rows bulk-inserted) and answers.json files for ``data``."""
    import os
    import sqlite3

    from nbgrader.api import Gradebook

    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")  # alembic
    db = root / "gradebook.db"
    Gradebook(f"sqlite:///{db}", course_id="bench").close()
    (root / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
                                             f"c.Exchange.root = {str(root / 'exchange')!r}\n", encoding="utf-8")
    r = data.results
    # A slot is graded (and its answer saved) under the slot's id: its position in the test.
    r = r.assign(position=np.where(r["slot"].astype(str) != "", r["slot"].astype(str), r["item"].astype(str)))
    for a in r["assessment"].astype(str).unique():
        # The assessment notebook says which graded cell scores which item: one test cell each.
        mine = r.loc[r["assessment"] == a, ["item", "slot", "position", "points", "qtype", "topic"]]
        cells = [{"cell_type": "code", "source": "", "outputs": [], "execution_count": None,
                  "metadata": {"crmtrain": _metadata(mine, pos), "nbgrader": {"grade": True, "grade_id": str(pos),
                                                                             "points": float(p), "locked": True}}}
                 for pos, p in mine.drop_duplicates("position")[["position", "points"]].itertuples(index=False)]
        (root / "source" / a).mkdir(parents=True)
        (root / "source" / a / f"{a}.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                                    "nbformat_minor": 5}), encoding="utf-8")
    stamp = "2024-03-10 12:00:00.000000"
    with sqlite3.connect(db) as con:
        con.executemany("insert into student (id, first_name, last_name, email) values (?, ?, ?, ?)",
                        [(t, n.split()[0], n.split()[-1], e) for t, n, e in data.roster.itertuples(index=False)])
        for a in r["assessment"].astype(str).unique():
            con.execute("insert into assignment values (?, ?, ?, 'bench')", (a, a, "2024-03-15 18:00:00.000000"))
            con.execute("insert into notebook (id, name, assignment_id) values (?, ?, ?)", (f"nb-{a}", a, a))
            items = r.loc[r["assessment"] == a, ["position", "points"]].drop_duplicates("position")
            for item, points in items.itertuples(index=False):
                cid = f"{a}-{item}"
                con.execute("insert into base_cell values (?, ?, ?, 'GradeCell')", (cid, item, f"nb-{a}"))
                con.execute("insert into grade_cells values (?, ?, 'code')", (cid, points))
            sub = r[(r["assessment"] == a) & r["submitted"]]
            people = sub["trainee_id"].astype(str).unique()
            con.executemany("insert into submitted_assignment (id, assignment_id, student_id, timestamp) values (?, ?, ?, ?)",
                            [(f"{a}-{t}", a, t, stamp) for t in people])
            con.executemany("insert into submitted_notebook (id, assignment_id, notebook_id) values (?, ?, ?)",
                            [(f"{a}-{t}", f"{a}-{t}", f"nb-{a}") for t in people])
            con.executemany("insert into grade (id, notebook_id, cell_id, auto_score, needs_manual_grade) values (?, ?, ?, ?, ?)",
                            [(f"{a}-{t}-{i}", f"{a}-{t}", f"{a}-{i}", None if s != s else s, s != s) for t, i, s in
                             zip(sub["trainee_id"].astype(str), sub["position"], sub["score"])])
    for (a, t), g in r[r["submitted"]].groupby(["assessment", "trainee_id"], observed=True):
        folder = root / "autograded" / str(t) / str(a)
        folder.mkdir(parents=True)
        answers = {str(i): {"value": str(v)} for i, v in zip(g["position"], g["response"])}
        (folder / "answers.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")


def _metadata(rows, position: str) -> dict:
    """The crmtrain metadata of the cells at one position: a question, a draw slot or a case slot."""
    here = rows[rows["position"] == position].drop_duplicates("item")
    first = here.iloc[0]
    meta = {"item": position, "topic": str(first["topic"]), "refs": [], "type": str(first["qtype"]),
            "points": float(first["points"])}
    if first["slot"] == "":
        return meta
    if first["qtype"] == "case":
        return {**meta, "slot": "case", "case": "lead", "guess": 0.25}
    cands = [{"item": str(i), "type": str(q), "topic": str(t), "refs": []}
             for i, q, t in here[["item", "qtype", "topic"]].itertuples(index=False)]
    types = {c["type"] for c in cands}
    return {**meta, "slot": "draw", "type": types.pop() if len(types) == 1 else "mixed", "candidates": cands}


def read_course(data, trace: bool = False) -> dict:
    """Seconds (and, with ``trace``, traced peak MB) to read a real course holding ``data`` back."""
    from crmtrain.regulation.loader import load
    from crmtrain.reports.from_gradebook import load_report_data
    from crmtrain.samples import sample_path

    reg = load(sample_path("en"))
    with tempfile.TemporaryDirectory() as tmp:
        make_course(data, Path(tmp))
        import nbgrader.api  # noqa: F401  (imported once, outside the timing: it alone takes seconds)

        t0, c0 = time.perf_counter(), time.process_time()
        back = load_report_data(Path(tmp), reg)
        # CPU time too: on a shared machine the wall clock mostly measures the other jobs.
        out = {"gradebook_s": time.perf_counter() - t0, "gradebook_cpu_s": time.process_time() - c0}
        assert len(back.results) == len(data.results)
        del back
        if trace:  # a second, traced read: tracing slows it down, so it is not the timed one
            import tracemalloc

            tracemalloc.start()
            load_report_data(Path(tmp), reg)
            out["gradebook_traced_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return out


def one(n: int, trace: bool, repeat: int = 1, gradebook: bool = False, slots: bool = False) -> dict:
    """Time each step of the report for ``n`` trainees, in this process."""
    from crmtrain.reports import export, html, tables
    from crmtrain.reports.data import validate
    from crmtrain.reports.synthetic import synthetic

    data = synthetic(n, ITEMS, seed=1, **(SLOTS if slots else {}))
    out = {"trainees": n, "rows": len(data.results), "data_rss_mb": _rss_mb()}
    if gradebook:
        out.update(read_course(data, trace))
    if trace:
        import tracemalloc

        tracemalloc.start()
    best: dict[str, float] = {}
    for _ in range(repeat):  # the minimum of a few runs: the machine's other load only ever adds time
        with tempfile.TemporaryDirectory() as tmp:
            c0 = time.process_time()
            t0 = time.perf_counter()
            report = tables.compute_all(validate(data))
            t1 = time.perf_counter()
            export.write_csv(report, Path(tmp))
            t2 = time.perf_counter()
            export.write_xlsx(report, Path(tmp) / "report.xlsx")
            t3 = time.perf_counter()
            html.write_html(report, Path(tmp) / "report.html")
            t4 = time.perf_counter()
            c4 = time.process_time()
            out["xlsx_mb"] = (Path(tmp) / "report.xlsx").stat().st_size / 2**20
        for key, value in (("tables_s", t1 - t0), ("csv_s", t2 - t1), ("xlsx_s", t3 - t2), ("html_s", t4 - t3),
                           ("total_s", t4 - t0), ("cpu_s", c4 - c0)):
            best[key] = min(best.get(key, value), value)
    if trace:
        out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    out.update(best, peak_rss_mb=_rss_mb(), table_rows=sum(len(df) for df in report.values()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--gradebook", action="store_true", help="also time reading a real gradebook and answers")
    parser.add_argument("--slots", action="store_true", help="per-trainee slots: " + ", ".join(
        f"{v} {k}" for k, v in SLOTS.items()))
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest counts (default 3)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.tracemalloc, args.repeat, args.gradebook, args.slots)))
        return
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(n), "--repeat", str(args.repeat)]
        cmd += ["--tracemalloc"] * args.tracemalloc + ["--gradebook"] * args.gradebook + ["--slots"] * args.slots
        rows.append(json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout))
    gb = args.gradebook
    print("| trainees | results rows | report rows |" + " read gradebook s | read CPU s |" * gb + " tables s | csv s | xlsx s | html s "
          "| report s | report CPU s |" + " end to end s |" * gb + " s per 1k trainees | peak RSS MB | RSS after data MB |"
          + (" report traced MB |" + " read traced MB |" * gb) * args.tracemalloc + " xlsx MB |")
    print("|" + "---:|" * (13 + 3 * gb + args.tracemalloc * (1 + gb)))
    for r in rows:
        end = r["total_s"] + r.get("gradebook_s", 0.0)
        cells = [f"{r['trainees']:,}", f"{r['rows']:,}", f"{r['table_rows']:,}"]
        cells += [f"{r['gradebook_s']:.2f}", f"{r['gradebook_cpu_s']:.2f}"] if gb else []
        cells += [f"{r[k]:.2f}" for k in ("tables_s", "csv_s", "xlsx_s", "html_s", "total_s", "cpu_s")]
        cells += [f"{end:.2f}"] * gb + [f"{1000 * end / r['trainees']:.2f}", f"{r['peak_rss_mb']:.0f}", f"{r['data_rss_mb']:.0f}"]
        if args.tracemalloc:
            cells += [f"{r['traced_peak_mb']:.0f}"] + ([f"{r['gradebook_traced_mb']:.0f}"] if gb else [])
        print("| " + " | ".join(cells + [f"{r['xlsx_mb']:.1f}"]) + " |")

if __name__ == "__main__":
    main()
