"""A slot's hidden test grades the trainee's own case or drawn question, whatever they edit."""

from __future__ import annotations

import json
import random

import pytest
from test_rules_cases import sample_specs

from crmtrain.grading.scoring.checks import parse_check, run_check
from crmtrain.regulation.loader import load
from crmtrain.rules import cases, variants
from crmtrain.runtime.check import check_case, check_draw, graded_trainee
from crmtrain.samples import sample_path

COURSE, ASSESSMENT, START = "crm-training", "initial", "2027-02-01"
WHERE = {"course": COURSE, "assessment": ASSESSMENT}
CANDIDATES = [("Q101", "single", "opt-a", {}), ("Q102", "numeric", 24.0, {"tolerance": 0.5}),
              ("Q103", "multiple", ["opt-x", "opt-z"], {"points": 2})]


@pytest.fixture(scope="module")
def specs():
    return sample_specs(load(sample_path("en")))


def key_of(specs, kind: str, slot: str, trainee: str):
    case = cases.trainee_case(kind, specs[kind], START, course=COURSE, assessment=ASSESSMENT, trainee=trainee, slot=slot)
    return cases.case_key(kind, specs[kind], case), case


def two_trainees_with_different_keys(specs, kind: str, slot: str) -> tuple[str, str]:
    """Two trainee ids whose cases of ``slot`` have different right answers."""
    first = key_of(specs, kind, slot, "t000")[0]
    other = next(f"t{i:03d}" for i in range(1, 500) if key_of(specs, kind, slot, f"t{i:03d}")[0] != first)
    return "t000", other


