"""The trainee's side of a graded assessment: answer by clicking, every answer saved at once.

nbgrader re-executes the notebook and never sees widget state, so each change is written
atomically to ``answers.json`` beside the notebook; submit carries that file, autograde
copies it, and the hidden test cells read it. Running the notebook again restores every
answer. There is no feedback here: the key is not in the trainee's notebook at all.

``answers.json``::

    {"format": 1, "assessment": "initial", "trainee": "ivanova",
     "answers": {"Q012": "opt-b", "Q013": ["a", "c"], "Q014": 2.5, "Q015": "text...", "deal-rules": "b"},
     "saved_at": {"Q012": "2027-02-01T10:02:11+00:00", ...},
     "shown": {"deal-rules": {"question": "Q031"}}}

Options are shuffled per trainee and question; the saved answer is the option id. A slot
(``test.draw``, ``test.case``) saves under its own id, and ``shown`` records which question or
case the trainee saw; grading never reads ``shown``: it draws again for the trainee nbgrader
filed the submission under (see :mod:`crmtrain.rules.variants`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import random
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import Markdown, display

from ..i18n import translation
from ..kinds.questions import QUESTION_KINDS
from ..kinds.slots import CASE, DRAW
from ..rules import variants
from .check import ANSWERS_FILE
from .inputs import FULL, INPUTS
from .store import JsonStore
from .ui import MUTED, box, esc

FORMAT = 1


def trainee_id() -> str:
    """Who is answering: the JupyterHub user, else the login name (tests may set CRMTRAIN_TRAINEE)."""
    for var in ("CRMTRAIN_TRAINEE", "JUPYTERHUB_USER"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "trainee"


class Assessment:
    """One assessment notebook: ``test.item({...})`` per question, answers in answers.json."""

    def __init__(self, name: str, lang: str = "en", *, course: str = "", trainee: str | None = None,
                 folder: str | os.PathLike | None = None, words: dict | None = None) -> None:
        self.name, self.lang, self.course = name, lang, course  # course: the nbgrader course id (variant seeds)
        self.tr = translation(lang, words)  # words: the company's own words for lead, client, deal, task
        self.trainee = trainee or trainee_id()
        self.store = JsonStore(Path(folder if folder is not None else os.getcwd()) / ANSWERS_FILE)
        data = self.store.load()
        answers, saved_at = data.get("answers"), data.get("saved_at")
        self.answers: dict[str, Any] = dict(answers) if isinstance(answers, dict) else {}
        self.saved_at: dict[str, str] = dict(saved_at) if isinstance(saved_at, dict) else {}
        shown = data.get("shown")
        self.shown: dict[str, Any] = dict(shown) if isinstance(shown, dict) else {}
        self.items: dict[str, AssessmentItem] = {}
        self.save_error: OSError | None = None
        self.notice = widgets.HTML(self._notice())
        display(self.notice)

    def _notice(self) -> str:
        _ = self.tr.gettext
        html = box("info", esc(_("Answer every question by clicking. Each answer is saved the moment you give it; "
                                 "you can close this notebook and come back. When you are done, press Submit next "
                                 "to this assessment in My training, on the left.")))
        if self.answers:
            text = self.tr.ngettext("Welcome back! Your answer to {n} question was restored.",
                                    "Welcome back! Your answers to {n} questions were restored.", len(self.answers))
            html += box("ok", esc(text.format(n=len(self.answers))))
        if self.store.recovered is not None:
            html += box("warn", esc(_("Your saved answers could not be read. The file was kept as {name}; "
                                      "please tell the responsible specialist.").format(name=self.store.recovered.name)))
        return html

    def item(self, spec: dict) -> None:
        """Show one question's input, restored from answers.json, saving on every change."""
        item = AssessmentItem(self, spec)
        self.items[item.id] = item
        display(item.bundle(), raw=True)

    def case(self, spec: dict) -> None:
        """Show this trainee's rule-generated case of a slot, restored and saved like a question."""
        from .cases import case_input

        answer_input = case_input(self, spec)
        if answer_input is not None:
            item = AssessmentItem(self, {"id": spec["id"], "type": CASE.item_type, "options": answer_input.options}, answer_input)
            self.items[item.id] = item
            display(item.bundle(), raw=True)

    def draw(self, spec: dict) -> None:
        """Show this trainee's own question of a slot, one of ``spec["candidates"]``, saved under the slot's id."""
        slot, candidates = spec["id"], spec["candidates"]
        question = candidates[variants.draw_index(len(candidates), self.course, self.name, self.trainee, slot)]
        hint = QUESTION_KINDS[question["type"]].hint
        display(Markdown(question.get("text", "") + (f"\n\n*{self.tr.gettext(hint)}*" if hint else "")))
        self.shown[slot] = {DRAW.shown: question["id"]}
        self.item({**question, "id": slot})

    def save(self, qid: str, value: Any) -> bool:
        """Store one answer atomically; False (and a notice on the item) if the disk refused."""
        if value is None:
            self.answers.pop(qid, None)
            self.saved_at.pop(qid, None)
        else:
            self.answers[qid] = value
            self.saved_at[qid] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            self.store.save({"format": FORMAT, "assessment": self.name, "trainee": self.trainee,
                             "answers": self.answers, "saved_at": self.saved_at,
                             **({"shown": self.shown} if self.shown else {})})
            self.save_error = None
        except OSError as exc:
            self.save_error = exc
        return self.save_error is None


