"""nbgrader plugins named in the course's ``nbgrader_config.py``.

nbgrader loads them by dotted name, so stock ``nbgrader`` commands (and the JupyterLab
assignment list) use them too. This module imports nbgrader; nothing else in crmtrain imports
it at module level.

* :class:`RecordingFetchAssignment` is the stock fetch plus a marker in ``fetched/``;
* :class:`RecordingReleaseAssignment` is the stock release plus creating ``fetched/``;
* :class:`DropAddedCode` removes code cells a trainee added before autograding;
* :class:`HideKey` strips the answer key out of feedback.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeReleaseAssignment
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import get_username, is_grade, is_solution

from . import fetchlog
from .course import FETCHED_DIR


class RecordingFetchAssignment(ExchangeFetchAssignment):
    """``nbgrader fetch_assignment`` that also records the fetch for ``crmtrain status``.

    A marker that cannot be written (old release without ``fetched/``, read-only exchange)
    is logged and ignored: recording must never stop a trainee from getting the assessment.
    """

    def copy_files(self) -> None:
        super().copy_files()
        student = self.coursedir.student_id
        if not student or student == "*":
            student = get_username()
        folder = Path(self.root) / self.coursedir.course_id / FETCHED_DIR
        try:
            fetchlog.record(folder, student, self.coursedir.assignment_id)
        except OSError as exc:
            self.log.warning("Could not record the fetch in %s: %s", folder, exc)


class RecordingReleaseAssignment(ExchangeReleaseAssignment):
    """``nbgrader release_assignment`` that also makes ``<exchange>/<course>/fetched/``."""

    def init_dest(self) -> None:
        super().init_dest()
        fetchlog.ensure_folder(Path(self.course_path) / FETCHED_DIR)


class DropAddedCode(NbGraderPreprocessor):  # enabled by default, unlike nbconvert's base
    """Drop, before grading, every code cell that is not one of the assessment's own.

    Trainees answer with widgets and never type Python, so every code cell of a generated
    assessment is a locked nbgrader cell with a ``grade_id``. A code cell without one was
    added (or had its metadata stripped as a duplicate by nbgrader's DeduplicateIds) and
    could, say, replace the answer checker before the hidden tests run. nbgrader itself
    only restores edited locked cells; this runs right after its OverwriteCells.
    """

    def preprocess(self, nb, resources):
        keep = [c for c in nb.cells if c.cell_type != "code" or c.metadata.get("nbgrader", {}).get("grade_id")]
        if len(keep) != len(nb.cells):
            self.log.warning("Dropped %d code cell(s) added by the trainee", len(nb.cells) - len(keep))
            nb.cells = keep
        return nb, resources


BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"


class HideKey(NbGraderPreprocessor):
    """Strip the hidden tests out of a feedback notebook's test cells and drop their outputs.

    Those cells hold the key in their hidden part and, when a test fails, a traceback quoting
    it. What stays is what the trainee's released copy showed (the part before the hidden
    tests, e.g. a comment in their language) and the cell's metadata, so the feedback still
    shows the points per item.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
            cell.source = cell.source.split(BEGIN_HIDDEN)[0].rstrip()
            cell.outputs = []
        return cell, resources
