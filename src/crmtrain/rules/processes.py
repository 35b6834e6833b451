"""Business process graphs: reference checks, reachability and drill cases.

Works on the JSON dump of ``Process``: ``steps`` is a list of dicts with ``id``, ``kind``
(start | action | decision | end), ``next`` and ``branches`` [{label, next}].
Only lists and dicts are iterated when drawing random cases: set order depends on string
hashing, which differs between kernels, and drills must be reproducible from the seed.
"""

from __future__ import annotations

import random
from collections import deque


def _steps(process: dict) -> dict[str, dict]:
    return {s["id"]: s for s in process.get("steps", ())}


def _step(process: dict, step_id: str) -> dict:
    for s in process.get("steps", ()):
        if s["id"] == step_id:
            return s
    raise KeyError(step_id)


def _edges(step: dict) -> list[tuple[str | None, str]]:
    if step.get("kind") == "decision":
        return [(b.get("label"), b.get("next")) for b in step.get("branches") or ()]
    return [(None, step["next"])] if step.get("next") else []


def successors(process: dict, step_id: str) -> list[tuple[str | None, str]]:
    """(branch label or None, next step id) pairs leaving ``step_id``."""
    return _edges(_step(process, step_id))


def unknown_targets(process: dict) -> list[tuple[str, int | None, str]]:
    """(step id, branch index or None for 'next', target) for every reference to a missing step."""
    ids = _steps(process)
    found = []
    for s in process.get("steps", ()):
        if s.get("next") and s["next"] not in ids:
            found.append((s["id"], None, s["next"]))
        for i, b in enumerate(s.get("branches") or ()):
            if b.get("next") not in ids:
                found.append((s["id"], i, b.get("next")))
    return found


def starts(process: dict) -> list[str]:
    """Ids of the start steps (a valid process has exactly one)."""
    return [s["id"] for s in process.get("steps", ()) if s.get("kind") == "start"]


def _reach(process: dict, roots: list[str], reverse: bool = False) -> set[str]:
    steps = _steps(process)
    graph: dict[str, list[str]] = {sid: [] for sid in steps}
    for sid, s in steps.items():
        for _, target in _edges(s):
            if target in steps:
                if reverse:
                    graph[target].append(sid)
                else:
                    graph[sid].append(target)
    seen, queue = set(roots), deque(roots)
    while queue:
        for target in graph[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def unreachable(process: dict) -> list[str]:
    """Ids of steps that cannot be reached from any start step (in table order)."""
    seen = _reach(process, starts(process))
    return [s["id"] for s in process.get("steps", ()) if s["id"] not in seen]


def dead_ends(process: dict) -> list[str]:
    """Ids of steps from which no end step can be reached (loops without exit, missing links)."""
    ends = [s["id"] for s in process.get("steps", ()) if s.get("kind") == "end"]
    seen = _reach(process, ends, reverse=True)
    return [s["id"] for s in process.get("steps", ()) if s["id"] not in seen]


def next_step(process: dict, step_id: str, branch_label: str | None = None) -> str:
    """The step that follows ``step_id``; decisions need ``branch_label`` (ValueError if wrong)."""
    step = _step(process, step_id)
    edges = _edges(step)
    if not edges:
        raise ValueError(f"step {step_id!r} is an end step; nothing follows it")
    if step.get("kind") != "decision":
        return edges[0][1]
    if branch_label is not None:
        for exact in (True, False):
            for label, target in edges:
                # Exact first; then forgive case and stray spaces in typed answers.
                if label == branch_label or (not exact and
                                             label.strip().casefold() == branch_label.strip().casefold()):
                    return target
    raise ValueError(f"step {step_id!r} is a decision; give one of its branches: "
                     + ", ".join(repr(label) for label, _ in edges))


def random_case(process: dict, rng: random.Random) -> dict:
    """A 'what comes next?' drill: {step, branch, answer, options} (options shuffled, 3-4 if possible)."""
    steps = _steps(process)
    # Every (step, branch) pair is equally likely, so decisions (the hard part) come up more.
    pairs = [(s["id"], label, target) for s in process.get("steps", ())
             if s.get("kind") != "end" for label, target in _edges(s) if target in steps]
    if not pairs:
        raise ValueError("the process has no step with a valid next step to ask about")
    step_id, branch, answer = rng.choice(pairs)
    # Plausible distractors first: the other branches' targets and the steps two hops away.
    near = [t for _, t in _edges(steps[step_id])]
    near += [t2 for t in near if t in steps for _, t2 in _edges(steps[t])]
    near = [t for t in dict.fromkeys(near) if t in steps and t not in (answer, step_id)]
    rest = [sid for sid in steps if sid not in near and sid not in (answer, step_id)]
    rng.shuffle(near)
    rng.shuffle(rest)
    want = 3 if len(near) + len(rest) >= 3 else 2
    distractors = (near[:2] + rest + near[2:])[:want]
    if len(distractors) < 2:
        # Tiny process: the asked step itself is the only remaining wrong answer.
        distractors.append(step_id)
    options = [answer] + distractors
    rng.shuffle(options)
    return {"step": step_id, "branch": branch, "answer": answer, "options": options}


def ordering(process: dict) -> list[str]:
    """The main path from the start to an end, preferring first branches and never looping."""
    steps = _steps(process)
    first = starts(process)
    if not first:
        raise ValueError("the process has no start step")
    # Depth-first with a global visited set: finds a simple path to an end if one exists and,
    # because branches are tried in order, it is the 'first branch wherever possible' path.
    # Iterative, so a long process cannot hit the recursion limit.
    visited, path = {first[0]}, [first[0]]
    pending = [iter(_edges(steps[first[0]]))]
    while path:
        if steps[path[-1]].get("kind") == "end":
            return path
        target = next((t for _, t in pending[-1] if t in steps and t not in visited), None)
        if target is None:
            path.pop()
            pending.pop()
            continue
        visited.add(target)
        path.append(target)
        pending.append(iter(_edges(steps[target])))
    # No end reachable: fall back to the greedy first-branch walk so callers still get a path.
    path, sid = [], first[0]
    while sid is not None and sid not in path:
        path.append(sid)
        sid = next((t for _, t in _edges(steps[sid]) if t in steps and t not in path), None)
    return path
