"""The saved answers of a sitting: ``answers.json``, read as data, never trusted.

The assessment widgets save ``{"answers": {item id: answer}, ...}`` next to the notebook;
submit carries the file and autograde copies it. Reading prefers the autograded copy (what
was graded) and falls back to the collected one. A missing or unreadable file means no
answers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from .course import ANSWERS_FILE, Course


def read_answers(course: Course, trainee: str, assessment: str) -> dict[str, Any]:
    """``{item: answer}`` of one sitting; {} if there is no readable answers.json."""
    for folder in ("autograded", "submitted"):
        try:  # os.path, not pathlib: this runs once per sitting, 20,000 times for a large course
            with open(os.path.join(course.root, folder, trainee, assessment, ANSWERS_FILE), encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        answers = data.get("answers", data) if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            return {}
        # {"value": v} and {"response": v} entries come from older widget versions.
        return {str(item): entry.get("value", entry.get("response")) if isinstance(entry, dict) else entry
                for item, entry in answers.items()}
    return {}


def all_answers(course: Course, sittings: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """``{(assessment, trainee): {item: answer}}`` for each sitting that saved any."""
    out = {}
    for assessment, trainee in sittings:
        found = read_answers(course, trainee, assessment)
        if found:
            out[(assessment, trainee)] = found
    return out
