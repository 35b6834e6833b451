"""A scan for answer-key material in files trainees can read.

The key lives only in the hidden tests of the source notebooks (and nbgrader's gradebook).
What betrays it elsewhere: nbgrader's hidden-test markers, or any substantive line of a
hidden-test block (``check("Q012", "single", "opt-3")``). Notebooks and JSON are searched
in their decoded strings, HTML with tags stripped (syntax highlighting splits lines into
spans), other files as text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

from ..plumbing.course import Course

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
CASE_CHECK = "from crmtrain.runtime.check import check_case"
_BORING = re.compile(r"^(import\s|from\s+\S+\s+import\s|#|pass$|$)")


def hidden_lines(notebook: Path) -> list[str]:
    """The substantive lines inside the hidden-test blocks of a source notebook.

    A case slot's block is left out: it holds no key (the rule engine computes it from the
    trainee's case while grading), only the rules its answer cell shows the trainee anyway,
    repeated so that grading never reads them from the trainee's copy.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found: list[str] = []
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        inside, block = False, []
        for line in ("".join(src) if isinstance(src, list) else src).splitlines():
            s = line.strip()
            if s.startswith(BEGIN):
                inside, block = True, []
            elif s.startswith(END):
                inside = False
                if CASE_CHECK not in block:
                    found.extend(b for b in block if len(b) >= 8 and not _BORING.match(b))
            elif inside:
                block.append(s)
    return found


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def readable_text(path: Path) -> str:
    """What a reader of ``path`` sees, as plain text ("" for unreadable files)."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    if path.suffix in (".ipynb", ".json"):
        try:
            return "\n".join(_strings(json.loads(raw)))
        except ValueError:
            return raw
    if path.suffix in (".html", ".htm"):
        return html.unescape(re.sub(r"<[^>]+>", "", raw))
    return raw


def scan(folders: Iterable[Path], needles: Iterable[str]) -> list[str]:
    """``"<file>: contains <needle>"`` for every needle found in any file under ``folders``."""
    needles = [n for n in dict.fromkeys(needles) if n]
    hits = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            text = readable_text(path)
            collapsed = re.sub(r"\s+", "", text)
            for n in needles:
                if n in text or re.sub(r"\s+", "", n) in collapsed:
                    hits.append(f"{path}: contains {n!r}")
    return hits


def find_key_material(course: Course, assessment: str, folders: Iterable[Path]) -> list[str]:
    """Hits of this assessment's hidden-test lines (and the markers) under ``folders``.

    """
    needles = list(MARKERS)
    for nb in course.source_notebooks(assessment):
        needles.extend(hidden_lines(nb))
    return scan(folders, needles)


def exchange_folders(course: Course, assessment: str) -> list[Path]:
    """Where trainees can read: the release folder, the exchange outbound and feedback."""
    return [course.release_dir(assessment), course.outbound_dir(assessment), course.exchange_course_dir / "feedback"]
