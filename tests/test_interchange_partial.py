"""Partial credit travels with the questions: Moodle, GIFT, QTI and spreadsheets score as crmtrain does.

The specialist exports the bank for the company's LMS. A question that earns partial credit in
crmtrain must earn the same points there, and come back saying ``partial_credit: true``. The
LMS side is checked by scoring every possible response the way Moodle's multi-answer and
ordering question types and a QTI 2.1 processor do, from the exported file alone.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from crmtrain.cli import main
from crmtrain.interchange import gift, moodle_xml, qti, sheet
from crmtrain.interchange.common import Result
from crmtrain.interchange.credit import effective
from crmtrain.regulation.loader import load
from crmtrain.regulation.models import Question
from crmtrain.samples import sample_path

BASE = {"refs": ("access",), "topic": "technical", "text": "Which ones?", "explanation": "Because.", "points": 3}


def multiple(options: int, right: int, partial: bool | None) -> Question:
    ids = "abcdefgh"[:options]
    return Question.model_validate({**BASE, "id": f"m{options}-{right}", "type": "multiple", "answer": list(ids[:right]),
                                    "options": [{"id": i, "text": f"option {i}"} for i in ids], "partial_credit": partial})


def ordering(items: int, partial: bool | None) -> Question:
    ids = "abcdefgh"[:items]
    return Question.model_validate({**BASE, "id": f"o{items}", "type": "ordering", "answer": list(ids[::-1]),
                                    "options": [{"id": i, "text": f"step {i}"} for i in ids], "partial_credit": partial})


CASES = {
    "2-of-4-partial": multiple(4, 2, True), "2-of-4-all-or-nothing": multiple(4, 2, None),
    "2-of-4-explicitly-not": multiple(4, 2, False), "1-of-3-partial": multiple(3, 1, True),
    "1-of-3-all-or-nothing": multiple(3, 1, None), "3-of-3-partial": multiple(3, 3, True),
    "3-of-5-partial": multiple(5, 3, True),
    "order-4-partial": ordering(4, True), "order-6-partial": ordering(6, True), "order-4-all-or-nothing": ordering(4, None),
    "order-3-explicitly-not": ordering(3, False),
}


def responses(q: Question) -> list[list[str]]:
    """Every answer the widget can save: each non-empty set of options, or each order."""
    ids = [o.id for o in q.options]
    if q.type.value == "ordering":
        return [list(p) for p in itertools.permutations(ids)]
    return [list(c) for n in range(1, len(ids) + 1) for c in itertools.combinations(ids, n)]


def crmtrain_points(q: Question, answer: list[str]) -> float:
    return q.kind.score(answer, q.key, q.points, partial=q.partial())


# --- the way back: export, then import, gives the same setting ----------------------------------


def _through(fmt: str, q: Question, tmp_path: Path):
    if fmt == "moodle-xml":
        return moodle_xml.import_xml(moodle_xml.export_xml([q]).text)
    if fmt == "gift":
        return gift.import_gift(gift.export_gift([q]).text)
    path = tmp_path / f"bank.{fmt}"
    sheet.write_sheet([q], path)
    return sheet.import_rows(sheet.read_rows(path), path.name)


@pytest.mark.parametrize("fmt", ["moodle-xml", "gift", "csv", "xlsx"])
@pytest.mark.parametrize("case", CASES)
def test_export_then_import_keeps_the_partial_credit_setting(fmt, case, tmp_path):
    q = CASES[case]
    back = _through(fmt, q, tmp_path)
    assert back.notes == []
    assert back.questions == [q]
    assert back.questions[0].partial() is q.partial()


# --- Moodle scores what crmtrain scores ---------------------------------------------------------


def moodle_xml_points(text: str, q: Question, answer: list[str]) -> float:
    """Points Moodle gives ``answer``, by its definitions, from the exported XML alone."""
    el = ET.fromstring(text).find("question[@type!='category']")
    grade = float(el.findtext("defaultgrade"))
    by_text = {o.text: o.id for o in q.options}
    answers = [(float(a.get("fraction")), by_text[a.findtext("text")]) for a in el.findall("answer")]
    if el.get("type") == "multichoice":  # multi-answer: the ticked fractions added, kept within 0..100 %
        return grade * min(1.0, max(0.0, sum(f for f, oid in answers if oid in answer) / 100))
    right = [oid for _, oid in sorted(answers)]  # an ordering question's items are numbered in the right order
    grading = el.findtext("gradingtype")
    if grading == "ALL_OR_NOTHING":
        return grade * (answer == right)
    assert grading == "RELATIVE_ALL_PREVIOUS_AND_NEXT"
    # Moodle's rule: per item, the items before and after it that also stand before and after it in the key.
    hits = total = 0
    for item in right:
        before, after = set(right[:right.index(item)]), set(right[right.index(item) + 1:])
        hits += len(before & set(answer[:answer.index(item)])) + len(after & set(answer[answer.index(item) + 1:]))
        total += len(before) + len(after)
    return grade * hits / total


def gift_points(text: str, q: Question, answer: list[str]) -> float:
    """Points Moodle gives from a GIFT multi-answer question's weights (every mark counts as 1 there: scaled)."""
    weights = [float(w) for w in re.findall(r"~%(-?[\d.]+)%", text)]
    ticked = sum(w for w, o in zip(weights, q.options) if o.id in answer)
    return q.points * min(1.0, max(0.0, ticked / 100))


