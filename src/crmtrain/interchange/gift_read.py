"""Reading GIFT the way Moodle's importer does (``question/format/gift/format.php``, Moodle 4.5).

Moodle's reading is followed step by step, quirks included, so that what crmtrain takes from a
file is what Moodle would: escapes (``\\: \\# \\= \\{ \\} \\~ \\n \\\\``) are set aside first;
``//`` lines are comments holding ``[id:...]`` and ``[tag:...]``; the answers are between the
first ``{`` and the first ``}``; the type is told from the answers (ordering, Moodle 4.4+'s
``{>N ...}``, first; then description, essay, numerical, multiple choice, matching, true/false,
short answer); ``[html]``/``[plain]``/``[markdown]``/``[moodle]`` prefix any text.
"""

from __future__ import annotations

import re

from .common import html_to_text
from .moodle import ORDERING, Answer, MoodleQuestion

_ESCAPES = {"\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003", "\\{": "\ue004", "\\}": "\ue005", "\\~": "\ue006",
            "\\n": "\ue007"}
_PLAIN = {"\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{", "\ue005": "}", "\ue006": "~", "\ue007": "\n"}
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = ("moodle", "html", "plain", "markdown")
_ORDERING = re.compile(
    r"^\s*>\s*(\d+)\s*((?:ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?)\s*"
    r"((?:HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?)\s*"
    r"((?:ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|RELATIVE_NEXT_INCLUDE_LAST|"
    r"RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|RELATIVE_TO_CORRECT|RELATIVE|REL"
    r"LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?)\s*"
    r"((?:SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?)\s*((?:none|123|abc|ABCD|iii|IIII)?)\s*(.*?)\s*$", re.S)
_GRADING = {"ABSOLUTE": "ABSOLUTE_POSITION", "ABS": "ABSOLUTE_POSITION", "RELATIVE": "RELATIVE_NEXT_EXCLUDE_LAST",
            "REL": "RELATIVE_NEXT_EXCLUDE_LAST", "": "RELATIVE_NEXT_EXCLUDE_LAST"}


def _pre(text: str) -> str:
    text = text.replace("\\\\", "\ue000")
    for escaped, mark in _ESCAPES.items():
        text = text.replace(escaped, mark)
    return text.replace("\ue000", "\\")


def _post(text: str) -> str:
    return "".join(_PLAIN.get(c, c) for c in text)


class _Reader:
    """One question's texts, each read with its format prefix (HTML turned into plain text)."""

    def __init__(self, q: MoodleQuestion):
        self.q = q

    def text(self, raw: str, what: str, default: str = "moodle") -> tuple[str, str]:
        """(plain text, its format) of a GIFT text with an optional [format] prefix."""
        fmt = default
        if raw.startswith("["):
            end = raw.find("]")
            if end > 0 and raw[1:end] in _FORMATS:
                fmt, raw = raw[1:end], raw[end + 1:]
        plain = _post(raw).strip()
        if fmt == "html":
            plain, rich = html_to_text(plain)
            if rich:
                self.q.formatting.append(what)
        return plain, fmt


def split_questions(text: str) -> list[tuple[int, list[str]]]:
    """Moodle's readquestions: blocks of lines between blank lines, each with its first line's number."""
    blocks, current, start = [], [], 0
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.strip():
            if not current:
                start = n
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def read_question(lines: list[str], position: int) -> MoodleQuestion | str | None:
    """One block as Moodle reads it: a question, the path of a ``$CATEGORY``, or None (nothing there)."""
    comments = "\n".join(line.strip() for line in lines if line.strip().startswith("//"))
    text = "\n".join(" " if line.strip().startswith("//") else line for line in lines).strip()
    if not text:
        return None
    text = _pre(text)
    if text.startswith("$CATEGORY:"):
        return _post(text[10:]).strip()
    name = None
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            name, text = _post(text[:end]).strip(), text[end + 2:].strip()
    q = MoodleQuestion(qtype="", name=name or "", position=position)
    q.idnumber, q.tags = _id_and_tags(comments)
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        q.qtype, q.text = "description", _Reader(q).text(text, "question text")[0]
        return _named(q, name)
    if start < 0 or finish < 0 or finish < start:
        q.qtype, q.refused = "unknown", "unbalanced braces: an answer part needs '{' and '}'"
        return _named(q, name, _post(text)[:80])
    answers = text[start + 1:finish].strip()
    rest = text[:start] + ("" if text.endswith("}") else "_____") + text[finish + 1:]
    general = ""
    at = answers.rfind("####")
    if at >= 0:
        general, answers = answers[at + 4:], answers[:at].strip()
    reader = _Reader(q)
    q.text, fmt = reader.text(rest, "question text")
    q.explanation = reader.text(general, "general feedback", fmt)[0]
    _named(q, name)
    _answers(q, reader, answers, fmt)
    return q


def _named(q: MoodleQuestion, name: str | None, fallback: str = "") -> MoodleQuestion:
    if name is None:  # Moodle names an unnamed question after the start of its text
        q.name = re.sub(r"<[^>]*>", "", q.text or fallback).strip()[:80] or "Question"
    return q


