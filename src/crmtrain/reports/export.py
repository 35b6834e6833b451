"""Write report tables into a folder: CSV (one file per table), XLSX (one sheet per table), HTML.

CSV is UTF-8 with a BOM, so Excel reads Cyrillic names correctly, and CRLF line ends. Excel
splits a CSV by the *locale's* list separator: ``dialect="excel-ru"`` writes ``;`` and
decimal commas for a Russian-locale Excel. XLSX is styled with openpyxl,
with a frozen, filtered header row, percent formats, widths from the content and pass/fail
colours as conditional formats (see :mod:`crmtrain.reports.xlsx` for how it stays fast).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError, comma_choices
from .catalog import table_of

FORMATS = ("csv", "xlsx", "html")
CSV_DIALECTS = {"excel": (",", "."), "excel-ru": (";", ",")}


def parse_formats(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"csv,xlsx"`` (or a list) as a tuple in canonical order; UserError naming unknown ones."""
    return FORMATS if spec is None else comma_choices(spec, FORMATS)


def write_report(data, out_dir: str | Path, formats: Iterable[str] = FORMATS, *, title: str = "Training report",
                 dialect: str = "excel", generated: str | None = None):
    """Compute every table and write the chosen formats into ``out_dir``; returns (paths, tables)."""
    from . import html, tables as t
    from .data import validate

    tables = t.compute_all(validate(data))
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        if "csv" in formats:
            paths += write_csv(tables, out_dir, dialect=dialect)
        if "xlsx" in formats:
            paths.append(write_xlsx(tables, out_dir / "report.xlsx"))
        if "html" in formats:
            stamp = generated or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            paths.append(html.write_html(tables, out_dir / "report.html", title=title, generated=stamp))
    except PermissionError as exc:  # typically the XLSX/CSV is open in Excel, which locks it on Windows
        raise UserError(f"cannot write {exc.filename}: is it open in another program?") from None
    except OSError as exc:
        raise UserError(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    return paths, tables


def write_csv(tables: dict[str, pd.DataFrame], folder: Path, dialect: str = "excel") -> list[Path]:
    """One ``<name>.csv`` per table in ``folder``; returns the paths."""
    sep, decimal = CSV_DIALECTS[dialect]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = folder / table_of(name).csv_name
        # Rounded so Excel shows 0.8333, not 0.8333333333333334; percents stay fractions like the XLSX.
        floats = df.select_dtypes("float").columns
        df.assign(**{c: df[c].round(4) for c in floats}, **_dates_as_text(df)).to_csv(path, index=False, encoding="utf-8-sig", sep=sep, decimal=decimal,
                           lineterminator="\r\n", date_format="%Y-%m-%d %H:%M")
        paths.append(path)
    return paths


def _dates_as_text(df: pd.DataFrame) -> dict[str, pd.Series]:
    """Date columns as text, each distinct date formatted once (pandas formats every value, 10 µs each)."""
    from .xlsx import number_format

    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            fmt = "%Y-%m-%d" if number_format(str(col)) == "yyyy-mm-dd" else "%Y-%m-%d %H:%M"
            codes, uniques = pd.factorize(s)
            text = np.append(np.asarray(pd.DatetimeIndex(uniques).strftime(fmt), dtype=object), "")
            out[col] = pd.Series(text[codes], index=df.index)  # code -1 (NaT) picks the trailing ""
    return out


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """One sheet per table (see :mod:`crmtrain.reports.xlsx`); returns the path."""
    from .xlsx import write_xlsx as write

    return write(tables, path)
