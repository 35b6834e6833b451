"""Scoring a generated answer check as data, without a kernel.

An autograded item's test cell, as the notebook builder writes it (and as nbgrader restores
it from the gradebook before grading), is exactly two statements::

    from crmtrain.runtime.check import check
    check('Q012', 'single', 'opt-3')          # any further arguments: literals, by keyword

or the same with ``check_case`` or ``check_draw`` (a slot that differs per trainee). Such a cell is *recognised*: its arguments are read with ``ast.literal_eval`` (never
executed) and passed to that same ``check`` function, which reads the saved answers and
raises AssertionError when the answer is wrong. What the cell would have printed in a kernel
is what this returns, so nbgrader's own grading of cell outputs scores it the same way: an
error output scores 0, a number is partial credit, no output is full points. Anything else
in a grade cell is not recognised, and falls back to a kernel.

A slot's check grades the trainee's own case or drawn question, so it needs to know whose
submission this is: :func:`run_check` passes the id nbgrader filed it under. A cell can
never name one (``trainee`` is reserved), nor where the answers are read from (``path``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHECK_MODULE = "crmtrain.runtime.check"
CHECK_FUNCTION = "check"
VARIANT_CHECKS = ("check_case", "check_draw")  # they grade the trainee's own variant of a slot
CHECK_FUNCTIONS = (CHECK_FUNCTION, *VARIANT_CHECKS)
# Where the check reads the answers and whose they are: grading decides, never the cell.
RESERVED = ("path", "trainee")


@dataclass(frozen=True)
class CheckCall:
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    function: str = CHECK_FUNCTION  # which of CHECK_FUNCTIONS the cell calls

    @property
    def item(self) -> str:
        return str(self.args[0]) if self.args else ""


def parse_check(source: str) -> CheckCall | None:
    """The check call of a generated test cell, or None if the cell is anything else."""
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(body) != 2:
        return None
    imp, stmt = body
    if not (isinstance(imp, ast.ImportFrom) and imp.module == CHECK_MODULE and imp.level == 0
            and len(imp.names) == 1 and imp.names[0].name in CHECK_FUNCTIONS and imp.names[0].asname is None):
        return None
    function = imp.names[0].name
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name) and stmt.value.func.id == function):
        return None
    call = stmt.value
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None or k.arg in RESERVED
                                                                  for k in call.keywords):
        return None
    try:
        args = tuple(ast.literal_eval(a) for a in call.args)
        kwargs = tuple((k.arg, ast.literal_eval(k.value)) for k in call.keywords)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return None
    if not args or not isinstance(args[0], str):
        return None
    return CheckCall(args, kwargs, function)


def run_check(call: CheckCall, answers_path: str | Path, trainee: str | None = None) -> list[dict]:
    """The outputs the cell would have had in a kernel working beside ``answers_path``.

    ``trainee``: whose submission it is (nbgrader's student id); a slot's check without one
    fails, as it would in a kernel nobody vouches for.
    """
    from ...runtime import check as checks

    extra = {"trainee": trainee or ""} if call.function in VARIANT_CHECKS else {}
    try:
        result = getattr(checks, call.function)(*call.args, **dict(call.kwargs), **extra, path=answers_path)
    except AssertionError as exc:
        return [_error("AssertionError", str(exc))]
    except Exception as exc:  # noqa: BLE001  (a malformed key fails the item, as it would in a kernel)
        return [_error(type(exc).__name__, str(exc))]
    if result is None:
        return []
    return [{"output_type": "execute_result", "execution_count": None, "metadata": {},
             "data": {"text/plain": repr(result)}}]


def _error(name: str, value: str) -> dict:
    return {"output_type": "error", "ename": name, "evalue": value, "traceback": [f"{name}: {value}"]}
