"""The kernel runtime stays light: no pandas, nbgrader or pydantic, and a small import cost.

Run this file directly to print the import-time measurement:
``PYTHONPATH=src .venv/bin/python tests/test_runtime_imports.py``
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
FORBIDDEN = ("pandas", "nbgrader", "pydantic", "babel", "crmtrain.regulation", "crmtrain.notebooks")

# Everything a workbook's kernel may load: the package, every runtime module, the setup import.
LOAD_RUNTIME = """
import importlib, json, pkgutil, sys
import crmtrain.runtime
from crmtrain.runtime import Workbook
for info in pkgutil.iter_modules(crmtrain.runtime.__path__):
    importlib.import_module(f"crmtrain.runtime.{info.name}")
print(json.dumps(sorted(sys.modules)))
"""


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter with src importable; return its stdout."""
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return result.stdout


def runtime_import_overhead(runs: int = 5) -> dict[str, float]:
    """Median seconds to import ipywidgets, then the runtime on top of it, in fresh interpreters."""
    # Both timed in one process, one after the other, so machine load hits them alike.
    code = (
        "import json, time\nt0 = time.perf_counter()\nimport ipywidgets\nt1 = time.perf_counter()\n"
        "from crmtrain.runtime import Workbook\nt2 = time.perf_counter()\n"
        "print(json.dumps({'ipywidgets': t1 - t0, 'overhead': t2 - t1}))"
    )
    samples = [json.loads(run_python(code)) for _ in range(runs)]
    return {name: statistics.median(s[name] for s in samples) for name in ("ipywidgets", "overhead")}


def test_runtime_imports_no_heavy_packages():
    loaded = set(json.loads(run_python(LOAD_RUNTIME)))
    assert "ipywidgets" in loaded and "crmtrain.runtime.workbook" in loaded
    heavy = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN))
    assert not heavy


def test_keys_are_importable_without_widgets():
    # The notebook builder seals keys at build time; it should not pay for ipywidgets.
    code = "import json, sys\nimport crmtrain.runtime.keys\nprint(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(run_python(code))
    assert "ipywidgets" not in loaded and "IPython" not in loaded


def test_runtime_import_overhead_is_small():
    timing = runtime_import_overhead(runs=3)
    print(f"import time: {timing}")
    assert timing["overhead"] < 0.25, timing


if __name__ == "__main__":
    for name, seconds in runtime_import_overhead(runs=9).items():
        print(f"{name:>10}: {seconds * 1000:7.1f} ms (median of 9 fresh interpreters)")
