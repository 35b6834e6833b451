"""What Moodle's importer reads from a question, and how crmtrain takes it.

Both readers, GIFT (:mod:`.gift_read`) and Moodle XML (:mod:`.moodle_xml`), first read a file
the way Moodle's own importer does (``question/format/{gift,xml}/format.php``) into
:class:`MoodleQuestion`; :func:`take` then makes the crmtrain question of it and notes, per
question, every difference from Moodle's reading: what crmtrain cannot hold (per-answer
feedback, hints, response templates, fixed answer order, a subset of ordering items, extra
numeric answers...), and a question Moodle itself refuses (an invalid grade, a numeric answer
that is not a number) is refused with Moodle's reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..kinds.questions import QUESTION_KINDS, SHAPES, of_shape
from ..regulation.fields import ID_MAX
from . import credit
from .common import TOPICS, Result, finish, option_ids, read_tags

# The grades Moodle accepts for an answer (question_bank::fraction_options_full), as fractions.
GRADES = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
          0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
ORDERING = "ordering"  # Moodle's qtype_ordering (written as crmtrain's own word for it)
_NO_TYPE = "crmtrain has no such question type; not imported"
NOT_CRMTRAIN = {  # Moodle's types crmtrain cannot take, and why, as a specialist would read it
    "shortanswer": f"a short-answer question (typed text matched against answers): {_NO_TYPE}",
    "match": f"a matching question: {_NO_TYPE}", "matching": f"a matching question: {_NO_TYPE}",
    "description": "a description (text between questions), not a question; not imported",
    "multianswer": f"an embedded-answers (cloze) question: {_NO_TYPE}",
    "cloze": f"an embedded-answers (cloze) question: {_NO_TYPE}",
    "calculated": f"a calculated question: {_NO_TYPE}", "calculatedsimple": f"a calculated question: {_NO_TYPE}",
    "calculatedmulti": f"a calculated question: {_NO_TYPE}",
    "ddwtos": f"a drag-and-drop into text question: {_NO_TYPE}",
    "gapselect": f"a select-missing-words question: {_NO_TYPE}",
    "ddimageortext": f"a drag-and-drop onto image question: {_NO_TYPE}",
    "ddmarker": f"a drag-and-drop markers question: {_NO_TYPE}",
    "randomsamatch": f"a random short-answer matching question: {_NO_TYPE}",
}


@dataclass
class Answer:
    """One answer as Moodle reads it: text, grade (a fraction, 1 = full marks) and feedback."""

    text: str
    fraction: float
    feedback: str = ""
    tolerance: float = 0.0


@dataclass
class MoodleQuestion:
    """A question as Moodle's importer reads it (only what crmtrain can use or must report)."""

    qtype: str
    name: str
    position: int
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    text: str = ""
    explanation: str = ""
    answers: list[Answer] = field(default_factory=list)
    single: bool = True  # multichoice: one answer (radio buttons)
    correct: bool | None = None  # truefalse
    points: float = 1.0
    unit: str = ""
    more_units: int = 0
    hints: int = 0
    template: str = ""  # essay: the response template
    shuffle: bool = True
    shown: int | None = None  # ordering: how many items Moodle shows
    grading: str | None = None  # ordering: Moodle's grading type
    combined: list[str] = field(default_factory=list)  # custom right / partly right / wrong feedback given
    formatting: list[str] = field(default_factory=list)  # texts whose HTML formatting was read as plain text
    refused: str = ""  # Moodle's own importer refuses the question: why


def invalid_grades(q: MoodleQuestion) -> list[float]:
    """Grades Moodle refuses ("not one of the grades allowed"), as percentages."""
    if q.qtype in ("truefalse", ORDERING, "essay"):
        return []
    return [a.fraction * 100 for a in q.answers
            if not any(abs(abs(a.fraction) - g) < 0.00001 for g in GRADES)]


