"""The specialist looks before acting: `crmtrain status` (and a report that cannot be made) change nothing.

A course is compared byte for byte, every file and folder, before and after: a look must not
create the gradebook (after which the report would have had empty tables to write).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from crmtrain.cli import main


def tree(root: Path) -> dict[str, str]:
    """Every path under ``root`` with its kind and, for files, a hash of its bytes."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            out[rel] = "link:" + str(path.readlink())
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def looks_change_nothing(capsys, root: Path, course: Path) -> str:
    before = tree(root)
    assert main(["status", "--course", str(course)]) == 0
    said = capsys.readouterr().out
    assert main(["report", "--course", str(course), "--out", str(root.parent / "reports")]) in (0, 2)
    capsys.readouterr()
    assert tree(root) == before
    return said


def test_status_of_a_new_course_creates_no_gradebook(tmp_path, capsys):
    assert main(["build", "sample:en", "--out", str(tmp_path / "c"), "--exchange", str(tmp_path / "c" / "exchange")]) == 0
    capsys.readouterr()
    course = tmp_path / "c" / "assignments"
    said = looks_change_nothing(capsys, tmp_path / "c", course)
    assert "not released yet" in said
    assert not (course / "gradebook.db").exists()
    # ...so the report still says there is nothing to report, and writes nothing.
    assert main(["report", "--course", str(course), "--out", str(tmp_path / "r")]) == 2
    assert "nothing graded yet" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.nbgrader
def test_status_of_a_released_course_with_a_roster_changes_nothing(tmp_path, capsys):
    root = tmp_path / "c"
    assert main(["build", "sample:en", "--out", str(root), "--exchange", str(root / "exchange")]) == 0
    course = root / "assignments"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\nanna,Anna K,anna@example.com\n", encoding="utf-8")
    assert main(["roster", "import", str(roster), "--course", str(course)]) == 0
    assert main(["release", "initial", "--due", "2030-01-31", "--course", str(course)]) == 0
    capsys.readouterr()
    said = looks_change_nothing(capsys, root, course)
    assert "anna" in said


@pytest.mark.nbgrader
def test_status_of_a_graded_course_changes_nothing(course, tmp_path, capsys):
    from grading_fixtures import ASSESSMENT, ITEMS, Trainee
    from crmtrain.grading.verbs import autograde, collect, release

    release.release(course, ASSESSMENT)
    who = Trainee("boris", tmp_path / "boris", course)
    who.fetch()
    who.answer({it.id: it.key for it in ITEMS if it.key is not None})
    who.submit()
    collect.collect(course, ASSESSMENT)
    assert all(o.ok for o in autograde.grade(course, [ASSESSMENT], workers=1).outcomes)
    said = looks_change_nothing(capsys, course.root, course.root)
    assert "boris" in said
