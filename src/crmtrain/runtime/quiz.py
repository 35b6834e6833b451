"""One practice question in a workbook: its input, the buttons and kind, instant feedback.

Pedagogy: a wrong answer gets a nudge (for multiple choice, how many ticks are wrong or
missing; for ordering, how many items are out of place) and the regulation section to
re-read, never the answer itself. The explanation comes with a right answer. After two
wrong checks a "Show answer" button appears, so nobody stays stuck.
"""

from __future__ import annotations

import gettext
import random
from typing import Any, Protocol

import ipywidgets as widgets

from ..kinds.questions import PRACTICE_TYPES, QUESTION_KINDS
from . import keys
from .inputs import INPUTS
from .ui import MUTED, STYLE, box, esc, plain_text, refs_text, show

REVEAL_AFTER = 2  # wrong checks before "Show answer" is offered


class QuizSpecError(ValueError):
    """The question dict from the builder is malformed."""


def validate(spec: Any) -> None:
    """Raise QuizSpecError naming the first problem with a question dict."""
    if not isinstance(spec, dict):
        raise QuizSpecError("a question must be a dict")
    qid, qtype = spec.get("id"), spec.get("type")
    if not isinstance(qid, str) or not qid:
        raise QuizSpecError("the question has no 'id'")
    if qtype not in PRACTICE_TYPES:
        raise QuizSpecError(f"{qid}: unknown type {qtype!r}; known: {', '.join(PRACTICE_TYPES)}")
    if not isinstance(spec.get("text_html"), str):
        raise QuizSpecError(f"{qid}: 'text_html' is missing")
    key = spec.get("key")
    if not isinstance(key, dict) or key.get("type") != qtype or key.get("v") != keys.VERSION:
        raise QuizSpecError(f"{qid}: 'key' is missing or is not a sealed {qtype} key")
    if QUESTION_KINDS[qtype].options:
        options = spec.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise QuizSpecError(f"{qid}: a {qtype} question needs at least two 'options'")
        if not all(isinstance(o, dict) and isinstance(o.get("id"), str) and "text" in o for o in options):
            raise QuizSpecError(f"{qid}: every option needs an 'id' and a 'text'")
        if len({o["id"] for o in options}) != len(options):
            raise QuizSpecError(f"{qid}: option ids repeat")
    points = spec.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise QuizSpecError(f"{qid}: 'points' must be a whole number")
    refs = spec.get("refs", [])
    if not isinstance(refs, list) or not all(isinstance(r, dict) and r.get("id") for r in refs):
        raise QuizSpecError(f"{qid}: 'refs' must be a list of {{'id', 'title'}} dicts")


class QuizHost(Protocol):
    """What a quiz needs from the notebook showing it (a :class:`~crmtrain.runtime.Workbook`).

    Declared here, so the quiz does not import the workbook that imports it.
    """

    tr: gettext.NullTranslations
    lang: str
    seed: str
    progress: dict[str, dict[str, Any]]

    def record(self, item_id: str, entry: dict[str, Any]) -> bool: ...

    def save_problem_text(self) -> str: ...


