"""``crmtrain report``: score tables for the responsible specialist, from the gradebook and the regulation."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..i18n import _
from . import REGULATION_HELP, add_course, formats


def run(course_dir: str | Path, regulation_spec: str | None, out_dir: str | Path,
        formats: str | Iterable[str] | None, out: TextIO) -> int:
    """Read the course and regulation, write the report files, print a summary; 0 on success."""
    from ..reports.export import parse_formats, write_report
    from ..reports.from_gradebook import course_root, load_report_data
    from . import read

    wanted = parse_formats(formats)
    root = course_root(course_dir)
    if regulation_spec:
        reg, _path = read(regulation_spec, out)
    else:
        reg, _path = read(recorded_regulation(root), out)
    data = load_report_data(root, reg)
    m = reg.meta
    title = _("{company}: CRM training report ({crm}, regulation {version})").format(
        company=m.company, crm=m.crm, version=m.version)
    lang = m.language.value
    dialect = "excel-ru" if lang == "ru" else "excel"
    paths, tables = write_report(data, out_dir, wanted, title=title, dialect=dialect, lang=lang,
                                 timezone=reg.client_work.contact_timing.calendar.timezone, words=m.word_forms())
    out.write(summary_text(tables))
    for p in paths:
        out.write("  " + _("wrote {path}").format(path=p) + "\n")
    return 0


def recorded_regulation(course: Path) -> Path:
    """The regulation the course was built from (recorded by ``crmtrain build``); a UserError without a record."""
    from ..errors import UserError
    from ..i18n import _
    from ..samples import resolve
    from . import recorded

    ref = recorded(course)
    if ref is None:
        from ..grading.plumbing.course import Course

        Course.load(course)  # not a course at all says so first
        raise UserError(_("{course}: no record of the regulation it was built from; pass --regulation FILE").format(
            course=course))
    return resolve(ref, base=Path(course))


def summary_text(tables) -> str:
    """A few lines per assessment: submitted, passed, failed, late; and the flagged questions."""
    from ..i18n import language
    from ..reports.people import People

    said = People(language()).assessment
    lines = []
    for row in tables["summary"].itertuples(index=False):
        if not row.released:
            lines.append(_("{assessment}: not released yet").format(assessment=said(row.assessment)))
            continue
        mean = "" if row.submitted == 0 else _(", mean score {mean}").format(mean=f"{row.mean_score:.0%}")
        pending = _(", {n} awaiting grading").format(n=row.pending) if row.pending else ""
        lines.append(_("{assessment}: {submitted}/{trainees} submitted ({late} late), {passed} passed, {failed} below "
                       "the {mark}% mark").format(
                           assessment=said(row.assessment), submitted=row.submitted, trainees=row.trainees, late=row.late,
                           passed=row.passed, failed=row.failed, mark=f"{row.pass_mark:g}") + pending + mean)
    lines += flag_lines(tables, said)
    need = tables["retraining"]["trainee_id"].nunique()
    if need:
        lines.append(_("{n} trainee(s) have a retraining list").format(n=need))
    return "\n".join(lines) + "\n"


def flag_lines(tables, said=str) -> list[str]:
    """The questions the item analysis flags, or why it flags none; the consistency of each assessment."""
    lines = []
    ia = tables["item_analysis"]
    answered = ia[ia["n"] > 0]
    flagged = answered[answered["flag"] != ""]
    judged = answered[answered["note"] == ""]
    if len(flagged):
        lines.append(_("{n} question(s) flagged in the item analysis:").format(n=len(flagged)))
        lines += [f"  {said(row.assessment)} {row.item}: {row.flag}" for row in flagged.head(10).itertuples(index=False)]
        if len(flagged) > 10:
            lines.append("  " + _("… and {n} more (see item_analysis)").format(n=len(flagged) - 10))
    elif len(answered) and judged.empty:
        most = int(answered["n"].max())
        lines.append(_("no question flagged: too few answers to judge (at most {n} per question; {needed})").format(
            n=most, needed=_needed(answered)))
    elif len(answered):
        lines.append(_("no question flagged: {n} question(s) with enough answers all look sound").format(n=len(judged)))
    st = tables.get("assessment_statistics")
    if st is not None:
        for row in st.itertuples(index=False):
            if row.sittings and row.advice:
                lines.append(f"{said(row.assessment)}: {row.advice}")
            elif row.sittings and row.note:
                lines.append(_("{assessment}: consistency not judged yet ({note})").format(
                    assessment=said(row.assessment), note=row.note))
    return lines


def _needed(answered) -> str:
    """'advice needs 20 (15 more)' for the best-answered question."""
    best = answered.sort_values("n", ascending=False).iloc[0]
    return str(best["note"]).split("; ", 1)[-1]


def register(sub) -> None:
    """``crmtrain report``."""
    p = sub.add_parser("report", help=_("score tables for the specialist: CSV, XLSX and an offline HTML report"))
    add_course(p)
    p.add_argument("--regulation", default=None,
                   help=_("a regulation YAML file, a folder holding regulation.yaml, or sample:en / sample:ru / "
                          "sample:freight (default: the one the course was built from)"))
    p.add_argument("--out", default="reports", metavar="DIR", help=_("folder for the report files (default: reports)"))
    p.add_argument("--format", default="csv,xlsx,html", type=formats("csv", "xlsx", "html"),
                   help=_("comma-separated: csv, xlsx, html (default: all)"))
    p.set_defaults(func=lambda args: run(args.course_dir, args.regulation, args.out, args.format, out=sys.stdout))
