"""Scoring a generated answer check as data, without a kernel.

An autograded item's test cell, as the notebook builder writes it (and as nbgrader restores
it from the gradebook before grading), is exactly two statements::

    from crmtrain.runtime.check import check
    check('Q012', 'single', 'opt-3')          # any further arguments: literals, by keyword

Such a cell is *recognised*: its arguments are read with ``ast.literal_eval`` (never
executed) and passed to that same ``check`` function, which reads the saved answers and
raises AssertionError when the answer is wrong. What the cell would have printed in a kernel
is what this returns, so nbgrader's own grading of cell outputs scores it the same way: an
error output scores 0, a number is partial credit, no output is full points. Anything else
in a grade cell is not recognised, and falls back to a kernel.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHECK_MODULE = "crmtrain.runtime.check"
CHECK_FUNCTION = "check"
RESERVED = ("path",)  # where the check reads the answers: grading decides that, never the cell


@dataclass(frozen=True)
class CheckCall:
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]

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
            and len(imp.names) == 1 and imp.names[0].name == CHECK_FUNCTION and imp.names[0].asname is None):
        return None
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name) and stmt.value.func.id == CHECK_FUNCTION):
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
    return CheckCall(args, kwargs)


def run_check(call: CheckCall, answers_path: str | Path) -> list[dict]:
    """The outputs the cell would have had in a kernel working beside ``answers_path``."""
    from ..runtime import check as checks

    try:
        result = getattr(checks, CHECK_FUNCTION)(*call.args, **dict(call.kwargs), path=answers_path)
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
