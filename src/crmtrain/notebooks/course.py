"""Regulation → the nbgrader course folder: its configuration and the assessments' sources."""

from __future__ import annotations

from pathlib import Path

from ..grading.course import config_text
from ..regulation.models import Regulation
from .assessments import build_assessments
from .writer import render, write_text

# nbgrader's own default exchange: where a shared JupyterHub deployment keeps it.
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"
DEFAULT_COURSE_ID = "crm-training"


def build_course(reg: Regulation, root: Path, *, exchange: str = DEFAULT_EXCHANGE,
                 course_id: str = DEFAULT_COURSE_ID) -> tuple[list[Path], int]:
    """Write ``root/nbgrader_config.py`` and ``root/source/<assessment>/``; (changed paths, files)."""
    files = {"nbgrader_config.py": config_text(course_id, exchange, timezone=reg.client_work.contact_timing.calendar.timezone)}
    files.update({f"source/{path}": render(nb) for path, nb in build_assessments(reg).items()})
    return [root / name for name, text in files.items() if write_text(root / name, text)], len(files)
