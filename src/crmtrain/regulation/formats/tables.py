"""A regulation's data as tables and back: the shape of ``regulation.xlsx`` without Excel.

Every list of records becomes a table whose rows are the records (nested mappings become dotted
columns, so the lead rules' ``when`` becomes a grid of rules × criteria); a list of records inside
a record becomes a table of its own whose first columns name the record it belongs to (its id,
or its number); every other value sits in the table of settings, one row per field. Lists of
values (refs, required fields, holidays) are written one per line in their cell. Column keys
say how to read a cell: ``refs[]`` always a list; ``answer[]?`` (a column holding lists and single
values) a list when the cell has a line break (a one-item list ends with one); any other column a
single value, line breaks and all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..positions import Loc

SETTINGS: tuple[str, ...] = ()  # the settings table's path
PARENT = "@"  # a parent-reference column: "@1" the table's owner record, "@2" its owner...


@dataclass
class Table:
    """One table: its path in the document, column keys and rows (with each row's location)."""

    path: tuple[str, ...]
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    locs: list[Loc] = field(default_factory=list)  # the record (or field) each row holds
    cells: list[list[Loc]] = field(default_factory=list)  # each cell's location


def _records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _scalars(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def _cell(value: Any, mixed: bool) -> Any:
    if isinstance(value, list):
        text = "\n".join("" if v is None else str(v) for v in value)
        return text + "\n" if mixed and len(value) == 1 else text
    return value


class _Flattener:
    def __init__(self) -> None:
        self.tables: dict[tuple[str, ...], Table] = {SETTINGS: Table(SETTINGS, ["field", "value"])}

    def table(self, path: tuple[str, ...]) -> Table:
        return self.tables.setdefault(path, Table(path))

    def settings(self, data: Any, loc: Loc, path: tuple[str, ...]) -> None:
        """Fields outside any list: one row each; lists of records become tables."""
        if isinstance(data, dict):
            for key, value in data.items():
                self.settings(value, (*loc, key), (*path, key))
        elif _records(data):
            self.records(data, loc, path, ())
        else:
            t = self.tables[SETTINGS]
            name = ".".join(map(str, loc)) + ("[]" if isinstance(data, list) and _scalars(data) else "")
            if isinstance(data, list) and not _scalars(data):
                name, data = ".".join(map(str, loc)) + "{}", json.dumps(data, ensure_ascii=False)
            t.rows.append([name, _cell(data, False)])
            t.locs.append(loc)
            t.cells.append([loc, loc])

    def records(self, items: list[dict], loc: Loc, path: tuple[str, ...], owners: tuple[str, ...]) -> None:
        table = self.table(path)
        for n, item in enumerate(items):
            here = (*loc, n)
            values: dict[str, tuple[Any, Loc]] = {f"{PARENT}{i + 1}": (o, loc) for i, o in enumerate(owners)}
            self.columns_of(item, here, "", values, path, (_ref(item, n), *owners))
            for key in values:
                if key not in table.columns:
                    table.columns.append(key)
            table.rows.append(values)  # keyed for now; laid out by :func:`flatten`
            table.locs.append(here)

    def columns_of(self, item: dict, loc: Loc, prefix: str, out: dict, path: tuple, owners: tuple) -> None:
        for key, value in item.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                self.columns_of(value, (*loc, key), f"{name}.", out, path, owners)
            elif _records(value):
                self.records(value, (*loc, key), (*path, name), owners)
            elif isinstance(value, list) and not _scalars(value):
                out[f"{name}{{}}"] = (json.dumps(value, ensure_ascii=False), (*loc, key))
            else:
                out[name] = (value, (*loc, key))


def _ref(item: dict, n: int) -> str:
    """How a child row names the record it belongs to: its id, else its number (#3)."""
    for key in ("id", "name"):
        if isinstance(item.get(key), str):
            return item[key]
    return f"#{n + 1}"


def flatten(data: dict) -> list[Table]:
    """The document as tables: the settings first, then each list of records, parents before children."""
    f = _Flattener()
    f.settings(data, (), ())
    out = []
    for table in f.tables.values():
        if table.path != SETTINGS:
            keyed, table.rows = table.rows, []
            lists = {c for c in table.columns for r in keyed if isinstance(r.get(c, (None,))[0], list)}
            scalars = {c for c in table.columns for r in keyed
                       if c in r and r[c][0] is not None and not isinstance(r[c][0], list)}
            # Columns of one nested mapping side by side (the lead rules' 'when' makes a grid), in first-seen order.
            groups = list(dict.fromkeys(c.split(".")[0] for c in table.columns))
            table.columns.sort(key=lambda c: groups.index(c.split(".")[0]))
            table.columns = [c if c not in lists else f"{c}[]?" if c in scalars else f"{c}[]" for c in table.columns]
            for r in keyed:
                row, cells = [], []
                for c in table.columns:
                    value, cell_loc = r.get(key_of(c), (None, ()))
                    row.append(_cell(value, c.endswith("[]?")))
                    cells.append(cell_loc)
                table.rows.append(row)
                table.cells.append(cells)
        out.append(table)
    return out


def key_of(column: str) -> str:
    """A column key without its reading mark ('refs[]' -> 'refs')."""
    for mark in ("[]?", "[]", "{}"):
        if column.endswith(mark):
            return column[: -len(mark)]
    return column


def read_cell(column: str, value: Any) -> Any:
    """A cell's value as the document holds it, by its column key (see the module's docstring)."""
    if column.endswith("{}"):
        return json.loads(value) if isinstance(value, str) and value.strip() else None
    if isinstance(value, str) and (column.endswith("[]") or (column.endswith("[]?") and "\n" in value)):
        return [line for line in value.split("\n") if line != ""]
    if column.endswith("[]"):
        return [value]
    return value


def unflatten(tables: list[Table]) -> dict:
    """The document the tables hold (rows' ``locs`` are set to where each row went)."""
    data: dict = {}
    owners: dict[tuple[str, ...], dict[tuple[str, ...], tuple[dict, Loc]]] = {}
    for table in tables:
        if table.path == SETTINGS:
            for n, row in enumerate(table.rows):
                key, value = str(row[0] or ""), row[1] if len(row) > 1 else None
                if not key or value is None:
                    continue
                loc = tuple(key_of(key).split("."))
                _put(data, loc, read_cell(key, value))
                table.locs[n] = loc
            continue
        by_ref: dict[tuple[str, ...], tuple[dict, Loc]] = {}
        counts: dict[tuple[str, ...], int] = {}
        for n, row in enumerate(table.rows):
            values = dict(zip(table.columns, row))
            refs = tuple(str(values.get(f"{PARENT}{i}") or "") for i in range(1, _depth(table.columns) + 1))
            parent = owners.get(table.path[:-1], {}).get(refs) if refs else None
            container, base = (parent[0], parent[1]) if parent else (data, ())
            key = table.path[-1] if parent else None
            record: dict = {}
            for column, value in values.items():
                if column.startswith(PARENT) or value is None or value == "":
                    continue
                _put(record, tuple(key_of(column).split(".")), read_cell(column, value))
            target = _list_at(container, table.path if not parent else tuple(key.split(".")))
            loc = (*base, *(table.path if not parent else key.split(".")), len(target))
            target.append(record)
            table.locs[n] = loc
            by_ref[(_ref(record, counts.setdefault(refs, 0)), *refs)] = (record, loc)
            counts[refs] += 1
        owners[table.path] = by_ref
    return data


def _depth(columns: list[str]) -> int:
    return sum(1 for c in columns if c.startswith(PARENT))


def _put(target: dict, loc: tuple[str, ...], value: Any) -> None:
    for key in loc[:-1]:
        target = target.setdefault(key, {})
    target[loc[-1]] = value


def _list_at(target: dict, loc: tuple[str, ...]) -> list:
    for key in loc[:-1]:
        target = target.setdefault(key, {})
    return target.setdefault(loc[-1], [])
