"""Every import points down: the layer table below says which crmtrain package may import which.

The checker reads the source, not the running program: it walks the AST of every module under
``src/crmtrain`` and counts every import, at the top, inside functions and under
``TYPE_CHECKING`` alike. It reports

* an import of a crmtrain package that the importer's row of :data:`LAYERS` does not list,
  or a package that has no row yet;
* any import cycle between modules;
* a third-party package imported outside the layers :data:`ONLY_IN` allows it in;
* anything but the standard library, ipywidgets and IPython in the kernel runtime: the
  ``runtime`` package and every crmtrain module it imports, which must all be in the light
  packages of :data:`KERNEL`.

docs/architecture.md explains the layers. A new package under src/crmtrain/ gets a row here.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Which crmtrain packages (or top-level modules) each one may import, bottom layer first.
# Imports within a package are always allowed; cycles are caught separately.
LAYERS: dict[str, set[str]] = {
    "errors": set(),  # the one user-error type
    "kinds": set(),  # registries: one frozen record per question type, assessment, drill, table
    "i18n": set(),  # gettext catalogs (stdlib, runs in kernels); i18n.catalogs maintains them
    "files": {"errors"},  # writing generated files
    "samples": {"errors", "i18n"},  # the shipped sample regulations
    "speedups": set(),  # start-up tweaks for processes that import nbformat or nbgrader
    "rules": {"i18n"},  # stdlib rule engines shared by checks, drills and assessments (i18n: their messages)
    "runtime": {"i18n", "kinds", "rules"},  # the only code in trainee kernels
    "regulation": {"errors", "i18n", "kinds", "rules"},  # models, positioned loading, checks
    # Notebooks seal the keys of practice questions in the runtime's own format (runtime.keys).
    "notebooks": {"i18n", "kinds", "regulation", "rules", "runtime"},
    "document": {"errors", "files", "i18n", "kinds", "notebooks", "regulation"},  # the regulation as HTML/PDF
    # Questions as Moodle XML, GIFT, spreadsheets; i18n: what a format cannot hold, said to the specialist.
    "interchange": {"errors", "i18n", "kinds", "regulation"},
    # The only code touching nbgrader; rules: the per-trainee seeds and cases it grades and shows.
    "grading": {"errors", "i18n", "kinds", "regulation", "rules", "runtime"},
    # What changed between two versions, who learned the old one (the gradebook), retraining notebooks.
    # i18n: what changed is said to the specialist in the regulation's language.
    "changes": {"errors", "grading", "i18n", "kinds", "notebooks", "regulation"},
    # Demo trainees who click the real widgets; rules: the right answer to their own case.
    "simulate": {"grading", "kinds", "regulation", "rules", "runtime"},
    "reports": {"errors", "grading", "i18n", "kinds", "regulation", "samples"},  # pandas over grading's results
    "lab": {"labmemory", "speedups"},  # JupyterLab set up for trainees (speedups: its server skips an unused validator)
    "labmemory": set(),  # a server extension: trainees' servers give back the memory they freed
    "kernelseed": {"runtime"},  # the process trainees' kernels are forked from (runtime: imported before the fork)
    "kernelfork": set(),  # Jupyter's provisioner that forks kernels from the seed
    "labkernels": {"kernelfork"},  # the kernel manager of trainees' servers (the seed started early, restarts told to pages)
    # The regulation editor's server side (a jupyter_server extension): load, check, save the YAML.
    "editor": {"errors", "i18n", "kinds", "notebooks", "regulation", "rules"},
    # "My training": the trainees' panel's server side (a Jupyter server extension) over grading's exchange.
    "panel": {"grading", "i18n", "speedups"},  # speedups: its exchange worker skips an unused validator
    # JupyterHub for a team: accounts, roster sync, the hub's configuration (runs inside it), backup.
    "hub": {"errors", "grading", "i18n", "lab"},
    # Reminders by email: the letters of the day from the roster, the deadlines and the review plan (given), smtplib.
    "reminders": {"errors", "files", "grading", "i18n", "kinds", "rules"},
    "commands": {"changes", "document", "errors", "files", "grading", "hub", "i18n", "interchange", "kinds", "lab", "notebooks",
                 "regulation", "reminders", "reports", "rules", "runtime", "samples", "simulate", "speedups"},
    "cli": {"commands", "errors", "grading", "hub", "i18n", "kinds", "speedups"},  # kinds: the assessments; grading, hub: their defaults
    "__main__": {"cli"},
}
# grading's own sub-packages, the same way: each job in its folder, and which others it may use.
GRADING: dict[str, set[str]] = {
    "plumbing": set(),  # the course folder and its nbgrader_config.py, the gradebook, patches to nbgrader
    "safety": {"plumbing"},  # intake: what of a submission nbgrader may see; answers.json as data; the lock; key scan
    "exchange": {"plumbing", "safety"},  # the exchange trusting nothing a trainee wrote: inbound, fetch markers, collect
    "scoring": {"plumbing"},  # an assessment's items from its source notebook; answer checks scored as data
    "presentation": {"plumbing", "scoring"},  # the answers as the graded view and the feedback page show them
    "verbs": {"exchange", "plumbing", "presentation", "safety", "scoring"},  # release, collect, grade, feedback...
    "plugins": {"exchange", "plumbing", "presentation", "safety", "scoring"},  # named by every course's config
}
# Third-party packages allowed only in these layers.
ONLY_IN = {"nbgrader": {"grading"}, "pandas": {"reports"}, "jupyterhub": {"hub"}}
# The kernel runtime: the crmtrain packages it may reach, and the only third-party imports there.
KERNEL = {"root": "runtime", "packages": {"crmtrain", "runtime", "rules", "i18n", "kinds"},
          "third_party": {"ipywidgets", "IPython"}}


@dataclass(frozen=True)
class Import:
    """One import statement's target, as a dotted module name, with where it is written."""

    module: str
    target: str
    file: str
    line: int

    @property
    def at(self) -> str:
        """``crmtrain/x.py:12``, for messages."""
        return f"{self.file}:{self.line}"


