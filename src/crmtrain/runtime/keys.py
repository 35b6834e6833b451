"""Sealed answer keys: made by the notebook builder, checked inside the trainee's kernel.

A sealed key only stops a trainee from reading the answer off the notebook at a glance. It
does not stop a determined programmer: the salt travels inside the key and this code is
open, so anyone can recompute the hashes or decode the number. That is acceptable for
practice workbooks; graded assessments check answers with nbgrader hidden tests instead.

Key shapes, in :data:`SHAPES`; each question kind (``crmtrain.kinds.questions``) names its
own. All keys carry ``v``, ``type`` and ``salt``; hashes are salted SHA-256, hex, cut to 80
bits, and every hash also covers the question id and type so keys cannot be swapped:

* option (single) / boolean (true_false): ``hash`` of the canonical value (option id, or
  "true"/"false");
* marks (multiple): ``marks`` = {option id: hash(option id, "1" if correct else "0")} for
  every option, so feedback can say which choices are wrong or missing;
* order (ordering): ``sequence`` = hash of the whole order, ``positions`` = hash(i, id) per place;
* number (numeric): ``code`` = base64 of JSON ``[value, tolerance]`` XORed with a keystream
  derived from the salt, because a hash cannot check "within tolerance".
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from ..kinds.questions import PRACTICE_TYPES, QUESTION_KINDS

VERSION = 1
TYPES = PRACTICE_TYPES  # the question types a workbook can seal
_HEX = 20  # 80 bits: plenty to tell a handful of options apart, short enough to read past


@dataclass(frozen=True)
class Verdict:
    """Result of checking one response; ``wrong_positions`` are 0-based (ordering only)."""

    correct: bool
    wrong: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    wrong_positions: tuple[int, ...] = ()


def _digest(salt: str, qid: str, qtype: str, *parts: object) -> str:
    h = hashlib.sha256()
    for part in (VERSION, salt, qid, qtype, *parts):
        # The separator keeps ("ab", "c") and ("a", "bc") from hashing alike.
        h.update(str(part).encode("utf-8") + b"\x1f")
    return h.hexdigest()[:_HEX]


def _keystream(salt: str, qid: str, size: int) -> bytes:
    out = b""
    block = 0
    while len(out) < size:
        out += hashlib.sha256(f"{salt}\x1f{qid}\x1fnumeric\x1f{block}".encode("utf-8")).digest()
        block += 1
    return out[:size]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream))


def parse_number(text: str | int | float) -> float:
    """Read a number the way people type it: "2,5", "2.5", "1 000", "−3" (ValueError if not)."""
    if isinstance(text, bool):
        raise ValueError("a yes/no value is not a number")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = str(text).strip().replace("\u2212", "-")
        for space in (" ", "\u00a0", "\u202f", "'", "_"):
            s = s.replace(space, "")
        if "," in s and "." in s:
            # Whichever separator comes last is the decimal one: "1,234.5" or "1.234,5".
            if s.rfind(",") > s.rfind("."):
                s = s.replace(".", "").replace(",", ".")
            else:
                s = s.replace(",", "")
        elif s.count(",") == 1:
            # Russian users write decimals with a comma; that wins over "1,000" = 1000.
            s = s.replace(",", ".")
        elif s.count(",") > 1:
            s = s.replace(",", "")
        value = float(s)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _canonical_bool(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower()
    raise ValueError(f"expected True or False, got {value!r}")


def _ids(answer: Any, what: str) -> tuple[str, ...]:
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        raise ValueError(f"{what} is a list of option ids")
    ids = tuple(answer)
    if not ids or len(set(ids)) != len(ids) or not all(isinstance(i, str) for i in ids):
        raise ValueError(f"{what} is a non-empty list of distinct option ids")
    return ids


def _check_key(key: dict, qtype: str) -> None:
    if not isinstance(key, dict) or key.get("v") != VERSION or key.get("type") != qtype:
        raise ValueError(f"this key is not a version-{VERSION} key for a {qtype!r} question")


def _numeric(key: dict, qid: str) -> tuple[float, float]:
    try:
        code = base64.urlsafe_b64decode(key["code"].encode("ascii"))
        value, tolerance = json.loads(_xor(code, _keystream(key["salt"], qid, len(code))))
        return float(value), float(tolerance)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError("this numeric key is damaged or belongs to another question") from exc


def _seal_option(salt, qid, qtype, answer, options, tolerance):
    if not isinstance(answer, str) or not answer:
        raise ValueError("a single-choice answer is one option id")
    return {"hash": _digest(salt, qid, qtype, answer)}


def _verify_hash(key, qid, qtype, response, canonical: Callable[[Any], str]) -> Verdict:
    if response is None:
        return Verdict(False)
    if _digest(key["salt"], qid, qtype, canonical(response)) == key["hash"]:
        return Verdict(True)
    return Verdict(False, wrong=(str(response),))


def _verify_option(key, qid, qtype, response):
    return _verify_hash(key, qid, qtype, response, str)


def _reveal_option(key, qid, qtype, options):
    return next((o for o in options if _verify_option(key, qid, qtype, o).correct), None)


def _seal_boolean(salt, qid, qtype, answer, options, tolerance):
    return {"hash": _digest(salt, qid, qtype, _canonical_bool(answer))}


def _verify_boolean(key, qid, qtype, response):
    return _verify_hash(key, qid, qtype, response, _canonical_bool)


def _reveal_boolean(key, qid, qtype, options):
    return _verify_boolean(key, qid, qtype, True).correct


def _seal_marks(salt, qid, qtype, answer, options, tolerance):
    chosen = _ids(answer, "a multiple-choice answer")
    if not options:
        raise ValueError("sealing a multiple-choice key needs options= (every option id)")
    if set(chosen) - set(options):
        raise ValueError(f"answer ids {sorted(set(chosen) - set(options))} are not options")
    return {"marks": {o: _digest(salt, qid, qtype, o, int(o in chosen)) for o in sorted(options)}}


def _verify_marks(key, qid, qtype, response):
    chosen = set(response or ())
    right = {o for o, mark in key["marks"].items() if mark == _digest(key["salt"], qid, qtype, o, 1)}
    wrong = tuple(sorted(chosen - right))
    missing = tuple(sorted(right - chosen))
    return Verdict(not wrong and not missing, wrong=wrong, missing=missing)


def _reveal_marks(key, qid, qtype, options):
    right = set(_verify_marks(key, qid, qtype, ()).missing)
    return tuple(o for o in (options or sorted(right)) if o in right)


def _seal_order(salt, qid, qtype, answer, options, tolerance):
    order = _ids(answer, "an ordering answer")
    return {"sequence": _digest(salt, qid, qtype, *order),
            "positions": [_digest(salt, qid, qtype, i, o) for i, o in enumerate(order)]}


def _verify_order(key, qid, qtype, response):
    salt = key["salt"]
    order = [str(o) for o in (response or ())]
    places = key["positions"]
    bad = tuple(
        i
        for i in range(max(len(order), len(places)))
        if i >= len(order) or i >= len(places) or places[i] != _digest(salt, qid, qtype, i, order[i])
    )
    whole = _digest(salt, qid, qtype, *order) == key["sequence"]
    return Verdict(whole and not bad, wrong_positions=bad)


def _reveal_order(key, qid, qtype, options):
    found = [
        next((o for o in options if place == _digest(key["salt"], qid, qtype, i, o)), None)
        for i, place in enumerate(key["positions"])
    ]
    return tuple(found) if None not in found else None


def _seal_number(salt, qid, qtype, answer, options, tolerance):
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        raise ValueError("a numeric answer is a number")
    payload = json.dumps([float(answer), float(tolerance)]).encode("utf-8")
    code = _xor(payload, _keystream(salt, qid, len(payload)))
    return {"code": base64.urlsafe_b64encode(code).decode("ascii")}


def _verify_number(key, qid, qtype, response):
    value, tolerance = _numeric(key, qid)
    given = parse_number(response)
    # A hair of slack so that 0.1 + 0.2 style float noise never fails an exact answer.
    return Verdict(abs(given - value) <= tolerance + 1e-9 * max(1.0, abs(value)))


def _reveal_number(key, qid, qtype, options):
    return _numeric(key, qid)[0]


@dataclass(frozen=True)
class KeyShape:
    """How one kind of answer is sealed, checked against and revealed (a question kind names it)."""

    seal: Callable[..., dict]  # (salt, qid, qtype, answer, options, tolerance) -> the key's own fields
    verify: Callable[..., Verdict]  # (key, qid, qtype, response)
    reveal: Callable[..., Any]  # (key, qid, qtype, option ids)


# Key shape name (QuestionKind.key) -> how it works. A new question type picks one or adds one.
SHAPES: dict[str, KeyShape] = {
    "option": KeyShape(_seal_option, _verify_option, _reveal_option),
    "boolean": KeyShape(_seal_boolean, _verify_boolean, _reveal_boolean),
    "marks": KeyShape(_seal_marks, _verify_marks, _reveal_marks),
    "order": KeyShape(_seal_order, _verify_order, _reveal_order),
    "number": KeyShape(_seal_number, _verify_number, _reveal_number),
}


def _shape(qtype: str) -> KeyShape:
    kind = QUESTION_KINDS.get(qtype)
    if kind is None or kind.key is None:
        raise ValueError(f"cannot seal a {qtype!r} question; sealable types: {', '.join(TYPES)}")
    return SHAPES[kind.key]


def seal(
    qid: str,
    qtype: str,
    answer: Any,
    tolerance: float = 0.0,
    salt: str = "",
    options: Sequence[str] = (),
) -> dict:
    """Seal a question's answer into a key; ``options`` (all option ids) is needed for "multiple"."""
    shape = _shape(qtype)
    if tolerance < 0:
        raise ValueError("tolerance must not be negative")
    key: dict[str, Any] = {"v": VERSION, "type": qtype, "salt": salt}
    key.update(shape.seal(salt, qid, qtype, answer, options, tolerance))
    return key


def verify(key: dict, qid: str, qtype: str, response: Any) -> Verdict:
    """Check a response against a sealed key (numeric: ValueError if it is not a number)."""
    _check_key(key, qtype)
    return _shape(qtype).verify(key, qid, qtype, response)


def reveal(key: dict, qid: str, qtype: str, options: Sequence[str] = ()) -> Any:
    """The sealed answer, for "Show answer"; choice types need the candidate option ids."""
    _check_key(key, qtype)
    return _shape(qtype).reveal(key, qid, qtype, options)
