"""The regulation file as the editor reads and writes it: YAML that keeps its comments and order.

The file stays the reviewable source. ruamel.yaml's round-trip mode keeps the comments, key
order and scalar styles; a save does not re-dump the form's data but updates the loaded
document *in place* (:func:`update`), so only the values the specialist changed are written
differently. Keys the form adds with their schema default are left out: they mean nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ..errors import UserError
from .formschema import NO_DEFAULT, format_at, keys_at

MULTILINE = "\n"


_KEY_ALONE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")
_ITEM = re.compile(r"^( *)- ")
_KEY = re.compile(r"^( *)[^\s#-]")


def indentation(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indents as the file writes them, so a save does not re-indent it."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    mapping, offset = None, None
    for above, line in zip(lines, lines[1:]):
        head = _KEY_ALONE.match(above)
        if not head:
            continue
        item, key = _ITEM.match(line), _KEY.match(line)
        if item and offset is None:
            offset = len(item.group(1)) - len(head.group(1))
        elif key and mapping is None and len(key.group(1)) > len(head.group(1)):
            mapping = len(key.group(1)) - len(head.group(1))
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = 2 if offset is None else max(offset, 0)
    return mapping, offset + 2, offset


def _yaml(text: str = ""):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the specialist wrote on one line
    mapping, sequence, offset = indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def digest(text: str) -> str:
    """A short fingerprint of the file's text: the editor's "has it changed on disk?" test."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse(text: str, name: str = "regulation.yaml") -> Any:
    """The round-trip document of ``text`` (a CommentedMap); UserError with the position if it is not YAML."""
    from ruamel.yaml.error import MarkedYAMLError

    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise UserError(f"{where}: {exc.problem or exc}") from None


def dump(document: Any, like: str = "") -> str:
    """The document as YAML text, comments and order as loaded, indented like the text ``like``."""
    out = io.StringIO()
    _yaml(like).dump(document, out)
    return out.getvalue()


def plain(node: Any) -> Any:
    """Round-trip data → JSON data, as the form sees it (dates as ISO strings)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    if isinstance(node, str):
        return str(node)  # ruamel's quoted/literal string types are str subclasses
    return node


def update(node: Any, new: Any, defaults: Any = None) -> Any:
    """``node`` changed to hold ``new``, editing it in place where the shapes agree.

    Returns the node to store: ``node`` itself (updated) or a fresh value. ``defaults(loc)``
    would be the schema default; a key the file lacks is not added when it holds the default.
    """
    return _update(node, new, (), defaults or (lambda loc: NO_DEFAULT))


def _update(node: Any, new: Any, loc: tuple, defaults) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(new, dict) and isinstance(node, CommentedMap):
        for key in [k for k in node if str(k) not in new]:
            del node[key]
        for key, value in new.items():
            if key in node and value is None:
                del node[key]  # an optional field emptied
            elif key in node:
                node[key] = _update(node[key], value, (*loc, key), defaults)
            elif not _is_default(value, defaults((*loc, key))):
                node[key] = _fresh(value, (*loc, key), defaults)
        return node
    if isinstance(new, list) and isinstance(node, CommentedSeq):
        del node[len(new):]
        for i, value in enumerate(new):
            if i < len(node):
                node[i] = _update(node[i], value, (*loc, i), defaults)
            else:
                node.append(_fresh(value, (*loc, i), defaults))
        return node
    if plain(node) == new and type(plain(node)) is type(new):
        return node  # unchanged: keep the scalar as written (quotes, block style, a date)
    return _fresh(new, loc, defaults)


def _is_default(value: Any, default: Any) -> bool:
    if default is NO_DEFAULT:
        return value is None or value == "" or value == [] or value == {}
    return value == default or value is None


def _fresh(value: Any, loc: tuple, defaults) -> Any:
    """A new value in the file's style: multi-line texts as literal blocks, no default-valued keys."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        out = CommentedMap()
        order = {k: i for i, k in enumerate(keys_at(loc))}
        for k, v in sorted(value.items(), key=lambda kv: order.get(kv[0], len(order))):
            if not _is_default(v, defaults((*loc, k))):
                out[k] = _fresh(v, (*loc, k), defaults)
        return out
    if isinstance(value, list):
        return CommentedSeq([_fresh(v, (*loc, i), defaults) for i, v in enumerate(value)])
    if isinstance(value, str) and MULTILINE in value.strip():
        return LiteralScalarString(value if value.endswith(MULTILINE) else value + MULTILINE)
    if isinstance(value, str):
        return _scalar(value, loc)
    return value


_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


def _scalar(value: str, loc: tuple) -> Any:
    """A new one-line text as the file's author would write it: a date as a date, a time quoted."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if format_at(loc) == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # not a date yet: the form shows the problem; the file keeps what was typed
    if _CLOCK.match(value):
        return SingleQuotedScalarString(value)  # "09:00" unquoted is a number to YAML 1.1 readers
    return value


def read(path: Path) -> tuple[str, Any]:
    """The file's text and its round-trip document."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read: {exc}") from None
    return text, parse(text, str(path))


def write(path: Path, text: str) -> None:
    """Replace the file's text at once (a crash leaves the old or the new file, never half)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
