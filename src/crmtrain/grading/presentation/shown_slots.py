"""What a graded notebook shows under a per-trainee slot: *that trainee's* question or case.

A slot's answer cell shows whoever runs it their own draw or case, so the static view written
while grading (:class:`~crmtrain.grading.plugins.ShowAnswers`) must show the one the trainee
nbgrader filed the submission under got — derived again from that trusted id, exactly as the
hidden test derives it, never from anything in the trainee's files:

* a draw slot: the drawn question's text and options, the trainee's answer marked right or
  wrong against that question's key (from the slot's hidden test), as for any question;
* a case slot: the case, regenerated with :mod:`crmtrain.rules.cases` from the slot's seed
  and shown with the drill kind's own rendering; the trainee's answer in words and the
  verdict of the rule engine; the correct answer with the engine's reason (marked
  :data:`~crmtrain.grading.presentation.shown.KEY`, so the trainee's feedback drops it where
  ``show_answers`` hides the answers; the specialist always sees it).

When answers.json's ``"shown"`` record names another question or case than the trainee's own,
the view says so: grading went by the trainee's own, the record is only evidence.
"""

from __future__ import annotations

import html
from typing import Any

from ...i18n import translation
from ...kinds.slots import CASE, DRAW, slot_kind
from ...rules import cases, variants
from . import shown as base


def slot_outputs(crm: dict, spec: dict, check: tuple | None, answer: Any, *, course: str, assessment: str,
                 trainee: str, lang: str = "en", notes: dict | None = None, contact: str = "",
                 shown: dict | None = None, words: dict | None = None) -> list[dict]:
    """The outputs under a slot's answer cell (``crm``: its crmtrain metadata) for ``trainee``.

    ``check`` is the slot's hidden test as data, ``(function, args, kwargs)`` (see
    :func:`crmtrain.grading.scoring.checks.parse_check`), or None.
    """
    course = str(crm.get("course") or course)  # the seed's course is the one the notebook was built with
    if slot_kind(crm.get("slot")) is DRAW:
        return draw_outputs(spec, course, assessment, trainee, answer, check, lang=lang, notes=notes,
                            contact=contact, shown=shown)
    if check and check[0] == "check_case" and len(check[1]) >= 3:  # the hidden test's spec: it is what is graded
        spec = {**spec, "kind": check[1][1], "spec": check[1][2], "start": check[2].get("start", spec.get("start"))}
    return case_outputs(spec, course, assessment, trainee, answer, lang=lang, note=(notes or {}).get(crm.get("item")),
                        contact=contact, shown=shown, words=words)


def drawn(spec: dict, course: str, assessment: str, trainee: str) -> dict:
    """The candidate of a draw slot's answer-cell spec that ``trainee`` got (rules.variants)."""
    cands = spec["candidates"]
    return cands[variants.draw_index(len(cands), course, assessment, trainee, spec["id"])]


def draw_outputs(spec: dict, course: str, assessment: str, trainee: str, answer: Any, check: tuple | None, *,
                 lang: str = "en", notes: dict | None = None, contact: str = "", shown: dict | None = None) -> list[dict]:
    """The outputs under a draw slot: the drawn question, then the answer as :func:`shown.answer_outputs` shows it."""
    _ = translation(lang).gettext
    q = drawn(spec, course, assessment, trainee)
    key, tolerance = None, 0.0
    given = () if not check else check[2].get("candidates", check[1][1] if len(check[1]) > 1 else ())
    for qid, _qtype, qkey, kwargs in given:
        if qid == q["id"]:
            key, tolerance = qkey, float((kwargs or {}).get("tolerance", 0.0))
    outputs = [{"output_type": "display_data", "metadata": {base.MARK: True},
                "data": {"text/markdown": str(q.get("text", "")), "text/plain": str(q.get("text", ""))}}]
    outputs += base.answer_outputs(q, answer, key, tolerance=tolerance, lang=lang,
                                   note=(notes or {}).get(q["id"]), contact=contact)
    other = (shown or {}).get("question")
    if other is not None and other != q["id"]:
        outputs.append(base.output(f"<p><em>{html.escape(_record_differs(_))}</em></p>", _record_differs(_)))
    return outputs


def regenerate(spec: dict, course: str, assessment: str, trainee: str) -> dict:
    """The case ``trainee`` was shown in a case slot (answer-cell spec: id, kind, spec, start)."""
    return cases.trainee_case(spec["kind"], spec["spec"], spec["start"], course=course, assessment=assessment,
                              trainee=trainee, slot=spec["id"])


def case_outputs(spec: dict, course: str, assessment: str, trainee: str, answer: Any, *, lang: str = "en",
                 note: dict | None = None, contact: str = "", shown: dict | None = None,
                 words: dict | None = None) -> list[dict]:
    """The outputs under a case slot: the trainee's case, their answer and verdict, the key and the reason
    (``words``: the regulation's own words for lead, client, deal, task, as its notes keep them)."""
    from ...runtime.drills import DRILLS  # ipywidgets: only a course with case slots pays for it

    tr = translation(lang, words if isinstance(words, dict) else None)
    _ = tr.gettext
    esc = html.escape
    kind = spec["kind"]
    try:
        case = regenerate(spec, course, assessment, trainee)
        view = DRILLS[kind](spec["spec"], tr, lang, case=case, controls=False)
    except (KeyError, TypeError, ValueError, StopIteration) as exc:
        text = _("This question can't be shown ({problem}). Please tell the responsible specialist.").format(problem=exc)
        return [base.output(f"<p><strong>{esc(text)}</strong></p>", text)]
    blank = answer is None or answer == "" or answer == []
    right = not blank and cases.grade_case(kind, spec["spec"], case, answer)
    parts = [view.render_case()]
    if blank:
        parts.append(f"<p><strong>{esc(_('Not answered.'))}</strong></p>")
    else:
        parts.append(f"<p><strong>{esc(_('Your answer:'))}</strong> {esc(_words(view, kind, answer, _))}</p>")
        verdict = _("The answer is right.") if right else _("The answer is wrong.")
        parts.append(f'<p class="{"crmtrain-right" if right else "crmtrain-wrong"}"><strong>'
                     f'{"✔" if right else "✘"} {esc(verdict)}</strong></p>')
    if shown and shown.get(CASE.shown) is not None and shown[CASE.shown] != case:
        parts.append(f"<p><em>{esc(_record_differs(_))}</em></p>")
    plain = _("Not answered.") if blank else _words(view, kind, answer, _)
    outputs = [base.output("".join(parts), plain)]
    key = view.key()
    if key is not None:  # the answer and the engine's reason: hidden from the trainee where show_answers says so
        outputs.append(base.output(f"<p><strong>{esc(_('Correct answer:'))}</strong> {esc(_words(view, kind, key, _))}"
                                   f"</p><p>{esc(view.explain())}</p>", "", base.KEY))
    return outputs + base.note_outputs(note, "" if right else contact, lang)


def _record_differs(_) -> str:
    """Said when the trainee's files name another question or case than the one grading regenerated."""
    return _("answers.json records another question or case than this trainee's own; this trainee's own was graded.")


def _words(view, kind: str, value: Any, _) -> str:
    """An answer of a case in the words its inputs showed (a value they do not offer as it is)."""
    labels = {fid: box.description for fid, box in getattr(view, "fields", {}).items()}
    labels.update({v: label for label, v in getattr(getattr(view, "radio", None), "options", ())})
    return cases.describe(kind, value, labels, _)
