"""``crmtrain export`` and ``crmtrain import``: the question bank to and from Moodle and spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..errors import UserError
from ..regulation.loader import load
from ..samples import resolve


def _report(notes, out: TextIO) -> None:
    for note in notes:
        out.write(f"  {'NOT TAKEN ' if note.lost else ''}{note}\n")


def export(spec: str | None, fmt_name: str, out_file: str, out: TextIO) -> int:
    """Write the regulation's question bank; 1 when some question could not be written."""
    from ..interchange.credit import effective
    from ..interchange.formats import FORMATS

    reg = load(resolve(spec))
    fmt = FORMATS[fmt_name]
    path = Path(out_file)
    # Each question goes out with the partial credit its assessment gives it, not only its own setting.
    questions, said = effective(reg)
    try:
        res = fmt.write(tuple(questions), path)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    res.notes[:0] = said
    lost = sorted({n.question for n in res.notes if n.lost})
    out.write(f"Wrote {path} ({fmt.title}): {len(reg.questions) - len(lost)} of {len(reg.questions)} questions\n")
    if res.notes:
        out.write("What the format cannot hold, per question:\n")
        _report(res.notes, out)
    return 1 if lost else 0


def import_(in_file: str, fmt_name: str | None, out_file: str | None, out: TextIO) -> int:
    """Read questions and write them as the regulation's ``questions:`` YAML; 1 when some were not taken."""
    from ..interchange.formats import FORMATS, by_suffix, questions_yaml

    path = Path(in_file)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    fmt = FORMATS[fmt_name] if fmt_name else by_suffix(path)
    if fmt.read is None:
        raise UserError(f"{path}: crmtrain writes {fmt.title} but does not read it; import Moodle XML, GIFT, XLSX or CSV")
    res = fmt.read(path)
    text = questions_yaml(res.questions)
    lost = [n for n in res.notes if n.lost]
    summary = f"Read {len(res.questions)} questions from {path} ({fmt.title})" + (f"; {len(lost)} not taken" if lost else "")
    if out_file:
        target = Path(out_file)
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror}") from None
        out.write(f"{summary}; wrote {target}: paste its questions into the regulation, then run crmtrain check\n")
        stream = out
    else:
        import sys

        out.write(text)
        stream = sys.stderr
        stream.write(summary + "\n")
    if res.notes:
        stream.write("To look at, per question:\n")
        _report(res.notes, stream)
    return 1 if lost else 0
