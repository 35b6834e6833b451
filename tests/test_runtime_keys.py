"""Sealed answer keys: seal at build time, verify and reveal in the kernel (no kernel needed)."""

from __future__ import annotations

import itertools
import json

import pytest

from crmtrain.runtime.keys import TYPES, Verdict, parse_number, reveal, seal, verify

SALT = "reg-v1"


def test_single_choice():
    key = seal("Q1", "single", "b", salt=SALT)
    assert verify(key, "Q1", "single", "b") == Verdict(True)
    assert verify(key, "Q1", "single", "a") == Verdict(False, wrong=("a",))
    assert verify(key, "Q1", "single", None) == Verdict(False)
    assert reveal(key, "Q1", "single", ["a", "b", "c"]) == "b"


@pytest.mark.parametrize("answer", [True, False])
def test_true_false(answer):
    key = seal("Q2", "true_false", answer, salt=SALT)
    assert verify(key, "Q2", "true_false", answer).correct
    assert not verify(key, "Q2", "true_false", not answer).correct
    assert verify(key, "Q2", "true_false", str(answer).lower()).correct
    assert reveal(key, "Q2", "true_false") is answer


def test_multiple_choice_names_wrong_and_missing():
    key = seal("Q3", "multiple", ["a", "c"], salt=SALT, options=["a", "b", "c", "d"])
    assert verify(key, "Q3", "multiple", ["c", "a"]) == Verdict(True)
    assert verify(key, "Q3", "multiple", ["a", "b"]) == Verdict(False, wrong=("b",), missing=("c",))
    assert verify(key, "Q3", "multiple", []) == Verdict(False, missing=("a", "c"))
    assert verify(key, "Q3", "multiple", ["a", "c", "zz"]).wrong == ("zz",)
    assert reveal(key, "Q3", "multiple", ["d", "c", "b", "a"]) == ("c", "a")


def test_multiple_choice_needs_every_option():
    with pytest.raises(ValueError, match="options="):
        seal("Q3", "multiple", ["a"], salt=SALT)
    with pytest.raises(ValueError, match="not options"):
        seal("Q3", "multiple", ["a", "x"], salt=SALT, options=["a", "b"])


def test_ordering_every_permutation():
    answer = ["s1", "s2", "s3", "s4"]
    key = seal("Q4", "ordering", answer, salt=SALT)
    for perm in itertools.permutations(answer):
        verdict = verify(key, "Q4", "ordering", list(perm))
        misplaced = tuple(i for i, (got, want) in enumerate(zip(perm, answer)) if got != want)
        assert verdict.correct == (list(perm) == answer)
        assert verdict.wrong_positions == misplaced
    assert verify(key, "Q4", "ordering", ["s1", "s2", "s3"]).wrong_positions == (3,)
    assert reveal(key, "Q4", "ordering", ["s4", "s3", "s2", "s1"]) == tuple(answer)


@pytest.mark.parametrize(
    "response, correct",
    [
        ("2.5", True), ("2,5", True), (" 2,50 ", True), (2.5, True),
        ("2.25", True), ("2,75", True),  # the tolerance boundaries are inclusive
        ("2.2499", False), ("2.7501", False), ("3", False),
    ],
)
def test_numeric_tolerance(response, correct):
    key = seal("Q5", "numeric", 2.5, tolerance=0.25, salt=SALT)
    assert verify(key, "Q5", "numeric", response).correct is correct


def test_numeric_exact_and_float_noise():
    key = seal("Q6", "numeric", 0.3, salt=SALT)
    assert verify(key, "Q6", "numeric", 0.1 + 0.2).correct
    assert not verify(key, "Q6", "numeric", "0,31").correct
    assert reveal(key, "Q6", "numeric") == 0.3
    with pytest.raises(ValueError):
        verify(key, "Q6", "numeric", "about three")


@pytest.mark.parametrize(
    "text, value",
    [("2,5", 2.5), ("2.5", 2.5), ("1 000", 1000), ("1\u00a0000,5", 1000.5), ("1,234.5", 1234.5),
     ("1.234,5", 1234.5), ("\u22123", -3), ("-0,5", -0.5), ("1,000,000", 1_000_000), (" 7 ", 7)],
)
def test_parse_number_reads_how_people_type(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "2,5,5.1.1", "nan", "inf", True])
def test_parse_number_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_keys_do_not_show_the_answer_at_a_glance():
    sealed = [
        seal("Q1", "single", "beta", salt=SALT),
        seal("Q4", "ordering", ["first", "second"], salt=SALT),
        seal("Q5", "numeric", 16.5, tolerance=0.5, salt=SALT),
    ]
    text = json.dumps(sealed)
    for secret in ("beta", "first", "16.5", "0.5"):
        assert secret not in text
    # Multiple choice lists every option, each with a different-looking mark.
    marks = seal("Q3", "multiple", ["alpha"], salt=SALT, options=["alpha", "beta"])["marks"]
    assert set(marks) == {"alpha", "beta"} and len(set(marks.values())) == 2


def test_keys_are_deterministic_per_salt_and_bound_to_their_question():
    assert seal("Q1", "single", "b", salt=SALT) == seal("Q1", "single", "b", salt=SALT)
    assert seal("Q1", "single", "b", salt=SALT) != seal("Q1", "single", "b", salt="reg-v2")
    key = seal("Q1", "single", "b", salt=SALT)
    assert not verify(key, "Q9", "single", "b").correct
    numeric = seal("Q5", "numeric", 2.5, salt=SALT)
    with pytest.raises(ValueError):
        verify(numeric, "Q9", "numeric", "2.5")  # another question's keystream garbles it


def test_type_mismatch_and_bad_input_are_errors():
    key = seal("Q1", "single", "b", salt=SALT)
    with pytest.raises(ValueError):
        verify(key, "Q1", "multiple", ["b"])
    for qtype, answer in [("open", "x"), ("numeric", True), ("single", ["a"]), ("ordering", ["a", "a"])]:
        with pytest.raises(ValueError):
            seal("Q1", qtype, answer, salt=SALT)
    with pytest.raises(ValueError):
        seal("Q1", "numeric", 1, tolerance=-1, salt=SALT)
    assert set(TYPES) == {"single", "multiple", "true_false", "numeric", "ordering"}
