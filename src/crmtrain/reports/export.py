"""Write report tables as CSV (one file per table) and XLSX (one sheet per table).

CSV is UTF-8 with a BOM, so Excel reads Cyrillic names correctly, and CRLF line ends. Excel
splits a CSV by the *locale's* list separator: ``dialect="excel-ru"`` writes ``;`` and
decimal commas for a Russian-locale Excel. XLSX is styled with openpyxl,
with a frozen, filtered header row, percent formats, widths from the content and pass/fail
colours as conditional formats (see :mod:`crmtrain.reports.xlsx` for how it stays fast).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

CSV_DIALECTS = {"excel": (",", "."), "excel-ru": (";", ",")}
PERCENT = re.compile(r"(^|_)(score|facility|retention|change|share|rate|sd|guess|weight|index|efficiency|alpha|ratio)$")
DECIMAL = re.compile(r"^(standard_error|mean_points|sd_points)$")
RESULT = re.compile(r"_result$")
RESULT_FILLS = {"pass": "C6EFCE", "fail": "FFC7CE", "pending": "FFEB9C", "missing": "EDEDED"}
MAX_WIDTH = 60


def number_format(column: str) -> str | None:
    """The Excel number format for a column, by its name (None: leave General)."""
    if column == "change" or column.endswith("_change"):
        return "[Color10]+0.0%;[Red]-0.0%;0.0%"
    if PERCENT.search(column):
        return "0.0%"
    if DECIMAL.match(column):
        return "0.00"
    if column == "pass_mark":
        return '0"%"'
    if column == "due":
        return "yyyy-mm-dd hh:mm"
    return None


def write_csv(tables: dict[str, pd.DataFrame], folder: Path, dialect: str = "excel") -> list[Path]:
    """One ``<name>.csv`` per table in ``folder``; returns the paths."""
    sep, decimal = CSV_DIALECTS[dialect]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = folder / f"{name}.csv"
        # Rounded so Excel shows 0.8333, not 0.8333333333333334; percents stay fractions like the XLSX.
        floats = df.select_dtypes("float").columns
        df.assign(**{c: df[c].round(4) for c in floats}).to_csv(path, index=False, encoding="utf-8-sig", sep=sep, decimal=decimal,
                           lineterminator="\r\n", date_format="%Y-%m-%d %H:%M")
        paths.append(path)
    return paths


def widths(df: pd.DataFrame, sample: int = 2000) -> list[float]:
    """Column widths in characters: the header or the longest value among the first rows, capped."""
    out = []
    for col in df.columns:
        s = df[col].head(sample)
        fmt = number_format(str(col))
        # astype(str) of missing values can leave NA lengths (pandas string dtype): count them as 0.
        lengths = s.astype(str).str.len().fillna(0)
        longest = 7 if fmt and "%" in fmt else int(lengths.max()) if len(s) else 0
        out.append(min(max(len(str(col)) + 3, longest + 2, 8), MAX_WIDTH))
    return out


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """One sheet per table (see :mod:`crmtrain.reports.xlsx`); returns the path."""
    from .xlsx import write_xlsx as write

    return write(tables, path)
