"""The regulation format as a JSON Schema, derived from the models (never written by hand).

Editors use it for completion and live errors: yaml-language-server (VS Code's YAML
extension, JupyterLab's LSP) reads the ``# yaml-language-server: $schema=...`` modeline that
``crmtrain init`` writes. The schema knows field names, types, enums and patterns; checks
that need the whole document (references, decision-table gaps) stay with ``crmtrain check``.

Every field has a description (hover help in editors): the models' own, else :data:`HELP`.
``json_schema(lang)`` says them in the regulation's language.
"""

from __future__ import annotations

import json
from typing import Any

from ..i18n import N_, translation

SCHEMA_FILENAME = "regulation.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


# Descriptions of the fields the models leave undescribed: "Model.field", else the field's name.
HELP: dict[str, str] = {
    'id': N_("Latin letters, digits, '-' and '_': how questions and checks refer to this item; never shown to trainees"),
    'title': N_('the heading trainees read'),
    'body': N_('the explanatory text (Markdown: **bold**, lists, links)'),
    'intro': N_('the introduction of the part (Markdown)'),
    'note': N_('a remark shown with the rule (optional)'),
    'description': N_('a description (Markdown)'),
    'Meta.company': N_("the company's name, as on the document's title page"),
    'Meta.crm': N_('the CRM system: Bitrix24, amoCRM, HubSpot...'),
    'Meta.language': N_("the regulation's language (ru or en): of the workbooks and of every message crmtrain gives"),
    'Meta.version': N_('the regulation\'s version, in quotes: "2027.1"'),
    'Meta.effective_date': N_('the date the regulation takes effect, like 2027-01-31'),
    'Meta.specialist': N_('the responsible specialist: name, contact, role'),
    'Specialist.name': N_("the responsible specialist's name"),
    'Specialist.contact': N_('how to reach them: e-mail, phone, extension'),
    'Specialist.role': N_('their position'),
    'Summary.topics': N_("the summary's topics: purpose, access, interface, sales set-up, analytics, lookup, settings"),
    'Topic.kind': N_('which item of the summary the topic covers'),
    'Topic.blocks': N_('sub-sections, e.g. one per block of the interface'),
    'Topic.links': N_('links to read more'),
    'Topic.images': N_('screenshots beside the regulation file'),
    'Block.title': N_("the sub-section's heading"),
    'Block.body': N_("the sub-section's text (Markdown)"),
    'Link.title': N_("the link's text"),
    'Link.url': N_('the address, https://...'),
    'Image.path': N_("the picture's file, relative to the regulation file"),
    'Image.alt': N_('what the picture shows, in words'),
    'OrderProcessing.processes': N_('the business processes around an order, each a flowchart of steps'),
    'Process.steps': N_('the steps: one start, actions, decisions with branches, ends'),
    'Step.kind': N_('start, action, decision or end'),
    'Step.label': N_("what happens in the step, in a few words (the flowchart's box)"),
    'Step.role': N_('who does it'),
    'Step.instructions': N_('how to do it in the CRM: where to click, which fields to fill'),
    'Step.next': N_('the id of the step that follows (not for decisions and ends)'),
    'Step.branches': N_("a decision's answers, each with its label and next step"),
    'Branch.label': N_('the answer this branch stands for (Yes, No, ...)'),
    'Branch.next': N_('the id of the step this answer leads to'),
    'ClientWork.lead_classification': N_('the lead classes and the decision table that assigns them'),
    'ClientWork.proposal': N_('where the commercial proposal comes from, case by case'),
    'ClientWork.contact_timing': N_('how soon to contact a client, on the working calendar'),
    'ClientWork.conversion': N_('when a lead becomes a client (a deal)'),
    'ClientWork.tasks': N_('which tasks to set, when, and with what deadline'),
    'LeadClassification.criteria': N_('the inputs of the decision table: numbers, choices, yes/no'),
    'LeadClassification.classes': N_('the lead classes (A, B, C...) with what to do with each'),
    'LeadClassification.rules': N_("the decision table's rules, first match wins; end with a catch-all 'when: {}'"),
    'Criterion.name': N_("the criterion's id, used in the rules' 'when'"),
    'Criterion.label': N_('the question a manager answers about the lead'),
    'Criterion.type': N_('number, choice or bool (yes/no)'),
    'Criterion.values': N_('choice only: the possible values'),
    'Criterion.value_labels': N_('choice only: how each value reads for people'),
    'Criterion.min': N_('number only: the smallest possible value'),
    'Criterion.max': N_('number only: the largest possible value'),
    'Criterion.unit': N_('number only: the unit, e.g. руб.'),
    'LeadClass.name': N_("the class's name trainees see, e.g. A — hot"),
    'LeadClass.action': N_('what the manager does with a lead of this class'),
    'Rule.when': N_("criterion: condition ('>= 500000', '100000..500000', a value, a list, true/false); {} matches every lead"),
    'Rule.then': N_('the id of the class the rule assigns'),
    'Proposal.sources': N_('where the proposal comes from, case by case'),
    'ProposalSource.case': N_('the situation'),
    'ProposalSource.source': N_('where the proposal comes from in it'),
    'ProposalSource.approver': N_('who approves it (optional)'),
    'ContactTiming.calendar': N_('the working calendar deadlines are counted on'),
    'ContactTiming.rules': N_('the contact deadlines, one per event'),
    'Calendar.timezone': N_("the office's time zone, e.g. Europe/Moscow"),
    'Calendar.workdays': N_('the working weekdays: mon, tue, wed, thu, fri, sat, sun'),
    'Calendar.opens': N_('when the working day starts, like "09:00" (in quotes)'),
    'Calendar.closes': N_('when the working day ends, like "18:00" (in quotes)'),
    'Calendar.holidays': N_('days off that fall on working weekdays, like 2027-01-01'),
    'DayHours.opens': N_('when this weekday\'s work starts, like "09:00"'),
    'DayHours.closes': N_('when this weekday\'s work ends, like "16:45"'),
    'TimingRule.event': N_('what happens: a new request, a missed call...'),
    'TimingRule.action': N_('what the manager must do by the deadline'),
    'TimingRule.deadline': N_('exactly one of minutes, hours, days (working time), calendar_hours, calendar_days'),
    'TimingRule.channel': N_('how to contact: call, message, email...'),
    'Conversion.criteria': N_('what must be true before a lead is converted'),
    'ConversionCriterion.text': N_('one condition, in words'),
    'Pipeline.initial': N_('the id of the status a new deal starts in'),
    'Pipeline.fields': N_('the deal fields that transitions require'),
    'Pipeline.statuses': N_("the deal statuses, in the pipeline's order"),
    'Pipeline.transitions': N_('the allowed moves between statuses and the fields each requires'),
    'DealField.label': N_("the field's name in the CRM"),
    'Status.name': N_("the status's name in the CRM"),
    'Status.terminal': N_('true for a final status (won, lost)'),
    'Transition.from': N_('the id of the status the deal leaves'),
    'Transition.to': N_('the id of the status the deal enters'),
    'Transition.requires': N_('the ids of the fields that must be filled first'),
    'Tasks.rules': N_('one rule per situation that calls for a task'),
    'TaskRule.when': N_('the situation'),
    'TaskRule.task': N_('the task to set'),
    'TaskRule.attach_to': N_('what the task is attached to: lead, deal, contact, company'),
    'TaskRule.due': N_("the task's deadline, in words"),
    'Question.refs': N_('the ids of the regulation items the question tests'),
    'Question.topic': N_('technical, processes or sales'),
    'Question.type': N_('single, multiple, true_false, numeric, ordering or open'),
    'Question.text': N_('the question as trainees read it (Markdown)'),
    'Question.options': N_('single, multiple and ordering: the options, each with an id and a text'),
    'Question.answer': N_('the key: an option id, a list of them, true/false or a number; none for open questions'),
    'Question.tolerance': N_('numeric only: how far from the answer still counts as right'),
    'Question.unit': N_('numeric only: the unit shown after the input'),
    'Question.explanation': N_('why the answer is right; shown after answering (Markdown)'),
    'Question.points': N_('what the question is worth'),
    'Question.pool': N_('practice (in the workbooks), initial or followup (drawn by the assessments)'),
    'Option.text': N_("the option's text"),
    'Assessments.initial': N_('the initial assessment, right after the rollout'),
    'Assessments.followup': N_('the follow-up assessment, some time later'),
    'Assessment.pass_mark': N_("percent of points needed to pass; unset: the regulation's"),
    'Assessment.due_days': N_("days a trainee has to take it: from its release, or from the trainee's start "
                              "when that is later, or from when it opens for them ('after_days')"),
    'Assessment.after_days': N_("opens this many days after the trainee's own submission of the assessment "
                                "before it (not on the first); unset: at its release"),
    'Assessment.include': N_('ids of questions every trainee gets'),
    'Assessment.draw': N_('questions drawn from a pool: pool, topic, count'),
    'Draw.pool': N_('the pool to draw from: initial or followup'),
    'Draw.topic': N_('only questions on this topic (optional)'),
    'Draw.count': N_('how many questions to draw'),
    'Slot.id': N_("the slot's own id (not a question's)"),
    'Slot.one_of': N_('questions to draw one from, per trainee (at least two, worth the same)'),
    'Slot.case': N_('a case the rules generate per trainee: lead, process, pipeline or callback'),
    'MoveRef.pipeline': N_("the pipeline's id (leave out when there is one pipeline)"),
    'MoveRef.from': N_('the id of the status the deal leaves'),
    'MoveRef.to': N_('the id of the status the deal enters'),
    'StepRef.process': N_("the process's id"),
    'StepRef.step': N_("the step's id"),
    'StepRef.branch': N_('for a decision: the label of the branch taken'),
}


