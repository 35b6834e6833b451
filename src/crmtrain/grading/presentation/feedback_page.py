"""The feedback page a trainee opens: their answers, points and what to re-read, and no code.

nbgrader's feedback is the autograded notebook through nbconvert's HTML template: code cells
(``test.item({...})``), grade-cell banners with ids, ``In [ ]:`` prompts, and a page that
loads Mermaid and MathJax from the internet. This page is written from the same autograded
notebook, but only from what a trainee should read, in the regulation's language:

* the assessment's title and the trainee's total, with the pass mark;
* per question: the question, the answer with its verdict (the static HTML
  :mod:`.shown` wrote while grading), the correct answer only where the assessment shows
  answers, the points, the specialist's comment, the explanation, and the regulation items to
  re-read, each a link into its workbook section;
* how to reach the responsible specialist, once, at the end.

Nothing here runs or shows a cell's source, and the page is self-contained (inline CSS, no
script, no external address). Links carry the workbook and section as ``data-`` attributes;
crmtrain's JupyterLab extension opens them in the workbook itself.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...i18n import translation
from .shown import KEY, MARK, NOTE

STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
       max-width: 860px; margin: 0 auto; padding: 24px 20px 48px; background: #fff; }
h1 { font-size: 1.7em; margin: 0 0 .4em; }
.total { font-size: 1.15em; padding: 12px 16px; border-radius: 6px; background: #f3f6fa; }
.total.passed { background: #e9f6ec; } .total.failed { background: #fdf0ef; }
section.question { border-top: 1px solid #d8dee4; padding: 16px 0 8px; }
section.question h3 { font-size: 1.1em; margin: 0 0 .5em; }
.points { font-weight: 600; }
.crmtrain-right { color: #1a7f37; } .crmtrain-wrong { color: #b42318; }
blockquote { margin: .5em 0; padding: 6px 12px; border-left: 4px solid #d8dee4; background: #f6f8fa; }
.comment { padding: 8px 12px; border-left: 4px solid #8250df; background: #f6f2ff; }
.contact { margin-top: 2em; padding: 12px 16px; border-radius: 6px; background: #f3f6fa; }
table { border-collapse: collapse; } td, th { border: 1px solid #d8dee4; padding: 4px 8px; }
"""


@dataclass(frozen=True)
class Question:
    """What the page says about one item of one trainee's submission."""

    item: str  # the item's cell id (a slot's own id for a slot)
    asked: str  # the question the trainee was asked there (a draw's drawn question); keys the notes
    points: float
    score: float | None  # None while it waits for grading by hand
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sitting:
    """One trainee's graded sitting: per-item facts and the total."""

    questions: Mapping[str, Question]
    score: float
    max_score: float
    notes: Mapping[str, Any] = field(default_factory=dict)


def render(nb: Mapping[str, Any], sitting: Sitting) -> str:
    """The feedback page of one autograded notebook (nbformat 4 as a dict), as HTML text."""
    meta = nb.get("metadata", {}).get("crmtrain", {})
    lang = sitting.notes.get("lang") or meta.get("lang") or "en"
    _ = translation(lang).gettext
    title, body = "", []
    groups = _groups(nb.get("cells", ()))
    for key, cells in groups:
        if key is None:
            title = title or _title(cells)
            continue
        q = sitting.questions.get(key)
        if q is not None:
            body.append(_question(cells, q, sitting.notes, _))
    mark = meta.get("pass_mark")
    share = 100 * sitting.score / sitting.max_score if sitting.max_score else 0.0
    total = _("Your result: {score} of {max} points ({share}%).").format(
        score=_num(sitting.score), max=_num(sitting.max_score), share=round(share))
    state = ""
    if isinstance(mark, (int, float)):
        passed = share >= mark
        total += " " + (_("Passed: the pass mark is {mark}%.") if passed
                        else _("Not passed: the pass mark is {mark}%.")).format(mark=mark)
        state = " passed" if passed else " failed"
    contact = sitting.notes.get("contact")
    tail = (f'<p class="contact">{html.escape(_("Questions about your result: {contact}.").format(contact=contact))}</p>'
            if contact else "")
    page_title = html.escape(title or _("Your feedback"))
    return ("<!DOCTYPE html>\n"
            f'<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{page_title}</title><style>{STYLE}</style></head><body>"
            f"<h1>{page_title}</h1>"
            f'<p class="total{state}">{html.escape(total)}</p>'
            + "".join(body) + tail + "</body></html>\n")


