"""Scoring: an assessment's items read back from its source notebook, and answer checks scored as data."""