@pytest.mark.parametrize("case", [c for c, q in CASES.items() if q.partial()])
def test_moodle_gives_the_same_points_as_crmtrain_with_partial_credit(case):
    q = CASES[case]
    text = moodle_xml.export_xml([q]).text
    for answer in responses(q):
        assert moodle_xml_points(text, q, answer) == pytest.approx(crmtrain_points(q, answer), abs=1e-4), answer
    if q.type.value == "multiple":
        text = gift.export_gift([q]).text
        for answer in responses(q):
            assert gift_points(text, q, answer) == pytest.approx(crmtrain_points(q, answer), abs=1e-4), answer


def test_all_or_nothing_multiple_choice_differs_in_moodle_only_where_reported():
    """Core Moodle has no all-or-nothing multi-answer question: only part of the right options, nothing wrong, differs."""
    q = CASES["2-of-4-all-or-nothing"]
    exported = moodle_xml.export_xml([q])
    differ = [a for a in responses(q) if moodle_xml_points(exported.text, q, a) != pytest.approx(crmtrain_points(q, a))]
    assert differ == [["a"], ["b"]]  # each earns half in Moodle; a wrong tick costs everything in both
    assert [n.message for n in exported.notes] == [
        "Moodle scores multiple choice with partial credit: a wrong option costs all the points, as in crmtrain, but "
        "some of the right options and nothing wrong earn their share, where crmtrain gives the points only for "
        "exactly the right options"]


def test_all_or_nothing_ordering_and_one_right_option_are_exact_in_moodle():
    for q in (CASES["order-4-all-or-nothing"], CASES["1-of-3-all-or-nothing"]):
        exported = moodle_xml.export_xml([q])
        assert not [n for n in exported.notes if "partial credit" in n.message]
        for answer in responses(q):
            assert moodle_xml_points(exported.text, q, answer) == pytest.approx(crmtrain_points(q, answer))


# --- a QTI 2.1 processor scores what crmtrain scores --------------------------------------------

NS = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


