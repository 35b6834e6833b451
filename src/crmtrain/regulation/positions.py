"""Where a value sits in the regulation: locations, their printed form and their lines.

A location (``Loc``) is the path of keys and list indexes from the document's root, the same
shape pydantic uses in its errors; checks yield locations, the loader maps them onto lines.
"""

from __future__ import annotations

from typing import Any

Loc = tuple[str | int, ...]


def field_path(loc: Loc) -> str:
    """Render a location as ``client_work.pipeline.transitions[2].to``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Positions:
    """Maps a location in the document to a 1-based line, using ruamel's round-trip data."""

    def __init__(self, root: Any):
        self.root = root

    def line(self, loc: Loc) -> int:
        """Line of the deepest node of ``loc`` that exists (keys point at the key itself)."""
        node, line = self.root, 1
        for part in loc:
            lc = getattr(node, "lc", None)
            try:
                if isinstance(part, int) and isinstance(node, list):
                    if lc is not None:
                        line = lc.item(part)[0] + 1
                    node = node[part]
                elif isinstance(node, dict) and part in node:
                    if lc is not None:
                        line = lc.key(part)[0] + 1
                    node = node[part]
                else:
                    break
            except (KeyError, IndexError, TypeError):
                break
        return line

    def exists(self, loc: Loc) -> bool:
        """Whether every step of ``loc`` is present in the document."""
        node = self.root
        for part in loc:
            if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
                node = node[part]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return False
        return True
