"""GIFT: Moodle's plain-text question format (Question bank → Import → GIFT).

A question is ``::name::[markdown]text{answers}``, questions are separated by blank lines,
``// [id:...]`` and ``// [tag:...]`` comments carry the idnumber and tags (Moodle reads both),
newlines inside a text are written ``\\n`` and ``~ = # { } :`` are escaped with a backslash.
GIFT has no units and no marks: those are reported per question (units and points still travel
in crmtrain tags, so a crmtrain round trip keeps them). Ordering questions are written in the
form of Moodle 4.4's ordering type (``{>N ALL VERTICAL GRADING SHOW none`` and one item a line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import _
from ..regulation.models import Question
from . import credit
from .common import Result, meta_tags, ordering_tags

SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """GIFT-escape text and keep it on one line."""
    out = "".join("\\" + c if c in SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def _text(text: str) -> str:
    """A text as Moodle's GIFT reader will give it back: one that starts with '[' would lose a
    '[html]'-like start to the format, so it gets an explicit one."""
    return ("[markdown]" if text.startswith("[") else "") + escape(text)


def _feedback(q: Question) -> str:
    return f"####{_text(q.explanation)}" if q.explanation else ""


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _arrows(q: Question, res: Result) -> None:
    if any("->" in o.text for o in q.options):
        res.note(q.id, _("an option contains '->', which Moodle's GIFT reader takes for a matching question; use Moodle XML"))


def _single(q: Question, res: Result) -> str | None:
    _arrows(q, res)
    # Moodle reads no weight after '=', and a '%…%' start after '~' as a weight: a wrong option
    # that starts with '%' gets an explicit 0 % so that its text stays whole.
    return " ".join(("=" if o.id == q.answer else "~" + ("%0%" if o.text.startswith("%") else "")) + _text(o.text)
                    for o in q.options)


def _multiple(q: Question, res: Result) -> str | None:
    _arrows(q, res)
    if note := credit.all_or_nothing_note(q):
        res.note(q.id, note)
    weights = credit.choice_weights(q)
    return " ".join(f"~%{_weight(weights[o.id])}%{_text(o.text)}" for o in q.options)


def _true_false(q: Question, res: Result) -> str | None:
    return "TRUE" if q.answer else "FALSE"


def _numeric(q: Question, res: Result) -> str | None:
    if q.unit:
        res.note(q.id, _("GIFT has no units: Moodle will not show '{unit}' (kept in a crmtrain tag)").format(unit=q.unit))
    value = repr(q.answer) if isinstance(q.answer, float) else str(q.answer)
    return f"#{value}:{q.tolerance:g}" if q.tolerance else f"#{value}"


def _open(q: Question, res: Result) -> str | None:
    return ""


def _ordering(q: Question, res: Result) -> str | None:
    # Moodle 4.4's ordering type reads '{>N SELECT LAYOUT GRADING SHOW NUMBERING' and one item per line,
    # in the right order; it does not unescape the items, so an item that needs escaping cannot go.
    text = {o.id: o.text for o in q.options}
    items = [text[oid].strip() for oid in q.answer or ()]
    if any(c in item for item in items for c in "{}\n\\") or any("####" in item for item in items):
        res.note(q.id, _("an item holds a brace, a backslash, a line break or '####', which Moodle's GIFT reader "
                         "cannot take in an ordering question; not exported (use Moodle XML)"), lost=True)
        return None
    res.note(q.id, _("needs Moodle's Ordering question type (qtype_ordering, standard since Moodle 4.4)"))
    head = f">{len(items)} ALL VERTICAL {credit.ordering_grading(q)} SHOW none"
    return "\n".join([head, *items, ""])


@dataclass(frozen=True)
class GiftType:
    """How one crmtrain question type is written in GIFT (None: it cannot be)."""

    answers: Callable[[Question, Result], str | None]
    tags: Callable[..., list[str]] = meta_tags


# Per answer shape (kinds.questions.SHAPES): every question type of that shape is written so.
EXPORT: dict[str, GiftType] = {
    "option": GiftType(_single),
    "options": GiftType(_multiple),
    "boolean": GiftType(_true_false),
    "number": GiftType(_numeric),
    "order": GiftType(_ordering, ordering_tags),
    "text": GiftType(_open),
}


def _block(q: Question, res: Result) -> str | None:
    kind = EXPORT.get(q.kind.shape)
    if kind is None:
        res.note(q.id, _("GIFT has no form for a {type} question; not exported").format(type=q.type.value), lost=True)
        return None
    answers = kind.answers(q, res)
    if answers is None:
        return None
    extra = {"type": q.type.value}
    if q.unit:
        extra["unit"] = q.unit
    if q.points != 1:
        extra["points"] = str(q.points)
        res.note(q.id, _("GIFT has no marks: Moodle will count {points} points as 1 (kept in a crmtrain tag)").format(
            points=q.points))
    tags = " ".join(f"[tag:{t}]" for t in kind.tags(q, extra))
    body = f"{answers} {_feedback(q)}".strip()
    return f"// [id:{q.id}] {tags}\n::{escape(q.id)}::[markdown]{escape(q.text)}{{{body}}}"


def export_gift(questions: list[Question] | tuple[Question, ...]) -> Result:
    """The bank as GIFT text, a ``$CATEGORY`` per topic; notes per question."""
    res = Result()
    blocks = []
    topic = None
    for q in questions:  # in the bank's order (draws depend on it): a category wherever the topic changes
        if q.topic.value != topic:
            topic = q.topic.value
            blocks.append(f"$CATEGORY: $course$/top/crmtrain/{topic}")
        block = _block(q, res)
        if block is not None:
            blocks.append(block)
    res.text = "\n\n".join(blocks) + "\n"
    return res


# --- import ---------------------------------------------------------------------------------


def import_gift(text: str, source: str = "gift") -> Result:
    """Questions from GIFT text, read as Moodle reads them; every question not taken as it was gets a note."""
    from .gift_read import read_question, split_questions
    from .moodle import Ids, category_topic, take

    res, ids, topic = Result(), Ids(), None
    for position, lines in split_questions(text.lstrip("\ufeff")):
        q = read_question(lines, position)
        if isinstance(q, str):
            topic = category_topic(q)
        elif q is not None:
            take(q, res, ids, topic, f"{source} line")
    return res
