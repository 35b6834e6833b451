"""Intake and safety: what of a submission nbgrader may see, the saved answers read as data, the grading lock, the scan for key material."""
