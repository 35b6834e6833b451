"""Rule-generated cases: one generator and one grader per drill kind, for drills and assessments.

A workbook drill draws a fresh case at every "Next" (:func:`new_case`); an assessment's case
slot draws one per trainee from the slot's seed (:func:`trainee_case`, over :mod:`.variants`),
and the hidden test draws it again to grade. Both use the same generator, so what a trainee
practises is what they are graded on.

A case is plain JSON: everything the trainee sees (ids into the spec, the options to choose
from, moments as ``"YYYY-MM-DDTHH:MM"``) and *never* the answer, because the assessment
records the case it showed in ``answers.json``, a file the trainee owns. The answer is
recomputed from the spec with the rule engine (:func:`case_key`), in the form answers.json
keeps it:

* ``lead`` — the class id; ``process`` — the next step's id; ``callback`` — the moment;
* ``pipeline`` — ``["allowed", required field ids sorted...]`` or ``["not-allowed"]``.

``process`` and ``pipeline`` specs are lists (a regulation has several of each); their cases
name the one they ask about, and a slot over several draws each trainee's own.

Each kind is one :class:`CaseRules` subclass whose ``kind`` is the drill kind's name in
``crmtrain.kinds.drills`` (this package may import nothing of crmtrain, so the classes
register themselves; a test checks they match the registry). Generation is deterministic for
a given ``rng`` and ``start``: callback events count from ``start``, never from today.

Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any, ClassVar

from . import calendar, decision_table, pipeline, processes, variants

MOMENT = "%Y-%m-%dT%H:%M"  # how a case writes a moment: minutes are the engines' resolution
# A lead table with a gap can draw a lead no rule covers; an assessment redraws it (a case
# without a right answer is unfair), at most this often before giving up.
LEAD_ATTEMPTS = 200
CALLBACK_OPTIONS = 4

def N_(message: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown (the caller's gettext)."""
    return message


CASES: dict[str, "CaseRules"] = {}


class CaseRules:
    """How one drill kind draws a case, what its right answer is, and how an answer is graded."""

    kind: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:  # a kind, not a shared base
            CASES[cls.kind] = cls()

    def draw(self, spec: Any, rng: random.Random, start: dt.date, gaps: bool) -> dict:
        """A new case (no answer in it)."""
        raise NotImplementedError

    def key(self, spec: Any, case: dict) -> Any:
        """The right answer in answers.json form (None if the rules give none)."""
        raise NotImplementedError

    def normal(self, answer: Any) -> Any:
        """An answer as comparable with the key (None if it has the wrong shape)."""
        return answer if isinstance(answer, str) else None

    def guess(self, spec: Any) -> float:
        """The expected score fraction of an answer picked at random."""
        raise NotImplementedError

    def narrowed(self, spec: Any, course: str, trainee: str) -> Any:
        """The part of ``spec`` this trainee's cases come from, in every assessment (all of it, here)."""
        return spec

    def wrong(self, case: dict, key: Any, rng: random.Random) -> Any:
        """A plausible wrong answer (simulated trainees): another of the options the case offers."""
        return rng.choice([o for o in case["options"] if o != key])

    def describe(self, value: Any, labels: dict, gettext: Callable[[str], str]) -> str:
        """An answer in the words the case's inputs showed (``labels``: value -> its text)."""
        return str(labels.get(value, value))


class LeadRules(CaseRules):
    """Classify a lead drawn from the decision table's regions."""

    kind = "lead"

    def draw(self, spec, rng, start, gaps):
        for _ in range(1 if gaps else LEAD_ATTEMPTS):
            lead = decision_table.random_lead(spec, rng)
            if gaps or decision_table.classify(spec, lead) is not None:
                return {"lead": lead, "options": [c["id"] for c in spec["classes"]]}
        raise ValueError("no rule of the lead table covers the leads drawn; fill the table's gaps")

    def key(self, spec, case):
        rule = decision_table.classify(spec, case["lead"])
        return None if rule is None else rule["then"]

    def guess(self, spec):
        return 1 / len(spec["classes"])


class OneOfSeveral(CaseRules):
    """A kind whose spec is a list of parts (processes, pipelines) and whose case names its own part."""

    def part(self, spec: list[dict] | dict, case: dict) -> dict:
        """The part (a process or pipeline spec) a case asks about."""
        parts = listed(spec)
        return parts[0] if len(parts) == 1 else next(p for p in parts if p["id"] == case[self.kind])

    def pick(self, spec: list[dict] | dict, rng: random.Random) -> dict:
        # One part: no draw, so a workbook drill's cases do not depend on how it is wrapped.
        parts = listed(spec)
        return parts[0] if len(parts) == 1 else rng.choice(parts)

    def narrowed(self, spec, course, trainee):
        # The trainee's part is drawn without the assessment in the seed: the follow-up asks a
        # fresh case of the part the initial asked, so the trainee is re-tested on that item.
        if not isinstance(spec, list) or len(spec) < 2:
            return spec
        family = "\x1f".join(sorted(p["id"] for p in spec))
        return [spec[variants.draw_index(len(spec), course, self.kind, trainee, family)]]

    def guess(self, spec):
        shares = [share for part in listed(spec) if (share := self.part_guess(part)) is not None]
        return sum(shares) / len(shares) if shares else 0.0

    def part_guess(self, part: dict) -> float | None:
        """The random guess score of the cases of one part (None: none can be drawn from it)."""
        raise NotImplementedError


