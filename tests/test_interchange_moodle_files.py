"""Moodle's own question files, and files other tools wrote, read as Moodle's importer reads them.

The files are in ``shared/peer-data/moodle`` (read in place). For each file,
``tests/fixtures/moodle-import/expected.yaml`` writes down the question types Moodle 4.5's importer
reads from it, in order, and what crmtrain takes: a question of a crmtrain type is imported, or
refused with Moodle's own reason; any other is reported as not taken. The minimal cases below
pin what Moodle does with the forms that once broke crmtrain's import.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from crmtrain.cli import main
from crmtrain.interchange import gift, gift_read, moodle_xml
from crmtrain.interchange.formats import FORMATS
from crmtrain.interchange.moodle import invalid_grades
from crmtrain.regulation.fields import ID_PATTERN

from peer import PEER_DATA, peer_file

EXPECTED = yaml.safe_load((Path(__file__).parent / "fixtures" / "moodle-import" / "expected.yaml").read_text(encoding="utf-8"))
MOODLE = PEER_DATA / "moodle"


def peer_question_files() -> list[str]:
    return sorted(str(p.relative_to(MOODLE)) for p in MOODLE.rglob("*")
                  if p.is_file() and p.suffix in (".xml", ".gift", ".txt") and "quiz-statistics" not in p.parts)


def moodle_types(path) -> list[str]:
    """The types Moodle's importer reads, in order ('!' where it refuses the question)."""
    text = path.read_bytes().decode("utf-8-sig")
    if path.suffix == ".xml":
        read = [moodle_xml.read_question(el, n) for n, el in enumerate(ET.fromstring(text).findall("question"), 1)
                if el.get("type") != "category"]
    else:
        read = [q for pos, lines in gift_read.split_questions(text) if (q := gift_read.read_question(lines, pos))
                and not isinstance(q, str)]
    return [q.qtype + ("!" if q.refused or invalid_grades(q) else "") for q in read]


def test_every_peer_file_has_its_expected_reading():
    assert sorted(EXPECTED) == peer_question_files()


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if "moodle" in EXPECTED[n]])
def test_each_moodle_file_is_read_as_moodle_reads_it(name):
    path = MOODLE / name
    expected = EXPECTED[name]
    assert moodle_types(path) == expected["moodle"]
    res = FORMATS["moodle-xml" if path.suffix == ".xml" else "gift"].read(path)
    assert [q.type.value for q in res.questions] == expected["crmtrain"]
    # Every question Moodle reads is imported or reported not taken, once; ids are valid and unique.
    lost = {n.question for n in res.notes if n.lost}
    assert len(lost) + len(res.questions) == len(expected["moodle"])
    ids = [q.id for q in res.questions] + sorted(lost)
    assert len(set(ids)) == len(ids) and all(re.match(ID_PATTERN, i) for i in ids)


def test_a_file_moodle_refuses_for_its_encoding_is_refused_with_the_reason(capsys):
    path = peer_file("moodle", "question-formats", "question", "format", "gift", "tests", "fixtures",
                     "questions_encoding_windows-1252.gift.txt")
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "questions_encoding_windows-1252.gift.txt: not UTF-8 text" in err and "Traceback" not in err


def _one(name: str):
    path = peer_file("moodle", *name.split("/"))
    res = FORMATS["moodle-xml" if path.suffix == ".xml" else "gift"].read(path)
    [q] = res.questions
    return q, [n.message for n in res.notes if "TODO" not in n.message and "no topic" not in n.message]


def test_a_numerical_question_with_a_wrong_answer_part():
    # {#3:2~#Completely wrong}: Moodle reads 3 ± 2, and '*' (any other answer) scoring 0 with that feedback.
    q, notes = _one("minimal-cases/r1_numeric_wrongfeedback.gift")
    assert (q.id, q.type.value, q.answer, q.tolerance) == ("Q5", "numeric", 3, 2.0)
    assert notes == ["feedback on 1 answer(s) not kept: crmtrain explains once, after the answer (the explanation)"]


def test_the_numerical_form_moodles_own_gift_export_writes():
    q, _ = _one("minimal-cases/r2_numeric_moodle_export.gift")
    assert (q.type.value, q.answer, q.tolerance, q.text) == ("numeric", 3, 2.0, "What is a number from 1 to 5?")


