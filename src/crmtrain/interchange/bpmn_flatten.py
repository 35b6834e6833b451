"""BPMN import: each process graph (:mod:`.bpmn`) made into the regulation's steps: one way out per step,
a decision's ways labelled, every BPMN construct crmtrain cannot say flattened and noted."""

from __future__ import annotations

from .bpmn import CHOICES, CONTAINERS, EVENTS, Graph, Node, read_graphs
from .common import Result
from .moodle import slug

GATEWAYS = CHOICES | {"parallelGateway"}


def _flatten_containers(g: Graph, said: list[str]) -> set[str]:
    """Wire each sub-process's inner start and ends into the flow around it; the ids left to skip."""
    skip: set[str] = set()
    for c in [n for n in g.nodes.values() if n.kind in CONTAINERS]:
        inner = [n for n in g.nodes.values() if n.parent == c.id]
        starts = [n for n in inner if n.kind == "startEvent"]
        if not starts:
            c.kind = "task"  # a collapsed sub-process with nothing inside: one action
            continue
        outside = c.out
        c.out = list(starts[0].out)
        skip |= {c.id, starts[0].id}
        for end in (n for n in inner if n.kind == "endEvent"):
            end.out, end.kind = list(outside), "pass"
            skip.add(end.id)
        said.append(f"sub-process '{c.name or 'without a name'}' flattened into its steps")
    return skip


def _incoming(g: Graph) -> dict[str, int]:
    count = {n: 0 for n in g.nodes}
    for n in g.nodes.values():
        for _, t in n.out:
            count[t] += 1
    return count


def _reach(g: Graph, start: str, stop: str | None = None) -> list[str]:
    seen, order, todo = set(), [], [start]
    while todo:
        n = todo.pop(0)
        if n in seen or n == stop:
            continue
        seen.add(n)
        order.append(n)
        todo += g.targets(n)
    return order


def _sequence_parallel(g: Graph, split: Node, said: list[str]) -> None:
    """Parallel branches one after another, up to the gateway joining them; the split says so."""
    incoming = _incoming(g)
    branches = [t for _, t in split.out]
    reached = [_reach(g, b) for b in branches]
    joins = [n for n in reached[0] if g.nodes[n].kind == "parallelGateway" and incoming[n] > 1
             and all(n in r for r in reached[1:])]
    names = "; ".join(g.nodes[b].name or g.nodes[b].id for b in branches)
    # A parallel gateway's own name is rarely more than the tool's default ('Parallel Gateway'): say what it does.
    split.kind, split.name = "task", f"These happen at the same time: {names}"
    if not joins:  # each branch ends on its own: one after another, every end but the last leads on
        for i, branch in enumerate(branches[:-1]):
            for n in reached[i]:
                if g.nodes[n].kind == "endEvent":
                    g.nodes[n].kind, g.nodes[n].out = "pass", [("", branches[i + 1])]
        split.out = split.out[:1]
        said.append(f"parallel branches ({names}) written one after another: they happen at the same time")
        return
    join = joins[0]
    for i, branch in enumerate(branches[:-1]):
        for n in _reach(g, branch, stop=join):
            g.nodes[n].out = [(label, branches[i + 1] if t == join else t) for label, t in g.nodes[n].out]
    split.out = split.out[:1]
    said.append(f"parallel branches ({names}) written one after another: they happen at the same time")


def _is_passthrough(n: Node) -> bool:
    return n.kind == "pass" or (n.kind in GATEWAYS and len(n.out) == 1)


def _follow(g: Graph, target: str, skip: set[str]) -> str | None:
    seen = set()
    while target in g.nodes and (target in skip or _is_passthrough(g.nodes[target])) and target not in seen:
        seen.add(target)
        node = g.nodes[target]
        if not node.out:
            return None
        target = node.out[0][1]
    return target if target in g.nodes else None


class _Ids:
    def __init__(self):
        self.by_node: dict[str, str] = {}
        self.taken: set[str] = set()

    def of(self, node: Node, label: str) -> str:
        if node.id not in self.by_node:
            base = slug(label).lower()[:40].rsplit("-", 1)[0] if len(slug(label)) > 40 else slug(label).lower()
            base = base or node.kind.lower()
            sid, n = base, 1
            while sid in self.taken:
                n += 1
                sid = f"{base}-{n}"
            self.taken.add(sid)
            self.by_node[node.id] = sid
        return self.by_node[node.id]


def _label(n: Node) -> str:
    if n.name:
        return n.name
    if n.kind == "eventBasedGateway":
        return "What happens first?"
    return {"startEvent": "Start", "endEvent": "End"}.get(n.kind, "Which way?" if n.kind in GATEWAYS else n.id)


