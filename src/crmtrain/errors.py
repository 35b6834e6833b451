"""The one error type the CLI catches: something the user can fix, said in their terms."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment; the message is shown as is.

    ``lines`` holds one problem per line (e.g. ``file:line: field: message``) so every
    problem can be reported at once; the CLI prints them and exits with ``exit_code``.
    """

    def __init__(self, message: str, lines: list[str] | tuple[str, ...] = (), exit_code: int = 2):
        super().__init__(message)
        self.lines = tuple(lines)
        self.exit_code = exit_code
