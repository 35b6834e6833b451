"""The specialist's dashboard: a notebook (built here) whose cells call the helpers below.

:func:`build_dashboard` returns the notebook; the other public functions run inside the
specialist's kernel: load the course, compute the report tables, and show each table and
chart with ipywidgets filters. Filtering itself is the pure :func:`filter_frame`, so it is
tested without a browser.
"""

from __future__ import annotations

from pprint import pformat
from typing import TYPE_CHECKING

from ..i18n import N_, translation
from .catalog import REPORT_TABLES
from .people import People

if TYPE_CHECKING:  # pandas only at run time inside the kernel helpers: building the notebook stays light
    import pandas as pd
    from nbformat import NotebookNode

NAME = "dashboard"
# Which columns get a dropdown filter, where a table has them.
CHOICE_COLUMNS = ("assessment", "topic", "part", "section_title", "qtype", "status")
RESULT_CHOICES = ("pass", "fail", "pending", "missing")
INTRO = N_("For the responsible specialist, not for trainees. Run all cells (**Run → Run All Cells**): the first one "
           "reads the gradebook and the regulation, the others show the report tables and charts. Filter with the "
           "boxes above each table; the full tables are in the exported files.")
# Whom the helpers below speak to in the kernel: set by the dashboard's first cell (speak()).
_people = People()


def speak(lang: str = "en", timezone: str | None = None) -> None:
    """Show the tables, charts and filters in ``lang``, moments on ``timezone``'s clock."""
    global _people
    _people = People(lang, timezone)


