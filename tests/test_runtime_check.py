"""The hidden tests' answer check, as it runs in a trainee's kernel when nbgrader grades."""

from __future__ import annotations

import json

import pytest

from crmtrain.runtime.check import check, is_correct, saved_answer, saved_answers


@pytest.mark.parametrize(
    "qtype, answer, key, tol, right",
    [
        ("single", "opt-b", "opt-b", 0, True),
        ("single", "opt-a", "opt-b", 0, False),
        ("single", 1, "opt-b", 0, False),  # a position is not an answer
        ("multiple", ["b", "a"], ["a", "b"], 0, True),
        ("multiple", ["a"], ["a", "b"], 0, False),
        ("multiple", ["a", "a", "b"], ["a", "b"], 0, False),
        ("ordering", ["a", "b"], ["a", "b"], 0, True),
        ("ordering", ["b", "a"], ["a", "b"], 0, False),
        ("true_false", True, True, 0, True),
        ("true_false", "true", True, 0, False),
        ("numeric", 24.4, 24, 0.5, True),
        ("numeric", 25, 24, 0.5, False),
        ("numeric", True, 1, 0, False),
        ("numeric", "24", 24, 0, False),
        ("single", None, "opt-b", 0, False),
    ],
)
def test_is_correct(qtype, answer, key, tol, right):
    assert is_correct(qtype, answer, key, tol) is right


def test_check_reads_answers_json_and_never_quotes_the_key(tmp_path):
    path = tmp_path / "answers.json"
    assert saved_answers(path) == {}
    path.write_text(json.dumps({"answers": {"Q1": "opt-zz9"}, "trainee": "bob"}))
    assert saved_answer("Q1", path) == "opt-zz9" and saved_answer("Q2", path) is None
    check("Q1", "single", "opt-zz9", path=path)
    with pytest.raises(AssertionError) as err:
        check("Q1", "single", "opt-secret", path=path)
    assert "opt-secret" not in str(err.value)
    with pytest.raises(AssertionError, match="no answer"):
        check("Q2", "single", "opt-secret", path=path)
    path.write_text("{ broken")
    assert saved_answers(path) == {}
    with pytest.raises(ValueError):
        is_correct("open", "text", None)
