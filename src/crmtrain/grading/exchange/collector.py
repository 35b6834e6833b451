"""nbgrader's collect, trusting nothing in ``inbound/`` (named in the course's config).

The course's ``nbgrader_config.py`` names this class (as ``crmtrain.grading.plugins.SafeCollect``)
for ``ExchangeFactory.collect``, so ``crmtrain collect``, stock ``nbgrader collect`` and the
formgrader's collect button all take this path. It differs from the stock one in that:

* only the entries :func:`.inbound.scan` accepts count; each other one is logged in one
  line and kept in :attr:`SafeCollect.refused` (stock collect stops the whole batch on one
  unparsable name, and merely warns when a folder's owner is not the trainee it names);
* a submission is read through descriptors (:mod:`.readtree`): no link is followed at any
  level, no pipe opened, nothing past the size limits read;
* the copy is made in ``<course>/crmtrain/collecting/`` and swapped in whole, so a submission
  that cannot be read completely never deletes or replaces the one collected before; the
  trainee's next older submission is tried instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default import ExchangeCollect

from ...errors import UserError
from ..safety import intake
from .fetchlog import parse_timestamp
from . import inbound, readtree
from .owners import owners_for

WORK_AREA = "collecting"  # <course>/crmtrain/collecting/: copies being made


class SafeCollect(ExchangeCollect):
    """``nbgrader collect`` that counts only checked submissions and reads them without following links."""

    def init_src(self) -> None:
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        self.collected, self.unchanged, self.refused = [], [], []
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        try:
            self._inbound = inbound.open_inbound(Path(self.root), self.coursedir.course_id)
        except UserError as exc:
            self.fail(str(exc))
        found = inbound.scan(self._inbound, self.coursedir.assignment_id)
        for line in found.refused:
            self.log.warning("Not collected: %s", line)
        self.refused.extend(found.refused)
        wanted = self.coursedir.student_id
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                due = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                due = None
        self.src_records = []  # per trainee: their submissions, the one to take first first
        for trainee, subs in sorted(found.by_trainee().items()):
            if wanted not in ("", "*") and trainee != wanted:
                continue
            order = subs[::-1]
            if due is not None and self.before_duedate:
                order = [s for s in order if s.at <= due] + [s for s in order if s.at > due]
            self.src_records.append(order)

    def copy_files(self) -> None:
        try:
            if not self.src_records:
                self.log.warning("No submissions of '%s' for course '%s' to collect",
                                 self.coursedir.assignment_id, self.coursedir.course_id)
            for candidates in self.src_records:
                self._collect_one(candidates)
        finally:
            os.close(self._inbound)

    def _collect_one(self, candidates: list[inbound.Submission]) -> None:
        trainee, assessment = candidates[0].trainee, self.coursedir.assignment_id
        dest = Path(self.coursedir.format_path(self.coursedir.submitted_directory, trainee, assessment))
        have = self.coursedir.get_existing_timestamp(str(dest)) if dest.is_dir() else None
        for sub in candidates:
            if dest.is_dir() and not self._takes(sub, have):
                break
            try:
                self._copy(sub, dest)
            except inbound.Refused as why:
                line = f"{inbound.shown(sub.name)}: {why}: ignored"
                self.log.warning("Not collected: %s", line)
                self.refused.append(line)
                continue
            self.log.info("Collected submission: %s %s (%s)", trainee, assessment, sub.at)
            self.collected.append(trainee)
            return
        if dest.is_dir():
            self.unchanged.append(trainee)

    def _takes(self, sub: inbound.Submission, have) -> bool:
        """Whether ``sub`` replaces the collected submission dated ``have`` (nbgrader's rules)."""
        if self.update and (have is None or sub.at > have):
            return True
        return bool(self.before_duedate and have != sub.at)

    def _copy(self, sub: inbound.Submission, dest: Path) -> None:
        """Copy ``sub`` whole into the course, then swap it in; Refused if it cannot be read whole."""
        src = inbound.open_own_dir(sub.name, self._inbound, owners=owners_for(sub.trainee))
        work = Path(self.coursedir.root) / intake.AREA / WORK_AREA
        work.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=f"{sub.trainee}.", dir=work))
        try:
            st = os.fstat(src)
            if (st.st_dev, st.st_ino) != sub.ino:
                raise inbound.Refused("changed while being collected")
            out = os.open(new, inbound.DIR_FLAGS)
            notes: list[str] = []
            try:
                readtree.copy_tree(src, out, owners={sub.uid}, file_limit=intake.MAX_FILE_BYTES, notes=notes,
                                   patterns=readtree.Patterns(tuple(self.coursedir.ignore),
                                                              tuple(self.coursedir.include)))
            finally:
                os.close(out)
            if parse_timestamp(intake.read_stamp(new)) != sub.at:
                raise inbound.Refused(f"its {inbound.TIMESTAMP} changed while being collected")
            intake.write_collect_notes(new, notes)
            new.chmod(0o755)
            readtree.swap_into(new, dest)
        finally:
            os.close(src)
            if new.exists():
                shutil.rmtree(new, ignore_errors=True)