def listed(spec: list[dict] | dict) -> list[dict]:
    """A spec of several parts as a list (courses built before pipelines came in lists hold one dict)."""
    return spec if isinstance(spec, list) else [spec]


class PipelineRules(OneOfSeveral):
    """May a deal make a move between two statuses of its pipeline, and which fields must be filled in first?

    Spec: a list of pipelines; the case names its own."""

    kind = "pipeline"
    ALLOWED, FORBIDDEN = "allowed", "not-allowed"

    def draw(self, spec, rng, start, gaps):
        pl = self.pick(spec, rng)
        case = pipeline.random_case(pl, rng)
        return {"pipeline": pl["id"], "from": case["from"], "to": case["to"],
                "fields": [f["id"] for f in pl.get("fields", ())]}

    def key(self, spec, case):
        t = pipeline.transition(self.part(spec, case), case["from"], case["to"])
        return [self.FORBIDDEN] if t is None else [self.ALLOWED, *sorted(set(t.get("requires") or ()))]

    def normal(self, answer):
        if not (isinstance(answer, list) and answer and all(isinstance(a, str) for a in answer)):
            return None
        if answer[0] == self.FORBIDDEN:
            return [self.FORBIDDEN]  # fields ticked before choosing "not allowed" do not count
        return [self.ALLOWED, *sorted(set(answer[1:]))] if answer[0] == self.ALLOWED else None

    def wrong(self, case, key, rng):
        # Forget a required field, tick one too many, or call an allowed move forbidden.
        if key == [self.FORBIDDEN]:
            return [self.ALLOWED]
        missing = [f for f in case.get("fields", []) if f not in key[1:]]
        options = [[self.FORBIDDEN]]
        if len(key) > 1:
            options.append([key[0], *key[2:]])
        if missing:
            options.append([key[0], *sorted([*key[1:], rng.choice(missing)])])
        return rng.choice(options)

    def describe(self, value, labels, gettext):
        verdict = value[0] if isinstance(value, list) and value else value
        if verdict == self.FORBIDDEN:
            return gettext(N_("Not allowed"))
        fields = [str(labels.get(f, f)) for f in (value[1:] if isinstance(value, list) else ())]
        return gettext(N_("Allowed")) + (": " + ", ".join(fields) if fields else "")

    def part_guess(self, pl):
        # A random click picks the verdict at random and, if "allowed", any subset of the fields;
        # random_case asks an allowed move half the time when both kinds of move exist.
        valid, forbidden = pipeline.askable_moves(pl)
        if not valid and not forbidden:
            return None
        share_allowed = 0.5 if valid and forbidden else float(bool(valid))
        fields = len(pl.get("fields", ()))
        return share_allowed * 0.5 * 2.0 ** -fields + (1 - share_allowed) * 0.5


class ProcessRules(OneOfSeveral):
    """The step after a given step of a process. Spec: a list of processes; the case names its own."""

    kind = "process"

    def draw(self, spec, rng, start, gaps):
        process = self.pick(spec, rng)
        case = processes.random_case(process, rng)
        return {"process": process["id"], "step": case["step"], "branch": case["branch"], "options": case["options"]}

    def key(self, spec, case):
        return processes.next_step(self.part(spec, case), case["step"], case["branch"])

    def part_guess(self, process):
        # random_case picks a (step, branch) pair uniformly and offers 2-4 options by a fixed rule.
        ids = [s["id"] for s in process.get("steps", ())]
        pairs = [(s["id"], target) for s in process.get("steps", ()) if s.get("kind") != "end"
                 for _, target in processes.successors(process, s["id"]) if target in ids]
        options = [1 + _distractors(len([i for i in ids if i not in (target, step)])) for step, target in pairs]
        # A process without a step to ask about is never drawn from (random_case refuses it).
        return sum(1 / n for n in options) / len(options) if options else None


def _distractors(pool: int) -> int:
    """How many wrong options processes.random_case offers from ``pool`` other steps."""
    n = min(pool, 3 if pool >= 3 else 2)
    return n + 1 if n < 2 else n  # a tiny process adds the asked step itself


def process_of(spec: list[dict], case: dict) -> dict:
    """The process spec a process case asks about."""
    return CASES["process"].part(spec, case)


def pipeline_of(spec: list[dict], case: dict) -> dict:
    """The pipeline spec a pipeline case asks about."""
    return CASES["pipeline"].part(spec, case)