def json_schema(lang: str | None = None) -> dict[str, Any]:
    """The JSON Schema of a regulation file, as pydantic derives it from the models.

    With ``lang`` ("ru"), the descriptions are said in that language, and the titles pydantic
    makes from field names (English) are left out: the key itself is the name.
    """
    from .models import Regulation

    body = Regulation.model_json_schema(by_alias=True, mode="validation")
    body["title"] = "CRM regulation (crmtrain)"
    body["description"] = N_("A company's CRM regulation for crmtrain: meta, summary, order_processing, "
                             "client_work, questions, assessments. See docs/regulation-format.md.")
    for name, model in body.get("$defs", {}).items():
        for field, prop in model.get("properties", {}).items():
            help_ = HELP.get(f"{name}.{field}") or HELP.get(field)
            if help_ and "description" not in prop:
                prop["description"] = help_
    if lang not in (None, "en"):
        _translate(body, translation(lang).gettext)
    return {"$schema": DIALECT, **body}


def _translate(node: Any, gettext, key: str = "") -> None:
    """Descriptions in the language of ``gettext``; untranslated texts and generated titles left out."""
    if isinstance(node, dict):
        for k in list(node):
            value = node[k]
            if k == "description" and isinstance(value, str) and key != "properties":
                said = gettext(value)
                if said == value:
                    del node[k]  # an English sentence helps a Russian reader less than none
                else:
                    node[k] = said
            elif k == "title" and isinstance(value, str) and key != "properties":
                del node[k]
            else:
                _translate(value, gettext, k)
    elif isinstance(node, list):
        for value in node:
            _translate(value, gettext)


def schema_text(lang: str | None = None) -> str:
    """The schema as stable, readable JSON text (one trailing newline)."""
    return json.dumps(json_schema(lang), ensure_ascii=False, indent=2) + "\n"


def modeline(schema_ref: str = SCHEMA_FILENAME) -> str:
    """The comment line that points yaml-language-server at the schema."""
    return f"# yaml-language-server: $schema={schema_ref}"


def as_json_data(node: Any) -> Any:
    """YAML data → what a JSON validator sees: dates and times become ISO strings, keys strings.

    yaml-language-server reads YAML dates as strings too, so this matches the editor's view.
    """
    import datetime as dt

    if isinstance(node, dict):
        return {str(k): as_json_data(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [as_json_data(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node
