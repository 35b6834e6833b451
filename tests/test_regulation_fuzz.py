"""Thousands of broken variants of every shipped regulation: never a traceback, always a place.

Hypothesis mutates the text of each sample and template the way people break YAML files:
it deletes a key with everything under it, changes a value's type, duplicates a list entry,
misspells a key, truncates the file, or inserts garbage. Every variant must make ``check``
exit 0, 1 or 2 without an exception; every exit 2 must name ``file:line:col`` on each line.
The examples are derandomized, so CI runs the same variants every time, in bounded time;
``FUZZ_EXAMPLES=5000 FUZZ_RANDOM=1 pytest tests/test_regulation_fuzz.py`` explores further.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmtrain.cli import main
from crmtrain.regulation.formats.yamlread import read
from crmtrain.samples import SAMPLES, sample_path, template_path

SOURCES = {**{f"sample-{n}": sample_path(n) for n in SAMPLES}, "template-en": template_path("en")}
# Examples per source: 2,400 variants in all, about a minute of CPU on the 2-core machine.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 600))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
REPLACEMENTS = ["[]", "{}", "42", "-1", "3.5", "true", "~", "''", "2027-02-30", "[a, b]", "{x: 1}", '"text"',
                "1e400", "&x 1", "*nowhere", "!!int abc", "- item", "x" * 300, "a.b", ">= lots"]
GARBAGE = st.text(alphabet=st.sampled_from(list(":-[]{},&*!|>#'\"\t\n %@`?é\x00\x07\ufeffЯ0129ab")), min_size=1, max_size=12)


@cache
def anatomy(name: str) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """A source's text and where its keys, scalar values and list items start (1-based)."""
    path = SOURCES[name]
    data, pos, _ = read(path)
    keys = sorted(pos.keys.values())
    scalars, items = [], []
    for loc, mark in pos.values.items():
        node = data
        for part in loc:
            node = node[part]
        if loc and isinstance(loc[-1], int):
            items.append(mark)
        if not isinstance(node, (dict, list)):
            scalars.append(mark)
    return path.read_text(encoding="utf-8"), keys, sorted(scalars), sorted(items)


def block_end(lines: list[str], start: int, indent: int) -> int:
    """Index after the block that starts at line ``start`` (0-based) and is indented past ``indent``."""
    end = start + 1
    while end < len(lines):
        stripped = lines[end].lstrip(" ")
        if stripped and not stripped.startswith("#") and len(lines[end]) - len(stripped) <= indent:
            break
        end += 1
    return end


@st.composite
def mutation(draw, name: str) -> str:
    text, keys, scalars, items = anatomy(name)
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete key", "change type", "duplicate entry", "misspell key", "truncate", "garbage"]))
    if kind == "delete key":
        line, column = draw(st.sampled_from(keys))
        del lines[line - 1: block_end(lines, line - 1, column - 1)]
    elif kind == "change type" and draw(st.booleans()):  # a scalar becomes something else
        line, column = draw(st.sampled_from(scalars))
        lines[line - 1] = lines[line - 1][: column - 1] + draw(st.sampled_from(REPLACEMENTS))
    elif kind == "change type":  # a key's whole value, mapping or list included, is replaced
        line, column = draw(st.sampled_from(keys))
        end = block_end(lines, line - 1, column - 1)
        key = lines[line - 1][column - 1:].split(":", 1)[0]
        lines[line - 1: end] = [" " * (column - 1) + f"{key}: {draw(st.sampled_from(REPLACEMENTS))}"]
    elif kind == "duplicate entry":
        line, column = draw(st.sampled_from(items))
        end = block_end(lines, line - 1, max(column - 3, 0))
        lines[end:end] = lines[line - 1: end]
    elif kind == "misspell key":
        line, column = draw(st.sampled_from(keys))
        at = column - 1 + draw(st.integers(0, 3))
        lines[line - 1] = lines[line - 1][:at] + draw(st.sampled_from("xq_")) + lines[line - 1][at:]
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text) - 1))]
    else:
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(GARBAGE) + text[at:]
    return "\n".join(lines)


def run_check(path: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(["check", str(path)])
    return status, err.getvalue()


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_mutation_is_answered_with_a_place_never_a_traceback(tmp_path, name):
    path = tmp_path / "regulation.yaml"
    place = re.compile(re.escape(str(path)) + r":\d+:\d+: ")
    seen: dict[int, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM, database=None,
              suppress_health_check=list(HealthCheck))
    @given(text=mutation(name))
    def one(text):
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        status, err = run_check(path)  # an exception here fails the test with the variant shown
        assert status in (0, 1, 2)
        seen[status] = seen.get(status, 0) + 1
        if status == 2:
            *problems, summary = err.splitlines()
            assert problems and summary.startswith(f"{path}: "), err
            assert all(place.match(p) for p in problems), err

    one()
    assert seen.get(2, 0) > EXAMPLES // 2, seen  # most variants are really broken, and caught