class Quiz:
    """A rendered question; drive it with ``input.value = ...`` and the three buttons."""

    def __init__(self, workbook: QuizHost, spec: dict) -> None:
        validate(spec)
        self.workbook, self.spec = workbook, spec
        self.id: str = spec["id"]
        self.type: str = spec["type"]
        self.refs = [{"id": r["id"], "title": r.get("title") or r["id"]} for r in spec.get("refs", [])]
        self.option_ids = [o["id"] for o in spec.get("options", [])]
        tr = self.tr = workbook.tr
        # Seeded by notebook and question, so every rerun shows the options in the same order.
        rng = random.Random(f"{workbook.seed}\x1f{self.id}")
        self.input = INPUTS[self.type](spec, tr, workbook.lang, rng)
        # As wide as their words ("Попробовать ещё раз" is cut at ipywidgets' default width).
        self.check_button = widgets.Button(description=tr.gettext("Check"), button_style="primary", layout=_fit())
        self.retry_button = widgets.Button(description=tr.gettext("Try again"), layout=_fit())
        self.reveal_button = widgets.Button(description=tr.gettext("Show answer"), layout=_fit())
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        self.reveal_button.on_click(lambda _: self.reveal())
        self.feedback = widgets.HTML()
        self.verdict: keys.Verdict | None = None  # the verdict on screen; None while answering
        self.attempts = 0
        self.revealed = False
        self.saved = True
        # No header: question ids are the specialist's, and workbook quizzes count questions, not points.
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE + spec["text_html"]),
                self.input.widget,
                widgets.HBox([self.check_button, self.retry_button, self.reveal_button]),
                self.feedback,
            ],
            layout=widgets.Layout(margin="0 0 12px 0"),
        )
        # Stable CSS classes for the browser suite (and the stylesheet above).
        self.widget.add_class("crmtrain-quiz")
        for widget, name in ((self.check_button, "check"), (self.retry_button, "retry"),
                             (self.reveal_button, "reveal"), (self.feedback, "feedback")):
            widget.add_class(f"crmtrain-{name}")
        self._restore(workbook.progress.get(self.id))
        self._refresh()

    def check(self) -> keys.Verdict | None:
        """Check the current response, save it and show feedback (None if it can't be checked yet)."""
        problem = self.input.problem()
        if problem:
            self.feedback.value = box("info", esc(problem))
            return None
        self.verdict = keys.verify(self.spec["key"], self.id, self.type, self.input.value)
        self.attempts += 1
        self._save()
        self._refresh()
        return self.verdict

    def retry(self) -> None:
        """Clear the feedback and unlock the input for another go."""
        self.verdict = None
        self._refresh()

    def reveal(self) -> Any:
        """Show the answer and the explanation (offered after two wrong checks); return the answer."""
        answer = keys.reveal(self.spec["key"], self.id, self.type, self.option_ids)
        self.revealed = True
        self._save()
        self._refresh()
        return answer

    @property
    def feedback_text(self) -> str:
        """The feedback as plain text, for tests and logs."""
        return plain_text(self.feedback.value)

    def _save(self) -> None:
        entry = {
            "response": self.input.value,
            "correct": bool(self.verdict and self.verdict.correct),
            "attempts": self.attempts,
            "revealed": self.revealed,
            "refs": self.refs,
        }
        self.saved = self.workbook.record(self.id, entry)

    def _restore(self, entry: Any) -> None:
        if not isinstance(entry, dict) or "response" not in entry:
            return
        self.input.value = entry["response"]
        attempts = entry.get("attempts")
        self.attempts = attempts if isinstance(attempts, int) and attempts > 0 else 0
        self.revealed = bool(entry.get("revealed"))
        if self.attempts and self.input.problem() is None:
            try:
                # Re-checked rather than trusted: the key may have changed in a newer build.
                self.verdict = keys.verify(self.spec["key"], self.id, self.type, self.input.value)
            except ValueError:
                self.verdict = None

    def _refresh(self) -> None:
        """Make buttons, lock state and feedback match the current verdict."""
        verdict = self.verdict
        checked = verdict is not None
        self.input.set_enabled(not checked)
        show(self.check_button, not checked)
        show(self.retry_button, checked)
        stuck = checked and not verdict.correct and self.attempts >= REVEAL_AFTER
        show(self.reveal_button, stuck and not self.revealed)
        self.feedback.value = self._feedback_html() if checked else ""

    def _feedback_html(self) -> str:
        tr, verdict = self.tr, self.verdict
        refs = refs_text(self.refs, tr)
        refs_html = f'<div style="{MUTED}">{esc(refs)}</div>' if refs else ""
        explanation = self.spec.get("explanation_html") or ""
        if verdict.correct:
            html = box("ok", f"<b>✓ {esc(tr.gettext('Correct!'))}</b>{explanation}{refs_html}")
        else:
            nudge = self.input.hint(verdict)
            html = box("retry", f"<b>✗ {esc(tr.gettext('Not quite.'))}</b> {esc(nudge)}{refs_html}")
            if self.revealed:
                answer = keys.reveal(self.spec["key"], self.id, self.type, self.option_ids)
                shown = self.input.describe(answer) if answer is not None else ""
                html += box("info", f"<b>{esc(tr.gettext('The answer:'))}</b> {shown}{explanation}")
        if not self.saved:
            html += box("warn", esc(self.workbook.save_problem_text()))
        return html


def _fit() -> widgets.Layout:
    """A button's layout as wide as its label, in any language."""
    return widgets.Layout(width="auto", min_width="8em")
