"""Checks that need the whole regulation: ids, references, graphs, tables, assessments.

Each check yields ``(location, message)``; the loader maps locations to lines. The rule
engines in :mod:`crmtrain.rules` do the graph and table reasoning, so the validator and the
drills agree on what a rule means.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from ..kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS, earlier
from ..kinds.questions import QUESTION_KINDS
from ..rules import conditions, decision_table, pipeline as pipeline_rules, processes as process_rules
from .calendarcheck import calendar
from .items import index, iter_items
from .positions import Loc, field_path
from .models import Regulation
from .selection import select

Found = Iterator[tuple[Loc, str]]


def check(reg: Regulation) -> list[tuple[Loc, str]]:
    """Every cross-reference problem of a regulation that already parsed."""
    return [found for rule in CHECKS for found in rule(reg)]


def _duplicates(values, loc_of: Callable[[int], Loc], what: str) -> Found:
    seen: dict[str, int] = {}
    for i, value in enumerate(values):
        if value in seen:
            yield loc_of(i), f"duplicate {what} '{value}' (first used at item {seen[value]})"
        else:
            seen[value] = i


def unique_ids(reg: Regulation) -> Found:
    """Referenceable ids, question ids, and ids local to a process, pipeline or question."""
    first: dict[str, Loc] = {}
    for item in iter_items(reg):
        if item.owned:
            continue  # step and status ids are checked within their owner below
        if item.id in first:
            yield item.loc, f"duplicate id '{item.id}' (also used at {field_path(first[item.id])})"
        else:
            first[item.id] = item.loc
    yield from _duplicates([q.id for q in reg.questions], lambda i: ("questions", i, "id"), "question id")
    for i, p in enumerate(reg.order_processing.processes):
        base = ("order_processing", "processes", i, "steps")
        yield from _duplicates([s.id for s in p.steps], lambda j: (*base, j, "id"), "step id")
    pl = ("client_work", "pipeline")
    yield from _duplicates([s.id for s in reg.client_work.pipeline.statuses], lambda j: (*pl, "statuses", j, "id"), "status id")
    yield from _duplicates([f.id for f in reg.client_work.pipeline.fields], lambda j: (*pl, "fields", j, "id"), "field id")
    lc = ("client_work", "lead_classification", "criteria")
    yield from _duplicates([c.name for c in reg.client_work.lead_classification.criteria], lambda j: (*lc, j, "name"), "criterion")
    for i, q in enumerate(reg.questions):
        yield from _duplicates([o.id for o in q.options], lambda j: ("questions", i, "options", j, "id"), "option id")


def _repeats(by_id: dict, items) -> bool:
    """Whether some id appears more than once (``by_id`` holds each id once)."""
    return len(by_id) != len(items)


def question_shapes(reg: Regulation) -> Found:
    """Options and answers fit the question type."""
    for i, q in enumerate(reg.questions):
        at = ("questions", i)
        ids = [o.id for o in q.options]
        kind, t, ans = q.kind, q.type.value, q.answer
        if kind.options:
            if len(ids) < 2:
                yield (*at, "options"), f"a {t} question needs at least two options"
                continue
        elif q.options:
            yield (*at, "options"), f"a {t} question has no options"
        if q.partial_credit and kind.credit is None:
            takes = " or ".join(k.name for k in QUESTION_KINDS.values() if k.credit is not None)
            yield (*at, "partial_credit"), f"'partial_credit' applies to {takes} questions only"
        if ans is None:
            if kind.autograded:
                yield (*at, "answer"), f"a {t} question needs an 'answer'"
            continue
        if problem := kind.answer_problem(ans, ids):
            yield (*at, "answer"), problem
        if not kind.autograded:
            continue
        if q.tolerance and not kind.tolerance:
            takes = " or ".join(k.name for k in QUESTION_KINDS.values() if k.tolerance)
            yield (*at, "tolerance"), f"'tolerance' applies to {takes} questions only"


def refs(reg: Regulation) -> Found:
    """Every question ref names a regulation item."""
    known = index(reg)
    for i, q in enumerate(reg.questions):
        for j, ref in enumerate(q.refs):
            if ref not in known:
                hint = _closest(ref, known)
                yield ("questions", i, "refs", j), f"unknown regulation item '{ref}'" + (f" (did you mean '{hint}'?)" if hint else "")


def _closest(word: str, known) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
    return found[0] if found else None


def processes(reg: Regulation) -> Found:
    """Each process: one start, an end, edges to known steps, all steps reachable and finishing."""
    for i, proc in enumerate(reg.order_processing.processes):
        at = ("order_processing", "processes", i)
        data = proc.model_dump(mode="json")
        pos = {s.id: j for j, s in enumerate(proc.steps)}
        starts = [s for s in proc.steps if s.kind == "start"]
        if len(starts) != 1:
            yield (*at, "steps"), f"a process needs exactly one start step (found {len(starts)})"
        if not any(s.kind == "end" for s in proc.steps):
            yield (*at, "steps"), "a process needs at least one end step"
        bad_edges = process_rules.unknown_targets(data)
        for step_id, branch, target in bad_edges:
            j = pos[step_id]
            loc = (*at, "steps", j, "next") if branch is None else (*at, "steps", j, "branches", branch, "next")
            yield loc, f"step '{target}' does not exist in process '{proc.id}'"
        if len(starts) != 1 or bad_edges or _repeats(pos, proc.steps):
            continue  # reachability would only repeat these problems in other words
        for step_id in process_rules.unreachable(data):
            yield (*at, "steps", pos[step_id], "id"), f"step '{step_id}' cannot be reached from the start"
        if any(s.kind == "end" for s in proc.steps):
            for step_id in process_rules.dead_ends(data):
                yield (*at, "steps", pos[step_id], "id"), f"step '{step_id}' has no path to an end step"


def pipeline(reg: Regulation) -> Found:
    """Statuses and fields named by transitions exist; every status can be reached."""
    pl = reg.client_work.pipeline
    at = ("client_work", "pipeline")
    data = pl.model_dump(mode="json", by_alias=True)
    statuses = [s.id for s in pl.statuses]
    if pl.initial not in statuses:
        yield (*at, "initial"), f"initial status '{pl.initial}' is not one of the statuses ({', '.join(statuses)})"
    bad = pipeline_rules.unknown_statuses(data)
    for k, key, value in bad:
        yield (*at, "transitions", k, key), f"status '{value}' is not one of the statuses ({', '.join(statuses)})"
    for k, value in pipeline_rules.unknown_fields(data):
        yield (*at, "transitions", k, "requires", pl.transitions[k].requires.index(value)), f"field '{value}' is not one of the deal fields ({', '.join(f.id for f in pl.fields) or 'none defined'})"
    pairs = Counter((t.source, t.to) for t in pl.transitions)
    for k, t in enumerate(pl.transitions):
        if t.source == t.to:
            yield (*at, "transitions", k, "to"), "a transition must lead to another status"
        elif pairs[(t.source, t.to)] > 1 and [(u.source, u.to) for u in pl.transitions].index((t.source, t.to)) != k:
            yield (*at, "transitions", k), f"transition {t.source} → {t.to} is listed twice"
    if not bad and pl.initial in statuses and len(set(statuses)) == len(statuses):
        for sid in pipeline_rules.unreachable_statuses(data):
            yield (*at, "statuses", statuses.index(sid), "id"), f"status '{sid}' cannot be reached from '{pl.initial}'"


def lead_table(reg: Regulation) -> Found:
    """Rules name known criteria and classes, conditions parse, no gaps, nothing shadowed."""
    lc = reg.client_work.lead_classification
    at = ("client_work", "lead_classification")
    criteria = {c.name: c.model_dump(mode="json") for c in lc.criteria}
    classes = [c.id for c in lc.classes]
    broken = False
    for k, rule in enumerate(lc.rules):
        if rule.then not in classes:
            yield (*at, "rules", k, "then"), f"class '{rule.then}' is not one of the classes ({', '.join(classes)})"
        for name, cond in rule.when.items():
            if name not in criteria:
                broken = True
                yield (*at, "rules", k, "when", name), f"unknown criterion '{name}' (criteria: {', '.join(criteria)})"
                continue
            try:
                conditions.parse_condition(criteria[name], cond)
            except ValueError as exc:
                broken = True
                yield (*at, "rules", k, "when", name), str(exc)
    if broken or len(criteria) != len(lc.criteria):
        return  # a gap analysis over broken or repeated criteria would only mislead
    table = lc.model_dump(mode="json")
    try:
        gaps, shadowed = decision_table.gaps(table), decision_table.shadowed(table)
    except ValueError as exc:  # too many input combinations to analyse
        yield (*at, "criteria"), str(exc)
        return
    if gaps:
        more = f" (and {len(gaps) - 1} more kinds of lead)" if len(gaps) > 1 else ""
        yield (*at, "rules"), (f"no rule matches a lead with {_describe(gaps[0], lc)}{more}; "
                               "add a rule or a final catch-all rule with 'when: {}'")
    rule_pos = {r.id: k for k, r in enumerate(lc.rules)}
    for rid in shadowed:
        yield (*at, "rules", rule_pos[rid], "id"), f"rule '{rid}' can never fire: earlier rules match every lead it matches"


def _describe(lead: dict, lc) -> str:
    parts = []
    for c in lc.criteria:
        if c.name in lead:
            v = lead[c.name]
            parts.append(f"{c.name}={'yes' if v is True else 'no' if v is False else v}")
    return ", ".join(parts)


def assessments(reg: Regulation) -> Found:
    """Includes exist, draws can be filled, and no assessment repeats a question of an earlier one."""
    known = {q.id for q in reg.questions}
    for name in ASSESSMENTS:
        for i, qid in enumerate(getattr(reg.assessments, name).include):
            if qid not in known:
                yield ("assessments", name, "include", i), f"unknown question '{qid}'"
    sel = select(reg)
    for name, i, qid, first in sel.overlaps:
        yield (("assessments", name, "include", i), f"question '{qid}' is also in the {ASSESSMENT_KINDS[first].label} "
               f"assessment; the {ASSESSMENT_KINDS[name].label} must not repeat it")
    for s in sel.shortfalls:
        what = f"pool '{s.pool}'" + (f", topic '{s.topic}'" if s.topic else "")
        before = " or ".join(ASSESSMENT_KINDS[a].label for a in earlier(s.assessment))
        extra = f" ({s.taken_by_earlier} are already used by the {before} assessment)" if s.taken_by_earlier else ""
        yield (("assessments", s.assessment, "draw", s.draw_index, "count"),
               f"asks for {s.count} questions but {what} has only {s.available} left{extra}")


def slots(reg: Regulation) -> Found:
    """Slot ids are unique; a drawn slot's questions exist, grade themselves, are worth the same and serve it alone."""
    by_id = {q.id: q for q in reg.questions}
    seen: dict[str, Loc] = {}
    owner: dict[str, Loc] = {}  # question id -> the slot draw naming it first
    included = {qid: ("assessments", name, "include", i) for name in ASSESSMENTS
                for i, qid in enumerate(getattr(reg.assessments, name).include)}
    for name in ASSESSMENTS:
        for i, slot in enumerate(getattr(reg.assessments, name).slots):
            base = ("assessments", name, "slots", i)
            if slot.id in by_id:
                yield (*base, "id"), f"slot id '{slot.id}' is also a question id; give the slot an id of its own"
            elif slot.id in seen:
                yield (*base, "id"), f"duplicate slot id '{slot.id}' (also used at {field_path(seen[slot.id])})"
            seen.setdefault(slot.id, (*base, "id"))
            if slot.process is not None and slot.process not in {p.id for p in reg.order_processing.processes}:
                yield (*base, "process"), f"unknown process '{slot.process}'"
            first = None
            for j, qid in enumerate(slot.one_of):
                loc = (*base, "one_of", j)
                q = by_id.get(qid)
                if q is None:
                    yield loc, f"unknown question '{qid}'"
                    continue
                if qid in owner:
                    yield loc, f"question '{qid}' is already drawn by the slot at {field_path(owner[qid])}"
                    continue
                owner[qid] = loc
                if qid in included:
                    yield loc, f"question '{qid}' is also in 'include' at {field_path(included[qid])}; a slot's " \
                               f"questions are asked only through the slot"
                if not QUESTION_KINDS[q.type.value].autograded:
                    yield loc, f"question '{qid}' is graded by hand; a slot draws only questions that grade themselves"
                if first is None:
                    first = q
                elif q.points != first.points:
                    yield loc, (f"question '{qid}' is worth {q.points} points but '{first.id}' {first.points}: the "
                                f"questions of a slot must be worth the same, so every trainee has the same maximum")


CHECKS: tuple[Callable[[Regulation], Found], ...] = (unique_ids, question_shapes, refs, processes, pipeline, lead_table,
                                                     calendar, assessments, slots)
