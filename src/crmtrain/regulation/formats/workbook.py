"""``regulation.xlsx``: the regulation as an Excel workbook, written and read (:mod:`.tables` lays it out).

The first sheet says how to fill the workbook in and lists its sheets with the part each holds;
every other sheet is one table: the first row names the columns in the regulation's language, the
second gives each column's field (how crmtrain reads it), the records follow. Kinds and types are
drop-down lists, so Excel and LibreOffice help. A problem is located as ``Sheet!C14``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...errors import UserError
from ...i18n import N_, _, speaking
from ..positions import Loc
from .tables import PARENT, SETTINGS, Table, flatten, key_of as _key, unflatten

INDEX = "index"  # the index sheet's own key, in cell A1's comment-free twin: B1
# A table's path (by its last parts, the longest that matches) -> msgid of its sheet's title.
TITLES = {
    (): N_("Settings"), ("topics",): N_("Summary topics"), ("blocks",): N_("Interface blocks"), ("images",): N_("Pictures"),
    ("links",): N_("Links"), ("processes",): N_("Processes"), ("steps",): N_("Process steps"), ("branches",): N_("Branches"),
    ("lead_classification", "classes"): N_("Lead classes"), ("lead_classification", "criteria"): N_("Lead criteria"),
    ("lead_classification", "rules"): N_("Lead rules"), ("sources",): N_("Proposal sources"),
    ("contact_timing", "rules"): N_("Contact deadlines"), ("conversion", "criteria"): N_("Lead to client"),
    ("pipelines",): N_("Pipelines"), ("statuses",): N_("Statuses"), ("transitions",): N_("Transitions"), ("fields",): N_("Fields"),
    ("tasks", "rules"): N_("Task rules"), ("questions",): N_("Questions"), ("options",): N_("Options"), ("draw",): N_("Draws"),
    ("slots",): N_("Slots"),
}
# Column keys -> msgid of their header (others are shown as written).
HEADERS = {"id": N_("id"), "title": N_("Title"), "label": N_("Text"), "text": N_("Text"), "body": N_("Text"), "kind": N_("Kind"),
           "role": N_("Role"), "instructions": N_("CRM instructions"), "next": N_("Next step"), "type": N_("Type"), "topic": N_("Topic"),
           "refs": N_("Regulation items"), "answer": N_("Answer"), "explanation": N_("Explanation"), "points": N_("Points"),
           "pool": N_("Pool"), "tolerance": N_("Tolerance"), "unit": N_("Unit"), "partial_credit": N_("Partial credit"),
           "description": N_("Description"), "name": N_("Name"), "from": N_("From"), "to": N_("To"), "requires": N_("Required fields"),
           "values": N_("Values"), "value": N_("Value"), "field": N_("Field"), "count": N_("Count")}
CHOICES = {("steps", "kind"): ("start", "action", "decision", "end")}


def _choices() -> dict[tuple[str, str], tuple[str, ...]]:
    from ...kinds.questions import QUESTION_TYPES
    from ..models import TestTopic

    return {**CHOICES, ("questions", "type"): QUESTION_TYPES, ("questions", "topic"): tuple(t.value for t in TestTopic)}


def _title(table: Table, taken: set[str]) -> str:
    found = next((table.path[-n:] for n in (2, 1) if table.path[-n:] in TITLES), None) if table.path else ()
    base = _(TITLES[found]) if found is not None else " ".join(table.path[-2:]).replace("_", " ")
    if table.path[:1] == ("assessments",) and len(table.path) == 3:  # a draw or slots of one assessment
        base = f"{base} ({table.path[1]})"
    title = re.sub(r"[\[\]:*?/\\]", " ", base)[:28]
    n, out = 1, title
    while out.lower() in taken:
        n += 1
        out = f"{title[:26]} {n}"
    taken.add(out.lower())
    return out


def write_workbook(data: dict, path: Path, language: str | None) -> None:
    """The regulation's data as ``path`` (.xlsx), headers and instructions in ``language``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    tables = flatten(data)
    book = Workbook()
    with speaking(language):
        index = book.active
        index.title = _("How to fill in")[:31]
        index["A1"], index["B1"] = _("How to fill in"), INDEX
        index["A1"].font = Font(bold=True, size=14)
        for n, line in enumerate(_instructions(), 2):
            index.cell(n, 1, line)
        start = len(_instructions()) + 3
        index.cell(start, 1, _("Sheet")).font = Font(bold=True)
        index.cell(start, 2, _("Part of the regulation")).font = Font(bold=True)
        taken = {index.title.lower()}
        choices = _choices()
        for n, table in enumerate(tables, start + 1):
            title = _title(table, taken)
            index.cell(n, 1, title)
            index.cell(n, 2, ".".join(table.path) or ".")
            sheet = book.create_sheet(title)
            columns = table.columns
            for c, key in enumerate(columns, 1):
                sheet.cell(1, c, _header(key)).font = Font(bold=True)
                sheet.cell(2, c, key).font = Font(italic=True, color="808080", size=8)
                sheet.cell(2, c).fill = PatternFill("solid", fgColor="F2F2F2")
                allowed = choices.get((table.path[-1] if table.path else "", key))
                if allowed:
                    dv = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
                    sheet.add_data_validation(dv)
                    dv.add(f"{sheet.cell(3, c).column_letter}3:{sheet.cell(3, c).column_letter}1000")
            for r, row in enumerate(table.rows, 3):
                for c, value in enumerate(row, 1):
                    if value is not None:
                        cell = sheet.cell(r, c, value)
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
            for c, key in enumerate(columns, 1):
                longest = max([len(str(row[c - 1] or "").split("\n")[0]) for row in table.rows] + [len(_header(key))])
                sheet.column_dimensions[sheet.cell(1, c).column_letter].width = min(60, max(10, longest + 2))
            sheet.freeze_panes = "A3"
        index.column_dimensions["A"].width = 40
        index.column_dimensions["B"].width = 60
    book.save(path)


