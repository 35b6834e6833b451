"""Kinds are spelled in their registry: a new question type touches its record, its widget and its tests.

Every module under src/crmtrain is read as source (an AST walk, no import) and every place a
kind's name is written is found:

* question types (``kinds/questions.py``) — any string literal equal to a type's name, other
  than a docstring. They may appear in the registry and in one more module; today the widget
  module has none (``runtime/inputs.py`` takes the class name from the record).
* slot kinds (``kinds/slots.py``) and drill kinds (``kinds/drills.py``) — their names are also
  everyday words of the regulation format ("case:", "draw:", a "process", a "pipeline" section,
  a case's "lead" field), so here a name counts where it drives behaviour: compared with (``==``,
  ``in``), used as a dict key, as a subscript or as a ``match`` value. A slot kind may appear in
  its registry only; a drill kind in its registry, its rule engine (``rules/cases.py``) and its
  widget (``runtime/drills.py``), as the registry's docstring says adding one takes.

A word that is the same as a kind's name but means something else is listed in
:data:`HOMONYMS` with what it means; an entry that no longer occurs fails the test too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crmtrain.kinds.drills import DRILL_KINDS
from crmtrain.kinds.questions import QUESTION_TYPES
from crmtrain.kinds.slots import MIXED, SLOT_KINDS

SRC = Path(__file__).resolve().parents[1] / "src" / "crmtrain"

# (module, word): what the word means there (not a kind of that registry).
HOMONYMS = {
    ("interchange/moodle.py", "ordering"): "Moodle's own question type qtype_ordering",
    ("interchange/moodle_xml.py", "single"): "Moodle XML's <single> element of a multichoice question",
    ("interchange/qti.py", "single"): "QTI's cardinality 'single' of a response",
    ("interchange/qti.py", "multiple"): "QTI's cardinality 'multiple' of a response",
    ("panel/overview.py", "open"): "an assessment's state in My training: open to start",
    ("rules/schedule.py", "open"): "a trainee's standing on an assessment: open, not submitted",
    ("editor/labels.py", "draw"): "the label of an assessment's 'draw:' field (pools to draw from)",
    ("editor/labels.py", "case"): "the label of a slot's 'case:' field",
    ("grading/scoring/items.py", "case"): "the Item field holding a case slot's drill kind",
    ("editor/labels.py", "process"): "the label of a slot's 'process:' field",
    ("editor/labels.py", "pipeline"): "the label of a client-work 'pipeline:' section",
    ("editor/views.py", "process"): "what the editor draws: a process's flowchart",
    ("changes/impact.py", "process"): "a drill cell's metadata field: the process it is on",
    ("changes/notebooks.py", "process"): "a drill cell's metadata field: the process it is on",
    ("i18n/words.py", "lead"): "the company's word for a lead",
    ("notebooks/sections.py", "lead"): "a task rule's 'attach_to: lead'",
    ("interchange/bpmn.py", "process"): "BPMN's <process> element",
    ("regulation/items.py", "pipeline"): "the client-work section 'pipeline'",
    ("regulation/rulechecks.py", "lead"): "the answer_from source 'lead' (a lead's class)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def literals(tree: ast.AST) -> Iterator[ast.Constant]:
    """Every string literal but docstrings."""
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node


def _strings(node: ast.AST | None) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _strings(element)


def deciding(tree: ast.AST) -> Iterator[ast.Constant]:
    """String literals that drive behaviour: compared, a dict key, a subscript, a match value."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                yield from _strings(side)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if isinstance(key, ast.Constant):
                    yield from _strings(key)
        elif isinstance(node, ast.Subscript):
            yield from _strings(node.slice if isinstance(node.slice, ast.Constant) else None)
        elif isinstance(node, ast.MatchValue):
            yield from _strings(node.value)


def named_in(names: set[str], scan: Callable[[ast.AST], Iterator[ast.Constant]],
             sources: dict[str, str]) -> dict[str, set[str]]:
    """module -> the names it writes where ``scan`` looks, homonyms left out."""
    found: dict[str, set[str]] = defaultdict(set)
    for module, text in sources.items():
        for node in scan(ast.parse(text, module)):
            if node.value in names and (module, node.value) not in HOMONYMS:
                found[module].add(node.value)
    return dict(found)


def _sources() -> dict[str, str]:
    return {str(p.relative_to(SRC)): p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py"))}


SOURCES = _sources()
REGISTRIES = {
    # registry: (its names, how they are found, the modules that may name them, how many modules at most)
    "question types": (set(QUESTION_TYPES), literals, {"kinds/questions.py", "runtime/inputs.py"}, 2),
    "slot kinds": ({*SLOT_KINDS, MIXED}, deciding, {"kinds/slots.py"}, 1),
    "drill kinds": (set(DRILL_KINDS), deciding, {"kinds/drills.py", "rules/cases.py", "runtime/drills.py"}, 3),
}


@pytest.mark.parametrize("registry", REGISTRIES)
def test_kinds_are_named_in_their_registry_and_at_most_one_more_module(registry):
    names, scan, allowed, most = REGISTRIES[registry]
    found = named_in(names, scan, SOURCES)
    strays = {m: sorted(n) for m, n in found.items() if m not in allowed}
    assert not strays, f"{registry} named outside their registry (look them up in it instead): {strays}"
    assert len(found) <= most, f"{registry} named in {sorted(found)}"


def test_every_homonym_listed_still_occurs():
    # A stale entry would let a real use of the kind's name slip through later.
    words = {(m, n.value) for m, text in SOURCES.items() for n in literals(ast.parse(text, m))}
    assert not set(HOMONYMS) - words, sorted(set(HOMONYMS) - words)


@pytest.mark.parametrize("line, registry", [
    ('if q.type.value == "numeric":\n    pass\n', "question types"),
    ('WRITERS = {"single": str}\n', "question types"),
    ('def f(q):\n    return q.update(type="ordering")\n', "question types"),
    ('if crm.get("slot") == "draw":\n    pass\n', "slot kinds"),
    ('if item.type != "mixed":\n    pass\n', "slot kinds"),
    ('if kind in ("lead", "callback"):\n    pass\n', "drill kinds"),
    ('HEADINGS = {"process": "What comes next?"}\n', "drill kinds"),
])
def test_a_kind_spelled_in_another_module_is_found(line, registry):
    # The scan finds the if-ladders and tables it is there to stop, in a module it has never seen.
    names, scan, allowed, _ = REGISTRIES[registry]
    assert named_in(names, scan, {"reports/new_module.py": line}) != {}


def test_docstrings_and_other_words_are_not_kinds():
    text = '"""Scores single, multiple and open questions."""\nX = {"singles": 1, "draws": 2}\n'
    assert all(named_in(names, scan, {"m.py": text}) == {} for names, scan, _, _ in REGISTRIES.values())
