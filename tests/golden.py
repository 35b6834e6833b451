"""Golden files: committed generated files compared with a fresh build, refreshed on request.

A pytest plugin (tests/conftest.py loads it). ``pytest --update-golden`` rewrites the stale
files instead of failing, and deletes generated files nothing generates any more; without it a
stale file fails its test with the command to run. ``make golden`` runs exactly that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REFRESH = "make golden  (pytest tests/test_golden.py --update-golden)"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the committed generated files (workbooks, course, catalogs) instead of failing")


@dataclass(frozen=True)
class GoldenSet:
    """The files one generator owns: their fresh contents, and where stray old ones would lie.

    ``owned`` lists (folder, glob) pairs: a file there that ``fresh`` does not name is a
    leftover of an older build. ``same`` compares committed and fresh bytes (exact by default).
    """

    root: Path
    fresh: dict[str, bytes]
    owned: tuple[tuple[str, str], ...] = ()
    same: Callable[[str, bytes, bytes], bool] = lambda name, old, new: old == new

    def stale(self) -> dict[str, str]:
        """``relative path: why`` for every file that is missing, differs, or is left over."""
        out = {}
        for name, data in self.fresh.items():
            path = self.root / name
            if not path.is_file():
                out[name] = "missing"
            elif not self.same(name, path.read_bytes(), data):
                out[name] = "differs from a fresh build"
        for name in self.leftovers():
            out[name] = "no longer generated"
        return out

    def leftovers(self) -> list[str]:
        """Files in the owned folders that the generator no longer writes."""
        found = set()
        for folder, pattern in self.owned:
            for path in (self.root / folder).glob(pattern):
                rel = path.relative_to(self.root)
                if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                    found.add(rel.as_posix())
        return sorted(found - set(self.fresh))

    def refresh(self) -> dict[str, str]:
        """Write every stale file, delete the leftovers; returns ``relative path: what was done``."""
        done = {}
        for name, why in self.stale().items():
            path = self.root / name
            if name in self.fresh:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(self.fresh[name])
                done[name] = "written"
            else:
                path.unlink()
                done[name] = f"deleted ({why})"
        return done


class Golden:
    """The ``golden`` fixture: ``golden.check(GoldenSet(...))`` in a test."""

    def __init__(self, update: bool, repo: Path) -> None:
        self.update, self.repo = update, repo

    def check(self, files: GoldenSet) -> None:
        """Fail naming every stale file and the command to run; with --update-golden, refresh them."""
        where = self._shown(files.root)
        if self.update:
            for name, done in files.refresh().items():
                print(f"{where / name}: {done}")
            return
        stale = files.stale()
        if stale:
            lines = "\n".join(f"  {where / name}: {why}" for name, why in sorted(stale.items()))
            pytest.fail(f"{len(stale)} committed generated file(s) are stale:\n{lines}\nrun: {REFRESH}", pytrace=False)

    def _shown(self, root: Path) -> Path:
        root = root.resolve()
        return root.relative_to(self.repo) if root.is_relative_to(self.repo) else root


@pytest.fixture(scope="session")
def golden(request) -> Golden:
    """Compare committed generated files with fresh ones (or refresh them: --update-golden)."""
    return Golden(request.config.getoption("--update-golden"), Path(request.config.rootpath).resolve())


def texts(files: dict[str, str]) -> dict[str, bytes]:
    """Text files as the bytes they are stored as (UTF-8, newlines as written)."""
    return {name: text.encode("utf-8") for name, text in files.items()}
