"""Assessments graded by nbgrader: the course folder, roster, release, status, collect,
parallel autograde and feedback, all over nbgrader's Python API.

Importing this package (or any module but ``plugins`` and ``_worker``) does not import
nbgrader: commands import it inside the functions that need it, so the CLI stays quick.
``check`` is stdlib-only and runs inside trainee kernels (the hidden tests call it).
"""

from .course import ANSWERS_FILE, ASSESSMENTS, Course, config_text, trainee_config_text, write_config

__all__ = ["ANSWERS_FILE", "ASSESSMENTS", "Course", "config_text", "trainee_config_text", "write_config"]
