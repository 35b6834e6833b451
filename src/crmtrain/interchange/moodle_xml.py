"""Moodle XML: the format Moodle's question bank imports and exports (Question bank → Import).

One converter per question type in :data:`EXPORT` (crmtrain type → Moodle type and writer)
and one reader per Moodle type in :data:`IMPORT`. Texts are markdown in crmtrain and stay
markdown (``format="markdown"``) so nothing is lost; HTML from Moodle is read as plain text
with paragraphs, and the loss of formatting is reported.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UserError
from ..regulation.models import Question
from . import credit
from .common import TOPICS, Result, finish, html_to_text, meta_tags, number, option_ids, read_tags, slug

CATEGORY = "$course$/top/crmtrain/{topic}"


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "markdown") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = text
    return el


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _fraction(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".") or "0"


def _answer(parent: ET.Element, fraction: float, text: str, fmt: str | None = "markdown") -> ET.Element:
    el = ET.SubElement(parent, "answer", {"fraction": _fraction(fraction), **({"format": fmt} if fmt else {})})
    ET.SubElement(el, "text").text = text
    _text(el, "feedback", "", "markdown")
    return el


def _combined_feedback(el: ET.Element) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(el, tag, "", "markdown")
    _simple(el, "shownumcorrect", "1")


def _write_single(el: ET.Element, q: Question, res: Result) -> None:
    _simple(el, "single", "true")
    _simple(el, "shuffleanswers", "true")
    _simple(el, "answernumbering", "abc")
    _combined_feedback(el)
    for o in q.options:
        _answer(el, 100 if o.id == q.answer else 0, o.text)


def _write_multiple(el: ET.Element, q: Question, res: Result) -> None:
    _simple(el, "single", "false")
    _simple(el, "shuffleanswers", "true")
    _simple(el, "answernumbering", "abc")
    _combined_feedback(el)
    weights = credit.choice_weights(q)
    for o in q.options:
        _answer(el, weights[o.id], o.text)
    if note := credit.all_or_nothing_note(q):
        res.note(q.id, note)


def _write_true_false(el: ET.Element, q: Question, res: Result) -> None:
    _answer(el, 100 if q.answer is True else 0, "true", "moodle_auto_format")
    _answer(el, 100 if q.answer is False else 0, "false", "moodle_auto_format")


def _write_numeric(el: ET.Element, q: Question, res: Result) -> None:
    answer = _answer(el, 100, repr(q.answer) if isinstance(q.answer, float) else str(q.answer), None)
    _simple(answer, "tolerance", repr(float(q.tolerance)))
    if q.unit:
        units = ET.SubElement(el, "units")
        unit = ET.SubElement(units, "unit")
        _simple(unit, "multiplier", "1")
        _simple(unit, "unit_name", q.unit)
    for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"), ("showunits", "3" if not q.unit else "0"),
                       ("unitsleft", "0")):
        _simple(el, tag, value)


def _write_ordering(el: ET.Element, q: Question, res: Result) -> None:
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                       ("gradingtype", credit.ordering_grading(q)), ("showgrading", "SHOW"), ("numberingstyle", "none")):
        _simple(el, tag, value)
    _combined_feedback(el)
    text = {o.id: o.text for o in q.options}
    # Moodle keeps an ordering question's items in the right order, numbered by 'fraction'.
    for n, oid in enumerate(q.answer or (), 1):
        _answer(el, n, text[oid])
    res.note(q.id, "needs Moodle's Ordering question type (qtype_ordering, standard since Moodle 4.4)")


def _write_open(el: ET.Element, q: Question, res: Result) -> None:
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"), ("responsefieldlines", "10"),
                       ("attachments", "0"), ("attachmentsrequired", "0")):
        _simple(el, tag, value)
    _text(el, "graderinfo", q.explanation)  # crmtrain's explanation of an open question guides the grader
    _text(el, "responsetemplate", "", "html")


def _ordering_tags(q: Question) -> list[str]:
    # The items are written in the right order: 'options' names them so, 'shown' as displayed.
    return [*(t for t in meta_tags(q) if not t.startswith("crmtrain-options:")),
            "crmtrain-options:" + "|".join(q.answer or ()), "crmtrain-shown:" + "|".join(o.id for o in q.options)]


@dataclass(frozen=True)
class MoodleType:
    """How one crmtrain question type is written as a Moodle question."""

    qtype: str
    write: Callable[[ET.Element, Question, Result], None]
    tags: Callable[[Question], list[str]] = meta_tags


EXPORT: dict[str, MoodleType] = {
    "single": MoodleType("multichoice", _write_single),
    "multiple": MoodleType("multichoice", _write_multiple),
    "true_false": MoodleType("truefalse", _write_true_false),
    "numeric": MoodleType("numerical", _write_numeric),
    "ordering": MoodleType("ordering", _write_ordering, _ordering_tags),
    "open": MoodleType("essay", _write_open),
}


def _question(quiz: ET.Element, q: Question, res: Result) -> None:
    kind = EXPORT[q.type.value]
    el = ET.SubElement(quiz, "question", {"type": kind.qtype})
    _text(el, "name", q.id, None)
    _text(el, "questiontext", q.text)
    _text(el, "generalfeedback", q.explanation)
    _simple(el, "defaultgrade", str(q.points))
    _simple(el, "penalty", "0")
    _simple(el, "hidden", "0")
    _simple(el, "idnumber", q.id)
    kind.write(el, q, res)
    if q.tolerance and not q.kind.tolerance:
        res.note(q.id, f"tolerance {q.tolerance} only applies to numeric questions; not exported")
    tag_el = ET.SubElement(el, "tags")
    for tag in kind.tags(q):
        ET.SubElement(ET.SubElement(tag_el, "tag"), "text").text = tag


def export_xml(questions: list[Question] | tuple[Question, ...]) -> Result:
    """The bank as a Moodle XML document, a category per topic; notes per question."""
    res = Result()
    quiz = ET.Element("quiz")
    topic = None
    for q in questions:  # in the bank's order (draws depend on it): a category wherever the topic changes
        if q.topic.value != topic:
            topic = q.topic.value
            cat = ET.SubElement(quiz, "question", {"type": "category"})
            _text(cat, "category", CATEGORY.format(topic=topic), None)
            _text(cat, "info", "", "moodle_auto_format")
        _question(quiz, q, res)
    ET.indent(quiz, space="  ")
    res.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
    return res


# --- import ---------------------------------------------------------------------------------


def _read_text(el: ET.Element | None, qid: str, res: Result, what: str) -> str:
    if el is None:
        return ""
    text = el.findtext("text") or ""
    if el.get("format") == "html":
        text, rich = html_to_text(text)
        if rich:
            res.note(qid, f"{what}: HTML formatting (lists, bold, tables, images) read as plain text")
    return text


def _answers(el: ET.Element, qid: str, res: Result) -> list[tuple[float, str]]:
    return [(float(a.get("fraction", "0")), _read_text(a, qid, res, "an answer")) for a in el.findall("answer")]


def _read_choice(el: ET.Element, data: dict, meta: dict, res: Result) -> None:
    answers = _answers(el, data["id"], res)
    ids = option_ids(meta, len(answers))
    data["options"] = [{"id": i, "text": t} for i, (_, t) in zip(ids, answers)]
    single = (el.findtext("single") or "true").strip().lower() in ("true", "1")
    if single:
        best = max(range(len(answers)), key=lambda i: answers[i][0]) if answers else None
        data.update(type="single", answer=ids[best] if best is not None else None)
        if sum(1 for f, _ in answers if 0 < f < 100):
            res.note(data["id"], "partial-credit answers became wrong options: crmtrain single choice has one right answer")
    else:
        right, partial = credit.read_choice(ids, [f for f, _ in answers], meta, data["id"], res)
        data.update(type="multiple", answer=right)
        if partial is not None:
            data["partial_credit"] = partial


def _read_true_false(el: ET.Element, data: dict, meta: dict, res: Result) -> None:
    right = [t.strip().lower() for f, t in _answers(el, data["id"], res) if f > 0]
    data.update(type="true_false", answer=right[0] == "true" if right else None)


def _read_numeric(el: ET.Element, data: dict, meta: dict, res: Result) -> None:
    answers = el.findall("answer")
    best = max(answers, key=lambda a: float(a.get("fraction", "0")), default=None)
    if len(answers) > 1:
        res.note(data["id"], f"{len(answers) - 1} more accepted numeric answers dropped; crmtrain keeps one value and a tolerance")
    data["type"] = "numeric"
    if best is not None:
        try:
            data["answer"] = number(best.findtext("text") or "")
            data["tolerance"] = float(best.findtext("tolerance") or 0)
        except ValueError:
            data["answer"] = best.findtext("text")
    unit = el.findtext("units/unit/unit_name")
    if unit:
        data["unit"] = unit
    if len(el.findall("units/unit")) > 1:
        res.note(data["id"], "only the first unit is kept")


def _read_ordering(el: ET.Element, data: dict, meta: dict, res: Result) -> None:
    answers = sorted(_answers(el, data["id"], res), key=lambda a: a[0])
    ids = option_ids(meta, len(answers))
    text = dict(zip(ids, (t for _, t in answers)))
    shown = (meta.get("shown") or [""])[0].split("|")
    order = shown if sorted(shown) == sorted(ids) else ids
    data.update(type="ordering", options=[{"id": i, "text": text[i]} for i in order], answer=tuple(ids))
    partial = credit.read_ordering(el.findtext("gradingtype"), meta, data["id"], res)
    if partial is not None:
        data["partial_credit"] = partial


def _read_essay(el: ET.Element, data: dict, meta: dict, res: Result) -> None:
    data["type"] = "open"
    info = _read_text(el.find("graderinfo"), data["id"], res, "grader information")
    if info and not data["explanation"]:
        data["explanation"] = info
    elif info and info != data["explanation"]:
        res.note(data["id"], "grader information differs from the general feedback; only the general feedback is kept")


IMPORT: dict[str, Callable[[ET.Element, dict, dict, Result], None]] = {
    "multichoice": _read_choice,
    "truefalse": _read_true_false,
    "numerical": _read_numeric,
    "ordering": _read_ordering,
    "essay": _read_essay,
}


def import_xml(text: str, source: str = "moodle-xml") -> Result:
    """Questions from a Moodle XML document; every question not taken as it was gets a note."""
    res = Result()
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise UserError(f"{source}: not Moodle XML ({exc})") from None
    if root.tag != "quiz":
        raise UserError(f"{source}: not Moodle XML (the root element is <{root.tag}>, expected <quiz>)")
    topic_from_category = None
    for n, el in enumerate(root.findall("question"), 1):
        qtype = el.get("type", "")
        if qtype == "category":
            last = (el.findtext("category/text") or "").rstrip("/").rsplit("/", 1)[-1]
            topic_from_category = last if last in TOPICS else None
            continue
        name = (el.findtext("name/text") or "").strip()
        qid = slug((el.findtext("idnumber") or "").strip() or name, f"q{n:03d}")
        reader = IMPORT.get(qtype)
        if reader is None:
            res.note(qid, f"Moodle question type '{qtype}' has no crmtrain equivalent; not imported", lost=True)
            continue
        meta, others = read_tags([t.findtext("text") or "" for t in el.findall("tags/tag")])
        if topic_from_category and not meta.get("topic"):
            meta["topic"] = [topic_from_category]
        data: dict = {"id": qid, "text": _read_text(el.find("questiontext"), qid, res, "question text"),
                      "explanation": _read_text(el.find("generalfeedback"), qid, res, "general feedback")}
        grade = float(el.findtext("defaultgrade") or 1)
        data["points"] = max(1, round(grade))
        if grade != data["points"]:
            res.note(qid, f"mark {grade:g} rounded to {data['points']} point(s): crmtrain counts whole points")
        if others:
            res.note(qid, f"Moodle tags not kept: {', '.join(others)}")
        reader(el, data, meta, res)
        finish(res, data, meta, source=source, position=n)
    return res