class QtiItem:
    """Just enough of QTI 2.1 response processing to run what crmtrain writes (spec's semantics)."""

    def __init__(self, xml: str):
        self.item = ET.fromstring(xml)
        decl = self.item.find(f"{NS}responseDeclaration")
        self.cardinality = decl.get("cardinality")
        self.key = [v.text for v in decl.findall(f"{NS}correctResponse/{NS}value")]
        self.mapping = decl.find(f"{NS}mapping")

    def score(self, response: list[str]) -> float:
        self.vars = {"RESPONSE": response or None, "SCORE": 0.0}
        for rule in self.item.find(f"{NS}responseProcessing"):
            self._rule(rule)
        return self.vars["SCORE"]

    def _rule(self, el: ET.Element) -> None:
        tag = el.tag.removeprefix(NS)
        if tag == "setOutcomeValue":
            self.vars[el.get("identifier")] = self._expr(el[0])
        elif tag == "responseCondition":
            for branch in el:
                btag = branch.tag.removeprefix(NS)
                if btag == "responseElse" or self._expr(branch[0]) is True:
                    for rule in list(branch)[0 if btag == "responseElse" else 1:]:
                        self._rule(rule)
                    return

    def _same(self, a, b) -> bool | None:
        if a is None or b is None:
            return None
        if self.cardinality == "multiple" and isinstance(a, list):
            return set(a) == set(b)
        return a == b

    def _expr(self, el: ET.Element):
        tag, kids = el.tag.removeprefix(NS), list(el)
        if tag == "baseValue":
            return float(el.text) if el.get("baseType") == "float" else el.text
        if tag == "variable":
            return self.vars[el.get("identifier")]
        if tag == "correct":
            return self.key
        if tag == "match":
            return self._same(self._expr(kids[0]), self._expr(kids[1]))
        if tag == "isNull":
            return self._expr(kids[0]) is None
        if tag == "not":
            value = self._expr(kids[0])
            return None if value is None else not value
        if tag == "delete":  # every instance of the first value removed from the container, order kept
            value, container = self._expr(kids[0]), self._expr(kids[1])
            return None if container is None else [v for v in container if v != value]
        if tag == "index":
            container = self._expr(kids[0]) or []
            n = int(el.get("n"))
            return container[n - 1] if n <= len(container) else None
        if tag == "sum":
            return sum(self._expr(k) for k in kids)
        if tag == "mapResponse":
            entries = {e.get("mapKey"): float(e.get("mappedValue")) for e in self.mapping}
            total = sum(entries.get(v, float(self.mapping.get("defaultValue", 0))) for v in set(self.vars["RESPONSE"]))
            return min(float(self.mapping.get("upperBound", "inf")), max(float(self.mapping.get("lowerBound", "-inf")), total))
        raise AssertionError(f"crmtrain wrote an operator this test does not know: {tag}")


@pytest.mark.parametrize("case", CASES)
def test_a_qti_processor_gives_the_same_points_as_crmtrain(case):
    q = CASES[case]
    item = QtiItem(qti.item_xml(q, Result()))
    for answer in responses(q):
        assert item.score(answer) == pytest.approx(crmtrain_points(q, answer), abs=1e-4), answer
    mapping = item.mapping
    assert (mapping is not None) is (q.partial() and q.type.value == "multiple")
    if mapping is not None:
        assert mapping.get("lowerBound") == "0"


# --- banks made elsewhere -----------------------------------------------------------------------


def _xml_multi(fractions: list[str]) -> str:
    answers = "".join(f'<answer fraction="{f}"><text>opt {i}</text></answer>' for i, f in enumerate(fractions))
    return (f'<quiz><question type="multichoice"><name><text>q</text></name><questiontext format="html"><text>Pick</text>'
            f'</questiontext><single>false</single>{answers}</question></quiz>')


def _xml_ordering(grading: str | None) -> str:
    tag = f"<gradingtype>{grading}</gradingtype>" if grading else ""
    answers = "".join(f'<answer fraction="{i}"><text>step {i}</text></answer>' for i in (1, 2, 3))
    return (f'<quiz><question type="ordering"><name><text>q</text></name><questiontext format="html"><text>Order</text>'
            f'</questiontext>{tag}{answers}</question></quiz>')


@pytest.mark.parametrize("text, partial, message", [
    (_xml_multi(["50", "50", "-50", "-50"]), True, None),
    (_xml_multi(["50", "50", "-100", "-100"]), None, None),
    (_xml_multi(["50", "50", "-33.33333", "-33.33333", "-33.33333"]), True,
     "Moodle weights (+50 %, +50 %, -33.3333 %, -33.3333 %, -33.3333 %) are not crmtrain's rule; imported with partial "
     "credit, (right − wrong ticked) ÷ right options: check the points"),
    (_xml_multi(["50", "50", "0"]), True, "Moodle weights (+50 %, +50 %, +0 %) are not crmtrain's rule"),
    (_xml_ordering("RELATIVE_ALL_PREVIOUS_AND_NEXT"), True, None),
    (_xml_ordering("ALL_OR_NOTHING"), None, None),
    (_xml_ordering("ABSOLUTE_POSITION"), True,
     "Moodle's ordering grading ABSOLUTE_POSITION counts differently; imported with crmtrain's partial credit, the "
     "share of pairs in the right order (Moodle's RELATIVE_ALL_PREVIOUS_AND_NEXT)"),
    (_xml_ordering(None), True, "Moodle's ordering grading unset (Moodle reads RELATIVE_NEXT_EXCLUDE_LAST) counts differently"),
], ids=["even-penalty", "wrong-costs-all", "moodle-usual-weights", "no-penalty", "order-pairs", "order-all-or-nothing",
        "order-by-position", "order-unset"])
