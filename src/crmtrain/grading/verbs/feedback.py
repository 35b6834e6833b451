"""``crmtrain feedback``: HTML feedback for every graded trainee, released through the exchange.

Each autograded notebook becomes a page for people (:mod:`.feedback_page`): the trainee's
answers, points, the specialist's comments and what to re-read, with no code, ids or
prompts. (Stock ``nbgrader generate_feedback`` still works in the course folder: the course
config gives it the :class:`~crmtrain.grading.plugins.HideKey` preprocessor.) Before anything
is released, the generated HTML is scanned for key material once more.

A trainee whose open answers still wait for manual grading gets no feedback yet (their
score is not final); ``include_pending=True`` sends it anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UserError
from ...i18n import _
from ..presentation import feedback_page
from ..plumbing import gradebook
from ..plumbing.course import Course, check_assessment, nbgrader_failure
from ..scoring.items import assessment_items
from ..safety.leaks import find_key_material
from ..presentation.results import TraineeResult, results
from ..presentation.shown import read_notes

# What nbgrader's release_feedback reads beside each page (the submission's time and secret).
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass(frozen=True)
class FeedbackReport:
    assessment: str
    released: tuple[str, ...]  # trainees whose feedback is now in the exchange
    pending_manual: tuple[str, ...]  # skipped: open answers not graded by hand yet


def feedback(course: Course, assessment: str, *, include_pending: bool = False) -> FeedbackReport:
    check_assessment(assessment)
    graded = results(course, assessment)
    if not graded:
        raise UserError(_("no graded submissions of {name} yet (run `crmtrain grade` first)").format(name=repr(assessment)))
    pending = tuple(r.trainee for r in graded if r.needs_manual_grade)
    send = [r.trainee for r in graded if include_pending or not r.needs_manual_grade]
    if not send:
        raise UserError(
            _("every graded submission of {name} still has open answers to grade by hand (in nbgrader's "
              "formgrader); no feedback was released").format(name=repr(assessment)),
            [_("waiting: {trainees}").format(trainees=", ".join(pending))],
        )
    by_trainee = {r.trainee: r for r in graded}
    for trainee in send:
        write_pages(course, by_trainee[trainee])
    leaks = find_key_material(course, assessment, [course.feedback_dir(t, assessment) for t in send])
    if leaks:
        raise UserError(_("the feedback for {name} contains answer-key material; nothing was released").format(
            name=repr(assessment)), leaks)
    from nbgrader.utils import capture_log, temp_attrs

    api = course.api()

    for trainee in send:
        # Not api.release_feedback(): nbgrader 0.9 passes it a misspelt keyword
        # ("authentictor") that traitlets warns about and will one day reject.
        with temp_attrs(api.coursedir, assignment_id=assessment, student_id=trainee):
            app = api.exchange.ReleaseFeedback(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
            result = capture_log(app)
        if not result["success"]:
            raise nbgrader_failure(f"releasing feedback to {trainee}", result)
    return FeedbackReport(assessment, tuple(send), pending if not include_pending else ())


def write_pages(course: Course, result: TraineeResult) -> list:
    """The feedback pages of one graded sitting, in its feedback folder (replacing older ones)."""
    assessment, trainee = result.assessment, result.trainee
    items = assessment_items(course, assessment)
    comments = gradebook.comments(course, assessment, trainee)
    questions = {}
    for item, scored in zip(items, result.items):
        said = tuple(comments[(item.notebook, g)] for g in item.grade_ids if comments.get((item.notebook, g)))
        questions[item.id] = feedback_page.Question(item.id, scored.item, scored.points, scored.score, said)
    sitting = feedback_page.Sitting(questions, result.score, result.max_score, read_notes(str(course.root), assessment))
    source, dest = course.autograded_dir(trainee, assessment), course.feedback_dir(trainee, assessment)
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.html"):
        old.unlink()
    for name in SUBMISSION_FILES:
        path = source / name
        if path.is_file() and not path.is_symlink():
            (dest / name).write_bytes(path.read_bytes())
    return [feedback_page.write(nb, dest / f"{nb.stem}.html", sitting)
            for nb in sorted(source.glob("*.ipynb")) if not nb.is_symlink()]
