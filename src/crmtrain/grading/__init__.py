"""Assessments graded by nbgrader: the course folder, roster, release, status, collect,
parallel autograde and feedback, all over nbgrader's Python API.

Importing this package (or any module but ``plugins`` and ``_worker``) does not import
nbgrader: commands import it inside the functions that need it, so the CLI stays quick (for
its help it reads only :mod:`.defaults`, a module without imports).
The hidden tests' answer check runs inside trainee kernels, so it lives in
:mod:`crmtrain.runtime.check`.
"""
