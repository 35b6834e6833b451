"""Drills: a fresh random case from the regulation's own rules at every "Next".

Each drill asks with the rule engine in :mod:`crmtrain.rules` and grades with the same engine,
so the answer key cannot drift from the regulation. One class per kind; which class shows
which kind is said by the kind's record (``DrillKind.widget`` in ``crmtrain.kinds.drills``).
"""

from __future__ import annotations

import datetime as dt
import gettext
import random
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..i18n import deadline_text
from ..kinds.drills import DRILL_KINDS
from ..rules import calendar, conditions, decision_table, pipeline, processes
from .ui import box, esc

OnResult = Callable[[bool], None]  # called with whether the checked answer was right


class Drill:
    """A case, an answer input, Check and Next buttons, and feedback; subclasses fill in the case."""

    def __init__(self, spec: dict, tr: gettext.NullTranslations, lang: str, rng: random.Random,
                 on_result: OnResult | None = None) -> None:
        self.spec, self.tr, self.lang, self.rng = spec, tr, lang, rng
        self._ = tr.gettext
        self.on_result = on_result
        self.prompt = widgets.HTML()
        self.feedback = widgets.HTML()
        self.check_button = widgets.Button(description=self._("Check"), button_style="primary", icon="check")
        self.next_button = widgets.Button(description=self._("Next"), icon="forward")
        self.check_button.on_click(lambda _b: self.check())
        self.next_button.on_click(lambda _b: self.next())
        self.inputs = widgets.VBox()
        self.widget = widgets.VBox([self.prompt, self.inputs, widgets.HBox([self.check_button, self.next_button]),
                                    self.feedback], layout=widgets.Layout(border="1px solid #d0d7de", padding="8px"))
        self.widget.add_class("crmtrain-drill")
        self.case: dict = {}
        self.next()

    def next(self) -> None:
        """Draw a new case and reset the input and feedback."""
        self.case = self.new_case()
        self.prompt.value = self.render_case()
        self.inputs.children = self.make_inputs()
        self.feedback.value = ""
        self.check_button.disabled = False

    def check(self) -> bool | None:
        """Grade the current input with the rule engine; show why; None if nothing is chosen yet."""
        answer = self.read_answer()
        if answer is None:
            self.feedback.value = box("info", esc(self._("Choose an answer first.")))
            return None
        correct, why = self.grade(answer)
        head = self._("Correct!") if correct else self._("Not quite.")
        self.feedback.value = box("ok" if correct else "retry", f"<b>{esc(head)}</b> {why}")
        if self.on_result:
            self.on_result(correct)
        return correct

    # Subclasses: draw a case, show it, build inputs, read and grade an answer.
    def new_case(self) -> dict: raise NotImplementedError
    def render_case(self) -> str: raise NotImplementedError
    def make_inputs(self) -> list[widgets.Widget]: raise NotImplementedError
    def read_answer(self) -> Any: raise NotImplementedError
    def grade(self, answer: Any) -> tuple[bool, str]: raise NotImplementedError


def _choice(options: list[tuple[str, str]]) -> widgets.RadioButtons:
    radio = widgets.RadioButtons(options=options, value=None, layout=widgets.Layout(width="auto"))
    return radio


