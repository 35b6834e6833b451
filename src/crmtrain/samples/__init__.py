"""The built-in sample regulations (one company, in Russian and English) and init templates."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
LANGUAGES = ("en", "ru")
SAMPLE_PREFIX = "sample:"


def sample_path(lang: str = "en") -> Path:
    """Path of the sample regulation in ``lang``."""
    if lang not in LANGUAGES:
        from ..errors import UserError

        raise UserError(f"no sample in '{lang}'; samples exist in {', '.join(LANGUAGES)}")
    return HERE / f"regulation.{lang}.yaml"


def template_path(lang: str = "en") -> Path:
    """Path of the ``crmtrain init`` template in ``lang``."""
    return HERE / f"template.{lang}.yaml"


def resolve(spec: str | Path | None) -> Path:
    """A regulation path from a CLI argument: a file, ``sample:ru``/``sample:en``, or None (English sample)."""
    if spec is None:
        return sample_path("en")
    text = str(spec)
    if text.startswith(SAMPLE_PREFIX):
        return sample_path(text[len(SAMPLE_PREFIX):])
    return Path(text)