def write(folder, answers: dict, **members) -> str:
    path = folder / "answers.json"
    path.write_text(json.dumps({"answers": answers, **members}), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("kind", ["lead", "pipeline", "process", "callback"])
def test_the_right_answer_to_ones_own_case_passes_and_to_another_trainees_scores_0(specs, tmp_path, kind):
    me, other = two_trainees_with_different_keys(specs, kind, "slot-1")
    mine, their = key_of(specs, kind, "slot-1", me)[0], key_of(specs, kind, "slot-1", other)[0]
    grade = {"course": COURSE, "assessment": ASSESSMENT, "start": START, "trainee": me}
    assert check_case("slot-1", kind, specs[kind], **grade, path=write(tmp_path, {"slot-1": mine})) is None
    with pytest.raises(AssertionError, match="^slot-1: the answer is not correct$"):
        check_case("slot-1", kind, specs[kind], **grade, path=write(tmp_path, {"slot-1": their}))
    with pytest.raises(AssertionError, match="^slot-1: no answer was saved$"):
        check_case("slot-1", kind, specs[kind], **grade, path=write(tmp_path, {}))


def test_editing_answers_json_or_the_environment_does_not_change_the_graded_case(specs, tmp_path, monkeypatch):
    me, other = two_trainees_with_different_keys(specs, "lead", "lead-case")
    their_key, their_case = key_of(specs, "lead", "lead-case", other)
    # The trainee claims to be the other trainee, records the other's case as shown, and
    # sets the kernel's trainee variable: grading still draws their own case.
    monkeypatch.setenv("CRMTRAIN_TRAINEE", other)
    monkeypatch.setenv("JUPYTERHUB_USER", other)
    path = write(tmp_path, {"lead-case": their_key}, trainee=other, shown={"lead-case": {"case": their_case}})
    with pytest.raises(AssertionError, match="the answer is not correct"):
        check_case("lead-case", "lead", specs["lead"], **WHERE, start=START, trainee=me, path=path)
    outputs = run_check(parse_check(
        "from crmtrain.runtime.check import check_case\n"
        f"check_case('lead-case', 'lead', {specs['lead']!r}, course={COURSE!r}, assessment={ASSESSMENT!r}, start={START!r})"),
        path, trainee=me)
    assert [o["evalue"] for o in outputs] == ["lead-case: the answer is not correct"]


def test_a_drawn_question_is_scored_like_check_does(tmp_path):
    drawn = {t: variants.draw_index(3, COURSE, ASSESSMENT, t, "deal-rules") for t in (f"t{i}" for i in range(40))}
    by_question = {i: next(t for t, j in drawn.items() if j == i) for i in range(3)}
    # Q101: single choice, all or nothing.
    who = by_question[0]
    assert check_draw("deal-rules", CANDIDATES, **WHERE, trainee=who, path=write(tmp_path, {"deal-rules": "opt-a"})) is None
    with pytest.raises(AssertionError, match="^deal-rules: the answer is not correct$"):
        check_draw("deal-rules", CANDIDATES, **WHERE, trainee=who, path=write(tmp_path, {"deal-rules": 24.0}))
    # Q102: numeric within the candidate's tolerance.
    who = by_question[1]
    assert check_draw("deal-rules", CANDIDATES, **WHERE, trainee=who, path=write(tmp_path, {"deal-rules": 24.4})) is None
    with pytest.raises(AssertionError):
        check_draw("deal-rules", CANDIDATES, **WHERE, trainee=who, path=write(tmp_path, {"deal-rules": "opt-a"}))
    # Q103: partial credit by the candidate's points: one of two right options earns half.
    who = by_question[2]
    assert check_draw("deal-rules", CANDIDATES, **WHERE, trainee=who, path=write(tmp_path, {"deal-rules": ["opt-x"]})) == 1.0
    assert check_draw("deal-rules", CANDIDATES, **WHERE, trainee=who,
                      path=write(tmp_path, {"deal-rules": ["opt-x", "opt-z"]})) is None


def test_under_stock_autograde_the_trainee_is_the_folder_nbgrader_grades_in(tmp_path, monkeypatch):
    folder = tmp_path / "autograded" / "ivanova" / ASSESSMENT
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("CRMTRAIN_TRAINEE", "petrov")  # the kernel's environment has no say
    assert graded_trainee(None, ASSESSMENT) == "ivanova"
    assert graded_trainee("sidorov", ASSESSMENT) == "sidorov"  # grading's word comes first


@pytest.mark.parametrize("trainee, execution, folder, message", [
    (None, None, "autograded/ivanova/initial", "cannot tell whose case this is: run this check under nbgrader autograde"),
    (None, "validate", "autograded/ivanova/initial", "run this check under nbgrader autograde"),
    (None, "autograde", "autograded/ivanova/follow-up", "run this check under nbgrader autograde"),
    (None, "autograde", "home/ivanova", "run this check under nbgrader autograde"),
    ("", "autograde", "autograded/ivanova/initial", "cannot tell whose case this is: no trainee id was given"),
])
def test_a_check_that_cannot_tell_whose_case_it_grades_fails(tmp_path, monkeypatch, specs, trainee, execution, folder,
                                                              message):
    (tmp_path / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path / folder)
    if execution is None:
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    else:
        monkeypatch.setenv("NBGRADER_EXECUTION", execution)
    path = write(tmp_path, {"s": "opt-a"})
    with pytest.raises(AssertionError, match=message):
        check_draw("s", CANDIDATES, **WHERE, trainee=trainee, path=path)
    with pytest.raises(AssertionError, match=message):
        check_case("s", "lead", specs["lead"], **WHERE, start=START, trainee=trainee, path=path)


@pytest.mark.parametrize("candidates, message", [
    ([("Q1", "single", "a", {"tolerence": 0.5})], "deal-rules: unknown candidate options tolerence"),
    ([], "a draw needs at least one candidate"),
    ([("Q1", "open", None, {})], "question type 'open' is not autograded"),
])
def test_bad_candidates_fail_the_item_with_a_reason(tmp_path, candidates, message):
    with pytest.raises(ValueError, match=message):
        check_draw("deal-rules", candidates, **WHERE, trainee="t", path=write(tmp_path, {"deal-rules": "a"}))


CASE_CELL = ("# Answer check for lead-case\n### BEGIN HIDDEN TESTS\nfrom crmtrain.runtime.check import check_case\n"
             "check_case('lead-case', 'lead', {'classes': []}, course='c', assessment='initial', start='2027-02-01')\n"
             "### END HIDDEN TESTS")
DRAW_CELL = ("from crmtrain.runtime.check import check_draw\n"
             "check_draw('deal-rules', [('Q1', 'single', 'a', {}), ('Q2', 'single', 'b', {})], course='c', assessment='initial')")


def test_slot_checks_are_read_as_data():
    case, draw = parse_check(CASE_CELL), parse_check(DRAW_CELL)
    assert (case.function, case.item, dict(case.kwargs)["start"]) == ("check_case", "lead-case", "2027-02-01")
    assert (draw.function, draw.item, draw.args[1][1]) == ("check_draw", "deal-rules", ("Q2", "single", "b", {}))


@pytest.mark.parametrize("source", [
    DRAW_CELL.replace("assessment='initial'", "assessment='initial', trainee='easy-one'"),  # a cell never says whose
    DRAW_CELL.replace("import check_draw", "import check_case"),  # imports one check, calls another
    DRAW_CELL.replace("import check_draw", "import check_draw as check"),
    DRAW_CELL.replace("course='c'", "course=open('x').read()"),
    "from crmtrain.runtime.check import saved_answer\nsaved_answer('deal-rules')",
])
def test_other_slot_cells_are_left_to_a_kernel(source):
    assert parse_check(source) is None


@pytest.mark.parametrize("trainee, outputs", [
    ("t-right", []),
    ("t-wrong", ["deal-rules: the answer is not correct"]),
    (None, ["cannot tell whose case this is: no trainee id was given"]),  # grading always says whose
])
def test_grading_passes_whose_submission_it_is(tmp_path, trainee, outputs):
    drawn = {t: variants.draw_index(2, "c", "initial", t, "deal-rules") for t in (f"t{i}" for i in range(30))}
    right, wrong = (next(t for t, i in drawn.items() if i == j) for j in (0, 1))
    who = {"t-right": right, "t-wrong": wrong, None: None}[trainee]
    got = run_check(parse_check(DRAW_CELL), write(tmp_path, {"deal-rules": "a"}), trainee=who)
    assert [o["evalue"] for o in got] == outputs


def test_many_trainees_get_every_candidate_and_every_kind_varies(specs):
    picked = {variants.draw_index(len(CANDIDATES), COURSE, ASSESSMENT, f"t{i}", "deal-rules") for i in range(60)}
    assert picked == {0, 1, 2}
    for kind in ("lead", "pipeline", "process", "callback"):
        rngs = [random.Random(variants.seed(COURSE, ASSESSMENT, f"t{i}", "s")) for i in range(20)]
        assert len({json.dumps(cases.new_case(kind, specs[kind], r, START), sort_keys=True) for r in rngs}) > 3


@pytest.mark.parametrize("sample", ["freight", "en", "ru"])
def test_every_slot_check_the_builder_writes_grades_the_trainees_own_answer(tmp_path, sample):
    """The built assessments' slot cells are read as data, and score a trainee's own right answer in full."""
    from crmtrain.kinds.assessments import ASSESSMENTS
    from crmtrain.notebooks.assessments import build_assessment

    reg = load(sample_path(sample))
    if not any(getattr(reg.assessments, a).slots for a in ASSESSMENTS):
        pytest.skip(f"sample:{sample} has no slots")
    checked, cells = 0, 0
    for name in ASSESSMENTS:
        for cell in build_assessment(reg, name, COURSE).cells:
            crm = cell.metadata.get("crmtrain", {})
            if not (cell.metadata.get("nbgrader", {}).get("grade") and crm.get("slot")):
                continue
            call = parse_check(cell.source.replace("### BEGIN HIDDEN TESTS", "").replace("### END HIDDEN TESTS", ""))
            assert call is not None and call.function == f"check_{crm['slot']}", cell.source
            kwargs = dict(call.kwargs)
            cells += 1
            for trainee in ("ivanova", "petrov", "sidorov"):
                if call.function == "check_case":
                    slot, kind, spec = call.args
                    case = cases.trainee_case(kind, spec, kwargs["start"], course=COURSE, assessment=name,
                                              trainee=trainee, slot=slot)
                    right = cases.case_key(kind, spec, case)
                else:
                    candidates = kwargs.get("candidates") or call.args[1]
                    right = candidates[variants.draw_index(len(candidates), COURSE, name, trainee, call.item)][2]
                path = write(tmp_path, {call.item: right})
                assert run_check(call, path, trainee=trainee) == [], (sample, name, call.item, trainee)
                checked += 1
    declared = [s for a in ASSESSMENTS for s in getattr(reg.assessments, a).slots]
    assert cells >= len(declared) and checked == 3 * cells  # the follow-up may add slots that re-test the initial's