class LeadDrill(Drill):
    """Classify a generated lead with the decision table."""


    def new_case(self) -> dict:
        return decision_table.random_lead(self.spec, self.rng)

    def _labels(self) -> dict:
        return {"yes": self._("yes"), "no": self._("no"), "any": self._("any"), "or": self._("or"),
                "thousands": "\u00a0", "decimal": "," if self.lang == "ru" else "."}

    def _value(self, criterion: dict, value: Any) -> str:
        if criterion["type"] == "bool":
            return self._("yes") if value else self._("no")
        if criterion["type"] == "choice":
            return criterion.get("value_labels", {}).get(value, value)
        unit = f" {criterion['unit']}" if criterion.get("unit") else ""
        return conditions.format_number(value, self._labels()) + unit

    def render_case(self) -> str:
        rows = "".join(f"<li>{esc(c['label'])}: <b>{esc(self._value(c, self.case[c['name']]))}</b></li>"
                       for c in self.spec["criteria"] if c["name"] in self.case)
        return f"<p>{esc(self._('A new lead:'))}</p><ul>{rows}</ul><p>{esc(self._('Which class is it?'))}</p>"

    def make_inputs(self):
        self.radio = _choice([(c["name"], c["id"]) for c in self.spec["classes"]])
        return [self.radio]

    def read_answer(self):
        return self.radio.value

    def grade(self, answer):
        rule = decision_table.classify(self.spec, self.case)
        if rule is None:
            return False, esc(self._("No rule covers this lead: tell the responsible specialist, the table has a gap."))
        names = {c["id"]: c["name"] for c in self.spec["classes"]}
        crit = {c["name"]: c for c in self.spec["criteria"]}
        conds = [f"{crit[n]['label']}: {conditions.describe_condition(crit[n], v, self._labels())}"
                 for n, v in rule.get("when", {}).items()]
        # Rules are shown by their row number in the workbook's table; their ids are internal.
        number = next(i for i, r in enumerate(self.spec["rules"], 1) if r is rule or r.get("id") == rule.get("id"))
        why = self._("Rule {n} of the table is the first that matches ({conditions}), so the class is {cls}.").format(
            n=number, conditions="; ".join(conds) or self._("any lead"), cls=names[rule["then"]])
        if rule.get("note"):
            why += " " + self._("Why: {note}").format(note=rule["note"])
        return answer == rule["then"], esc(why)


class PipelineDrill(Drill):
    """May the deal move from one status to another, and what must be filled in first?"""


    def new_case(self) -> dict:
        return pipeline.random_case(self.spec, self.rng)

    def _name(self, sid: str) -> str:
        return next(s["name"] for s in self.spec["statuses"] if s["id"] == sid)

    def render_case(self) -> str:
        return "<p>" + esc(self._("The deal is in status “{src}”. The manager wants to move it to “{dst}”.").format(
            src=self._name(self.case["from"]), dst=self._name(self.case["to"]))) + "</p>"

    def make_inputs(self):
        self.allowed = _choice([(self._("Allowed"), True), (self._("Not allowed"), False)])
        self.fields = {f["id"]: widgets.Checkbox(description=f["label"], indent=False, value=False)
                       for f in self.spec.get("fields", ())}
        return [self.allowed, widgets.HTML(f"<p>{esc(self._('If allowed, what must be filled in first?'))}</p>"),
                widgets.VBox(list(self.fields.values()))]

    def read_answer(self):
        if self.allowed.value is None:
            return None
        return self.allowed.value, sorted(f for f, box_ in self.fields.items() if box_.value)

    def grade(self, answer):
        allowed, filled = answer
        labels = {f["id"]: f["label"] for f in self.spec.get("fields", ())}
        if not self.case["allowed"]:
            targets = [self._name(t) for t in pipeline.allowed_targets(self.spec, self.case["from"])]
            why = self._("This move is not in the regulation. From this status a deal may go to: {targets}.").format(
                targets=", ".join(targets) or self._("nowhere (it is final)"))
            return allowed is False, esc(why)
        need = sorted(self.case["requires"])
        why = self._("The move is allowed once these are filled in: {fields}.").format(
            fields=", ".join(labels[f] for f in need) or self._("nothing extra"))
        return allowed is True and filled == need, esc(why)


