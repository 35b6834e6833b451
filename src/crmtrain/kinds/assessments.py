"""Assessment kinds: one frozen :class:`AssessmentKind` record each, in the order they are taken.

The regulation's ``assessments:`` section has one entry per kind; each becomes an nbgrader
assignment of the same name, with its own column group in the reports. Assessments are
drawn in this order and a later one never repeats a question of an earlier one; the
reports' "change" and retention compare the first (:data:`FIRST`) with the last
(:data:`LAST`).

Adding an assessment kind means one :class:`AssessmentKind` entry below, its entry in the
sample regulations and the format docs, and its tests; every list of assessments (the
regulation model, the CLI's choices, the course, the reports) derives from
:data:`ASSESSMENTS`.

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


_KINDS = (
    AssessmentKind("initial", N_("initial"), N_("right after the CRM rollout"), "#4c72b0", shows_answers=False),
    AssessmentKind("followup", N_("follow-up"), N_("after some time has passed, to check what stuck"), "#dd8452"),
)

ASSESSMENT_KINDS: dict[str, AssessmentKind] = {k.name: k for k in _KINDS}
ASSESSMENTS: tuple[str, ...] = tuple(ASSESSMENT_KINDS)  # in the order they are taken
FIRST, LAST = ASSESSMENTS[0], ASSESSMENTS[-1]


def earlier(name: str) -> tuple[str, ...]:
    """The assessments taken before ``name`` (whose questions it must not ask again)."""
    return ASSESSMENTS[: ASSESSMENTS.index(name)]


def described(values: str = "'{}'") -> str:
    """The assessment names as a phrase: "'initial' or 'followup'"."""
    shown = [values.format(a) for a in ASSESSMENTS]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
