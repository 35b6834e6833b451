"""Write the document: HTML always, PDF through Chromium with page numbers in the contents."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..files import write_text
from ..regulation.models import Regulation
from .graphs import draw_svg
from .html import build_html, contents_entries
from .pdf import heading_pages, page_count, print_pdf

FORMATS = ("html", "pdf")


@dataclass
class Written:
    """What was written: the files, and the PDF's page count (0 without a PDF)."""

    files: list[Path]
    pages: int = 0


def write_document(reg: Regulation, out_dir: Path, formats: tuple[str, ...] = FORMATS, name: str = "regulation") -> Written:
    """``out_dir/name.html`` and, if asked, ``out_dir/name.pdf``."""
    draw = lru_cache(maxsize=None)(draw_svg)
    html_file = out_dir / f"{name}.html"
    text = build_html(reg, draw)
    if "pdf" not in formats:
        write_text(html_file, text)
        return Written([html_file])
    pdf_file = out_dir / f"{name}.pdf"
    with tempfile.TemporaryDirectory(prefix="crmtrain-document-") as tmp:
        # First pass: where does each heading land? Then print again with the page numbers.
        draft_html, draft_pdf = Path(tmp) / f"{name}.html", Path(tmp) / f"{name}.pdf"
        draft_html.write_text(text, encoding="utf-8")
        print_pdf(draft_html, draft_pdf, reg.meta.effective_date)
        found = heading_pages(draft_pdf)
        pages = {anchor: found[label] for anchor, label in contents_entries(text) if label in found}
        text = build_html(reg, draw, pages)
    write_text(html_file, text)
    print_pdf(html_file, pdf_file, reg.meta.effective_date)
    files = [html_file, pdf_file] if "html" in formats else [pdf_file]
    if "html" not in formats:
        html_file.unlink()
    return Written(files, page_count(pdf_file))
