"""GIFT: Moodle's plain-text question format (Question bank → Import → GIFT).

A question is ``::name::[markdown]text{answers}``, questions are separated by blank lines,
``// [id:...]`` and ``// [tag:...]`` comments carry the idnumber and tags (Moodle reads both),
newlines inside a text are written ``\\n`` and ``~ = # { } :`` are escaped with a backslash.
Core GIFT has no ordering questions, no units and no marks: those are reported per question
(units and points still travel in crmtrain tags, so a crmtrain round trip keeps them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..regulation.models import Question
from . import credit
from .common import TOPICS, Result, finish, meta_tags, number, option_ids, read_tags, slug

SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """GIFT-escape text and keep it on one line."""
    out = "".join("\\" + c if c in SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def unescape(text: str) -> str:
    """Undo :func:`escape` (``\\n`` is a newline, ``\\x`` is x)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _feedback(q: Question) -> str:
    return f"####{escape(q.explanation)}" if q.explanation else ""


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _arrows(q: Question, res: Result) -> None:
    if any("->" in o.text for o in q.options):
        res.note(q.id, "an option contains '->', which Moodle's GIFT reader takes for a matching question; use Moodle XML")


def _single(q: Question, res: Result) -> str | None:
    _arrows(q, res)
    # An option starting with '%' would read as a weight: then every weight is written out.
    weights = any(o.text.startswith("%") for o in q.options)
    return " ".join(("=" + ("%100%" if weights else "") if o.id == q.answer else "~" + ("%0%" if weights else ""))
                    + escape(o.text) for o in q.options)


def _multiple(q: Question, res: Result) -> str | None:
    _arrows(q, res)
    if note := credit.all_or_nothing_note(q):
        res.note(q.id, note)
    weights = credit.choice_weights(q)
    return " ".join(f"~%{_weight(weights[o.id])}%{escape(o.text)}" for o in q.options)


def _true_false(q: Question, res: Result) -> str | None:
    return "TRUE" if q.answer else "FALSE"


def _numeric(q: Question, res: Result) -> str | None:
    if q.unit:
        res.note(q.id, f"GIFT has no units: Moodle will not show '{q.unit}' (kept in a crmtrain tag)")
    value = repr(q.answer) if isinstance(q.answer, float) else str(q.answer)
    return f"#{value}:{q.tolerance:g}" if q.tolerance else f"#{value}"


def _open(q: Question, res: Result) -> str | None:
    return ""


def _ordering(q: Question, res: Result) -> str | None:
    res.note(q.id, "ordering questions cannot be written in GIFT; not exported (use Moodle XML)", lost=True)
    return None


@dataclass(frozen=True)
class GiftType:
    """How one crmtrain question type is written in GIFT (None: it cannot be)."""

    answers: Callable[[Question, Result], str | None]


EXPORT: dict[str, GiftType] = {
    "single": GiftType(_single),
    "multiple": GiftType(_multiple),
    "true_false": GiftType(_true_false),
    "numeric": GiftType(_numeric),
    "ordering": GiftType(_ordering),
    "open": GiftType(_open),
}


def _block(q: Question, res: Result) -> str | None:
    answers = EXPORT[q.type.value].answers(q, res)
    if answers is None:
        return None
    extra = {"type": q.type.value}
    if q.unit:
        extra["unit"] = q.unit
    if q.points != 1:
        extra["points"] = str(q.points)
        res.note(q.id, f"GIFT has no marks: Moodle will count {q.points} points as 1 (kept in a crmtrain tag)")
    tags = " ".join(f"[tag:{t}]" for t in meta_tags(q, extra))
    body = f"{answers} {_feedback(q)}".strip()
    return f"// [id:{q.id}] {tags}\n::{escape(q.id)}::[markdown]{escape(q.text)}{{{body}}}"


def export_gift(questions: list[Question] | tuple[Question, ...]) -> Result:
    """The bank as GIFT text, a ``$CATEGORY`` per topic; notes per question."""
    res = Result()
    blocks = []
    topic = None
    for q in questions:  # in the bank's order (draws depend on it): a category wherever the topic changes
        if q.topic.value != topic:
            topic = q.topic.value
            blocks.append(f"$CATEGORY: $course$/top/crmtrain/{topic}")
        block = _block(q, res)
        if block is not None:
            blocks.append(block)
    res.text = "\n\n".join(blocks) + "\n"
    return res


# --- import ---------------------------------------------------------------------------------

