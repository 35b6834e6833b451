"""Small HTML pieces shared by quizzes, drills and the score: coloured boxes, refs, numbers."""

from __future__ import annotations

import gettext
import html
import re
from typing import Iterable, Mapping

import ipywidgets as widgets

# (text, background, accent); explicit text colours keep boxes readable in dark themes too.
_KINDS = {
    "ok": ("#1b5e20", "#e8f5e9", "#43a047"),
    "retry": ("#5d4037", "#fff8e1", "#ffb300"),
    "info": ("#37474f", "#eceff1", "#90a4ae"),
    "warn": ("#7f3f00", "#fff3e0", "#fb8c00"),
}
MUTED = "color:#6b7280;font-size:0.9em"

# Widget labels default to one clipped line ("…"); option texts are sentences, so let them
# wrap inside quizzes and drills. Both the current and the deprecated ipywidgets class names
# are listed. Quizzes emit this; it applies page-wide, so drills next to them get it too.
STYLE = """<style>
:is(.crmtrain-quiz, .crmtrain-drill) :is(.jupyter-widget-radio-box, .widget-radio-box) label {
  height: auto; line-height: 1.4; white-space: normal; padding: 3px 0; }
:is(.crmtrain-quiz, .crmtrain-drill) :is(.jupyter-widget-checkbox, .widget-checkbox) { height: auto; }
:is(.crmtrain-quiz, .crmtrain-drill) :is(.jupyter-widget-label-basic, .widget-label-basic) {
  white-space: normal; overflow: visible; line-height: 1.4; }
:is(.crmtrain-quiz, .crmtrain-drill) :is(.jupyter-widget-html-content, .widget-html-content) { line-height: 1.5; }
/* A locked answer's tick is greyed out and faint: make the chosen option's text stand out. */
:is(.crmtrain-quiz, .crmtrain-drill) label:has(input:checked) { font-weight: 600; }
</style>"""


def esc(text: object) -> str:
    """HTML-escape plain text."""
    return html.escape(str(text), quote=True)


def plain_text(markup: str) -> str:
    """The visible text of an HTML snippet, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def box(kind: str, inner_html: str) -> str:
    """A coloured feedback box ("ok", "retry", "info" or "warn") around trusted HTML."""
    color, background, accent = _KINDS[kind]
    return (
        f'<div class="crmtrain-{kind}" style="color:{color};background:{background};'
        f'border-left:4px solid {accent};padding:6px 10px;margin:4px 0;border-radius:3px">'
        f"{inner_html}</div>"
    )


def refs_text(refs: Iterable[Mapping[str, str]], tr: gettext.NullTranslations) -> str:
    """Plain "See regulation: Interface; Access" line ("" if there are no refs); ids stay internal."""
    items = list(dict.fromkeys(r.get("title") or r["id"] for r in refs if r.get("id")))
    if not items:
        return ""
    return tr.gettext("See regulation: {refs}").format(refs="; ".join(items))


def format_number(value: float, lang: str) -> str:
    """A number as people write it: no ".0", and a decimal comma in Russian."""
    if float(value).is_integer():
        text = str(int(value))
    else:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "ru" else text


def show(widget: widgets.Widget, visible: bool) -> None:
    """Hide or show a widget without removing it from its box."""
    widget.layout.display = "" if visible else "none"
