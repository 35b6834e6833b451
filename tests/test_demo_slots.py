"""The demo's evidence for per-trainee slots: who got which case and draw, for one maximum."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtrain.commands.demo import slot_evidence
from crmtrain.errors import UserError
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path
from crmtrain.simulate import slots_asked

SOURCE = Path(__file__).resolve().parents[1] / "examples" / "freight" / "assignments" / "source"
TRAINEES = ("osmirnova", "ipetrov", "akuznetsova", "dvolkov", "esokolova")


@pytest.fixture(scope="module")
def asked():
    reg = load(sample_path("freight"))
    return {t: slots_asked(reg, "followup", SOURCE / "followup" / "followup.ipynb", t) for t in TRAINEES}


def test_the_demo_names_two_trainees_with_different_cases_and_draws(asked):
    lines = slot_evidence(asked, {t: 14.0 for t in TRAINEES})
    assert lines[0] == "5 per-trainee slot(s); every trainee's maximum is 14 points (nbgrader, 5 graded)"
    draw = next(line for line in lines if "own-setup" in line)
    assert "(drawn question): 2 different among 5 trainees — osmirnova: fu-tech-01 | ipetrov: fu-tech-02" in draw
    # The freight initial's two pipeline case slots come back fresh in the follow-up (one per pipeline).
    assert sum("(pipeline case): 5 different among 5 trainees" in line for line in lines) == 2
    case = next(line for line in lines if "reply-by-again" in line)
    assert "(callback case): 5 different among 5 trainees" in case and case.count("event=") == 2


def test_unequal_maxima_stop_the_demo(asked):
    with pytest.raises(UserError, match="maximum points differ"):
        slot_evidence(asked, {**{t: 14.0 for t in TRAINEES}, "ipetrov": 15.0})


def test_no_slots_no_lines():
    assert slot_evidence({"osmirnova": ()}, {"osmirnova": 20.0}) == []
