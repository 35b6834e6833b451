"""Which test cells are scored as data, and what they would have printed in a kernel."""

from __future__ import annotations

import json

import pytest

from crmtrain.grading.safety.answers import read_submitted
from crmtrain.grading.scoring.checks import parse_check, run_check

GENERATED = ("# Scored when the responsible specialist grades the assessment.\n### BEGIN HIDDEN TESTS\n"
             "from crmtrain.runtime.check import check\ncheck('Q1', 'numeric', 24.0, tolerance=0.5)\n"
             "### END HIDDEN TESTS")


def test_a_generated_check_is_read_as_data():
    call = parse_check(GENERATED)
    assert (call.item, call.args, call.kwargs) == ("Q1", ("Q1", "numeric", 24.0), (("tolerance", 0.5),))


@pytest.mark.parametrize("source", [
    "from crmtrain.runtime.check import check\ncheck('Q1', 'single', __import__('os').getcwd())",  # not a literal
    "from crmtrain.runtime.check import check\ncheck('Q1', 'single', 'a')\nprint(1)",  # a third statement
    "from crmtrain.runtime.check import check as c\nc('Q1', 'single', 'a')",  # renamed
    "from crmtrain.runtime import check\ncheck('Q1', 'single', 'a')",  # another module
    "from crmtrain.runtime.check import check\ncheck(*['Q1', 'single', 'a'])",
    "from crmtrain.runtime.check import check\ncheck('Q1', 'single', 'a', path='/etc/passwd')",  # grading's choice
    "from crmtrain.runtime.check import check\ncheck(**{'item': 'Q1'})",
    "from crmtrain.runtime.check import check\ncheck(1, 'single', 'a')",
    "assert True",
    "check('Q1', 'single', 'a'",
])
def test_anything_else_is_left_to_a_kernel(source):
    assert parse_check(source) is None


@pytest.mark.parametrize("answer, outputs", [
    ("a", []),  # right: no output, full points
    ("b", [("error", "AssertionError", "Q1: the answer is not correct")]),
    (None, [("error", "AssertionError", "Q1: no answer was saved")]),
])
def test_the_outputs_are_those_of_a_kernel(tmp_path, answer, outputs):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {} if answer is None else {"Q1": answer}}))
    got = run_check(parse_check("from crmtrain.runtime.check import check\ncheck('Q1', 'single', 'a')"), path)
    assert [(o["output_type"], o["ename"], o["evalue"]) for o in got] == outputs
    assert all("'a'" not in json.dumps(o) for o in got)  # never the key


@pytest.mark.parametrize("answer, outputs", [
    (["a", "c"], []),  # right: no output, full points
    (["a"], [("execute_result", "1.5")]),  # half the right options: the number is nbgrader's partial credit
    (["a", "c", "d"], [("execute_result", "1.5")]),
    (["b", "d"], [("error", "Q1: the answer is not correct")]),  # nothing earned scores 0, as before
])
def test_a_partial_credit_check_outputs_the_points_earned(tmp_path, answer, outputs):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"Q1": answer}}))
    got = run_check(parse_check("from crmtrain.runtime.check import check\n"
                                "check('Q1', 'multiple', ['a', 'c'], points=3)"), path)
    assert [(o["output_type"], o["data"]["text/plain"] if "data" in o else o["evalue"]) for o in got] == outputs


@pytest.mark.parametrize("text, kept, note", [
    ('{"answers": {"Q1": "a", "Q2": ["x", "y"], "Q3": 2.5, "Q4": true}}', {"Q1": "a", "Q2": ["x", "y"], "Q3": 2.5, "Q4": True}, ""),
    ('{"answers": {"Q1": {"$ne": 1}, "Q2": [1, 2]}}', {}, "2 answers of the wrong type ignored"),
    ('{"answers": {"Q1": "a", "Q9": "b"}}', {"Q1": "a"}, "1 answer to no question of the assessment ignored"),
    ('{"answers": {"Q3": 1e400}}', {}, "1 answer of the wrong type ignored"),
    ('{"answers": {"Q3": Infinity}}', {}, "answers.json is not valid JSON: ignored"),
    ('["Q1"]', {}, "answers.json has no answers object: ignored"),
    ('{"answers": {"Q1": null}}', {}, ""),
])
def test_answers_json_is_bounded_and_type_checked(tmp_path, text, kept, note):
    path = tmp_path / "answers.json"
    path.write_text(text)
    saved = read_submitted(path, {"Q1", "Q2", "Q3", "Q4"})
    assert (saved.answers, "; ".join(saved.notes)) == (kept, note)


def test_a_linked_answers_json_is_not_followed(tmp_path):
    (tmp_path / "real.json").write_text('{"answers": {"Q1": "a"}}')
    (tmp_path / "answers.json").symlink_to(tmp_path / "real.json")
    assert read_submitted(tmp_path / "answers.json").notes == ("answers.json is a link: ignored",)


@pytest.mark.parametrize("text, note", [
    ('{"answers": {"Q1": {"$ne": 1}, "Q2": [1, 2]}}', "2 ответа неверного типа пропущены"),
    ('{"answers": {"Q1": "a", "Q9": "b", "Q8": "c", "Q7": "d", "Q6": "e", "Q5": "f"}}',
     "5 ответов не на вопросы этого тестирования пропущены"),
    ("not json", "answers.json — не корректный JSON: пропущен"),
])
def test_what_was_ignored_is_said_in_the_courses_language(tmp_path, text, note):
    from crmtrain.i18n import speaking

    path = tmp_path / "answers.json"
    path.write_text(text)
    with speaking("ru"):
        assert read_submitted(path, {"Q1", "Q2", "Q3", "Q4"}).notes == (note,)