def test_a_foreign_moodle_question_gets_the_partial_credit_moodle_gives_it(text, partial, message):
    res = moodle_xml.import_xml(text, "foreign.xml")
    assert [q.partial_credit for q in res.questions] == [partial]
    credit_notes = [str(n) for n in res.notes if "grading" in n.message or "weights" in n.message]
    assert (credit_notes == []) if message is None else any(n.startswith(f"q: {message}") for n in credit_notes), credit_notes


def test_a_foreign_gift_question_with_even_weights_gets_partial_credit():
    res = gift.import_gift("::q:: Pick the two {~%50%A ~%50%B ~%-50%C ~%-50%D}\n", "foreign.gift")
    assert [(q.type.value, q.answer, q.partial_credit) for q in res.questions] == [("multiple", ("a", "b"), True)]


@pytest.mark.parametrize("cell, partial, message", [
    ("да", True, None), ("нет", False, None), ("", None, None),
    ("maybe", None, "m1: not imported (q.csv row 2): partial_credit: Input should be a valid boolean"),
], ids=["yes", "no", "empty", "not-yes-or-no"])
def test_a_spreadsheet_says_partial_credit_in_its_own_column(tmp_path, cell, partial, message):
    path = tmp_path / "q.csv"
    path.write_text("id;type;topic;refs;text;A;B;C;answer;частичные баллы\n"
                    f"m1;multiple;sales;r;Which?;x;y;z;A, B;{cell}\n", encoding="utf-8")
    res = sheet.import_rows(sheet.read_rows(path), path.name)
    if message is None:
        assert [q.partial_credit for q in res.questions] == [partial] and res.notes == []
    else:
        assert res.questions == [] and any(str(n).startswith(message) for n in res.notes), res.notes


def test_partial_credit_on_a_single_choice_row_is_refused(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("id;type;topic;refs;text;A;B;answer;partial_credit\ns1;single;sales;r;Which?;x;y;A;yes\n", encoding="utf-8")
    res = sheet.import_rows(sheet.read_rows(path), path.name)
    assert res.questions == []
    assert "s1: not imported (q.csv row 2): partial_credit: 'partial_credit' applies to multiple or ordering questions only" \
        in [str(n) for n in res.notes]


# --- the effective setting: the assessment's partial credit goes out with its questions ---------


def test_the_export_carries_the_partial_credit_each_assessment_gives(tmp_path, capsys):
    reg = load(sample_path("en"))
    assert reg.assessments.followup.partial_credit and not reg.assessments.initial.partial_credit
    path = tmp_path / "bank.zip"
    assert main(["export", "sample:en", "--format", "qti", "--out", str(path)]) == 0
    resolved = {q.id: q for q in effective(reg)[0]}
    with zipfile.ZipFile(path) as z:
        for q in reg.questions:
            if q.kind.credit is None:
                continue
            expected = resolved[q.id]
            item = QtiItem(z.read(f"items/{q.id}.xml").decode())
            for answer in responses(q)[:200]:
                assert item.score(answer) == pytest.approx(crmtrain_points(expected, answer), abs=1e-4)
    followup = [q for q in reg.questions if q.pool == "followup" and q.kind.credit is not None]
    initial = [q for q in reg.questions if q.pool == "initial" and q.kind.credit is not None]
    assert followup and all(resolved[q.id].partial() for q in followup)
    assert initial and not any(resolved[q.id].partial() for q in initial)


def test_a_question_two_assessments_score_differently_goes_out_with_partial_credit_and_a_note():
    reg = load(sample_path("en"))
    q = next(q for q in reg.questions if q.pool == "followup" and q.type.value == "multiple" and q.partial_credit is None)
    initial = reg.assessments.initial.model_copy(update={"include": (*reg.assessments.initial.include, q.id)})
    both = reg.model_copy(update={"assessments": reg.assessments.model_copy(update={"initial": initial})})
    questions, notes = effective(both)
    assert next(x for x in questions if x.id == q.id).partial_credit is True
    assert [str(n) for n in notes] == [f"{q.id}: partial credit in followup but all or nothing in initial; "
                                       "exported with partial credit"]
