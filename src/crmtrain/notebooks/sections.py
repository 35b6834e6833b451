"""Markdown for each regulation section: text, flowcharts, tables.

Each function returns the markdown parts of one cell; the workbook decides where they go.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..regulation.models import Process, Topic
from ..rules.calendar import counts_working_time, describe_deadline
from ..rules.conditions import describe_condition
from ..i18n import deadline_text
from ..kinds.drills import DRILL_KINDS, drill_for
from ..rules.calendar import UNITS
from .diagrams import fence, flowchart, state_diagram
from .markup import image, indent, link, rich_table, table

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def summary_topic(ctx, topic: Topic) -> list[str]:
    """A summary topic: its text, its blocks as sub-headings, links and pictures."""
    parts = [f"## {topic.title}", topic.body]
    for block in topic.blocks:
        parts += [f"### {block.title}", block.body]
    if topic.links:
        parts.append(f"**{ctx._('Links')}:** " + " · ".join(link(item.title, item.url) for item in topic.links))
    parts += [image(img.alt, img.path) for img in topic.images]
    return parts


def process_section(ctx, proc: Process) -> list[str]:
    """A process: description, flowchart, and the steps as a list for reading without the diagram.

    A list, not a table: step instructions are Markdown and may hold lists, tables and
    several paragraphs, which a table cell cannot.
    """
    _ = ctx._
    names = {x.id: x.label for x in proc.steps}
    entries = []
    for s in (s for s in proc.steps if s.kind not in ("start", "end")):
        parts = [f"{len(entries) + 1}. **{s.label}**" + (f" — *{s.role}*" if s.role else "")]
        if s.instructions.strip():
            parts.append(indent(s.instructions, 3))
        if s.kind == "decision":
            parts.append("\n".join(f"   - {b.label} → {names[b.next]}" for b in s.branches))
        entries.append("\n\n".join(parts))
    return [
        f"## {proc.title}",
        proc.description,
        fence(flowchart(proc)),
        f"### {_('Steps and how to do them in the CRM')}",
        "\n\n".join(entries),
    ]


@dataclass
class Section:
    """A client-work section: its id (for questions), markdown parts, and an optional drill."""

    id: str
    text: list[str]
    drill: tuple[str, dict] | None = None  # (drill kind, its spec)


def drill_of(kind: str, part) -> tuple[str, dict]:
    """A drill of ``kind`` on a regulation part: the kind and the JSON spec its rule engine reads."""
    return kind, part.model_dump(mode="json", by_alias=DRILL_KINDS[kind].by_alias)


def drill_on(where: str, part) -> tuple[str, dict] | None:
    """The drill on the regulation part at ``where`` ("client_work.lead_classification"), as the
    drill registry says which kind draws from it; None when none does."""
    kind = drill_for(where)
    return None if kind is None else drill_of(kind.name, part)


def _labels(ctx) -> dict:
    _ = ctx._
    labels: dict = {"yes": _("yes"), "no": _("no"), "any": _("any"), "or": _("or"),
                    "thousands": "\u00a0", "decimal": "," if ctx.lang == "ru" else "."}
    for unit in UNITS:
        labels[unit] = lambda n, unit=unit: deadline_text(ctx.tr, unit, n)
    return labels


def client_work_sections(ctx) -> list[Section]:
    """The client-work sections in the article's order (one per deal pipeline), with drills where rules allow them."""
    _, cw = ctx._, ctx.reg.client_work
    labels = _labels(ctx)

    lc = cw.lead_classification
    crit = {c.name: c for c in lc.criteria}
    classes = {c.id: c for c in lc.classes}
    # Rules by their row number (ids are internal); their notes say why, as the format promises.
    notes = any(r.note for r in lc.rules)
    rule_rows = [[str(n), *[describe_condition(crit[c.name].model_dump(mode="json"),
                                               r.when[c.name], labels) if c.name in r.when else "—"
                            for c in lc.criteria], f"**{classes[r.then].name}**", *([r.note] if notes else [])]
                 for n, r in enumerate(lc.rules, 1)]
    leads = Section(lc.id, [
        f"## {lc.title}", lc.body,
        rich_table([_("Class"), _("What it means"), _("What to do")], [[c.name, c.description, c.action] for c in lc.classes]),
        f"### {_('The classification table')}",
        _("Go down the rules in order: the first rule whose conditions all hold gives the class. A dash means any value."),
        table([_("Rule"), *[c.label + (f", {c.unit}" if c.unit else "") for c in lc.criteria], _("Class"),
               *([_("Why")] if notes else [])], rule_rows),
    ], drill_on("client_work.lead_classification", lc))

    pr = cw.proposal
    proposal = Section(pr.id, [f"## {pr.title}", pr.body,
                               rich_table([_("Case"), _("Where to take it"), _("Who approves")],
                                     [[s.case, s.source, s.approver or "—"] for s in pr.sources])])

    ct = cw.contact_timing
    timing = Section(ct.id, [
        f"## {ct.title}", ct.body, working_time(ctx, ct),
        rich_table([_("Event"), _("What to do"), _("Deadline")],
              [[r.event, r.action, describe_deadline(r.deadline.model_dump(exclude_none=True), labels)] for r in ct.rules]),
    ], drill_on("client_work.contact_timing", ct))

    cv = cw.conversion
    conversion = Section(cv.id, [f"## {cv.title}", cv.body, "\n".join(f"- [ ] {c.text}" for c in cv.criteria)])

    pipelines = [pipeline_section(ctx, pl) for pl in cw.deal_pipelines]

    tk = cw.tasks
    attach = {"lead": _("{lead}"), "contact": _("contact"), "company": _("company"), "deal": _("{deal}")}
    tasks = Section(tk.id, [f"## {tk.title}", tk.body,
                            rich_table([_("When"), _("{Task}"), _("Attach to"), _("Due")],
                                  [[r.when, r.task, attach[r.attach_to], r.due or "—"] for r in tk.rules])])
    return [leads, proposal, timing, conversion, *pipelines, tasks]


