"""Checks that need the whole regulation: ids, references, graphs, tables, assessments.

Each check yields ``(location, message)``; the loader maps locations to lines. The rule
engines in :mod:`crmtrain.rules` do the graph and table reasoning, so the validator and the
drills agree on what a rule means.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from ..kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS, earlier
from ..kinds.drills import DRILL_KINDS
from ..kinds.questions import QUESTION_KINDS
from ..i18n import N_, _
from ..rules import conditions, decision_table, pipeline as pipeline_rules, processes as process_rules
from .rulechecks import answers_agree, calendar
from .items import index, iter_items
from .positions import Loc, field_path
from .models import Regulation
from .selection import drilled, select

Found = Iterator[tuple[Loc, str]]


def check(reg: Regulation) -> list[tuple[Loc, str]]:
    """Every cross-reference problem of a regulation that already parsed."""
    return [found for rule in CHECKS for found in rule(reg)]


def _duplicates(values, loc_of: Callable[[int], Loc], what: str) -> Found:
    seen: dict[str, int] = {}
    for i, value in enumerate(values):
        if value in seen:
            yield loc_of(i), _("duplicate {what} '{value}' (first used at item {first})").format(
                what=_(what), value=value, first=seen[value])
        else:
            seen[value] = i


def unique_ids(reg: Regulation) -> Found:
    """Referenceable ids, question ids, and ids local to a process, pipeline or question."""
    first: dict[str, Loc] = {}
    for item in iter_items(reg):
        if item.owned:
            continue  # step and status ids are checked within their owner below
        if item.id in first:
            yield item.loc, _("duplicate id '{id}' (also used at {field})").format(id=item.id, field=field_path(first[item.id]))
        else:
            first[item.id] = item.loc
    yield from _duplicates([q.id for q in reg.questions], lambda i: ("questions", i, "id"), N_("question id"))
    for i, p in enumerate(reg.order_processing.processes):
        base = ("order_processing", "processes", i, "steps")
        yield from _duplicates([s.id for s in p.steps], lambda j: (*base, j, "id"), N_("step id"))
    for at, pl in reg.client_work.pipeline_locs():
        yield from _duplicates([s.id for s in pl.statuses], lambda j, at=at: (*at, "statuses", j, "id"), N_("status id"))
        yield from _duplicates([f.id for f in pl.fields], lambda j, at=at: (*at, "fields", j, "id"), N_("field id"))
    lc = ("client_work", "lead_classification", "criteria")
    yield from _duplicates([c.name for c in reg.client_work.lead_classification.criteria], lambda j: (*lc, j, "name"), N_("criterion"))
    for i, q in enumerate(reg.questions):
        yield from _duplicates([o.id for o in q.options], lambda j: ("questions", i, "options", j, "id"), N_("option id"))


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
                yield (*at, "options"), _("a {type} question needs at least two options").format(type=t)
                continue
        elif q.options:
            yield (*at, "options"), _("a {type} question has no options").format(type=t)
        if q.partial_credit and kind.credit is None:
            takes = _(" or ").join(k.name for k in QUESTION_KINDS.values() if k.credit is not None)
            yield (*at, "partial_credit"), _("'partial_credit' applies to {types} questions only").format(types=takes)
        if ans is None:
            if kind.autograded and q.answer_from is None:  # rulechecks takes the key from the rule
                yield (*at, "answer"), _("a {type} question needs an 'answer'").format(type=t)
            continue
        if problem := kind.answer_problem(ans, ids):
            yield (*at, "answer"), _(problem[0]).format(**problem[1])
        if not kind.autograded:
            continue
        if q.tolerance and not kind.tolerance:
            takes = _(" or ").join(k.name for k in QUESTION_KINDS.values() if k.tolerance)
            yield (*at, "tolerance"), _("'tolerance' applies to {types} questions only").format(types=takes)


def refs(reg: Regulation) -> Found:
    """Every question ref names a regulation item."""
    known = index(reg)
    for i, q in enumerate(reg.questions):
        for j, ref in enumerate(q.refs):
            if ref not in known:
                hint = _closest(ref, known)
                yield ("questions", i, "refs", j), _("unknown regulation item '{ref}'").format(ref=ref) + (
                    _(" (did you mean {key}?)").format(key=f"'{hint}'") if hint else "")


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
            yield (*at, "steps"), _("a process needs exactly one start step (found {n})").format(n=len(starts))
        if not any(s.kind == "end" for s in proc.steps):
            yield (*at, "steps"), _("a process needs at least one end step")
        bad_edges = process_rules.unknown_targets(data)
        for step_id, branch, target in bad_edges:
            j = pos[step_id]
            loc = (*at, "steps", j, "next") if branch is None else (*at, "steps", j, "branches", branch, "next")
            yield loc, _("step '{step}' does not exist in process '{process}'").format(step=target, process=proc.id)
        if len(starts) != 1 or bad_edges or _repeats(pos, proc.steps):
            continue  # reachability would only repeat these problems in other words
        for step_id in process_rules.unreachable(data):
            yield (*at, "steps", pos[step_id], "id"), _("step '{step}' cannot be reached from the start").format(step=step_id)
        if any(s.kind == "end" for s in proc.steps):
            for step_id in process_rules.dead_ends(data):
                yield (*at, "steps", pos[step_id], "id"), _("step '{step}' has no path to an end step").format(step=step_id)


def pipeline(reg: Regulation) -> Found:
    """In each pipeline: statuses and fields named by transitions exist; every status can be reached."""
    for at, pl in reg.client_work.pipeline_locs():
        yield from _one_pipeline(pl, at)


def _one_pipeline(pl, at: Loc) -> Found:
    data = pl.model_dump(mode="json", by_alias=True)
    statuses = [s.id for s in pl.statuses]
    if pl.initial not in statuses:
        yield (*at, "initial"), _("initial status '{status}' is not one of the statuses ({statuses})").format(
            status=pl.initial, statuses=", ".join(statuses))
    bad = pipeline_rules.unknown_statuses(data)
    for k, key, value in bad:
        yield (*at, "transitions", k, key), _("status '{status}' is not one of the statuses ({statuses})").format(
            status=value, statuses=", ".join(statuses))
    for k, value in pipeline_rules.unknown_fields(data):
        yield (*at, "transitions", k, "requires", pl.transitions[k].requires.index(value)), _(
            "field '{field}' is not one of the deal fields ({fields})").format(
                field=value, fields=", ".join(f.id for f in pl.fields) or _("none defined"))
    pairs = Counter((t.source, t.to) for t in pl.transitions)
    for k, t in enumerate(pl.transitions):
        if t.source == t.to:
            yield (*at, "transitions", k, "to"), _("a transition must lead to another status")
        elif pairs[(t.source, t.to)] > 1 and [(u.source, u.to) for u in pl.transitions].index((t.source, t.to)) != k:
            yield (*at, "transitions", k), _("transition {source} → {to} is listed twice").format(source=t.source, to=t.to)
    if not bad and pl.initial in statuses and len(set(statuses)) == len(statuses):
        for sid in pipeline_rules.unreachable_statuses(data):
            yield (*at, "statuses", statuses.index(sid), "id"), _("status '{status}' cannot be reached from '{initial}'").format(
                status=sid, initial=pl.initial)


def lead_table(reg: Regulation) -> Found:
    """Rules name known criteria and classes, conditions parse, no gaps, nothing shadowed."""
    lc = reg.client_work.lead_classification
    at = ("client_work", "lead_classification")
    criteria = {c.name: c.model_dump(mode="json") for c in lc.criteria}
    classes = [c.id for c in lc.classes]
    broken = False
    for k, rule in enumerate(lc.rules):
        if rule.then not in classes:
            yield (*at, "rules", k, "then"), _("class '{id}' is not one of the classes ({classes})").format(
                id=rule.then, classes=", ".join(classes))
        for name, cond in rule.when.items():
            if name not in criteria:
                broken = True
                yield (*at, "rules", k, "when", name), _("unknown criterion '{name}' (criteria: {criteria})").format(
                    name=name, criteria=", ".join(criteria))
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
        more = _(" (and {n} more kinds of lead)").format(n=len(gaps) - 1) if len(gaps) > 1 else ""
        yield (*at, "rules"), _("no rule matches a lead with {values}{more}; add a rule or a final catch-all rule "
                                "with 'when: {{}}'").format(values=_describe(gaps[0], lc), more=more)
    rule_pos = {r.id: k for k, r in enumerate(lc.rules)}
    for rid in shadowed:
        yield (*at, "rules", rule_pos[rid], "id"), _(
            "rule '{id}' can never fire: earlier rules match every lead it matches").format(id=rid)


def _describe(lead: dict, lc) -> str:
    parts = []
    for c in lc.criteria:
        if c.name in lead:
            v = lead[c.name]
            parts.append(f"{c.name}={_('yes') if v is True else _('no') if v is False else v}")
    return ", ".join(parts)


def assessments(reg: Regulation) -> Found:
    """Includes exist, draws can be filled, no assessment repeats a question of an earlier one, and
    'after_days' follows an earlier assessment."""
    known = {q.id for q in reg.questions}
    for name in ASSESSMENTS:
        for i, qid in enumerate(getattr(reg.assessments, name).include):
            if qid not in known:
                yield ("assessments", name, "include", i), _("unknown question '{id}'").format(id=qid)
    for name in ASSESSMENTS:
        if getattr(reg.assessments, name).after_days is not None and not earlier(name):
            yield (("assessments", name, "after_days"), _(
                "the {first} assessment opens at its release or the trainee's start; 'after_days' counts from the "
                "submission of an earlier assessment, and none comes before it").format(
                    first=_(ASSESSMENT_KINDS[name].label)))
    sel = select(reg)
    for name, i, qid, first in sel.overlaps:
        yield (("assessments", name, "include", i), _(
            "question '{id}' is also in the {first} assessment; the {later} must not repeat it").format(
                id=qid, first=_(ASSESSMENT_KINDS[first].label), later=_(ASSESSMENT_KINDS[name].label)))
    for s in sel.shortfalls:
        what = _("pool '{pool}'").format(pool=s.pool) + (_(", topic '{topic}'").format(topic=s.topic) if s.topic else "")
        before = _(" or ").join(_(ASSESSMENT_KINDS[a].label) for a in earlier(s.assessment))
        extra = _(" ({n} are already used by the {before} assessment)").format(
            n=s.taken_by_earlier, before=before) if s.taken_by_earlier else ""
        yield (("assessments", s.assessment, "draw", s.draw_index, "count"),
               _("asks for {count} questions but {what} has only {available} left{extra}").format(
                   count=s.count, what=what, available=s.available, extra=extra))


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
                yield (*base, "id"), _("slot id '{id}' is also a question id; give the slot an id of its own").format(id=slot.id)
            elif slot.id in seen:
                yield (*base, "id"), _("duplicate slot id '{id}' (also used at {field})").format(
                    id=slot.id, field=field_path(seen[slot.id]))
            seen.setdefault(slot.id, (*base, "id"))
            if slot.picked is not None and slot.picked not in (known := [p.id for p in drilled(reg, slot.case.value)]):
                yield (*base, slot.case.value), _(DRILL_KINDS[slot.case.value].unknown).format(id=slot.picked,
                                                                                       known=", ".join(known))
            first = None
            for j, qid in enumerate(slot.one_of):
                loc = (*base, "one_of", j)
                q = by_id.get(qid)
                if q is None:
                    yield loc, _("unknown question '{id}'").format(id=qid)
                    continue
                if qid in owner:
                    yield loc, _("question '{id}' is already drawn by the slot at {field}").format(
                        id=qid, field=field_path(owner[qid]))
                    continue
                owner[qid] = loc
                if qid in included:
                    yield loc, _("question '{id}' is also in 'include' at {field}; a slot's questions are asked "
                                 "only through the slot").format(id=qid, field=field_path(included[qid]))
                if not QUESTION_KINDS[q.type.value].autograded:
                    yield loc, _("question '{id}' is graded by hand; a slot draws only questions that grade "
                                 "themselves").format(id=qid)
                if first is None:
                    first = q
                elif q.points != first.points:
                    yield loc, _("question '{id}' is worth {points} points but '{other}' {other_points}: the "
                                 "questions of a slot must be worth the same, so every trainee has the same "
                                 "maximum").format(id=qid, points=q.points, other=first.id, other_points=first.points)


CHECKS: tuple[Callable[[Regulation], Found], ...] = (unique_ids, question_shapes, refs, processes, pipeline, lead_table,
                                                     calendar, answers_agree, assessments, slots)
