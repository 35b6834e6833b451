"""``crmtrain build``: regulation → the trainees' workbooks, the dashboard and the nbgrader course.

The builders are pure: :func:`build_files` returns every file's text by its path under
``--out``, and only :func:`run` writes them (through :mod:`crmtrain.files`). The golden-file
test compares the same texts with the committed builds of the samples.

The dashboard and the course record which regulation they were built from (``regulation``:
``sample:NAME``, or a path relative to their folder), so the dashboard's kernel and
``crmtrain report`` find it again wherever they are opened from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..grading.plumbing.config import CONFIG_NAME, config_text, existing_db_url
from ..grading.plumbing.defaults import DEFAULT_COURSE_ID, DEFAULT_EXCHANGE
from . import COURSE_RECORD, read
from . import REGULATION_HELP
from ..i18n import _

if TYPE_CHECKING:  # pydantic loads only when a regulation is read
    from ..regulation.models import Regulation

WORKBOOKS = "workbooks"
COURSE = "assignments"
# The specialist's dashboard lives in the course folder, where the specialist works; the
# trainees' folder holds only what trainees open.
DASHBOARD = "dashboard.ipynb"


def workbook_files(reg: Regulation, regulation: str = "sample:en") -> dict[str, str]:
    """The trainees' workbooks, nothing else."""
    from ..notebooks.cells import render
    from ..notebooks.workbooks import build_workbooks

    return {name: render(nb) for name, nb in build_workbooks(reg).items()}


def course_files(reg: Regulation, *, regulation: str = "sample:en", exchange: str | Path = DEFAULT_EXCHANGE,
                 course_id: str = DEFAULT_COURSE_ID, db_url: str | None = None) -> dict[str, str]:
    """The nbgrader course folder: ``nbgrader_config.py``, the assessments' ``source/``, the record, the dashboard."""
    from ..notebooks.assessments import build_answer_notes, build_assessments
    from ..notebooks.cells import render
    from ..reports.dashboard import build_dashboard

    timezone = reg.client_work.contact_timing.calendar.timezone
    files = {CONFIG_NAME: config_text(course_id, exchange, timezone=timezone, db_url=db_url)}
    files.update({f"source/{path}": render(nb) for path, nb in build_assessments(reg, course_id).items()})
    files.update({path: json.dumps(notes, indent=2, ensure_ascii=False) + "\n"
                  for path, notes in build_answer_notes(reg).items()})
    files[COURSE_RECORD] = json.dumps({"regulation": regulation}, indent=2) + "\n"
    files[DASHBOARD] = render(build_dashboard(".", regulation, lang=reg.meta.language.value, timezone=timezone))
    return files


def build_files(reg: Regulation, regulation: str = "sample:en", *, exchange: str | Path = DEFAULT_EXCHANGE,
                course_id: str = DEFAULT_COURSE_ID) -> dict[str, str]:
    """Everything ``crmtrain build`` writes, by path relative to ``--out``.

    ``regulation`` names the regulation as seen from ``workbooks/`` and ``assignments/``
    (siblings, so one reference serves both).
    """
    files = {f"{WORKBOOKS}/{name}": text for name, text in workbook_files(reg, regulation).items()}
    course = course_files(reg, regulation=regulation, exchange=exchange, course_id=course_id)
    files.update({f"{COURSE}/{name}": text for name, text in course.items()})
    return files


def run(spec: str | None, out_dir: str, out: TextIO, *, exchange: str = DEFAULT_EXCHANGE,
        course_id: str = DEFAULT_COURSE_ID, db_url: str | None = None) -> int:
    """Build ``OUT/workbooks`` and the course in ``OUT/assignments``; say what changed and what next."""
    from ..errors import UserError
    from ..files import write_files
    from ..i18n import _, plural
    from ..samples import reference

    root = Path(out_dir)
    workbooks, course = root / WORKBOOKS, root / COURSE
    for folder in (root, workbooks, course):
        if folder.exists() and not folder.is_dir():
            raise UserError(_("--out {out}: {folder} is a file, not a folder; give a folder for the build").format(
                out=out_dir, folder=folder))
    reg, path = read(spec, out)
    ref = reference(spec, path, workbooks)
    notebooks = workbook_files(reg, ref)
    changed = write_files(workbooks, notebooks)
    out.write(_("Workbooks: {notebooks} for trainees in {folder}/ ({changed} changed)").format(
        notebooks=plural("{n} notebook", "{n} notebooks", len(notebooks)), folder=workbooks,
        changed=len(changed)) + "\n")
    # Without --db-url a rebuild keeps the gradebook server the course already names.
    files = course_files(reg, regulation=ref, exchange=exchange, course_id=course_id,
                         db_url=db_url or existing_db_url(course))
    changed = write_files(course, files)
    out.write(_("Assessments: nbgrader course '{course_id}' in {folder}/ ({n} files, {changed} changed; "
                "exchange {exchange})").format(course_id=course_id, folder=course, n=len(files), changed=len(changed),
                                               exchange=exchange) + "\n")
    out.write(_("The specialist's dashboard: {path}").format(path=course / DASHBOARD) + "\n")
    out.write(_("Open the workbooks in JupyterLab:  crmtrain lab {folder}").format(folder=workbooks) + "\n")
    return 0


def register(sub) -> None:
    """``crmtrain build``."""
    p = sub.add_parser("build", help=_("generate the trainee workbooks (and the assessment course) from a regulation"))
    p.add_argument("regulation", nargs="?", default=None, help=_(REGULATION_HELP))
    p.add_argument("--out", default=".", metavar="DIR", help=_("folder that receives workbooks/ and assignments/ (default: .)"))
    p.add_argument("--exchange", default=DEFAULT_EXCHANGE, metavar="DIR",
                   help=_("nbgrader exchange folder shared with trainees (default: nbgrader's {folder})").format(
                       folder=DEFAULT_EXCHANGE))
    p.add_argument("--course-id", default=DEFAULT_COURSE_ID, help=_("nbgrader course id (default: {id})").format(id=DEFAULT_COURSE_ID))
    p.add_argument("--db-url", default=None, metavar="URL",
                   help=_("gradebook on a database server, e.g. postgresql://grader@localhost/crmtrain "
                        "(default: gradebook.db in the course folder; a rebuild keeps the one set before)"))
    p.set_defaults(func=lambda args: run(args.regulation, args.out, out=sys.stdout, exchange=args.exchange,
                                         course_id=args.course_id, db_url=args.db_url))
