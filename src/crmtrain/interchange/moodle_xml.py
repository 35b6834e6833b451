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

from ..i18n import _
from ..errors import UserError
from ..regulation.models import Question
from . import credit
from .common import Result, html_to_text, meta_tags, ordering_tags
from .moodle import ORDERING, Answer, MoodleQuestion

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
    res.note(q.id, _("needs Moodle's Ordering question type (qtype_ordering, standard since Moodle 4.4)"))


def _write_open(el: ET.Element, q: Question, res: Result) -> None:
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"), ("responsefieldlines", "10"),
                       ("attachments", "0"), ("attachmentsrequired", "0")):
        _simple(el, tag, value)
    _text(el, "graderinfo", q.explanation)  # crmtrain's explanation of an open question guides the grader
    _text(el, "responsetemplate", "", "html")


@dataclass(frozen=True)
class MoodleType:
    """How one crmtrain question type is written as a Moodle question."""

    qtype: str
    write: Callable[[ET.Element, Question, Result], None]
    tags: Callable[[Question], list[str]] = meta_tags


# Per answer shape (kinds.questions.SHAPES): every question type of that shape is written so.
EXPORT: dict[str, MoodleType] = {
    "option": MoodleType("multichoice", _write_single),
    "options": MoodleType("multichoice", _write_multiple),
    "boolean": MoodleType("truefalse", _write_true_false),
    "number": MoodleType("numerical", _write_numeric),
    "order": MoodleType(ORDERING, _write_ordering, ordering_tags),
    "text": MoodleType("essay", _write_open),
}


def _question(quiz: ET.Element, q: Question, res: Result) -> None:
    kind = EXPORT.get(q.kind.shape)
    if kind is None:
        res.note(q.id, _("Moodle XML has no form for a {type} question; not exported").format(type=q.type.value), lost=True)
        return
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
        res.note(q.id, _("tolerance {tolerance} only applies to numeric questions; not exported").format(tolerance=q.tolerance))
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


# --- import: read as Moodle's qformat_xml reads it, then taken by moodle.take -------------------

_DEFAULT_FEEDBACK = {"correctfeedback": ("right", "Your answer is correct."),
                     "partiallycorrectfeedback": ("partly right", "Your answer is partially correct."),
                     "incorrectfeedback": ("wrong", "Your answer is incorrect.")}


def _read_text(el: ET.Element | None, q: MoodleQuestion, what: str) -> str:
    if el is None:
        return ""
    found = el.find("text")
    text = (found.text if found is not None else el.text) or ""
    if el.get("format") == "html":
        text, rich = html_to_text(text)
        if rich:
            q.formatting.append(what)
    return text


def _flag(el: ET.Element, tag: str, default: str) -> bool:
    """Moodle's trans_single: 'false', '0' and '' are false, anything else true."""
    value = (el.findtext(tag) or default).strip()
    return value not in ("false", "0", "")


def _answers(el: ET.Element, q: MoodleQuestion) -> list[Answer]:
    out = []
    for a in el.findall("answer"):
        try:
            fraction = float(a.get("fraction", "0")) / 100
        except ValueError:
            fraction = 0.0
        tolerance = a.findtext("tolerance") or "0"
        out.append(Answer(_read_text(a, q, "an answer"), fraction, _read_text(a.find("feedback"), q, "feedback"),
                          float(tolerance) if _is_float(tolerance) else 0.0))
    return out


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _true_false(el: ET.Element, q: MoodleQuestion) -> None:
    # Moodle matches the answers on 'true'/'false', else takes them as true then false; the last one decides.
    for n, a in enumerate(q.answers):
        word = a.text.strip() if a.text.strip() in ("true", "false") else ("true" if n == 0 else "false")
        q.correct = (abs(a.fraction - 1) < 1e-9) if word == "true" else (abs(a.fraction - 1) >= 1e-9)
    q.answers = [Answer("", 0, a.feedback) for a in q.answers]


def _ordering_options(el: ET.Element, q: MoodleQuestion) -> None:
    old = el.find("selecttype") is None
    select = el.findtext("logical" if old else "selecttype") or "RANDOM"
    count = el.findtext("studentsee" if old else "selectcount") or "6"
    from .gift_read import subset

    q.shown = subset(select, max(int(count), 2) if count.strip().isdigit() else 2, len(q.answers))
    q.grading = el.findtext("gradingtype")  # unset: Moodle reads RELATIVE_NEXT_EXCLUDE_LAST (credit says so)
    if q.grading and q.grading.strip().upper() in ("RELATIVE", "REL", "ABS", "ABSOLUTE"):
        q.grading = {"ABS": "ABSOLUTE_POSITION", "ABSOLUTE": "ABSOLUTE_POSITION"}.get(
            q.grading.strip().upper(), "RELATIVE_NEXT_EXCLUDE_LAST")
    q.answers.sort(key=lambda a: a.fraction)  # Moodle stores the right order in 'fraction'


def read_question(el: ET.Element, position: int) -> MoodleQuestion:
    """One ``<question>`` as Moodle's XML importer reads it."""
    q = MoodleQuestion(qtype=el.get("type", ""), name=(el.findtext("name/text") or "").strip(), position=position,
                       idnumber=(el.findtext("idnumber") or "").strip())
    q.tags = [(t.findtext("text") or "").strip() for t in el.findall("tags/tag")]
    q.text = _read_text(el.find("questiontext"), q, "question text")
    q.explanation = _read_text(el.find("generalfeedback"), q, "general feedback")
    grade = el.findtext("defaultgrade") or "1"
    q.points = float(grade) if _is_float(grade) else 1.0
    q.hints = len(el.findall("hint"))
    q.answers = _answers(el, q)
    q.single = _flag(el, "single", "true")
    q.shuffle = _flag(el, "shuffleanswers", "1")
    for tag, (word, default) in _DEFAULT_FEEDBACK.items():
        said = _read_text(el.find(tag), q, f"{word} feedback")
        if said and said != default:
            q.combined.append(word)
    if q.qtype == "truefalse":
        _true_false(el, q)
    elif q.qtype == ORDERING:
        _ordering_options(el, q)
    elif q.qtype == "essay":
        q.template = _read_text(el.find("responsetemplate"), q, "response template")
        info = _read_text(el.find("graderinfo"), q, "grader information")
        if info and not q.explanation:
            q.explanation = info
    elif q.qtype == "numerical":
        units = el.findall("units/unit")
        q.unit = (units[0].findtext("unit_name") or "").strip() if units else ""
        q.more_units = max(0, len(units) - 1)
    return q


def import_xml(text: str, source: str = "moodle-xml") -> Result:
    """Questions from a Moodle XML document, read as Moodle reads them; a note for each difference."""
    from .moodle import Ids, category_topic, take

    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise UserError(f"{source}: not Moodle XML ({exc})") from None
    if root.tag != "quiz":
        raise UserError(f"{source}: not Moodle XML (the root element is <{root.tag}>, expected <quiz>)")
    res, ids, topic = Result(), Ids(), None
    for n, el in enumerate(root.findall("question"), 1):
        if el.get("type", "") == "category":
            topic = category_topic(el.findtext("category/text") or "")
            continue
        take(read_question(el, n), res, ids, topic, f"{source} question")
    return res
