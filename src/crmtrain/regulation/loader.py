"""Read a regulation YAML file into models, reporting every problem with its line.

Like nbformat: :func:`iter_problems` yields every problem, :func:`load` raises one
:class:`~crmtrain.errors.UserError` listing them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError
from .positions import Loc, Positions, field_path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a regulation, located in its file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.file}:{self.line}:{field} {self.message}"


def _read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{name}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read ({exc.strerror})") from None
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "duplicate key" in what:
            what = "duplicate key " + what.split('"')[1] if '"' in what else what
        return None, [Problem(name, line, "", f"YAML syntax: {what}")]
    except YAMLError as exc:
        return None, [Problem(name, 1, "", f"YAML syntax: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(name, 1, "", "expected a mapping with meta, summary, order_processing, "
                                          "client_work, questions and assessments")]
    return data, []


def _plain(node: Any) -> Any:
    """ruamel's commented containers → plain dicts/lists, so pydantic sees ordinary data."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if type(node).__name__ == "TimeStamp":
        return node.date() if (node.hour, node.minute, node.second) == (0, 0, 0) else node
    if isinstance(node, str):
        return str(node)
    return node


def _pydantic_problems(name: str, exc: Any, pos: Positions) -> list[Problem]:
    """Turn pydantic errors into problems; union alternatives collapse into one line."""
    errors = exc.errors(include_url=False)
    failed = [tuple(e["loc"]) for e in errors]
    by_loc: dict[Loc, list[str]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and any(f[: len(loc)] == loc and f != loc for f in failed):
            continue  # a list left short only because its own items failed: they say more
        # Union members and validator names appear in the loc; keep only the document path.
        trimmed: list[str | int] = []
        for part in loc:
            if pos.exists((*trimmed, part)):
                trimmed.append(part)
            elif err["type"] == "missing" and part == loc[-1]:
                trimmed.append(part)
            else:
                break
        msg = _message(err)
        by_loc.setdefault(tuple(trimmed), [])
        if msg not in by_loc[tuple(trimmed)]:
            by_loc[tuple(trimmed)].append(msg)
    out = []
    for loc, msgs in by_loc.items():
        msg = msgs[0] if len(msgs) == 1 else "; or ".join(msgs[:3])
        out.append(Problem(name, pos.line(loc), field_path(loc), msg))
    return out


def _message(err: dict) -> str:
    kind, msg = err["type"], err["msg"]
    value = err.get("input")
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see docs/regulation-format.md)"
    if kind == "missing":
        return "required but missing"
    if kind == "enum" or kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed; expected {expected}"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        if "HH" in str(err.get("ctx", {})) or ":" in str(err.get("ctx", {}).get("pattern", "")):
            return f"{value!r} is not a time like 09:00"
        return f"{value!r} is not a valid id (letters, digits, '_', '-', '.'; no spaces)"
    if isinstance(value, (dict, list)):
        return msg[0].lower() + msg[1:]
    return f"{msg[0].lower() + msg[1:]} (got {value!r})"


def iter_problems(path: str | Path) -> Iterator[Problem]:
    """Yield every problem of the regulation at ``path`` (nothing if it is valid)."""
    _, problems, _ = _load(Path(path))
    yield from problems


def load(path: str | Path):
    """Load and validate a regulation; raise UserError listing every problem."""
    return load_with_positions(path)[0]


def load_with_positions(path: str | Path):
    """Like :func:`load`, also returning the :class:`Positions` of the parsed document."""
    reg, problems, pos = _load(Path(path))
    if problems:
        lines = [str(p) for p in problems]
        noun = "problem" if len(lines) == 1 else "problems"
        raise UserError(f"{path}: {len(lines)} {noun} in the regulation", lines)
    return reg, pos


def _load(path: Path):
    from pydantic import ValidationError

    from .checks import check
    from .models import Regulation

    name = str(path)
    data, problems = _read_yaml(path)
    if problems:
        return None, problems, None
    pos = Positions(data)
    try:
        reg = Regulation.model_validate(_plain(data))
    except ValidationError as exc:
        return None, sorted(_pydantic_problems(name, exc, pos), key=lambda p: p.line), pos
    found = [Problem(name, pos.line(loc), field_path(loc), msg) for loc, msg in check(reg)]
    return reg, sorted(found, key=lambda p: p.line), pos
