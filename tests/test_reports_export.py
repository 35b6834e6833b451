"""CSV, XLSX and HTML exports: read back, they hold exactly the tables; they open cleanly and offline."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from crmtrain.commands.report import summary_text
from crmtrain.errors import UserError
from crmtrain.reports import export, html, tables
from crmtrain.reports.data import ReportData
from crmtrain.reports.export import parse_formats, write_report
from crmtrain.reports.people import People
from crmtrain.reports.people.frames import said
from crmtrain.reports.synthetic import synthetic


@pytest.fixture(scope="module")
def data():
    d = synthetic(80, 12, seed=5, pending=0.3, missing=0.1, never=0.05)
    # Text that XML and CSV must survive: markup characters, a control character, quotes, separators.
    d.roster.loc[0, "name"] = 'Ко & <Ко> "x"; y,\x07z'
    return d


@pytest.fixture(scope="module")
def report(data):
    return tables.compute_all(data)


def assert_same(got: pd.DataFrame, want: pd.DataFrame, name: str) -> None:
    """Equal up to what a spreadsheet keeps: empty text is an empty cell, numbers are floats."""
    assert list(got.columns) == list(want.columns), name
    assert len(got) == len(want), name
    for col in want.columns:
        w, g = want[col], got[col]
        if pd.api.types.is_datetime64_any_dtype(w.dtype):
            assert (pd.to_datetime(g).fillna(pd.Timestamp(0)) == w.fillna(pd.Timestamp(0))).all(), (name, col)
        elif pd.api.types.is_numeric_dtype(w.dtype) and not pd.api.types.is_bool_dtype(w.dtype):
            np.testing.assert_allclose(g.astype(float), w.astype(float), rtol=1e-12, err_msg=f"{name}.{col}")
        else:
            norm = lambda s: [None if (v is None or v is pd.NA or v == "" or (isinstance(v, float) and np.isnan(v)))
                              else v for v in s.astype(object)]
            assert norm(g) == norm(w), (name, col)


def test_xlsx_reads_back_as_the_tables_said_for_people(tmp_path, report):
    # Sheets named by the tables' titles, headers in words, codes in words; the numbers stay exact.
    people = People()
    path = export.write_xlsx(report, tmp_path / "r.xlsx")
    back = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    sheets = people.sheets(report)
    assert list(back) == list(sheets.values()) and sheets["item_analysis"] == "Item analysis"
    for name, df in report.items():
        want = said(name, df, people)
        want.columns = people.headers(name, df.columns)
        if "Trainee" in want:  # the control character cannot be stored in XML
            want["Trainee"] = want["Trainee"].str.replace("\x07", "")
        assert_same(back[sheets[name]], want, name)
    assert set(back["Trainees"]["Initial: result"].dropna()) <= {"passed", "failed", "awaiting grading", "not submitted"}


def _fmt(ws, col: int) -> str:
    """The number format of the first filled cell of a column."""
    return next(c.number_format for c in ws.iter_rows(min_row=2, min_col=col, max_col=col) for c in c if c.value is not None)


def test_xlsx_layout_and_formats(tmp_path, report):
    from openpyxl import load_workbook

    wb = load_workbook(export.write_xlsx(report, tmp_path / "r.xlsx"))
    sheets = People().sheets(report)
    for name, df in report.items():
        ws = wb[sheets[name]]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(df.columns)).column_letter}{len(df) + 1}", name
        assert ws.cell(1, 1).font.b and ws.max_row == len(df) + 1
    ws = wb["Trainees"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    assert _fmt(ws, col["Initial: score, %"]) == "0.0%"
    assert _fmt(ws, col["Change, percentage points"]).startswith("[Color10]+0.0%")
    assert ws.column_dimensions["B"].width >= len("Trainee") + 3
    rules = {rng.sqref: [r.formula for r in rules] for rng, rules in ws.conditional_formatting._cf_rules.items()}
    result_col = ws.cell(1, col["Initial: result"]).column_letter
    assert [['"passed"'], ['"failed"'], ['"awaiting grading"'], ['"not submitted"']] == rules[
        next(k for k in rules if str(k).startswith(result_col))]
    s = wb["Summary"]
    sh = {c.value: i + 1 for i, c in enumerate(s[1])}
    assert s.cell(2, sh["Pass mark, %"]).number_format == '0"%"' and s.cell(2, sh["Due"]).is_date
    ia = wb["Item analysis"]
    ih = {c.value: i + 1 for i, c in enumerate(ia[1])}
    assert _fmt(ia, ih["Discrimination index, %"]) == "0.0%" and _fmt(ia, ih["Facility index, %"]) == "0.0%"
    st = wb["Assessment statistics"]
    sth = {c.value: i + 1 for i, c in enumerate(st[1])}
    assert _fmt(st, sth["Cronbach's alpha, %"]) == "0.0%" and _fmt(st, sth["Standard error, points"]) == "0.00"


def test_empty_tables_export(tmp_path):
    none = synthetic(0, 10)
    out = tables.compute_all(ReportData(none.results, none.assessments, none.roster, none.items))
    path = export.write_xlsx(out, tmp_path / "e.xlsx")
    back = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    assert back["Trainees"].empty and list(back["Trainees"].columns) == People().headers("trainees", out["trainees"].columns)
    assert len(back["Summary"]) == 2
    assert len(export.write_csv(out, tmp_path / "csv")) == len(out)
    html.write_html(out, tmp_path / "e.html")
    assert "Nothing to show yet" in (tmp_path / "e.html").read_text(encoding="utf-8")


def test_csv_opens_in_excel_with_numbers_rounded_for_people(tmp_path, report):
    paths = export.write_csv(report, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{n}.csv" for n in report)  # stable names for scripts
    raw = (tmp_path / "trainees.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and "Ко & <Ко>".encode() in raw
    back = pd.read_csv(tmp_path / "trainees.csv", encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    want = report["trainees"]
    assert list(back.columns) == People().headers("trainees", want.columns) and len(back) == len(want)
    assert list(back.columns[:3]) == ["Login", "Trainee", "Initial: points"]
    # A share is a percentage with one decimal (72.4, not 0.7241379); the login keeps the id for joins.
    np.testing.assert_allclose(back["Initial: score, %"], (want["initial_score"] * 100).round(1).astype(float))
    assert back["Login"].tolist() == want["trainee_id"].tolist()
    assert back["Trainee"].iloc[0] == want["name"].iloc[0]
    assert back["Not submitted"].fillna("").tolist() == [", ".join({"initial": "Initial", "followup": "Follow-up"}[a]
                                                                   for a in m.split()) for m in want["missing"]]
    text = (tmp_path / "item_analysis.csv").read_text(encoding="utf-8-sig")
    assert not re.search(r"\d\.\d{3,}", text)  # no 0.6666667: at most two decimals anywhere


def test_html_is_self_contained(tmp_path, report):
    path = html.write_html(report, tmp_path / "r.html", title="Отчёт <test>")
    text = path.read_text(encoding="utf-8")
    assert text.count("<svg") == 3  # histogram, scatter, heat map
    urls = set(re.findall(r"https?://[^\s\"')]+", text))
    assert urls <= {"http://www.w3.org/2000/svg"}  # only the SVG namespace: nothing is fetched
    assert not re.search(r"<(link|img|iframe)\b|<script[^>]+src=|@import|url\(", text)
    assert "<title>Отчёт &lt;test&gt;</title>" in text and "Ко &amp; &lt;Ко&gt;" in text
    for name in report:
        assert f'id="t-{name}"' in text
    assert 'class="fail"' in text and 'class="pass"' in text


def test_html_caps_long_tables_and_copes_without_followup(tmp_path):
    d = synthetic(60, 6, seed=1, followup=False)
    out = tables.compute_all(d)
    text = html.table_html("trainees", out["trainees"], max_rows=25)
    assert text.count("<tr>") == 26 and "Showing 25 of 60 rows" in text
    page = html.write_html(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 2  # no scatter without a follow-up


def test_heatmap_shows_the_weakest_when_there_are_many(report):
    matrix, title = html.topic_matrix(report["topics"], max_rows=10)
    assert len(matrix) == 11 and matrix.index[0] == "All trainees (mean)" and "10 weakest" in title
    means = matrix.iloc[1:].mean(axis=1)
    assert means.is_monotonic_increasing


def test_write_report_and_summary(tmp_path, data):
    paths, out = write_report(data, tmp_path / "out", parse_formats("xlsx,html"), generated="2024-06-30 12:00")
    assert [p.name for p in paths] == ["report.xlsx", "report.html"]
    assert "Made 2024-06-30 12:00" in paths[1].read_text(encoding="utf-8")
    text = summary_text(out)
    assert re.search(r"Initial: \d+/80 submitted \(\d+ late\), \d+ passed, \d+ below the 75% mark", text)
    assert "question(s) flagged" in text
    assert re.search(r"\n  Initial I\d\d: .*the key may be wrong", text)  # the planted miskeyed question
    assert re.search(r"Follow-up: \w+ consistency \(alpha \d+ %\).*points of noise", text)
    assert re.search(r"Initial: consistency not judged yet \(\d+ complete sittings; advice needs 20", text)


def test_summary_says_why_nothing_is_flagged():
    from test_reports_tables import make

    text = summary_text(tables.compute_all(make()))
    assert "no question flagged: too few answers to judge (at most 4 per question; advice needs 20 (16 more))" in text


def test_formats_are_checked():
    assert parse_formats(None) == ("csv", "xlsx", "html")
    assert parse_formats("HTML, csv") == ("csv", "html")
    with pytest.raises(UserError, match="invalid choice: 'pdf'"):
        parse_formats("csv,pdf")
    with pytest.raises(UserError):
        parse_formats(" , ")


def test_unwritable_output_is_a_user_error(tmp_path, data):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="cannot write"):
        write_report(data, blocker / "sub", ("csv",))
