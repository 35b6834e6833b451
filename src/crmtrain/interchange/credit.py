"""Partial credit across the formats: which questions get it, and how Moodle's scoring says it.

crmtrain's rule (docs/measurement.md): multiple choice earns (right ticked − wrong ticked) ÷
right options, never below 0; ordering earns the share of pairs in the right relative order.

* Moodle's multi-answer question adds the fractions of the ticked options and keeps the sum
  within 0..100 %. Each right option +100/k % and each wrong one −100/k % is exactly
  crmtrain's partial credit. Core Moodle has no all-or-nothing multi-answer question: then
  each wrong option is −100 %, so any wrong tick scores 0 as in crmtrain, and only ticking
  part of the right options and nothing wrong still earns their share (reported on export).
* Moodle's ordering grading ``RELATIVE_ALL_PREVIOUS_AND_NEXT`` counts, for every item, the
  items before and after it that also stand before and after it in the right order: twice
  the pairs in the right order over twice all pairs, which is crmtrain's share exactly.
* Where the weights cannot tell the two apart (one right option, where both rules give the
  same points; every option right, where the weights are the same), and to keep an explicit
  ``partial_credit: false``, the setting also travels as the tag ``crmtrain-partial:true|false``.
"""

from __future__ import annotations

from ..i18n import _
from ..regulation.models import Question, Regulation
from .common import Note, Result

TAG_KEY = "partial"
PAIRS = "RELATIVE_ALL_PREVIOUS_AND_NEXT"  # Moodle's ordering grading type equal to crmtrain's
ALL_OR_NOTHING = "ALL_OR_NOTHING"
# Moodle XML stores 7 decimals (33.33333 for 100/3): weights this close are the same weight.
_CLOSE = 1e-4


def effective(reg: Regulation) -> tuple[list[Question], list[Note]]:
    """The bank with each question's partial credit as the assessments asking it give it, and notes."""
    from ..kinds.assessments import ASSESSMENTS
    from ..regulation.selection import select

    sel = select(reg)
    # A slot's questions are its assessment's too, whichever a trainee draws.
    asked = {a: {q.id for q in qs} | {q.id for p in sel.slots[a] for q in p.questions} for a, qs in sel.questions.items()}
    out, notes = [], []
    for q in reg.questions:
        if q.partial_credit is not None or q.kind.credit is None:
            out.append(q)
            continue
        # A question in a pool an assessment draws from is that assessment's, drawn this time or not.
        settings = {a: getattr(reg.assessments, a).partial_credit for a in ASSESSMENTS
                    if q.id in asked.get(a, ()) or any(d.pool == q.pool and (d.topic is None or d.topic == q.topic)
                                                        for d in getattr(reg.assessments, a).draw)}
        if True in settings.values():
            if False in settings.values():
                split = {v: ", ".join(a for a, s in settings.items() if s is v) for v in (True, False)}
                notes.append(Note(q.id, _("partial credit in {partial} but all or nothing in {whole}; exported with "
                                          "partial credit").format(partial=split[True], whole=split[False])))
            q = q.model_copy(update={"partial_credit": True})
        out.append(q)
    return out, notes


def _tagged(meta: dict[str, list[str]]) -> bool | None:
    value = (meta.get(TAG_KEY) or [""])[0].strip().lower()
    return True if value == "true" else False if value == "false" else None


def choice_weights(q: Question) -> dict[str, float]:
    """Moodle's fraction, in percent, of each option of a multiple-choice question."""
    right = set(q.answer or ())
    k = max(1, len(right))
    wrong = -100 / k if q.partial() else -100.0
    return {o.id: 100 / k if o.id in right else wrong for o in q.options}


def all_or_nothing_note(q: Question) -> str | None:
    """What Moodle scores differently for an all-or-nothing multiple-choice question, if anything."""
    if q.partial() or len(set(q.answer or ())) < 2:
        return None  # partial credit is exact; with one right option both rules give the same points
    return _("Moodle scores multiple choice with partial credit: a wrong option costs all the points, as in "
             "crmtrain, but some of the right options and nothing wrong earn their share, where crmtrain "
             "gives the points only for exactly the right options")


def read_choice(ids: list[str], weights: list[float], meta: dict[str, list[str]], qid: str,
                res: Result) -> tuple[tuple[str, ...], bool | None]:
    """The right options and the ``partial_credit`` that a multi-answer question's Moodle weights say."""
    right = tuple(i for i, w in zip(ids, weights) if w > 0)
    wrong = [w for w in weights if w <= 0]
    k = len(right)
    tagged = _tagged(meta)
    if not k:
        return right, None  # the regulation's checks report the missing answer
    even = all(abs(w - 100 / k) < _CLOSE for w in weights if w > 0)
    if even and not wrong:
        return right, tagged  # every option is right: the weights cannot tell the rules apart
    if even and all(abs(w + 100 / k) < _CLOSE for w in wrong):
        return right, True if k > 1 else tagged  # one right option: both rules give the same points
    if even and all(abs(w + 100) < _CLOSE for w in wrong):
        return right, False if tagged is False else None
    shown = ", ".join(f"{w:+g} %" for w in weights)
    res.note(qid, _("Moodle weights ({weights}) are not crmtrain's rule; imported with partial credit, "
                    "(right − wrong ticked) ÷ right options: check the points").format(weights=shown))
    return right, True


def ordering_grading(q: Question) -> str:
    """Moodle's ordering grading type for this question."""
    return PAIRS if q.partial() else ALL_OR_NOTHING


def read_ordering(grading: str | None, meta: dict[str, list[str]], qid: str, res: Result) -> bool | None:
    """The ``partial_credit`` that a Moodle ordering question's grading type says."""
    value = (grading or "").strip().upper()
    if value == ALL_OR_NOTHING:
        return False if _tagged(meta) is False else None
    if value == PAIRS:
        return True
    # Moodle reads a missing or unknown grading type as RELATIVE_NEXT_EXCLUDE_LAST.
    res.note(qid, _("Moodle's ordering grading {grading} counts differently; imported with crmtrain's partial credit, "
                    "the share of pairs in the right order (Moodle's {pairs})").format(
                        grading=value or _("unset (Moodle reads RELATIVE_NEXT_EXCLUDE_LAST)"), pairs=PAIRS))
    return True
