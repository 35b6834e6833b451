"""What a trainee's kernel pays to import the crmtrain runtime, over ipywidgets alone.

Run: .venv/bin/python benchmarks/bench_runtime_import.py  (numbers for docs/benchmarks.md)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
RUNS = 9
# Both timed in one process, one after the other, so machine load hits them alike.
CODE = (
    "import json, time\nt0 = time.perf_counter()\nimport ipywidgets\nt1 = time.perf_counter()\n"
    "from crmtrain.runtime import Workbook\nt2 = time.perf_counter()\n"
    "print(json.dumps({'ipywidgets': t1 - t0, 'runtime on top': t2 - t1}))"
)


def main() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    samples = [json.loads(subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                                         env=env, check=True).stdout) for _ in range(RUNS)]
    for name in samples[0]:
        seconds = statistics.median(s[name] for s in samples)
        print(f"{name:>15}: {seconds * 1000:7.1f} ms (median of {RUNS} fresh interpreters)")


if __name__ == "__main__":
    main()
