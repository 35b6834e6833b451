"""Drill kinds: one frozen :class:`DrillKind` record each, in :data:`DRILL_KINDS`.

A drill draws a fresh random case from a part of the regulation with a rule engine of
:mod:`crmtrain.rules`, and grades the trainee's answer with the same engine. The workbook
builder writes ``wb.drill(name, spec)`` under the record's heading and hint, the runtime
shows it with the record's widget, and the trainee's progress file tallies it as
``drill:<name>``.

The same kinds are the rule-generated items of an assessment (a ``slots:`` entry with
``case: <name>``): one case per trainee, graded by the hidden test with the same rules, under
the record's ``topic``.

Adding a drill kind means:

* one :class:`DrillKind` entry below;
* the rule engine's case generator in ``crmtrain/rules/`` (``random_case``) and, in
  ``crmtrain/rules/cases.py``, a ``CaseRules`` subclass whose ``kind`` is the record's name: the
  JSON case (never holding its answer), the key in answers.json form, the grader and the
  random guess score;
* its widget, a ``Drill`` subclass in ``crmtrain/runtime/drills.py`` named by ``widget``:
  the case's HTML, its inputs, reading and restoring an answer, the explanation after Check
  (the assessment's case slot shows the same widget without buttons);
* the builder call that places it in a workbook (``notebooks/sections.py`` or
  ``notebooks/workbooks.py``) and the spec an assessment slot passes (``notebooks/assessments.py``);
* its tests in ``tests/test_runtime_drills.py`` and ``tests/test_rules_cases.py``.

Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class DrillKind:
    """Everything crmtrain knows about one drill kind."""

    name: str  # the ``wb.drill`` argument and the progress key ``drill:<name>``
    drills: str  # the regulation part it draws cases from; "[]": one of several (a slot may pick one)
    engine: str  # the module of crmtrain.rules that draws and grades the cases
    widget: str  # class name of its Drill in crmtrain.runtime.drills
    heading: str  # msgid: the drill's heading in the workbook
    hint: str  # msgid: what to do, under the heading
    topic: str  # the test topic (TestTopic) of its cases when an assessment asks one
    by_alias: bool = False  # the spec is the part dumped with its YAML aliases ("from")
    label: str = ""  # msgid: the kind in the editor's pick list of a slot's cases ("Lead")
    # msgid: a slot's pick (``case: <name>`` with ``<name>: <id>``) names no such part; for kinds
    # that draw from one of several ("[]") only.
    unknown: str = ""


_KINDS = (
    DrillKind("lead", "client_work.lead_classification", "decision_table", "LeadDrill",
              N_("Drill: classify the {lead}"),
              N_("A new {lead} is described. Pick its class by the table above. Press **Next** for another {lead}."), "sales", label=N_("Lead")),
    DrillKind("pipeline", "client_work.deal_pipelines[]", "pipeline", "PipelineDrill",
              N_("Drill: may the {deal} move?"),
              N_("A {deal} is in one status and should move to another. Is that allowed, and what must be filled in "
                 "first? Press **Next** for another case."), "sales", by_alias=True, label=N_("Pipeline"),
              unknown=N_("unknown pipeline '{id}' (the pipelines: {known})")),
    DrillKind("process", "order_processing.processes[]", "processes", "ProcessDrill",
              N_("Drill: what comes next?"),
              N_("A random step of this process is shown. Choose the step that follows it. Press **Next** for a new "
                 "case."), "processes", label=N_("Process"), unknown=N_("unknown process '{id}' (the processes: {known})")),
    DrillKind("callback", "client_work.contact_timing", "calendar", "CallbackDrill",
              N_("Drill: what is the latest moment?"),
              N_("An event happens at the time shown. Choose the latest moment to react by the rules above. "
                 "Press **Next** for another case."), "sales", label=N_("Callback")),
)

DRILL_KINDS: dict[str, DrillKind] = {k.name: k for k in _KINDS}


def drill_for(part: str) -> DrillKind | None:
    """The drill kind that draws its cases from a regulation part ("client_work.contact_timing"), if any.

    A builder asks this of every part it writes, so a new kind on a part gets its drill without
    the builder naming it.
    """
    return next((k for k in _KINDS if k.drills.removesuffix("[]") == part), None)
