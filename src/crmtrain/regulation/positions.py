"""Locations in a regulation document and where they are written in its file.

A location is the path of keys and list indexes from the root, e.g.
``("client_work", "pipeline", "transitions", 2, "to")``; :class:`Positions` maps it to a line
and column. Plain data and the standard library only, so the lightest tools can use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Loc = tuple[str | int, ...]
SHORT = 60  # longest value quoted in a message


def field_path(loc: Loc) -> str:
    """Render a location as ``client_work.pipeline.transitions[2].to``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


Mark = tuple[int, int]  # 1-based line and column


def short(value: Any, limit: int = SHORT) -> str:
    """``repr(value)``, cut to about ``limit`` characters so a huge value cannot flood the screen."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(str(value)):,} characters)"


@dataclass
class Positions:
    """Where each location of the document is written: its key, and its value."""

    root: Any = None
    keys: dict[Loc, Mark] = field(default_factory=dict)
    values: dict[Loc, Mark] = field(default_factory=dict)

    def nearest(self, loc: Loc) -> Loc:
        """The longest prefix of ``loc`` written in the file (values inside an alias are not)."""
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.values:
                return loc[:n]
        return ()

    def mark(self, loc: Loc, key: bool = False) -> Mark:
        """Line and column of ``loc`` (of its key with ``key``), or of its nearest written owner."""
        found = self.nearest(loc)
        if key and found in self.keys:
            return self.keys[found]
        return self.values.get(found, (1, 1))

    def line(self, loc: Loc) -> int:
        """Line of ``loc``'s key, or of the nearest written owner."""
        return self.mark(loc, key=True)[0]

    def exists(self, loc: Loc) -> bool:
        """Whether every step of ``loc`` is present in the data (aliases included)."""
        node = self.root
        for part in loc:
            if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
                node = node[part]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return False
        return True