def pipeline_section(ctx, pl) -> Section:
    """A deal pipeline: its state diagram, statuses, allowed transitions and its drill."""
    _ = ctx._
    fields = {f.id: f.label for f in pl.fields}
    names = {s.id: s.name for s in pl.statuses}
    return Section(pl.id, [
        f"## {pl.title}", pl.body,
        fence(state_diagram(pl, fields)),
        rich_table([_("Status"), _("Meaning")], [[s.name, s.description] for s in pl.statuses]),
        f"### {_('Allowed transitions and what to fill in first')}",
        rich_table([_("From"), _("To"), _("Fill in first"), _("Note")],
                   [[names[t.source], names[t.to], ", ".join(fields[f] for f in t.requires) or "—", t.note or ""]
                    for t in pl.transitions]),
    ], drill_on("client_work.deal_pipelines", pl))


def zone_text(name: str, on) -> str:
    """A time zone as people read it: its offset from UTC on the date ``on`` ("UTC+3"), not an IANA name."""
    import datetime as dt
    import zoneinfo

    try:
        offset = dt.datetime.combine(on, dt.time(12)).replace(tzinfo=zoneinfo.ZoneInfo(name)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return name
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
    return "UTC" if not minutes else f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def working_time(ctx, ct) -> str:
    """The calendar in words: the working days and hours, holidays, extra working days, how deadlines run."""
    _, cal = ctx._, ct.calendar
    day_names = weekday_names(_)
    holidays = ", ".join(ctx.date(d) for d in cal.holidays) or "—"
    tz = zone_text(cal.timezone, ctx.reg.meta.effective_date)
    if not cal.hours:
        days = ", ".join(day_names[d] for d in WEEKDAYS if d in cal.workdays)
        text = _("Working time: {days}, {opens}–{closes} ({tz}). Holidays: {holidays}. Deadlines count working time "
                 "only: the clock stops at closing time, at weekends and on holidays.").format(
            days=days, opens=cal.opens, closes=cal.closes, tz=tz, holidays=holidays)
    else:
        spans: dict[tuple[str, str], list[str]] = {}
        for d in (d for d in WEEKDAYS if d in cal.workdays):
            own = cal.hours.get(d)
            spans.setdefault((own.opens, own.closes) if own else (cal.opens, cal.closes), []).append(day_names[d])
        hours = "; ".join(f"{', '.join(days)}: {o}–{c}" for (o, c), days in spans.items())
        text = _("Working time ({tz}): {hours}. Holidays: {holidays}. Deadlines count working time only: the clock "
                 "stops at closing time, at weekends and on holidays.").format(tz=tz, hours=hours,
                                                                              holidays=holidays)
    if cal.extra_workdays:
        text += " " + _("Extra working days: {dates}.").format(
            dates=", ".join(ctx.date(d) for d in cal.extra_workdays))
    if any(not counts_working_time(r.deadline.model_dump(exclude_none=True)) for r in ct.rules):
        text += " " + _("Deadlines in calendar hours or days run day and night, weekends and holidays included.")
    return text


def weekday_names(_) -> dict[str, str]:
    """Localized weekday names by calendar key."""
    return {"mon": _("Monday"), "tue": _("Tuesday"), "wed": _("Wednesday"), "thu": _("Thursday"),
            "fri": _("Friday"), "sat": _("Saturday"), "sun": _("Sunday")}
