"""Start-up cost of the CLI: ``--help``, ``check`` and ``build`` against a bare interpreter.

Run: .venv/bin/python benchmarks/bench_cli.py  (prints a markdown table for docs/benchmarks.md)

Each command runs in a fresh interpreter, after one warm-up run; ``build`` writes into a new
empty folder every time. Wall-clock time depends on what else the machine runs, so the CPU
time of the child process (user + system) is given too.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15
PY = sys.executable
SRC = str(Path(__file__).resolve().parents[1] / "src")  # this checkout, whatever the venv points at
CLI = [PY, "-m", "crmtrain.cli"]
CACHE = tempfile.mkdtemp(prefix="crmtrain-bench-cache-")  # the warm-up run fills it
CASES = {
    "python -c pass": [PY, "-c", "pass"],
    "crmtrain --help": [*CLI, "--help"],
    "crmtrain check sample:en (validating: --no-cache)": [*CLI, "check", "--no-cache", "sample:en"],
    "crmtrain check sample:ru (validating)": [*CLI, "check", "--no-cache", "sample:ru"],
    "crmtrain check sample:freight (validating)": [*CLI, "check", "--no-cache", "sample:freight"],
    "crmtrain check sample:en (unchanged file: cached report)": [*CLI, "check", "sample:en"],
    "crmtrain build sample:en": [*CLI, "build", "sample:en", "--out", "{out}"],
    "crmtrain build sample:freight": [*CLI, "build", "sample:freight", "--out", "{out}"],
}


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run."""
    with tempfile.TemporaryDirectory() as tmp:
        argv = [a.replace("{out}", tmp) for a in cmd]
        env = {**os.environ, "PYTHONPATH": SRC, "CRMTRAIN_CACHE_DIR": CACHE}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    for cmd in CASES.values():  # warm the file cache and .pyc files
        timed(cmd)
    base = None
    print(f"load average before: {os.getloadavg()[0]:.1f}\n")
    print("| command | median ms | min ms | over bare python (median), ms | CPU median ms |")
    print("|---|---|---|---|---|")
    for name, cmd in CASES.items():
        runs = [timed(cmd) for _ in range(RUNS)]
        walls = [w * 1000 for w, _ in runs]
        med = statistics.median(walls)
        base = med if base is None else base
        cpu = statistics.median(c * 1000 for _, c in runs)
        print(f"| {name} | {med:.0f} | {min(walls):.0f} | {med - base:+.0f} | {cpu:.0f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