def _losses(q: MoodleQuestion, res: Result, qid: str) -> None:
    """Notes for what Moodle keeps and crmtrain cannot."""
    said = [f for f in (a.feedback for a in q.answers) if f.strip()]
    if said:
        res.note(qid, f"feedback on {len(said)} answer(s) not kept: crmtrain explains once, after the answer "
                      "(the explanation)")
    if q.combined:
        res.note(qid, f"custom {', '.join(q.combined)} feedback not kept: crmtrain shows its own verdicts")
    if q.hints:
        res.note(qid, f"{q.hints} hint(s) not kept: crmtrain gives no hints between tries")
    if q.template.strip():
        res.note(qid, "the response template is not kept: the trainee starts from an empty answer")
    if not q.shuffle and q.qtype == "multichoice":
        res.note(qid, "Moodle keeps the options in order (shuffle off); crmtrain shows them as written")
    for what in dict.fromkeys(q.formatting):
        res.note(qid, f"{what}: HTML formatting (lists, bold, tables, images) read as plain text")


def _is_shape(named: str, shape: str) -> bool:
    """Whether ``named`` is a crmtrain question type whose answers have this shape."""
    kind = QUESTION_KINDS.get(named)
    return kind is not None and kind.shape == shape


def _type(shape: str, named: str | dict) -> str:
    """The crmtrain type of an answer of this shape: the one a crmtrain export named, if it fits."""
    if isinstance(named, dict):
        named = (named.get("type") or [""])[0]
    kind = of_shape(shape, named)
    if kind is None:
        raise NotTaken(f"crmtrain has no question type that holds {SHAPES[shape]}")
    return kind.name


def _choice(q: MoodleQuestion, data: dict, meta: dict, res: Result) -> None:
    ids = option_ids(meta, len(q.answers))
    data["options"] = [{"id": i, "text": a.text} for i, a in zip(ids, q.answers)]
    weights = [a.fraction * 100 for a in q.answers]
    named = (meta.get("type") or [""])[0]  # a crmtrain export says its type; Moodle's 'single' may disagree
    if q.single and not _is_shape(named, "options"):
        best = max(range(len(weights)), key=lambda i: weights[i]) if weights else None
        data.update(type=_type("option", named), answer=ids[best] if best is not None else None)
        full = [w for w in weights if w >= 100 - 1e-6]
        if len(full) > 1:
            res.note(data["id"], f"{len(full)} answers give full marks in Moodle; crmtrain single choice keeps the "
                                 "first as the one right answer")
        if any(0 < w < 100 - 1e-6 for w in weights):
            res.note(data["id"], "partial-credit answers became wrong options: crmtrain single choice has one "
                                 "right answer")
        return
    right, partial = credit.read_choice(ids, weights, meta, data["id"], res)
    data.update(type=_type("options", named), answer=right)
    if partial is not None:
        data["partial_credit"] = partial


class NotTaken(Exception):
    """A question Moodle reads that crmtrain cannot take; the message says why."""


