"""The course folder: config text, loading it back, and staying light to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crmtrain.errors import UserError
from crmtrain.grading.plumbing.config import config_text, write_config
from crmtrain.grading.plumbing.course import ASSESSMENTS, COURSE_ASSESSMENTS, Course, check_assessment

GRADING_MODULES = ("plumbing.course", "verbs.roster", "verbs.release", "verbs.status", "verbs.collect", "verbs.autograde", "verbs.feedback", "scoring.items", "presentation.results", "safety.leaks", "exchange.fetchlog")


def test_config_is_deterministic_and_readable(tmp_path):
    a = config_text("crm-acme", tmp_path / "exchange", timezone="Europe/Moscow")
    assert a == config_text("crm-acme", tmp_path / "exchange", timezone="Europe/Moscow")
    assert "c.CourseDirectory.course_id = 'crm-acme'" in a
    assert f"c.Exchange.root = '{tmp_path / 'exchange'}'" in a
    assert "c.NbGraderAPI.timezone = 'Europe/Moscow'" in a
    assert "c.LateSubmissionPlugin.penalty_method = 'none'" in a
    assert 'c.ExchangeFactory.fetch_assignment = "crmtrain.grading.plugins.RecordingFetchAssignment"' in a
    compile(a, "nbgrader_config.py", "exec")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"course_id": "my course"}, "course id"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"late_penalty": "half"}, "late penalty"),
    ],
)
def test_config_rejects_bad_settings(tmp_path, kwargs, message):
    args = {"course_id": "crm", "exchange_dir": tmp_path, **kwargs}
    with pytest.raises(UserError, match=message):
        config_text(args.pop("course_id"), args.pop("exchange_dir"), **args)


def test_course_loads_what_write_config_wrote(tmp_path):
    write_config(tmp_path / "assignments", "crm-acme", tmp_path / "ex", timezone="Europe/Moscow")
    course = Course.load(tmp_path / "assignments")
    assert course.course_id == "crm-acme"
    assert course.exchange_dir == tmp_path / "ex"
    assert course.timezone == "Europe/Moscow"
    assert course.outbound_dir("initial") == tmp_path / "ex" / "crm-acme" / "outbound" / "initial"
    assert course.submitted_dir("bob", "followup") == tmp_path / "assignments" / "submitted" / "bob" / "followup"


def test_course_reads_a_hand_edited_config_without_running_it(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "import os\nc = get_config()\nc.CourseDirectory.course_id = 'x1'\n"
        "c.Exchange.root = 'exchange'  # relative to the course\nc.Foo.bar = os.getcwd()\n")
    course = Course.load(tmp_path)
    assert (course.course_id, course.exchange_dir) == ("x1", tmp_path / "exchange")


def test_course_errors_say_what_to_do(tmp_path):
    with pytest.raises(UserError, match="run `crmtrain build` first"):
        Course.load(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    with pytest.raises(UserError) as err:
        Course.load(tmp_path)
    assert len(err.value.lines) == 2 and "course_id" in err.value.lines[0]
    (tmp_path / "nbgrader_config.py").write_text("c = get_config(\n")
    with pytest.raises(UserError, match="not valid Python"):
        Course.load(tmp_path)


def test_unknown_assessment_and_unbuilt_assessment(tmp_path):
    write_config(tmp_path, "crm", tmp_path / "ex")
    course = Course.load(tmp_path)
    assert check_assessment("initial") == "initial" and ASSESSMENTS == ("initial", "followup")
    with pytest.raises(UserError, match="unknown assessment 'final': expected one of initial, followup"):
        course.source_notebooks("final")
    with pytest.raises(UserError, match="not built"):
        course.source_notebooks("followup")


def test_importing_grading_does_not_import_nbgrader():
    code = (
        "import sys\n"
        + "".join(f"import crmtrain.grading.{m}\n" for m in GRADING_MODULES)
        + "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'nbgrader', 'nbformat', 'nbconvert', "
        "'sqlalchemy', 'traitlets', 'rich', 'jupyter_client'})\n"
        "print(','.join(heavy))\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_config_loads_in_nbgrader_and_names_real_plugins(tmp_path):
    write_config(tmp_path, "crm", tmp_path / "ex")
    course = Course.load(tmp_path)
    api = course.api()
    from crmtrain.grading.plugins import RecordingFetchAssignment, RecordingReleaseAssignment

    assert api.coursedir.course_id == "crm" and api.coursedir.root == str(tmp_path)
    assert api.exchange.fetch_assignment is RecordingFetchAssignment
    assert api.exchange.release_assignment is RecordingReleaseAssignment
    cfg = course.nbgrader_config()
    assert cfg.GenerateFeedback.HTMLExporter.preprocessors == ["crmtrain.grading.plugins.HideKey"]
    assert cfg.Autograde.exclude_overwriting == {a: ["answers.json"] for a in COURSE_ASSESSMENTS}
