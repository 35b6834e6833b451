"""Read a YAML file strictly and fast, keeping where every key and value is written.

libyaml (PyYAML's C parser) turns the text into events; this module composes them into plain
dicts, lists and scalars itself, so that it can record positions, refuse duplicate keys, stop
at absurd nesting or alias expansion (an "alias bomb" of a few hundred bytes can expand to
millions of values), and report impossible dates where they are written. Scalars follow the
YAML 1.2 core schema plus dates (:mod:`.yamlscalars`).
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from ...errors import Problem
from ...i18n import _, speaking
from ..positions import Loc, Mark, Positions, field_path, short
from .yamlscalars import TAG, construct, resolve

MAX_BYTES = 4 * 1024 * 1024  # the samples are about 100 KB
MAX_DEPTH = 32  # the format itself needs 8 levels
MAX_ALIASES = 1000
MAX_VALUES = 500_000  # keys, values and list items, aliases expanded

class ReadFailed(Exception):
    """The file cannot be read as a YAML mapping at all; ``problems`` say why and where."""

    def __init__(self, problems: list[Problem], language: str | None = None):
        super().__init__(problems[0].message)
        self.problems = problems
        self.language = language  # the meta.language written in the file, when one is


def read_text(path: Path) -> str:
    """The file's text: refused when it is not a regular file, too large, or not UTF-8."""
    name = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ReadFailed([Problem(name, message=_("is a folder; give the regulation file (regulation.yaml)"))])
        if not stat.S_ISREG(info.st_mode):
            raise ReadFailed([Problem(name, message=_("is not a regular file (a device, pipe or socket); give a .yaml file"))])
        if info.st_size > MAX_BYTES:
            raise ReadFailed([Problem(name, message=_too_big(info.st_size))])
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ReadFailed([Problem(name, message=_("no such file"))]) from None
    except OSError as exc:
        raise ReadFailed([Problem(name, message=_("cannot read ({reason})").format(reason=exc.strerror or exc))]) from None
    if len(raw) > MAX_BYTES:
        raise ReadFailed([Problem(name, message=_too_big(len(raw)))])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadFailed([Problem(name, 1, 1, message=_("is UTF-16 text; save it as UTF-8"))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        line = before.count(b"\n") + 1
        raise ReadFailed([Problem(name, line, column, message=_("not UTF-8 text (byte {byte}); save the file as UTF-8").format(
            byte=f"0x{raw[exc.start]:02x}"))]) from None


def _too_big(size: int) -> str:
    return _("is {size} MB or more; a regulation file is at most {max} MB").format(
        size=f"{size / 2**20:.1f}", max=MAX_BYTES // 2**20)


def read(path: Path) -> tuple[dict, Positions, list[Problem]]:
    """The document as plain data with its positions, and the problems that did not stop reading.

    Raises :class:`ReadFailed` when there is no mapping to go on with (syntax errors, limits).
    """
    text = read_text(path)
    # Problems in a file that does not parse are said in the language its meta declares.
    lang = written_language(text)
    try:
        with speaking(lang):
            return _read(str(path), text)
    except ReadFailed as exc:
        exc.language = lang
        raise


def written_language(text: str) -> str | None:
    """The ``language:`` a regulation's text declares (read before parsing, so a broken file has one too)."""
    import re

    found = re.search(r"^[ \t]+language:[ \t]*['\"]?([a-z]{2})\b", text, re.MULTILINE)
    return found.group(1) if found else None


def _read(name: str, text: str) -> tuple[dict, Positions, list[Problem]]:
    composer = _Composer(name)
    root = composer.run(text)
    if root is _NOTHING or root is None:
        raise ReadFailed([Problem(name, 1, 1, message=_("the file is empty; expected a mapping with meta, summary, "
                                                        "order_processing, client_work, questions and assessments"))])
    if not isinstance(root, dict):
        kind = _("a list") if isinstance(root, list) else _("a single value ({value})").format(value=short(root))
        line, column = composer.values.get((), (1, 1))
        raise ReadFailed([Problem(name, line, column, message=_(
            "the file holds {kind}; expected a mapping with meta, summary, order_processing, client_work, "
            "questions and assessments").format(kind=kind))])
    return root, Positions(root, composer.keys, composer.values), composer.problems


# --- composing events into data --------------------------------------------------------------

_NOTHING = object()
_SKIP = object()  # the value of a duplicate key: read, then dropped



class _Frame:
    __slots__ = ("container", "loc", "key", "key_quoted", "anchor", "size0", "merges", "mark")

    def __init__(self, container, loc, anchor, size0, mark):
        self.container, self.loc, self.anchor, self.size0, self.mark = container, loc, anchor, size0, mark
        self.key: Any = _NOTHING
        self.key_quoted = False
        self.merges: list = []


class _Composer:
    """Events → data, positions and problems; iterative, so deep nesting cannot overflow a stack."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.keys: dict[Loc, Mark] = {}
        self.values: dict[Loc, Mark] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.size = 0
        self.aliases = 0

    def fail(self, mark: Mark, message: str, loc: Loc = ()) -> None:
        raise ReadFailed([Problem(self.name, *mark, field_path(loc), message)])

    def run(self, text: str) -> Any:
        import yaml

        try:
            # libyaml's parser when PyYAML was built with it (the wheels are); the same events otherwise.
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            return self._compose(yaml.parse(text, Loader=loader), yaml)
        except yaml.MarkedYAMLError as exc:
            from ..messages import syntax_problem  # only a broken file pays for the wording

            raise ReadFailed([syntax_problem(self.name, text, exc, deep=_too_deep())]) from None
        except yaml.reader.ReaderError as exc:  # a control character; libyaml counts bytes here
            before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
            line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
            what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else ""
            raise ReadFailed([Problem(self.name, line, column, message=_(
                "YAML syntax: character {what} is not allowed in YAML text").format(what=what))]) from None
        except yaml.YAMLError as exc:
            raise ReadFailed([Problem(self.name, 1, 1, message=_("YAML syntax: {error}").format(error=exc))]) from None

    def _compose(self, events, yaml) -> Any:
        scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
        mstart, sstart = yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        stack: list[_Frame] = []
        root: Any = _NOTHING
        documents = 0
        for ev in events:
            cls = type(ev)
            if cls in ends:
                frame = stack.pop()
                value = frame.container
                if frame.merges:
                    value = self._merged(frame)
                size = self.size - frame.size0
                root = self._attach(stack, value, frame.loc, frame.mark, frame.anchor, size, root)
                continue
            if cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.fail(_mark(ev), _("YAML syntax: a second document ('---'); a regulation is one document"))
                continue
            if cls not in (scalar, alias, mstart, sstart):
                continue
            mark = _mark(ev)
            top = stack[-1] if stack else None
            if top is not None and isinstance(top.container, dict) and top.key is _NOTHING:
                if cls is not scalar:
                    self.fail(mark, _("a key must be a plain name, not a list, mapping or alias"), top.loc)
                self._key(top, ev, mark)
                continue
            loc = self._loc_of_next(top)
            self.size += 1
            if self.size > MAX_VALUES:
                self.fail(mark, _too_many(), loc)
            if cls is scalar:
                root = self._attach(stack, self._scalar(ev, mark, loc), loc, mark, ev.anchor, 1, root)
            elif cls is alias:
                root = self._alias(stack, ev, mark, loc, root)
            else:
                if len(stack) >= MAX_DEPTH:
                    self.fail(mark, _too_deep(), loc)
                stack.append(_Frame({} if cls is mstart else [], loc, ev.anchor, self.size - 1, mark))
        return root

    def _loc_of_next(self, top: _Frame | None) -> Loc:
        if top is None:
            return ()
        if isinstance(top.container, list):
            return (*top.loc, len(top.container))
        if top.key is _SKIP or (top.key == "<<" and not top.key_quoted):
            return (*top.loc, "<<" if top.key == "<<" else "<duplicate>")  # never a location of the data
        return (*top.loc, top.key)

    def _key(self, frame: _Frame, ev, mark: Mark) -> None:
        key = ev.value
        loc = (*frame.loc, key)
        frame.key_quoted = not ev.implicit[0]  # plain scalars only: '<<' in quotes is a key
        if key == "<<" and not frame.key_quoted:
            frame.key = "<<"
            return
        if key in frame.container:
            first = self.keys.get(loc, (0, 0))[0]
            self.problems.append(Problem(self.name, *mark, field_path(loc),
                                         _("duplicate key {key} (first written on line {line})").format(
                                             key=short(key), line=first)))
            frame.key = _SKIP
            return
        frame.key = key
        self.keys[loc] = mark

    def _attach(self, stack: list[_Frame], value: Any, loc: Loc, mark: Mark, anchor, size: int, root: Any) -> Any:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not stack:
            self.values[()] = mark
            return value
        top = stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            self.values[loc] = mark
        elif top.key is _SKIP:
            pass
        elif top.key == "<<" and not top.key_quoted:
            top.merges.append((value, mark))
        else:
            top.container[top.key] = value
            self.values[loc] = mark
        top.key = _NOTHING if isinstance(top.container, dict) else top.key
        return root

    def _alias(self, stack: list[_Frame], ev, mark: Mark, loc: Loc, root: Any) -> Any:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            self.fail(mark, _("more than {max} aliases (*name); write the values out instead").format(max=MAX_ALIASES), loc)
        if ev.anchor not in self.anchors:
            self.problems.append(Problem(self.name, *mark, field_path(loc), _(
                "alias *{name} names no anchor &{name} above it").format(name=ev.anchor)))
            return self._attach(stack, None, loc, mark, None, 1, root)
        value, size = self.anchors[ev.anchor]
        self.size += size - 1
        if self.size > MAX_VALUES:
            self.fail(mark, _too_many(), loc)
        return self._attach(stack, value, loc, mark, None, size, root)

    def _merged(self, frame: _Frame) -> dict:
        """``<<: *defaults``: keys of the merged mappings that the mapping does not set itself."""
        out = dict(frame.container)
        for value, mark in frame.merges:
            for part in value if isinstance(value, list) else [value]:
                if not isinstance(part, dict):
                    self.problems.append(Problem(self.name, *mark, field_path(frame.loc),
                                                 _("'<<' merges mappings only (write '<<: *name' with a mapping anchor)")))
                    continue
                for k, v in part.items():
                    out.setdefault(k, v)
        return out

    def _scalar(self, ev, mark: Mark, loc: Loc) -> Any:
        value, tag = ev.value, ev.tag
        if tag is None or tag == "!":
            if not ev.implicit[0]:
                return value  # quoted or block text
            tag = resolve(value)
        elif tag.startswith(TAG):
            tag = tag[len(TAG):]
        else:
            self.problems.append(Problem(self.name, *mark, field_path(loc), _(
                "unsupported YAML tag {tag}; remove it").format(tag=short(tag))))
            return value
        try:
            return construct(tag, value)
        except ValueError as exc:
            self.problems.append(Problem(self.name, *mark, field_path(loc), str(exc)))
            return value


def _mark(ev) -> Mark:
    m = ev.start_mark
    return (m.line + 1, m.column + 1)


def _too_many() -> str:
    return _("more than {max} values once aliases are expanded; is an alias repeated on purpose?").format(
        max=f"{MAX_VALUES:,}")


def _too_deep() -> str:
    return _("nested more than {max} levels deep; the regulation format needs far fewer").format(max=MAX_DEPTH)
