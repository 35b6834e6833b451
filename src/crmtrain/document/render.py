"""Write the document: HTML always, PDF through Chromium with page numbers in the contents."""

from __future__ import annotations

import base64
import mimetypes
import tempfile
from collections.abc import Callable
from html import escape
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..files import write_text
from ..regulation.models import Regulation
from .graphs import draw_svg
from .html import build_html, contents_entries, link_picture
from .pdf import heading_pages, page_count, print_pdf

FORMATS = ("html", "pdf")


@dataclass
class Written:
    """What was written: the files, and the PDF's page count (0 without a PDF)."""

    files: list[Path]
    pages: int = 0


def inline_picture(base: Path) -> Callable[[str, str], str]:
    """Pictures of the regulation inlined from files beside it; anything else stays a link (no fetching)."""

    def picture(src: str, alt: str) -> str:
        path = (base / src) if "://" not in src and not src.startswith("data:") else None
        kind = mimetypes.guess_type(src)[0] or ""
        if path is None or not kind.startswith("image/") or not path.is_file():
            return link_picture(src, alt)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img src="data:{kind};base64,{data}" alt="{escape(alt)}">'

    return picture


def write_document(reg: Regulation, out_dir: Path, formats: tuple[str, ...] = FORMATS, name: str = "regulation",
                   base: Path | None = None) -> Written:
    """``out_dir/name.html`` and, if asked, ``out_dir/name.pdf``; ``base`` is the regulation's folder."""
    draw = lru_cache(maxsize=None)(draw_svg)
    picture = inline_picture(base) if base is not None else link_picture
    html_file = out_dir / f"{name}.html"
    text = build_html(reg, draw, picture=picture)
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
        text = build_html(reg, draw, pages, picture)
    write_text(html_file, text)
    print_pdf(html_file, pdf_file, reg.meta.effective_date)
    files = [html_file, pdf_file] if "html" in formats else [pdf_file]
    if "html" not in formats:
        html_file.unlink()
    return Written(files, page_count(pdf_file))