class AssessmentItem:
    """One question of an assessment: its input and a line saying what is saved."""

    def __init__(self, test: Assessment, spec: dict, answer_input: Any = None) -> None:
        self.test, self.spec = test, spec
        self.id, self.type = spec["id"], spec["type"]
        rng = random.Random(f"{test.trainee}\x1f{test.name}\x1f{self.id}")
        # A case slot brings its own input (runtime/cases.py); a question gets its type's.
        self.input = answer_input if answer_input is not None else INPUTS[self.type](spec, test.tr, test.lang, rng)
        if self.id in test.answers:
            self.input.set_value(test.answers[self.id])
        self.status = widgets.HTML(self._status())
        self.input.watch(self.changed)  # after restoring, so restoring does not count as answering
        self.widget = widgets.VBox([self.input.widget, self.status], layout=FULL)
        self.widget.add_class("crmtrain-item")

    def stored(self) -> Any:
        """The response in the form answers.json keeps (None if nothing usable is given)."""
        return self.input.stored()

    def changed(self) -> None:
        """Save the new response at once."""
        if self.input.entered() and self.stored() is None:  # e.g. "abc" typed for a number
            self.status.value = box("info", esc(self.input.problem() or ""))
            return
        self.test.save(self.id, self.stored())
        self.status.value = self._status()

    def _status(self) -> str:
        _ = self.test.tr.gettext
        if self.test.save_error is not None:
            return box("warn", esc(_("This answer could not be saved. Please tell the responsible specialist.")))
        when = self.test.saved_at.get(self.id)
        if self.id not in self.test.answers or not when:
            return f'<span style="{MUTED}">{esc(_("Not answered yet."))}</span>'
        local = dt.datetime.fromisoformat(when).astimezone().strftime("%H:%M")
        return f'<span class="crmtrain-saved" style="{MUTED}">✓ {esc(_("Saved at {time}").format(time=local))}</span>'

    def summary(self) -> str:
        """The saved answer in words, for the autograded notebook the specialist reads."""
        _ = self.test.tr.gettext
        if self.id not in self.test.answers:
            return f"{self.id}: " + _("no answer")
        value = self.test.answers[self.id]
        texts = {o["id"]: o["text"] for o in self.spec.get("options", ())}
        if isinstance(value, list):
            shown = "; ".join(texts.get(v, str(v)) for v in value)
        elif isinstance(value, bool):
            shown = _("True") if value else _("False")
        else:
            shown = texts.get(value, str(value)) if isinstance(value, str) else f"{value} {self.spec.get('unit', '')}".strip()
        return f"{self.id}: {shown}"

    def bundle(self) -> dict:
        """The widget, with the saved answer as plain text where widgets are not rendered."""
        data = self.widget._repr_mimebundle_()
        data["text/plain"] = self.summary()
        return data