def module_name(path: Path, src: Path) -> str:
    """``src/crmtrain/grading/course.py`` → ``crmtrain.grading.plumbing.course`` (packages by their folder)."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def scan(src: Path, package: str = "crmtrain") -> dict[str, list[Import]]:
    """Every module of ``package`` under ``src`` with all the imports written in it."""
    files = {module_name(p, src): p for p in sorted((src / package).rglob("*.py"))}
    modules = set(files)
    out: dict[str, list[Import]] = {}
    for name, path in files.items():
        is_pkg = path.name == "__init__.py"
        here = name if is_pkg else name.rpartition(".")[0]
        rel = path.relative_to(src).as_posix()
        found: list[Import] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                found += [Import(name, alias.name, rel, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here.split(".")[: len(here.split(".")) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    # ``from . import x`` imports the module x when there is one, else a name.
                    found.append(Import(name, sub if sub in modules else target, rel, node.lineno))
        out[name] = found
    return out


def layer_of(module: str) -> str:
    """The row of LAYERS a module belongs to: ``crmtrain.grading.plumbing.course`` → ``grading``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def top(name: str) -> str:
    """The top-level package of a dotted name: ``nbgrader.api`` → ``nbgrader``."""
    return name.split(".")[0]


def layer_problems(modules: dict[str, list[Import]], layers: dict[str, set[str]], package: str = "crmtrain") -> list[str]:
    """Imports of a crmtrain package the importer's row does not allow, and packages without a row."""
    problems = [f"{package}.{layer} has no row in the layer table: add one (tests/test_layers.py)"
                for layer in sorted({layer_of(m) for m in modules if m != package} - set(layers))]
    for imp in (i for found in modules.values() for i in found):
        if top(imp.target) != package:
            continue
        src, dst = layer_of(imp.module), layer_of(imp.target)
        if src != dst and src in layers and dst != package and dst not in layers[src]:
            problems.append(f"{imp.at}: {src} must not import {dst} ({imp.target})")
    return problems


