"""What the editor shows beside the forms: diagrams, what each trainee is asked, question kinds.

Diagrams are the workbooks' own Mermaid sources (:mod:`crmtrain.notebooks.diagrams`), found by
walking the data with the schema: every process and every pipeline wherever the format puts
them, so a second pipeline gets its diagram too. A part that does not validate yet keeps the
browser's last drawing (it gets no source here).
"""

from __future__ import annotations

from typing import Any

from ..kinds.questions import QUESTION_KINDS
from .formschema import resolve

DRAWN = {"Process": "process", "Pipeline": "pipeline"}


def kinds() -> dict[str, dict]:
    """Each question type: whether it lists options, takes a tolerance, and its key's shape."""
    return {k.name: {"options": k.options, "tolerance": k.tolerance, "key": k.key} for k in QUESTION_KINDS.values()}


def diagrams(data: Any, schema: dict) -> dict[str, str]:
    """Item id -> Mermaid source, for every process and pipeline in ``data`` that validates."""
    found: dict[str, str] = {}
    _walk(data, schema, schema, found)
    return found


def _walk(data: Any, node: dict, root: dict, found: dict[str, str]) -> None:
    name = node.get("$ref", "").rsplit("/", 1)[-1]
    node = resolve(root, node)
    if name in DRAWN and isinstance(data, dict) and data.get("id"):
        source = _draw(DRAWN[name], data)
        if source:
            found[data["id"]] = source
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key in node.get("properties", {}):
                _walk(value, node["properties"][key], root, found)
    elif isinstance(data, list) and isinstance(node.get("items"), dict):
        for value in data:
            _walk(value, node["items"], root, found)


def _draw(kind: str, data: dict) -> str | None:
    from pydantic import ValidationError

    from ..notebooks import diagrams as mermaid
    from ..regulation.client_work import Pipeline
    from ..regulation.models import Process

    try:
        if kind == "process":
            return mermaid.flowchart(Process.model_validate(data))
        pipeline = Pipeline.model_validate(data)
        return mermaid.state_diagram(pipeline, {f.id: f.label for f in pipeline.fields})
    except (ValidationError, KeyError, AttributeError):
        return None  # not drawable yet: a status or step it names is still missing


def asked(data: Any, found: list) -> dict[str, dict]:
    """Per assessment: the questions everyone gets, the draws, the per-trainee slots, its gaps."""
    out: dict[str, dict] = {}
    assessments = data.get("assessments") if isinstance(data, dict) else None
    questions = {q.get("id"): q for q in (data.get("questions") or []) if isinstance(q, dict)} if isinstance(data, dict) else {}
    for name, spec in (assessments or {}).items():
        if not isinstance(spec, dict):
            continue
        everyone = [f"{qid}: {questions.get(qid, {}).get('text', '?')}" for qid in spec.get("include") or []]
        drawn = [f"{d.get('count', '?')} × {d.get('pool', '?')}" + (f" ({d['topic']})" if d.get("topic") else "")
                 for d in spec.get("draw") or [] if isinstance(d, dict)]
        slots = [f"{s.get('id', '?')}: " + (" | ".join(s.get("one_of") or []) or str(s.get("case", "?")))
                 for s in spec.get("slots") or [] if isinstance(s, dict)]
        gaps = [f.message for f in found if f.pointer.startswith(f"/assessments/{name}")]
        out[name] = {"everyone": everyone, "drawn": drawn, "slots": slots, "uncovered": gaps}
    return out


def items(data: Any) -> list[tuple[str, str]] | None:
    """(reference, title) of every item a question can test; None while the regulation is invalid."""
    from pydantic import ValidationError

    from ..regulation.items import iter_items
    from ..regulation.models import Regulation

    try:
        reg = Regulation.model_validate(data)
    except ValidationError:
        return None
    return [(item.id, item.title) for item in iter_items(reg)]
