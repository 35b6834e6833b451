"""Write report tables into a folder: CSV (one file per table), XLSX (one sheet per table), HTML.

Every file is said for people (:mod:`crmtrain.reports.people`): headers and codes in words of the
regulation's language, numbers rounded, moments on the office's clock. CSV is UTF-8 with a BOM,
so Excel reads Cyrillic names correctly, and CRLF line ends. Excel
splits a CSV by the *locale's* list separator: ``dialect="excel-ru"`` writes ``;`` and
decimal commas for a Russian-locale Excel. XLSX is styled with openpyxl,
with a frozen, filtered header row, percent formats, widths from the content and pass/fail
colours as conditional formats (see :mod:`crmtrain.reports.xlsx` for how it stays fast).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import UserError, comma_choices
from ..i18n import N_, _, numbers
from .catalog import table_of
from .people import People

FORMATS = ("csv", "xlsx", "html")
CSV_DIALECTS = {"excel": (",", "."), "excel-ru": (";", ",")}


def parse_formats(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"csv,xlsx"`` (or a list) as a tuple in canonical order; UserError naming unknown ones."""
    return FORMATS if spec is None else comma_choices(spec, FORMATS)


def write_report(data, out_dir: str | Path, formats: Iterable[str] = FORMATS, *, title: str | None = None,
                 dialect: str = "excel", generated: str | None = None, lang: str = "en", timezone: str | None = None,
                 words: dict | None = None):
    """Compute every table and write the chosen formats into ``out_dir``, said for people in ``lang``
    (moments in ``timezone``, the CRM's objects in the company's ``words``); returns (paths, tables)."""
    from . import html, tables as t
    from .data import validate

    data = validate(data)
    tables = t.compute_all(data)
    people = People(lang, timezone, item_titles(data), words)
    title = title or people._(N_("Training report"))
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        if "csv" in formats:
            paths += write_csv(tables, out_dir, dialect=dialect, people=people)
        if "xlsx" in formats:
            paths.append(write_xlsx(tables, out_dir / "report.xlsx", people=people))
        if "html" in formats:
            stamp = generated or numbers.moment(dt.datetime.now(dt.timezone.utc), lang, timezone)
            paths.append(html.write_html(tables, out_dir / "report.html", title=title, generated=stamp, people=people))
    except PermissionError as exc:  # typically the XLSX/CSV is open in Excel, which locks it on Windows
        raise UserError(_("cannot write {file}: is it open in another program?").format(file=exc.filename)) from None
    except OSError as exc:
        raise UserError(_("cannot write {file}: {error}").format(file=out_dir, error=exc.strerror or exc)) from None
    return paths, tables


def item_titles(data) -> dict[str, str]:
    """Regulation item id -> its title, from the report data."""
    items = data.items.drop_duplicates("ref")
    return dict(zip(items["ref"].astype(str), items["title"].astype(str)))


def write_csv(tables: dict[str, pd.DataFrame], folder: Path, dialect: str = "excel",
              people: People | None = None) -> list[Path]:
    """One ``<name>.csv`` per table in ``folder``, headed and worded for ``people``; returns the paths."""
    from .people.frames import for_csv

    sep, decimal = CSV_DIALECTS[dialect]
    people = people or People()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = folder / table_of(name).csv_name
        # The values are rounded already: %.12g writes 11 rather than 11.0, and 72.4 as it is.
        for_csv(name, df, people).to_csv(path, index=False, encoding="utf-8-sig", sep=sep, decimal=decimal,
                                         lineterminator="\r\n", float_format="%.12g")
        paths.append(path)
    return paths


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path, people: People | None = None) -> Path:
    """One sheet per table (see :mod:`crmtrain.reports.xlsx`), headed and worded for ``people``; returns the path."""
    from .xlsx import write_xlsx as write

    return write(tables, path, people=people)
