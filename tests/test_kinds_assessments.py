"""The assessment-kind registry: the regulation model, the CLI, the course and the reports agree with it."""

from __future__ import annotations

import pytest

from crmtrain import cli
from crmtrain.grading.plumbing import course
from crmtrain.i18n import translation
from crmtrain.kinds.assessments import ASSESSMENT_KINDS, ASSESSMENTS, COURSE_ASSESSMENTS, FIRST, LAST, described, earlier
from crmtrain.regulation.loader import load
from crmtrain.regulation.models import Assessments
from crmtrain.regulation.selection import select
from crmtrain.reports import charts, data, retention, tables
from crmtrain.samples import sample_path


def test_every_list_of_assessments_is_the_registry():
    assert ASSESSMENTS == ("initial", "followup") and (FIRST, LAST) == ASSESSMENTS
    assert tuple(Assessments.model_fields) == ASSESSMENTS
    assert course.COURSE_ASSESSMENTS == data.COURSE_ASSESSMENTS == COURSE_ASSESSMENTS
    assert set(charts.COLOURS) == set(COURSE_ASSESSMENTS)
    assert data.RESULTS["assessment"] == "'initial', 'followup' or 'retest'" == described(names=COURSE_ASSESSMENTS)
    assert earlier("initial") == () and earlier("followup") == ("initial",)


def test_the_regulation_declares_its_assessments_and_the_course_holds_the_retest_too():
    assert COURSE_ASSESSMENTS == ("initial", "followup", "retest")
    assert [k.name for k in ASSESSMENT_KINDS.values() if not k.in_regulation] == ["retest"]
    assert "retest" not in Assessments.model_fields  # no regulation declares it: `crmtrain diff` writes it


@pytest.mark.parametrize("command", ["release", "grade", "status", "collect", "feedback"])
def test_the_cli_offers_exactly_the_registered_assessments(capsys, command):
    assert cli.main([command, "midterm"]) == 2
    assert ("invalid choice: 'midterm' (choose from 'initial', 'followup', 'retest')"
            in capsys.readouterr().err.replace('"', "'"))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_kind_says_when_it_is_taken_in_both_languages(lang):
    tr = translation(lang)
    for kind in ASSESSMENT_KINDS.values():
        assert kind.label and kind.colour.startswith("#")
        shown = tr.gettext(kind.when)
        assert shown and (lang == "en" or shown != kind.when), f"{kind.name}: {kind.when!r} is not translated"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_assessment_repeats_a_question_of_an_earlier_one(lang):
    sel = select(load(sample_path(lang)))
    asked = [q.id for name in ASSESSMENTS for q in sel.questions[name]]
    assert len(asked) == len(set(asked)) and not sel.overlaps


def test_reports_compare_the_first_assessment_with_the_last():
    from crmtrain.reports.synthetic import synthetic

    d = data.validate(synthetic(n_trainees=12, n_items=8, seed=4))
    t = tables.trainees(d)
    assert (t["change"].dropna() == (t[f"{LAST}_score"] - t[f"{FIRST}_score"]).dropna()).all()
    detail = retention.retention_detail(d)
    assert {FIRST, LAST} <= set(detail.columns) and len(detail)
    knew = {(True, True): "learned", (True, False): "forgotten", (False, True): "learned_later",
            (False, False): "never_learned"}
    assert [knew[(a, b)] for a, b in zip(detail[FIRST], detail[LAST])] == list(detail["status"])
