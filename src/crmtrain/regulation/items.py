"""The regulation's referenceable items: what a question's ``refs`` may name.

Top-level items (topics, processes, the client-work sections and their rules) share one id
namespace; steps and statuses are named through their owner: ``order-intake.check-stock``,
``pipeline.negotiation``. Each deal pipeline is a section of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..i18n import translation
from .positions import Loc
from .models import Regulation

PARTS = ("summary", "order_processing", "client_work")
CLIENT_SECTIONS = ("lead_classification", "proposal", "contact_timing", "conversion", "pipeline", "tasks")


@dataclass(frozen=True)
class Item:
    """One thing a question can test; ``part`` is the regulation part it belongs to.

    ``owned`` items (steps, statuses) are named ``<owner id>.<own id>`` and are unique within
    their owner; the others share one namespace.
    """

    id: str
    part: str
    section: str
    title: str
    loc: Loc
    owned: bool = False


def client_sections(reg: Regulation) -> Iterator[tuple[Loc, object]]:
    """(location, section) of each client-work section in order, every deal pipeline included."""
    cw = reg.client_work
    for name in CLIENT_SECTIONS:
        if name == "pipeline":
            yield from cw.pipeline_locs()
        else:
            yield ("client_work", name), getattr(cw, name)


def iter_items(reg: Regulation) -> Iterator[Item]:
    """Every referenceable item, in document order (duplicates included, for checking)."""
    for i, t in enumerate(reg.summary.topics):
        yield Item(t.id, "summary", t.id, t.title, ("summary", "topics", i, "id"))
    for i, p in enumerate(reg.order_processing.processes):
        yield Item(p.id, "order_processing", p.id, p.title, ("order_processing", "processes", i, "id"))
        for j, s in enumerate(p.steps):
            loc = ("order_processing", "processes", i, "steps", j, "id")
            yield Item(f"{p.id}.{s.id}", "order_processing", p.id, f"{p.title}: {s.label}", loc, owned=True)
    _ = translation(_language(reg)).gettext
    for base, sec in client_sections(reg):
        yield Item(sec.id, "client_work", sec.id, sec.title, (*base, "id"))
        for key, title_of in _CHILDREN.get(base[1], ()):
            for k, child in enumerate(getattr(sec, key)):
                owned = base[1] in _OWNED
                yield Item(f"{sec.id}.{child.id}" if owned else child.id, "client_work", sec.id,
                           title_of(child, k + 1, sec, _), (*base, key, k, "id"), owned=owned)


def _language(reg: Regulation) -> str:
    lang = getattr(getattr(reg.meta, "language", None), "value", "en")
    return lang if lang in ("en", "ru") else "en"


# Which children of each client-work section are referenceable, and how to title them.
_CHILDREN = {
    # A rule is named as the workbook's table numbers it: its id is the specialist's, not words.
    "lead_classification": (("classes", lambda c, n, sec, _: _("{table}: class {name}").format(table=sec.title, name=c.name)),
                            ("rules", lambda r, n, sec, _: _("{table}, rule {n}").format(table=sec.title, n=n))),
    "proposal": (("sources", lambda s, n, sec, _: s.case),),
    "contact_timing": (("rules", lambda r, n, sec, _: r.event),),
    "conversion": (("criteria", lambda c, n, sec, _: c.text),),
    "tasks": (("rules", lambda r, n, sec, _: r.when),),
    "pipeline": (("statuses", lambda st, n, sec, _: st.name),), "pipelines": (("statuses", lambda st, n, sec, _: st.name),),
}
_OWNED = ("pipeline", "pipelines")  # sections whose children are named <section id>.<child id>


def index(reg: Regulation) -> dict[str, Item]:
    """Items by id (the first one wins where ids repeat; ``checks`` reports the repeat)."""
    out: dict[str, Item] = {}
    for item in iter_items(reg):
        out.setdefault(item.id, item)
    return out


# --- content hashes: what changed between two versions ---------------------------------------

# Children that are items of their own leave their owner's content, so that changing a step
# changes the step, not the whole process.
_OWN_CHILDREN = {name: tuple(key for key, _ in keys) for name, keys in _CHILDREN.items()}


def item_content(reg: Regulation, item: Item) -> dict:
    """The item's own content as plain data (its child items left out: they have their own)."""
    node = reg
    for part in item.loc[:-1]:
        node = node[part] if isinstance(part, int) else getattr(node, part)
    data = node.model_dump(mode="json", by_alias=True)
    loc = item.loc
    if loc[:2] == ("order_processing", "processes") and len(loc) == 4:
        data.pop("steps")
    elif loc[0] == "client_work" and (len(loc) == 3 or loc[1] == "pipelines" and len(loc) == 4):
        for key in _OWN_CHILDREN.get(loc[1], ()):
            data.pop(key)
    return data


def content_hash(data) -> str:
    """A short, stable hash of plain data (key order and formatting do not matter)."""
    import hashlib
    import json

    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def item_hashes(reg: Regulation) -> dict[str, str]:
    """The content hash of every item, by id: equal hashes, unchanged item."""
    return {item.id: content_hash(item_content(reg, item)) for item in index(reg).values()}
