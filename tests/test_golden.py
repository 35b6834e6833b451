"""Every committed generated file is what the current code generates.

The samples' builds (``workbooks/`` and ``assignments/`` for the English sample, the same under
``examples/NAME/`` for the others, as ``crmtrain build`` writes them) and the compiled gettext
catalogs. When one is stale the test
names it and says to run ``make golden``, which refreshes them all (``--update-golden``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from golden import GoldenSet, texts

from crmtrain.commands.build import COURSE, DASHBOARD, WORKBOOKS, build_files
from crmtrain.regulation.loader import load
from crmtrain.samples import SAMPLES, sample_path

ROOT = Path(__file__).resolve().parents[1]
# Where each sample's committed build lives: the English one at the top, as a user's would.
BUILDS = {name: ROOT if name == "en" else ROOT / "examples" / name for name in SAMPLES}
OWNED = ((WORKBOOKS, "*.ipynb"), (f"{COURSE}/source", "**/*"), (COURSE, "nbgrader_config.py"), (COURSE, "crmtrain.json"),
         (COURSE, DASHBOARD))


@pytest.mark.parametrize("name", BUILDS)
def test_the_committed_build_of_each_sample_is_fresh(golden, name):
    files = build_files(load(sample_path(name)), f"sample:{name}")
    golden.check(GoldenSet(BUILDS[name], texts(files), OWNED))


def test_the_compiled_catalogs_are_fresh(golden):
    from babel.messages.mofile import read_mo

    from crmtrain.i18n import LOCALE_DIR
    from crmtrain.i18n.catalogs import compile_po, po_files

    def messages(data: bytes) -> dict:
        # Babel's byte layout may change between its versions; what gettext reads may not.
        return {(_frozen(m.id), m.context): _frozen(m.string) for m in read_mo(io.BytesIO(data))}

    fresh = {po.with_suffix(".mo").relative_to(LOCALE_DIR).as_posix(): compile_po(po) for po in po_files()}
    golden.check(GoldenSet(LOCALE_DIR, fresh, same=lambda name, old, new: messages(old) == messages(new)))


def _frozen(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_a_stale_missing_or_left_over_file_is_named_and_refreshed(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.ipynb").write_bytes(b"old")
    (tmp_path / "out" / "gone.ipynb").write_bytes(b"from an older build")
    (tmp_path / "out" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "out" / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_bytes(b"JupyterLab's")
    files = GoldenSet(tmp_path, {"out/a.ipynb": b"new", "out/b.ipynb": b"b"}, (("out", "*.ipynb"),))
    assert files.stale() == {"out/a.ipynb": "differs from a fresh build", "out/b.ipynb": "missing",
                             "out/gone.ipynb": "no longer generated"}
    assert files.refresh() == {"out/a.ipynb": "written", "out/b.ipynb": "written",
                               "out/gone.ipynb": "deleted (no longer generated)"}
    assert files.stale() == {}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".ipynb_checkpoints", "a.ipynb", "b.ipynb"]
