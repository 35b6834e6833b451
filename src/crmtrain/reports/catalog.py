"""Report tables: one frozen :class:`ReportTable` record each, in :data:`REPORT_TABLES`.

A record says what a table is called, the line that describes it, which function computes
it, the words its columns are headed with and how it is exported: ``<name>.csv``, an XLSX
sheet named after its title, a section of the HTML report, and (unless ``explore`` is off) a
filterable section of the specialist's dashboard. ``tables.compute_all`` computes the tables in
this order; the writers and the dashboard read titles, descriptions and headers from here.

Titles, descriptions and headers are msgids (English), said in the regulation's language by
:mod:`crmtrain.reports.people`. A column is headed by its table's own entry in ``headers``,
else by :data:`HEADERS`, the columns several tables share; ``{assessment}`` in a header is the
assessment's name (``initial_score``: "Initial: score, %"). The tables themselves keep their
machine names (``initial_score``): code, tests and the dashboard filter on them.

Adding a report table means one :class:`ReportTable` entry below (title, description, builder,
headers for the columns no other table has), its builder function (it receives the
:class:`crmtrain.reports.tables.Shared` results and returns a DataFrame) and its tests in
``tests/test_reports_tables.py``.

Import-free (no pandas): the dashboard notebook is built by ``crmtrain build``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..i18n import N_
from ..kinds.assessments import COURSE_ASSESSMENTS


@dataclass(frozen=True)
class ReportTable:
    """Everything the reports know about one table."""

    name: str  # its key in the tables dict, the CSV file's stem and the HTML anchor
    description: str  # msgid: one line above it in the HTML report and the dashboard
    builder: str  # "module:function" in crmtrain.reports computing it from tables.Shared
    explore: bool = True  # its own filterable section in the dashboard (the summary is shown on top)
    label: str = ""  # msgid: its title ("" : made from its name)
    headers: tuple[tuple[str, str], ...] = ()  # (column, msgid) for the columns HEADERS does not head
    # Id columns the HTML report leaves out because a column beside them says the same in words;
    # CSV and XLSX keep them under a human header, for joins and re-import.
    ids: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """Its heading (a msgid): the label, else 'retention_trainees' -> 'Retention trainees'."""
        return self.label or title_of(self.name)

    @property
    def csv_name(self) -> str:
        """The file it is exported to in CSV (a stable name: scripts and re-imports find it)."""
        return f"{self.name}.csv"

    def header(self, column: str) -> str | None:
        """The msgid heading ``column`` (None: no header is registered for it)."""
        own = dict(self.headers)
        if column in own:
            return own[column]
        if column in HEADERS:
            return HEADERS[column]
        m = ASSESSMENT_COLUMN.fullmatch(column)
        return _ASSESSMENT_HEADERS.get(m.group(2)) if m else None

    def build_function(self) -> Callable[[Any], Any]:
        """The function computing it (imported on first use: it needs pandas)."""
        module, function = self.builder.split(":")
        return getattr(importlib.import_module(f"crmtrain.reports.{module}"), function)


# Headers of the columns several tables share. "%" marks a share shown as a percentage.
HEADERS = {
    "trainee_id": N_("Login"), "name": N_("Trainee"), "assessment": N_("Assessment"), "title": N_("Title"),
    "part": N_("Part of the regulation"), "section_title": N_("Section"), "ref": N_("Item code"),
    "topic": N_("Test area"), "pass_mark": N_("Pass mark, %"), "max_points": N_("Maximum points"),
    "score": N_("Score, %"), "change": N_("Change, percentage points"), "points": N_("Points"),
    "learned": N_("Learned"), "forgotten": N_("Forgotten"), "learned_later": N_("Learned later"),
    "never_learned": N_("Never learned"), "compared": N_("Compared"), "retention": N_("Retained, %"),
    "items": N_("Question codes"), "note": N_("Note"), "advice": N_("Advice"),
}
# Per-assessment columns ("initial_score"); {assessment} is the assessment's name.
ASSESSMENT_COLUMN = re.compile(f"({'|'.join(COURSE_ASSESSMENTS)})_([a-z]+)")
_ASSESSMENT_HEADERS = {
    "points": N_("{assessment}: points"), "max": N_("{assessment}: maximum"), "score": N_("{assessment}: score, %"),
    "result": N_("{assessment}: result"), "late": N_("{assessment}: late"),
    "questions": N_("{assessment}: questions"), "facility": N_("{assessment}: answered right, %"),
}

_TABLES = (
    ReportTable("summary", N_("Each assessment: who submitted, who passed, and the score spread."),
                "tables:summary_table", explore=False, label=N_("Summary"), headers=(
                    ("title", N_("Assessment's title")), ("released", N_("Released")), ("due", N_("Due")), ("trainees", N_("Trainees")),
                    ("submitted", N_("Submitted")), ("missing", N_("Not submitted")), ("late", N_("Late")),
                    ("passed", N_("Passed")), ("failed", N_("Failed")), ("pending", N_("Awaiting grading")),
                    ("mean_score", N_("Mean score, %")), ("median_score", N_("Median score, %")),
                    ("pass_rate", N_("Passed, % of those who submitted")))),
    ReportTable("schedule", N_("Each trainee's own dates: when each assessment opened for them and when it is due "
                               "(counted from their start, their own earlier submission, or a date the specialist "
                               "moved), overdue first."), "tables:schedule_table", label=N_("Schedule"), headers=(
                    ("opens", N_("Opens")), ("due", N_("Own due date")), ("standing", N_("Standing")),
                    ("moved", N_("Moved by the specialist")), ("submitted_at", N_("Submitted")))),
    ReportTable("trainees", N_("Each trainee: score on each assessment (share of the maximum), pass/fail against its "
                               "pass mark, late and missing submissions."), "tables:trainees_table",
                label=N_("Trainees"), headers=(("missing", N_("Not submitted")), ("pending_items", N_("Answers awaiting grading")))),
    ReportTable("topics", N_("Each trainee's score by test area."), "tables:topics_table", label=N_("By test area")),
    ReportTable("parts", N_("Each trainee's score by regulation part."), "tables:parts_table",
                label=N_("By part of the regulation")),
    ReportTable("retention_trainees", N_("Regulation items tested in both assessments: learned (right both times), "
                                         "forgotten, learned later, never learned."), "tables:retention_trainees_table",
                label=N_("Retention by trainee")),
    ReportTable("retention", N_("Each trainee × regulation item tested in both assessments (per test area): learned, "
                                "forgotten, learned later or never learned; empty where it could not be compared."),
                "tables:retention_table", label=N_("Retention by item")),
    ReportTable("regulation_items", N_("Each regulation item: how often it was answered right, and how well it was "
                                       "retained."), "tables:regulation_items_table", label=N_("Regulation items"),
                headers=(("title", N_("Item")),), ids=("ref",)),
    ReportTable("item_analysis", N_("Each question and draw slot, on Moodle's quiz-statistics definitions: facility "
                                    "index, SD, random guess score, intended and effective weight, the share of the score "
                                    "variance, discrimination index (against the rest "
                                    "of the test), discriminative efficiency, the most chosen wrong answer, options "
                                    "nobody chose, and advice once there are enough answers."), "tables:item_analysis_table",
                label=N_("Item analysis"), headers=(
                    ("item", N_("Question code")), ("slot", N_("Slot code")), ("text", N_("Question")),
                    ("refs", N_("Regulation items")), ("qtype", N_("Question type")), ("points", N_("Points")),
                    ("n", N_("Answers")), ("facility", N_("Facility index, %")), ("sd", N_("Standard deviation, %")),
                    ("random_guess", N_("Random guess score, %")), ("intended_weight", N_("Intended weight, %")),
                    ("effective_weight", N_("Effective weight, %")), ("variance_share", N_("Share of the score variance, %")),
                    ("discrimination_index", N_("Discrimination index, %")),
                    ("discriminative_efficiency", N_("Discriminative efficiency, %")),
                    ("upper_facility", N_("Facility in the strongest third, %")),
                    ("lower_facility", N_("Facility in the weakest third, %")),
                    ("wrong_answer", N_("Most common wrong answer")), ("wrong_share", N_("Chose it, %")),
                    ("never_chosen", N_("Options nobody chose")), ("flag", N_("Advice"))), ids=("item", "slot")),
    ReportTable("assessment_statistics", N_("Each assessment: the totals' median, SD, skewness and kurtosis, "
                                            "Cronbach's alpha (internal consistency), error ratio and standard error of a "
                                            "score, with advice once there are enough sittings."),
                "tables:assessment_statistics_table", label=N_("Assessment statistics"), headers=(
                    ("sittings", N_("Sittings")), ("items", N_("Questions")), ("mean_points", N_("Mean points")),
                    ("median_points", N_("Median points")), ("sd_points", N_("Standard deviation, points")),
                    ("skewness", N_("Skewness")), ("kurtosis", N_("Kurtosis")), ("alpha", N_("Cronbach's alpha, %")),
                    ("error_ratio", N_("Error ratio, %")), ("standard_error", N_("Standard error, points")))),
    ReportTable("retraining", N_("Trainees whose latest result is below the pass mark, with the regulation sections and "
                                 "rules to revisit."), "tables:retraining_table", label=N_("Retraining list"), headers=(
                    ("title", N_("What to revisit")), ("wrong_items", N_("Wrong answers")),
                    ("questions", N_("Questions answered wrong"))), ids=("ref", "items")),
    ReportTable("review_plan", N_("Each trainee's regulation items to revisit (the latest answer on them was wrong) and "
                                  "the day to review each, spaced by the FSRS scheduler from how the trainee did."),
                "tables:review_plan_table", label=N_("Review plan"), headers=(
                    ("title", N_("What to revisit")), ("reason", N_("Why")), ("last_tested", N_("Last tested")),
                    ("review_on", N_("Review on")), ("interval_days", N_("Days until the review")),
                    ("then_on", N_("Next review, if right"))), ids=("ref",)),
)

REPORT_TABLES: dict[str, ReportTable] = {t.name: t for t in _TABLES}
TABLES: tuple[str, ...] = tuple(REPORT_TABLES)
DESCRIPTIONS: dict[str, str] = {t.name: t.description for t in _TABLES}


# --- how a column is shown ------------------------------------------------------------
# By its name: the Excel number format, which the HTML report and the CSV follow too.
PERCENT = re.compile(r"(^|_)(score|facility|retention|change|share|rate|sd|guess|weight|index|efficiency|alpha|ratio)$")
DECIMAL = re.compile(r"^(standard_error|mean_points|median_points|sd_points|skewness|kurtosis)$")
DAY = re.compile(r"(_on|^last_tested)$")


def number_format(column: str) -> str | None:
    """The Excel number format for a column, by its name (None: leave General)."""
    if column == "change" or column.endswith("_change"):
        return "[Color10]+0.0%;[Red]-0.0%;0.0%"
    if PERCENT.search(column):
        return "0.0%"
    if DECIMAL.match(column):
        return "0.00"
    if column == "pass_mark":
        return '0"%"'
    if column in ("due", "opens", "submitted_at"):
        return "yyyy-mm-dd hh:mm"
    if DAY.search(column):
        return "yyyy-mm-dd"
    return None


def title_of(name: str) -> str:
    """'retention_trainees' -> 'Retention trainees'."""
    return name.replace("_", " ").capitalize()


def table_of(name: str) -> ReportTable:
    """The record of a table; a table computed elsewhere (not registered) gets a bare one."""
    return REPORT_TABLES.get(name) or ReportTable(name, "", "")
