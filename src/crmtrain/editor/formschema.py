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
from .labels import ENUM_LABELS, LABELS, MODEL_LABELS

NO_DEFAULT = object()


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
    _fit(schema, tr, "")
    for name, model in schema.get("$defs", {}).items():
        _fit(model, tr, name)
        if model.get("description") and "properties" in model:
            model["description"] = tr.gettext(model["description"])
    return schema


def _label_enum(node: dict, tr) -> None:
    """Each enum value's label in the specialist's language, for the form's pick lists."""
    for target in (node, node.get("items") or {}):
        if "enum" in target:
            target["x-labels"] = {v: tr.gettext(ENUM_LABELS[v]) for v in target["enum"] if v in ENUM_LABELS}


def _fit(node: dict, tr, model: str) -> None:
    _label_enum(node, tr)
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
        label = MODEL_LABELS.get(f"{model}.{key}") or LABELS.get(key)
        prop["title"] = tr.gettext(label) if label else prop.get("title") or key.replace("_", " ").capitalize()
        if prop.get("description"):
            prop["description"] = tr.gettext(prop["description"])
        _label_enum(prop, tr)


def default_at(loc: Loc) -> Any:
    """The schema's default for the field at ``loc`` (NO_DEFAULT when it has none)."""
    node = _node_at(loc)
    return NO_DEFAULT if node is None else node.get("default", NO_DEFAULT)


def format_at(loc: Loc) -> str | None:
    """The string format ("date") the schema gives the field at ``loc``, if any."""
    node = _node_at(loc)
    return resolve(raw_schema(), node).get("format") if node is not None else None


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
