"""Pydantic's validation errors, said in the specialist's terms and placed at the right key.

The wording is data: :data:`EXPECTED` names what a type error expected, :data:`MESSAGES`
holds a template per pydantic error type, :data:`PATTERNS` explains each string pattern.
One error type → one entry; nothing here branches on the error type. The entries are msgids,
said in the regulation's language where they are used.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from typing import Any

from ..errors import Problem
from ..i18n import N_, _, ngettext
from .positions import Loc, Positions, field_path, short
from .fields import ID_MAX, ID_PATTERN, REF_PATTERN, ShapeError

HHMM_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"

# Type errors: "expected <this>, got <what the file holds>". Union members join with "or".
EXPECTED: dict[str, str] = {error: expected for expected, errors in (
    (N_("a whole number"), ("int_type", "int_parsing", "int_from_float")),
    (N_("a number"), ("float_type", "float_parsing")),
    (N_("true or false"), ("bool_type", "bool_parsing")),
    (N_("text"), ("string_type",)),
    (N_("a list"), ("tuple_type", "list_type")),
    (N_("a mapping (key: value lines)"), ("model_type", "model_attributes_type", "dict_type")),
    (N_("a date like 2027-01-31"), ("date_type", "date_parsing", "date_from_datetime_parsing")),
    (N_("a date without a time, like 2027-01-31"), ("date_from_datetime_inexact",)),
    (N_("one of {expected}"), ("enum", "literal_error")),
) for error in errors}

# Other errors: templates over the error's context, ``{input}`` (shortened) and ``{items}``.
MESSAGES: dict[str, str] = {
    "missing": N_("required but missing"),
    "extra_forbidden": N_("unknown key {key}{hint}"),
    "string_too_short": N_("must not be empty"),
    "string_too_long": N_("is longer than {max_length} characters ({input})"),
    "too_short": N_("needs at least {min_length} {items}"),
    "too_long": N_("has more than {max_length} items"),
    "greater_than_equal": N_("must be at least {ge} (got {input})"),
    "greater_than": N_("must be greater than {gt} (got {input})"),
    "less_than_equal": N_("must be at most {le} (got {input})"),
    "less_than": N_("must be less than {lt} (got {input})"),
    "finite_number": N_("must be a finite number (got {input})"),
    "value_error": "{error}",  # a validator's own message, already said in the language
    "enum": N_("{input} is not allowed; expected {expected}"),
    "literal_error": N_("{input} is not allowed; expected {expected}"),
}

PATTERNS: dict[str, str] = {
    ID_PATTERN: N_("{input} is not a valid id: Latin letters, digits, '-' and '_', starting with a "
                   "letter or digit, at most {id_max} characters (no dots or spaces)"),
    REF_PATTERN: N_("{input} is not a valid reference: an id, or <owner id>.<id> for a step or a deal status"),
    HHMM_PATTERN: N_("{input} is not a time like 09:00 (00:00 to 23:59)"),
}

# Errors whose location is a key that is not there; they point at the mapping that lacks it.
_ABSENT = {"missing"}
# Errors about a key itself, not its value ("shape": a key that does not fit its neighbours).
_AT_KEY = {"extra_forbidden", "shape"}


def problems(name: str, exc: Any, pos: Positions) -> list[Problem]:
    """Every problem in a pydantic ValidationError, one per location, knock-on errors dropped."""
    errors = exc.errors(include_url=False)
    failed = [tuple(e["loc"]) for e in errors]
    by_loc: dict[Loc, list[dict]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and any(f[: len(loc)] == loc and f != loc for f in failed):
            continue  # a list left short only because its own items failed: they say more
        by_loc.setdefault(_document_loc(err, loc, pos), []).append(err)
    misspelt = _misspelt_keys(by_loc)
    out = []
    for loc, errs in by_loc.items():
        if loc in misspelt.values():
            continue  # "required but missing" only because the key is misspelt; that one says so
        kinds = {e["type"] for e in errs} | {"shape" for e in errs if _shape(e)}
        hint = _(" (did you mean {key}?)").format(key=short(misspelt[loc][-1])) if loc in misspelt else _allowed(loc)
        line, column = _mark(loc, kinds, pos)
        field, message = _unquoted_text(loc, errs, pos) or (loc, _message(errs, hint))
        out.append(Problem(name, line, column, field_path(field), message))
    return out


def _unquoted_text(loc: Loc, errs: list[dict], pos: Positions) -> tuple[Loc, str] | None:
    """An "unknown key" that is really the end of a text cut at a comma: say to quote the text.

    ``{id: a, text: Nothing in the CRM, nothing happened.}`` reads ``nothing happened.`` as a key
    without a value; the specialist wrote one text and needs to hear that, not "unknown key".
    """
    key = loc[-1] if loc else None
    if not (isinstance(key, str) and all(e["type"] == "extra_forbidden" and e.get("input") is None for e in errs)):
        return None
    if not (" " in key.strip() or any(c in key for c in ".,!?;:«»\"'") or not key.isascii()):
        return None  # a key-like word: a misspelt key, said as one
    mapping = pos.root
    for part in loc[:-1]:
        try:
            mapping = mapping[part]
        except (KeyError, IndexError, TypeError):
            return None
    keys = list(mapping) if isinstance(mapping, dict) else []
    before = keys[keys.index(key) - 1] if key in keys and keys.index(key) > 0 else None
    if before is None or not isinstance(mapping[before], str):
        return loc, _("{key} was read as a key: is it the end of a text cut at a comma? "
                      "Put the whole text in double quotes").format(key=short(key))
    text = f'{before}: "{mapping[before]}, {key}"'
    return (*loc[:-1], before), _("the text was cut at a comma and its end {key} read as a key; put the whole "
                                  "text in double quotes: {fix}").format(key=short(key), fix=text)


def _document_loc(err: dict, loc: Loc, pos: Positions) -> Loc:
    """The error's location in the document: union members and validator names dropped."""
    trimmed: list[str | int] = []
    for part in loc:
        if pos.exists((*trimmed, part)) or (err["type"] in _ABSENT and part == loc[-1]):
            trimmed.append(part)
        else:
            break
    shape = _shape(err)
    if shape is not None and shape.field:
        trimmed.append(shape.field)
    return tuple(trimmed)


