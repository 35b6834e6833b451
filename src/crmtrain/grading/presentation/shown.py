"""What a graded notebook shows under each question: the trainee's answer, as static HTML.

Trainees answer with widgets, which nbconvert-based views (the formgrader, the feedback
HTML, the autograded notebook opened anywhere) cannot render. While grading, the
:class:`~crmtrain.grading.plugins.ShowAnswers` step fills each answer cell's outputs with
one ``text/html`` output written here, from the vetted ``answers.json``:

* an open answer as its text (escaped: it is the trainee's, never markup);
* chosen options, numbers, true/false and orders with the option *text*, each marked right
  or wrong against the key of the item's test cell;
* an unanswered item says so;
* under a wrong answer the correct one. The specialist always sees it; the trainee's
  feedback drops it where the assessment's ``show_answers`` setting hides it;
* the explanation, the regulation items to re-read and how to reach the specialist, which
  every trainee sees: the follow-up asks other questions on the same items (parallel forms),
  so explaining the rule gives nothing away while the key of this question stays hidden.

The per-assessment notes (explanations, refs, the setting, the specialist's contact) come
from ``<course>/notes/<assessment>.json``, which ``crmtrain build`` writes beside the
gradebook (never released). Everything the trainee reads is in the regulation's language.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any

from ...i18n import translation
from ...kinds.questions import QUESTION_KINDS, QuestionKind
from ...runtime.check import is_correct

NOTES_DIR = "notes"  # <course>/notes/<assessment>.json
MARK = "crmtrain-answer"  # the output's metadata key, so other steps know it is ours
KEY = "crmtrain-key"  # ... on the output holding the correct answer
NOTE = "crmtrain-note"  # ... and, beside MARK, on the explanation (the feedback page writes its own, with links)


def read_notes(course_root: str, assessment: str) -> dict[str, Any]:
    """The built notes of an assessment; {} when the course has none (built before they existed)."""
    try:
        with open(os.path.join(course_root, NOTES_DIR, f"{assessment}.json"), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _kind(qtype: str) -> QuestionKind | None:
    return QUESTION_KINDS.get(qtype)  # None: a type this crmtrain does not know (an older course?)


def _value(qtype: str, value: Any, spec: dict, _) -> str:
    """One answer value in words, as the question type's record says (an unknown type: as saved)."""
    kind = _kind(qtype)
    return kind.describe(value, spec, _) if kind else str(value)


def _mark(ok: bool | None, _) -> str:
    if ok is None:
        return ""
    return (f' <span class="crmtrain-right">✔ {html.escape(_("right"))}</span>' if ok
            else f' <span class="crmtrain-wrong">✘ {html.escape(_("wrong"))}</span>')


def answer_outputs(spec: dict, answer: Any, key: Any, *, tolerance: float = 0.0, lang: str = "en",
                   note: dict | None = None, contact: str = "") -> list[dict]:
    """The outputs shown under one question. ``key`` is None for items graded by hand.

    Three outputs: the answer with its verdict; the correct answer (marked :data:`KEY`:
    feedback drops it where the assessment hides the answers, the formgrader always shows it
    to the specialist); the explanation, the items to re-read and the contact.
    """
    _ = translation(lang).gettext
    qtype = str(spec.get("type", ""))
    esc = html.escape
    blank = answer is None or answer == "" or answer == []
    right = None if key is None or blank else is_correct(qtype, answer, key, tolerance)
    form = kind.form if (kind := _kind(qtype)) else "value"
    parts = []
    if blank:
        parts.append(f"<p><strong>{esc(_('Not answered.'))}</strong></p>")
    elif form == "text":
        parts.append(f"<p><strong>{esc(_('Your answer:'))}</strong></p>")
        parts.append(f'<blockquote style="white-space: pre-wrap">{esc(str(answer))}</blockquote>')
    elif form in ("set", "sequence") and isinstance(answer, list):
        parts.append(f"<p><strong>{esc(_('Your answer:'))}</strong></p>")
        rows = []
        for i, v in enumerate(answer):
            if not isinstance(key, list):
                ok = None
            elif form == "sequence":
                ok = i < len(key) and key[i] == v
            else:
                ok = v in key
            rows.append(f"<li>{esc(_value(qtype, v, spec, _))}{_mark(ok, _)}</li>")
        tag = "ol" if form == "sequence" else "ul"
        parts.append(f"<{tag}>{''.join(rows)}</{tag}>")
    else:
        parts.append(f"<p><strong>{esc(_('Your answer:'))}</strong> {esc(_value(qtype, answer, spec, _))}</p>")
    if key is None:
        parts.append(f"<p><em>{esc(_('Graded by hand by the responsible specialist.'))}</em></p>")
    elif not blank:
        verdict = _("The answer is right.") if right else _("The answer is wrong.")
        parts.append(f'<p class="{"crmtrain-right" if right else "crmtrain-wrong"}"><strong>'
                     f'{"✔" if right else "✘"} {esc(verdict)}</strong></p>')
    outputs = [output("".join(parts), _plain(qtype, answer, spec, _), MARK)]
    solution = []
    if key is not None and not right:
        shown = key if isinstance(key, list) else [key]
        words = (" → " if form == "sequence" else ", ").join(_value(qtype, k, spec, _) for k in shown)
        solution.append(f"<p><strong>{esc(_('Correct answer:'))}</strong> {esc(words)}</p>")
    if solution:
        outputs.append(output("".join(solution), "", KEY))
    return outputs + note_outputs(note, contact if not right else "", lang)


def note_outputs(note: dict | None, contact: str = "", lang: str = "en") -> list[dict]:
    """The explanation, the regulation items to re-read and (given after a wrong answer) the contact."""
    _ = translation(lang).gettext
    esc = html.escape
    note = note or {}
    more = []
    if note.get("explanation"):
        more.append(f'<p><strong>{esc(_("Explanation:"))}</strong></p>'
                    f'<p style="white-space: pre-wrap">{esc(note["explanation"].strip())}</p>')
    refs = note.get("refs") or []
    if refs:
        rows = []
        for r in refs:
            where = esc(r.get("title", ""))
            if r.get("workbook"):
                where += " — " + esc(_("workbook {name}").format(name=r["workbook"]))
            rows.append(f"<li>{where}</li>")
        more.append(f"<p><strong>{esc(_('Re-read in the regulation:'))}</strong></p><ul>{''.join(rows)}</ul>")
    if contact:
        more.append(f"<p><em>{esc(_('Questions about this item: {contact}.').format(contact=contact))}</em></p>")
    return [output("".join(more), "", MARK, note=True)] if more else []


def _plain(qtype: str, answer: Any, spec: dict, _) -> str:
    if answer is None or answer == "" or answer == []:
        return _("Not answered.")
    if isinstance(answer, list):
        return "; ".join(_value(qtype, v, spec, _) for v in answer)
    return _value(qtype, answer, spec, _)


def output(text_html: str, plain: str, mark: str = MARK, *, note: bool = False) -> dict:
    """A display_data output nbconvert renders as HTML (and text viewers as ``plain``)."""
    return {"output_type": "display_data", "metadata": {mark: True, **({NOTE: True} if note else {})},
            "data": {"text/html": text_html, "text/plain": plain}}
