"""The memory of a trainee's JupyterLab *server process* before and after the four workbooks (issue 22).

A server started like ``crmtrain lab`` (the browser suite's LabServer), a headless Chromium that
opens the four workbooks, then the browser closed and the kernels shut down. At each step the
server process's USS and PSS (psutil, from /proc/PID/smaps) and how many threads it runs; last,
after :data:`IDLE_S` idle seconds, once crmtrain.labmemory's periodic trim has run.
``--course`` gives the server an nbgrader course with one released assessment, as a hub
trainee's server has (My training lists it). Memory figures hold under load; the load average
is printed beside them.

Run: .venv/bin/python benchmarks/bench_lab_server.py [--course] [--lang en] [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests" / "browser"), str(REPO / "benchmarks")]
# The server runs this checkout's crmtrain too (the venv's may be another one's).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))

from bench_lab import PARTS, open_part, wait_app  # noqa: E402
from harness import BUILDS, LabServer, copy_workbooks, launch_browser, new_page  # noqa: E402

IDLE_S = 65  # crmtrain.labmemory trims once a minute
STEPS = ("started", "/lab loaded", "4 workbooks open", "kernels shut down", f"{IDLE_S} s idle")


def memory(pid: int) -> tuple[float, float, int, float]:
    """USS and PSS (MB) of the process, its threads, and the machine's load average now."""
    import psutil

    process = psutil.Process(pid)
    info = process.memory_full_info()
    return info.uss / 2**20, info.pss / 2**20, process.num_threads(), os.getloadavg()[0]


def add_course(root: Path, exchange: Path, source: Path) -> None:
    """The trainee's nbgrader configuration and one released assessment in the exchange."""
    from crmtrain.grading.plumbing.config import trainee_config_text

    (root / "nbgrader_config.py").write_text(trainee_config_text("crm", exchange), encoding="utf-8")
    released = exchange / "crm" / "outbound" / "initial"
    released.mkdir(parents=True)
    (released / "initial.ipynb").write_bytes((source / "04-practice-test.ipynb").read_bytes())


def one_run(browser, tmp: Path, lang: str, course: bool) -> dict[str, tuple]:
    root = tmp / "home"
    copy_workbooks(root / "wb", BUILDS[lang])
    if course:
        add_course(root, tmp / "exchange", BUILDS[lang])
    server = LabServer(root, tmp / "work", lang=lang).start()
    seen = {}
    try:
        time.sleep(3)
        seen[STEPS[0]] = memory(server.proc.pid)
        page = new_page(browser)
        page.goto(server.url("lab", reset=True))
        wait_app(page)
        if course:  # what My training shows, as its panel asks for it
            assert [a["id"] for a in server.api("GET", "crmtrain/training")["assessments"]] == ["initial"]
        seen[STEPS[1]] = memory(server.proc.pid)
        for name in PARTS:
            open_part(page, "wb", name)
        time.sleep(2)
        seen[STEPS[2]] = memory(server.proc.pid)
        page.context.close()
        server.shutdown_kernels()
        time.sleep(3)
        seen[STEPS[3]] = memory(server.proc.pid)
        time.sleep(IDLE_S)
        seen[STEPS[4]] = memory(server.proc.pid)
    finally:
        server.stop()
    for step in STEPS:
        uss, pss, threads, load = seen[step]
        print(f"  {step:<20} USS {uss:6.1f}  PSS {pss:6.1f}  threads {threads:2d}  load {load:.2f}", flush=True)
    return seen


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--lang", default="en", choices=sorted(BUILDS))
    args.add_argument("--runs", type=int, default=2)
    args.add_argument("--course", action="store_true", help="an nbgrader course with a released assessment")
    opts = args.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    runs = []
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for run in range(opts.runs):
            with tempfile.TemporaryDirectory() as tmp:
                print(f"run {run + 1}", flush=True)
                runs.append(one_run(browser, Path(tmp), opts.lang, opts.course))
        browser.close()
    print(f"\nserver process, median of {len(runs)} runs{' (with a course)' if opts.course else ''}: USS / PSS MB")
    for step in STEPS:
        uss, pss = (statistics.median(r[step][i] for r in runs) for i in (0, 1))
        print(f"  {step:<20} {uss:6.1f} / {pss:6.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
