"""Business processes from BPMN files other tools wrote, and back to BPMN.

The files are the BPMN Model Interchange Working Group's reference models and the same models
as bpmn.io (Camunda Modeler 18.6.1) and SAP Signavio 19.9.0 export them
(``shared/peer-data/bpmn-miwg``, read in place). The reference models' pictures lie beside
them; the processes asserted below were checked by eye against those pictures.
"""

from __future__ import annotations

import pytest
import yaml

from crmtrain.cli import main
from crmtrain.interchange.bpmn_flatten import import_bpmn
from crmtrain.interchange.bpmn_write import export_bpmn
from crmtrain.regulation.loader import load
from crmtrain.regulation.models import Process
from crmtrain.rules import processes as engine
from crmtrain.samples import sample_path

from peer import PEER_DATA

MIWG = PEER_DATA / "bpmn-miwg"
FILES = sorted(str(p.relative_to(MIWG)) for p in MIWG.rglob("*.bpmn"))


def read(name: str):
    return import_bpmn((MIWG / name).read_bytes(), name)


def shape(process: dict) -> list[tuple]:
    """A process by what a person sees: each step's kind, label and role, and where each way leads (by label)."""
    label = {s["id"]: s["label"] for s in process["steps"]}
    return [(s["kind"], s["label"], s.get("role", ""), label.get(s.get("next")),
             tuple((b["label"], label[b["next"]]) for b in s.get("branches", ()))) for s in process["steps"]]


@pytest.mark.parametrize("name", FILES)
def test_every_interchange_model_becomes_valid_processes(name):
    res = read(name)
    assert res.processes
    ids = [p["id"] for p in res.processes]
    assert len(set(ids)) == len(ids)
    for data in res.processes:
        Process.model_validate(data)  # the regulation's own model
        assert len(engine.starts(data)) == 1 and not engine.unknown_targets(data) and not engine.unreachable(data)


def outline(process: dict) -> list[tuple]:
    """What survives each tool's own spelling: the kinds of steps, their ways out and the branch labels."""
    return sorted((s["kind"], 1 if s.get("next") else 0, tuple(sorted(b["label"].casefold() for b in s.get("branches", ()))))
                  for s in process["steps"])


@pytest.mark.parametrize("tool", ["bpmn.io (Camunda Modeler) 18.6.1", "SAP Signavio Process Manager 19.9.0"])
@pytest.mark.parametrize("model", ["A.2.0", "C.1.1", "C.3.0", "C.9.0"])
def test_each_tools_file_of_a_model_gives_the_same_process(tool, model):
    # The tools re-spell labels (case, and bpmn.io's export of C.1.1 holds 'klÃƒÂ¤ren' for 'klären') and
    # list branches in their own order; the process is the same.
    ref = read(f"Reference/{model}.bpmn").processes
    assert [outline(p) for p in read(f"{tool}/{model}-export.bpmn").processes] == [outline(p) for p in ref]


def test_the_invoice_process_reads_as_it_is_drawn():
    [invoice] = read("Reference/C.1.1.bpmn").processes
    assert invoice["title"] == "Invoice Handling (OMG BPMN MIWG Demo)"
    assert shape(invoice) == [
        ("start", "Invoice received", "", "Assign Approver", ()),
        ("action", "Assign Approver", "", "Approve Invoice", ()),
        ("action", "Approve Invoice", "", "Invoice approved?", ()),
        ("decision", "Invoice approved?", "", None, (("yes", "Prepare Bank Transfer"), ("no", "Rechnung klären"))),
        ("action", "Prepare Bank Transfer", "", "Archive Invoice", ()),
        ("action", "Rechnung klären", "", "Review successful?", ()),
        ("action", "Archive Invoice", "", "Invoice processed", ()),
        ("decision", "Review successful?", "", None, (("yes", "Approve Invoice"), ("no", "Invoice not processed"))),
        ("end", "Invoice processed", "", None, ()),
        ("end", "Invoice not processed", "", None, ()),
    ]


