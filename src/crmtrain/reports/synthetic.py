"""A realistic, seeded :class:`ReportData` for tests, demos and the benchmark.

Correctness follows a three-parameter logistic model: every trainee has a skill, every item
a difficulty, a discrimination and a guessing floor, so the item statistics mean something.
Each assessment has two deliberately broken items (a miskeyed one that strong trainees get
wrong, and a trivial one) so the item-analysis flags have something to find. Skill drops a
little (and unevenly) by the follow-up, so retention shows both forgetting and late learning.

``draws`` and ``cases`` turn the first positions of each assessment into per-trainee slots: a
draw slot asks each trainee one of ``candidates`` questions (equal points, each its own item
with its own difficulty), a case slot a rule-generated case of its own (``qtype`` "case").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..kinds.questions import AUTOGRADED_TYPES, QUESTION_KINDS, of_shape

from .data import ASSESSMENTS, CASE_TYPE, ReportData, assessment_frame, normalise

# (ref, part, section, title, section title): a small regulation like the sample's.
CATALOGUE = (
    ("crm-purpose", "summary", "crm-purpose", "Why we work in the CRM", "Why we work in the CRM"),
    ("access", "summary", "access", "Login and account security", "Login and account security"),
    ("interface", "summary", "interface", "The interface, block by block", "The interface, block by block"),
    ("sales-setup", "summary", "sales-setup", "How sales are set up", "How sales are set up"),
    ("analytics", "summary", "analytics", "Sales analytics", "Sales analytics"),
    ("lookup", "summary", "lookup", "Finding clients, tasks and products", "Finding clients, tasks and products"),
    ("settings", "summary", "settings", "Basic settings", "Basic settings"),
    ("order-intake", "order_processing", "order-intake", "Order intake", "Order intake"),
    ("order-intake.check-stock", "order_processing", "order-intake", "Order intake: Check stock", "Order intake"),
    ("order-intake.invoice", "order_processing", "order-intake", "Order intake: Issue the invoice", "Order intake"),
    ("order-intake.ship", "order_processing", "order-intake", "Order intake: Ship the order", "Order intake"),
    ("returns", "order_processing", "returns", "Complaints and returns", "Complaints and returns"),
    ("returns.inspect", "order_processing", "returns", "Complaints and returns: Inspect the goods", "Complaints and returns"),
    ("returns.refund", "order_processing", "returns", "Complaints and returns: Refund", "Complaints and returns"),
    ("discounts", "order_processing", "discounts", "Discount approval", "Discount approval"),
    ("lead-classes", "client_work", "lead-classes", "Lead classification", "Lead classification"),
    ("hot", "client_work", "lead-classes", "Hot lead", "Lead classification"),
    ("cold", "client_work", "lead-classes", "Cold lead", "Lead classification"),
    ("r1", "client_work", "lead-classes", "rule r1", "Lead classification"),
    ("proposal", "client_work", "proposal", "Where to take the proposal", "Where to take the proposal"),
    ("kp-standard", "client_work", "proposal", "Standard order", "Where to take the proposal"),
    ("contact-timing", "client_work", "contact-timing", "How soon to contact", "How soon to contact"),
    ("first-call", "client_work", "contact-timing", "New web lead", "How soon to contact"),
    ("conversion", "client_work", "conversion", "When a lead becomes a client", "When a lead becomes a client"),
    ("pipeline", "client_work", "pipeline", "Deal statuses", "Deal statuses"),
    ("pipeline.negotiation", "client_work", "pipeline", "Negotiation", "Deal statuses"),
    ("tasks", "client_work", "tasks", "Tasks on clients", "Tasks on clients"),
)
PART_OF_TOPIC = {"technical": "summary", "processes": "order_processing", "sales": "client_work"}
FIRST = (("Анна", 1), ("Борис", 0), ("Вера", 1), ("Глеб", 0), ("Дарья", 1), ("Егор", 0), ("Жанна", 1), ("Илья", 0),
         ("Ксения", 1), ("Лев", 0), ("Мария", 1), ("Олег", 0))  # (name, female)
LAST = (("Иванов", "Иванова"), ("Петров", "Петрова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"),
        ("Попов", "Попова"), ("Соколов", "Соколова"), ("Лебедев", "Лебедева"), ("Орлов", "Орлова"))
N_OPTIONS = 4  # every synthetic question with options has a, b, c and d


def _single(rng: np.random.Generator) -> list[str]:
    opts = list("abcd")
    rng.shuffle(opts)
    return opts


def _numeric(rng: np.random.Generator) -> list[str]:
    right = int(rng.integers(2, 48))
    return [str(right), str(right * 2), str(right + 1), str(max(right - 8, 1))]


@dataclass(frozen=True)
class Mix:
    """How the synthetic course asks the questions of one answer shape (the registry gives each type its shape)."""

    share: float  # of the items
    points: float
    floor: float  # the IRT model's guessing floor c
    # The responses as text: the right one first, then three wrong ones (the first is the attractive one).
    answers: Callable[[np.random.Generator], list[str]]


MIX = {
    "option": Mix(0.45, 1.0, 0.2, _single),
    "options": Mix(0.15, 2.0, 0.0, lambda rng: ["a,c", "a", "a,b,c", "c,d"]),
    "boolean": Mix(0.15, 1.0, 0.5, lambda rng: ["true", "false"] if rng.random() < 0.5 else ["false", "true"]),
    "number": Mix(0.1, 1.0, 0.0, _numeric),
    "order": Mix(0.05, 1.0, 0.0, lambda rng: ["a,b,c,d", "b,a,c,d", "a,c,b,d", "d,c,b,a"]),
    "text": Mix(0.1, 2.0, 0.0, lambda rng: ["(full answer)", "(partial answer)", "(off-topic answer)", "(one word)"]),
}  # per answer shape (kinds.questions.SHAPES); a type of a shape not listed here gets no synthetic items
TYPE_MIX = {t: MIX[k.shape] for t, k in QUESTION_KINDS.items() if k.shape in MIX}
QTYPES = np.array(list(TYPE_MIX))
# A shape's share is split among its types; the shares are made to add up to 1 again.
_SPLIT = np.array([TYPE_MIX[t].share / sum(k.shape == QUESTION_KINDS[t].shape for k in QUESTION_KINDS.values())
                   for t in QTYPES])
QTYPE_P = _SPLIT / _SPLIT.sum()
OPTIONS = {t: " ".join("abcd"[:N_OPTIONS]) for t, k in QUESTION_KINDS.items() if k.options}
GUESS = {t: k.guess(N_OPTIONS if k.options else 0) for t, k in QUESTION_KINDS.items()}
# A synthetic case: classify a lead into one of four classes (the answers differ per case).
CASE = Mix(0.0, 2.0, 0.25, lambda rng: ["hot", "warm", "cold", "dead"])
GUESS[CASE_TYPE] = 0.25


def _questions(rng: np.random.Generator, prefix: str, n: int, broken: bool = True) -> pd.DataFrame:
    """Item metadata and IRT parameters for one assessment."""
    topics = np.array(["technical", "processes", "sales"])[np.arange(n) % 3]
    qtype = rng.choice(QTYPES, size=n, p=QTYPE_P)
    refs, parts = [], []
    for t in topics:
        pool = [c for c in CATALOGUE if c[1] == PART_OF_TOPIC[t]] if rng.random() < 0.85 else list(CATALOGUE)
        k = 1 + int(rng.random() < 0.3)
        picked = [pool[i] for i in rng.choice(len(pool), size=min(k, len(pool)), replace=False)]
        refs.append(" ".join(p[0] for p in picked))
        parts.append(picked[0][1])
    q = pd.DataFrame({
        "item": [f"{prefix}{i + 1:02d}" for i in range(n)], "topic": topics, "part": parts, "refs": refs,
        "qtype": qtype, "points": np.array([TYPE_MIX[t].points for t in qtype], dtype=float),
        "a": rng.uniform(0.6, 2.0, n), "b": rng.normal(-0.6, 1.0, n),
        "c": np.array([TYPE_MIX[t].floor for t in qtype], dtype=float),
    })
    if broken and n >= 4:  # the broken ones: a miskeyed item (negative slope) and a trivial one
        q.loc[n - 2, ["a", "b", "c"]] = (-1.0, 0.0, 0.0)
        q.loc[n - 1, ["a", "b", "c"]] = (1.0, -5.0, 0.0)
    return q


def _answers(qtype: str, rng: np.random.Generator) -> list[str]:
    """The right answer first, then three wrong ones (the first wrong one is the attractive one)."""
    return (CASE if qtype == CASE_TYPE else TYPE_MIX[qtype]).answers(rng)


def _slots(rng: np.random.Generator, q: pd.DataFrame, prefix: str, draws: int, candidates: int, cases: int,
           n_trainees: int) -> tuple[pd.DataFrame, np.ndarray]:
    """``q`` with its first positions made slots, plus the draws' other candidates; and which question
    each trainee gets at each position (trainees × positions, indexes into the returned frame)."""
    n = len(q)
    q = q.assign(slot="")
    asked = np.tile(np.arange(n), (n_trainees, 1))
    extra = []
    for j in range(draws):
        slot = f"{prefix}-draw{j + 1}"
        q.loc[j, "slot"] = slot
        if q.loc[j, "qtype"] not in AUTOGRADED_TYPES:  # a draw's candidates are all autograded
            choice = of_shape("option").name  # the commonest kind of draw: one right option
            q.loc[j, ["qtype", "points", "c"]] = (choice, TYPE_MIX[choice].points, TYPE_MIX[choice].floor)
        more = _questions(rng, f"{prefix}{j + 1:02d}", candidates - 1, broken=False)
        # Like Moodle's random question from a category: the candidates are of one type and points.
        more = more.assign(item=[f"{q.loc[j, 'item']}{chr(98 + k)}" for k in range(candidates - 1)], slot=slot,
                           qtype=q.loc[j, "qtype"], points=q.loc[j, "points"], c=q.loc[j, "c"])
        ids = np.concatenate([[j], n + sum(len(e) for e in extra) + np.arange(candidates - 1)])
        asked[:, j] = ids[rng.integers(0, candidates, n_trainees)]
        extra.append(more)
    for j in range(draws, draws + cases):
        slot = f"{prefix}-case{j - draws + 1}"
        q.loc[j, ["item", "slot", "qtype", "points", "c"]] = (slot, slot, CASE_TYPE, CASE.points, CASE.floor)
    return pd.concat([q, *extra], ignore_index=True), asked


def _expand(values, index: np.ndarray) -> pd.Categorical:
    """``values[index]`` as a categorical, without materialising the repeated strings."""
    cat = pd.Categorical(np.asarray(values, dtype=object))
    return pd.Categorical.from_codes(cat.codes[index], categories=cat.categories)


def synthetic(n_trainees: int = 30, n_items: int = 40, *, seed: int = 0, followup: bool = True,
              missing: float = 0.05, never: float = 0.02, late: float = 0.1, pending: float = 0.0,
              draws: int = 0, candidates: int = 3, cases: int = 0) -> ReportData:
    """N trainees × n_items per assessment; ``pending`` leaves that share of open answers ungraded;
    ``draws`` draw slots of ``candidates`` questions and ``cases`` case slots come first in each."""
    if draws + cases > max(n_items - 2, 0) or (draws and candidates < 2):
        raise ValueError("slots need positions of their own (all but the two broken items) and two candidates")
    rng = np.random.default_rng(seed)
    slot_rng = np.random.default_rng([seed, 1])  # its own stream: a course without slots stays as it was
    ids = [f"t{i + 1:05d}" for i in range(n_trainees)]
    names = [f"{FIRST[i % len(FIRST)][0]} {LAST[(i // len(FIRST)) % len(LAST)][FIRST[i % len(FIRST)][1]]}"
             for i in range(n_trainees)]
    roster = pd.DataFrame({"trainee_id": ids, "name": names, "email": [f"{i}@example.com" for i in ids]})
    skill = {ASSESSMENTS[0]: rng.normal(0.0, 1.0, n_trainees)}
    for before, name in zip(ASSESSMENTS, ASSESSMENTS[1:]):  # each later one: a little forgotten, unevenly
        skill[name] = skill[before] - 0.3 + rng.normal(0.0, 0.5, n_trainees)
    nothing = rng.random(n_trainees) < never
    qs, cols, assessments = [], {k: [] for k in ("a", "t", "q", "score", "resp", "sub", "late")}, []
    flat: list[str] = []
    for k, name in enumerate(ASSESSMENTS if followup else ASSESSMENTS[:1]):
        q, asked = _slots(slot_rng, _questions(rng, name[0].upper(), n_items), name[0].upper(), draws, candidates,
                          cases, n_trainees)
        q = q.assign(assessment=name)
        answers = [_answers(t, rng) for t in q["qtype"]]
        submitted = ~nothing & (rng.random(n_trainees) >= missing)
        is_late = submitted & (rng.random(n_trainees) < late)
        # P(correct) for every trainee × item, then scores, then which answer was given.
        qa, qb, qc = (q[c].to_numpy(dtype=float)[asked] for c in ("a", "b", "c"))  # trainee × position
        z = 1.7 * qa * (skill[name][:, None] - qb)
        p = qc + (1 - qc) / (1 + np.exp(-z))
        right = rng.random(p.shape) < p
        pts = q["points"].to_numpy(dtype=float)[asked]
        partial = ~right & (pts > 1) & (rng.random(p.shape) < 0.5)
        score = np.where(right, pts, np.where(partial, pts / 2, 0.0))
        score[~submitted] = np.nan
        hand = ~q["qtype"].isin([*AUTOGRADED_TYPES, CASE_TYPE]).to_numpy()[asked]
        score[(rng.random(p.shape) < pending) & hand] = np.nan
        pick = np.where(right, 0, rng.choice(3, size=p.shape, p=[0.6, 0.25, 0.15]) + 1)
        pick = np.minimum(pick, np.array([len(a) - 1 for a in answers])[asked])  # true/false has one wrong answer
        resp = len(flat) + pick + 4 * asked
        resp[~submitted] = -1  # -> the trailing "" below
        flat += [a[i] if i < len(a) else "" for a in answers for i in range(4)]
        n = n_trainees * n_items
        cols["a"].append(np.full(n, k))
        cols["t"].append(np.repeat(np.arange(n_trainees), n_items))
        cols["q"].append(asked.reshape(n) + sum(len(x) for x in qs))
        cols["score"].append(score.reshape(n))
        cols["resp"].append(resp.reshape(n))
        cols["sub"].append(np.repeat(submitted, n_items))
        cols["late"].append(np.repeat(is_late, n_items))
        qs.append(q)
        assessments.append({"assessment": name, "title": f"{name.capitalize()} test", "pass_mark": (75, 80)[k],
                            "max_points": float(q["points"].to_numpy()[:n_items].sum()), "due": pd.Timestamp(2024, 3 + 3 * k, 15, 18)})
    qt = pd.concat(qs, ignore_index=True)
    a, t, qi = (np.concatenate(cols[c]) for c in ("a", "t", "q"))
    score = np.concatenate(cols["score"])
    points = qt["points"].to_numpy()[qi]
    results = pd.DataFrame({
        "assessment": pd.Categorical.from_codes(a, categories=list(ASSESSMENTS)),
        "trainee_id": pd.Categorical.from_codes(t, categories=ids), "trainee_name": _expand(names, t),
        **{c: _expand(qt[c], qi) for c in ("item", "topic", "part", "refs", "qtype", "slot")},
        "points": points, "score": score, "correct": np.nan_to_num(score, nan=-1) >= points,
        "response": _expand(flat + [""], np.concatenate(cols["resp"])),
        "submitted": np.concatenate(cols["sub"]), "late": np.concatenate(cols["late"]),
    })
    questions = pd.DataFrame({"assessment": qt["assessment"], "item": qt["item"], "slot": qt["slot"],
                              "text": [f"Synthetic {t} question on {r}" for t, r in zip(qt["qtype"], qt["refs"])],
                              "options": [OPTIONS.get(t, "") for t in qt["qtype"]],
                              "guess": [GUESS[t] for t in qt["qtype"]]})
    items = pd.DataFrame(CATALOGUE, columns=["ref", "part", "section", "title", "section_title"])
    return normalise(ReportData(results, assessment_frame(assessments), roster, items, questions))
