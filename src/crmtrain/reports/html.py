"""A self-contained HTML report: inline CSS, inline SVG charts, a few lines of inline JS to filter tables.

Nothing is fetched from the network, so the file can be mailed or opened on a machine
without internet access.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pandas as pd

from ..kinds.assessments import COURSE_ASSESSMENTS, FIRST, LAST
from . import charts
from .catalog import number_format, table_of
from .people import People

MAX_ROWS = 2000  # per table; the CSV/XLSX files always hold every row
LONG = {"text", "title", "section_title", "flag", "note", "advice", "items", "refs"}  # columns whose cells may wrap
HEATMAP_ROWS = 40

CSS = """
body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:1200px;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.charts{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.charts svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.2rem .45rem}
th{background:#ddebf7;position:sticky;top:0}td{white-space:nowrap}td.num{text-align:right}
td.long{white-space:normal;min-width:14rem;max-width:28rem}.wrap{max-height:32rem;overflow:auto}
td.pass{background:#c6efce}td.fail{background:#ffc7ce}td.pending{background:#ffeb9c}td.missing{background:#ededed}
td.flag:not(:empty){background:#ffc7ce}.neg{color:#c00}.note{color:#666;font-size:.85rem}
input.filter{margin:.3rem 0;padding:.2rem;width:16rem}
"""
JS = """
document.querySelectorAll('input.filter').forEach(function(box){
  box.addEventListener('input', function(){
    var q = box.value.toLowerCase();
    document.getElementById(box.dataset.table).querySelectorAll('tbody tr').forEach(function(tr){
      tr.style.display = tr.textContent.toLowerCase().indexOf(q) < 0 ? 'none' : '';
    });
  });
});
"""


def cell(value, column: str, people: People | None = None, table: str = "") -> str:
    """One ``<td>``, said for ``people`` and classed by its column."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value is pd.NA:
        return "<td></td>"
    people = people or People()
    fmt = number_format(column) or ""
    cls = []
    if column.endswith("_result") and value in ("pass", "fail", "pending", "missing"):
        cls.append(str(value))
    if column == "flag":
        cls.append("flag")
    if column in LONG:
        cls.append("long")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cls.append("num")
        if column == "change" and value < 0:
            cls.append("neg")
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    text = "" if isinstance(value, bool) and not value else people.text(table, column, value)
    attr = f' class="{" ".join(cls)}"' if cls else ""
    return f"<td{attr}>{escape(text)}</td>"


def frame_html(df: pd.DataFrame, max_rows: int = MAX_ROWS, table_id: str = "", people: People | None = None,
               table: str = "") -> str:
    """A bare ``<table>`` of the first ``max_rows`` rows, said for ``people`` (needs :data:`CSS`)."""
    people = people or People()
    cols = [str(c) for c in df.columns]
    rows = "".join("<tr>" + "".join(cell(v, c, people, table) for v, c in zip(row, cols)) + "</tr>"
                   for row in df.head(max_rows).astype(object).itertuples(index=False, name=None))
    ident = f' id="{escape(table_id)}"' if table_id else ""
    return (f"<table{ident}><thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in people.headers(table, cols))
            + f"</tr></thead><tbody>{rows}</tbody></table>")


def table_html(name: str, df: pd.DataFrame, max_rows: int = MAX_ROWS, people: People | None = None) -> str:
    """A filterable table (the first ``max_rows`` rows) with its heading and description; its id columns
    left out where a column beside them says the same in words."""
    people = people or People()
    _ = people._
    df = df.drop(columns=[c for c in table_of(name).ids if c in df])
    note = (f'<p class="note">{escape(_("Showing {shown} of {rows} rows; the CSV and XLSX files have all of them.").format(shown=max_rows, rows=len(df)))}</p>'
            if len(df) > max_rows else "")
    empty = f'<p class="note">{escape(_("Nothing to show yet."))}</p>' if df.empty else ""
    title = people.title(name)
    return (f'<h2 id="{name}">{escape(title)}</h2>'
            f'<p>{escape(people.description(name))}</p>{note}{empty}'
            f'<input class="filter" data-table="t-{name}" placeholder="{escape(_("Filter rows…"))}" '
            f'aria-label="{escape(_("Filter: {table}").format(table=title))}">'
            f'<div class="wrap">{frame_html(df, max_rows, f"t-{name}", people, name)}</div>')


def scoped_css(scope: str) -> str:
    """:data:`CSS` with every selector put under ``scope`` (for notebook outputs, whose CSS is page-wide)."""
    rules = []
    for rule in CSS.strip().split("}"):
        if "{" in rule:
            sel, body = rule.split("{", 1)
            sel = ",".join(scope if s.strip() == "body" else f"{scope} {s.strip()}" for s in sel.split(","))
            rules.append(f"{sel}{{{body}}}")
    return "".join(rules)


def chart_svgs(tables: dict[str, pd.DataFrame], marks: dict[str, float],
               heatmap_rows: int = HEATMAP_ROWS, people: People | None = None) -> dict[str, str]:
    """The charts by name: score histogram, initial vs follow-up per trainee, topic heat map (when there is data)."""
    people = people or People()
    t = tables["trainees"]
    scores = {a: t[f"{a}_score"].astype(float) for a in COURSE_ASSESSMENTS
              if f"{a}_score" in t and t[f"{a}_score"].notna().any()}
    out = {"histogram": charts.histogram(scores, marks, people=people)}
    if FIRST in scores and LAST in scores and FIRST != LAST:
        out["scatter"] = charts.scatter(scores[FIRST], scores[LAST], t["name"], marks, people=people)
    matrix, title = topic_matrix(tables["topics"], heatmap_rows, people)
    if len(matrix):
        out["heatmap"] = charts.heatmap(matrix, title, people)
    return out


def topic_matrix(topics: pd.DataFrame, max_rows: int = HEATMAP_ROWS,
                 people: People | None = None) -> tuple[pd.DataFrame, str]:
    """Trainees × (test area, assessment) scores with an 'all trainees' row; only the weakest when there are many."""
    people = people or People()
    cols = [(a, f"{a}_score") for a in COURSE_ASSESSMENTS if f"{a}_score" in topics and topics[f"{a}_score"].notna().any()]
    if topics.empty or not cols:
        return pd.DataFrame(), ""
    long = pd.concat([topics.assign(assessment=a, score=topics[c]) for a, c in cols])
    areas = {t: people.word("topic", t) for t in long["topic"].astype(str).unique()}
    kinds = {a: people.assessment(a) for a, _c in cols}
    long["column"] = long["topic"].astype(str).map(areas) + "\n" + long["assessment"].map(kinds)
    order = list(dict.fromkeys(long["column"]))
    label = long["name"].astype(str) + " (" + long["trainee_id"].astype(str) + ")"
    matrix = long.assign(label=label).pivot_table(index="label", columns="column", values="score", sort=False)
    matrix = matrix.reindex(columns=order).dropna(how="all")
    title = people._("Score by test area")
    if len(matrix) > max_rows:
        matrix = matrix.loc[matrix.mean(axis=1).sort_values(kind="stable").index[:max_rows]]
        title = people._("Score by test area: the {n} weakest trainees").format(n=max_rows)
    overall = long.groupby("column", sort=False)["score"].mean().reindex(order)
    return pd.concat([overall.to_frame(people._("All trainees (mean)")).T, matrix]), title


def write_html(tables: dict[str, pd.DataFrame], path: Path, *, title: str | None = None,
               marks: dict[str, float] | None = None, generated: str | None = None, people: People | None = None) -> Path:
    """The whole report as one offline HTML file, said for ``people``; returns the path."""
    people = people or People()
    _ = people._
    title = title or _("Training report")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    marks = marks or dict(zip(tables["summary"]["assessment"], tables["summary"]["pass_mark"].astype(float)))
    nav = " · ".join(f'<a href="#{n}">{escape(people.title(n))}</a>' for n in tables)
    when = f'<p class="note">{escape(_("Made {moment}").format(moment=generated))}</p>' if generated else ""
    svgs = "".join(chart_svgs(tables, marks, people=people).values())
    body = [f"<h1>{escape(title)}</h1>{when}<nav>{nav}</nav>",
            f'<h2 id="charts">{escape(_("Charts"))}</h2><div class="charts">{svgs}</div>']
    body += [table_html(n, df, people=people) for n, df in tables.items()]
    page = (f'<!DOCTYPE html>\n<html lang="{people.lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
            f'<body>{"".join(body)}<script>{JS}</script></body></html>\n')
    path.write_text(page, encoding="utf-8")
    return path