def test_lanes_give_the_roles_and_pools_the_processes():
    res = read("Reference/C.1.0.bpmn")
    assert [p["title"] for p in res.processes] == ["Team-Assistant", "Process Engine - Invoice Receipt"]
    roles = {s["label"]: s.get("role") for s in res.processes[1]["steps"]}
    assert roles["Approve Invoice"] == "Approver" and roles["Prepare Bank Transfer"] == "Accountant"
    assert "Reference/C.1.0.bpmn: 5 message flow(s) between pools not carried: a crmtrain process is one pool" \
        in [str(n) for n in res.notes]


def test_a_three_way_gateway_keeps_its_labelled_branches():
    [onboarding] = read("Reference/C.9.0.bpmn").processes
    risk = next(s for s in onboarding["steps"] if s["label"] == "Risk?")
    assert [b["label"] for b in risk["branches"]] == ["Red (severe risk)", "Green (no risk)", "Yellow (moderate risk)"]
    notes = [n.message for n in read("Reference/C.9.0.bpmn").notes]
    assert "boundary event 'Fraud detected' (an exception path) not carried: a step has one way out" in notes


def test_parallel_branches_are_written_one_after_another_and_said():
    res = read("Reference/C.4.0.bpmn")
    bank = res.processes[0]
    split = next(s for s in bank["steps"] if s["label"].startswith("These happen at the same time"))
    assert split["kind"] == "action"
    assert ("money-bank: parallel branches (Inform employee of company policies; Request preparations for a new "
            "employee) written one after another: they happen at the same time") in [str(n) for n in res.notes]


def test_flows_without_a_gateway_or_condition_all_happen_and_sub_processes_keep_their_lane():
    # A.4.1: two unconditioned flows leave Task 3 (BPMN takes both) into two expanded sub-processes.
    res = read("Reference/A.4.1.bpmn")
    pool2 = {s["label"]: s for s in res.processes[1]["steps"]}
    split = pool2["Task 3"]["next"]
    assert next(s for s in res.processes[1]["steps"] if s["id"] == split)["kind"] == "action"
    assert (pool2["Task 6"]["role"], pool2["Task 4"]["role"]) == ("Lane 3", "Lane 2")
    assert not [s for s in res.processes[1]["steps"] if s["kind"] == "decision"]
    assert "pool-2: several sequence flows leave 'Task 3' without a condition: all are taken" in map(str, res.notes)


def test_import_writes_processes_ready_to_paste(tmp_path, capsys):
    out = tmp_path / "processes.yaml"
    assert main(["import", str(MIWG / "Reference" / "C.1.1.bpmn"), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Read 1 processes from" in said and "order_processing" in said
    pasted = yaml.safe_load(out.read_text(encoding="utf-8"))["processes"]
    assert shape(pasted[0]) == shape(read("Reference/C.1.1.bpmn").processes[0])


@pytest.mark.parametrize("sample", ["en", "ru", "freight"])
def test_export_then_import_gives_the_same_processes(sample):
    reg = load(sample_path(sample))
    exported = export_bpmn(reg.order_processing.processes)
    back = import_bpmn(exported.text.encode("utf-8"), "sample.bpmn")
    mine = [sorted(shape(p.model_dump(mode="json", exclude_defaults=True))) for p in reg.order_processing.processes]
    assert [sorted(shape(p)) for p in back.processes] == mine  # the steps' order in the file is the reader's
    instructions = [sorted(s.instructions.strip() for s in p.steps) for p in reg.order_processing.processes]
    assert [sorted(s.get("instructions", "") for s in p["steps"]) for p in back.processes] == instructions
    assert back.notes == []


def test_cli_export_writes_a_bpmn_file(tmp_path, capsys):
    out = tmp_path / "bpmn" / "processes.bpmn"
    assert main(["export", "sample:en", "--format", "bpmn", "--out", str(out)]) == 0
    assert "processes" in capsys.readouterr().out and out.read_text(encoding="utf-8").startswith("<?xml")
