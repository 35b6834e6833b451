"""Deal pipeline: allowed status transitions, required fields, reference checks, drill cases.

Works on the JSON dump of ``Pipeline`` (by alias, so a transition's source is ``"from"``).
"""

from __future__ import annotations

import random
from collections import deque


def _status_ids(pipeline: dict) -> list[str]:
    return [s["id"] for s in pipeline.get("statuses", ())]


def transition(pipeline: dict, src: str, dst: str) -> dict | None:
    """The first transition from ``src`` to ``dst``, or None if the move is not allowed."""
    for t in pipeline.get("transitions", ()):
        if t.get("from") == src and t.get("to") == dst:
            return t
    return None


def allowed_targets(pipeline: dict, src: str) -> list[str]:
    """Statuses a deal in ``src`` may move to, in table order, without duplicates."""
    return list(dict.fromkeys(t["to"] for t in pipeline.get("transitions", ()) if t.get("from") == src))


def unknown_statuses(pipeline: dict) -> list[tuple[int, str, str]]:
    """(transition index, 'from' or 'to', value) for every reference to a missing status."""
    known = set(_status_ids(pipeline))
    return [(i, key, t.get(key)) for i, t in enumerate(pipeline.get("transitions", ()))
            for key in ("from", "to") if t.get(key) not in known]


def unknown_fields(pipeline: dict) -> list[tuple[int, str]]:
    """(transition index, field id) for every required field that is not among ``fields``."""
    known = {f["id"] for f in pipeline.get("fields", ())}
    return [(i, f) for i, t in enumerate(pipeline.get("transitions", ()))
            for f in t.get("requires") or () if f not in known]


def unreachable_statuses(pipeline: dict) -> list[str]:
    """Statuses a deal can never reach from ``initial`` (all of them if ``initial`` is unknown)."""
    ids = _status_ids(pipeline)
    initial = pipeline.get("initial")
    if initial not in ids:
        return ids
    seen, queue = {initial}, deque([initial])
    while queue:
        for dst in allowed_targets(pipeline, queue.popleft()):
            if dst not in seen:
                seen.add(dst)
                queue.append(dst)
    return [s for s in ids if s not in seen]


def _terminal(pipeline: dict) -> set[str]:
    return {s["id"] for s in pipeline.get("statuses", ()) if s.get("terminal")}


def askable_moves(pipeline: dict) -> tuple[list[dict], list[tuple[str, str]]]:
    """What a drill may ask: (allowed transitions, forbidden (from, to) pairs)."""
    ids = _status_ids(pipeline)
    known = set(ids)
    valid = [t for t in pipeline.get("transitions", ())
             if t.get("from") in known and t.get("to") in known and t["from"] != t["to"]]
    # Asking whether a closed deal may move is a trick question, unless the regulation really
    # allows reopening it: then the terminal status has outgoing transitions and is fair game.
    terminal, sources = _terminal(pipeline), {t["from"] for t in valid}
    askable = [s for s in ids if s not in terminal or s in sources]
    forbidden = [(a, b) for a in askable for b in ids if a != b and transition(pipeline, a, b) is None]
    return valid, forbidden


def random_case(pipeline: dict, rng: random.Random) -> dict:
    """A 'may the deal move?' drill: {from, to, allowed, requires}, allowed about half the time."""
    valid, forbidden = askable_moves(pipeline)
    if not valid and not forbidden:
        raise ValueError("the pipeline has no transitions between known statuses to ask about")
    if valid and (not forbidden or rng.random() < 0.5):
        t = rng.choice(valid)
        return {"from": t["from"], "to": t["to"], "allowed": True, "requires": list(t.get("requires") or ())}
    # Pick the source first so a status with many forbidden moves is not over-represented.
    src = rng.choice(list(dict.fromkeys(a for a, _ in forbidden)))
    dst = rng.choice([b for a, b in forbidden if a == src])
    return {"from": src, "to": dst, "allowed": False, "requires": []}
