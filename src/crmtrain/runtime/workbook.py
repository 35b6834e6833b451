"""The object a workbook's setup cell creates: progress file, quizzes and the live score."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import ipywidgets as widgets
from IPython.display import display

from ..i18n import translation
from .quiz import Quiz, QuizSpecError
from .store import JsonStore
from .ui import box, esc, plain_text

PROGRESS_FORMAT = 1


@dataclass(frozen=True)
class Tally:
    """Where the trainee stands: counts, and (question id, section title) pairs to review."""

    correct: int
    answered: int
    total: int
    review: tuple[tuple[str, str], ...]


class Workbook:
    """One training workbook; ``wb.quiz({...})`` per question cell, ``wb.score()`` at the end."""

    def __init__(
        self,
        name: str,
        lang: str = "en",
        questions: Sequence[str] = (),
        *,
        seed: str | None = None,
        folder: str | os.PathLike | None = None,
        words: dict | None = None,
    ) -> None:
        if not name or any(c in name for c in "/\\"):
            raise ValueError(f"a workbook name is a plain file name, not {name!r}")
        self.name, self.lang = name, lang
        self.tr = translation(lang, words)  # words: the company's own words for lead, client, deal, task
        self.seed = name if seed is None else str(seed)
        self.questions: list[str] = list(dict.fromkeys(questions))
        self.quizzes: dict[str, Quiz] = {}
        self.drills: list[Any] = []
        self.store = JsonStore(Path(folder if folder is not None else os.getcwd()) / f".{name}.progress.json")
        self.progress: dict[str, dict[str, Any]] = self._load()
        self.save_error: OSError | None = None
        self._scores: list[widgets.HTML] = []
        self.notice = widgets.HTML(self._notice_html())
        self.notice.add_class("crmtrain-notice")
        display(self.notice)

    def _load(self) -> dict[str, dict[str, Any]]:
        entries = self.store.load().get("questions")
        if not isinstance(entries, dict):
            return {}
        return {qid: e for qid, e in entries.items() if isinstance(e, dict)}

    def _notice_html(self) -> str:
        tr = self.tr
        html = box("info", esc(tr.gettext("Your answers are saved automatically in this folder.")))
        restored = sum(1 for e in self.progress.values() if "response" in e)
        if restored:
            text = tr.ngettext(
                "Welcome back! Your answer to {n} question was restored.",
                "Welcome back! Your answers to {n} questions were restored.",
                restored,
            )
            html += box("ok", esc(text.format(n=restored)))
        if self.store.recovered is not None:
            text = tr.gettext(
                "Your saved progress could not be read, so this workbook starts fresh. "
                "The old file was kept as {name}."
            )
            html += box("warn", esc(text.format(name=self.store.recovered.name)))
        return html

    def quiz(self, spec: dict) -> None:
        """Show one practice question (one call per quiz cell, with the builder's literal dict)."""
        try:
            quiz = Quiz(self, spec)
        except QuizSpecError as exc:
            text = self.tr.gettext(
                "This question can't be shown ({problem}). Please tell the responsible specialist."
            )
            display(widgets.HTML(box("warn", esc(text.format(problem=exc)))))
            return
        self.quizzes[quiz.id] = quiz
        if quiz.id not in self.questions:
            self.questions.append(quiz.id)
            self._refresh_scores()
        display(quiz.widget)

    def drill(self, kind: str, spec: dict) -> None:
        """Show an interactive drill of ``kind`` (a name in ``kinds.drills``)."""
        from .drills import DRILLS

        if kind not in DRILLS:
            text = self.tr.gettext("This exercise isn't available in this version yet.")
            display(widgets.HTML(box("info", esc(text))))
            return
        # Seeded per notebook, kind and cell, so a rerun replays the same cases.
        rng = random.Random(f"{self.seed}\x1fdrill\x1f{kind}\x1f{len(self.drills)}")
        drill = DRILLS[kind](spec, self.tr, self.lang, rng, on_result=lambda correct: self._drill_result(kind, correct))
        self.drills.append(drill)
        display(drill.widget)

    def _drill_result(self, kind: str, correct: bool) -> None:
        # Drills practise; they are tallied for the specialist but never change the score.
        before = self.progress.get(f"drill:{kind}") or {}
        tries, right = (before.get(k) if isinstance(before.get(k), int) else 0 for k in ("tries", "right"))
        self.record(f"drill:{kind}", {"tries": tries + 1, "right": right + bool(correct)})

    def record(self, item_id: str, entry: dict[str, Any]) -> bool:
        """Store an item's state ("response", "correct", ...); False if unsaved. Only ``questions`` score."""
        self.progress[item_id] = entry
        try:
            self.store.save({"format": PROGRESS_FORMAT, "workbook": self.name, "questions": self.progress})
            self.save_error = None
        except OSError as exc:
            # The answer still counts in this session; the quiz shows a gentle notice.
            self.save_error = exc
        self._refresh_scores()
        return self.save_error is None

    def save_problem_text(self) -> str:
        """The trainee-facing words for a failed save."""
        return self.tr.gettext(
            "We couldn't save your progress just now. Your answers still count in this session; "
            "if this keeps happening, please tell the responsible specialist."
        )

    def tally(self) -> Tally:
        """Count correct and answered questions; list the wrong ones with their regulation section."""
        correct = answered = 0
        review = []
        for qid in self.questions:
            entry = self.progress.get(qid)
            if not entry or "correct" not in entry:
                continue
            answered += 1
            if entry.get("correct"):
                correct += 1
            else:
                refs = entry.get("refs")
                first = refs[0] if isinstance(refs, list) and refs else None
                title = first.get("title") if isinstance(first, dict) else None
                review.append((qid, str(title or qid)))
        return Tally(correct, answered, len(self.questions), tuple(review))

    def score_html(self) -> str:
        """The score line as HTML, e.g. "7 of 9 correct — review: Interface, Access"."""
        tr, t = self.tr, self.tally()
        head = tr.gettext("{correct} of {total} correct").format(correct=t.correct, total=t.total)
        text = f"<b>{esc(head)}</b>"
        left = t.total - t.answered
        if left:
            more = tr.ngettext("{n} question still to answer", "{n} questions still to answer", left)
            text += " · " + esc(more.format(n=left))
        if t.review:
            items = ", ".join(dict.fromkeys(title for _qid, title in t.review))
            text += " — " + esc(tr.gettext("review: {items}").format(items=items))
        elif not left and t.total:
            text += " — " + esc(tr.gettext("well done!"))
        return box("ok" if t.total and t.correct == t.total else "info", text)

    def score_text(self) -> str:
        """The score line as plain text."""
        return plain_text(self.score_html())

    def score(self) -> None:
        """Show the live score; it updates whenever any question in this workbook is checked."""
        widget = widgets.HTML(self.score_html())
        widget.add_class("crmtrain-score")
        self._scores.append(widget)
        display(widget)

    def _refresh_scores(self) -> None:
        html = self.score_html()
        for widget in self._scores:
            widget.value = html

    def __repr__(self) -> str:
        return f"<Workbook {self.name!r}: {self.score_text()}>"
