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


def destination(url: str) -> str:
    """A link or image target that any path survives, spaces and brackets included."""
    # CommonMark's <...> form allows spaces; only the angle brackets themselves need escaping.
    return "<" + (url or "").replace("<", "%3C").replace(">", "%3E") + ">"


def link_text(text: str) -> str:
    """Text safe inside [...] of a link or ![...] of an image."""
    return " ".join((text or "").split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def link(title: str, url: str) -> str:
    """A Markdown link to ``url``, whatever characters it holds."""
    return f"[{link_text(title)}]({destination(url)})"


def image(alt: str, path: str) -> str:
    """A Markdown image, whatever characters its path holds."""
    return f"![{link_text(alt)}]({destination(path)})"


def is_inline(text: str) -> bool:
    """True when ``text`` is one line of Markdown that a table cell can hold."""
    return "\n" not in (text or "").strip()


def indent(text: str, by: int) -> str:
    """Markdown blocks indented to continue a list item."""
    pad = " " * by
    return "\n".join(pad + line if line.strip() else "" for line in (text or "").strip().splitlines())


def rich_table(header: list[str], rows: list[list[str]]) -> str:
    """A table when every cell is one line; else one list entry per row, Markdown kept whole.

    Lists, tables and paragraphs cannot live inside a Markdown table cell; flattening them
    into one line would lose them, so such rows are written as entries instead.
    """
    if all(is_inline(cell) for row in rows for cell in row):
        return table(header, rows)
    entries = []
    for first, *rest in rows:
        parts = [f"- **{cell_text(first)}**"]
        for name, cell in zip(header[1:], rest):
            if not (cell or "").strip():
                continue
            if is_inline(cell):
                parts.append(f"  *{cell_text(name)}:* {cell.strip()}")
            else:
                parts += [f"  *{cell_text(name)}:*", indent(cell, 2)]
        entries.append("\n\n".join(parts))
    return "\n\n".join(entries)