def _groups(cells) -> list[tuple[str | None, list[dict]]]:
    """Consecutive cells by item (None for the cells around the questions)."""
    out: list[tuple[str | None, list[dict]]] = []
    for cell in cells:
        key = (cell.get("metadata", {}).get("crmtrain") or {}).get("item")
        if out and out[-1][0] == key:
            out[-1][1].append(cell)
        else:
            out.append((key, [cell]))
    return out


def _title(cells: list[dict]) -> str:
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in _text(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _question(cells: list[dict], q: Question, notes: Mapping[str, Any], _) -> str:
    show_key = bool(notes.get("show_answers"))
    # Graded before shown.py flagged its notes: the note is the output opening with its heading.
    legacy = tuple(f"<p><strong>{html.escape(_(h))}</strong>" for h in ("Explanation:", "Re-read in the regulation:"))
    parts = []
    for cell in cells:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "markdown" and str(nbg.get("grade_id", "")).endswith("-question"):
            parts.append(markdown(_text(cell.get("source", ""))))
        elif cell.get("cell_type") == "code" and str(nbg.get("grade_id", "")).endswith("-answer"):
            for out in cell.get("outputs", ()):
                flags = out.get("metadata", {})
                data = out.get("data", {})
                if (flags.get(NOTE) or not (flags.get(MARK) or (show_key and flags.get(KEY)))
                        or _text(data.get("text/html", "")).startswith(legacy)):
                    continue  # widgets, the note (written below, with links) and a hidden key
                if "text/html" in data:
                    parts.append(_text(data["text/html"]))  # shown.py's own HTML, the answer escaped
                elif "text/markdown" in data:
                    parts.append(markdown(_text(data["text/markdown"])))
    if q.score is None:
        points = _("Points: not graded yet.")
    else:
        points = _("Points: {score} of {max}.").format(score=_num(q.score), max=_num(q.points))
    parts.append(f'<p class="points">{html.escape(points)}</p>')
    for comment in q.comments:
        parts.append(f'<div class="comment"><p><strong>{html.escape(_("Comment of the responsible specialist:"))}'
                     f'</strong></p><p style="white-space: pre-wrap">{html.escape(comment)}</p></div>')
    parts.append(_note((notes.get("items") or {}).get(q.asked) or {}, _))
    return f'<section class="question" id="q-{html.escape(q.item)}">{"".join(parts)}</section>'


def _note(note: Mapping[str, Any], _) -> str:
    esc, out = html.escape, []
    if note.get("explanation"):
        out.append(f"<p><strong>{esc(_('Explanation:'))}</strong></p>"
                   f'<p style="white-space: pre-wrap">{esc(str(note["explanation"]).strip())}</p>')
    rows = []
    for ref in note.get("refs") or ():
        title, book = str(ref.get("title", "")), str(ref.get("workbook", ""))
        section, part = str(ref.get("section") or title), str(ref.get("part") or "")
        link = (f'<a href="{esc(book)}#{esc(section.replace(" ", "-"))}" data-crmtrain-workbook="{esc(book)}" '
                f'data-crmtrain-section="{esc(section)}">{esc(title)}</a>')
        rows.append(f"<li>{link}" + (" — " + esc(_("in the workbook “{part}”").format(part=part)) if part else "")
                    + "</li>")
    if rows:
        out.append(f"<p><strong>{esc(_('Re-read in the regulation:'))}</strong></p><ul>{''.join(rows)}</ul>")
    return "".join(out)


def markdown(text: str) -> str:
    """Markdown from the regulation as HTML; raw HTML in it is escaped, never passed through."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _num(x: float) -> str:
    return f"{x:g}"


def write(autograded: Path, out: Path, sitting: Sitting) -> Path:
    """Render the autograded notebook ``autograded`` to ``out`` (an .html file) and return it."""
    nb = json.loads(autograded.read_text(encoding="utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(nb, sitting), encoding="utf-8")
    return out
