"""``crmtrain check``: validate a regulation, summarise it, and report what is still missing.

The report of a valid file is cached (in a small on-disk cache, below), so checking an unchanged file
again does not even import pydantic; the modules that validate load only on a cache miss.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import Problem
from ..i18n import _, plural, set_language
from ..regulation.positions import Loc, Positions, field_path
from ..regulation.formats.yamlread import MAX_BYTES
from ..samples import resolve
from . import REGULATION_HELP

if TYPE_CHECKING:
    from ..regulation.models import Regulation


def run(spec: str | None, out: TextIO, *, cache: bool = True) -> int:
    """Print the summary and completeness report; 0 when complete, 1 when something is missing."""
    path = resolve(spec)
    key = None
    try:
        if cache and path.is_file() and path.stat().st_size <= MAX_BYTES:
            key = cache_key(path, path.read_bytes())
    except OSError:
        key = None  # unreadable: the loader says why
    hit = cache_get(key) if key else None
    if hit:
        out.write(hit[1])
        return hit[0]
    text = io.StringIO()
    status = _check(path, text)
    out.write(text.getvalue())
    if key:
        cache_put(key, status, text.getvalue())
    return status


def _check(path, out: TextIO) -> int:
    from ..regulation.completeness import report
    from ..regulation.loader import load_with_positions

    reg, positions = load_with_positions(path)  # UserError with every problem: exit status 2
    set_language(reg.meta.language.value)
    out.write(summary(reg))
    parts = report(reg)
    out.write("\n" + _("Completeness") + "\n")
    for part in parts:
        mark = _("ok") if part.complete else _("{n} to do").format(n=len(part.gaps))
        out.write(f"  {_(part.title):<32} {mark}\n")
        for loc, message in part.gaps[:12]:
            out.write(f"      {_gap(path, positions, loc, message)}\n")
        if len(part.gaps) > 12:
            out.write("      " + _("… and {n} more").format(n=len(part.gaps) - 12) + "\n")
    complete = all(p.complete for p in parts)
    out.write(f"\n{path}: " + (_("valid and complete") if complete else _("valid but incomplete")) + "\n")
    return 0 if complete else 1


def _gap(path, positions: Positions, loc: Loc | None, message: str) -> Problem:
    from ..regulation.messages import place

    if loc is None:
        return Problem(message=message)
    return Problem(str(path), *place(loc, positions), field_path(loc), message)


def summary(reg: Regulation) -> str:
    """A few lines saying what the regulation holds."""
    from ..regulation.selection import select

    m, cw = reg.meta, reg.client_work
    steps = sum(len(p.steps) for p in reg.order_processing.processes)
    by_topic = Counter(q.topic.value for q in reg.questions)
    by_type = Counter(q.type.value for q in reg.questions)
    sel = select(reg)
    lc, pls = cw.lead_classification, cw.deal_pipelines
    lines = [
        _("{company} — CRM regulation for {crm}, version {version} of {date} ({language})").format(
            company=m.company, crm=m.crm, version=m.version, date=m.effective_date, language=m.language.value),
        _("Responsible specialist: {name} <{contact}>; pass mark {mark}%").format(
            name=m.specialist.name, contact=m.specialist.contact, mark=m.pass_mark),
        "  " + _("1. Summary: {topics}").format(topics=plural("{n} topic", "{n} topics", len(reg.summary.topics))),
        "  " + _("2. Order processing: {processes}, {steps}").format(
            processes=plural("{n} process", "{n} processes", len(reg.order_processing.processes)),
            steps=plural("{n} step", "{n} steps", steps)),
        "  " + _("3. Working with clients: {classes} by {rules}, {deadlines}, {statuses}, {transitions}, {task_rules}").format(
            classes=plural("{n} lead class", "{n} lead classes", len(lc.classes)),
            rules=plural("{n} rule", "{n} rules", len(lc.rules)),
            deadlines=plural("{n} contact deadline", "{n} contact deadlines", len(cw.contact_timing.rules)),
            statuses=plural("{n} deal status", "{n} deal statuses", sum(len(p.statuses) for p in pls)),
            transitions=plural("{n} transition", "{n} transitions", sum(len(p.transitions) for p in pls)),
            task_rules=plural("{n} task rule", "{n} task rules", len(cw.tasks.rules))),
        "  " + _("4. Tests: {questions} ({topics}; {types})").format(
            questions=plural("{n} question", "{n} questions", len(reg.questions)),
            topics=", ".join(f"{k} {v}" for k, v in sorted(by_topic.items())),
            types=", ".join(f"{k} {v}" for k, v in sorted(by_type.items()))),
    ]
    for name, qs in sel.questions.items():
        a, slots = getattr(reg.assessments, name), sel.slots[name]
        points = sum(q.points for q in qs) + sum(p.points for p in slots)
        lines.append("     " + _("{name}: {title} — {questions}, {points}, pass mark {mark}%, due {days} after release").format(
            name=name, title=a.title, questions=plural("{n} question", "{n} questions", len(qs)),
            points=plural("{n} point", "{n} points", points), mark=a.pass_mark or m.pass_mark,
            days=plural("{n} day", "{n} days", a.due_days)))
        if slots:
            lines.append("       " + _("{n} per trainee: {slots}").format(n=len(slots), slots=", ".join(_slot(p) for p in slots)))
    return "\n".join(lines) + "\n"


def _slot(plan) -> str:
    """``lead-case (a lead case)``, ``tech-basics (one of in-tech-01, in-tech-02)``."""
    if plan.case:
        what = _("a {kind} case").format(kind=plan.case)
    else:
        what = _("one of {questions}").format(questions=", ".join(q.id for q in plan.questions))
    added = _(", added to re-test the initial") if plan.added else ""
    return f"{plan.id} ({what}{added})"


# --- the report cache ---------------------------------------------------------------------
# A small on-disk cache of ``crmtrain check`` reports, so an unchanged file is not re-validated.
# 
# Validating needs pydantic, and importing it costs more than everything else ``check`` does.
# The report of a valid regulation depends only on the file's bytes, its path and crmtrain's own
# code, so it is stored under a key made of exactly those (and the Python and pydantic
# versions). Invalid files are not cached: they are the ones being edited. Any problem with
# the cache folder just means no cache.

CACHE_KEEP = 200  # reports kept; the oldest go first


def cache_folder() -> Path:
    """``$CRMTRAIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/crmtrain``, else ``~/.cache/crmtrain``."""
    if os.environ.get("CRMTRAIN_CACHE_DIR"):
        return Path(os.environ["CRMTRAIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "crmtrain" / "check"


def cache_key(path: Path, data: bytes) -> str:
    """What the report depends on: the file, its name, crmtrain's code, Python and pydantic."""
    h = hashlib.sha256()
    h.update(str(path).encode("utf-8", "surrogateescape") + b"\0" + sys.version.encode() + b"\0")
    code = Path(__file__).resolve().parents[1]
    # The catalogs too: a report is said in words they hold.
    for source in sorted([*code.rglob("*.py"), *code.glob("locale/*/LC_MESSAGES/*.mo")]):
        st = source.stat()
        h.update(f"{source.relative_to(code)}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    spec = importlib.util.find_spec("pydantic")
    if spec and spec.origin:
        version = Path(spec.origin).with_name("version.py")
        h.update(version.read_bytes() if version.exists() else b"")
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def cache_get(k: str) -> tuple[int, str] | None:
    """The cached (exit status, report) for ``k``, if any."""
    try:
        entry = json.loads((cache_folder() / f"{k}.json").read_text(encoding="utf-8"))
        return int(entry["status"]), str(entry["report"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def cache_put(k: str, status: int, report: str) -> None:
    """Store a report atomically; silently does nothing when the folder is not writable."""
    where = cache_folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"status": status, "report": report}, f)
        os.replace(tmp, where / f"{k}.json")
        entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-CACHE_KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def register(sub) -> None:
    """``crmtrain check``."""
    p = sub.add_parser("check", help=_("validate a regulation and report what is missing, part by part"))
    p.add_argument("regulation", nargs="?", default=None, help=_(REGULATION_HELP))
    p.add_argument("--no-cache", action="store_true",
                   help=_("validate again even if this file was checked before unchanged (reports are cached in ~/.cache/crmtrain)"))
    p.set_defaults(func=lambda args: run(args.regulation, out=sys.stdout, cache=not args.no_cache))
