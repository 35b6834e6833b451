"""Spreadsheets (XLSX or CSV), one row per question: how specialists write questions in Excel.

Columns (the header row names them, in any order; Russian names work too): ``id``, ``type``,
``topic``, ``refs``, ``text``, option columns ``A`` … ``J``, ``answer``, ``explanation``,
``points``, ``tolerance``, ``unit``, ``pool``, ``partial_credit`` (yes/no; empty: as the
assessment says; the export writes the partial credit the question's assessment gives it). An option's id is its column letter (``a``)
unless the cell starts with one in brackets: ``[invite] Open the invitation email``. The
answer names options by letter or id: ``B``; ``A, C`` (multiple); ``C, A, B`` (ordering).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from ..i18n import _
from ..errors import UserError
from ..kinds.questions import QUESTION_KINDS, QUESTION_TYPES
from ..regulation.models import Question
from .common import Result, finish, number, slug

OPTION_COLUMNS = tuple("ABCDEFGHIJ")
COLUMNS = ("id", "type", "topic", "refs", "text", *OPTION_COLUMNS, "answer", "explanation", "points", "tolerance",
           "unit", "pool", "partial_credit")
ALIASES = {
    "вопрос": "text", "текст": "text", "question": "text", "тип": "type", "тема": "topic", "раздел": "topic",
    "пункты": "refs", "ссылки": "refs", "ответ": "answer", "пояснение": "explanation", "объяснение": "explanation",
    "баллы": "points", "допуск": "tolerance", "единица": "unit", "единицы": "unit", "пул": "pool", "ид": "id",
    "partial credit": "partial_credit", "partial": "partial_credit", "частичные баллы": "partial_credit",
    "частичный балл": "partial_credit",
    **{c: c for c in COLUMNS}, **{f"option {c.lower()}": c for c in OPTION_COLUMNS},
    **{f"вариант {c.lower()}": c for c in OPTION_COLUMNS},
}
TRUE = {"true", "yes", "y", "1", "да", "верно", "правда", "t"}
FALSE = {"false", "no", "n", "0", "нет", "неверно", "ложь", "f"}
_ID_CELL = re.compile(r"^\[([A-Za-z0-9][A-Za-z0-9_.-]*)\]\s*(.*)$", re.S)


def _ids(text: str, options: list[dict]) -> list[str]:
    by_letter = {c.lower(): o["id"] for c, o in zip(OPTION_COLUMNS, options)}
    known = {o["id"] for o in options}
    out = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        key = part.lower()
        if part in known:
            out.append(part)
        elif key in by_letter:
            out.append(by_letter[key])
        else:
            out.append(part)  # validation names the unknown option
    return out


def _choice(text: str, options: list[dict]):
    ids = _ids(text, options)
    return ids[0] if len(ids) == 1 else (ids or None)


def _boolean(text: str, options: list[dict]):
    key = text.strip().lower()
    return True if key in TRUE else False if key in FALSE else text


def _numeric(text: str, options: list[dict]):
    try:
        return number(text)
    except ValueError:
        return text


# How the answer cell reads, per answer shape (kinds.questions.SHAPES).
ANSWER: dict[str, Callable[[str, list[dict]], object]] = {
    "option": _choice,
    "options": lambda text, options: tuple(_ids(text, options)),
    "order": lambda text, options: tuple(_ids(text, options)),
    "boolean": _boolean,
    "number": _numeric,
    "text": lambda text, options: text or None,
}
# The names a sheet's 'type' cell may give a question type: its own and the registry's aliases.
TYPE_NAMES = {name.casefold(): kind.name for kind in QUESTION_KINDS.values() for name in (kind.name, *kind.aliases)}


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of the first sheet (XLSX) or of the CSV file, keyed by canonical column name."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise UserError(f"{path}: not a readable XLSX workbook ({exc})") from None
        table = [["" if c is None else (str(c) if not isinstance(c, float) or not c.is_integer() else str(int(c)))
                  for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1251")  # Excel's "CSV" in a Russian Windows
        first = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=first.count)
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not table:
        raise UserError(f"{path}: empty; the first row names the columns (id, type, topic, refs, text, A, B, ..., answer)")
    header = [ALIASES.get(h.strip().lower(), h.strip()) for h in table[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise UserError(f"{path}: unknown column(s) {', '.join(unknown)}; columns are {', '.join(COLUMNS)}")
    if "text" not in header or "type" not in header:
        raise UserError(f"{path}: the header row needs at least the columns 'type' and 'text'")
    return [{h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
            for row in table[1:]]


def import_rows(rows: list[dict[str, str]], source: str) -> Result:
    """Questions from spreadsheet rows (row 2 is the first question); notes per question."""
    res = Result()
    for n, row in enumerate(rows, 2):
        if not any(row.values()):
            continue
        qid = slug(row.get("id", ""), f"row-{n}")
        typed = row.get("type", "").strip()
        qtype = TYPE_NAMES.get(typed.casefold(), typed.lower())
        options = []
        for col in OPTION_COLUMNS:
            cell = row.get(col, "")
            if cell:
                found = _ID_CELL.match(cell)
                options.append({"id": found.group(1), "text": found.group(2)} if found else {"id": col.lower(), "text": cell})
        data: dict = {"id": qid, "type": qtype, "text": row.get("text", ""), "options": options,
                      "explanation": row.get("explanation", "")}
        kind = QUESTION_KINDS.get(qtype)
        read = ANSWER.get(kind.shape) if kind else None
        if read is None:
            known = [t for t in QUESTION_TYPES if QUESTION_KINDS[t].shape in ANSWER]
            res.note(qid, f"row {n}: type {row.get('type')!r} is not one of {', '.join(known)}; not imported", lost=True)
            continue
        if row.get("answer"):
            data["answer"] = read(row["answer"], options)
        for key, convert in (("points", int), ("tolerance", float)):
            if row.get(key):
                try:
                    data[key] = convert(number(row[key]))
                except ValueError:
                    data[key] = row[key]
        for key in ("unit", "pool"):
            if row.get(key):
                data[key] = row[key]
        if row.get("partial_credit"):
            data["partial_credit"] = _boolean(row["partial_credit"], options)  # not yes/no: validation names it
        meta = {"ref": [r for r in re.split(r"[,;\s]+", row.get("refs", "")) if r]}
        if row.get("topic"):
            meta["topic"] = [row["topic"].strip().lower()]
        finish(res, data, meta, source=f"{source} row", position=n)
    return res


def export_rows(questions: list[Question] | tuple[Question, ...]) -> Result:
    """The questions a sheet can hold (in ``res.questions``), and a note for each it cannot."""
    res = Result()
    for q in questions:
        if len(q.options) > len(OPTION_COLUMNS):
            res.note(q.id, _("{n} options; a sheet has columns for {columns}, not exported").format(
                n=len(q.options), columns=len(OPTION_COLUMNS)), lost=True)
            continue
        res.questions.append(q)
    return res


def rows_of(questions: list[Question]) -> list[list[str]]:
    """Header and one row per question."""
    out = [list(COLUMNS)]
    for q in questions:
        letter = {o.id: col for col, o in zip(OPTION_COLUMNS, q.options)}
        cells = {c: "" for c in COLUMNS}
        cells.update(id=q.id, type=q.type.value, topic=q.topic.value, refs=", ".join(q.refs), text=q.text,
                     explanation=q.explanation, points=str(q.points), unit=q.unit, pool=q.pool,
                     tolerance=f"{q.tolerance:g}" if q.tolerance else "",
                     partial_credit="" if q.partial_credit is None else "yes" if q.partial_credit else "no")
        for col, o in zip(OPTION_COLUMNS, q.options):
            cells[col] = o.text if o.id == col.lower() else f"[{o.id}] {o.text}"
        answer = q.answer
        if isinstance(answer, bool):
            cells["answer"] = "true" if answer else "false"
        elif isinstance(answer, tuple):
            cells["answer"] = ", ".join(letter[a] for a in answer)
        elif isinstance(answer, str) and answer in letter:
            cells["answer"] = letter[answer]
        elif answer is not None:
            cells["answer"] = str(answer)
        out.append([cells[c] for c in COLUMNS])
    return out


def write_sheet(questions: list[Question], path: Path) -> None:
    """Write the bank as XLSX or CSV (by the file's suffix)."""
    table = rows_of(questions)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        ws.title = "questions"
        for row in table:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        wb.properties.creator = "crmtrain"
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(table)
