"""The built-in sample regulations and init templates, and how a command names a regulation.

A regulation is named on the command line as a file, a folder holding ``regulation.yaml``,
or ``sample:NAME``; given none, a command reads ``./regulation.yaml`` and never falls back to
a sample silently. What a build records about it (in the dashboard and the course) is a
reference that still resolves when the notebook or course is opened from elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..i18n import _

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

        raise UserError(_("no sample {name}; the samples are {samples}").format(
            name=repr(name), samples=", ".join(SAMPLE_PREFIX + s for s in SAMPLES)))
    return HERE / SAMPLES[name]


def template_path(lang: str = "en") -> Path:
    """Path of the ``crmtrain init`` template in ``lang``."""
    return HERE / f"template.{lang}.yaml"


def resolve(spec: str | Path | None, base: Path | None = None) -> Path:
    """A regulation path from a CLI argument or a recorded reference.

    ``None`` is ``./regulation.yaml`` (a UserError saying how to start one when there is none);
    ``sample:NAME`` a sample; a folder means its ``regulation.yaml``; a relative path is taken
    from ``base`` (default: the current folder).
    """
    if spec is None:
        return default_path()
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

            raise UserError(_("{folder} is a folder without {file} (start one with: crmtrain init {folder})").format(
                folder=path, file=FILENAME))
        return inside
    return path


def default_path() -> Path:
    """``./regulation.yaml``, the regulation a command reads when given none; a UserError when missing."""
    here = Path(FILENAME)
    if here.is_file():
        return here
    from ..errors import UserError

    folder = Path.cwd()
    lines = [
        _("no regulation given, and there is no {file} in {folder}").format(file=FILENAME, folder=folder),
        _("start one here with: crmtrain init .  (then fill in {file} and run: crmtrain check)").format(file=FILENAME),
        _("or name one: a file, a folder holding {file}, or a built-in sample ({samples})").format(
            file=FILENAME, samples=", ".join(SAMPLE_PREFIX + s for s in SAMPLES)),
    ]
    raise UserError("\n  ".join(lines))


def reference(spec: str | Path | None, path: Path, base: Path) -> str:
    """How a file in ``base`` should name the regulation: a sample by name, a file relative to ``base``."""
    if spec is not None and str(spec).startswith(SAMPLE_PREFIX):
        return str(spec)
    target = path.resolve()
    try:
        return Path(os.path.relpath(target, base.resolve())).as_posix()
    except ValueError:  # another drive (Windows): only an absolute path can work
        return str(target)
