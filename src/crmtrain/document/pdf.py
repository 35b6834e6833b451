"""HTML → PDF with headless Chromium's own print (no network, no profile left behind).

Two passes: the first print tells on which page each heading landed (Chromium writes a
document outline), the second prints the table of contents with those page numbers. The
contents keep a page-number cell in both passes, so filling it in moves nothing.

Chromium stamps the print time into the PDF; that is replaced by the document's effective
date (same length, so the file's byte offsets stay valid) to make prints reproducible.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UserError

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--no-default-browser-check", "--no-pdf-header-footer", "--generate-pdf-document-outline")


def chromium_binary() -> str:
    """Chromium (``CRMTRAIN_CHROMIUM`` overrides); a clear error when it is missing."""
    for candidate in (os.environ.get("CRMTRAIN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    raise UserError("Chromium is needed to print the PDF but was not found; install it (Debian/Ubuntu: "
                    "apt-get install chromium), set CRMTRAIN_CHROMIUM, or ask for --format html only")


def print_pdf(html_file: Path, pdf_file: Path, stamp: dt.date) -> None:
    """Print ``html_file`` to ``pdf_file`` with Chromium; ``stamp`` becomes the PDF's dates."""
    with tempfile.TemporaryDirectory(prefix="crmtrain-chromium-") as profile:
        command = [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_file}",
                   html_file.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UserError(f"cannot run Chromium to print the PDF: {exc}") from None
    if done.returncode != 0 or not pdf_file.exists() or pdf_file.stat().st_size == 0:
        raise UserError(f"Chromium could not print {html_file}: {done.stderr.strip()[-500:]}")
    _restamp(pdf_file, stamp)


def _restamp(pdf_file: Path, stamp: dt.date) -> None:
    data = pdf_file.read_bytes()
    fixed = re.sub(rb"\(D:\d{14}([^)]*)\)", lambda m: b"(D:" + stamp.strftime("%Y%m%d").encode() + b"000000"
                   + b"+00'00'"[: len(m.group(1))].ljust(len(m.group(1)), b" ") + b")", data)
    if fixed != data:
        pdf_file.write_bytes(fixed)


def heading_pages(pdf_file: Path) -> dict[str, int]:
    """Page (1-based) of each heading in Chromium's outline, by its title text."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_file))
    pages: dict[str, int] = {}

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                page = reader.get_destination_page_number(entry)
                pages.setdefault(" ".join(str(entry.title).split()), page + 1)

    walk(reader.outline)
    return pages


def page_count(pdf_file: Path) -> int:
    """How many pages the PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(str(pdf_file)).pages)
