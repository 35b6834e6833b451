"""Assessments graded by nbgrader: the course folder, roster, release, status, collect,
parallel autograde and feedback, all over nbgrader's Python API.

Importing this package (or any module but ``plugins`` and ``_worker``) does not import
nbgrader: commands import it inside the functions that need it, so the CLI stays quick.
The hidden tests' answer check runs inside trainee kernels, so it lives in
:mod:`crmtrain.runtime.check`.
"""

from .course import ANSWERS_FILE, ASSESSMENTS, Course, config_text, trainee_config_text, write_config

__all__ = ["ANSWERS_FILE", "ASSESSMENTS", "Course", "config_text", "trainee_config_text", "write_config"]
