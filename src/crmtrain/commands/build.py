"""``crmtrain build``: regulation → workbooks (and, later in the pipeline, the nbgrader course)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..notebooks.course import DEFAULT_COURSE_ID, DEFAULT_EXCHANGE, build_course
from ..notebooks.workbooks import build_workbooks
from ..notebooks.writer import write_notebooks
from ..regulation.loader import load
from ..samples import resolve


def run(spec: str | None, out_dir: str, out: TextIO, *, exchange: str = DEFAULT_EXCHANGE,
        course_id: str = DEFAULT_COURSE_ID) -> int:
    """Build ``OUT/workbooks`` and the course in ``OUT/assignments``; say what changed and what next."""
    path = resolve(spec)
    reg = load(path)
    root = Path(out_dir)
    workbooks = root / "workbooks"
    notebooks = build_workbooks(reg)
    # The specialist's dashboard sits beside the workbooks and reads ../assignments.
    from ..reports.dashboard import build_dashboard

    notebooks["specialist-dashboard.ipynb"] = build_dashboard("../assignments", spec or "sample:en")
    changed = write_notebooks(notebooks, workbooks)
    out.write(f"Workbooks: {len(notebooks) - 1} notebooks and the specialist's dashboard in {workbooks}/ "
              f"({len(changed)} changed)\n")
    changed, total = build_course(reg, root / "assignments", exchange=exchange, course_id=course_id)
    out.write(f"Assessments: nbgrader course '{course_id}' in {root / 'assignments'}/ "
              f"({total} files, {len(changed)} changed; exchange {exchange})\n")
    out.write(f"Open the workbooks in JupyterLab:  crmtrain lab {workbooks}\n")
    return 0
