"""The re-test on a real exchange shared by real accounts: only those it is for can read it.

Ann learned the old version; Eve did not. The specialist puts a re-test and its audience into
the course (as ``crmtrain diff --course`` does) and releases it with ``crmtrain release retest``;
Ann fetches it with nbgrader; Eve is told it is not hers, and neither stock nbgrader's own
fetch nor her shell can read the released folder: a POSIX ACL opens it to Ann's account alone.
"""

from __future__ import annotations

import json

import pytest
from exchange_lab import COURSE_ID, make_lab
from hub_harness import PREFIX, ensure_installed, skip_reason

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))

STOCK_FETCH = "--ExchangeFactory.fetch_assignment=nbgrader.exchange.default.fetch_assignment.ExchangeFetchAssignment"


@pytest.fixture(scope="module")
def released():
    ensure_installed()
    lab = make_lab(PREFIX)
    try:
        course = lab.course
        # What `crmtrain diff --course` writes: the re-test's source and whom it is for (as the specialist).
        code = ("import shutil, sys; from pathlib import Path; c = Path(sys.argv[1]); "
                "(c / 'source' / 'retest').mkdir(); "
                "shutil.copy(c / 'source' / 'initial' / 'initial.ipynb', c / 'source' / 'retest' / 'retest.ipynb'); "
                "(c / 'audience').mkdir(mode=0o700); "
                "(c / 'audience' / 'retest.json').write_text(sys.argv[2])")
        audience = json.dumps({"assessment": "retest", "old_version": "2027.1", "new_version": "2027.2",
                               "trainees": [lab.ann]})
        lab.run(lab.spec, lab.python, "-c", code, str(course), audience)
        said = lab.crmtrain("release", "retest", "--course", str(course)).stdout
        yield lab, said
    finally:
        lab.teardown()


def test_the_one_who_learned_the_old_version_fetches_it(released):
    lab, said = released
    assert "Released retest" in said
    lab.nbgrader(lab.ann, "fetch_assignment", "retest", "--course", COURSE_ID)
    assert lab.sh(lab.ann, "test -s retest/retest.ipynb && echo ok").stdout.strip() == "ok"


def test_anyone_else_is_told_it_is_not_theirs(released):
    lab, _said = released
    refused = lab.nbgrader(lab.eve, "fetch_assignment", "retest", "--course", COURSE_ID, check=False)
    assert refused.returncode != 0
    assert "is for the trainees who learned version 2027.1 of the regulation" in refused.stdout + refused.stderr


def test_neither_stock_nbgrader_nor_a_shell_can_read_it_for_them(released):
    lab, _said = released
    outbound = lab.site.exchange / COURSE_ID / "outbound" / "retest"
    stock = lab.nbgrader(lab.eve, "fetch_assignment", "retest", "--course", COURSE_ID, STOCK_FETCH, check=False)
    assert stock.returncode != 0 and lab.sh(lab.eve, "test -e retest && echo got", check=False).stdout == ""
    shell = lab.sh(lab.eve, f"cat {outbound}/retest.ipynb", check=False)
    assert shell.returncode != 0 and "Permission denied" in shell.stderr
    assert lab.sh(lab.bob, f"ls {outbound}", check=False).returncode != 0  # nor anyone else not listed