def cycles(modules: dict[str, list[Import]]) -> list[list[str]]:
    """Each import cycle between modules, as a path that ends where it starts (Tarjan's SCCs)."""
    graph = {m: sorted({t for i in found for t in _executed(m, i.target) if t in modules}) for m, found in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(_cycle_through(sorted(component), graph))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _executed(importer: str, target: str) -> list[str]:
    """The modules an import runs: the target and the packages above it (``__init__`` first).

    Python runs ``crmtrain.rules/__init__`` before ``crmtrain.rules.engine``. The importer's own
    packages are left out: they are already being imported when it runs.
    """
    parts = target.split(".")
    chain = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return [t for t in chain if t != importer and not importer.startswith(t + ".")]


def _cycle_through(component: list[str], graph: dict[str, list[str]]) -> list[str]:
    """A shortest cycle from the component's first module back to itself (breadth-first)."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in graph[v]:
            if w == start:
                return [*paths[v], start]
            if w in members and w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected component always has one


def third_party_problems(modules: dict[str, list[Import]], only_in: dict[str, set[str]]) -> list[str]:
    """Third-party packages imported outside the layers allowed to import them."""
    return [f"{imp.at}: {top(imp.target)} is imported only in {', '.join(sorted(only_in[top(imp.target)]))}/, "
            f"not in {layer_of(imp.module)}"
            for found in modules.values() for imp in found
            if top(imp.target) in only_in and layer_of(imp.module) not in only_in[top(imp.target)]]


def kernel_problems(modules: dict[str, list[Import]], kernel: dict, package: str = "crmtrain") -> list[str]:
    """What the kernel runtime reaches beyond the stdlib, its widgets and the light packages."""
    root = f"{package}.{kernel['root']}"
    reached = {m for m in modules if m == root or m.startswith(root + ".")}
    todo = sorted(reached)
    while todo:
        m = todo.pop()
        for target in (t for imp in modules[m] for t in _executed(m, imp.target)):
            if target in modules and target not in reached:
                reached.add(target)
                todo.append(target)
    problems = []
    for m in sorted(reached):
        if layer_of(m) not in kernel["packages"]:
            problems.append(f"{m} is reached from the kernel runtime but is not one of its light packages "
                            f"({', '.join(sorted(kernel['packages'] - {package}))})")
        for imp in modules[m]:
            name = top(imp.target)
            if name != package and name not in sys.stdlib_module_names and name not in kernel["third_party"]:
                problems.append(f"{imp.at}: the kernel runtime must not import {name}")
    return problems


def all_problems(src: Path, layers=LAYERS, only_in=ONLY_IN, kernel=KERNEL, package: str = "crmtrain") -> list[str]:
    """Everything wrong with the imports of ``package`` under ``src``, one line each."""
    modules = scan(src, package)
    return [*layer_problems(modules, layers, package),
            *(f"import cycle: {' -> '.join(c)}" for c in cycles(modules)),
            *third_party_problems(modules, only_in),
            *kernel_problems(modules, kernel, package)]


# --- the tests ------------------------------------------------------------------------------


def test_every_import_of_crmtrain_points_down_the_layer_table():
    modules = scan(SRC)
    assert len(modules) > 50 and "crmtrain.runtime.workbook" in modules
    assert layer_problems(modules, LAYERS) == []


def test_gradings_sub_packages_point_down_their_table():
    modules = {m: found for m, found in scan(SRC).items() if m.startswith("crmtrain.grading.")}
    inner = {m.removeprefix("crmtrain."): [Import(i.module.removeprefix("crmtrain."), i.target.removeprefix("crmtrain."),
                                                  i.file, i.line) for i in found] for m, found in modules.items()}
    assert {m.split(".")[1] for m in inner} == set(GRADING)
    assert layer_problems(inner, GRADING, package="grading") == []


def test_no_import_cycles():
    assert [" -> ".join(c) for c in cycles(scan(SRC))] == []


def test_nbgrader_only_in_grading_and_pandas_only_in_reports():
    assert third_party_problems(scan(SRC), ONLY_IN) == []


def test_the_kernel_runtime_needs_only_the_stdlib_and_its_widgets():
    assert kernel_problems(scan(SRC), KERNEL) == []


def loaded_modules(code: str) -> set[str]:
    """``sys.modules`` after running ``code`` in a fresh interpreter with src importable."""
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": path}, check=True)
    return set(json.loads(done.stdout))


def test_a_kernel_that_loads_every_runtime_module_loads_nothing_heavy():
    # What the AST cannot see: the runtime package's lazy exports (importlib) and what
    # ipywidgets itself pulls in. Every runtime module, as a workbook's kernel may load them.
    loaded = loaded_modules("import importlib, pkgutil\nimport crmtrain.runtime\nfrom crmtrain.runtime import Workbook\n"
                            "for m in pkgutil.iter_modules(crmtrain.runtime.__path__):\n"
                            "    importlib.import_module(f'crmtrain.runtime.{m.name}')")
    assert {"ipywidgets", "crmtrain.runtime.workbook", "crmtrain.runtime.check"} <= loaded
    assert sorted(m for m in loaded if top(m) in {"pandas", "nbgrader", "pydantic", "babel", "nbformat"}) == []
    assert sorted(m for m in loaded if top(m) == "crmtrain" and layer_of(m) not in KERNEL["packages"]) == []


def test_sealing_keys_at_build_time_does_not_import_widgets():
    loaded = loaded_modules("import crmtrain.runtime.keys")
    assert "ipywidgets" not in loaded and "IPython" not in loaded


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "crmtrain" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


GOOD = {
    "__init__.py": "",
    "errors.py": "",
    "rules/__init__.py": "",
    "rules/engine.py": "import json\n",
    "runtime/__init__.py": "",
    "runtime/widget.py": "import ipywidgets\nfrom ..rules import engine\n",
    "grading/__init__.py": "",
    "grading/book.py": "def read():\n    import nbgrader.api\n    from ..runtime.widget import x\n",
    "reports/__init__.py": "import pandas as pd\n",
}
# runtime may import errors by this table, but errors is not light enough for the kernel.
SMALL_TABLE = {"errors": set(), "rules": set(), "runtime": {"errors", "rules"}, "grading": {"errors", "runtime"},
               "reports": {"grading"}}
SMALL_KERNEL = {"root": "runtime", "packages": {"crmtrain", "runtime", "rules"}, "third_party": {"ipywidgets"}}


def test_a_clean_small_tree_passes(tmp_path):
    assert all_problems(_tree(tmp_path, GOOD), SMALL_TABLE, ONLY_IN, SMALL_KERNEL) == []


@pytest.mark.parametrize("files, expected", [
    ({"errors.py": "import crmtrain.reports\n"},
     ["crmtrain/errors.py:1: errors must not import reports (crmtrain.reports)"]),
    ({"grading/a.py": "from . import b\n", "grading/b.py": "def f():\n    from .a import g\n"},
     ["import cycle: crmtrain.grading.a -> crmtrain.grading.b -> crmtrain.grading.a"]),
    ({"reports/charts.py": "from ..grading import book\n", "grading/book.py": "from crmtrain.reports import charts\n"},
     ["crmtrain/grading/book.py:1: grading must not import reports (crmtrain.reports.charts)",
      "import cycle: crmtrain.grading.book -> crmtrain.reports.charts -> crmtrain.grading.book"]),
    ({"reports/gb.py": "import nbgrader.api\n"},
     ["crmtrain/reports/gb.py:1: nbgrader is imported only in grading/, not in reports"]),
    ({"rules/__init__.py": "from crmtrain.grading import book\n"},
     ["crmtrain/rules/__init__.py:1: rules must not import grading (crmtrain.grading.book)",
      "import cycle: crmtrain.grading.book -> crmtrain.runtime.widget -> crmtrain.rules -> crmtrain.grading.book",
      "crmtrain.grading is reached from the kernel runtime but is not one of its light packages (rules, runtime)",
      "crmtrain.grading.book is reached from the kernel runtime but is not one of its light packages (rules, runtime)",
      "crmtrain/grading/book.py:2: the kernel runtime must not import nbgrader"]),
    ({"grading/table.py": "def f():\n    import pandas\n"},
     ["crmtrain/grading/table.py:2: pandas is imported only in reports/, not in grading"]),
    ({"rules/engine.py": "import json\nimport yaml\n"},
     ["crmtrain/rules/engine.py:2: the kernel runtime must not import yaml"]),
    ({"runtime/widget.py": "import ipywidgets\nfrom crmtrain import errors\n"},
     ["crmtrain.errors is reached from the kernel runtime but is not one of its light packages (rules, runtime)"]),
    ({"hub/__init__.py": ""}, ["crmtrain.hub has no row in the layer table: add one (tests/test_layers.py)"]),
], ids=["upward", "cycle-in-function", "upward-cycle", "nbgrader", "package-init", "pandas", "kernel-third-party",
        "kernel-heavy-package", "no-row"])
def test_a_bad_tree_is_reported(tmp_path, files, expected):
    src = _tree(tmp_path, {**GOOD, **files})
    assert all_problems(src, SMALL_TABLE, ONLY_IN, SMALL_KERNEL) == expected
