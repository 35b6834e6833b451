"""The only crmtrain code that runs inside trainee kernels (stdlib, ipywidgets, IPython).

The setup cell of every workbook is ``from crmtrain.runtime import Workbook``. Names are
loaded lazily so that the notebook builder can use ``crmtrain.runtime.keys`` without
importing ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Workbook": "workbook",
    "Assessment": "assessment",
    "Quiz": "quiz",
    "INPUTS": "inputs",
    "JsonStore": "store",
    "Verdict": "keys",
    "seal": "keys",
    "verify": "keys",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
