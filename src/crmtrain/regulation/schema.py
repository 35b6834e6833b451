"""The regulation format as a JSON Schema, derived from the models (never written by hand).

Editors use it for completion and live errors: yaml-language-server (VS Code's YAML
extension, JupyterLab's LSP) reads the ``# yaml-language-server: $schema=...`` modeline that
``crmtrain init`` writes. The schema knows field names, types, enums and patterns; checks
that need the whole document (references, decision-table gaps) stay with ``crmtrain check``.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_FILENAME = "regulation.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a regulation file, as pydantic derives it from the models."""
    from .models import Regulation

    body = Regulation.model_json_schema(by_alias=True, mode="validation")
    body["title"] = "CRM regulation (crmtrain)"
    body["description"] = ("A company's CRM regulation for crmtrain: meta, summary, order_processing, "
                           "client_work, questions, assessments. See docs/regulation-format.md.")
    return {"$schema": DIALECT, **body}


def schema_text() -> str:
    """The schema as stable, readable JSON text (one trailing newline)."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


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
