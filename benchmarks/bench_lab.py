"""Open-to-alive and memory of a trainee's JupyterLab, in a real browser (issue 22).

For each of the four workbooks: from the click that opens it (JupyterLab's ``docmanager:open``,
what a click on a workbook or its tab does) to its first usable widget, on a first visit and
on a returning one (a new browser; the tabs of the first visit come back), with the steps on
the way (file loaded, kernel session, kernel idle, setup cell done, first widget, every cell
run). Then the memory of the trainee's server, its kernels' seed and its kernels (PSS: pages
shared between the seed and the kernels forked from it are split among them, so the sum is what
the trainee costs) once every workbook was visited and the hidden ones gave their kernels back.

Run: .venv/bin/python benchmarks/bench_lab.py [--lang en] [--runs 3]  (figures for docs/benchmarks.md)
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
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests" / "browser")]
# The server and its kernels run this checkout's crmtrain too (the venv's may be another one's).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))

from harness import BUILDS, LabServer, copy_workbooks, launch_browser, new_page  # noqa: E402

PARTS = ("01-summary", "02-order-processing", "03-client-work", "04-practice-test")
HIDDEN_KERNEL_S = 60  # labextension/src/kernels.ts HIDDEN_KERNEL_MS
STEPS = ("file", "session", "idle", "setup", "widget", "all")

# Records, for the notebook at ``path``, when each step was first seen (ms after ``t0``).
_WATCH_JS = """([path, t0]) => new Promise(resolve => {
  const seen = {};
  const mark = (k) => { if (!(k in seen)) seen[k] = performance.now() - t0; };
  const timer = setInterval(() => {
    const w = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.context && w.context.path === path);
    if (!w) return;
    if (w.context.isReady) mark('file');
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    if (kernel) mark('session');
    if (kernel && kernel.status === 'idle') mark('idle');
    const first = w.content.widgets.find(c => c.model.type === 'code');
    if (first && first.model.executionCount) mark('setup');
    const widget = w.node.querySelector('.crmtrain-quiz button, .crmtrain-drill button, .crmtrain-quiz input');
    if (widget && widget.offsetParent !== null && !widget.disabled) mark('widget');
    if (Number(w.node.dataset.crmtrainRuns || 0) >= 1 && w.node.dataset.crmtrainState === 'ready') {
      mark('all'); clearInterval(timer); resolve(seen);
    } else if (performance.now() - t0 > 60000) {
      seen.state = w.node.dataset.crmtrainState; clearInterval(timer); resolve(seen);  // never ready
    }
  }, 10);
})"""


def open_part(page, folder: str, name: str) -> dict:
    """Open (or bring to the front) workbook ``name``; the ms of each step after the click."""
    path = f"{folder}/{name}.ipynb"
    return page.evaluate("""async ([watch, path]) => {
        const t0 = performance.now();
        const done = eval(watch)([path, t0]);
        await window.jupyterapp.commands.execute('docmanager:open', {path});
        return await done; }""", [_WATCH_JS, path])


def wait_app(page) -> None:
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')",
                           timeout=120_000)


def memory_mb(pid: int) -> dict[str, float]:
    """Memory (MB) of the trainee's server, its kernels' seed and its kernels: USS, and PSS (shared pages split)."""
    import psutil

    server = psutil.Process(pid)
    seeds = [p for p in server.children() if "crmtrain.kernelseed" in p.cmdline()]
    kernels = [p for p in server.children(recursive=True)
               if p not in seeds and ("ipykernel" in " ".join(p.cmdline()) or "crmtrain.kernelseed" in p.cmdline())]
    info = {p: p.memory_full_info() for p in [server, *seeds, *kernels]}
    mb = 2**20
    return {"server_uss": info[server].uss / mb, "server_pss": info[server].pss / mb,
            "seed_pss": sum(info[p].pss for p in seeds) / mb, "kernels_pss": sum(info[p].pss for p in kernels) / mb,
            "kernels_uss": sum(info[p].uss for p in kernels) / mb, "seed_uss": sum(info[p].uss for p in seeds) / mb,
            "kernels": len(kernels), "total_pss": sum(i.pss for i in info.values()) / mb,
            "total_uss": sum(i.uss for i in info.values()) / mb}


def visit(browser, server: LabServer, folder: str, reset: bool) -> dict[str, dict]:
    page = new_page(browser)
    start = time.perf_counter()
    page.goto(server.url("lab", reset=reset))
    wait_app(page)
    app_s = time.perf_counter() - start
    times = {}
    for name in PARTS:
        times[name] = open_part(page, folder, name)
        print(f"  {name}: {times[name]}", flush=True)
    times["_app"] = {"all": app_s * 1000}
    print(f"  load average after the visit: {os.getloadavg()[0]:.2f}", flush=True)
    return page, times


def report(label: str, runs: list[dict]) -> None:
    print(f"\n{label} (median of {len(runs)} runs; ms after the click)")
    print(f"{'workbook':<22}" + "".join(f"{s:>9}" for s in STEPS))
    widgets = []
    for name in PARTS:
        row = {s: statistics.median(r[name].get(s, float('nan')) for r in runs) for s in STEPS}
        widgets.append(row["widget"])
        print(f"{name:<22}" + "".join(f"{row[s]:9.0f}" for s in STEPS))
    print(f"first usable widget: median {statistics.median(widgets) / 1000:.2f} s, worst {max(widgets) / 1000:.2f} s; "
          f"JupyterLab's page itself: {statistics.median(r['_app']['all'] for r in runs) / 1000:.2f} s")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--lang", default="en", choices=sorted(BUILDS))
    args.add_argument("--runs", type=int, default=3)
    opts = args.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    first, returning, memory = [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for run in range(opts.runs):
            root = Path(tmp) / f"run{run}"
            copy_workbooks(root / "wb", BUILDS[opts.lang])
            server = LabServer(root, Path(tmp) / f"work{run}", lang=opts.lang).start()
            try:
                page, times = visit(browser, server, "wb", reset=True)
                first.append(times)
                page.context.close()
                page, times = visit(browser, server, "wb", reset=False)
                returning.append(times)
                time.sleep(HIDDEN_KERNEL_S + 5)  # the hidden workbooks give their kernels back
                memory.append(memory_mb(server.proc.pid))
                log = server.log()
                print(f"  run {run}: memory {', '.join(f'{k} {v:.1f}' for k, v in memory[-1].items())}; "
                      f"kernels started: {log.count('Kernel started:')}, not forked: {log.count('not forked')}", flush=True)
                page.context.close()
            finally:
                server.stop()
        browser.close()
    report("First visit", first)
    report("Returning visit (new browser, server kept, the tabs restored)", returning)
    med = {k: statistics.median(m[k] for m in memory) for k in memory[0]}
    print(f"\nmemory, all four visited, one in front (median of {len(memory)}): server {med['server_pss']:.0f} MB + "
          f"seed {med['seed_pss']:.0f} MB + {med['kernels']:.0f} kernel(s) {med['kernels_pss']:.0f} MB "
          f"= {med['total_pss']:.0f} MB PSS (USS, shared pages not counted: {med['total_uss']:.0f} MB)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
