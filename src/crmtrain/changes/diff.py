"""Item-by-item differences between two regulations, each with a short readable diff.

Items are matched by id: the referenceable items of parts 1–3 (by their own content hash,
so a changed step is a changed step, not a changed process), the questions, the two
assessments, the parts' introductions and the document's meta data.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..i18n import N_, _
from ..kinds.assessments import ASSESSMENTS
from ..regulation.items import Item, content_hash, index, item_content
from ..regulation.models import Regulation

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
SHORT = 70  # longer values or several lines are shown as a line diff
MAX_LINES = 8  # of one field's line diff

# What an item is, by where it sits: (collection, child key) → name.
# Names and titles are msgids, said in the regulation's language where they are shown.
_KIND = {
    ("topics", None): N_("topic"), ("processes", None): N_("process"), ("processes", "steps"): N_("step"),
    ("lead_classification", "classes"): N_("lead class"), ("lead_classification", "rules"): N_("decision rule"),
    ("proposal", "sources"): N_("proposal source"), ("contact_timing", "rules"): N_("contact deadline"),
    ("conversion", "criteria"): N_("conversion criterion"), ("tasks", "rules"): N_("task rule"),
    ("pipeline", "statuses"): N_("deal status"), ("pipelines", "statuses"): N_("deal status"),
}
# The kinds set below by name, and the statuses: msgids too, for where they are shown.
SHOWN = (N_("question"), N_("assessment"), N_("meta"), N_("introduction"))
STATUS_WORDS = {ADDED: N_("New"), CHANGED: N_("Changed"), REMOVED: N_("Removed")}
PART_TITLES = {"meta": N_("The document"), "summary": N_("1. Summary"), "order_processing": N_("2. Order processing"),
               "client_work": N_("3. Working with clients"), "tests": N_("4. Tests")}


@dataclass(frozen=True)
class Change:
    """One item added, removed or changed; ``lines`` is its short diff."""

    kind: str
    id: str
    title: str
    status: str
    part: str
    section: str  # the id of the section (topic, process, client-work section) it belongs to
    lines: tuple[str, ...] = ()
    old_hash: str = ""
    new_hash: str = ""

    @property
    def trains(self) -> bool:
        """Whether trainees learned it (everything but the document's meta data)."""
        return self.part != "meta"


def kind_of(item: Item) -> str:
    """'step', 'decision rule', 'deal status', 'section' ... from the item's place."""
    loc = [p for p in item.loc[:-1] if not isinstance(p, int)]
    if loc[0] == "client_work":
        return _KIND.get((loc[1], loc[2] if len(loc) > 2 else None), N_("section"))
    return _KIND[(loc[1], loc[2] if len(loc) > 2 else None)]


def _entries(reg: Regulation) -> dict[tuple[str, str], tuple[str, str, str, str, dict]]:
    """(kind, id) → (title, part, section, kind, content) of everything that is compared."""
    out = {}
    for item in index(reg).values():
        kind = kind_of(item)
        out[(kind, item.id)] = (item.title, item.part, item.section, kind, item_content(reg, item))
    for q in reg.questions:
        out[("question", q.id)] = (" ".join(q.text.split())[:80], "tests", "questions", "question", q.model_dump(mode="json"))
    for name in ASSESSMENTS:
        a = getattr(reg.assessments, name)
        out[("assessment", name)] = (a.title, "tests", "assessments", "assessment", a.model_dump(mode="json"))
    for part in ("summary", "order_processing", "client_work"):
        out[("introduction", part)] = (PART_TITLES[part], part, part, "introduction", {"intro": getattr(reg, part).intro})
    meta = {**reg.meta.model_dump(mode="json"), "words": reg.meta.word_forms()}  # only the forms the file gives
    out[("meta", "meta")] = (f"{reg.meta.company}, {reg.meta.crm}", "meta", "meta", "meta", meta)
    return out


def diff(old: Regulation, new: Regulation) -> list[Change]:
    """Every added, removed and changed item, in the new document's order (removed ones last in their part)."""
    before, after = _entries(old), _entries(new)
    changes = []
    for key, (title, part, section, kind, content) in after.items():
        if key not in before:
            changes.append(Change(kind, key[1], title, ADDED, part, section, _describe_added(content),
                                  new_hash=content_hash(content)))
            continue
        old_content = before[key][4]
        if content_hash(old_content) != content_hash(content):
            changes.append(Change(kind, key[1], title, CHANGED, part, section, tuple(field_diff(old_content, content)),
                                  content_hash(old_content), content_hash(content)))
    order = {part: i for i, part in enumerate(PART_TITLES)}
    for key, (title, part, section, kind, content) in before.items():
        if key not in after:
            changes.append(Change(kind, key[1], title, REMOVED, part, section, old_hash=content_hash(content)))
    return sorted(changes, key=lambda c: order[c.part])  # stable: document order within a part


def _describe_added(content: dict) -> tuple[str, ...]:
    flat = flatten(content)
    return tuple(f"{k}: {_show(v)}" for k, v in flat.items() if v not in ("", [], None) and k != "id")[:4]


def flatten(data, prefix: str = "") -> dict[str, object]:
    """Nested data → {'deadline.hours': 2, 'transitions[negotiation→won].requires': [...]}."""
    out: dict[str, object] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        for i, x in enumerate(data):
            out.update(flatten(x, f"{prefix}[{_key(x, i)}]"))
    else:
        out[prefix] = data
    return out


def _key(entry: dict, i: int) -> str:
    """How a list entry is named in a diff: its id, label or 'from→to', else its position."""
    for k in ("id", "name", "label", "title", "pool"):
        if isinstance(entry.get(k), str):
            return entry[k]
    if "from" in entry and "to" in entry:
        return f"{entry['from']}→{entry['to']}"
    return str(i)


def _show(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text if len(text) <= SHORT else text[:SHORT - 1] + "…")
    return repr(value) if not isinstance(value, bool) else str(value).lower()


def field_diff(old: dict, new: dict) -> list[str]:
    """One short line per changed field; long texts as a few '-'/'+' lines."""
    a, b = flatten(old), flatten(new)
    lines = []
    for path in [*a, *(p for p in b if p not in a)]:
        if path not in b:
            lines.append(_("{path}: removed (was {value})").format(path=path, value=_show(a[path])))
        elif path not in a:
            lines.append(_("{path}: added {value}").format(path=path, value=_show(b[path])))
        elif a[path] != b[path]:
            lines.extend(_value_diff(path, a[path], b[path]))
    return lines


def _value_diff(path: str, old, new) -> list[str]:
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(x, (str, int, float)) for x in old + new):
        gone, came = [x for x in old if x not in new], [x for x in new if x not in old]
        if gone or came:
            parts = ([_("added {values}").format(values=", ".join(map(str, came)))] if came else []) + \
                ([_("removed {values}").format(values=", ".join(map(str, gone)))] if gone else [])
            return [f"{path}: " + "; ".join(parts)]
        return [_("{path}: order {old} → {new}").format(path=path, old=_show(old), new=_show(new))]
    long = any(isinstance(v, str) and (len(v) > SHORT or "\n" in v.strip()) for v in (old, new))
    if not long:
        return [f"{path}: {_show(old)} → {_show(new)}"]
    old_lines = _sentences(old if isinstance(old, str) else str(old))
    new_lines = _sentences(new if isinstance(new, str) else str(new))
    body = [line for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    shown = [f"    {line}" for line in body[:MAX_LINES]]
    if len(body) > MAX_LINES:
        shown.append("    " + _("… {n} more lines").format(n=len(body) - MAX_LINES))
    return [_("{path}: text changed").format(path=path), *shown]


def _sentences(text: str) -> list[str]:
    """Text split into sentences, so that a re-wrapped paragraph shows only what really changed."""
    import re

    flat = " ".join(text.split())
    return [s for s in re.split(r"(?<=[.!?;:])\s+", flat) if s]
