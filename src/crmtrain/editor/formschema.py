"""The JSON Schema the editor's forms are drawn from: the format's own, in the specialist's words.

Nothing about the format is written here: fields, types, enums, defaults and descriptions all
come from the models (:func:`crmtrain.regulation.schema.json_schema`), so a field added to the
models appears in the editor without a change to it. This module only makes the schema fit a
form: "X or null" becomes X (an empty optional field is simply left out of the file), and each
field gets a label and help in the regulation's language from the gettext catalogs. A field the
catalogs do not know yet keeps the models' English title.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from .. import i18n
from ..regulation.positions import Loc

NO_DEFAULT = object()


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


@functools.lru_cache(maxsize=4)
def raw_schema() -> dict[str, Any]:
    """The format's JSON Schema as the models derive it (computed once per process)."""
    from ..regulation.schema import json_schema

    return json_schema()


@functools.lru_cache(maxsize=4)
def form_schema(lang: str) -> dict[str, Any]:
    """The schema for the forms: nullable fields plain, labels and help in ``lang``."""
    from ..regulation.schema import json_schema

    lang = lang if lang in i18n.LANGUAGES else "en"
    tr = i18n.translation(lang)
    schema = copy.deepcopy(json_schema(lang))  # descriptions (hover help) already in ``lang``
    schema.pop("$schema", None)
    _fit(schema, tr)
    for model in schema.get("$defs", {}).values():
        _fit(model, tr)
        if model.get("description") and "properties" in model:
            model["description"] = tr.gettext(model["description"])
    return schema


def _fit(node: dict, tr) -> None:
    for key, prop in node.get("properties", {}).items():
        options = [o for o in prop.get("anyOf", ()) if o.get("type") != "null"]
        if len(options) == 1 and len(prop["anyOf"]) == 2:  # "X or null": an optional X
            del prop["anyOf"]
            prop.update(options[0])
        elif len(options) > 1 and not any("$ref" in o or o.get("type") == "object" for o in options):
            # one of several plain types (an answer): the editor has a field of its own for it
            del prop["anyOf"]
        if prop.get("default", 0) is None:
            del prop["default"]
        prop["title"] = tr.gettext(LABELS[key]) if key in LABELS else prop.get("title") or key.replace("_", " ").capitalize()
        if prop.get("description"):
            prop["description"] = tr.gettext(prop["description"])


def default_at(loc: Loc) -> Any:
    """The schema's default for the field at ``loc`` (NO_DEFAULT when it has none)."""
    node = _node_at(loc)
    return NO_DEFAULT if node is None else node.get("default", NO_DEFAULT)


def keys_at(loc: Loc) -> list[str]:
    """The fields of the object at ``loc`` in the models' order (id first): how new items are written."""
    node = _node_at(loc)
    return list(resolve(raw_schema(), node).get("properties", {})) if node is not None else []


def _node_at(loc: Loc) -> dict | None:
    schema = raw_schema()
    node: Any = schema
    for part in loc:
        node = resolve(schema, node)
        if isinstance(part, int):
            node = node.get("items")
        else:
            props = node.get("properties") or {}
            node = props.get(part, node.get("additionalProperties") if isinstance(node.get("additionalProperties"), dict) else None)
        if not isinstance(node, dict):
            return None
    return node


def resolve(schema: dict, node: dict) -> dict:
    """``node`` with its $ref followed; of "X or null", X."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            objects = [o for o in node["anyOf"] if "$ref" in o or o.get("type") in ("object", "array")]
            if not objects:
                return node
            node = objects[0]
        else:
            return node
