"""Rule engines shared by the validator, the trainee drills and the assessments.

Imported inside trainee Jupyter kernels, so this package uses the standard library only and
works on plain JSON-shaped data (``model_dump(mode="json", by_alias=True)`` of the models),
never on the pydantic models themselves.
"""

from . import calendar, cases, decision_table, pipeline, processes, schedule, variants

__all__ = ["calendar", "cases", "decision_table", "pipeline", "processes", "schedule", "variants"]
