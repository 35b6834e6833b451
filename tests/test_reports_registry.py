"""The report-table registry: each record's builder computes its table, and every export follows the records."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from crmtrain.reports import dashboard, tables
from crmtrain.reports.catalog import REPORT_TABLES, TABLES, ReportTable, table_of
from crmtrain.reports.data import validate
from crmtrain.reports.export import item_titles, write_report
from crmtrain.reports.people import People
from crmtrain.reports.synthetic import synthetic

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def data():
    return validate(synthetic(20, 8, seed=7, pending=0.2))


def test_each_record_builds_its_table_from_the_shared_results(data):
    shared = tables.Shared(data)
    computed = tables.compute_all(data)
    assert list(computed) == list(TABLES) == list(REPORT_TABLES)
    for name, record in REPORT_TABLES.items():
        assert isinstance(record, ReportTable) and record.description and record.title
        built = record.build_function()(shared)
        assert isinstance(built, pd.DataFrame)
        pd.testing.assert_frame_equal(built, computed[name])


def test_the_exports_are_named_after_the_records(data, tmp_path):
    paths, _ = write_report(data, tmp_path, generated="2027-01-01 10:00")
    assert sorted(p.name for p in paths) == sorted([*(t.csv_name for t in REPORT_TABLES.values()),
                                                   "report.xlsx", "report.html"])
    with zipfile.ZipFile(tmp_path / "report.xlsx") as z:
        book = z.read("xl/workbook.xml").decode()
    assert all(f'name="{escape(t.title)}"' in book for t in REPORT_TABLES.values())
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for t in REPORT_TABLES.values():
        assert f'<h2 id="{t.name}">{escape(t.title)}</h2><p>{escape(t.description)}</p>' in page


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_column_of_every_table_has_a_header_in_words(data, lang):
    # A table added to the registry brings the headers of its own columns, in the catalogs.
    items = item_titles(data)  # the retention table has a column per regulation item, headed by its title
    people = People(lang, items=items)
    for name, df in tables.compute_all(data).items():
        record = REPORT_TABLES[name]
        missing = [c for c in df.columns if record.header(str(c)) is None and str(c).split("/")[0] not in items]
        assert not missing, f"{name}: no header for {missing}"
        headers = people.headers(name, df.columns)
        assert len(set(headers)) == len(headers) and all(h and "_" not in h for h in headers), (name, headers)
        if lang == "ru":  # (the items' titles are the synthetic regulation's, in English)
            ours = [h for c, h in zip(df.columns, headers) if record.header(str(c))]
            assert not [h for h in ours if re.search("[A-Za-z]{2}", h)], (name, ours)


def test_the_dashboard_explores_every_table_the_records_say():
    nb = dashboard.build_dashboard(demo_trainees=5)
    explored = [c.source.split("'")[1] for c in nb.cells if c.cell_type == "code" and "dash.explore(tables," in c.source]
    assert explored == [t.name for t in REPORT_TABLES.values() if t.explore]
    assert not REPORT_TABLES["summary"].explore  # shown at the top of the dashboard instead


def test_an_unregistered_table_is_still_exported_under_its_name():
    t = table_of("my_extra_table")
    assert (t.csv_name, t.title, t.description) == ("my_extra_table.csv", "My extra table", "")
    assert People("ru").sheets(["my_extra_table"]) == {"my_extra_table": "My extra table"}


def test_the_catalog_stays_free_of_pandas():
    code = "import sys, crmtrain.reports.catalog; print('pandas' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "False"
