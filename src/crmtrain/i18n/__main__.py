"""``python -m crmtrain.i18n compile|update``: see :mod:`crmtrain.i18n.catalogs`."""

import sys

from .catalogs import main

sys.exit(main())
