"""Paths behave as people expect: folders, --out, and what a build remembers about its regulation."""

from __future__ import annotations

import json
import os
import re
import shutil

import nbformat
import pytest

from crmtrain.cli import main
from crmtrain.commands.report import recorded_regulation
from crmtrain.samples import resolve, sample_path


def test_check_and_build_take_the_folder_init_made(tmp_path, capsys, monkeypatch):
    assert main(["init", str(tmp_path / "reg")]) == 0
    assert main(["check", str(tmp_path / "reg")]) == 1  # valid, still full of TODO
    assert f"{tmp_path / 'reg' / 'regulation.yaml'}: valid but incomplete" in capsys.readouterr().out
    shutil.copy(sample_path("freight"), tmp_path / "reg" / "regulation.yaml")
    assert main(["build", str(tmp_path / "reg"), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "workbooks" / "01-summary.ipynb").is_file()


def test_a_folder_without_a_regulation_is_named(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"{tmp_path} is a folder without regulation.yaml "
                                       f"(start one with: crmtrain init {tmp_path})\n")


@pytest.mark.parametrize("where", [".", "workbooks", "assignments"])
def test_out_naming_a_file_is_a_clear_error(tmp_path, capsys, where):
    out = tmp_path / "out"
    (out / where).parent.mkdir(parents=True, exist_ok=True)
    target = out if where == "." else out / where
    target.write_text("not a folder", encoding="utf-8")
    assert main(["build", "sample:en", "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"--out {out}: {target} is a file, not a folder; give a folder for the build\n"
    assert target.read_text(encoding="utf-8") == "not a folder"


def dashboard_reference(course) -> str:
    source = next(c.source for c in nbformat.read(course / "dashboard.ipynb", 4).cells
                  if "dash.load(" in c.source)
    return re.search(r"dash\.load\('\.', '([^']*)'\)", source).group(1)


def test_a_relative_build_is_found_again_from_the_dashboards_and_the_courses_folder(tmp_path, monkeypatch):
    (tmp_path / "company").mkdir()
    shutil.copy(sample_path("freight"), tmp_path / "company" / "regulation.yaml")
    monkeypatch.chdir(tmp_path / "company")
    assert main(["build", "regulation.yaml", "--out", "../training"]) == 0
    workbooks, course = tmp_path / "training" / "workbooks", tmp_path / "training" / "assignments"
    ref = dashboard_reference(course)
    assert ref == "../../company/regulation.yaml"
    monkeypatch.chdir(course)  # Jupyter runs the dashboard's kernel in its folder (the course)
    assert resolve(ref).resolve() == (tmp_path / "company" / "regulation.yaml").resolve()
    monkeypatch.chdir(tmp_path)  # `crmtrain report --course training/assignments` from elsewhere
    assert json.loads((course / "crmtrain.json").read_text(encoding="utf-8")) == {"regulation": "../../company/regulation.yaml"}
    assert recorded_regulation(course).resolve() == (tmp_path / "company" / "regulation.yaml").resolve()


def test_a_sample_is_recorded_by_name(tmp_path):
    assert main(["build", "sample:freight", "--out", str(tmp_path)]) == 0
    assert dashboard_reference(tmp_path / "assignments") == "sample:freight"
    assert recorded_regulation(tmp_path / "assignments") == sample_path("freight")


def test_a_course_without_a_record_asks_which_regulation_never_a_sample(tmp_path, capsys):
    assert main(["build", "sample:freight", "--out", str(tmp_path)]) == 0
    (tmp_path / "assignments" / "crmtrain.json").unlink()
    capsys.readouterr()
    tmp_path = tmp_path / "assignments"
    assert main(["report", "--course", str(tmp_path), "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err == (f"{tmp_path}: no record of the regulation it was built from; "
                                       "pass --regulation FILE\n")


def test_an_unknown_sample_lists_the_samples(capsys):
    assert main(["check", "sample:xx"]) == 2
    assert capsys.readouterr().err == "no sample 'xx'; the samples are sample:en, sample:ru, sample:freight\n"


@pytest.mark.parametrize("command", [["check"], ["build", "--out", "out"], ["document", "--format", "html"],
                                     ["export", "--format", "gift"], ["hub", "config", "--specialist", "x"]])
def test_no_regulation_given_and_none_here_says_so_and_builds_no_sample(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"no regulation given, and there is no regulation.yaml in {tmp_path}\n")
    assert "crmtrain init ." in err and "sample:en" in err
    assert list(tmp_path.iterdir()) == []  # nothing built, nothing written


def test_no_regulation_given_reads_the_one_here_and_names_it(tmp_path, monkeypatch, capsys):
    shutil.copy(sample_path("freight"), tmp_path / "regulation.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--out", "out"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("Regulation: Bluefin Freight Forwarding Ltd (HubSpot), version 2027.2 of "
                                   "2027-03-01 — regulation.yaml")
    assert json.loads((tmp_path / "out" / "assignments" / "crmtrain.json").read_text(encoding="utf-8")) == \
        {"regulation": "../../regulation.yaml"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting(tmp_path, capsys):
    pipe = tmp_path / "regulation.yaml"
    os.mkfifo(pipe)
    assert main(["check", str(pipe)]) == 2
    assert "is not a regular file" in capsys.readouterr().err
