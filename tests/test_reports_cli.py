"""The specialist asks for a report before anyone has taken an assessment: files, not a traceback."""

from __future__ import annotations

import pandas as pd
import pytest

from crmtrain.cli import main


def test_before_anything_is_graded_the_report_says_so(tmp_path, capsys):
    assert main(["build", "sample:en", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["report", "--course", str(tmp_path / "assignments"), "--out", str(tmp_path / "r")]) == 2
    assert "nothing has been autograded in this course yet" in capsys.readouterr().err


@pytest.mark.nbgrader
def test_an_assessment_nobody_took_gives_every_file(tmp_path, capsys):
    assert main(["build", "sample:en", "--out", str(tmp_path), "--exchange", str(tmp_path / "exchange")]) == 0
    course = str(tmp_path / "assignments")
    assert main(["release", "initial", "--due", "2030-01-31", "--course", course]) == 0
    capsys.readouterr()
    out = tmp_path / "report"
    assert main(["report", "--course", course, "--out", str(out)]) == 0
    for name in ("summary.csv", "trainees.csv", "item_analysis.csv", "report.xlsx", "report.html"):
        assert (out / name).is_file(), name
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None, engine="openpyxl")
    assert sheets["summary"].loc[0, "submitted"] == 0


def test_unknown_format_is_a_user_error(tmp_path, capsys):
    assert main(["report", "--course", str(tmp_path), "--format", "pdf"]) == 2
    assert "unknown report format pdf" in capsys.readouterr().err
