"""Business processes from BPMN 2.0 files (bpmn.io / Camunda Modeler, Signavio, Trisotech, ...).

A BPMN process becomes the regulation's process: start and end events become start and end
steps, tasks (of any kind) and call activities become actions, an exclusive, inclusive,
complex or event-based gateway with several ways out becomes a decision whose branches are
labelled by the sequence flows' names (else their conditions), a lane gives the role and the
documentation becomes the CRM instructions. What a crmtrain process cannot say is flattened
or left out, and said per process: intermediate events become action steps, a sub-process is
flattened into its steps, parallel branches are written one after another behind a step that
says they happen at the same time, boundary events (exception paths), message flows between
pools and data objects are not carried.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import UserError

ACTIVITIES = {"task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask",
              "businessRuleTask", "callActivity"}
CHOICES = {"exclusiveGateway", "inclusiveGateway", "complexGateway", "eventBasedGateway"}
EVENTS = {"intermediateCatchEvent", "intermediateThrowEvent"}
CONTAINERS = {"subProcess", "adHocSubProcess", "transaction"}


def local(tag: str) -> str:
    """An element's name without its namespace (every tool writes its own prefix)."""
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    return (c for c in el if local(c.tag) == name)


@dataclass
class Node:
    """A flow node of the process, as BPMN has it."""

    id: str
    kind: str  # the BPMN element's name
    name: str
    docs: str
    role: str = ""
    parent: str = ""  # the sub-process holding it
    out: list[tuple[str, str]] = field(default_factory=list)  # (flow label, target node id)


@dataclass
class Graph:
    """One process's nodes and the sequence flows between them."""

    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    said: list[str] = field(default_factory=list)

    def targets(self, node_id: str) -> list[str]:
        return [t for _, t in self.nodes[node_id].out]


def _text(el: ET.Element) -> str:
    return " ".join((el.get("name") or "").split())


def _docs(el: ET.Element) -> str:
    return "\n".join((d.text or "").strip() for d in _children(el, "documentation") if (d.text or "").strip())


def _lanes(process: ET.Element) -> dict[str, str]:
    """Flow node id → the name of the innermost lane holding it."""
    roles: dict[str, str] = {}

    def walk(lane_set: ET.Element) -> None:
        for lane in _children(lane_set, "lane"):
            for ref in _children(lane, "flowNodeRef"):
                roles[(ref.text or "").strip()] = _text(lane)
            for inner in _children(lane, "childLaneSet"):
                walk(inner)

    for lane_set in _children(process, "laneSet"):
        walk(lane_set)
    return roles


def _collect(container: ET.Element, graph: Graph, roles: dict[str, str], parent: str = "") -> None:
    """Every flow node and sequence flow of a process or sub-process, sub-processes included."""
    flows = []
    for el in container:
        kind = local(el.tag)
        if kind == "sequenceFlow":
            cond = next(_children(el, "conditionExpression"), None)
            label = _text(el) or " ".join(((cond.text or "") if cond is not None else "").split())
            flows.append((el.get("sourceRef", ""), label, el.get("targetRef", "")))
        elif kind in CONTAINERS and el.get("triggeredByEvent") == "true":
            graph.said.append(f"event sub-process '{_text(el) or el.get('id')}' not carried: it interrupts the "
                              "process from anywhere, a crmtrain process goes step by step")
        elif kind in ACTIVITIES | CHOICES | EVENTS | CONTAINERS | {"startEvent", "endEvent", "parallelGateway",
                                                                    "boundaryEvent"}:
            node = Node(el.get("id", ""), kind, _text(el), _docs(el), roles.get(el.get("id", ""), ""), parent)
            graph.nodes[node.id] = node
            if kind in CONTAINERS:
                _collect(el, graph, roles, node.id)
    for source, label, target in flows:
        if source in graph.nodes and target in graph.nodes:
            graph.nodes[source].out.append((label, target))


def read_graphs(data: bytes, source: str) -> tuple[list[Graph], list[str]]:
    """The processes of a BPMN file as graphs, and what the file has that no process carries."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UserError(f"{source}: not a BPMN file ({exc})") from None
    if local(root.tag) != "definitions":
        raise UserError(f"{source}: not a BPMN file (the root element is <{local(root.tag)}>, expected <definitions>)")
    names, said = {}, []
    for collab in (e for e in root if local(e.tag) == "collaboration"):
        for p in _children(collab, "participant"):
            names[p.get("processRef", "")] = _text(p)
        flows = sum(1 for _ in _children(collab, "messageFlow"))
        if flows:
            said.append(f"{flows} message flow(s) between pools not carried: a crmtrain process is one pool")
    graphs = []
    for n, process in enumerate((e for e in root if local(e.tag) == "process"), 1):
        graph = Graph(names.get(process.get("id", "")) or _text(process) or process.get("id") or f"Process {n}")
        _collect(process, graph, _lanes(process))
        data = sum(1 for e in process.iter() if local(e.tag) in ("dataObjectReference", "dataStoreReference"))
        if data:
            said.append(f"{graph.title}: {data} data object(s) or store(s) not carried: crmtrain steps say what "
                        "to fill in, in their instructions")
        if graph.nodes:
            graphs.append(graph)
    if not graphs:
        raise UserError(f"{source}: no process with steps in this BPMN file")
    return graphs, said