def build_dashboard(course_dir: str | None = ".", regulation: str | None = None, *, demo_trainees: int | None = None,
                    lang: str = "en", timezone: str | None = None) -> NotebookNode:
    """The dashboard notebook in ``lang``; with ``demo_trainees`` it shows synthetic data instead of the course."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = []

    def md(text: str) -> None:
        cells.append(new_markdown_cell(text, id=f"{NAME}-{len(cells):03d}"))

    def code(text: str) -> None:
        cells.append(new_code_cell(text, id=f"{NAME}-{len(cells):03d}", metadata={"tags": ["crmtrain"]}))

    _ = translation(lang).gettext
    people = People(lang)
    md(f"# {_('Training results — specialist dashboard')}\n\n{_(INTRO)}")
    source = (f"data = dash.demo({demo_trainees})" if demo_trainees
              else f"data = dash.load({pformat(course_dir)}, {pformat(regulation)})")
    code(f"from crmtrain.reports import dashboard as dash\n\ndash.speak({lang!r}, {timezone!r})\n{source}\n"
         "tables = dash.compute(data)\ndash.show_summary(tables)")
    md(f"## {_('Charts')}\n\n{_('Score distribution with the pass marks, and each trainee’s initial against follow-up score.')}")
    code("dash.show_charts(tables)")
    md(f"## {_('Score by test area')}\n\n{_('The weakest trainees first; type part of a name to find someone.')}")
    code("dash.explore_heatmap(tables)")
    for table in REPORT_TABLES.values():
        if table.explore:
            md(f"## {people.title(table.name)}\n\n{people.description(table.name)}")
            code(f"dash.explore(tables, {table.name!r})")
    md(f"## {_('Export')}\n\n{_('Write the same tables as CSV, XLSX and an offline HTML report.')}")
    code('dash.export(data, "report")')
    nb = new_notebook(cells=cells)
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata.language_info = {"name": "python"}
    nb.metadata.crmtrain = {"notebook": NAME, "audience": "specialist"}
    return nb


# --- in the specialist's kernel -------------------------------------------------------------


def load(course_dir: str, regulation: str | None = None):
    """ReportData from the course folder and the regulation (a path, sample:en/ru or None).

    Before anything is graded there is no gradebook: say so, and show synthetic data so the
    specialist can still see what the dashboard will offer.
    """
    from ..errors import UserError
    from ..regulation.loader import load as load_regulation
    from ..samples import resolve
    from .from_gradebook import course_root, load_report_data

    try:
        return load_report_data(course_root(course_dir), load_regulation(resolve(regulation)))
    except UserError as exc:
        _display_html(f"<p><b>{_escape(str(exc))}</b></p><p>" + _escape(_people._(
            "Showing synthetic example data until the first assessment is graded (crmtrain release, collect, "
            "grade).")) + "</p>")
        return demo()


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def demo(trainees: int = 200):
    """Synthetic data, to try the dashboard before anyone has submitted."""
    from .synthetic import synthetic

    return synthetic(trainees)


def compute(data) -> dict[str, pd.DataFrame]:
    """Every report table."""
    from .data import validate
    from .tables import compute_all

    return compute_all(validate(data))


def _display_html(text: str) -> None:
    from IPython.display import HTML, display

    from .html import scoped_css

    display(HTML(f"<style>{scoped_css('.crm-report')}</style><div class='crm-report'>{text}</div>"))


def show_summary(tables: dict[str, pd.DataFrame]) -> None:
    """The per-assessment summary table."""
    from .html import frame_html

    _display_html(frame_html(tables["summary"], people=_people, table="summary"))


def show_charts(tables: dict[str, pd.DataFrame]) -> None:
    """Histogram and scatter (the heat map has its own filters)."""
    from .html import chart_svgs

    marks = dict(zip(tables["summary"]["assessment"], tables["summary"]["pass_mark"].astype(float)))
    svgs = chart_svgs(tables, marks, people=_people)
    _display_html('<div class="charts">' + svgs["histogram"] + svgs.get("scatter", "") + "</div>")


def filter_frame(df: pd.DataFrame, text: str = "", choices: dict[str, str] | None = None,
                 result: str = "", flagged: bool = False) -> pd.DataFrame:
    """Rows containing ``text`` (any column, case-insensitive), matching every chosen column value,
    with ``result`` in any ``*_result`` column, and (``flagged``) a non-empty flag."""
    import pandas as pd

    keep = pd.Series(True, index=df.index)
    for col, value in (choices or {}).items():
        if value and col in df:
            keep &= df[col].astype(str) == value
    if result:
        cols = [c for c in df.columns if str(c).endswith("_result")]
        if cols:
            keep &= df[cols].astype(str).eq(result).any(axis=1)
    if flagged and "flag" in df:
        keep &= df["flag"].astype(str) != ""
    if text:
        words = df.select_dtypes(exclude="number").astype(str)
        keep &= words.apply(lambda s: s.str.contains(text, case=False, regex=False)).any(axis=1)
    return df[keep]


def explore(tables: dict[str, pd.DataFrame], name: str, rows: int = 50) -> None:
    """Show one table with its filters (see :func:`explore_widget`)."""
    from IPython.display import display

    display(explore_widget(tables, name, rows))


def explore_widget(tables: dict[str, pd.DataFrame], name: str, rows: int = 50):
    """One table with a search box, dropdowns for its categorical columns, a result filter and a row limit."""
    import ipywidgets as w

    from .html import frame_html

    df, say, _ = tables[name], _people, _people._
    search = w.Text(placeholder=_("search…"), description=_("Find"))
    drops = {c: w.Dropdown(options=[(_("all"), "")] + [(say.text(name, c, str(v)), str(v))
                                                       for v in sorted(df[c].astype(str).unique()) if v],
                           description=say.header(name, c)) for c in CHOICE_COLUMNS if c in df}
    result = w.Dropdown(options=[(_("any"), "")] + [(say.word("result", r), r) for r in RESULT_CHOICES],
                        description=_("result"))
    flagged = w.Checkbox(description=_("flagged only"), value=False)
    limit = w.IntSlider(value=rows, min=10, max=1000, step=10, description=_("rows"))
    out = w.Output()
    controls = [search, *drops.values()]
    if any(str(c).endswith("_result") for c in df.columns):
        controls.append(result)
    if "flag" in df:
        controls.append(flagged)
    controls.append(limit)

    def refresh(*_event):
        shown = filter_frame(df, search.value, {c: d.value for c, d in drops.items()}, result.value, flagged.value)
        out.clear_output(wait=True)
        with out:
            _display_html(f'<p class="note">{_("{shown} of {rows} rows").format(shown=len(shown), rows=len(df))}</p>'
                          + frame_html(shown, limit.value, people=say, table=name))

    for c in controls:
        c.observe(refresh, names="value")
    refresh()
    return w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), out])


def explore_heatmap(tables: dict[str, pd.DataFrame]) -> None:
    """Show the topic heat map with its filters (see :func:`heatmap_widget`)."""
    from IPython.display import display

    display(heatmap_widget(tables))


def heatmap_widget(tables: dict[str, pd.DataFrame]):
    """The topic heat map with a name filter and a row count."""
    import ipywidgets as w

    from . import charts
    from .html import topic_matrix

    _ = _people._
    search = w.Text(placeholder=_("part of a name…"), description=_("Find"))
    limit = w.IntSlider(value=30, min=5, max=200, step=5, description=_("trainees"))
    out = w.Output()

    def refresh(*_event):
        topics = tables["topics"]
        if search.value:
            topics = topics[topics["name"].astype(str).str.contains(search.value, case=False, regex=False)
                            | topics["trainee_id"].astype(str).str.contains(search.value, case=False, regex=False)]
        matrix, title = topic_matrix(topics, limit.value, _people)
        out.clear_output(wait=True)
        with out:
            _display_html(charts.heatmap(matrix, title, _people) if len(matrix)
                          else f'<p class="note">{_("No scores yet.")}</p>')

    search.observe(refresh, names="value")
    limit.observe(refresh, names="value")
    refresh()
    return w.VBox([w.HBox([search, limit]), out])


def export(data, out_dir: str = "report", formats: str = "csv,xlsx,html") -> None:
    """Write the report files next to the notebook and list them."""
    from .export import parse_formats, write_report

    paths, _tables = write_report(data, out_dir, parse_formats(formats), lang=_people.lang, timezone=_people.timezone)
    for p in paths:
        print(_people._("wrote {path}").format(path=p))
