"""A small on-disk cache of ``crmtrain check`` reports, so an unchanged file is not re-validated.

Validating needs pydantic, and importing it costs more than everything else ``check`` does.
The report of a valid regulation depends only on the file's bytes, its path and crmtrain's own
code, so it is stored under a key made of exactly those (and the Python and pydantic
versions). Invalid files are not cached: they are the ones being edited. Any problem with
the cache folder just means no cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

KEEP = 200  # reports kept; the oldest go first


def folder() -> Path:
    """``$CRMTRAIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/crmtrain``, else ``~/.cache/crmtrain``."""
    if os.environ.get("CRMTRAIN_CACHE_DIR"):
        return Path(os.environ["CRMTRAIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "crmtrain" / "check"


def key(path: Path, data: bytes) -> str:
    """What the report depends on: the file, its name, crmtrain's code, Python and pydantic."""
    h = hashlib.sha256()
    h.update(str(path).encode("utf-8", "surrogateescape") + b"\0" + sys.version.encode() + b"\0")
    code = Path(__file__).resolve().parents[1]
    for source in sorted(code.rglob("*.py")):
        st = source.stat()
        h.update(f"{source.relative_to(code)}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    spec = importlib.util.find_spec("pydantic")
    if spec and spec.origin:
        version = Path(spec.origin).with_name("version.py")
        h.update(version.read_bytes() if version.exists() else b"")
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def get(k: str) -> tuple[int, str] | None:
    """The cached (exit status, report) for ``k``, if any."""
    try:
        entry = json.loads((folder() / f"{k}.json").read_text(encoding="utf-8"))
        return int(entry["status"]), str(entry["report"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def put(k: str, status: int, report: str) -> None:
    """Store a report atomically; silently does nothing when the folder is not writable."""
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"status": status, "report": report}, f)
        os.replace(tmp, where / f"{k}.json")
        entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
