"""How a report column is shown, by its name: Excel number format, width and pass/fail colours.

Shared by the XLSX writer (:mod:`crmtrain.reports.xlsx`) and the HTML report.
"""

from __future__ import annotations

import re

import pandas as pd

PERCENT = re.compile(r"(^|_)(score|facility|retention|change|share|rate|sd|guess|weight|index|efficiency|alpha|ratio)$")
DECIMAL = re.compile(r"^(standard_error|mean_points|median_points|sd_points|skewness|kurtosis)$")
RESULT = re.compile(r"_result$")
DAY = re.compile(r"(_on|^last_tested)$")
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
    if DAY.search(column):
        return "yyyy-mm-dd"
    return None


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
