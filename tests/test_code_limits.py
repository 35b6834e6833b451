"""The house rules, kept by a test: small modules, short functions, folders one can take in.

Every module under src/crmtrain is read as source (an AST walk, no import): no module over
350 lines, no function or method over 80, and no package folder holding more than 15 modules.
The failure lists every offender with its size, so a split can be planned at once.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "crmtrain"
MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 80
MAX_MODULES_PER_FOLDER = 15


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_module_is_over_350_lines():
    long = {str(p.relative_to(SRC)): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_over_80_lines():
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if (n := node.end_lineno - first + 1) > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(SRC)}:{node.lineno} {node.name}"] = n
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_no_package_folder_holds_more_than_15_modules():
    count = Counter(str(p.parent.relative_to(SRC.parent)) for p in modules())
    crowded = {folder: n for folder, n in count.items() if n > MAX_MODULES_PER_FOLDER}
    assert not crowded, f"package folders with more than {MAX_MODULES_PER_FOLDER} modules: {crowded}"


def test_the_limits_see_every_module():
    # The walk must find the whole package, nested sub-packages included, or it proves nothing.
    found = {str(p.relative_to(SRC)) for p in modules()}
    assert {"cli.py", "kinds/questions.py", "runtime/store.py"} <= found and len(found) > 100
