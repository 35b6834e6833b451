"""crmtrain: CRM-regulation training workbooks and assessments for JupyterLab.

Kept import-free on purpose: ``crmtrain.runtime`` runs inside trainee kernels and must not
pull in pydantic, pandas or nbgrader through this package's ``__init__``.
"""

__version__ = "0.1.0"
