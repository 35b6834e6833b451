"""Answer inputs: the widget of every question type, and ``INPUTS``, type name -> class.

Which class shows which type is said by the type's record (``QuestionKind.widget`` in
``crmtrain.kinds.questions``); ``INPUTS`` is derived from those records. Each input owns its
ipywidgets and converts between them and ``value``: the response as it is stored in the
progress file and passed to ``keys.verify``. Tests and the browser suite drive an input by
setting ``value`` (or the underlying widget's ``value``); simulated trainees call ``give``.
"""

from __future__ import annotations

import gettext
import random
from typing import Any

import ipywidgets as widgets

from ..kinds.questions import QUESTION_KINDS
from . import keys
from .ui import MUTED, esc, format_number

# Layouts as data, one Layout per widget: importing the runtime creates no widget, so kernels
# forked from a seed that imported it (crmtrain.kernelseed) share no model their page never saw.
FULL = {"width": "auto"}
ARROW = {"width": "2.6em"}


class AnswerInput:
    """Base class: an input widget for one question type (options, if any, are shuffled)."""

    def __init__(
        self, spec: dict, tr: gettext.NullTranslations, lang: str, rng: random.Random
    ) -> None:
        self.spec, self.tr, self.lang = spec, tr, lang
        self.options = [(o["id"], o["text"]) for o in spec.get("options", ())]
        rng.shuffle(self.options)
        self.texts = dict(self.options)
        self.widget = self.build(rng)

    def build(self, rng: random.Random) -> widgets.Widget:
        """Create the widgets; return the one to display."""
        raise NotImplementedError

    @property
    def value(self) -> Any:
        """The response in stored form (None / "" / [] when nothing is chosen)."""
        return self.get_value()

    @value.setter
    def value(self, response: Any) -> None:
        self.set_value(response)

    def get_value(self) -> Any:
        """The response in stored form."""
        raise NotImplementedError

    def set_value(self, response: Any) -> None:
        """Show a stored response; unknown values are ignored (the question may have changed)."""
        raise NotImplementedError

    def entered(self) -> bool:
        """Whether the trainee has given anything at all (even something unusable)."""
        return self.value not in (None, "", [])

    def stored(self) -> Any:
        """The response in the form answers.json keeps (None if nothing usable is given)."""
        return self.value if self.entered() else None

    def give(self, response: Any) -> None:
        """Give ``response`` by changing the widgets as a trainee's clicks would."""
        self.value = response

    def controls(self) -> list[widgets.Widget]:
        """The widgets to lock while feedback is shown."""
        return [self.widget]

    def watch(self, callback) -> None:
        """Call ``callback()`` whenever the trainee changes the response (assessments save then)."""
        for control in self.controls():
            control.observe(lambda _change: callback(), names="value")

    def set_enabled(self, enabled: bool) -> None:
        """Lock or unlock the input."""
        for control in self.controls():
            control.disabled = not enabled

    def problem(self) -> str | None:
        """Why the response cannot be checked yet, in words for the trainee (None if it can)."""
        return self.tr.gettext("Choose an answer first.") if self.value in (None, "", []) else None

    def hint(self, verdict: keys.Verdict) -> str:
        """A kind nudge after a wrong answer, without giving the answer away."""
        return self.tr.gettext("Have another look at the regulation and try again.")

    def describe(self, answer: Any) -> str:
        """HTML for the revealed answer."""
        return esc(self.texts.get(answer, answer))


class SingleChoice(AnswerInput):
    """One option out of several: radio buttons."""

    def build(self, rng):
        choices = [(text, oid) for oid, text in self.options]
        self.radio = widgets.RadioButtons(options=choices, value=None, layout=FULL)
        return self.radio

    def get_value(self):
        return self.radio.value

    def set_value(self, response):
        known = isinstance(response, str) and response in self.texts
        self.radio.value = response if known else None


class TrueFalse(SingleChoice):
    """A statement to judge: True / False radio buttons, always in that order."""

    def build(self, rng):
        self.texts = {True: self.tr.gettext("True"), False: self.tr.gettext("False")}
        choices = [(text, value) for value, text in self.texts.items()]
        self.radio = widgets.RadioButtons(options=choices, value=None, layout=FULL)
        return self.radio

    def set_value(self, response):
        self.radio.value = response if isinstance(response, bool) else None


class MultipleChoice(AnswerInput):
    """Any number of options: a column of checkboxes."""

    def build(self, rng):
        self.boxes = {
            oid: widgets.Checkbox(value=False, description=text, indent=False, layout=FULL)
            for oid, text in self.options
        }
        note = widgets.HTML(f'<span style="{MUTED}">{esc(self.tr.gettext("Tick all that apply."))}</span>')
        return widgets.VBox([note, *self.boxes.values()])

    def get_value(self):
        return [i for i, box in self.boxes.items() if box.value]

    def set_value(self, response):
        listed = response if isinstance(response, (list, tuple)) else ()
        chosen = {oid for oid in listed if isinstance(oid, str)}
        for i, box in self.boxes.items():
            box.value = i in chosen

    def controls(self):
        return list(self.boxes.values())

    def hint(self, verdict):
        ngettext = self.tr.ngettext
        parts = []
        if verdict.wrong:
            n = len(verdict.wrong)
            text = ngettext("{n} option you ticked is not right.", "{n} options you ticked are not right.", n)
            parts.append(text.format(n=n))
        if verdict.missing:
            n = len(verdict.missing)
            text = ngettext(
                "{n} correct option is still missing.", "{n} correct options are still missing.", n
            )
            parts.append(text.format(n=n))
        return " ".join(parts)

    def describe(self, answer):
        shown = [i for i, _ in self.options if i in set(answer)]
        return "<ul>" + "".join(f"<li>{esc(self.texts[i])}</li>" for i in shown) + "</ul>"