def to_process(g: Graph, pid: str, res) -> dict:
    """The regulation's process for one BPMN process graph; what was changed is noted under ``pid``."""
    said: list[str] = list(g.said)
    skip = _flatten_containers(g, said)
    for n in [n for n in g.nodes.values() if n.kind == "boundaryEvent"]:
        said.append(f"boundary event '{n.name or n.id}' (an exception path) not carried: a step has one way out")
        n.out = []
    for n in g.nodes.values():  # a step inside a sub-process stands in the sub-process's lane
        if not n.role and n.parent in g.nodes:
            n.role = g.nodes[n.parent].role
    for n in list(g.nodes.values()):
        # Several unconditioned flows out of an activity are a parallel split in BPMN (all are taken).
        implicit = n.kind not in GATEWAYS and len(n.out) > 1 and not any(label for label, _ in n.out)
        if (n.kind == "parallelGateway" or implicit) and len(n.out) > 1:
            if implicit:
                said.append(f"several sequence flows leave '{n.name or n.id}' without a condition: all are taken")
                node = Node(f"{n.id}-split", "parallelGateway", "", "", n.role, n.parent, n.out)
                g.nodes[node.id], n.out = node, [("", node.id)]
                n = node
            _sequence_parallel(g, n, said)
        elif n.kind in EVENTS:
            said.append(f"intermediate event '{n.name or n.id}' written as an action step")
        elif n.kind not in GATEWAYS and len(n.out) > 1:
            said.append(f"conditional sequence flows leave '{n.name or n.id}': written as a decision")
    starts = [n for n in g.nodes.values() if n.kind == "startEvent" and n.id not in skip]
    if not starts:
        raise_free = f"no start event: the first step '{next(iter(g.nodes.values())).name}' is taken as the start"
        said.append(raise_free)
        starts = [next(iter(g.nodes.values()))]
    if len(starts) > 1:
        said.append(f"{len(starts)} start events: the process starts at '{_label(starts[0])}' (the others' "
                    "paths are kept only where they join it)")
    steps = _steps(g, starts[0], skip, said)
    for message in said:
        res.note(pid, message)
    return {"id": pid, "title": g.title, "steps": steps}


def _steps(g: Graph, start: Node, skip: set[str], said: list[str]) -> list[dict]:
    ids, steps, todo, done, end_id = _Ids(), [], [start.id], set(), None

    def target(t: str) -> str:
        nonlocal end_id
        followed = _follow(g, t, skip)
        if followed is None:
            end_id = end_id or "end"
            return end_id
        todo.append(followed)
        return ids.of(g.nodes[followed], _label(g.nodes[followed]))

    while todo:
        node = g.nodes[todo.pop(0)]
        if node.id in done:
            continue
        done.add(node.id)
        step = {"id": ids.of(node, _label(node)), "kind": _kind(node), "label": _label(node)}
        if node.role:
            step["role"] = node.role
        if node.docs:
            step["instructions"] = node.docs
        if step["kind"] == "decision":
            step["branches"] = _branches(g, node, target, said)
        elif step["kind"] != "end":
            if not node.out:
                said.append(f"'{_label(node)}' has no way out: it leads to an added end step")
            step["next"] = target(node.out[0][1]) if node.out else (end_id := end_id or "end")
        steps.append(step)
    if end_id and end_id not in {s["id"] for s in steps}:
        steps.append({"id": end_id, "kind": "end", "label": "End"})
    return steps


def _kind(n: Node) -> str:
    if n.kind == "startEvent":
        return "start"
    if n.kind == "endEvent":
        return "end"
    if len(n.out) > 1:
        return "decision"
    return "action"


def _branches(g: Graph, node: Node, target, said: list[str]) -> list[dict]:
    out, unnamed = [], False
    for label, t in node.out:
        if not label:
            unnamed = node.kind != "eventBasedGateway"  # its ways are named by the events that come first
            label = _label(g.nodes[t]) if node.kind == "eventBasedGateway" else f"to {_label(g.nodes[t])}"
        while label in (b["label"] for b in out):
            label = f"{label} ({_label(g.nodes[t])})"
        out.append({"label": label, "next": target(t)})
    if unnamed:
        said.append(f"decision '{_label(node)}': a way out without a name is labelled by where it leads")
    return out


def import_bpmn(data: bytes, source: str) -> Result:
    """The file's processes as the regulation's process data (``Result.processes``), with notes per process."""
    graphs, said = read_graphs(data, source)
    res = Result()
    taken: set[str] = set()
    for graph in graphs:
        pid = base = slug(graph.title).lower() or "process"
        n = 1
        while pid in taken:
            n += 1
            pid = f"{base}-{n}"
        taken.add(pid)
        res.processes.append(to_process(graph, pid, res))
    for message in said:
        res.note(source, message)
    return res
