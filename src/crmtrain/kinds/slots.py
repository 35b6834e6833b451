"""Slot kinds: one frozen :class:`SlotKind` record each, in :data:`SLOT_KINDS`.

A slot is a place in an assessment that differs per trainee, worth the same to everyone. It
comes in two kinds, and every layer that meets a slot asks its record instead of spelling
the kind: the regulation's ``slots:`` entry (``one_of:`` or ``case:``), the selection's plan,
the notebook builder's cells and their ``metadata.crmtrain``, the kernel runtime that shows
it and records what it showed, grading (the items, the vetting of answers.json, the graded
view), the simulated trainees and the reports.

* :data:`DRAW` — one of several bank questions, drawn per trainee (Moodle's random question);
* :data:`CASE` — a case that a drill kind's rule engine (:mod:`crmtrain.kinds.drills`)
  generates per trainee and grades.

Adding a slot kind means one record below, the regulation field that asks for it, its
runtime method and hidden-test function, and its tests; it is a rare, structural change.

Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class SlotKind:
    """Everything crmtrain knows about one slot kind."""

    name: str  # ``metadata.crmtrain.slot`` of its cells, and how grading and reports tell the kind
    field: str  # the regulation slot's field that asks for this kind (``one_of:`` / ``case:``)
    show: str  # the method of the kernel's Assessment (``test``) its answer cell calls
    check: str  # the function of crmtrain.runtime.check its hidden test calls
    shown: str  # the key of what answers.json records as shown to the trainee: the question id or the case
    # The type of the slot's item in grading and the reports: a case is its own type (graded by its
    # drill kind's engine); None: the drawn questions' type (or MIXED when they differ).
    item_type: str | None = None
    label: str = ""  # msgid: how reports name the type of its row ("a case from the rules")

    @property
    def row_type(self) -> str:
        """The type the reports give the slot's own row: its item type, else the kind's name."""
        return self.item_type or self.name


DRAW = SlotKind("draw", field="one_of", show="draw", check="check_draw", shown="question",
                label=N_("drawn question"))
CASE = SlotKind("case", field="case", show="case", check="check_case", shown="case", item_type="case",
                label=N_("a case from the rules"))
SLOT_KINDS: dict[str, SlotKind] = {k.name: k for k in (CASE, DRAW)}

MIXED = "mixed"  # the type (and topic) of a draw slot whose candidates differ in it


def slot_kind(name: object) -> SlotKind | None:
    """The record of a slot kind by its name (a cell's ``metadata.crmtrain.slot``); None: not a slot."""
    return SLOT_KINDS.get(name) if isinstance(name, str) else None
