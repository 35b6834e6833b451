"""Report tables: one frozen :class:`ReportTable` record each, in :data:`REPORT_TABLES`.

A record says what a table is called, the line that describes it, which function computes
it and how it is exported: ``<name>.csv``, an XLSX sheet named after it, a section of the HTML
report, and (unless ``explore`` is off) a filterable section of the specialist's dashboard.
``tables.compute_all`` computes the tables in this order; the writers and the dashboard read
names, titles and descriptions from here.

Adding a report table means one :class:`ReportTable` entry below, its builder function (it
receives the :class:`crmtrain.reports.tables.Shared` results and returns a DataFrame) and its
tests in ``tests/test_reports_tables.py``.

Import-free (no pandas): the dashboard notebook is built by ``crmtrain build``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportTable:
    """Everything the reports know about one table."""

    name: str  # its key in the tables dict, the CSV file's stem and the HTML anchor
    description: str  # one line above it in the HTML report and the dashboard
    builder: str  # "module:function" in crmtrain.reports computing it from tables.Shared
    explore: bool = True  # its own filterable section in the dashboard (the summary is shown on top)

    @property
    def title(self) -> str:
        """Its heading: 'retention_trainees' -> 'Retention trainees'."""
        return title_of(self.name)

    @property
    def csv_name(self) -> str:
        """The file it is exported to in CSV."""
        return f"{self.name}.csv"

    @property
    def sheet(self) -> str:
        """Its XLSX sheet (Excel allows 31 characters)."""
        return self.name[:31]

    def build_function(self) -> Callable[[Any], Any]:
        """The function computing it (imported on first use: it needs pandas)."""
        module, function = self.builder.split(":")
        return getattr(importlib.import_module(f"crmtrain.reports.{module}"), function)


_TABLES = (
    ReportTable("summary", "Each assessment: who submitted, who passed, and the score spread.",
                "tables:summary_table", explore=False),
    ReportTable("trainees", "Each trainee: score on each assessment (share of the maximum), pass/fail against its "
                            "pass mark, late and missing submissions.", "tables:trainees_table"),
    ReportTable("topics", "Each trainee's score by test area.", "tables:topics_table"),
    ReportTable("parts", "Each trainee's score by regulation part.", "tables:parts_table"),
    ReportTable("retention_trainees", "Regulation items tested in both assessments: learned (right both times), "
                                      "forgotten, learned later, never learned.", "tables:retention_trainees_table"),
    ReportTable("retention", "Each trainee × regulation item tested in both assessments (per test area): learned, "
                             "forgotten, learned later or never learned; empty where it could not be compared.",
                "tables:retention_table"),
    ReportTable("regulation_items", "Each regulation item: how often it was answered right, and how well it was "
                                    "retained.", "tables:regulation_items_table"),
    ReportTable("item_analysis", "Each question and draw slot, on Moodle's quiz-statistics definitions: facility index, "
                                 "SD, random guess score, intended and effective weight, the share of the score "
                                 "variance, discrimination index (against the rest "
                                 "of the test), discriminative efficiency, the most chosen wrong answer, options "
                                 "nobody chose, and advice once there are enough answers.", "tables:item_analysis_table"),
    ReportTable("assessment_statistics", "Each assessment: the totals' median, SD, skewness and kurtosis, "
                                         "Cronbach's alpha (internal consistency), error ratio and standard error of a score, with advice once there are enough sittings.",
                "tables:assessment_statistics_table"),
    ReportTable("retraining", "Trainees whose latest result is below the pass mark, with the regulation sections and "
                              "rules to revisit.", "tables:retraining_table"),
    ReportTable("review_plan", "Each trainee's regulation items to revisit (the latest answer on them was wrong) and "
                               "the day to review each, spaced by the FSRS scheduler from how the trainee did.",
                "tables:review_plan_table"),
)

REPORT_TABLES: dict[str, ReportTable] = {t.name: t for t in _TABLES}
TABLES: tuple[str, ...] = tuple(REPORT_TABLES)
DESCRIPTIONS: dict[str, str] = {t.name: t.description for t in _TABLES}


def title_of(name: str) -> str:
    """'retention_trainees' -> 'Retention trainees'."""
    return name.replace("_", " ").capitalize()


def table_of(name: str) -> ReportTable:
    """The record of a table; a table computed elsewhere (not registered) gets a bare one."""
    return REPORT_TABLES.get(name) or ReportTable(name, "", "")
