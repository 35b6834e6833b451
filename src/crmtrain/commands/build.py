"""``crmtrain build``: regulation → workbooks (and, later in the pipeline, the nbgrader course)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..build.workbooks import build_workbooks
from ..build.writer import write_notebooks
from ..regulation.loader import load
from ..samples import resolve


def run(spec: str | None, out_dir: str, out: TextIO) -> int:
    """Build into ``OUT/workbooks``; prints what changed and how to open it."""
    path = resolve(spec)
    reg = load(path)
    root = Path(out_dir)
    workbooks = root / "workbooks"
    notebooks = build_workbooks(reg)
    changed = write_notebooks(notebooks, workbooks)
    out.write(f"Workbooks: {len(notebooks)} notebooks in {workbooks}/ ({len(changed)} changed)\n")
    out.write(f"Open them in JupyterLab:  jupyter lab {workbooks}\n")
    return 0