class NumberInput(AnswerInput):
    """A number typed as text, so both "2,5" and "2.5" work, with the unit next to it."""

    def build(self, rng):
        placeholder = self.tr.gettext("Your answer")
        self.text = widgets.Text(value="", placeholder=placeholder, layout=widgets.Layout(width="12em"))
        return widgets.HBox([self.text, widgets.Label(self.spec.get("unit") or "")])

    def get_value(self):
        return self.text.value

    def set_value(self, response):
        if isinstance(response, (int, float)) and not isinstance(response, bool):
            response = format_number(response, self.lang)
        self.text.value = response if isinstance(response, str) else ""

    def entered(self):
        return bool(str(self.text.value).strip())

    def stored(self):
        try:
            return keys.parse_number(self.text.value) if self.entered() else None
        except ValueError:
            return None

    def give(self, response):
        # Typed the way the trainee's language writes numbers: "2,5" in Russian.
        text = f"{response:g}"
        self.text.value = text.replace(".", ",") if self.lang == "ru" else text

    def controls(self):
        return [self.text]

    def problem(self):
        typed = self.text.value.strip()
        if not typed:
            return self.tr.gettext("Type a number first, for example 2.5.")
        try:
            keys.parse_number(typed)
        except ValueError:
            text = self.tr.gettext(
                "“{text}” doesn’t look like a number. Type just the number, for example 2.5."
            )
            return text.format(text=typed)
        return None

    def describe(self, answer):
        return esc(f"{format_number(answer, self.lang)} {self.spec.get('unit') or ''}".strip())


class Ordering(AnswerInput):
    """Put items in order: one row per place, each with ↑ / ↓ buttons."""

    def build(self, rng):
        self.order = [i for i, _ in self.options]
        for _ in range(10):
            if not self._is_correct(self.order):
                break
            rng.shuffle(self.order)
        else:
            # A shuffle that lands on the answer would give it away; rotate it off instead.
            self.order = self.order[1:] + self.order[:1]
        self.labels = [widgets.HTML(layout=FULL) for _ in self.order]
        self.ups, self.downs = [], []
        rows = []
        for place, label in enumerate(self.labels):
            up = widgets.Button(description="↑", tooltip=self.tr.gettext("Move up"), layout=ARROW)
            down = widgets.Button(description="↓", tooltip=self.tr.gettext("Move down"), layout=ARROW)
            up.on_click(lambda _, p=place: self.move(p, -1))
            down.on_click(lambda _, p=place: self.move(p, +1))
            self.ups.append(up)
            self.downs.append(down)
            rows.append(widgets.HBox([up, down, label]))
        self.enabled = True
        self._watcher = None
        self._render()
        note = self.tr.gettext("Put the items in the right order with the ↑ and ↓ buttons.")
        return widgets.VBox([widgets.HTML(f'<span style="{MUTED}">{esc(note)}</span>'), *rows])

    def _is_correct(self, order: list[str]) -> bool:
        try:
            return keys.verify(self.spec["key"], self.spec["id"], self.spec["type"], order).correct
        except (ValueError, KeyError, TypeError):
            return False

    def move(self, place: int, step: int) -> None:
        """Move the item at ``place`` (0-based) one row up (-1) or down (+1)."""
        other = place + step
        if self.enabled and 0 <= other < len(self.order):
            self.order[place], self.order[other] = self.order[other], self.order[place]
            self._render()
            if self._watcher:
                self._watcher()

    def _render(self) -> None:
        for place, (item, label) in enumerate(zip(self.order, self.labels)):
            label.value = f"<b>{place + 1}.</b> {esc(self.texts[item])}"
            self.ups[place].disabled = not self.enabled or place == 0
            self.downs[place].disabled = not self.enabled or place == len(self.order) - 1

    def get_value(self):
        return list(self.order)

    def set_value(self, response):
        if isinstance(response, (list, tuple)) and all(isinstance(i, str) for i in response) \
                and sorted(response) == sorted(self.texts):
            self.order = list(response)
            self._render()

    def set_enabled(self, enabled):
        self.enabled = enabled
        self._render()

    def give(self, response):
        # Bubble each item up into place with the ↑ button; if it is already right, press ↓
        # twice on the first row (a change the trainee makes and undoes) so that it is saved.
        target = list(response)
        if self.order == target:
            self.move(0, 1)
            self.move(0, 1)
        for i, oid in enumerate(target):
            j = self.order.index(oid)
            while j > i:
                self.move(j, -1)
                j -= 1

    def watch(self, callback):
        # Moves happen through buttons, not a widget value, so the callback is called directly.
        self._watcher = callback

    def hint(self, verdict):
        n = len(verdict.wrong_positions)
        text = self.tr.ngettext(
            "{n} item is not in the right place yet.", "{n} items are not in the right place yet.", n
        )
        return text.format(n=n)

    def describe(self, answer):
        return "<ol>" + "".join(f"<li>{esc(self.texts[i])}</li>" for i in answer) + "</ol>"


class TextAnswer(AnswerInput):
    """An answer in the trainee's own words, graded by hand."""

    def build(self, rng):
        self.area = widgets.Textarea(value="", placeholder=self.tr.gettext("Type your answer here"),
                                     layout=widgets.Layout(width="100%", height="8em"))
        return self.area

    def get_value(self):
        return self.area.value

    def set_value(self, response):
        self.area.value = response if isinstance(response, str) else ""


# Question type -> its input class, as each type's record names it.
INPUTS: dict[str, type[AnswerInput]] = {name: globals()[kind.widget] for name, kind in QUESTION_KINDS.items()}
