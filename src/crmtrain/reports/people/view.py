""":class:`People`: one report's reader — their language, the office's time zone, the regulation's words.

Standard library only (the HTML cells and the XLSX headers are said one value at a time;
the CSV writer maps whole columns through :meth:`People.value`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping

from ...i18n import N_, numbers, translation
from ...kinds.assessments import ASSESSMENT_KINDS
from ...kinds.questions import QUESTION_KINDS
from ...kinds.slots import SLOT_KINDS
from ...grading.plumbing.timetable import STANDINGS
from ..catalog import ASSESSMENT_COLUMN, number_format, table_of

# The values of a column said in words (msgids), by column.
RESULTS = {"pass": N_("passed"), "fail": N_("failed"), "pending": N_("awaiting grading"),
           "missing": N_("not submitted")}
STATUSES = {"learned": N_("learned"), "forgotten": N_("forgotten"), "learned_later": N_("learned later"),
            "never_learned": N_("never learned")}
VALUES = {
    "topic": {"technical": N_("Working in the system"), "processes": N_("Business processes"),
              "sales": N_("Working with {clients}")},
    "part": {"summary": N_("General rules"), "order_processing": N_("Order processing"),
             "client_work": N_("Working with {clients}")},
    "reason": {"forgotten": N_("forgotten since the initial"), "never_learned": N_("wrong both times"),
               "missed": N_("answered wrong")},
    "wrong_answer": {"true": N_("True"), "false": N_("False")},  # a true/false question's answer
    "standing": dict(STANDINGS),  # a trainee's standing on an assessment (crmtrain.rules.schedule)
    "qtype": {**{k.name: k.label for k in QUESTION_KINDS.values()}, **{k.row_type: k.label for k in SLOT_KINDS.values()}},
}
YES, NO = N_("yes"), N_("no")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


class People:
    """How the specialist and management read a report: ``lang``, ``timezone``, the company's ``words``."""

    def __init__(self, lang: str = "en", timezone: str | None = None, items: Mapping[str, str] | None = None,
                 words: Mapping | None = None) -> None:
        self.lang, self.timezone = lang, timezone
        self.items = dict(items or {})  # regulation item id -> its title (the retention table's columns)
        self.tr = translation(lang, dict(words) if words else None)

    def _(self, msgid: str) -> str:
        return self.tr.gettext(msgid)

    # --- names of things ---------------------------------------------------------------
    def title(self, name: str) -> str:
        """The table's title."""
        return self._(table_of(name).title)

    def description(self, name: str) -> str:
        """The line describing the table ('' for an unregistered one)."""
        text = table_of(name).description
        return self._(text) if text else ""

    def sheets(self, names: Iterable[str]) -> dict[str, str]:
        """Each table's XLSX sheet name: its title, as Excel allows it (31 characters, no []:*?/\\), unique."""
        out: dict[str, str] = {}
        for name in names:
            base = _SHEET_BAD.sub(" ", self.title(name)).strip()[:31] or name[:31]
            sheet, n = base, 2
            while sheet.lower() in {s.lower() for s in out.values()}:
                sheet, n = f"{base[:27]} ({n})", n + 1
            out[name] = sheet
        return out

    def assessment(self, name: str) -> str:
        """An assessment by its kind's name: 'Initial' ('Входное тестирование')."""
        kind = ASSESSMENT_KINDS.get(name)
        label = self._(kind.label) if kind else name
        return label[:1].upper() + label[1:]

    def header(self, name: str, column: str) -> str:
        """The words heading ``column`` of table ``name``."""
        msgid = table_of(name).header(column)
        if msgid is not None:
            m = ASSESSMENT_COLUMN.fullmatch(column)
            return self._(msgid).format(assessment=self.assessment(m.group(1)) if m else "")
        ref, _slash, topic = column.partition("/")
        if ref in self.items:  # the retention table: one column per regulation item (and test area)
            title = self.items[ref]
            return f"{title} ({self.word('topic', topic)})" if topic else title
        return column.replace("_", " ").capitalize()

    def headers(self, name: str, columns: Iterable[str]) -> list[str]:
        """The headers of a table's columns, made unique (two items may share a title)."""
        out: list[str] = []
        for column in columns:
            text, n = self.header(name, str(column)), 2
            while text in out:
                text, n = f"{self.header(name, str(column))} ({n})", n + 1
            out.append(text)
        return out

    # --- values ------------------------------------------------------------------------
    def word(self, column: str, value: str) -> str:
        """A value of a word column in words ('' stays ''; an unknown value is shown as it is)."""
        if value == "":
            return ""
        if column in ("assessment", "missing"):
            return ", ".join(self.assessment(a) for a in value.split())
        if column == "refs":
            return "; ".join(self.items.get(r, r) for r in value.split())
        if column == "result" or column.endswith("_result"):
            msgid = RESULTS.get(value)
        else:
            msgid = VALUES.get(column, {}).get(value) or STATUSES.get(value)
        return self._(msgid) if msgid else value

    def says_in_words(self, name: str, column: str) -> bool:
        """Whether the column's values are words to translate (else numbers, dates or free text)."""
        return (column in VALUES or column in ("assessment", "missing", "refs", "result") or column.endswith("_result")
                or (name == "retention" and column not in ("trainee_id", "name")))

    def value(self, name: str, column: str, value):
        """One value as people read it in a spreadsheet: words for codes and flags; numbers and dates as they are."""
        if isinstance(value, bool):
            return self._(YES) if value else self._(NO)
        if isinstance(value, str) and self.says_in_words(name, column):
            return self.word(column, value)
        return value

    def text(self, name: str, column: str, value) -> str:
        """One value as text, the way the HTML report shows it: rounded, in the language's style."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        said = self.value(name, column, value)
        if isinstance(said, str):
            return said
        fmt = number_format(column) or ""
        if isinstance(said, dt.datetime):
            return numbers.moment(said, self.lang, self.timezone) if "hh" in fmt else numbers.date(said, self.lang)
        if isinstance(said, dt.date):
            return numbers.date(said, self.lang)
        if "%" in fmt and column != "pass_mark":
            return numbers.percent(said, self.lang, signed=fmt.startswith("[Color"))
        return numbers.number(said, self.lang)

    def when(self, moment: dt.datetime) -> dt.datetime:
        """A moment (naive: UTC) on the office's clock."""
        return numbers.local(moment, self.timezone)
