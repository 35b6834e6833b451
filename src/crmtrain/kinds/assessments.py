"""Assessment kinds: one frozen :class:`AssessmentKind` record each, in the order they are taken.

The regulation's ``assessments:`` section has one entry per kind it declares
(:data:`ASSESSMENTS`); each becomes an nbgrader assignment of the same name, with its own
column group in the reports. Assessments are drawn in this order and a later one never
repeats a question of an earlier one; the reports' "change" and retention compare the first
(:data:`FIRST`) with the last (:data:`LAST`).

A kind the regulation does not declare (``in_regulation=False``: the re-test on a new
version) is written into the course by another command, for some trainees only, and is
then released, collected, graded and reported like the others: :data:`COURSE_ASSESSMENTS`
lists every kind a course can hold.

Adding an assessment kind means one :class:`AssessmentKind` entry below, its entry in the
sample regulations and the format docs, and its tests; every list of assessments (the
regulation model, the CLI's choices, the course, the reports) derives from
:data:`ASSESSMENTS` or :data:`COURSE_ASSESSMENTS`.

Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class AssessmentKind:
    """Everything crmtrain knows about one assessment kind."""

    name: str  # the key under ``assessments:``, the nbgrader assignment and its folder
    label: str  # msgid: how specialists' reports and messages name it ("follow-up")
    when: str  # msgid: when trainees take it, for the summary workbook
    colour: str  # of its marks in the report charts
    # Whether its feedback shows the correct answers unless the regulation says otherwise
    # (``show_answers``): not after the initial, whose items come back in the follow-up.
    shows_answers: bool = True
    # Declared in the regulation's ``assessments:`` section and built for everybody by
    # ``crmtrain build``; otherwise written into the course by the command ``made_by``,
    # together with the trainees it is for.
    in_regulation: bool = True
    made_by: str = "crmtrain build"


_KINDS = (
    AssessmentKind("initial", N_("initial"), N_("right after the CRM rollout"), "#4c72b0", shows_answers=False),
    AssessmentKind("followup", N_("follow-up"), N_("after some time has passed, to check what stuck"), "#dd8452"),
    AssessmentKind("retest", N_("re-test"), N_("after a new version of the regulation, on what changed"), "#55a868",
                   in_regulation=False, made_by="crmtrain diff OLD NEW --course DIR"),
)

ASSESSMENT_KINDS: dict[str, AssessmentKind] = {k.name: k for k in _KINDS}
# Every kind a course can release, grade and report; the regulation's own, in the order taken.
COURSE_ASSESSMENTS: tuple[str, ...] = tuple(ASSESSMENT_KINDS)
ASSESSMENTS: tuple[str, ...] = tuple(k.name for k in _KINDS if k.in_regulation)
FIRST, LAST = ASSESSMENTS[0], ASSESSMENTS[-1]


def earlier(name: str) -> tuple[str, ...]:
    """The assessments taken before ``name`` (whose questions it must not ask again)."""
    return ASSESSMENTS[: ASSESSMENTS.index(name)]


def described(values: str = "'{}'", names: tuple[str, ...] = ASSESSMENTS) -> str:
    """The assessment names as a phrase: "'initial' or 'followup'"."""
    shown = [values.format(a) for a in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
