"""The built-in sample regulations and init templates, and how a command names a regulation.

A regulation is named on the command line as a file, a folder holding ``regulation.yaml``,
or ``sample:NAME``. What a build records about it (in the dashboard and the course) is a
reference that still resolves when the notebook or course is opened from elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).parent
LANGUAGES = ("en", "ru")
# sample name → file; "en" and "ru" are one company in two languages, the others in English.
SAMPLES = {"en": "regulation.en.yaml", "ru": "regulation.ru.yaml", "freight": "regulation.freight.yaml"}
SAMPLE_PREFIX = "sample:"
FILENAME = "regulation.yaml"


def sample_path(name: str = "en") -> Path:
    """Path of the sample regulation ``name`` (``en``, ``ru``, ``freight``)."""
    if name not in SAMPLES:
        from ..errors import UserError

        raise UserError(f"no sample {name!r}; the samples are {', '.join(SAMPLES)}")
    return HERE / SAMPLES[name]


def template_path(lang: str = "en") -> Path:
    """Path of the ``crmtrain init`` template in ``lang``."""
    return HERE / f"template.{lang}.yaml"


def resolve(spec: str | Path | None, base: Path | None = None) -> Path:
    """A regulation path from a CLI argument or a recorded reference.

    ``None`` is the English sample; ``sample:NAME`` a sample; a folder means its
    ``regulation.yaml``; a relative path is taken from ``base`` (default: the current folder).
    """
    if spec is None:
        return sample_path("en")
    text = str(spec)
    if text.startswith(SAMPLE_PREFIX):
        return sample_path(text[len(SAMPLE_PREFIX):])
    path = Path(text)
    if base is not None and not path.is_absolute():
        path = base / path
    if path.is_dir():
        inside = path / FILENAME
        if not inside.exists():
            from ..errors import UserError

            raise UserError(f"{path} is a folder without {FILENAME} (start one with: crmtrain init {path})")
        return inside
    return path


def reference(spec: str | Path | None, path: Path, base: Path) -> str:
    """How a file in ``base`` should name the regulation: a sample by name, a file relative to ``base``."""
    if spec is None or str(spec).startswith(SAMPLE_PREFIX):
        return str(spec or SAMPLE_PREFIX + "en")
    target = path.resolve()
    try:
        return Path(os.path.relpath(target, base.resolve())).as_posix()
    except ValueError:  # another drive (Windows): only an absolute path can work
        return str(target)
