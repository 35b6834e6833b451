"""``crmtrain export`` and ``crmtrain import``: the question bank to and from Moodle and spreadsheets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..i18n import _
from . import read
from . import REGULATION_HELP


def _report(notes, out: TextIO) -> None:
    for note in notes:
        out.write("  " + (_("NOT TAKEN") + " " if note.lost else "") + f"{note}\n")


def default_name(fmt_name: str) -> str:
    """The file ``export`` writes without ``--out``: ``questions.xml``, ``questions.gift``, ``questions-qti.zip``..."""
    from ..interchange.formats import FORMATS

    fmt = FORMATS[fmt_name]
    suffix = fmt.suffixes[0]
    if fmt.holds == "processes":
        return f"processes{suffix}"
    # A zip says nothing of what is inside; the format's name does.
    return f"questions-{fmt_name}{suffix}" if suffix == ".zip" else f"questions{suffix}"


def export(spec: str | None, fmt_name: str, out_file: str | None, out: TextIO) -> int:
    """Write the regulation's question bank; 1 when some question could not be written.

    Without ``out_file``: ``questions.<suffix>`` in the current folder; a missing folder is created.
    """
    from ..interchange.credit import effective
    from ..interchange.formats import FORMATS

    reg, _path = read(spec, out)
    fmt = FORMATS[fmt_name]
    path = Path(out_file) if out_file else Path(default_name(fmt_name))
    if fmt.holds == "processes":
        return _export_processes(reg, fmt, path, out)
    # Each question goes out with the partial credit its assessment gives it, not only its own setting.
    questions, said = effective(reg)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        res = fmt.write(tuple(questions), path)
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    res.notes[:0] = said
    lost = sorted({n.question for n in res.notes if n.lost})
    out.write(_("Wrote {path} ({format}): {n} of {total} questions").format(
        path=path, format=_(fmt.title), n=len(reg.questions) - len(lost), total=len(reg.questions)) + "\n")
    if res.notes:
        out.write(_("What the format cannot hold, per question:") + "\n")
        _report(res.notes, out)
    return 1 if lost else 0


def _export_processes(reg, fmt, path: Path, out: TextIO) -> int:
    processes = reg.order_processing.processes
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        res = fmt.write(processes, path)
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    out.write(_("Wrote {path} ({format}): {n} processes").format(path=path, format=_(fmt.title), n=len(processes)) + "\n")
    _report(res.notes, out)
    return 0


def import_(in_file: str, fmt_name: str | None, out_file: str | None, out: TextIO) -> int:
    """Read questions and write them as the regulation's ``questions:`` YAML; 1 when some were not taken."""
    from ..interchange.formats import FORMATS, by_suffix, processes_yaml, questions_yaml

    path = Path(in_file)
    if not path.is_file():
        raise UserError(_("{path}: no such file").format(path=path))
    fmt = FORMATS[fmt_name] if fmt_name else by_suffix(path)
    if fmt.read is None:
        raise UserError(_("{path}: crmtrain writes {format} but does not read it; import Moodle XML, GIFT, XLSX or CSV").format(
            path=path, format=_(fmt.title)))
    res = fmt.read(path)
    lost = [n for n in res.notes if n.lost]
    if fmt.holds == "processes":
        text = processes_yaml(res.processes)
        summary = _("Read {n} processes from {path} ({format})").format(n=len(res.processes), path=path, format=_(fmt.title))
        paste = _("paste them under order_processing: processes: in the regulation (or open it in crmtrain edit)")
    else:
        text = questions_yaml(res.questions)
        summary = _("Read {n} questions from {path} ({format})").format(n=len(res.questions), path=path, format=_(fmt.title))
        paste = _("paste its questions into the regulation")
    summary += _("; {n} not taken").format(n=len(lost)) if lost else ""
    if out_file:
        target = Path(out_file)
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror)) from None
        out.write(summary + _("; wrote {path}: {paste}, then run crmtrain check").format(path=target, paste=paste) + "\n")
        stream = out
    else:
        import sys

        out.write(text)
        stream = sys.stderr
        stream.write(summary + "\n")
    if res.notes:
        stream.write((_("To look at, per process:") if fmt.holds == "processes" else _("To look at, per question:")) + "\n")
        _report(res.notes, stream)
    return 1 if lost else 0


# The interchange formats, named here so that --help needs no import (a test holds them to
# interchange.formats.FORMATS).
FORMATS = ("moodle-xml", "gift", "xlsx", "csv", "qti", "bpmn")


def register(sub) -> None:
    """``crmtrain export`` and ``crmtrain import``."""
    p = sub.add_parser("export", help=_("write the question bank as Moodle XML, GIFT or a spreadsheet, or the "
                                      "processes as BPMN"))
    p.add_argument("regulation", nargs="?", default=None, help=_(REGULATION_HELP))
    p.add_argument("--format", required=True, choices=FORMATS, help=_("moodle-xml, gift, xlsx, csv, qti (QTI 2.1 zip, "
                                                                    "export only) or bpmn (the business processes)"))
    p.add_argument("--out", default=None, metavar="FILE",
                   help=_("the file to write; a missing folder is created (default: questions.xml, questions.gift, "
                        "questions.xlsx, questions.csv or questions-qti.zip here)"))
    p.set_defaults(func=lambda args: export(args.regulation, args.format, args.out, out=sys.stdout))

    p = sub.add_parser("import", help=_("read questions from Moodle XML, GIFT or a spreadsheet, or processes from "
                                      "BPMN, as regulation YAML"))
    p.add_argument("file", metavar="FILE", help=_("a .xml (Moodle XML), .gift/.txt (GIFT), .xlsx, .csv or .bpmn file"))
    p.add_argument("--format", default=None, choices=FORMATS, help=_("the file's format (default: by its suffix)"))
    p.add_argument("--out", default=None, metavar="FILE", help=_("write the questions' YAML here (default: print it)"))
    p.set_defaults(func=lambda args: import_(args.file, args.format, args.out, out=sys.stdout))
