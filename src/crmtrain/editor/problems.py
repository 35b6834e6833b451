"""The problems of the regulation being edited, at the field they concern (JSON pointers).

The same checks as ``crmtrain check``, run on the form's data instead of the file: the models'
validation with the loader's friendly messages, the cross-reference checks, and the
completeness report ("still to do"). A process that edits keeps pydantic's validators built
(the first call builds them), so each check of a sample-sized regulation takes milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from ..regulation.positions import Loc

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
# The checks' "(did you mean 'x'?)" in any language: a quoted value, a question mark, a bracket.
_DID_YOU_MEAN = re.compile(r"'([^']+)'\?\)\s*$")


@dataclass(frozen=True)
class Found:
    """One problem: where (a JSON pointer), what, how bad, and a value that fixes it if known."""

    pointer: str
    message: str
    severity: str = "error"  # "error": the file is not valid; "todo": valid, but not finished
    fix: Any = None

    def as_json(self) -> dict:
        """The record the browser receives."""
        return asdict(self)


def pointer(loc: Loc) -> str:
    """``("a", 2, "b")`` → ``/a/2/b`` (RFC 6901, with ~ and / escaped)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def loc_of(field: str) -> Loc:
    """``client_work.pipeline.transitions[2].to`` → ``("client_work", "pipeline", "transitions", 2, "to")``."""
    return tuple(int(index) if index else key for key, index in _PART.findall(field))


def check_data(data: Any, name: str = "regulation.yaml") -> list[Found]:
    """Every problem of the regulation ``data`` (the form's JSON), errors first, then what is still to do."""
    from ..i18n import speaking

    meta = data.get("meta") if isinstance(data, dict) else None
    with speaking(meta.get("language") if isinstance(meta, dict) else None):
        return _check(data, name)


def _check(data: Any, name: str) -> list[Found]:
    from pydantic import ValidationError

    from ..regulation import messages
    from ..regulation.checks import check
    from ..regulation.completeness import report
    from ..regulation.models import Regulation
    from ..regulation.positions import Positions

    if not isinstance(data, dict):
        return [Found("", "the regulation must be a mapping of its parts (meta, summary, ...)")]
    try:
        reg = Regulation.model_validate(data)
    except ValidationError as exc:
        # A misspelt key's "did you mean" names a key, not a value: no fix to apply here.
        return [Found(pointer(loc_of(p.field)), p.message) for p in messages.problems(name, exc, Positions(root=data))]
    errors = [_found(loc, message) for loc, message in check(reg)]
    if errors:
        return errors
    return [_found(loc or (), message, "todo") for part in report(reg) for loc, message in part.gaps]


def _found(loc: Loc, message: str, severity: str = "error") -> Found:
    fix = _DID_YOU_MEAN.search(message) if severity == "error" else None
    return Found(pointer(loc), message, severity, fix.group(1) if fix else None)
