"""The drill-kind registry: every kind has its widget, its rule engine and its place in a workbook."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from crmtrain.i18n import translation
from crmtrain.kinds.drills import DRILL_KINDS
from crmtrain.runtime.drills import DRILLS, Drill

ROOT = Path(__file__).resolve().parents[1]


def test_every_drill_kind_has_a_widget_and_a_rule_engine():
    assert list(DRILLS) == list(DRILL_KINDS)
    for name, kind in DRILL_KINDS.items():
        assert issubclass(DRILLS[name], Drill) and DRILLS[name].__name__ == kind.widget
        assert importlib.import_module(f"crmtrain.rules.{kind.engine}")


@pytest.mark.parametrize("folder", ["workbooks", "examples/ru/workbooks"])
def test_every_drill_kind_is_placed_in_the_built_workbooks_under_its_heading(folder):
    tr = translation("ru" if "ru" in folder else "en")
    placed: dict[str, list[str]] = {}
    for path in sorted((ROOT / folder).glob("0*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for before, cell in zip(cells, cells[1:]):
            kind = cell["metadata"].get("crmtrain", {}).get("drill")
            if kind:
                placed.setdefault(kind, []).append("".join(before["source"]))
    assert set(placed) == set(DRILL_KINDS)
    for name, headings in placed.items():
        assert all(h.startswith(f"#### {tr.gettext(DRILL_KINDS[name].heading)}") for h in headings)


def test_a_kind_drawing_from_one_of_several_parts_has_its_pick_and_its_message():
    # A slot picks one part of such a kind by a field of the kind's name ('case: process' with 'process: id');
    # the regulation's checks say an unknown pick in the kind's own words.
    from crmtrain.kinds.drills import drill_for
    from crmtrain.regulation.models import PICKS, Slot

    several = {name for name, kind in DRILL_KINDS.items() if kind.drills.endswith("[]")}
    assert several and set(PICKS) == several
    for name in several:
        assert name in Slot.model_fields and "{id}" in DRILL_KINDS[name].unknown and "{known}" in DRILL_KINDS[name].unknown
    for kind in DRILL_KINDS.values():
        assert drill_for(kind.drills.removesuffix("[]")) is kind  # one kind per part: the builders place it there
    assert drill_for("client_work.conversion") is None