class CallbackRules(CaseRules):
    """The latest moment to act on an event, by a contact timing rule and the working calendar."""

    kind = "callback"

    def draw(self, spec, rng, start, gaps):
        rule = rng.choice(spec["rules"])
        cal = spec["calendar"]
        event = calendar.random_event(cal, rng, start)
        answer = calendar.deadline(cal, rule["deadline"], event)
        options = {answer}
        for wrong in plausible_mistakes(cal, rule["deadline"], event):
            if len(options) >= CALLBACK_OPTIONS:
                break
            options.add(wrong)
        step = dt.timedelta(hours=1) if "days" not in rule["deadline"] else dt.timedelta(days=1)
        while len(options) < CALLBACK_OPTIONS:
            options.add(answer + step * rng.choice((-2, -1, 1, 2)))
        return {"rule": rule["id"], "event": event.strftime(MOMENT),
                "options": [m.strftime(MOMENT) for m in sorted(options)]}

    def key(self, spec, case):
        rule = rule_of(spec, case)
        return calendar.deadline(spec["calendar"], rule["deadline"], moment(case["event"])).strftime(MOMENT)

    def guess(self, spec):
        return 1 / CALLBACK_OPTIONS


def rule_of(spec: dict, case: dict) -> dict:
    """The contact timing rule a callback case asks about."""
    return next(r for r in spec["rules"] if r["id"] == case["rule"])


def moment(text: str) -> dt.datetime:
    """A case's moment as a datetime."""
    return dt.datetime.strptime(text, MOMENT)


def plausible_mistakes(cal: dict, deadline: dict, event: dt.datetime):
    """Answers a trainee gets by forgetting one part of the rule: hours, weekends, holidays."""
    unit, amount = calendar.parse_deadline(deadline)
    if unit in calendar.CALENDAR_UNITS:  # forgetting that this clock runs at night and at weekends
        yield calendar.deadline(cal, {"hours" if unit == "calendar_hours" else "days": amount}, event)
        if unit == "calendar_days":
            yield dt.datetime.combine(event.date() + dt.timedelta(days=amount), event.time())
            yield dt.datetime.combine(event.date() + dt.timedelta(days=amount - 1), calendar.END_OF_DAY)
        return
    if unit != "days":
        yield event + dt.timedelta(minutes=amount * (60 if unit == "hours" else 1))
    else:
        yield dt.datetime.combine(event.date() + dt.timedelta(days=amount), event.time())
    yield calendar.deadline({**cal, "holidays": []}, deadline, event)
    yield calendar.deadline({**cal, "workdays": list(calendar.WEEKDAYS), "holidays": []}, deadline, event)


# --- the interface by kind name ---------------------------------------------------------------

def _rules(kind: str) -> CaseRules:
    try:
        return CASES[kind]
    except KeyError:
        raise ValueError(f"unknown case kind {kind!r}; the kinds are {', '.join(CASES)}") from None


def new_case(kind: str, spec: Any, rng: random.Random, start: dt.date | str, *, gaps: bool = False) -> dict:
    """A JSON case of ``kind`` drawn with ``rng``; ``start``: the first day an event may fall on.

    ``gaps=True`` (workbook drills) keeps a lead no rule covers, so the drill can point at the gap.
    """
    day = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
    return _rules(kind).draw(spec, rng, day, gaps)


def trainee_case(kind: str, spec: Any, start: dt.date | str, *, course: str, assessment: str, trainee: str,
                 slot: str) -> dict:
    """The case of one trainee's slot: the same wherever it is made (their kernel, the grader)."""
    narrowed = _rules(kind).narrowed(spec, course, trainee)
    return new_case(kind, narrowed, variants.rng(course, assessment, trainee, slot), start)


def case_key(kind: str, spec: Any, case: dict) -> Any:
    """The right answer to ``case`` in answers.json form (None: the rules give none)."""
    return _rules(kind).key(spec, case)


def grade_case(kind: str, spec: Any, case: dict, answer: Any) -> bool:
    """Whether ``answer`` (as saved in answers.json) is the right answer to ``case``."""
    rules = _rules(kind)
    key = rules.key(spec, case)
    return key is not None and rules.normal(answer) == key


def guess(kind: str, spec: Any) -> float:
    """The expected score fraction of a random answer (the item's random guess score)."""
    return _rules(kind).guess(spec)


def wrong_answer(kind: str, case: dict, key: Any, rng: random.Random) -> Any:
    """A plausible wrong answer to ``case`` (what a simulated trainee who errs gives)."""
    return _rules(kind).wrong(case, key, rng)


def describe(kind: str, value: Any, labels: dict, gettext: Callable[[str], str] = str) -> str:
    """An answer to a case of ``kind`` in words (``labels``: what the inputs showed for each value)."""
    return _rules(kind).describe(value, labels, gettext)
