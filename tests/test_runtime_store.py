"""The progress store: atomic saves, corrupt files set aside, crash leftovers swept."""

from __future__ import annotations

import json
import os
import time

import pytest

from crmtrain.runtime.store import STALE_SECONDS, JsonStore


def test_round_trip_and_missing_file(tmp_path):
    store = JsonStore(tmp_path / ".wb.progress.json")
    assert store.load() == {}
    store.save({"questions": {"Q1": {"response": "2,5", "correct": True}}})
    assert JsonStore(store.path).load() == {"questions": {"Q1": {"response": "2,5", "correct": True}}}
    assert "2,5" in store.path.read_text(encoding="utf-8")
    assert list(tmp_path.iterdir()) == [store.path]  # no temp files left behind


def test_failed_replace_keeps_the_previous_file(tmp_path, monkeypatch):
    store = JsonStore(tmp_path / "answers.json")
    store.save({"n": 1})
    before = store.path.read_bytes()

    def refuse(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        store.save({"n": 2})
    assert store.path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [store.path]


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b""])
def test_unreadable_file_is_set_aside(tmp_path, content):
    path = tmp_path / ".wb.progress.json"
    path.write_bytes(content)
    store = JsonStore(path)
    assert store.load() == {}
    assert store.recovered == store.backup_path == tmp_path / ".wb.progress.json.bak"
    assert store.backup_path.read_bytes() == content
    assert not path.exists()
    store.save({"fresh": True})
    assert JsonStore(path).load() == {"fresh": True}


def test_stale_temp_files_from_a_crash_are_swept(tmp_path):
    store = JsonStore(tmp_path / ".wb.progress.json")
    old = tmp_path / ".wb.progress.json.abc123.tmp"
    fresh = tmp_path / ".wb.progress.json.def456.tmp"
    old.write_text("{half", encoding="utf-8")
    fresh.write_text("{half", encoding="utf-8")
    past = time.time() - STALE_SECONDS - 5
    os.utime(old, (past, past))
    store.load()
    assert not old.exists()
    assert fresh.exists()  # may belong to a save in flight in another kernel


def test_saved_json_is_readable_by_people(tmp_path):
    store = JsonStore(tmp_path / "answers.json")
    store.save({"b": "Интерфейс", "a": [1, 2]})
    text = store.path.read_text(encoding="utf-8")
    assert "Интерфейс" in text and text.index('"a"') < text.index('"b"')
    assert json.loads(text) == {"a": [1, 2], "b": "Интерфейс"}
