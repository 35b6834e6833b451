"""``crmtrain report``: score tables for the responsible specialist, from the gradebook and the regulation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..errors import UserError

FORMATS = ("csv", "xlsx", "html")
GRADEBOOK = "gradebook.db"


def parse_formats(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"csv,xlsx"`` (or a list) as a tuple in canonical order; UserError naming unknown ones."""
    if spec is None:
        return FORMATS
    words = spec.split(",") if isinstance(spec, str) else list(spec)
    wanted = {w.strip().lower() for w in words if w.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise UserError(f"unknown report format {', '.join(unknown) or '(none)'}: choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in wanted)


def course_root(path: str | Path) -> Path:
    """The folder holding gradebook.db: ``path`` itself or its ``assignments/`` (the build output)."""
    path = Path(path)
    if not (path / GRADEBOOK).is_file() and (path / "assignments" / GRADEBOOK).is_file():
        return path / "assignments"
    return path


def run(course_dir: str | Path, regulation_spec: str | None, out_dir: str | Path,
        formats: str | Iterable[str] | None, out: TextIO) -> int:
    """Read the course and regulation, write the report files, print a summary; 0 on success."""
    from ..regulation.loader import load
    from ..reports.from_gradebook import load_report_data
    from ..samples import resolve

    wanted = parse_formats(formats)
    reg = load(resolve(regulation_spec))
    data = load_report_data(course_root(course_dir), reg)
    m = reg.meta
    title = f"{m.company}: CRM training report ({m.crm}, regulation {m.version})"
    dialect = "excel-ru" if m.language.value == "ru" else "excel"
    paths, tables = write_report(data, out_dir, wanted, title=title, dialect=dialect)
    out.write(summary_text(tables))
    for p in paths:
        out.write(f"  wrote {p}\n")
    return 0


def write_report(data, out_dir: str | Path, formats: Iterable[str] = FORMATS, *, title: str = "Training report",
                 dialect: str = "excel", generated: str | None = None):
    """Compute every table and write the chosen formats into ``out_dir``; returns (paths, tables)."""
    from ..reports import export, html, tables as t
    from ..reports.data import validate

    tables = t.compute_all(validate(data))
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        if "csv" in formats:
            paths += export.write_csv(tables, out_dir, dialect=dialect)
        if "xlsx" in formats:
            paths.append(export.write_xlsx(tables, out_dir / "report.xlsx"))
        if "html" in formats:
            stamp = generated or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            paths.append(html.write_html(tables, out_dir / "report.html", title=title, generated=stamp))
    except PermissionError as exc:  # typically the XLSX/CSV is open in Excel, which locks it on Windows
        raise UserError(f"cannot write {exc.filename}: is it open in another program?") from None
    except OSError as exc:
        raise UserError(f"cannot write the report into {out_dir}: {exc.strerror or exc}") from None
    return paths, tables


def summary_text(tables) -> str:
    """A few lines per assessment: submitted, passed, failed, late; and the flagged questions."""
    lines = []
    for row in tables["summary"].itertuples(index=False):
        if not row.released:
            lines.append(f"{row.assessment}: not released yet")
            continue
        mean = "" if row.submitted == 0 else f", mean score {row.mean_score:.0%}"
        lines.append(f"{row.assessment}: {row.submitted}/{row.trainees} submitted ({row.late} late), "
                     f"{row.passed} passed, {row.failed} below the {row.pass_mark:g}% mark"
                     + (f", {row.pending} awaiting grading" if row.pending else "") + mean)
    lines += flag_lines(tables)
    need = tables["retraining"]["trainee_id"].nunique()
    if need:
        lines.append(f"{need} trainee(s) have a retraining list")
    return "\n".join(lines) + "\n"


def flag_lines(tables) -> list[str]:
    """The questions the item analysis flags, or why it flags none; the consistency of each assessment."""
    lines = []
    ia = tables["item_analysis"]
    answered = ia[ia["n"] > 0]
    flagged = answered[answered["flag"] != ""]
    judged = answered[answered["note"] == ""]
    if len(flagged):
        lines.append(f"{len(flagged)} question(s) flagged in the item analysis:")
        lines += [f"  {row.assessment} {row.item}: {row.flag}" for row in flagged.head(10).itertuples(index=False)]
        if len(flagged) > 10:
            lines.append(f"  … and {len(flagged) - 10} more (see item_analysis)")
    elif len(answered) and judged.empty:
        most = int(answered["n"].max())
        lines.append(f"no question flagged: too few answers to judge (at most {most} per question; {_needed(answered)})")
    elif len(answered):
        lines.append(f"no question flagged: {len(judged)} question(s) with enough answers all look sound")
    st = tables.get("assessment_statistics")
    if st is not None:
        for row in st.itertuples(index=False):
            if row.sittings and row.advice:
                lines.append(f"{row.assessment}: {row.advice}")
            elif row.sittings and row.note:
                lines.append(f"{row.assessment}: consistency not judged yet ({row.note})")
    return lines


def _needed(answered) -> str:
    """'advice needs 20 (15 more)' for the best-answered question."""
    best = answered.sort_values("n", ascending=False).iloc[0]
    return str(best["note"]).split("; ", 1)[-1]
