"""Release, fetch recording, status and collect, without running any kernel."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from grading_fixtures import ASSESSMENT, Trainee

from crmtrain.errors import UserError
from crmtrain.grading.verbs import autograde, collect, release, status
from crmtrain.grading.exchange import fetchlog
from crmtrain.grading.safety.leaks import exchange_folders, find_key_material

pytestmark = pytest.mark.nbgrader


def test_parse_due():
    assert release.parse_due("2025-03-01", "Europe/Moscow") == dt.datetime(2025, 3, 1, 20, 59, 59)
    assert release.parse_due("2025-03-01 18:00", "Europe/Moscow") == dt.datetime(2025, 3, 1, 15, 0)
    assert release.parse_due("2025-03-01T18:00+00:00", "Europe/Moscow") == dt.datetime(2025, 3, 1, 18, 0)
    with pytest.raises(UserError, match="not a date"):
        release.parse_due("next friday")


def test_a_fetch_marker_counts_from_when_it_was_made_whatever_its_name_says(tmp_path):
    folder = tmp_path / "fetched"
    fetchlog.ensure_folder(folder)
    assert oct(os.stat(folder).st_mode & 0o7777) == oct(fetchlog.FOLDER_MODE) == "0o3733"  # sticky
    before = dt.datetime.utcnow() - dt.timedelta(seconds=1)  # file times tick coarser than the clock
    fetchlog.record(folder, "bob", "initial")
    fetchlog.record(folder, "ann", "followup")
    backdated = fetchlog.record(folder, "carol", "initial", dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    os.utime(backdated, (0, 0))  # `touch -d 1970-01-01` changes the mtime, not the ctime
    (folder / "junk").touch()
    os.symlink(backdated, folder / fetchlog.marker_name("dave", "initial"))  # a link counts for nothing
    (folder / fetchlog.marker_name("erin", "initial")).mkdir()  # nor does a folder
    after = dt.datetime.utcnow()
    first = fetchlog.first_fetches(folder, "initial")
    assert set(first) == {"bob", "carol"}
    assert all(before <= at <= after for at in first.values()), first
    assert [f.trainee for f in fetchlog.read(folder)] == ["bob", "ann", "carol"]


def test_release_fetch_and_status_before_any_submission(course, tmp_path):
    with pytest.raises(UserError, match="not released yet"):
        collect.collect(course, ASSESSMENT)
    course.root.chmod(0o755)
    rep = release.release(course, ASSESSMENT, due="2031-01-01")
    assert rep.due == dt.datetime(2031, 1, 1, 23, 59, 59) and not rep.replaced
    assert "chmod 700" in rep.warnings[0]
    assert release.due_date(course, ASSESSMENT) == rep.due
    assert find_key_material(course, ASSESSMENT, exchange_folders(course, ASSESSMENT)) == []
    with pytest.raises(UserError, match="already released; use --force"):
        release.release(course, ASSESSMENT)
    course.root.chmod(0o700)
    again = release.release(course, ASSESSMENT, force=True)
    assert again.replaced and again.due == rep.due  # no --due: the due date stays
    assert again.warnings == ()

    Trainee("ann", tmp_path / "ann", course).fetch()
    st = status.assessment_status(course, ASSESSMENT)
    assert st.released and st.due == rep.due
    ann = st.trainee("ann")
    assert ann.fetched and not ann.on_roster and not ann.submitted and not ann.late
    follow = status.assessment_status(course, "followup")
    assert not follow.released and follow.trainees == ()  # ann is not on the roster, did not fetch it
    with pytest.raises(UserError, match="no submissions of 'initial' in the exchange yet"):
        collect.collect(course, ASSESSMENT)
    with pytest.raises(UserError, match="no collected submissions"):
        autograde.grade(course, [ASSESSMENT])


def test_a_fetch_still_works_when_the_marker_cannot_be_written(course, tmp_path):
    release.release(course, ASSESSMENT)
    course.fetched_dir.rmdir()
    course.fetched_dir.write_text("not a folder")  # release made by stock nbgrader, say
    folder = Trainee("ann", tmp_path / "ann", course).fetch()
    assert (folder / f"{ASSESSMENT}.ipynb").is_file()


def test_release_refuses_answers_in_the_source_and_unknown_assessments(course):
    (course.source_dir(ASSESSMENT) / "answers.json").write_text("{}")
    with pytest.raises(UserError, match="must not exist"):
        release.release(course, ASSESSMENT)
    with pytest.raises(UserError, match="unknown assessment"):
        release.release(course, "final")
    with pytest.raises(UserError, match="not built"):
        release.release(course, "followup")
    with pytest.raises(UserError, match="not released yet"):
        release.set_due(course, "followup", "2030-01-01")