def test_answer_format_prefixes_are_not_part_of_the_text():
    q, _ = _one("minimal-cases/r3_answer_format_prefix.gift")
    assert [o.text for o in q.options] == ["yellow", "red", "blue"] and q.answer == "a"


def test_multi_answer_weights_without_an_equals_sign_make_a_multiple_choice_question():
    q, notes = _one("minimal-cases/r4_multi_weights_no_equals.gift")
    assert (q.type.value, q.answer, q.partial_credit) == ("multiple", ("a",), True)
    assert notes[0].startswith("Moodle weights (+100 %, -50 %, -50 %) are not crmtrain's rule")


@pytest.mark.parametrize(("name", "qid"), [("minimal-cases/r5_dot_in_name.gift", "When-was-Ulysses-S-Grant-born"),
                                           ("minimal-cases/r7_dot_in_name.xml", "Lesson-1-2")])
def test_a_name_with_a_dot_becomes_a_valid_id(name, qid):
    q, _ = _one(name)
    assert q.id == qid


def test_extra_numeric_answers_are_reported():
    q, notes = _one("minimal-cases/r6_numeric_two_answers.gift")
    assert (q.answer, q.tolerance) == (1822, 0.0)
    assert "Moodle also gives 50 % for 1822 ± 2: crmtrain keeps one value and its tolerance" in notes


def test_repeated_names_get_unique_ids_and_a_note():
    res = gift.import_gift(peer_file("moodle", "thirdparty", "kienboec+GIFT-QuestionBank", "testdata",
                                     "test01.gift").read_text(encoding="utf-8"))
    assert [q.id for q in res.questions] == ["PeopleInGrantsTomb", "Question", "Question-2"]
    assert "Question-2: an earlier question has the id Question (from its name or idnumber): this one is Question-2" \
        in [str(n) for n in res.notes]


def test_an_invalid_grade_is_refused_as_moodle_refuses_it():
    res = moodle_xml.import_xml(peer_file("moodle", "question-formats", "question", "format", "xml", "tests",
                                          "fixtures", "error_invalid_grades.xml").read_text(encoding="utf-8"))
    assert res.questions == []
    [note] = [str(n) for n in res.notes if n.lost]
    assert note.endswith("not imported: Moodle's own importer refuses it (grade 33 % is not one of Moodle's grades)")


def test_what_crmtrain_cannot_hold_is_said_per_question():
    # Moodle's multichoice test question has two hints; the essay of Moodle 3.11 a response template.
    _, notes = _one("question-formats/question/type/multichoice/tests/fixtures/testquestion.moodle.xml")
    assert "2 hint(s) not kept: crmtrain gives no hints between tries" in notes
    res = moodle_xml.import_xml(peer_file("moodle", "question-formats-inline", "xml", "test_import_essay_311.xml")
                                .read_text(encoding="utf-8"))
    assert "the response template is not kept: the trainee starts from an empty answer" in [n.message for n in res.notes]


def test_moodle_4_4_gift_ordering_is_read():
    q, notes = _one("question-formats/question/type/ordering/tests/fixtures/testimport.gift.txt")
    assert (q.id, q.type.value) == ("myid", "ordering")
    assert [o.text for o in q.options] == ["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"]
    assert list(q.answer) == [o.id for o in q.options]
    assert q.explanation == 'The correct answer is "Modular Object Oriented Dynamic Learning Environment".'
    assert "Moodle shows only 4 of the 6 items; crmtrain asks to order them all" in notes


def test_gift_ordering_is_written_in_moodles_own_form_and_read_back():
    q, _ = _one("question-formats/question/type/ordering/tests/fixtures/testexport.gift.txt")
    text = gift.export_gift([q]).text
    # Moodle's exporter writes '{>N SELECT LAYOUT GRADING SHOW NUMBERING' and one item a line (testexport.gift.txt).
    assert re.search(r"\{>6 ALL VERTICAL RELATIVE_ALL_PREVIOUS_AND_NEXT SHOW none\nModular\nObject\n", text)
    back = gift.import_gift(text)
    assert back.questions == [q] and back.notes == []
