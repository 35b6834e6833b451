"""Per-trainee variants: the one stable seed behind every case and draw a trainee gets.

A slot of an assessment (``slots:`` in the regulation) shows each trainee their own
rule-generated case, or their own question drawn from several. Which one is fixed by
(course, assessment, trainee, slot) alone: the trainee's kernel derives it to show it, and
grading derives it again from the trainee id nbgrader filed the submission under, so nothing
the trainee can edit decides what is graded.

Standard library only: this module runs inside trainee kernels.
"""

from __future__ import annotations

import hashlib
import random

VERSION = "crmtrain-variant-1"  # part of every seed: changing how seeds are made changes this


def seed(course: str, assessment: str, trainee: str, slot: str) -> str:
    """The seed of one trainee's slot, as text (unit separators: no part can run into the next)."""
    return "\x1f".join((VERSION, course, assessment, trainee, slot))


def rng(course: str, assessment: str, trainee: str, slot: str) -> random.Random:
    """A generator for the slot's case; str seeds hash the same way on every Python 3."""
    return random.Random(seed(course, assessment, trainee, slot))


def draw_index(n: int, course: str, assessment: str, trainee: str, slot: str) -> int:
    """Which of ``n`` candidates the trainee gets in this slot (uniform over trainees)."""
    if n < 1:
        raise ValueError("a draw needs at least one candidate")
    digest = hashlib.sha256(seed(course, assessment, trainee, slot).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n
