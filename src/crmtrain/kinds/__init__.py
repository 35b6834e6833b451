"""Registries of the concepts that come in kinds: one frozen record per kind, as data.

The bottom of the stack: standard library only, imported by the regulation models, the rule
engines' users, the notebook builders, the trainee kernel runtime, grading and reports alike.
Modules that need a kind look its record up here instead of keeping their own list or
if-ladder over kind names (compare jupytext's ``formats.py`` and papermill's translators).
"""
