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

nbgrader (through :mod:`crmtrain.grading.trainee`) and nbclient are imported only when a
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

from .regulation.models import Question, Regulation
from .regulation.selection import select
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


def expected_scores(reg: Regulation, assessment: str, answers: dict[str, Any]) -> float:
    """The autograded points ``answers`` (as in answers.json) earn, straight from the key."""
    return float(sum(q.points for q in questions(reg, assessment) if q.answer is not None and _right(q, answers.get(q.id))))


def autograded_max(reg: Regulation, assessment: str) -> float:
    return float(sum(q.points for q in questions(reg, assessment) if q.answer is not None))


def choose(q: Question, right: bool, rng: random.Random, lang: str = "en") -> Any:
    """The answer a trainee means to give: the key, or a plausible wrong one."""
    if not q.kind.autograded:
        return OPEN_TEXTS.get(lang, OPEN_TEXTS["en"])[0 if right else 1]
    if right:
        return q.key
    return q.kind.wrong(q.key, [o.id for o in q.options], q.tolerance, rng)


def drive_code(q: Question, value: Any) -> str:
    """Kernel code that gives ``value`` by driving question ``q``'s widgets as clicks would."""
    return f"test.items[{q.id!r}].input.give({value!r})\n"


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

    def folder(self, assessment: str) -> Path:
        return self.home / assessment

    def notebook(self, assessment: str) -> Path:
        return self.folder(assessment) / f"{assessment}.ipynb"

    def fetch(self, course, assessment: str) -> Path:
        """nbgrader fetch_assignment: the released notebook into ``home/<assessment>/``."""
        from .grading import trainee

        return trainee.fetch(course, self.id, self.home, assessment)

    def submit(self, course, assessment: str) -> None:
        """nbgrader submit: ``home/<assessment>/`` (notebook and answers.json) to the exchange."""
        from .grading import trainee

        trainee.submit(course, self.id, self.home, assessment)

    def plan(self, reg: Regulation, assessment: str, rng: random.Random) -> dict[str, Any]:
        """What this trainee means to answer, question by question."""
        lang = reg.meta.language.value
        return {q.id: choose(q, rng.random() < self.skill, rng, lang) for q in questions(reg, assessment)}

    def answer(self, course, assessment: str, reg: Regulation, rng: random.Random, *,
               kernel_name: str = "python3", kernel_spec_manager=None) -> dict[str, Any]:
        """Run the fetched notebook in one kernel, click every answer in, save; return answers.json's answers."""
        import nbformat
        from nbclient import NotebookClient

        by_id = {q.id: q for q in questions(reg, assessment)}
        intended = self.plan(reg, assessment, rng)
        path = self.notebook(assessment)
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
            if q.answer is not None and _right(q, saved.get(qid)) != _right(q, value):
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
