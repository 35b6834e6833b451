"""What every format shares: notes per question, crmtrain's metadata as tags, building questions.

Moodle has no place for a question's regulation refs, topic, pool or option ids, so they
travel as tags (``crmtrain-ref:order-intake``); Moodle keeps tags through import and export,
and a bank exported by crmtrain comes back equal.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ..regulation.checks import question_shapes
from ..regulation.models import Question, QuestionType, TestTopic

TAG = "crmtrain-"
TOPICS = tuple(t.value for t in TestTopic)
TYPES = tuple(t.value for t in QuestionType)


@dataclass(frozen=True)
class Note:
    """Something about one question that a format could not hold, or that import had to guess."""

    question: str
    message: str
    lost: bool = False  # True: the question (or part of it) is not in the result at all

    def __str__(self) -> str:
        return f"{self.question}: {self.message}"


@dataclass
class Result:
    """A conversion's output: the text or the questions, and the notes per question."""

    questions: list[Question] = field(default_factory=list)
    processes: list[dict] = field(default_factory=list)  # a process format's: the regulation's process data
    text: str = ""
    notes: list[Note] = field(default_factory=list)

    def note(self, qid: str, message: str, lost: bool = False) -> None:
        self.notes.append(Note(qid, message, lost))


def meta_tags(q: Question, extra: dict[str, str] | None = None) -> list[str]:
    """crmtrain's fields that Moodle has no place for, as tags."""
    tags = [f"{TAG}topic:{q.topic.value}", f"{TAG}pool:{q.pool}", *(f"{TAG}ref:{r}" for r in q.refs)]
    if q.options:
        tags.append(f"{TAG}options:" + "|".join(o.id for o in q.options))
    if q.kind.credit is not None and q.partial_credit is not None:  # see credit.py: for what weights cannot tell
        tags.append(f"{TAG}partial:{'true' if q.partial_credit else 'false'}")
    for key, value in (extra or {}).items():
        tags.append(f"{TAG}{key}:{value}")
    return tags


def ordering_tags(q: Question, extra: dict[str, str] | None = None) -> list[str]:
    """An ordering question's tags: its items are written in the right order, so 'options' names them
    in that order and 'shown' in the order the trainee sees them."""
    return [*(t for t in meta_tags(q, extra) if not t.startswith(f"{TAG}options:")),
            f"{TAG}options:" + "|".join(q.answer or ()), f"{TAG}shown:" + "|".join(o.id for o in q.options)]


def read_tags(tags: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """(crmtrain metadata by key, the other tags)."""
    meta: dict[str, list[str]] = {}
    others = []
    for tag in tags:
        if tag.startswith(TAG) and ":" in tag:
            key, value = tag[len(TAG):].split(":", 1)
            meta.setdefault(key, []).append(value)
        else:
            others.append(tag)
    return meta, others


def slug(text: str, fallback: str) -> str:
    """An id from a foreign question name ('Question 3: Leads' -> 'question-3-leads')."""
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip()).strip("-._")[:64].strip("-._")
    return s or fallback


def letters(n: int) -> list[str]:
    """Option ids for a foreign question's options: a, b, c, ..."""
    return [chr(ord("a") + i) if i < 26 else f"o{i + 1}" for i in range(n)]


def finish(result: Result, data: dict[str, Any], meta: dict[str, list[str]], *, source: str, position: int) -> None:
    """Complete an imported question from its tags (or say what was guessed) and validate it."""
    from pydantic import ValidationError

    qid = data["id"]
    refs = meta.get("ref") or []
    if not refs:
        refs = ["TODO"]
        result.note(qid, "no regulation item named (refs); written as TODO: set the items it tests")
    topic = (meta.get("topic") or [None])[0]
    if topic not in TOPICS:
        if topic is not None:
            result.note(qid, f"unknown topic {topic!r}; written as 'technical'")
        else:
            result.note(qid, "no topic; written as 'technical': choose technical, processes or sales")
        topic = "technical"
    data.update(refs=tuple(refs), topic=topic)
    if meta.get("pool"):
        data["pool"] = meta["pool"][0]
    try:
        question = Question.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"]) or "question"
            result.note(qid, f"not imported ({source} {position}): {where}: {err['msg']}", lost=True)
        return
    # The regulation's own per-question checks (answer among the options, ...), as check runs them.
    shapes = list(question_shapes(SimpleNamespace(questions=(question,))))
    for loc, message in shapes:
        result.note(qid, f"not imported ({source} {position}): {loc[-1]}: {message}", lost=True)
    if not shapes:
        result.questions.append(question)


def option_ids(meta: dict[str, list[str]], count: int) -> list[str]:
    """The option ids crmtrain exported, when they fit; else a, b, c..."""
    exported = (meta.get("options") or [""])[0].split("|") if meta.get("options") else []
    return exported if len(exported) == count and len(set(exported)) == count else letters(count)


class _Text(HTMLParser):
    BLOCK = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.rich = False

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.out.append("\n")
        elif tag in self.BLOCK:
            self.out.append("\n\n")
        if tag not in ("p", "br", "div"):
            self.rich = True
        if tag == "li":
            self.out.append("- ")

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data):
        self.out.append(data)


def html_to_text(html: str) -> tuple[str, bool]:
    """Moodle HTML → plain text with paragraphs; True when formatting beyond paragraphs was lost."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]+\n", "\n", "".join(parser.out))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, parser.rich


def number(text: str) -> int | float:
    """'12' -> 12, '0,5' -> 0.5 (specialists write decimal commas)."""
    value = float(text.strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    return int(value) if value.is_integer() and "." not in text and "," not in text and "e" not in text.lower() else value
