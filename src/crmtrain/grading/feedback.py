"""``crmtrain feedback``: HTML feedback for every graded trainee, released through the exchange.

nbgrader's ``generate_feedback`` renders each autograded notebook; the course config adds
the :class:`~crmtrain.grading.plugins.HideKey` preprocessor, so feedback shows the trainee's
answers and points but neither the hidden tests nor their tracebacks. Before anything is
released, the generated HTML is scanned for key material once more.

A trainee whose open answers still wait for manual grading gets no feedback yet (their
score is not final); ``include_pending=True`` sends it anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UserError
from .course import Course, check_assessment, nbgrader_failure
from .leaks import find_key_material
from .results import results


@dataclass(frozen=True)
class FeedbackReport:
    assessment: str
    released: tuple[str, ...]  # trainees whose feedback is now in the exchange
    pending_manual: tuple[str, ...]  # skipped: open answers not graded by hand yet


def feedback(course: Course, assessment: str, *, include_pending: bool = False) -> FeedbackReport:
    check_assessment(assessment)
    graded = results(course, assessment)
    if not graded:
        raise UserError(f"no graded submissions of {assessment!r} yet (run `crmtrain grade` first)")
    pending = tuple(r.trainee for r in graded if r.needs_manual_grade)
    send = [r.trainee for r in graded if include_pending or not r.needs_manual_grade]
    if not send:
        raise UserError(
            f"every graded submission of {assessment!r} still has open answers to grade by hand "
            "(in nbgrader's formgrader); no feedback was released",
            [f"waiting: {', '.join(pending)}"],
        )
    api = course.api()
    for trainee in send:
        result = api.generate_feedback(assessment, trainee, force=True)
        if not result["success"]:
            raise nbgrader_failure(f"generating feedback for {trainee}", result)
    leaks = find_key_material(course, assessment, [course.feedback_dir(t, assessment) for t in send])
    if leaks:
        raise UserError(f"the feedback for {assessment!r} contains answer-key material; nothing was released", leaks)
    from nbgrader.utils import capture_log, temp_attrs

    for trainee in send:
        # Not api.release_feedback(): nbgrader 0.9 passes it a misspelt keyword
        # ("authentictor") that traitlets warns about and will one day reject.
        with temp_attrs(api.coursedir, assignment_id=assessment, student_id=trainee):
            app = api.exchange.ReleaseFeedback(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
            result = capture_log(app)
        if not result["success"]:
            raise nbgrader_failure(f"releasing feedback to {trainee}", result)
    return FeedbackReport(assessment, tuple(send), pending if not include_pending else ())
