"""Simulated trainees: fetch through the real exchange, answer with the real widgets, submit.

Used by ``crmtrain demo``, the end-to-end test and the grading benchmark. A
:class:`SimulatedTrainee` has a home folder of its own and talks to the nbgrader exchange
with nbgrader's own exchange classes (``CourseDirectory.student_id`` names them, as a
JupyterHub login would). To answer, it runs the fetched notebook in a real kernel (nbclient,
working directory = the assessment folder, ``CRMTRAIN_TRAINEE`` set so options shuffle per
trainee) and then drives the widgets in that same kernel — radio buttons, check boxes, the
number field, the ↑/↓ moves, the text area — so ``answers.json`` is written by the runtime
exactly as clicks would write it. Each question is answered right with probability ``skill``;
wrong answers are plausible (another option, a number off by more than the tolerance, two
neighbours swapped).

A per-trainee slot is answered like a trainee would: at a draw slot the question this trainee
drew (their seed picks it, as the kernel does), at a case slot their own case — regenerated
from the same seed, its right answer from the rule engine (``rules.cases.case_key``), a wrong
one another option it offers — clicked into the drill's own widgets. :class:`Asked` records
what each trainee got, so the expected score covers slots too.

nbgrader (through :mod:`crmtrain.grading.verbs.trainee`) and nbclient are imported only when a
trainee acts.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .kinds.slots import DRAW, slot_kind
from .regulation.models import Question, Regulation
from .regulation.selection import select
from .rules import cases
from .runtime.check import ANSWERS_FILE

KERNEL_TIMEOUT = 120

OPEN_TEXTS = {
    "en": ("I follow the regulation: record it in the CRM, check the details and tell my manager.",
           "I would ask a colleague what to do."),
    "ru": ("Действую по регламенту: фиксирую в CRM, проверяю реквизиты и сообщаю руководителю.",
           "Спрошу у коллеги, как поступить."),
}


def questions(reg: Regulation, assessment: str) -> tuple[Question, ...]:
    """The questions ``assessment`` asks, in order (the builder's own selection)."""
    return select(reg).questions[assessment]


def _right(q: Question, answer: Any) -> bool:
    """Whether a saved answer matches the key, by the question type's own check."""
    return q.answer is not None and q.kind.is_correct(answer, q.key, q.tolerance)


@dataclass(frozen=True)
class Asked:
    """What one trainee was asked in one slot: their drawn question, or their case of a drill kind."""

    slot: str
    points: float
    question: Question | None = None  # a draw slot's drawn question
    kind: str = ""  # a case slot's drill kind
    spec: Any = None  # ... its engine's spec (from the answer cell)
    case: dict | None = None  # ... the case this trainee sees

    def key(self) -> Any:
        """The right answer in answers.json form."""
        return self.question.key if self.question is not None else cases.case_key(self.kind, self.spec, self.case)

    def earned(self, answer: Any, partial: bool = False) -> float:
        """The points ``answer`` earns here (the drawn question's rule, or the case's engine)."""
        if self.question is not None:
            q = self.question
            return q.kind.score(answer, q.key, self.points, q.tolerance, partial=q.partial(partial)) if answer is not None else 0.0
        return self.points if answer is not None and cases.grade_case(self.kind, self.spec, self.case, answer) else 0.0


def slots_asked(reg: Regulation, assessment: str, notebook: Path, trainee: str) -> tuple[Asked, ...]:
    """What ``trainee`` is asked in each slot of a released notebook, derived from their seed like the kernel."""
    from .grading.scoring.items import item_spec
    from .grading.presentation.shown_slots import drawn, regenerate

    bank = {q.id: q for q in reg.questions}
    found = []
    for cell in json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]:
        crm = cell.get("metadata", {}).get("crmtrain", {})
        if not crm.get("slot") or cell["metadata"].get("nbgrader", {}).get("grade_id") != f"{crm['item']}-answer":
            continue
        spec = item_spec("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
        course = str(crm.get("course", ""))
        if slot_kind(crm["slot"]) is DRAW:
            found.append(Asked(crm["item"], float(crm["points"]), question=bank[drawn(spec, course, assessment, trainee)["id"]]))
        else:
            found.append(Asked(crm["item"], float(crm["points"]), kind=spec["kind"], spec=spec["spec"],
                               case=regenerate(spec, course, assessment, trainee)))
    return tuple(found)


def expected_scores(reg: Regulation, assessment: str, answers: dict[str, Any], asked: tuple[Asked, ...] = ()) -> float:
    """The autograded points ``answers`` (as in answers.json) earn, straight from the key and the case engines."""
    partial = getattr(reg.assessments, assessment).partial_credit
    fixed = sum(q.kind.score(answers.get(q.id), q.key, q.points, q.tolerance, partial=q.partial(partial))
                for q in questions(reg, assessment) if q.answer is not None and answers.get(q.id) is not None)
    return round(float(fixed + sum(a.earned(answers.get(a.slot), partial) for a in asked)), 4)


def autograded_max(reg: Regulation, assessment: str) -> float:
    """The autograded points of an assessment, slots included (every trainee's maximum is the same)."""
    plans = select(reg).slots.get(assessment, ())
    return float(sum(q.points for q in questions(reg, assessment) if q.answer is not None) + sum(p.points for p in plans))


def choose_case(asked: Asked, right: bool, rng: random.Random) -> Any:
    """A case answer a trainee means to give: the engine's, or another the case offers."""
    key = asked.key()
    return key if right else cases.wrong_answer(asked.kind, asked.case, key, rng)


def choose(q: Question, right: bool, rng: random.Random, lang: str = "en") -> Any:
    """The answer a trainee means to give: the key, or a plausible wrong one."""
    if not q.kind.autograded:
        return OPEN_TEXTS.get(lang, OPEN_TEXTS["en"])[0 if right else 1]
    if right:
        return q.key
    return q.kind.wrong(q.key, [o.id for o in q.options], q.tolerance, rng)


def drive_code(q: Question | Asked, value: Any) -> str:
    """Kernel code that gives ``value`` by driving the widgets of question ``q`` or slot ``q`` as clicks would."""
    if isinstance(q, Asked) and q.question is None:  # a case: set the drill's radio buttons and check boxes
        return f"test.items[{q.slot!r}].input.set_value({value!r})\n"
    return f"test.items[{(q.slot if isinstance(q, Asked) else q.id)!r}].input.give({value!r})\n"


@dataclass
class SimulatedTrainee:
    """A trainee with a home folder of their own, answering right with probability ``skill``."""

    id: str
    name: str
    email: str
    skill: float
    home: Path

    def __post_init__(self) -> None:
        self.home = Path(self.home).absolute()
        self.asked: dict[str, tuple[Asked, ...]] = {}  # assessment -> what this trainee got in its slots

    def folder(self, assessment: str) -> Path:
        return self.home / assessment

    def notebook(self, assessment: str) -> Path:
        return self.folder(assessment) / f"{assessment}.ipynb"

    def fetch(self, course, assessment: str) -> Path:
        """nbgrader fetch_assignment: the released notebook into ``home/<assessment>/``."""
        from .grading.verbs import trainee

        return trainee.fetch(course, self.id, self.home, assessment)

    def submit(self, course, assessment: str) -> None:
        """nbgrader submit: ``home/<assessment>/`` (notebook and answers.json) to the exchange."""
        from .grading.verbs import trainee

        trainee.submit(course, self.id, self.home, assessment)

    def plan(self, reg: Regulation, assessment: str, rng: random.Random, asked: tuple[Asked, ...] = ()
             ) -> dict[str, Any]:
        """What this trainee means to answer, question by question, then slot by slot."""
        lang = reg.meta.language.value
        plan = {q.id: choose(q, rng.random() < self.skill, rng, lang) for q in questions(reg, assessment)}
        for a in asked:
            right = rng.random() < self.skill
            plan[a.slot] = choose(a.question, right, rng, lang) if a.question is not None else choose_case(a, right, rng)
        return plan

    def answer(self, course, assessment: str, reg: Regulation, rng: random.Random, *,
               kernel_name: str = "python3", kernel_spec_manager=None) -> dict[str, Any]:
        """Run the fetched notebook in one kernel, click every answer in, save; return answers.json's answers."""
        import nbformat
        from nbclient import NotebookClient

        path = self.notebook(assessment)
        self.asked[assessment] = asked = slots_asked(reg, assessment, path, self.id)
        by_id: dict[str, Question | Asked] = {q.id: q for q in questions(reg, assessment)}
        by_id.update((a.slot, a) for a in asked)
        intended = self.plan(reg, assessment, rng, asked)
        nb = nbformat.read(path, as_version=4)
        drive = nbformat.v4.new_code_cell("".join(drive_code(by_id[qid], v) for qid, v in intended.items())
                                          + "print(sorted(test.answers) == sorted(test.items), test.save_error)")
        run = nbformat.from_dict(json.loads(json.dumps(nb)))
        run.cells.append(drive)
        class Client(NotebookClient):
            def create_kernel_manager(self):  # a kernelspec folder of the caller's choosing
                km = super().create_kernel_manager()
                if kernel_spec_manager is not None:
                    km.kernel_spec_manager = kernel_spec_manager
                return km

        client = Client(run, timeout=KERNEL_TIMEOUT, kernel_name=kernel_name,
                        resources={"metadata": {"path": str(self.folder(assessment))}})
        env = {**os.environ, "CRMTRAIN_TRAINEE": self.id}
        # The kernel's own chatter (e.g. jupyter_client's TCP warning) is not the trainee's.
        client.execute(env=env, stderr=subprocess.DEVNULL)
        said = "".join(o.get("text", "") for o in run.cells[-1].outputs if o.get("output_type") == "stream")
        if said.strip() != "True None":
            raise RuntimeError(f"{self.id}: the widgets did not save every answer ({said.strip()!r})")
        # What the trainee saves: the notebook as they ran it (answers live in answers.json).
        run.cells.pop()
        nbformat.write(run, path)
        saved = json.loads((self.folder(assessment) / ANSWERS_FILE).read_text(encoding="utf-8"))["answers"]
        for qid, value in intended.items():
            q = by_id[qid]
            if isinstance(q, Asked):
                same = q.earned(saved.get(qid)) == q.earned(value)
            else:
                same = q.answer is None or _right(q, saved.get(qid)) == _right(q, value)
            if not same:
                raise RuntimeError(f"{self.id}: {qid} was saved as {saved.get(qid)!r}, meant {value!r}")
        return saved

    def edit_cell(self, assessment: str, grade_id: str, source: str) -> None:
        """Tamper: replace the source of the cell ``grade_id`` in the trainee's notebook."""
        import nbformat

        path = self.notebook(assessment)
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                cell.source = source
        nbformat.write(nb, path)