_BLOCKS = re.compile(r"\n[ \t]*\n")


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split the answer part at unescaped marks: [(mark, text), ...]."""
    parts: list[tuple[str, str]] = []
    mark, buf, i = "", [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            buf.append(text[i:i + 2])
            i += 2
            continue
        if c in marks:
            if buf or mark:
                parts.append((mark, "".join(buf)))
            mark, buf = c, []
        else:
            buf.append(c)
        i += 1
    parts.append((mark, "".join(buf)))
    return [(m, t) for m, t in parts if m or t.strip()]


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def _strip_format(text: str) -> str:
    return re.sub(r"^\[(markdown|html|plain|moodle)\]", "", text)


def _choices(body: str, data: dict, meta: dict, res: Result) -> None:
    parts = [(m, t) for m, t in _split_unescaped(body, "=~#") if m in "=~"]
    feedback_free = []
    weights = []
    for mark, text in parts:
        weight = None
        found = re.match(r"^%(-?[\d.]+)%", text.strip())
        if found:
            weight = float(found.group(1))
            text = text.strip()[found.end():]
        weights.append(100.0 if mark == "=" and weight is None else (weight or 0.0))
        feedback_free.append(unescape(text.strip()))
    ids = option_ids(meta, len(parts))
    data["options"] = [{"id": i, "text": t} for i, t in zip(ids, feedback_free)]
    if (meta.get("type") or [""])[0] == "multiple" or not any(w == 100 for w in weights):
        right, partial = credit.read_choice(ids, weights, meta, data["id"], res)
        data.update(type="multiple", answer=right)
        if partial is not None:
            data["partial_credit"] = partial
    else:
        data.update(type="single", answer=ids[weights.index(100.0)])
        if any(0 < w < 100 for w in weights):
            res.note(data["id"], "partial-credit answers became wrong options: crmtrain single choice has one right answer")


def _parse_answers(body: str, data: dict, meta: dict, res: Result) -> bool:
    """Fill type, options and answer from the part inside braces; False if it is unsupported."""
    main = body
    general = ""
    at = main.find("####")
    while at >= 0 and at > 0 and main[at - 1] == "\\":
        at = main.find("####", at + 1)
    if at >= 0:
        main, general = main[:at], main[at + 4:]
    data["explanation"] = unescape(general.strip()) if general.strip() else ""
    stripped = main.strip()
    if stripped.upper() in ("T", "TRUE", "F", "FALSE") or re.match(r"^(T|TRUE|F|FALSE)\s*#", stripped, re.I):
        word = re.split(r"\s|#", stripped, maxsplit=1)[0].upper()
        data.update(type="true_false", answer=word in ("T", "TRUE"))
        return True
    if stripped.startswith("#"):
        first = _split_unescaped(stripped[1:], "=~")[0][1] if "=" in stripped[1:] else stripped[1:]
        value = unescape(first.split("#")[0].strip())
        data["type"] = "numeric"
        if ".." in value:
            low, high = (number(v) for v in value.split("..", 1))
            data["answer"], data["tolerance"] = (low + high) / 2, (high - low) / 2
        elif ":" in value:
            v, tol = value.split(":", 1)
            data["answer"], data["tolerance"] = number(v), float(number(tol))
        else:
            data["answer"] = number(value)
        if meta.get("unit"):
            data["unit"] = meta["unit"][0]
        return True
    if not stripped:
        data["type"] = "open"
        return True
    parts = _split_unescaped(stripped, "=~")
    if parts and all("->" in t for _, t in parts):
        return False  # matching: every answer pairs 'item -> match'
    marks = [m for m, _ in _split_unescaped(stripped, "=~")]
    if "~" not in marks:
        return False  # short answer: only '=' answers, nothing to choose from
    _choices(stripped, data, meta, res)
    return True


def import_gift(text: str, source: str = "gift") -> Result:
    """Questions from GIFT text; every question not taken as it was gets a note."""
    res = Result()
    category_topic = None
    for n, block in enumerate(_BLOCKS.split(text.replace("\r\n", "\n").lstrip("\ufeff")), 1):
        comments = [line.strip()[2:] for line in block.splitlines() if line.strip().startswith("//")]
        lines = [line for line in block.splitlines() if line.strip() and not line.strip().startswith("//")]
        if not lines:
            continue
        body = "\n".join(lines).strip()
        if body.startswith("$CATEGORY:"):
            last = body.split(":", 1)[1].strip().rstrip("/").rsplit("/", 1)[-1]
            category_topic = last if last in TOPICS else None
            continue
        note = " ".join(comments)
        idnumber = (re.findall(r"\[id:([^\]]+)\]", note) or [""])[0]
        meta, others = read_tags(re.findall(r"\[tag:([^\]]+)\]", note))
        if category_topic and not meta.get("topic"):
            meta["topic"] = [category_topic]
        name = ""
        if body.startswith("::"):
            end = body.find("::", 2)
            name, body = unescape(body[2:end]), body[end + 2:]
        qid = slug(idnumber or name or re.sub(r"\[\w+\]", "", body.split("{", 1)[0])[:40], f"q{n:03d}")
        opened = _find_unescaped(body, "{")
        closed = body.rfind("}")
        if opened < 0 or closed < opened:
            res.note(qid, "a description without answers, not a question; not imported", lost=True)
            continue
        before, inside, after = body[:opened], body[opened + 1:closed], body[closed + 1:]
        question_text = _strip_format(before.strip()) + ((" _____ " + after.strip()) if after.strip() else "")
        data: dict = {"id": qid, "text": unescape(question_text)}
        if (before.strip().startswith("[html]")):
            res.note(qid, "HTML text kept as written; crmtrain shows it as markdown")
        if not _parse_answers(inside, data, meta, res):
            res.note(qid, "matching and short-answer questions have no crmtrain equivalent; not imported", lost=True)
            continue
        if meta.get("points"):
            data["points"] = int(meta["points"][0])
        if others:
            res.note(qid, f"Moodle tags not kept: {', '.join(others)}")
        finish(res, data, meta, source=source, position=n)
    return res

