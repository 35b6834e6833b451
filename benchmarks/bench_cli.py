"""Start-up cost of the CLI: ``crmtrain --help`` and ``crmtrain check`` against a bare interpreter.

Run: .venv/bin/python benchmarks/bench_cli.py  (prints a markdown table for docs/benchmarks.md)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15
PY = sys.executable
CASES = {
    "python -c pass": [PY, "-c", "pass"],
    "crmtrain --help": [PY, "-m", "crmtrain.cli", "--help"],
    "crmtrain check (en sample)": [PY, "-m", "crmtrain.cli", "check", "sample:en"],
    "crmtrain check (ru sample)": [PY, "-m", "crmtrain.cli", "check", "sample:ru"],
}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    for cmd in CASES.values():  # warm the file cache and .pyc files
        timed(cmd)
    base = None
    print("| command | median ms | min ms | over bare python, ms |")
    print("|---|---|---|---|")
    for name, cmd in CASES.items():
        samples = [timed(cmd) * 1000 for _ in range(RUNS)]
        med = statistics.median(samples)
        base = med if base is None else base
        print(f"| {name} | {med:.0f} | {min(samples):.0f} | {med - base:+.0f} |")


if __name__ == "__main__":
    main()
