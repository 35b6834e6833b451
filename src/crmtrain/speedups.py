"""Start-up speed for processes that import nbformat or nbgrader.

jsonschema imports ``rfc3987_syntax`` when it is installed (jupyter-events pulls it in through
``jsonschema[format-nongpl]``) and builds a large lark grammar at import time: about 4 s on
a 2-core machine, longer than everything else ``crmtrain build`` does. It only serves the
"iri" string formats, which no notebook or nbgrader schema uses, so crmtrain's own processes
skip it.

pydantic looks for plugins by scanning the metadata of every installed distribution the first
time a model is defined: about 15 ms of ``crmtrain check`` in this venv, for plugins crmtrain
does not use. ``PYDANTIC_DISABLE_PLUGINS`` turns that off, unless the user set it already.
Measured in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import sys

SKIPPED = ("rfc3987_syntax",)


def skip_unused_validators() -> None:
    """Make ``import rfc3987_syntax`` fail fast (unless already imported); skip pydantic's plugin scan."""
    for name in SKIPPED:
        # A None entry makes the import raise ImportError, which jsonschema tolerates.
        sys.modules.setdefault(name, None)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
