"""Pure functions from a regulation to notebooks: workbooks for trainees, assessments for nbgrader."""
