"""A case slot of an assessment: the trainee's own rule-generated case, answered by clicking.

The answer cell is ``test.case({"id": SLOT, "kind": "lead", "spec": {...}, "start": "2027-02-01"})``.
The case comes from the slot's seed (:func:`crmtrain.rules.variants.rng` of course,
assessment, trainee and slot) and the regulation's date, so the hidden test, run months later
by nbgrader under the trainee's id, draws the very same case. It is shown with the drill
kind's own widget (``runtime/drills.py``) without Check, Next or feedback, and saved like any
question by an ``AssessmentItem``: on every change, atomically, under the slot id, restored
when the notebook runs again. The case is recorded under ``"shown"`` in answers.json for the
specialist; its answer is never computed here, so no file the trainee has ever holds it.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import display

from ..kinds.slots import CASE
from ..rules import cases
from .drills import DRILLS, Drill
from .ui import STYLE, box, esc


class CaseInput:
    """A drill widget without buttons, behaving as the answer input of an assessment item."""

    def __init__(self, view: Drill) -> None:
        self.view = view
        # STYLE lets long option labels wrap, as in drills (it is emitted once per item; harmless).
        self.widget = widgets.VBox([widgets.HTML(STYLE), view.widget])
        self.widget.add_class("crmtrain-case")

    @property
    def options(self) -> list[dict]:
        """Every answer part the inputs offer, in words, for the saved answer's summary."""
        return self.view.answer_parts()

    def set_value(self, answer: Any) -> None:
        """Show a saved answer (one that does not fit this case is ignored)."""
        self.view.set_answer(answer)

    def watch(self, callback) -> None:
        """Call ``callback()`` on every change."""
        self.view.watch(callback)

    def entered(self) -> bool:
        """Whether anything usable is chosen (cases have no half-typed answers)."""
        return self.view.read_answer() is not None

    def stored(self) -> Any:
        """The answer in answers.json form, None if nothing is chosen."""
        return self.view.read_answer()

    def problem(self) -> str | None:
        """Never anything: a case is answered by choosing, and every choice can be saved."""
        return None


def case_input(test: Any, spec: dict) -> CaseInput | None:  # test: an Assessment (it imports this module)
    """The input showing the trainee's case of a slot; None (and a notice) if the slot is broken."""
    try:
        case = cases.trainee_case(spec["kind"], spec["spec"], spec["start"], course=test.course,
                                  assessment=test.name, trainee=test.trainee, slot=spec["id"])
        view = DRILLS[spec["kind"]](spec["spec"], test.tr, test.lang, case=case, controls=False)
    except (KeyError, TypeError, ValueError, StopIteration) as exc:
        # A broken slot must not stop the other questions from showing: the specialist fixes it.
        text = test.tr.gettext("This question can't be shown ({problem}). Please tell the responsible specialist.")
        display(widgets.HTML(box("warn", esc(text.format(problem=exc)))))
        return None
    # Written with the next save, so answers.json says which case its answer belongs to.
    test.shown[spec["id"]] = {CASE.shown: case}
    return CaseInput(view)