def _instructions() -> list[str]:
    return [_("Each sheet is one part of the regulation; the list below says which."),
            _("Row 1 names the columns; row 2 is the field crmtrain reads (do not change it); records start on row 3."),
            _("Several values in one cell (refs, required fields, holidays): one per line (Alt+Enter)."),
            _("Columns starting with @ name the record a row belongs to: its id, or its number (#2)."),
            _("Then run: crmtrain check regulation.xlsx — problems are shown as Sheet!Cell.")]


def _header(key: str) -> str:
    if key.startswith(PARENT):
        return _("belongs to") + (f" ({key[1:]})" if key != f"{PARENT}1" else "")
    parts = _key(key).split(".")
    return " · ".join(_(HEADERS[p]) if p in HEADERS else p.replace("_", " ") for p in parts)


def read_workbook(path: Path) -> tuple[dict, dict[Loc, str]]:
    """The regulation's data from an .xlsx file, and where each field was read (``Sheet!C14``)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UserError(f"{path}: not a readable XLSX workbook ({exc.__class__.__name__})") from None
    index = book.worksheets[0]
    if index["B1"].value != INDEX:
        raise UserError(f"{path}: not a crmtrain regulation workbook (its first sheet has no list of sheets); "
                        "make one with: crmtrain convert regulation.yaml regulation.xlsx")
    tables, where = [], []
    for title, part in index.iter_rows(min_row=1, max_col=2, values_only=True):
        if not title or not part or title not in book.sheetnames or part == INDEX:
            continue
        sheet = book[title]
        rows = list(sheet.iter_rows(values_only=True))
        columns = [str(c) if c is not None else "" for c in (rows[1] if len(rows) > 1 else ())]
        body = [[_value(v) for v in r] + [None] * (len(columns) - len(r))
                for r in rows[2:] if any(v not in (None, "") for v in r)]
        table = Table(SETTINGS if part == "." else tuple(part.split(".")), columns, [r[:len(columns)] for r in body],
                      [() for _ in body])
        tables.append(table)
        numbers = [n for n, r in enumerate(rows[2:], 3) if any(v not in (None, "") for v in r)]
        where.append((title, numbers, columns))
    data = unflatten(tables)
    cells: dict[Loc, str] = {}
    for table, (title, numbers, columns) in zip(tables, where):
        for row_loc, number, row in zip(table.locs, numbers, table.rows):
            cells[row_loc] = f"{title}!A{number}"
            if table.path == SETTINGS:
                cells[row_loc] = f"{title}!B{number}"
                continue
            for c, key in enumerate(columns, 1):
                if key and not key.startswith(PARENT):
                    field = tuple(_key(key).split("."))
                    cells[(*row_loc, *field)] = f"{title}!{get_column_letter(c)}{number}"
    return data, cells


def _value(v: Any) -> Any:
    """A cell as the document wants it: a date typed in Excel as its ISO text, the rest as it is."""
    import datetime as dt

    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(timespec="minutes")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return v
