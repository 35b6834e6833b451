"""Assessments graded by nbgrader: the only package that imports it, one job per sub-package.

``plumbing`` (the course folder, its config, the gradebook, patches to nbgrader), ``safety``
(intake, the saved answers as data, the grading lock, the key scan), ``exchange`` (the exchange
trusting nothing a trainee wrote), ``scoring`` (items and answer checks as data),
``presentation`` (what the graded view and the feedback show) and ``verbs`` (roster, release,
status, collect, grade in worker processes, watch, feedback). :mod:`.plugins` stays here: every
course's ``nbgrader_config.py`` names ``crmtrain.grading.plugins``. docs/architecture.md has the
table of which may import which (tests/test_layers.py enforces it).

Importing this package (or any module but ``plugins`` and ``verbs.worker_process``) does not
import nbgrader: commands import it inside the functions that need it, so the CLI stays quick.
The hidden tests' answer check runs inside trainee kernels, so it lives in
:mod:`crmtrain.runtime.check`.
"""
