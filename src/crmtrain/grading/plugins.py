"""nbgrader plugins named in the course's ``nbgrader_config.py``.

nbgrader loads them by dotted name, so stock ``nbgrader`` commands (and the JupyterLab
assignment list) use them too. This module imports nbgrader; nothing else in crmtrain imports
it at module level.

* :class:`RecordingFetchAssignment` is the stock fetch plus a marker in ``fetched/`` (:mod:`.exchange.releasing`);
* :class:`RecordingReleaseAssignment` is the stock release plus ``fetched/``, or to some trainees only;
* :class:`PrivateSubmit` is the stock submit, closed to other trainees;
* :class:`SafeCollect` (:mod:`.exchange.collector`) collects only checked submissions, following no link;
* :class:`UseReleasedNotebook` grades the released notebook, not the trainee's copy;
* :class:`ScoreAnswers` scores crmtrain's answer checks from answers.json, without a kernel;
* :class:`OwnDueDate` gives each trainee nbgrader's extension up to their own due date;
* :class:`HideKey` strips the answer key out of feedback.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeSubmit
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution

from ..i18n import LANGUAGES, translation
from .plumbing.course import ANSWERS_FILE
from .exchange import layout
from .exchange.collector import SafeCollect  # noqa: F401  (named by the course's config)
from .exchange.releasing import RecordingFetchAssignment, RecordingReleaseAssignment  # noqa: F401  (named too)
from .exchange.readtree import MAX_SUBMISSION_BYTES


# A submission's folder: rwx for the trainee and the specialist's group (the specialist may
# clean inbound/ up), nothing for anyone else. The files inside keep nbgrader's modes: only
# those who may enter the folder reach them.
SUBMISSION_DIR_MODE = 0o770


class PrivateSubmit(ExchangeSubmit):
    """``nbgrader submit`` whose copy in ``inbound/`` other trainees can neither read nor change.

    A folder over :data:`~.exchange.readtree.MAX_SUBMISSION_BYTES` is not submitted (collect
    would refuse it anyway), with a message in the assessment's language.

    Stock nbgrader makes a submission's folder world-writable and its files world-readable,
    and relies on a random name nobody can list. ``inbound/`` is setgid, so the new folder
    belongs to the specialist's group: closing it to "others" keeps it open to collect and
    shut to every other trainee, even one who learns the name. (A folder that did not get
    that group, on a file system without setgid semantics, keeps nbgrader's modes.)
    """

    def init_src(self) -> None:
        super().init_src()
        size = layout.submission_size(self.src_path, tuple(self.coursedir.ignore))
        if size > MAX_SUBMISSION_BYTES:
            _ = translation(self._lang()).gettext
            self.fail(_("The folder {folder} holds {size} MB; at most {limit} MB can be submitted. Remove the "
                        "files you added to it and submit again.").format(
                folder=self.src_path, size=f"{size / (1 << 20):.1f}", limit=MAX_SUBMISSION_BYTES >> 20))

    def _lang(self) -> str:
        """The assessment's language, from its notebook's metadata ('en' if it cannot tell)."""
        for path in sorted(Path(self.src_path).glob("*.ipynb")):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                with open(path, encoding="utf-8") as f:
                    lang = json.load(f).get("metadata", {}).get("crmtrain", {}).get("lang")
                if lang in LANGUAGES:
                    return lang
        return "en"

    def copy_files(self) -> None:
        super().copy_files()
        dest = Path(self.inbound_path) / self.assignment_filename
        if dest.stat().st_gid == Path(self.inbound_path).stat().st_gid:
            os.chmod(dest, SUBMISSION_DIR_MODE)
        else:
            self.log.warning("%s did not get the group of inbound/; left readable to all", dest)


class UseReleasedNotebook(NbGraderPreprocessor):  # enabled by default, unlike nbconvert's base
    """Grade the released notebook, whatever the trainee's notebook has become.

    Trainees answer with widgets, and the answers live in ``answers.json``: nothing in their
    copy of the notebook counts. So the first sanitizing step replaces it, cells and
    metadata, with the released version (kernelspec, points and locked cells included), and
    nbgrader's own OverwriteCells then restores the hidden tests from the gradebook. Added,
    edited, retyped or deleted cells and changed metadata are all gone before anything runs.
    """

    def preprocess(self, nb, resources):
        import nbformat

        coursedir = CourseDirectory(config=self.config)
        nbg = resources["nbgrader"]
        released = Path(coursedir.format_path(coursedir.release_directory, ".", nbg["assignment"]))
        path = released / f"{nbg['notebook']}.ipynb"
        fresh = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if fresh.cells != nb.cells or fresh.metadata != nb.metadata:
            self.log.info("Grading the released %s in place of the trainee's copy", path.name)
        return fresh, resources


class ScoreAnswers(Execute):
    """nbgrader's execute step, without a kernel for the answer checks crmtrain generated.

    Reads the submission's ``answers.json`` as bounded, type-checked data (never through a
    link), writes what it took into the autograded folder, and gives every recognised check
    cell (see :mod:`crmtrain.grading.scoring.checks`) the output it would have had in a kernel, so
    nbgrader's SaveAutoGrades scores it as usual. Grade cells it does not recognise run in a
    real kernel, in an empty temporary folder holding only the vetted answers, with the
    working directory kept off ``sys.path``.
    """

    def preprocess(self, nb, resources):
        from nbformat import NotebookNode

        from ..kinds.slots import CASE
        from .safety import answers
        from .scoring import checks

        coursedir = CourseDirectory(config=self.config)
        nbg = resources["nbgrader"]
        submitted = coursedir.format_path(coursedir.submitted_directory, nbg["student"], nbg["assignment"])
        items = {c.metadata["crmtrain"]["item"] for c in nb.cells if "item" in c.metadata.get("crmtrain", {})}
        cases = {c.metadata["crmtrain"]["item"]: str(c.metadata["crmtrain"].get("case"))
                 for c in nb.cells if c.metadata.get("crmtrain", {}).get("slot") == CASE.name}
        saved = answers.read_submitted(os.path.join(submitted, ANSWERS_FILE), items, cases)
        for note in saved.notes:
            self.log.warning("%s: %s", nbg["student"], note)
        folder = resources["metadata"]["path"]
        answers.write_vetted(folder, saved)
        vetted = os.path.join(folder, ANSWERS_FILE)
        others = []
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not is_grade(cell):
                continue
            call = checks.parse_check(cell.source)
            if call is None:
                others.append(i)
            else:
                cell.outputs = [NotebookNode(o) for o in checks.run_check(call, vetted, trainee=nbg["student"])]
        if others:
            self._in_a_kernel(nb, resources, others, vetted)
        return nb, resources

    def _in_a_kernel(self, nb, resources, wanted: list[int], vetted: str) -> None:
        """Run the notebook's code but the recognised checks in a kernel; keep the outputs of ``wanted``."""
        import copy
        import shutil
        import tempfile

        self.log.warning("%d grade cell(s) are not crmtrain answer checks: running them in a kernel", len(wanted))
        run = copy.deepcopy(nb)
        keep = [i for i, c in enumerate(nb.cells) if c.cell_type != "code" or i in wanted or not is_grade(c)]
        run.cells = [run.cells[i] for i in keep]
        with tempfile.TemporaryDirectory(prefix="crmtrain-grade-") as tmp:
            shutil.copyfile(vetted, os.path.join(tmp, ANSWERS_FILE))
            res = {**resources, "metadata": {**resources.get("metadata", {}), "path": tmp}}
            with _safe_path():
                run, _ = super().preprocess(run, res)
        for j, i in enumerate(keep):
            if i in wanted:
                nb.cells[i].outputs = run.cells[j].outputs


