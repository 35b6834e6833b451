"""Notebook assembly with nbformat's v4 helpers: deterministic ids, hidden code, a kernelspec.

:func:`render` gives the exact text a notebook is stored as.
"""

from __future__ import annotations

import hashlib
import re
from pprint import pformat

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ..i18n import translation

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class NotebookBuilder:
    """Collects cells for one notebook; cell ids derive from the notebook name and position.

    Ids are stable across builds (so generated files diff cleanly in git) and unique within
    the notebook, as nbformat 4.5 requires.
    """

    def __init__(self, name: str, lang: str, title: str):
        self.name = name
        self.lang = lang
        self.title = title
        self.cells: list[NotebookNode] = []
        self._slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:24] or "nb"

    def _id(self) -> str:
        return f"{self._slug}-{len(self.cells):03d}"

    def markdown(self, *parts: str, **metadata) -> NotebookNode:
        """Add a markdown cell joining non-empty parts with blank lines."""
        text = "\n\n".join(p.strip() for p in parts if p and p.strip())
        cell = new_markdown_cell(text, id=self._id(), metadata=_locked(metadata))
        self.cells.append(cell)
        return cell

    def code(self, source: str, hidden: bool = True, **metadata) -> NotebookNode:
        """Add a code cell; hidden ones show only their output (widgets), not the code."""
        md = _locked(metadata)
        if hidden:
            md["jupyter"] = {"source_hidden": True}
            md["tags"] = sorted({*md.get("tags", ()), "crmtrain"})
        cell = new_code_cell(source, id=self._id(), metadata=md)
        self.cells.append(cell)
        return cell

    def notebook(self, **metadata) -> NotebookNode:
        """The finished notebook, with kernelspec and language info so JupyterLab asks nothing."""
        nb = new_notebook(cells=list(self.cells))
        nb.metadata.kernelspec = dict(KERNELSPEC)
        nb.metadata.language_info = {"name": "python"}
        nb.metadata.crmtrain = {"notebook": self.name, "lang": self.lang, "title": self.title, "ui": ui_words(self.lang),
                                **metadata}
        return nb


def _locked(metadata: dict) -> dict:
    # Trainees read and click; JupyterLab then offers no editing, deleting or source view.
    return {"editable": False, "deletable": False, **metadata}


def ui_words(lang: str) -> dict[str, str]:
    """What crmtrain's JupyterLab extension says in the notebook's toolbar, in its language."""
    _ = translation(lang).gettext
    return {
        "loading": _("The exercises are loading…"),
        "failed": _("The exercises did not start."),
        "restart": _("Start the exercises again"),
        "restartHint": _("Restart the exercises of this notebook; your saved answers stay"),
        # A diagram wider than the notebook is shrunk to fit; these open and work its full size.
        "zoom": _("Enlarge the diagram"),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "close": _("Close"),
        "zoomHint": _("Drag the diagram or scroll to see all of it."),
    }


def call(target: str, *args, **kwargs) -> str:
    """Source for one runtime call with literal arguments (``wb.quiz({...})``), PEP 8-ish layout."""
    parts = [_literal(a, 4) for a in args]
    parts += [f"{k}={_literal(v, 4 + len(k) + 1)}" for k, v in kwargs.items()]
    joined = ", ".join(parts)
    if len(target) + len(joined) <= 96 and "\n" not in joined:
        return f"{target}({joined})"
    return f"{target}(\n    " + ",\n    ".join(parts) + ",\n)"


def _literal(value, column: int) -> str:
    # pformat aligns continuation lines to its own column 0; shift them to where the value starts.
    text = pformat(value, width=max(40, 100 - column), sort_dicts=False)
    return text.replace("\n", "\n" + " " * column)


def stable_salt(*parts: str) -> str:
    """A salt that changes with the regulation, never between two builds of the same one."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def render(nb: NotebookNode) -> str:
    """The exact text a notebook is stored as (sorted keys, one trailing newline)."""
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4) + "\n"
