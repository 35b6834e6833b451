"""nbgrader's release and fetch with crmtrain's records and limits (named in the course's config).

* :class:`RecordingFetchAssignment` is the stock fetch plus a marker in ``fetched/``, and it
  refuses an assessment released for other trainees (a re-test, see :mod:`.restrict`);
* :class:`RecordingReleaseAssignment` is the stock release into a course folder of the
  releaser's own, plus ``fetched/``; given :attr:`~RecordingReleaseAssignment.only_for`, the
  released folder is open only to those trainees' accounts.
"""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeReleaseAssignment
from nbgrader.utils import get_username
from traitlets import List, Unicode

from ...errors import UserError
from ...i18n import translation
from ..plumbing.config import FETCHED_DIR
from . import fetchlog, layout, restrict


class RecordingFetchAssignment(ExchangeFetchAssignment):
    """``nbgrader fetch_assignment`` that also records the fetch for ``crmtrain status``.

    A marker that cannot be written (old release without ``fetched/``, read-only exchange)
    is logged and ignored: recording must never stop a trainee from getting the assessment.
    """

    def _student(self) -> str:
        student = self.coursedir.student_id
        return get_username() if not student or student == "*" else student

    def init_src(self) -> None:
        course = Path(self.root) / self.coursedir.course_id
        schedule = restrict.published(course, self.coursedir.assignment_id)
        if not restrict.is_for(schedule, self._student()):
            _ = translation(str(schedule.get("lang") or "en")).gettext
            self.fail(_("{assessment} is for the trainees who learned version {version} of the regulation; you "
                        "learned the current one, so there is nothing for you to take.").format(
                assessment=schedule.get("title") or self.coursedir.assignment_id,
                version=schedule.get("old_version") or "?"))
        super().init_src()

    def copy_files(self) -> None:
        super().copy_files()
        folder = Path(self.root) / self.coursedir.course_id / FETCHED_DIR
        try:
            fetchlog.record(folder, self._student(), self.coursedir.assignment_id)
        except OSError as exc:
            self.log.warning("Could not record the fetch in %s: %s", folder, exc)


class RecordingReleaseAssignment(ExchangeReleaseAssignment):
    """``nbgrader release_assignment`` into a course folder of the releaser's own, with ``fetched/``.

    A folder of the course that is a link or another user's (made by a trainee before the
    first release) is refused; ``inbound/`` and ``fetched/`` get the sticky bit, so a trainee
    can add entries but never rename or remove another's.
    """

    only_for = List(Unicode(), allow_none=True, default_value=None,
                    help="Release to these trainees only (their accounts, where they have one here).").tag(config=True)

    def init_dest(self) -> None:
        course = Path(self.root) / self.coursedir.course_id
        try:  # nbgrader's own check follows links: a trainee's link to the specialist's folder passes it
            for path in (course, course / "outbound", course / "inbound", course / FETCHED_DIR):
                layout.refuse_squatted(path)
        except UserError as exc:
            self.fail(str(exc))
        super().init_dest()
        fetchlog.ensure_folder(course / FETCHED_DIR)
        layout.make_sticky(course / "inbound")

    def do_copy(self, src, dest) -> None:
        if self.only_for is None:
            return super().do_copy(src, dest)
        os.mkdir(dest, 0o700)  # never readable by all, not even while it is filled
        _copy_into(src, dest, self.coursedir.ignore)

    def set_perms(self, dest, fileperms, dirperms) -> None:
        if self.only_for is None:
            return super().set_perms(dest, fileperms, dirperms)
        _restricted_perms(dest, fileperms, dirperms, self.only_for, self.log)


def _copy_into(src: str, dest: str, ignore: list[str]) -> None:
    import shutil

    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(*ignore), dirs_exist_ok=True)


def _restricted_perms(dest: str, fileperms: int, dirperms: int, only_for: list[str], log) -> None:
    """nbgrader's modes below ``dest``; ``dest`` itself open only to ``only_for``'s accounts."""
    for here, dirs, files in os.walk(dest):
        for name in files:
            os.chmod(os.path.join(here, name), fileperms)
        for name in dirs:
            os.chmod(os.path.join(here, name), dirperms)
    uids = restrict.accounts(tuple(only_for))
    restrict.open_only_to(dest, list(uids.values()))
    log.info("Released to %d trainee(s), %d of them accounts here", len(only_for), len(uids))
