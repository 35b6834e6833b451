"""The one error type the CLI catches: something the user can fix, said in their terms.

A :class:`UserError` carries typed :class:`Problem` records (file, line, column, field,
message); ``cli.py`` prints them, one line each, and nothing else formats them for the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input; ``line``/``column`` are 1-based, 0 when unknown."""

    file: str = ""
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line or None, self.column or None) if p)
        return "".join(f"{part}: " for part in (where, self.field) if part) + self.message


class UserError(Exception):
    """A problem with the user's input or environment; the CLI shows it and exits ``exit_code``.

    ``problems`` lists every problem found, so they can all be reported at once; plain strings
    are accepted for problems that have no position.
    """

    def __init__(self, message: str, problems: Iterable[Problem | str] = (), exit_code: int = 2):
        super().__init__(message)
        self.problems = tuple(p if isinstance(p, Problem) else Problem(message=str(p)) for p in problems)
        self.exit_code = exit_code

    @property
    def lines(self) -> tuple[str, ...]:
        """The problems as the lines the CLI prints."""
        return tuple(str(p) for p in self.problems)


def invalid_choice(value: str, allowed: Sequence[str]) -> str:
    """A bad choice worded exactly as argparse words one, so every bad ``--format`` reads the same."""
    return f"invalid choice: {value!r} (choose from {', '.join(map(repr, allowed))})"


def comma_choices(text: str | Iterable[str], allowed: Sequence[str]) -> tuple[str, ...]:
    """``"csv,xlsx"`` (or a list) as a tuple in ``allowed``'s order; UserError on a value not allowed."""
    words = text.split(",") if isinstance(text, str) else list(text)
    wanted = [w.strip().lower() for w in words if w.strip()]
    for word in wanted or [""]:
        if word not in allowed:
            raise UserError(invalid_choice(word, allowed))
    return tuple(a for a in allowed if a in wanted)
