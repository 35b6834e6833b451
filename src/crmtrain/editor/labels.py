"""The editor's labels for the format's fields and enum values, in English msgids.

A field is labelled by its key (the format's own names), or by ``Model.key`` where one key
means different things in different models (a pipeline's ``initial`` is its first status, the
assessments' ``initial`` the initial assessment). Enum values get a label each, so a pick list
reads "Звонок", not "call"; a value not listed is shown as it is written.
"""

from __future__ import annotations

from ..kinds.drills import DRILL_KINDS
from ..kinds.questions import QUESTION_KINDS


def N_(text: str) -> str:
    """Mark a msgid for extraction; translated when the schema is made."""
    return text


# Field name -> label. The names are the format's keys; a key not listed keeps its model title.
LABELS = {
    "meta": N_("About the regulation"), "summary": N_("1. Summary"), "order_processing": N_("2. Order processing"),
    "client_work": N_("3. Working with clients"), "questions": N_("Questions"), "assessments": N_("Assessments"),
    "company": N_("Company"), "crm": N_("CRM system"), "language": N_("Language"), "version": N_("Version"),
    "effective_date": N_("Effective from"), "specialist": N_("Responsible specialist"), "name": N_("Name"),
    "contact": N_("Contact"), "role": N_("Role"), "pass_mark": N_("Pass mark, %"), "intro": N_("Introduction"),
    "topics": N_("Topics"), "id": N_("Id"), "kind": N_("Kind"), "title": N_("Title"), "body": N_("Text"),
    "blocks": N_("Blocks"), "links": N_("Links"), "images": N_("Images"), "url": N_("Address"),
    "path": N_("File"), "alt": N_("Description of the picture"), "processes": N_("Processes"),
    "description": N_("Description"), "steps": N_("Steps"), "label": N_("Text"), "instructions": N_("What to do in the CRM"),
    "next": N_("Next step"), "branches": N_("Branches"), "lead_classification": N_("Lead classification"),
    "criteria": N_("Criteria"), "values": N_("Values"), "value_labels": N_("Value labels"), "classes": N_("Lead classes"),
    "rules": N_("Rules"), "when": N_("When"), "then": N_("Class"), "note": N_("Note"), "proposal": N_("Commercial proposal"),
    "sources": N_("Sources"), "source": N_("Source"), "contact_timing": N_("Contact deadlines"),
    "calendar": N_("Working calendar"), "timezone": N_("Time zone"), "workdays": N_("Working days"),
    "opens": N_("Opens at"), "closes": N_("Closes at"), "holidays": N_("Holidays"), "deadline": N_("Deadline"),
    "minutes": N_("Minutes"), "hours": N_("Hours"), "days": N_("Days"), "event": N_("Event"), "channel": N_("Channel"),
    "conversion": N_("Lead becomes a client"), "pipeline": N_("Deal pipeline"), "statuses": N_("Statuses"),
    "terminal": N_("Final status"), "transitions": N_("Transitions"), "from": N_("From"), "to": N_("To"),
    "requires": N_("Required fields"), "fields": N_("Deal fields"), "tasks": N_("Tasks"), "task": N_("Task"),
    "due": N_("Due"), "attach_to": N_("Attached to"), "refs": N_("Tests the items"), "topic": N_("Test area"),
    "type": N_("Question type"), "text": N_("Text"), "options": N_("Options"), "answer": N_("Correct answer"),
    "tolerance": N_("Tolerance"), "unit": N_("Unit"), "explanation": N_("Explanation"), "points": N_("Points"),
    "pool": N_("Pool"), "partial_credit": N_("Partial credit"), "initial": N_("Initial assessment"),
    "followup": N_("Follow-up assessment"), "due_days": N_("Days to complete"),
    "after_days": N_("Opens days after the previous one is submitted"), "include": N_("Questions asked of everyone"),
    "draw": N_("Drawn questions"), "count": N_("How many"), "slots": N_("Per-trainee questions"),
    "one_of": N_("One of the questions"), "case": N_("Case from the rules"), "process": N_("Process"),
    "show_answers": N_("Show the correct answers in the feedback"), "min": N_("From"), "max": N_("To"),
    "approver": N_("Approved by"), "action": N_("Action"), "answer_from": N_("Correct answer from the rules"),
    "pipelines": N_("Deal pipelines"),
}


# "Model.key" -> label, where the key's general label would say the wrong thing there.
MODEL_LABELS = {
    "Pipeline.initial": N_("First status"), "DealField.label": N_("Field name in the CRM"),
    "Calendar.extra_workdays": N_("Extra working days"), "Calendar.hours": N_("Hours per weekday"),
    "Calendar.opens": N_("Working day starts"), "Calendar.closes": N_("Working day ends"),
    "Deadline.minutes": N_("Working minutes"), "Deadline.hours": N_("Working hours"), "Deadline.days": N_("Working days"),
    "Deadline.calendar_hours": N_("Calendar hours"), "Deadline.calendar_days": N_("Calendar days"),
    "AnswerFrom.contact_deadline": N_("Contact deadline"), "AnswerFrom.lead": N_("Class of this lead"),
    "AnswerFrom.transition": N_("Allowed transition"), "AnswerFrom.next_step": N_("Next step of a process"),
    "MoveRef.pipeline": N_("Pipeline"), "StepRef.step": N_("Step"), "StepRef.branch": N_("Branch taken"),
    "Meta.words": N_("The company's own words"),
    "WordForms.one": N_("Word"), "WordForms.many": N_("Plural"), "WordForms.gen": N_("Genitive"),
    "WordForms.dat": N_("Dative"), "WordForms.acc": N_("Accusative"), "WordForms.ins": N_("Instrumental"),
    "WordForms.prep": N_("Prepositional"), "WordForms.many_gen": N_("Genitive plural"),
    "WordForms.many_dat": N_("Dative plural"), "WordForms.many_acc": N_("Accusative plural"),
    "WordForms.many_ins": N_("Instrumental plural"), "WordForms.many_prep": N_("Prepositional plural"),
    "WordForms.gender": N_("Gender"),
}

# Enum value -> label, for every pick list of the format.
ENUM_LABELS = {
    "mon": N_("Monday"), "tue": N_("Tuesday"), "wed": N_("Wednesday"), "thu": N_("Thursday"), "fri": N_("Friday"),
    "sat": N_("Saturday"), "sun": N_("Sunday"),
    "call": N_("Call"), "email": N_("Email"), "message": N_("Message"), "meeting": N_("Meeting"), "any": N_("Any channel"),
    **{k.name: k.label for k in DRILL_KINDS.values()},  # a slot's case kinds (the lead also of attach_to and words)
    "contact": N_("Contact"), "company": N_("Company"), "deal": N_("Deal"), "client": N_("Client"), "task": N_("Task"),
    "number": N_("Number"), "choice": N_("Choice"), "bool": N_("Yes or no"),
    "ru": N_("Russian"), "en": N_("English"),
    **{k.name: k.menu for k in QUESTION_KINDS.values()},
    "start": N_("Start of the process"), "action": N_("Action"), "decision": N_("Decision"), "end": N_("End of the process"),
    "purpose": N_("Purpose of the CRM"), "access": N_("Access"), "interface": N_("Interface"),
    "sales_setup": N_("Sales setup"), "analytics": N_("Analytics"), "lookup": N_("Finding things"),
    "settings": N_("Settings"),
    "technical": N_("Technical part"), "processes": N_("Processes"), "sales": N_("Sales"),
    "m": N_("masculine"), "f": N_("feminine"), "n": N_("neuter"),
}
