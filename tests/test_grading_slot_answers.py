"""answers.json with per-trainee slots: answers under the slot id pass the vetting in their kind's shape;
what was shown is kept for the specialist, bounded, and decides nothing."""

from __future__ import annotations

import json

import pytest

from crmtrain.grading.safety.answers import read_submitted, write_vetted

SLOTS = {"Q1", "lead-case", "deal-move", "call-back", "pick"}


@pytest.mark.parametrize("shown, kept, note", [
    ({"pick": {"question": "q-b"}, "lead-case": {"case": {"lead": {"budget": 5}, "options": ["a", "b"]}}},
     {"pick": {"question": "q-b"}, "lead-case": {"case": {"lead": {"budget": 5}, "options": ["a", "b"]}}}, ""),
    ({"pick": {"question": 7}}, {}, "a record of what was shown that fits no slot ignored"),
    ({"pick": {"question": "q-b", "case": {}}}, {}, "a record of what was shown that fits no slot ignored"),
    ({"nowhere": {"question": "q-b"}}, {}, "a record of what was shown that fits no slot ignored"),
    ({"lead-case": {"case": {"text": "x" * 30_000}}}, {}, "a record of what was shown that fits no slot ignored"),
    (["pick"], {}, "a record of what was shown that fits no slot ignored"),
])
def test_what_was_shown_is_kept_only_in_its_shape(tmp_path, shown, kept, note):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"pick": "opt-a"}, "shown": shown}))
    saved = read_submitted(path, SLOTS)
    assert (saved.answers, saved.shown, "; ".join(saved.notes)) == ({"pick": "opt-a"}, kept, note)


def test_the_vetted_copy_keeps_the_answers_and_what_was_shown(tmp_path):
    (tmp_path / "answers.json").write_text(json.dumps({"answers": {"pick": ["b", "a"], "extra": 1},
                                                       "shown": {"pick": {"question": "q-c"}}, "trainee": "x"}))
    saved = read_submitted(tmp_path / "answers.json", SLOTS)
    out = tmp_path / "graded"
    out.mkdir()
    write_vetted(out, saved)
    assert json.loads((out / "answers.json").read_text()) == {"answers": {"pick": ["b", "a"]},
                                                              "shown": {"pick": {"question": "q-c"}}}
