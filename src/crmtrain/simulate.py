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
import math
import os
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .regulation.models import Question, Regulation
from .regulation.selection import select

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


def _key(q: Question) -> Any:
    return list(q.answer) if isinstance(q.answer, tuple) else q.answer


def _right(q: Question, answer: Any) -> bool:
    """Whether a saved answer matches the key (written from the format, not runtime.check)."""
    key, t = q.answer, q.type.value
    if answer is None or key is None:
        return False
    if t == "single":
        return answer == key
    if t == "true_false":
        return answer is bool(key)
    if t == "multiple":
        return isinstance(answer, list) and len(answer) == len(set(answer)) and set(answer) == set(key)
    if t == "ordering":
        return isinstance(answer, list) and tuple(answer) == tuple(key)
    if t == "numeric":
        ok_type = isinstance(answer, (int, float)) and not isinstance(answer, bool)
        return ok_type and math.isfinite(answer) and abs(answer - float(key)) <= q.tolerance + 1e-9
    return False  # open: graded by hand


def expected_scores(reg: Regulation, assessment: str, answers: dict[str, Any]) -> float:
    """The autograded points ``answers`` (as in answers.json) earn, straight from the key."""
    return float(sum(q.points for q in questions(reg, assessment) if q.answer is not None and _right(q, answers.get(q.id))))


def autograded_max(reg: Regulation, assessment: str) -> float:
    return float(sum(q.points for q in questions(reg, assessment) if q.answer is not None))


def choose(q: Question, right: bool, rng: random.Random, lang: str = "en") -> Any:
    """The answer a trainee means to give: the key, or a plausible wrong one."""
    t, key = q.type.value, _key(q)
    ids = [o.id for o in q.options]
    if t == "open":
        return OPEN_TEXTS.get(lang, OPEN_TEXTS["en"])[0 if right else 1]
    if right:
        return key
    if t == "single":
        return rng.choice([i for i in ids if i != key])
    if t == "true_false":
        return not key
    if t == "multiple":
        others = [i for i in ids if i not in key]
        if others and (len(key) == 1 or rng.random() < 0.5):
            return key + [rng.choice(others)]
        return [i for i in key if i != rng.choice(key)]
    if t == "numeric":
        step = max(1.0, abs(float(key)) * 0.5) * rng.choice((1, 2))
        delta = q.tolerance + step
        value = float(key) - delta if float(key) - delta >= 0 and rng.random() < 0.5 else float(key) + delta
        return int(value) if value == int(value) else round(value, 2)
    if t == "ordering":
        i = rng.randrange(len(key) - 1)
        wrong = list(key)
        wrong[i], wrong[i + 1] = wrong[i + 1], wrong[i]
        return wrong
    raise ValueError(f"unknown question type {t!r}")


def _typed(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "ru" else text


def drive_code(q: Question, value: Any, lang: str = "en") -> str:
    """Kernel code that gives ``value`` by driving question ``q``'s widgets as clicks would."""
    ref = f"test.items[{q.id!r}].input"
    t = q.type.value
    if t in ("single", "true_false"):
        return f"{ref}.radio.value = {value!r}\n"
    if t == "multiple":
        return "".join(f"{ref}.boxes[{oid!r}].value = {oid in value!r}\n" for oid in (o.id for o in q.options))
    if t == "numeric":
        return f"{ref}.text.value = {_typed(value, lang)!r}\n"
    if t == "open":
        return f"{ref}.area.value = {value!r}\n"
    # Ordering: bubble each item up into place with the ↑ button; if it is already right,
    # press ↓ twice on the first row (a change the trainee makes and undoes) so it is saved.
    return (f"_inp, _target = {ref}, {list(value)!r}\n"
            "if _inp.order == _target:\n    _inp.move(0, 1); _inp.move(0, 1)\n"
            "for _i, _oid in enumerate(_target):\n"
            "    _j = _inp.order.index(_oid)\n"
            "    while _j > _i:\n        _inp.move(_j, -1); _j -= 1\n")


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

        lang = reg.meta.language.value
        by_id = {q.id: q for q in questions(reg, assessment)}
        intended = self.plan(reg, assessment, rng)
        path = self.notebook(assessment)
        nb = nbformat.read(path, as_version=4)
        drive = nbformat.v4.new_code_cell("".join(drive_code(by_id[qid], v, lang) for qid, v in intended.items())
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
        saved = json.loads((self.folder(assessment) / "answers.json").read_text(encoding="utf-8"))["answers"]
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
