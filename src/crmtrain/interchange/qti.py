"""IMS QTI 2.1 export: a content package (zip) with a manifest and one assessmentItem per question.

Every type has a QTI interaction in :data:`EXPORT`: choice (single, multiple, true/false),
order, text entry (numeric, scored within the tolerance) and extended text (open, scored by
hand in the LMS). Each item gives the question's points for the key; with partial credit a
multiple-choice item maps each option (``mapResponse``, +points/k right, −points/k wrong, kept
within 0 and the points) and an ordering item adds points/pairs for each pair in the right
order, so the LMS scores as crmtrain does (docs/interchange.md). The explanation is modal
feedback. crmtrain's refs, topic and pool go into the
item's ``label``. Texts are written as plain paragraphs: markdown formatting is not
rendered, and that is reported per question. Import of QTI is not supported.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import _
from ..regulation.models import Question
from .common import Result

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ITEM_TYPE = "imsqti_item_xmlv2p1"
_MARKDOWN = re.compile(r"\*\*|__|`|\]\(|^\s*[-*+] |^\s*\d+\. |^#", re.M)


def _paragraphs(parent: ET.Element, text: str) -> None:
    for para in [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]:
        ET.SubElement(parent, "p").text = " ".join(para.split())


def _choices(parent: ET.Element, q: Question) -> None:
    for o in q.options:
        ET.SubElement(parent, "simpleChoice", identifier=o.id).text = o.text


def _single(body: ET.Element, q: Question) -> tuple[str, str, list[str]]:
    _choices(ET.SubElement(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="true", maxChoices="1"), q)
    return "single", "identifier", [str(q.answer)]


def _multiple(body: ET.Element, q: Question) -> tuple[str, str, list[str]]:
    _choices(ET.SubElement(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="true", maxChoices="0"), q)
    return "multiple", "identifier", list(q.answer or ())


def _true_false(body: ET.Element, q: Question) -> tuple[str, str, list[str]]:
    box = ET.SubElement(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false", maxChoices="1")
    for ident, label in (("true", "True"), ("false", "False")):
        ET.SubElement(box, "simpleChoice", identifier=ident).text = label
    return "single", "identifier", ["true" if q.answer else "false"]


def _ordering(body: ET.Element, q: Question) -> tuple[str, str, list[str]]:
    _choices(ET.SubElement(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true"), q)
    return "ordered", "identifier", list(q.answer or ())


def _numeric(body: ET.Element, q: Question) -> tuple[str, str, list[str]]:
    p = ET.SubElement(body, "p")
    entry = ET.SubElement(p, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="12")
    entry.tail = f" {q.unit}" if q.unit else None
    return "single", "float", [repr(float(q.answer))]


def _open(body: ET.Element, q: Question) -> tuple[str, str, list[str]]:
    ET.SubElement(body, "extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="10")
    return "single", "string", []


@dataclass(frozen=True)
class QtiType:
    """How one crmtrain question type becomes a QTI interaction: (cardinality, base type, correct values)."""

    interaction: Callable[[ET.Element, Question], tuple[str, str, list[str]]]
    scored: bool = True  # False: scored by hand in the LMS


# Per answer shape (kinds.questions.SHAPES): every question type of that shape is written so.
EXPORT: dict[str, QtiType] = {
    "option": QtiType(_single),
    "options": QtiType(_multiple),
    "boolean": QtiType(_true_false),
    "number": QtiType(_numeric),
    "order": QtiType(_ordering),
    "text": QtiType(_open, scored=False),
}


def _value(parent: ET.Element, base_type: str, value: object) -> ET.Element:
    el = ET.SubElement(parent, "baseValue", baseType=base_type)
    el.text = str(value)
    return el


def _mapping(response: ET.Element, q: Question) -> None:
    """Partial multiple choice: +points/k per right option, −points/k per wrong one, the sum kept ≥ 0."""
    right = set(q.answer or ())
    share = float(q.points) / max(1, len(right))
    mapping = ET.SubElement(response, "mapping", lowerBound="0", upperBound=str(float(q.points)), defaultValue="0")
    for o in q.options:
        ET.SubElement(mapping, "mapEntry", mapKey=o.id, mappedValue=repr(share if o.id in right else -share))


def _mapped(otherwise: ET.Element, q: Question) -> None:
    partly = ET.SubElement(otherwise, "responseCondition")
    ready = ET.SubElement(partly, "responseIf")
    ET.SubElement(ET.SubElement(ET.SubElement(ready, "not"), "isNull"), "variable", identifier="RESPONSE")
    ET.SubElement(ET.SubElement(ready, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")


def _pairs(otherwise: ET.Element, q: Question) -> None:
    """Partial ordering: points/(pairs) for each pair of options the response puts in the right order.

    QTI 2.1 has no operator for "the position of a value". a stands before b when, with every
    other option deleted from the response, a comes first: k − 2 ``delete`` per pair, so the
    item grows with k³, not with the k⁴ of trying every two positions.
    """
    key = list(q.answer or ())
    pairs = [(a, b) for n, a in enumerate(key) for b in key[n + 1:]]
    for a, b in pairs:
        cond = ET.SubElement(ET.SubElement(otherwise, "responseCondition"), "responseIf")
        same = ET.SubElement(cond, "match")
        rest = ET.SubElement(same, "index", n="1")
        for other in (x for x in key if x not in (a, b)):
            rest = ET.SubElement(rest, "delete")
            _value(rest, "identifier", other)
        ET.SubElement(rest, "variable", identifier="RESPONSE")
        _value(same, "identifier", a)
        add = ET.SubElement(ET.SubElement(cond, "setOutcomeValue", identifier="SCORE"), "sum")
        ET.SubElement(add, "variable", identifier="SCORE")
        _value(add, "float", repr(float(q.points) / len(pairs)))


# How a question with partial credit earns part of the points, when its response is not the key.
# Per answer shape; the response of a set of options is mapped (_mapping) as well.
PARTIAL: dict[str, Callable[[ET.Element, Question], None]] = {"options": _mapped, "order": _pairs}


def _processing(item: ET.Element, q: Question) -> None:
    rp = ET.SubElement(item, "responseProcessing")
    if q.explanation:
        set_fb = ET.SubElement(rp, "setOutcomeValue", identifier="FEEDBACK")
        ET.SubElement(set_fb, "baseValue", baseType="identifier").text = "explanation"
    if not EXPORT[q.kind.shape].scored:
        return
    decide = ET.SubElement(rp, "responseCondition")
    cond = ET.SubElement(decide, "responseIf")
    if q.kind.tolerance:  # a number within a tolerance, not an exact match
        test = ET.SubElement(cond, "equal", toleranceMode="absolute", tolerance=f"{q.tolerance:g} {q.tolerance:g}")
    else:
        test = ET.SubElement(cond, "match")
    ET.SubElement(test, "variable", identifier="RESPONSE")
    ET.SubElement(test, "correct", identifier="RESPONSE")
    score = ET.SubElement(cond, "setOutcomeValue", identifier="SCORE")
    _value(score, "float", float(q.points))  # the key always earns exactly the points, as in crmtrain
    if q.partial():
        PARTIAL[q.kind.shape](ET.SubElement(decide, "responseElse"), q)


def item_xml(q: Question, res: Result) -> str:
    """One question as a QTI 2.1 assessmentItem document."""
    label = f"crmtrain topic={q.topic.value} pool={q.pool} refs={','.join(q.refs)}"
    item = ET.Element("assessmentItem", {"xmlns": NS, "identifier": q.id, "title": q.id, "label": label[:256],
                                         "adaptive": "false", "timeDependent": "false"})
    kind = EXPORT[q.kind.shape]  # export_qti leaves out the shapes QTI has no interaction for
    body = ET.Element("itemBody")
    _paragraphs(body, q.text)
    cardinality, base_type, correct = kind.interaction(body, q)
    response = ET.SubElement(item, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType=base_type)
    if correct:
        values = ET.SubElement(response, "correctResponse")
        for value in correct:
            ET.SubElement(values, "value").text = value
    if q.partial() and q.kind.shape == "options":
        _mapping(response, q)
    for ident, base, default in (("SCORE", "float", "0"), ("MAXSCORE", "float", str(float(q.points)))):
        outcome = ET.SubElement(item, "outcomeDeclaration", identifier=ident, cardinality="single", baseType=base)
        ET.SubElement(ET.SubElement(outcome, "defaultValue"), "value").text = default
    if q.explanation:
        ET.SubElement(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="single", baseType="identifier")
    item.append(body)
    _processing(item, q)
    if q.explanation:
        feedback = ET.SubElement(item, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier="explanation", showHide="show")
        _paragraphs(feedback, q.explanation)
    if not kind.scored:
        res.note(q.id, _("an open answer: the LMS leaves it to a person to score"))
    if any(_MARKDOWN.search(t) for t in (q.text, q.explanation, *(o.text for o in q.options))):
        res.note(q.id, _("markdown formatting (bold, lists, links) is written as plain text"))
    ET.indent(item, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(item, encoding="unicode") + "\n"


def manifest_xml(ids: list[str]) -> str:
    """The content package's imsmanifest.xml: one resource per item file."""
    root = ET.Element("manifest", {"xmlns": CP, "identifier": "crmtrain-question-bank"})
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    for qid in ids:
        res = ET.SubElement(resources, "resource", identifier=f"item-{qid}", type=ITEM_TYPE, href=f"items/{qid}.xml")
        ET.SubElement(res, "file", href=f"items/{qid}.xml")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def export_qti(questions: list[Question] | tuple[Question, ...]) -> tuple[bytes, Result]:
    """The bank as a QTI 2.1 content package (zip bytes, the same for the same bank) and notes."""
    res = Result()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # fixed: the same bank, the same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))

        taken = [q for q in questions if q.kind.shape in EXPORT]
        for q in questions:
            if q.kind.shape not in EXPORT:
                res.note(q.id, _("QTI has no interaction for a {type} question; not exported").format(type=q.type.value),
                         lost=True)
        put("imsmanifest.xml", manifest_xml([q.id for q in taken]))
        for q in taken:
            put(f"items/{q.id}.xml", item_xml(q, res))
    return out.getvalue(), res