def _value(text: str) -> int | float | None:
    """A numeric answer as Moodle stores it ('1822', '3.14', '-1e3'); None when it is not a number."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return int(value) if re.fullmatch(r"[+-]?\d+", text.strip()) else value


def _numeric(q: MoodleQuestion, data: dict, meta: dict, res: Result) -> None:
    numbers = [(a, _value(a.text)) for a in q.answers if a.text != "*"]
    usable = [(a, v) for a, v in numbers if v is not None]
    if not usable:
        raise NotTaken("no numeric answer that is a number: crmtrain needs a value to compare with")
    best, value = max(usable, key=lambda p: p[0].fraction)
    data.update(type=_type("number", meta), answer=value, tolerance=abs(best.tolerance))
    others = [a for a, _ in numbers if a is not best and a.fraction > 0]
    for a in others:
        res.note(data["id"], f"Moodle also gives {a.fraction * 100:g} % for {a.text} ± {a.tolerance:g}: crmtrain "
                             "keeps one value and its tolerance")
    if any(a.text == "*" and a.fraction > 0 for a in q.answers):
        res.note(data["id"], "Moodle gives marks for any answer ('*'); crmtrain gives them for the value only")
    if q.unit or meta.get("unit"):
        data["unit"] = q.unit or meta["unit"][0]
    if q.more_units:
        res.note(data["id"], f"{q.more_units} more unit(s) not kept: crmtrain shows one unit")


def _truefalse(q: MoodleQuestion, data: dict, meta: dict, res: Result) -> None:
    data.update(type=_type("boolean", meta), answer=q.correct)


def _ordering(q: MoodleQuestion, data: dict, meta: dict, res: Result) -> None:
    ids = option_ids(meta, len(q.answers))
    text = dict(zip(ids, (a.text for a in q.answers)))
    shown = (meta.get("shown") or [""])[0].split("|")
    order = shown if sorted(shown) == sorted(ids) else ids
    data.update(type=_type("order", meta), options=[{"id": i, "text": text[i]} for i in order], answer=tuple(ids))
    if q.shown is not None and q.shown < len(ids):
        res.note(data["id"], f"Moodle shows only {q.shown} of the {len(ids)} items; crmtrain asks to order them all")
    partial = credit.read_ordering(q.grading, meta, data["id"], res)
    if partial is not None:
        data["partial_credit"] = partial


def _essay(q: MoodleQuestion, data: dict, meta: dict, res: Result) -> None:
    data["type"] = _type("text", meta)


# One reader per Moodle type crmtrain has an answer shape for (the crmtrain type comes from the shape).
READERS = {"multichoice": _choice, "numerical": _numeric, "truefalse": _truefalse, ORDERING: _ordering,
           "essay": _essay}


class Ids:
    """Valid, unique crmtrain ids made from Moodle's idnumbers and names (any script, any punctuation)."""

    def __init__(self) -> None:
        self.taken: dict[str, str] = {}

    def make(self, q: MoodleQuestion, res: Result) -> str:
        """The question's id: its idnumber or name as an id, numbered when an earlier question has it."""
        base = slug(q.idnumber) or slug(q.name) or f"q{q.position:03d}"
        qid, n = base, 1
        while qid in self.taken:
            n += 1
            qid = f"{base[:ID_MAX - len(str(n)) - 1]}-{n}"
        if qid != base:
            res.note(qid, f"an earlier question has the id {base} (from its name or idnumber): this one is {qid}")
        self.taken[qid] = qid
        return qid


_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def slug(text: str) -> str:
    """An id from any name: 'Lesson 1.2' → 'Lesson-1-2', 'Вопрос 3' → 'Vopros-3' ('' when nothing is left)."""
    latin = "".join(_CYRILLIC.get(c, c) if c.islower() else _CYRILLIC.get(c.lower(), c).capitalize()
                    for c in text.strip())
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    out = re.sub(r"[^A-Za-z0-9]+", "-", latin).strip("-")
    return out[:ID_MAX].rstrip("-")


def take(q: MoodleQuestion, res: Result, ids: Ids, topic: str | None, source: str) -> None:
    """Add the crmtrain question for one question Moodle read (or say why it is not taken)."""
    qid = ids.make(q, res)
    if q.refused:
        res.note(qid, f"not imported: Moodle's own importer refuses it ({q.refused})", lost=True)
        return
    if q.qtype not in READERS:
        res.note(qid, NOT_CRMTRAIN.get(q.qtype, f"Moodle's question type '{q.qtype}': {_NO_TYPE}"), lost=True)
        return
    if bad := invalid_grades(q):
        res.note(qid, "not imported: Moodle's own importer refuses it (grade "
                      f"{', '.join(f'{g:g} %' for g in bad)} is not one of Moodle's grades)", lost=True)
        return
    meta, others = read_tags(q.tags)
    if topic and not meta.get("topic"):
        meta["topic"] = [topic]
    data: dict = {"id": qid, "text": q.text, "explanation": q.explanation}
    points = max(1, round(q.points))
    if meta.get("points"):
        points = int(meta["points"][0])
    elif abs(q.points - points) > 1e-9:
        res.note(qid, f"mark {q.points:g} rounded to {points} point(s): crmtrain counts whole points")
    data["points"] = points
    if others:
        res.note(qid, f"Moodle tags not kept: {', '.join(others)}")
    try:
        READERS[q.qtype](q, data, meta, res)
    except NotTaken as exc:
        res.note(qid, f"not imported: {exc}", lost=True)
        return
    _losses(q, res, qid)
    finish(res, data, meta, source=source, position=q.position)


def category_topic(path: str) -> str | None:
    """The crmtrain topic a Moodle category path names as its last part (``.../crmtrain/sales``)."""
    last = path.strip().rstrip("/").rsplit("/", 1)[-1]
    return last if last in TOPICS else None
