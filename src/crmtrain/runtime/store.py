"""A small JSON document on disk that is saved atomically and survives corruption.

Workbooks keep their progress in one (``.<name>.progress.json``); assessments reuse it for
``answers.json``. Stdlib only: this runs inside trainee kernels.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

STALE_SECONDS = 30  # a temp file older than this was left behind by a crash mid-save


class JsonStore:
    """A JSON object in one file: ``load()`` never fails, ``save()`` is all-or-nothing."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.recovered: Path | None = None  # where an unreadable file was moved, if any

    @property
    def backup_path(self) -> Path:
        """Where an unreadable file is kept aside."""
        return self.path.with_name(self.path.name + ".bak")

    @property
    def _temp_prefix(self) -> str:
        # Hidden like the progress file, so a crash leftover never clutters the file browser.
        return ("" if self.path.name.startswith(".") else ".") + self.path.name + "."

    def _temp_files(self) -> list[Path]:
        return list(self.path.parent.glob(f"{self._temp_prefix}*.tmp"))

    def load(self) -> dict[str, Any]:
        """The stored object; {} if there is none or it is unreadable (then kept aside as .bak)."""
        self._sweep_temp_files()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError:
            return self._set_aside()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._set_aside()
        if not isinstance(data, dict):
            return self._set_aside()
        return data

    def save(self, data: dict[str, Any]) -> None:
        """Replace the stored object atomically (OSError if the disk refuses)."""
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The temp file lives in the same folder so os.replace is a same-filesystem rename,
        # which is atomic: readers see the old file or the new one, never half of either.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self._temp_prefix, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        self._sync_folder()

    def _set_aside(self) -> dict[str, Any]:
        try:
            os.replace(self.path, self.backup_path)
            self.recovered = self.backup_path
        except OSError:
            # Cannot even move it: carry on from scratch; the next save overwrites it.
            self.recovered = self.path
        return {}

    def _sweep_temp_files(self) -> None:
        now = time.time()
        for tmp in self._temp_files():
            try:
                if now - tmp.stat().st_mtime > STALE_SECONDS:
                    tmp.unlink()
            except OSError:
                pass

    def _sync_folder(self) -> None:
        # Makes the rename itself durable on POSIX; Windows cannot open folders, so skip.
        try:
            fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
