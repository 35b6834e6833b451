"""``python -m crmtrain``: the same as the ``crmtrain`` command."""

import sys

from .cli import main

sys.exit(main())
