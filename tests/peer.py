"""Where other projects' files live: ``shared/peer-data/`` beside the checkout (read in place, never written)."""

from __future__ import annotations

from pathlib import Path

PEER_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "peer-data"


def peer_file(*parts: str) -> Path:
    """A file of peer-data; a missing one fails loudly (CI and every developer have shared/ beside main)."""
    path = PEER_DATA.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"{path}: peer data missing; shared/peer-data must sit beside the checkout")
    return path