class OwnDueDate(NbGraderPreprocessor):
    """The trainee's own due date (:mod:`crmtrain.rules.schedule`) as nbgrader's per-student extension.

    Runs before nbgrader's AssignLatePenalties, on the submission row autograde has just
    made, so that stock ``nbgrader autograde`` counts lateness against the trainee's date
    exactly as ``crmtrain grade`` does (both write it through :func:`.plumbing.timetable.grant`).
    """

    def preprocess(self, nb, resources):
        import dataclasses

        from .plumbing import timetable
        from .plumbing.course import Course

        nbg = resources["nbgrader"]
        course = dataclasses.replace(Course.load(CourseDirectory(config=self.config).root), database=nbg["db_url"])
        granted = timetable.grant(course, nbg["assignment"], (nbg["student"],))
        if granted.get(nbg["student"]):
            self.log.info("%s has until their own due date: an extension of %s", nbg["student"], granted[nbg["student"]])
        return nb, resources


@contextlib.contextmanager
def _safe_path():
    """Kernels started meanwhile keep their working directory off ``sys.path`` (PYTHONSAFEPATH)."""
    old = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = old


class ShowAnswers(NbGraderPreprocessor):
    """Write each trainee's answer under its question, as static HTML (see :mod:`.shown`).

    Runs right after :class:`ScoreAnswers`, on the vetted ``answers.json`` it wrote into the
    autograded folder; the key comes from the item's test cell, which nbgrader restored from
    the gradebook. So the formgrader, the feedback and the autograded notebook all show what
    the trainee answered, and no widget output is left in any of them.
    """

    def preprocess(self, nb, resources):
        from nbformat import NotebookNode

        from .scoring import checks
        from .presentation import shown, shown_slots
        from .scoring.items import item_spec

        coursedir = CourseDirectory(config=self.config)
        nbg = resources["nbgrader"]
        notes = shown.read_notes(coursedir.root, nbg["assignment"])
        lang = str(nb.metadata.get("crmtrain", {}).get("lang") or notes.get("lang") or "en")
        try:
            with open(os.path.join(resources["metadata"]["path"], ANSWERS_FILE), encoding="utf-8") as f:
                vetted = json.load(f)
            saved, seen = vetted.get("answers", {}), vetted.get("shown", {})
        except (OSError, ValueError, AttributeError):
            saved, seen = {}, {}
        keys, slot_checks = {}, {}
        for cell in nb.cells:
            if cell.cell_type != "code" or not is_grade(cell):
                continue
            call = checks.parse_check(cell.source)
            if call is None:
                continue
            if call.function != checks.CHECK_FUNCTION:  # a slot's check holds no single key: shown_slots reads it
                slot_checks[call.item] = (call.function, call.args, dict(call.kwargs))
            elif len(call.args) >= 3:
                keys[call.item] = (call.args[2], float(dict(call.kwargs).get("tolerance", 0.0)))
        contact = str(notes.get("contact", ""))
        for cell in nb.cells:
            crm = cell.metadata.get("crmtrain", {})
            item = crm.get("item")
            if cell.cell_type != "code" or not item or cell.metadata.get("nbgrader", {}).get("grade_id") != f"{item}-answer":
                continue
            spec = item_spec(cell.source)
            if spec is None:
                continue
            answer = saved.get(item) if isinstance(saved, dict) else None
            if crm.get("slot"):  # that trainee's own question or case, from the id nbgrader filed it under
                outputs = shown_slots.slot_outputs(
                    crm, spec, slot_checks.get(item), answer, course=coursedir.course_id, assessment=nbg["assignment"],
                    trainee=nbg["student"], lang=lang, notes=notes.get("items"), contact=contact,
                    shown=seen.get(item) if isinstance(seen, dict) else None, words=notes.get("words"))
            else:
                key, tol = keys.get(item, (None, 0.0))
                outputs = shown.answer_outputs(spec, answer, key, tolerance=tol, lang=lang,
                                               note=(notes.get("items") or {}).get(item), contact=contact)
            cell.outputs = [NotebookNode(o) for o in outputs]
        return nb, resources


BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"


class HideKey(NbGraderPreprocessor):
    """Strip the hidden tests out of a feedback notebook's test cells and drop their outputs.

    Those cells hold the key in their hidden part and, when a test fails, a traceback quoting
    it. What stays is what the trainee's released copy showed (the part before the hidden
    tests, e.g. a comment in their language) and the cell's metadata, so the feedback still
    shows the points per item. Widget outputs go (HTML cannot render them), and so do the
    correct answers and explanations where the assessment hides them (``show_answers``).
    """

    def preprocess(self, nb, resources):
        from .presentation import shown

        nbg = resources.get("nbgrader", {})
        notes = shown.read_notes(CourseDirectory(config=self.config).root, nbg.get("assignment", ""))
        self._show_answers = bool(notes.get("show_answers"))
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        from .presentation.shown import KEY

        if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
            cell.source = cell.source.split(BEGIN_HIDDEN)[0].rstrip()
            cell.outputs = []
        elif cell.cell_type == "code":  # widgets cannot render in HTML: keep only static outputs
            cell.outputs = [o for o in cell.get("outputs", ())
                            if not any("widget" in mime for mime in o.get("data", {}))
                            and (getattr(self, "_show_answers", False) or not o.get("metadata", {}).get(KEY))]
        return cell, resources
