"""Ids made from titles, so that the specialist never types one.

"Приём заказа" → ``priem-zakaza``: Russian letters transliterated (the passport rules of
ГОСТ Р 52535.1-2006, as Russian officials write names in Latin letters), everything else that
is not a Latin letter or digit becomes a dash, cut to the id length on a word boundary, and
made unique among the ids already taken by a number suffix.
"""

from __future__ import annotations

import re

from ..regulation.fields import ID_MAX
from .formschema import resolve

RUSSIAN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia"],
))
WORDS = 5  # an id names its item, it does not repeat the title


def transliterate(text: str) -> str:
    """``text`` in Latin letters (Russian transliterated, other accents dropped)."""
    import unicodedata

    out = []
    for char in text.lower():
        if char in RUSSIAN:
            out.append(RUSSIAN[char])
        else:
            out.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii") or " ")
    return "".join(out)


def make_id(title: str, taken: set[str] | frozenset[str] = frozenset(), fallback: str = "item") -> str:
    """A valid id for ``title``, not among ``taken``: lower-case words joined by dashes."""
    words = [w for w in re.split(r"[^a-z0-9]+", transliterate(title)) if w][:WORDS]
    base = "-".join(words) or fallback
    while len(base) > ID_MAX - 4 and "-" in base:
        base = base.rsplit("-", 1)[0]
    base = base[: ID_MAX - 4]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


NAMED_BY = ("title", "label", "name", "text", "event", "case", "task", "when")  # the field an item's id is made from


def fill(data, schema: dict, path: tuple = ()) -> list[tuple[tuple, str]]:
    """(location, new id) for every item whose schema wants an id it lacks, made from its title.

    Ids already written are never changed: questions and steps refer to them.
    """
    found: list[tuple[tuple, str]] = []
    _fill(data, schema, path, schema, found)
    return found


def _fill(data, node: dict, loc: tuple, root: dict, found: list) -> None:
    node = resolve(root, node)
    if isinstance(data, dict):
        props = node.get("properties", {})
        for key, value in data.items():
            if key in props:
                _fill(value, props[key], (*loc, key), root, found)
    elif isinstance(data, list) and isinstance(node.get("items"), dict):
        item_schema = resolve(root, node["items"])
        wants_id = "id" in item_schema.get("properties", {})
        untitled = not set(NAMED_BY) & set(item_schema.get("properties", {}))
        taken = {d.get("id") for d in data if isinstance(d, dict) and d.get("id")}
        for i, item in enumerate(data):
            if wants_id and isinstance(item, dict) and not item.get("id"):
                title = next((item[k] for k in NAMED_BY if isinstance(item.get(k), str) and item[k].strip()), "")
                if title or (untitled and any(v not in (None, "", [], {}) for v in item.values())):
                    # an item that has no title at all (a slot) is named after its list: "slot-2"
                    new = make_id(title, taken, fallback=str(loc[-1]).rstrip("s") if loc else "item")
                    taken.add(new)
                    found.append(((*loc, i, "id"), new))
            _fill(item, item_schema, (*loc, i), root, found)
