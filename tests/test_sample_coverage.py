"""The second sample company uses every field and every kind the regulation format has."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from crmtrain.regulation.loader import load
from crmtrain.regulation.models import QuestionType, Regulation, SummaryKind
from crmtrain.samples import sample_path


def fields_used(reg: Regulation) -> tuple[dict[type, set[str]], set[type]]:
    """Per model class: the fields some instance sets explicitly; and every class met."""
    used: dict[type, set[str]] = defaultdict(set)
    seen: set[type] = set()

    def walk(node):
        if isinstance(node, BaseModel):
            seen.add(type(node))
            used[type(node)] |= node.model_fields_set
            for name in type(node).model_fields:
                walk(getattr(node, name))
        elif isinstance(node, (tuple, list)):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(reg)
    return used, seen


# Fields of which a file writes one or the other, never both: one of them is enough.
ALTERNATIVES = {"ClientWork": ({"pipeline", "pipelines"},)}
# Fields only another language needs (the freight sample is English): Russian cases and gender.
OTHER_LANGUAGE = {"WordForms": {"gen", "dat", "acc", "ins", "prep", "many_gen", "many_dat", "many_acc", "many_ins",
                                "many_prep", "gender"}}


def test_the_freight_sample_sets_every_field_of_every_part():
    used, seen = fields_used(load(sample_path("freight")))
    for cls in seen:
        for group in ALTERNATIVES.get(cls.__name__, ()):
            if used[cls] & group:
                used[cls] |= group
        used[cls] |= OTHER_LANGUAGE.get(cls.__name__, set())
    unused = {cls.__name__: sorted(set(cls.model_fields) - used[cls]) for cls in seen if set(cls.model_fields) - used[cls]}
    assert unused == {}


def test_the_freight_sample_has_every_kind():
    reg = load(sample_path("freight"))
    cw = reg.client_work
    assert {q.type for q in reg.questions} == set(QuestionType)
    assert {t.kind for t in reg.summary.topics} == set(SummaryKind)
    assert {s.kind for p in reg.order_processing.processes for s in p.steps} == {"start", "action", "decision", "end"}
    assert {c.type for c in cw.lead_classification.criteria} == {"number", "choice", "bool"}
    assert {r.channel for r in cw.contact_timing.rules} == {"call", "email", "message", "meeting", "any"}
    units = ("minutes", "hours", "days", "calendar_hours", "calendar_days")
    assert {k for r in cw.contact_timing.rules for k in units if getattr(r.deadline, k)} == set(units)
    assert len(cw.deal_pipelines) >= 2 and cw.contact_timing.calendar.hours and cw.contact_timing.calendar.extra_workdays
    assert {t.attach_to for t in cw.tasks.rules} == {"lead", "contact", "company", "deal"}
    conditions = [c for r in cw.lead_classification.rules for c in r.when.values()]
    assert any(isinstance(c, tuple) for c in conditions) and any(c == {} for c in [r.when for r in cw.lead_classification.rules])
    texts = " ".join(c for c in conditions if isinstance(c, str))
    for form in ("..", ">", "<=", "≥", "_", " 0", "yes"):
        assert form in " " + texts + " " + " ".join(str(c) for c in conditions), form
