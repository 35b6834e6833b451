"""Read a regulation YAML file into models, reporting every problem with its position.

Like nbformat: :func:`iter_validate` yields every problem, :func:`validate` and :func:`load`
raise one :class:`~crmtrain.errors.UserError` carrying them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, UserError
from ..i18n import _, ngettext, speaking
from .positions import Positions, field_path
from .formats.yamlread import ReadFailed, read

if TYPE_CHECKING:
    from .models import Regulation

MAX_MESSAGE = 400  # characters; values in messages are shortened, this bounds the rest
MAX_FIELD = 120  # a field path made of a huge misspelt key
MAX_LISTED = 100  # problems a UserError lists; iter_validate yields them all


def iter_validate(path: str | Path) -> Iterator[Problem]:
    """Yield every problem of the regulation at ``path`` (nothing if it is valid)."""
    yield from _load(Path(path))[1]


def validate(path: str | Path) -> None:
    """Raise UserError listing every problem of the regulation at ``path``; None if valid."""
    load_with_positions(path)


def load(path: str | Path) -> Regulation:
    """Load and validate a regulation; raise UserError listing every problem."""
    return load_with_positions(path)[0]


def load_with_positions(path: str | Path) -> tuple[Regulation, Positions]:
    """Like :func:`load`, also returning the :class:`Positions` of the parsed document."""
    reg, problems, pos, lang = _load(Path(path))
    if len(problems) == 1 and not problems[0].line:  # the file itself: missing, a device, too big
        raise UserError(str(problems[0]))
    if problems:
        n = len(problems)
        with speaking(lang):
            text = ngettext("{path}: {n} problem in the regulation", "{path}: {n} problems in the regulation", n)
            listed = _(" (the first {max} are listed)").format(max=MAX_LISTED) if n > MAX_LISTED else ""
        raise UserError(text.format(path=path, n=f"{n:,}") + listed, problems[:MAX_LISTED])
    return reg, pos


def declared_language(data: object) -> str | None:
    """The ``meta.language`` a document declares, if it reads as one (before any validation)."""
    meta = data.get("meta") if isinstance(data, dict) else None
    lang = meta.get("language") if isinstance(meta, dict) else None
    return lang if isinstance(lang, str) else None


def _load(path: Path) -> tuple[Regulation | None, list[Problem], Positions | None, str | None]:
    """The regulation (None when it has problems), its problems, positions and declared language."""
    if path.suffix.lower() == ".xlsx":
        return _load_workbook(path)
    try:
        data, pos, problems = read(path)
    except ReadFailed as exc:
        return None, exc.problems, None, exc.language
    # The specialist reads the problems of a Russian regulation in Russian, whatever the locale.
    lang = declared_language(data)
    with speaking(lang):
        return (*_validate(str(path), data, pos, problems), lang)


def _load_workbook(path: Path):
    """Like a YAML file, but problems located as ``regulation.xlsx:Sheet!C14``."""
    from .positions import Positions
    from .formats.workbook import read_workbook

    try:
        data, cells = read_workbook(path)
    except UserError as exc:
        return None, [Problem(message=str(exc))], None, None
    lang = declared_language(data)
    with speaking(lang):
        reg, problems, pos = _validate(str(path), data, Positions(data), [])
    return reg, [_in_cell(p, path, cells) for p in problems], pos, lang


def _in_cell(problem: Problem, path: Path, cells: dict) -> Problem:
    """A problem placed at the workbook cell of its field (or of the nearest record that has one)."""
    import re

    loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", problem.field))
    for n in range(len(loc), -1, -1):
        if loc[:n] in cells:
            return Problem(f"{path}:{cells[loc[:n]]}", 0, 0, problem.field, problem.message)
    return Problem(str(path), 0, 0, problem.field, problem.message)


def _validate(name: str, data: dict, pos: Positions, problems: list[Problem]):
    from pydantic import ValidationError

    from . import messages
    from .checks import check
    from .models import Regulation

    try:
        reg = Regulation.model_validate(data)
    except ValidationError as exc:
        found = messages.problems(name, exc, pos)
        return None, _tidy(problems, found), pos
    if problems:  # e.g. a duplicate key: the model holds the first value, so checks could mislead
        return None, _tidy(problems, []), pos
    found = [Problem(name, *messages.place(loc, pos), field_path(loc), msg) for loc, msg in check(reg)]
    if found:
        return None, _tidy([], found), pos
    from .rulechecks import with_rule_keys

    return with_rule_keys(reg), [], pos  # questions with 'answer_from' get their key from the rule


def _tidy(reading: list[Problem], found: list[Problem]) -> list[Problem]:
    """Reading problems first claim their field; later problems at or under it are knock-ons."""
    claimed = {p.field for p in reading if p.field}
    kept = [p for p in found if not any(p.field == c or p.field.startswith((c + ".", c + "[")) for c in claimed)]
    out = []
    for p in sorted(reading + kept, key=lambda p: (p.line, p.column)):
        if len(p.message) > MAX_MESSAGE or len(p.field) > MAX_FIELD:
            p = Problem(p.file, p.line, p.column, _cut(p.field, MAX_FIELD), _cut(p.message, MAX_MESSAGE))
        out.append(p)
    return out


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