def _shape(err: dict) -> ShapeError | None:
    error = (err.get("ctx") or {}).get("error")
    return error if isinstance(error, ShapeError) else None


def _misspelt_keys(by_loc: dict[Loc, list[dict]]) -> dict[Loc, Loc]:
    """Unknown key → the missing key it most likely misspells (same mapping)."""
    missing = {loc for loc, errs in by_loc.items() if any(e["type"] == "missing" for e in errs)}
    out: dict[Loc, Loc] = {}
    for loc, errs in by_loc.items():
        if not any(e["type"] == "extra_forbidden" for e in errs) or not isinstance(loc[-1], str):
            continue
        siblings = {m[-1]: m for m in missing if m[:-1] == loc[:-1] and m not in out.values()}
        close = difflib.get_close_matches(loc[-1], list(siblings), n=1, cutoff=0.6)
        if close:
            out[loc] = siblings[close[0]]
    return out


def _mark(loc: Loc, kinds: set[str], pos: Positions) -> tuple[int, int]:
    if kinds & _ABSENT or not pos.exists(loc):
        return pos.mark(loc[:-1], key=True)
    if kinds & _AT_KEY:
        return pos.mark(loc, key=True)
    return place(loc, pos)


def place(loc: Loc, pos: Positions) -> tuple[int, int]:
    """Where to point for a problem with ``loc``: a scalar's value, a list's or mapping's key."""
    node: Any = pos.root
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return pos.mark(loc, key=True)
    return pos.mark(loc, key=isinstance(node, (dict, list)))


def _message(errs: list[dict], hint: str) -> str:
    expected = [_(EXPECTED[e["type"]]).format(**_context(e)) for e in errs if e["type"] in EXPECTED
                and (len(errs) > 1 or e["type"] not in MESSAGES)]
    if expected:
        wanted = list(dict.fromkeys(expected))
        joined = wanted[0] if len(wanted) == 1 else ", ".join(wanted[:-1]) + _(" or ") + wanted[-1]
        return _("expected {expected}, got {got}").format(expected=joined, got=_got(errs[0].get("input")))
    texts = [_one(e, hint) for e in errs]
    return "; ".join(dict.fromkeys(texts))


def _one(err: dict, hint: str) -> str:
    kind, ctx = err["type"], _context(err)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERNS:
        return _(PATTERNS[ctx["pattern"]]).format(**ctx, id_max=ID_MAX)
    template = MESSAGES.get(kind)
    if template is None:  # an error type no regulation has shown yet: pydantic's own words
        text = err["msg"][0].lower() + err["msg"][1:]
        return text if isinstance(err.get("input"), (dict, list)) else _("{error} (got {input})").format(
            error=text, input=ctx["input"])
    return _(template).format(**ctx, hint=hint)


def _context(err: dict) -> dict[str, Any]:
    ctx = dict(err.get("ctx") or {})
    value = err.get("input")
    ctx["input"] = short(value)
    ctx["key"] = short(err["loc"][-1]) if err["loc"] else ""
    if "error" in ctx:
        ctx["error"] = str(ctx["error"])
    if isinstance(ctx.get("expected"), str):  # pydantic's "'a', 'b' or 'c'"
        ctx["expected"] = ctx["expected"].replace(" or ", _(" or "))
    n = ctx.get("min_length")
    ctx["items"] = ngettext("item", "items", n if isinstance(n, int) else 2)
    return ctx


def _got(value: Any) -> str:
    """What the file holds, in the specialist's words."""
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing (the value is empty)")
    hint = _(" (put it in double quotes)") if isinstance(value, (bool, int, float, dt.date)) else ""
    return short(value) + hint


