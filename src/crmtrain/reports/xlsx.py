"""XLSX export: openpyxl lays out and styles the workbook; the data rows are streamed in fast.

openpyxl (without lxml) spends ~25 µs per cell serialising XML, so a 10,000-trainee report
(~2 million cells) took well over a minute. Here openpyxl writes each sheet with its header,
column widths, frozen pane, autofilter, conditional formats and *one* styled sample row (to
register the number formats); then every sheet's ``<sheetData>`` is rebuilt from the frame
with plain string formatting, reusing the sample row's style ids, and streamed into the zip.
The result is an ordinary openpyxl workbook with many more rows.

How a report column is shown (number format, width, pass/fail colours; below) is shared with the HTML report.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import number_format
from .people import People
from .people.frames import said

HEADER_FILL = "DDEBF7"
CHUNK = 5000  # rows per write: bounds the memory of the generated XML
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day zero (1900 date system)


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path, people: People | None = None) -> Path:
    """One sheet per table, named, headed and worded for ``people``: bold frozen header with autofilter,
    percent formats, widths, pass/fail colours."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    people = people or People()
    tables = {name: said(name, df, people) for name, df in tables.items()}
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.xlsx"
        _template(tables, template, people)
        with zipfile.ZipFile(template) as src, zipfile.ZipFile(Path(tmp) / "out.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
            for k, df in enumerate(tables.values(), start=1):
                _copy_sheet(src, dst, f"xl/worksheets/sheet{k}.xml", df)
            done = {f"xl/worksheets/sheet{k}.xml" for k in range(1, len(tables) + 1)}
            for info in src.infolist():
                if info.filename not in done:
                    dst.writestr(info, src.read(info))
        shutil.move(Path(tmp) / "out.xlsx", path)
    return path


def _template(tables: dict[str, pd.DataFrame], path: Path, people: People) -> None:
    """The workbook with headers, layout, conditional formats and one sample row per sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import CellIsRule, FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    sheets = people.sheets(tables)
    for name, df in tables.items():
        ws = wb.create_sheet(title=sheets[name])
        cols = [str(c) for c in df.columns]
        headers = people.headers(name, cols)
        end = max(len(df) + 1, 2)
        for k, width in enumerate(widths(df, headers), start=1):  # before any row: write-only mode streams
            ws.column_dimensions[get_column_letter(k)].width = width
        ws.freeze_panes = "A2"
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(df) + 1}"
        for k, col in enumerate(cols, start=1):
            letter = get_column_letter(k)
            rng = f"{letter}2:{letter}{end}"
            if RESULT.search(col):
                for result, colour in RESULT_FILLS.items():
                    word = people.word(col, result).replace('"', '""')
                    ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{word}"'],
                                                                  fill=PatternFill("solid", bgColor=colour)))
            elif col == "flag":
                ws.conditional_formatting.add(rng, FormulaRule(formula=[f"LEN({letter}2)>0"],
                                                               fill=PatternFill("solid", bgColor=RESULT_FILLS["fail"])))
        header = []
        for text in headers:
            cell = WriteOnlyCell(ws, text)
            cell.font, cell.fill, cell.alignment = bold, head_fill, Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        ws.append(header)
        sample = []
        for col in cols:  # a styled cell in every column, so each number format gets a style id
            cell = WriteOnlyCell(ws, 0)
            cell.number_format = shown_format(col, people.lang) or "General"
            sample.append(cell)
        ws.append(sample)
    wb.save(path)


def _copy_sheet(src: zipfile.ZipFile, dst: zipfile.ZipFile, name: str, df: pd.DataFrame) -> None:
    """Write ``name`` into ``dst`` with the template's sample row replaced by the frame's rows."""
    xml = src.read(name).decode("utf-8")
    start, end = xml.index("<sheetData>"), xml.index("</sheetData>")
    data = xml[start + len("<sheetData>"):end]
    header_end = data.index("</row>") + len("</row>")
    styles = re.findall(r'<c r="[A-Z]+2"(?: s="(\d+)")?', data[header_end:])
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1: a few per cent larger than the default 6, three times faster on these repetitive rows.
    info._compresslevel = 1  # the slot behind ZipInfo.compress_level (3.13+), read by ZipFile.open
    with dst.open(info, "w", force_zip64=True) as out:
        out.write((xml[:start] + "<sheetData>" + data[:header_end]).encode("utf-8"))
        for first in range(0, len(df), CHUNK):
            out.write(rows_xml(df.iloc[first:first + CHUNK], first + 2, styles).encode("utf-8"))
        out.write(xml[end:].encode("utf-8"))


def rows_xml(df: pd.DataFrame, first_row: int, styles: list[str | None]) -> str:
    """SpreadsheetML ``<row>`` elements for ``df``, starting at sheet row ``first_row``."""
    from openpyxl.utils import get_column_letter

    nums = [str(i) for i in range(first_row, first_row + len(df))]
    columns = []
    for k, col in enumerate(df.columns):
        ref = get_column_letter(k + 1)
        s = f' s="{styles[k]}"' if k < len(styles) and styles[k] else ""
        columns.append(_cells(df[col], ref, s, nums))
    if not columns:
        return "".join(f'<row r="{n}"/>' for n in nums)
    return "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in zip(nums, zip(*columns)))


def _cells(s: pd.Series, ref: str, style: str, nums: list[str]) -> list[str]:
    """One ``<c>`` per value ('' where missing); each distinct value is rendered once."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        s = ((s.dt.tz_localize(None) if s.dt.tz else s) - _EPOCH) / pd.Timedelta(days=1)  # Excel serial days
    codes, uniques = pd.factorize(s.astype(object) if isinstance(s.dtype, pd.CategoricalDtype) else s)
    inner = [_inner(v) for v in uniques.tolist()]
    head = f"<c r=\"{ref}"
    return ["" if c < 0 or inner[c] is None else f"{head}{n}\"{style}{inner[c]}</c>" for c, n in zip(codes.tolist(), nums)]


def _inner(v) -> str | None:
    """What follows the cell reference and style: type attribute and value (None: leave the cell empty)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, str) and v == ""):
        return None
    if isinstance(v, (bool, np.bool_)):
        return f' t="b"><v>{int(v)}</v>'
    if isinstance(v, (int, float, np.integer, np.floating)):
        return f"><v>{_num(float(v))}</v>" if math.isfinite(v) else None
    return f' t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is>'


def _num(v: float) -> str:
    """Shortest round-tripping text; whole numbers without '.0'."""
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _text(v) -> str:
    text = _ILLEGAL.sub("", str(v))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- how a column is shown --------------------------------------------------------------
# How a report column is shown, by its name: Excel number format, width and pass/fail colours.
#
# Used by the writer above and by the HTML report.

RESULT = re.compile(r"_result$")
RESULT_FILLS = {"pass": "C6EFCE", "fail": "FFC7CE", "pending": "FFEB9C", "missing": "EDEDED"}
MAX_WIDTH = 60
HEADER_WIDTH = 24


def shown_format(column: str, lang: str = "en") -> str | None:
    """:func:`number_format`, with dates the way the language writes them (31.12.2027 in Russian)."""
    fmt = number_format(column)
    if fmt and lang == "ru" and fmt.startswith("yyyy-mm-dd"):
        return fmt.replace("yyyy-mm-dd", "dd.mm.yyyy")
    return fmt


def widths(df: pd.DataFrame, headers: list[str] | None = None, sample: int = 2000) -> list[float]:
    """Column widths in characters: the header or the longest value among the first rows, capped."""
    out = []
    headers = headers or [str(c) for c in df.columns]
    for col, head in zip(df.columns, headers):
        s = df[col].head(sample)
        fmt = number_format(str(col))
        # astype(str) of missing values can leave NA lengths (pandas string dtype): count them as 0.
        lengths = s.astype(str).str.len().fillna(0)
        longest = 7 if fmt and "%" in fmt else int(lengths.max()) if len(s) else 0
        # A long header wraps (its cell does) rather than widening a column of short numbers.
        out.append(min(max(min(len(head), HEADER_WIDTH) + 3, longest + 2, 8), MAX_WIDTH))
    return out
