"""Drills: a fresh random case from the regulation's own rules at every "Next".

Each drill draws its case with :func:`crmtrain.rules.cases.new_case` and grades with
:func:`~crmtrain.rules.cases.grade_case`, the same generator and grader as an assessment's
case slot, so the answer key cannot drift from the regulation and a trainee practises what
they are graded on. One class per kind; which class shows which kind is said by the kind's
record (``DrillKind.widget`` in ``crmtrain.kinds.drills``). Assessments reuse the classes
with ``controls=False``: the same case and inputs, without Check, Next and feedback.

Answers are read and restored in the form answers.json keeps them (``rules/cases.py``).
"""

from __future__ import annotations

import datetime as dt
import gettext
import random
from collections.abc import Callable
from typing import Any, ClassVar

import ipywidgets as widgets

from ..i18n import deadline_text
from ..kinds.drills import DRILL_KINDS
from ..rules import calendar, cases, conditions, decision_table, pipeline
from .ui import box, esc

OnResult = Callable[[bool], None]  # called with whether the checked answer was right


class Drill:
    """A case and an answer input; with ``controls``, Check and Next buttons and feedback too."""

    kind: ClassVar[str]

    def __init__(self, spec: Any, tr: gettext.NullTranslations, lang: str, rng: random.Random | None = None,
                 on_result: OnResult | None = None, *, start: dt.date | None = None, case: dict | None = None,
                 controls: bool = True) -> None:
        self.spec, self.tr, self.lang, self.rng = spec, tr, lang, rng
        self._ = tr.gettext
        self.on_result = on_result
        # Workbook practice is about now; assessments pass the regulation's date instead.
        self.start = start or dt.date.today()
        self.prompt = widgets.HTML()
        self.inputs = widgets.VBox()
        parts: list[widgets.Widget] = [self.prompt, self.inputs]
        if controls:
            self.feedback = widgets.HTML()
            fit = widgets.Layout(width="auto", min_width="8em")  # as wide as the words, in any language
            self.check_button = widgets.Button(description=self._("Check"), button_style="primary", icon="check", layout=fit)
            self.next_button = widgets.Button(description=self._("Next"), icon="forward", layout=fit)
            self.check_button.on_click(lambda _b: self.check())
            self.next_button.on_click(lambda _b: self.next())
            parts += [widgets.HBox([self.check_button, self.next_button]), self.feedback]
        self.widget = widgets.VBox(parts, layout=widgets.Layout(border="1px solid #d0d7de", padding="8px"))
        self.widget.add_class("crmtrain-drill")
        self.case: dict = {}
        if case is None:
            self.next()
        else:
            self.show(case)

    @property
    def case_spec(self) -> Any:
        """The spec in the form ``rules.cases`` takes for this kind."""
        return self.spec

    def next(self) -> None:
        """Draw a new case and reset the input and feedback."""
        self.show(cases.new_case(self.kind, self.case_spec, self.rng, self.start, gaps=True))
        self.feedback.value = ""
        self.check_button.disabled = False

    def show(self, case: dict) -> None:
        """Show ``case`` with fresh, empty inputs."""
        self.case = case
        self.prompt.value = self.render_case()
        self.inputs.children = self.make_inputs()

    def check(self) -> bool | None:
        """Grade the current input with the rule engine; show why; None if nothing is chosen yet."""
        answer = self.read_answer()
        if answer is None:
            self.feedback.value = box("info", esc(self._("Choose an answer first.")))
            return None
        correct = cases.grade_case(self.kind, self.case_spec, self.case, answer)
        head = self._("Correct!") if correct else self._("Not quite.")
        self.feedback.value = box("ok" if correct else "retry", f"<b>{esc(head)}</b> {esc(self.explain())}")
        if self.on_result:
            self.on_result(correct)
        return correct

    def key(self) -> Any:
        """The right answer to the current case (answers.json form)."""
        return cases.case_key(self.kind, self.case_spec, self.case)

    def controls(self) -> list[widgets.Widget]:
        """The widgets whose value is the answer."""
        return [self.radio]

    def watch(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever the trainee changes the answer (assessments save then)."""
        for control in self.controls():
            control.observe(lambda _change: callback(), names="value")

    def read_answer(self) -> Any:
        """The answer in answers.json form, None if nothing is chosen."""
        return self.radio.value

    def set_answer(self, answer: Any) -> None:
        """Show a saved answer; one that is not an option is ignored (the case may have changed)."""
        known = [value for _, value in self.radio.options]
        self.radio.value = answer if isinstance(answer, str) and answer in known else None

    def answer_parts(self) -> list[dict]:
        """Every value an answer can hold, with its words (``{"id", "text"}``), for summaries."""
        return [{"id": value, "text": label} for label, value in self.radio.options]

    # Subclasses: show the case, build inputs, say why the right answer is right.
    def render_case(self) -> str: raise NotImplementedError
    def make_inputs(self) -> list[widgets.Widget]: raise NotImplementedError
    def explain(self) -> str: raise NotImplementedError


def _choice(options: list[tuple[str, Any]]) -> widgets.RadioButtons:
    return widgets.RadioButtons(options=options, value=None, layout=widgets.Layout(width="auto"))


class LeadDrill(Drill):
    """Classify a generated lead with the decision table."""

    kind = "lead"

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
        lead = self.case["lead"]
        rows = "".join(f"<li>{esc(c['label'])}: <b>{esc(self._value(c, lead[c['name']]))}</b></li>"
                       for c in self.spec["criteria"] if c["name"] in lead)
        return f"<p>{esc(self._('A new {lead}:'))}</p><ul>{rows}</ul><p>{esc(self._('Which class is it?'))}</p>"

    def make_inputs(self):
        names = {c["id"]: c["name"] for c in self.spec["classes"]}
        self.radio = _choice([(names[cid], cid) for cid in self.case["options"] if cid in names])
        return [self.radio]

    def explain(self):
        rule = decision_table.classify(self.spec, self.case["lead"])
        if rule is None:
            return self._("No rule covers this {lead}: tell the responsible specialist, the table has a gap.")
        names = {c["id"]: c["name"] for c in self.spec["classes"]}
        crit = {c["name"]: c for c in self.spec["criteria"]}
        conds = [f"{crit[n]['label']}: {conditions.describe_condition(crit[n], v, self._labels())}"
                 for n, v in rule.get("when", {}).items()]
        # Rules are shown by their row number in the workbook's table; their ids are internal.
        number = next(i for i, r in enumerate(self.spec["rules"], 1) if r is rule or r.get("id") == rule.get("id"))
        why = self._("Rule {n} of the table is the first that matches ({conditions}), so the class is {cls}.").format(
            n=number, conditions="; ".join(conds) or self._("any {lead}"), cls=names[rule["then"]])
        if rule.get("note"):
            why += " " + self._("Why: {note}").format(note=rule["note"])
        return why


class PipelineDrill(Drill):
    """May the deal move from one status to another, and what must be filled in first?

    A workbook drill's spec is one pipeline; an assessment's is a list of them (the case names one).
    """

    kind = "pipeline"

    @property
    def case_spec(self):
        return self.spec if isinstance(self.spec, list) else [self.spec]

    def _pipeline(self) -> dict:
        return cases.pipeline_of(self.case_spec, self.case)

    def _name(self, sid: str) -> str:
        return next(s["name"] for s in self._pipeline()["statuses"] if s["id"] == sid)

    def render_case(self) -> str:
        html = esc(self._("The {deal} is in status “{src}”. The manager wants to move it to “{dst}”.").format(
            src=self._name(self.case["from"]), dst=self._name(self.case["to"])))
        if isinstance(self.spec, list) and len(self.spec) > 1:  # an assessment's case: say which pipeline
            html = f"<b>{esc(self._pipeline().get('title') or self._pipeline()['id'])}</b>. " + html
        return f"<p>{html}</p>"

    def make_inputs(self):
        self.allowed = _choice([(self._("Allowed"), True), (self._("Not allowed"), False)])
        labels = {f["id"]: f["label"] for f in self._pipeline().get("fields", ())}
        self.fields = {fid: widgets.Checkbox(description=labels[fid], indent=False, value=False)
                       for fid in self.case["fields"] if fid in labels}
        return [self.allowed, widgets.HTML(f"<p>{esc(self._('If allowed, what must be filled in first?'))}</p>"),
                widgets.VBox(list(self.fields.values()))]

    def controls(self):
        return [self.allowed, *self.fields.values()]

    def read_answer(self):
        if self.allowed.value is None:
            return None
        if self.allowed.value is False:
            return [cases.PipelineRules.FORBIDDEN]
        return [cases.PipelineRules.ALLOWED, *sorted(f for f, box_ in self.fields.items() if box_.value)]

    def set_answer(self, answer):
        given = cases.CASES[self.kind].normal(answer)
        self.allowed.value = None if given is None else given[0] == cases.PipelineRules.ALLOWED
        for fid, box_ in self.fields.items():
            box_.value = bool(given) and fid in given[1:]

    def answer_parts(self):
        return [{"id": cases.PipelineRules.ALLOWED, "text": self._("Allowed")},
                {"id": cases.PipelineRules.FORBIDDEN, "text": self._("Not allowed")},
                *({"id": fid, "text": box_.description} for fid, box_ in self.fields.items())]

    def explain(self):
        labels = {f["id"]: f["label"] for f in self._pipeline().get("fields", ())}
        key = self.key()
        if key[0] == cases.PipelineRules.FORBIDDEN:
            targets = [self._name(t) for t in pipeline.allowed_targets(self._pipeline(), self.case["from"])]
            return self._("This move is not in the regulation. From this status a {deal} may go to: {targets}.").format(
                targets=", ".join(targets) or self._("nowhere (it is final)"))
        return self._("The move is allowed once these are filled in: {fields}.").format(
            fields=", ".join(labels[f] for f in key[1:]) or self._("nothing extra"))


class ProcessDrill(Drill):
    """What is the next step of this process after a given step (and decision outcome)?

    A workbook drill's spec is one process; an assessment's is a list of them (the case names one).
    """

    kind = "process"

    @property
    def case_spec(self):
        return self.spec if isinstance(self.spec, list) else [self.spec]

    def _process(self) -> dict:
        return cases.process_of(self.case_spec, self.case)

    def _label(self, sid: str) -> str:
        return next(s["label"] for s in self._process()["steps"] if s["id"] == sid)

    def render_case(self) -> str:
        step = esc(self._label(self.case["step"]))
        if self.case["branch"]:
            text = self._("Step “{step}” ended with the answer “{branch}”. What comes next?")
            html = esc(text.format(step="\x00", branch=self.case["branch"])).replace("\x00", f"<b>{step}</b>")
        else:
            html = esc(self._("After step “{step}”, what comes next?").format(step="\x00")).replace("\x00", f"<b>{step}</b>")
        if isinstance(self.spec, list):  # an assessment's case stands alone: say which process it is
            html = f"<b>{esc(self._process().get('title') or self._process()['id'])}</b>. " + html
        return f"<p>{html}</p>"

    def make_inputs(self):
        self.radio = _choice([(self._label(s), s) for s in self.case["options"]])
        return [self.radio]

    def explain(self):
        target = next(s for s in self._process()["steps"] if s["id"] == self.key())
        who = f" ({target['role']})" if target.get("role") else ""
        return self._("Next comes “{step}”{who}.").format(step=target["label"], who=who)


class CallbackDrill(Drill):
    """The latest moment to react to an event, by the contact timing rules and working calendar."""

    kind = "callback"

    def when(self, moment: dt.datetime | str) -> str:
        """A moment as the trainee reads it: weekday, date, time."""
        if isinstance(moment, str):
            moment = cases.moment(moment)
        day = weekday_short(self._)[moment.weekday()]
        date = moment.strftime("%d.%m.%Y") if self.lang == "ru" else moment.strftime("%Y-%m-%d")
        return f"{day} {date} {moment:%H:%M}"

    def render_case(self) -> str:
        r = cases.rule_of(self.spec, self.case)
        return "<p>" + esc(self._("Event: {event}. It happened on {when}.").format(event=r["event"], when=self.when(self.case["event"]))) + \
            "</p><p>" + esc(self._("What is the latest moment to act (“{action}”)?").format(action=r["action"])) + "</p>"

    def make_inputs(self):
        self.radio = _choice([(self.when(m), m) for m in self.case["options"]])
        return [self.radio]

    def explain(self):
        r = cases.rule_of(self.spec, self.case)
        labels = {u: lambda n, u=u: deadline_text(self.tr, u, n) for u in calendar.UNITS}
        if calendar.counts_working_time(r["deadline"]):
            why = self._("The rule gives {deadline}, counted in working time only, so the latest moment is {when}.")
        else:
            why = self._("The rule gives {deadline}, counted day and night, weekends and holidays included, so the "
                         "latest moment is {when}.")
        return why.format(deadline=calendar.describe_deadline(r["deadline"], labels), when=self.when(self.key()))


def weekday_short(_) -> tuple[str, ...]:
    """Short localized weekday names, Monday first."""
    return (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


# Drill kind -> its class, as each kind's record names it.
DRILLS: dict[str, type[Drill]] = {name: globals()[kind.widget] for name, kind in DRILL_KINDS.items()}