def _allowed(loc: Loc) -> str:
    """`` (expected one of: …)`` for an unknown key, from the model the mapping should match."""
    model = _model_at(loc[:-1])
    if model is None:
        return ""
    names = [f.alias or n for n, f in model.model_fields.items()]
    close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
    if close:
        return _(" (did you mean {key}?)").format(key=repr(close[0]))
    return _(" (expected one of: {keys})").format(keys=", ".join(names))


def _model_at(loc: Loc):
    """The pydantic model that the data at ``loc`` must match, if it is one."""
    from pydantic import BaseModel

    from .models import Regulation

    ann: Any = Regulation
    for part in loc:
        ann = _unwrap(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            fields = {f.alias or n: f for n, f in ann.model_fields.items()}
            if part not in fields:
                return None
            ann = fields[part].annotation
        elif typing.get_origin(ann) is tuple:
            ann = typing.get_args(ann)[0]
        elif typing.get_origin(ann) is dict:
            ann = typing.get_args(ann)[1]
        else:
            return None
    ann = _unwrap(ann)
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _unwrap(ann: Any) -> Any:
    """``Annotated[X, ...]`` → X; ``X | None`` → X."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(args) != 1:
                return ann
            ann = args[0]
        else:
            return ann


# libyaml's words for the syntax slips people make, and what to do about each (first match wins).
SYNTAX: dict[str, str] = {
    "mapping values are not allowed": N_("a colon followed by a space inside a text; put the whole text in double "
                                         "quotes, like text: \"Important: call back\""),
    "could not find expected ':'": N_("a line that is not 'key: value' inside a mapping: a text going on to the next "
                                      "line needs quotes or '|', or a key lost its colon"),
    "did not find expected key": N_("this line does not fit the indentation of the lines above it; indent it like "
                                    "its neighbours"),
    "expected <block end>": N_("this line does not fit the indentation of the lines above it; indent it like its "
                               "neighbours"),
    "did not find expected '-' indicator": N_("a list item here does not line up with the list; start each item "
                                              "with '- ' in the same column"),
    "found character that cannot start any token": N_("a value cannot start with this character (such as @ or `); "
                                                      "put the text in double quotes"),
    "did not find expected node content": N_("a value is missing here, or starts with a character YAML reserves; "
                                             "put the text in double quotes"),
    "found undefined tag handle": N_("a value starting with '!' is read as a YAML tag; put the text in double quotes"),
    "found unknown escape character": N_("an unknown escape after a backslash in double quotes; write the backslash "
                                         "twice or use single quotes"),
    "expected alphabetic or numeric character": N_("a value starting with '&' or '*' is read as an anchor or alias; "
                                                   "put the text in double quotes"),
    "found unexpected end of stream": N_("the file ends inside an unfinished value: a quote or bracket is not closed"),
}


def syntax_problem(name: str, text: str, exc: Any, deep: str) -> Problem:
    """A libyaml error as one problem in the specialist's words, placed where they have to look."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "tab character" in problem or (mark and _char_at(text, mark.line, mark.column) == "\t"):
        return Problem(name, line, column, message=_("YAML syntax: a tab character; indent with spaces only"))
    if exc.context_mark and context.startswith(("while parsing a flow", "while scanning a quoted")):
        opened = exc.context_mark
        if "quoted" in context:
            message = _("YAML syntax: the quote opened here is not closed (expected the same quote before line {line})")
        else:
            message = _("YAML syntax: the {what} opened here is not closed (expected {closes} before line {line})")
        what = f"'{_char_at(text, opened.line, opened.column)}'"
        return Problem(name, opened.line + 1, opened.column + 1,
                       message=message.format(what=what, closes={"'['": "]", "'{'": "}"}.get(what, ""), line=line))
    if "maximum nesting depth" in problem:
        return Problem(name, line, column, message=deep)
    if quote := _open_quote(text, line, column):
        # A quote left open swallows the following lines; the parser stumbles only later.
        return Problem(name, *quote, message=_(
            "YAML syntax: the quote opened here is not closed on its line (expected the same quote before line {line})"
        ).format(line=line))
    said = next((_(v) for k, v in SYNTAX.items() if problem.startswith(k)), None)
    if said:
        return Problem(name, line, column, message=_("YAML syntax: {error}").format(error=said))
    what = "; ".join(p for p in (context, problem) if p)
    return Problem(name, line, column, message=_("YAML syntax: {error}").format(error=what))


def _open_quote(text: str, line: int, column: int) -> tuple[int, int] | None:
    """(line, column) of a double quote left open on a line above, that a quote on ``line`` closed.

    The text from the open quote up to that quote was read as one value; the parser only
    stumbles after it, on ``line``. Looking up from there, the first line with quotes at all
    opened the text if it holds an odd number of them.
    """
    lines = text.split("\n")
    if line > len(lines) or '"' not in lines[line - 1][: max(column - 1, 0)]:
        return None
    for number in range(line - 1, max(line - 40, 0), -1):
        body = lines[number - 1].split(" #")[0]  # a comment's quotes are not YAML's
        quotes = [i for i, c in enumerate(body) if c == '"' and (i == 0 or body[i - 1] != "\\")]
        if quotes:
            return (number, quotes[-1] + 1) if len(quotes) % 2 else None
    return None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""