def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    found = re.search(r"\[id:((?:\\]|[^\]\x00-\x1f])+)\]", comments)
    tags = [t.replace("\\]", "]").strip() for t in re.findall(r"\[tag:((?:\\]|[^\]<>`\x00-\x1f])*)\]", comments)]
    return (found.group(1).replace("\\]", "]").strip() if found else ""), tags


def _answers(q: MoodleQuestion, reader: _Reader, answers: str, fmt: str) -> None:
    """The question's type and answers, decided as Moodle decides them."""
    order = _ORDERING.match(answers)
    if order:
        _ordering(q, order)
    elif answers == "":
        q.qtype = "essay"
    elif answers.startswith("#"):
        _numerical(q, reader, answers[1:], fmt)
    elif "~" in answers:
        _multichoice(q, reader, answers, fmt)
    elif "=" in answers and "->" in answers:
        q.qtype = "match"
    else:
        check = answers[:answers.find("#")].strip() if answers.find("#") > 0 else answers
        if check in ("T", "TRUE", "F", "FALSE"):
            bits = answers.split("#", 2)
            q.qtype, q.correct = "truefalse", bits[0].strip() in ("T", "TRUE")
            q.answers = [Answer("", 0, reader.text(b.strip(), "feedback", fmt)[0]) for b in bits[1:]]
        else:
            q.qtype = "shortanswer"


def _weight(answer: str) -> tuple[float, str]:
    """Moodle's answerweightparser: the %…% weight as a fraction, and the answer without it."""
    body = answer[1:]
    end = body.find("%")
    try:
        return float(body[:end]) / 100, body[end + 1:]
    except ValueError:
        return 0.0, body[end + 1:]


def _answer(reader: _Reader, raw: str, fraction: float, fmt: str) -> Answer:
    text, _, feedback = raw.partition("#")
    return Answer(reader.text(text.strip(), "an answer", fmt)[0], fraction, reader.text(feedback.strip(), "feedback", fmt)[0])


def _multichoice(q: MoodleQuestion, reader: _Reader, answers: str, fmt: str) -> None:
    q.qtype, q.single = "multichoice", "=" in answers
    parts = answers.replace("=", "~=").split("~")
    if not parts[0].strip():
        parts = parts[1:]
    if len(parts) < 2:
        q.refused = "a multiple-choice question needs at least two answers"
        return
    for raw in (p.strip() for p in parts):
        if raw.startswith("="):
            q.answers.append(_answer(reader, raw[1:], 1.0, fmt))
        elif _WEIGHT.match(raw):
            fraction, body = _weight(raw)
            q.answers.append(_answer(reader, body, fraction, fmt))
        else:
            q.answers.append(_answer(reader, raw, 0.0, fmt))


def _numerical(q: MoodleQuestion, reader: _Reader, answers: str, fmt: str) -> None:
    q.qtype = "numerical"
    wrong = ""
    if "~" in answers:
        answers, wrong = answers[:answers.find("~")], answers[answers.find("~"):]
    parts = answers.split("=")
    if not parts[0].strip():
        parts = parts[1:]
    if not parts:
        q.refused = "a numerical question needs an answer"
        return
    for raw in (p.strip() for p in parts):
        fraction, raw = _weight(raw) if _WEIGHT.match(raw) else (1.0, raw)
        a = _answer(reader, raw, fraction, fmt)
        value, tolerance = a.text, "0"
        if a.text.find("..") > 0:
            low, high = a.text.split("..", 1)
            if _is_number(low) and _is_number(high):
                value = repr((float(low) + float(high)) / 2)
                tolerance = repr(float(high) - float(value))
        elif a.text.find(":") > 0:
            value, tolerance = (s.strip() for s in a.text.split(":", 1))
        if not _is_number(tolerance):
            q.refused = f"'{a.text}' is not a number with a tolerance"
            return
        # Moodle keeps any other answer as '*' (its check assigns instead of comparing).
        q.answers.append(Answer(value if _is_number(value) else "*", fraction, a.feedback, float(tolerance)))
    if wrong:
        q.answers.append(Answer("*", 0.0, _answer(reader, wrong, 0.0, fmt).feedback))


def _is_number(text: str) -> bool:
    return re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", text) is not None


def _ordering(q: MoodleQuestion, found: re.Match) -> None:
    count, select, grading = found.group(1), found.group(2), found.group(4)
    items = [_post(line).strip() for line in re.split(r"[\r\n]+", found.group(7)) if line.strip()]
    q.qtype = ORDERING
    q.answers = [Answer(item, 1.0) for item in items]
    q.shown = subset(select, int(count) if 2 <= int(count) <= len(items) else min(6, len(items)), len(items))
    q.grading = _GRADING.get(grading.upper(), grading.upper())


def subset(select: str, count: int, items: int) -> int | None:
    """How many items Moodle's ordering question shows: all (None) for ALL/EXACT, else a subset of count."""
    if select.strip().upper() in ("ALL", "EXACT"):
        return None
    return max(count, 2) if count < items else None
