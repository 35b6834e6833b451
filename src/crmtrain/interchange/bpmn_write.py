"""The regulation's processes as a BPMN 2.0 file with its diagram, for bpmn.io / Camunda Modeler.

One pool (participant) per process, one lane per role; steps become start events, tasks,
exclusive gateways and end events, branches become named sequence flows, instructions become
documentation. The diagram is laid out in columns by distance from the start and in rows by
lane, so the file opens as a picture, not as a heap at the origin.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..regulation.models import Process
from .common import Result

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI"}
ELEMENT = {"start": "startEvent", "action": "task", "decision": "exclusiveGateway", "end": "endEvent"}
SIZE = {"start": (36, 36), "end": (36, 36), "action": (100, 80), "decision": (50, 50)}
COLUMN, ROW, POOL_LABEL, GAP = 170, 120, 30, 40


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _columns(proc: Process) -> dict[str, int]:
    """Each step's column: its distance from the start (a loop back does not push it further)."""
    start = next(s.id for s in proc.steps if s.kind == "start")
    column, todo = {start: 0}, [start]
    while todo:
        sid = todo.pop(0)
        step = proc.step(sid)
        for nxt in ([step.next] if step.next else []) + [b.next for b in step.branches]:
            if nxt not in column:
                column[nxt] = column[sid] + 1
                todo.append(nxt)
    last = max(column.values(), default=0)
    for s in proc.steps:  # steps the start does not reach still get a place
        column.setdefault(s.id, last + 1)
    return column


def _layout(proc: Process, top: int) -> tuple[dict[str, tuple[int, int, int, int]], list[tuple[str, int, int]], int]:
    """Step bounds (x, y, w, h), lanes (role, y, height) and the pool's height."""
    roles = list(dict.fromkeys(s.role for s in proc.steps))
    column = _columns(proc)
    slots: dict[tuple[str, int], int] = {}
    place: dict[str, tuple[str, int, int]] = {}
    for s in proc.steps:
        k = (s.role, column[s.id])
        place[s.id] = (s.role, column[s.id], slots.get(k, 0))
        slots[k] = slots.get(k, 0) + 1
    lanes, bounds, y = [], {}, top
    for role in roles:
        rows = max(v for (r, _), v in slots.items() if r == role)
        height = rows * ROW + GAP
        lanes.append((role, y, height))
        for sid, (r, col, row) in place.items():
            if r == role:
                w, h = SIZE[proc.step(sid).kind]
                cx, cy = POOL_LABEL + 60 + col * COLUMN, y + GAP // 2 + row * ROW + ROW // 2
                bounds[sid] = (cx - w // 2, cy - h // 2, w, h)
        y += height
    return bounds, lanes, y - top


def _edge(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    if bx > ax:  # forward: right side → left side with one bend
        sx, sy, tx, ty = ax + aw, ay + ah // 2, bx, by + bh // 2
        mid = (sx + tx) // 2
        return [(sx, sy), (mid, sy), (mid, ty), (tx, ty)] if sy != ty else [(sx, sy), (tx, ty)]
    # back (a loop): under both shapes
    below = max(ay + ah, by + bh) + 20
    return [(ax + aw // 2, ay + ah), (ax + aw // 2, below), (bx + bw // 2, below), (bx + bw // 2, by + bh)]


def export_bpmn(processes: tuple[Process, ...]) -> Result:
    """The processes as one BPMN 2.0 document (``Result.text``) with a diagram bpmn.io lays out as drawn."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    defs = ET.Element(_q("bpmn", "definitions"), {"id": "crmtrain-definitions", "targetNamespace": "urn:crmtrain",
                                                   "exporter": "crmtrain", "exporterVersion": "1"})
    collab = ET.SubElement(defs, _q("bpmn", "collaboration"), {"id": "collaboration"})
    diagram = ET.Element(_q("bpmndi", "BPMNDiagram"), {"id": "diagram"})
    plane = ET.SubElement(diagram, _q("bpmndi", "BPMNPlane"), {"id": "plane", "bpmnElement": "collaboration"})
    top = 0
    for proc in processes:
        top += _process(defs, collab, plane, proc, top) + 60
    defs.append(diagram)
    ET.indent(defs)
    res = Result()
    res.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(defs, encoding="unicode") + "\n"
    return res


def _shape(plane: ET.Element, element: str, x: int, y: int, w: int, h: int, **extra: str) -> None:
    shape = ET.SubElement(plane, _q("bpmndi", "BPMNShape"), {"id": f"{element}_di", "bpmnElement": element, **extra})
    ET.SubElement(shape, _q("dc", "Bounds"), {"x": str(x), "y": str(y), "width": str(w), "height": str(h)})


def _process(defs, collab, plane, proc: Process, top: int) -> int:
    pid = f"process-{proc.id}"
    ET.SubElement(collab, _q("bpmn", "participant"), {"id": f"pool-{proc.id}", "name": proc.title, "processRef": pid})
    el = ET.SubElement(defs, _q("bpmn", "process"), {"id": pid, "name": proc.title, "isExecutable": "false"})
    bounds, lanes, height = _layout(proc, top)
    width = max(x + w for x, _, w, _ in bounds.values()) + 60
    _shape(plane, f"pool-{proc.id}", 0, top, width, height, isHorizontal="true")
    lane_set = ET.SubElement(el, _q("bpmn", "laneSet"), {"id": f"lanes-{proc.id}"})
    for n, (role, y, h) in enumerate(lanes):
        lane = ET.SubElement(lane_set, _q("bpmn", "lane"), {"id": f"lane-{proc.id}-{n}", "name": role})
        for s in proc.steps:
            if s.role == role:
                ET.SubElement(lane, _q("bpmn", "flowNodeRef")).text = f"{proc.id}-{s.id}"
        _shape(plane, f"lane-{proc.id}-{n}", POOL_LABEL, y, width - POOL_LABEL, h, isHorizontal="true")
    flows = []
    for s in proc.steps:
        ways = [("", s.next)] if s.next else [(b.label, b.next) for b in s.branches]
        for n, (label, target) in enumerate(ways):
            flows.append((f"flow-{proc.id}-{s.id}-{n}", label, s.id, target))
    nodes = {}
    for s in proc.steps:
        node = ET.SubElement(el, _q("bpmn", ELEMENT[s.kind]), {"id": f"{proc.id}-{s.id}", "name": s.label})
        if s.instructions:
            ET.SubElement(node, _q("bpmn", "documentation")).text = s.instructions
        nodes[s.id] = node
    for sid, node in nodes.items():  # the schema wants every incoming before the outgoing
        for fid, _, source, target in flows:
            if target == sid:
                ET.SubElement(node, _q("bpmn", "incoming")).text = fid
        for fid, _, source, target in flows:
            if source == sid:
                ET.SubElement(node, _q("bpmn", "outgoing")).text = fid
    for fid, label, source, target in flows:
        attrs = {"id": fid, "sourceRef": f"{proc.id}-{source}", "targetRef": f"{proc.id}-{target}"}
        ET.SubElement(el, _q("bpmn", "sequenceFlow"), {**attrs, **({"name": label} if label else {})})
    for s in proc.steps:
        _shape(plane, f"{proc.id}-{s.id}", *bounds[s.id])
    for fid, _, source, target in flows:
        edge = ET.SubElement(plane, _q("bpmndi", "BPMNEdge"), {"id": f"{fid}_di", "bpmnElement": fid})
        for x, y in _edge(bounds[source], bounds[target]):
            ET.SubElement(edge, _q("di", "waypoint"), {"x": str(x), "y": str(y)})
    return height
