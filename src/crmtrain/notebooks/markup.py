"""Markdown helpers: HTML for widget text, and tables that read well as plain source."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _renderer():
    from markdown_it import MarkdownIt

    # No raw HTML from the regulation into widgets: the specialist writes markdown.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def html(markdown: str) -> str:
    """Render regulation markdown to HTML for an ipywidgets HTML widget."""
    return _renderer().render(markdown or "").strip()


def cell_text(text: str) -> str:
    """Make text safe inside a markdown table cell."""
    return " ".join((text or "").split()).replace("|", "\\|")


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-style markdown table."""
    out = ["| " + " | ".join(cell_text(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell_text(c) for c in row) + " |" for row in rows]
    return "\n".join(out)