class ProcessDrill(Drill):
    """What is the next step of this process after a given step (and decision outcome)?"""


    def new_case(self) -> dict:
        return processes.random_case(self.spec, self.rng)

    def _label(self, sid: str) -> str:
        return next(s["label"] for s in self.spec["steps"] if s["id"] == sid)

    def render_case(self) -> str:
        step = esc(self._label(self.case["step"]))
        if self.case["branch"]:
            text = self._("Step “{step}” ended with the answer “{branch}”. What comes next?")
            return "<p>" + esc(text.format(step="\x00", branch=self.case["branch"])).replace("\x00", f"<b>{step}</b>") + "</p>"
        return "<p>" + esc(self._("After step “{step}”, what comes next?").format(step="\x00")).replace("\x00", f"<b>{step}</b>") + "</p>"

    def make_inputs(self):
        self.radio = _choice([(self._label(s), s) for s in self.case["options"]])
        return [self.radio]

    def read_answer(self):
        return self.radio.value

    def grade(self, answer):
        target = next(s for s in self.spec["steps"] if s["id"] == self.case["answer"])
        who = f" ({target['role']})" if target.get("role") else ""
        why = self._("Next comes “{step}”{who}.").format(step=target["label"], who=who)
        return answer == self.case["answer"], esc(why)


class CallbackDrill(Drill):
    """The latest moment to react to an event, by the contact timing rules and working calendar."""


    def new_case(self) -> dict:
        rule = self.rng.choice(self.spec["rules"])
        cal = self.spec["calendar"]
        event = calendar.random_event(cal, self.rng, dt.date.today())
        answer = calendar.deadline(cal, rule["deadline"], event)
        options = {answer}
        for wrong in _plausible_mistakes(cal, rule["deadline"], event):
            if len(options) >= 4:
                break
            options.add(wrong)
        step = dt.timedelta(hours=1) if "days" not in rule["deadline"] else dt.timedelta(days=1)
        while len(options) < 4:
            options.add(answer + step * self.rng.choice((-2, -1, 1, 2)))
        ordered = sorted(options)
        return {"rule": rule, "event": event, "answer": answer, "options": ordered}

    def when(self, moment: dt.datetime) -> str:
        """A moment as the trainee reads it: weekday, date, time."""
        day = weekday_short(self._)[moment.weekday()]
        date = moment.strftime("%d.%m.%Y") if self.lang == "ru" else moment.strftime("%Y-%m-%d")
        return f"{day} {date} {moment:%H:%M}"

    def render_case(self) -> str:
        r = self.case["rule"]
        return "<p>" + esc(self._("Event: {event}. It happened on {when}.").format(event=r["event"], when=self.when(self.case["event"]))) + \
            "</p><p>" + esc(self._("What is the latest moment to act (“{action}”)?").format(action=r["action"])) + "</p>"

    def make_inputs(self):
        self.radio = _choice([(self.when(m), i) for i, m in enumerate(self.case["options"])])
        return [self.radio]

    def read_answer(self):
        return self.radio.value

    def grade(self, answer):
        r = self.case["rule"]
        labels = {u: lambda n, u=u: deadline_text(self.tr, u, n) for u in calendar.UNITS}
        why = self._("The rule gives {deadline}, counted in working time only, so the latest moment is {when}.").format(
            deadline=calendar.describe_deadline(r["deadline"], labels), when=self.when(self.case["answer"]))
        return self.case["options"][answer] == self.case["answer"], esc(why)


def _plausible_mistakes(cal: dict, deadline: dict, event: dt.datetime):
    """Answers a trainee gets by forgetting one part of the rule: hours, weekends, holidays."""
    unit, amount = calendar.parse_deadline(deadline)
    if unit != "days":
        yield event + dt.timedelta(minutes=amount * (60 if unit == "hours" else 1))
    else:
        yield dt.datetime.combine(event.date() + dt.timedelta(days=amount), event.time())
    yield calendar.deadline({**cal, "holidays": []}, deadline, event)
    yield calendar.deadline({**cal, "workdays": list(calendar.WEEKDAYS), "holidays": []}, deadline, event)


def weekday_short(_) -> tuple[str, ...]:
    """Short localized weekday names, Monday first."""
    return (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


# Drill kind -> its class, as each kind's record names it.
DRILLS: dict[str, type[Drill]] = {name: globals()[kind.widget] for name, kind in DRILL_KINDS.items()}
