"""The specialist asks for a report before anyone has taken an assessment: files, not a traceback."""

from __future__ import annotations

import pytest

from crmtrain.cli import main


def test_before_anything_is_graded_the_report_says_so(tmp_path, capsys):
    assert main(["build", "sample:en", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["report", "--course", str(tmp_path / "assignments"), "--out", str(tmp_path / "r")]) == 2
    assert "nothing graded yet" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.nbgrader
def test_an_assessment_nobody_took_is_nothing_graded_yet(tmp_path, capsys):
    # Released, a gradebook with the roster, no submission: empty tables would say nothing.
    assert main(["build", "sample:en", "--out", str(tmp_path), "--exchange", str(tmp_path / "exchange")]) == 0
    course = str(tmp_path / "assignments")
    assert main(["release", "initial", "--due", "2030-01-31", "--course", course]) == 0
    capsys.readouterr()
    out = tmp_path / "report"
    assert main(["report", "--course", course, "--out", str(out)]) == 2
    assert "nothing graded yet" in capsys.readouterr().err
    assert not out.exists()
    assert main(["review", "--course", course, "--out", str(tmp_path / "review")]) == 2
    err = capsys.readouterr().err
    assert "nothing graded yet" in err and "right" not in err


def test_unknown_format_is_a_user_error(tmp_path, capsys):
    assert main(["report", "--course", str(tmp_path), "--format", "pdf"]) == 2
    assert "argument --format: invalid choice: 'pdf' (choose from 'csv', 'xlsx', 'html')" in capsys.readouterr().err
