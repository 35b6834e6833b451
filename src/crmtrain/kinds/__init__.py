"""Registries of the concepts that come in kinds: one frozen record per kind, as data.

The bottom of the stack: standard library only, imported by the regulation models, the
notebook builders, the trainee kernel runtime, grading and reports alike. Modules that need a
kind look its record up here instead of keeping their own list or if-ladder over kind names
(compare jupytext's ``formats.py`` and papermill's translators). Each module's docstring says
what adding a kind takes:

* :mod:`crmtrain.kinds.questions` — question types (check, answer form, key shape, widget);
* :mod:`crmtrain.kinds.assessments` — assessment kinds (initial, follow-up), in order;
* :mod:`crmtrain.kinds.drills` — drill kinds (rule engine, widget, heading).

Report tables have their registry beside the pandas code that computes them:
:mod:`crmtrain.reports.catalog`. Implementations are named by the records (a widget class,
a key shape, a builder function) and looked up where they live, so this package imports
nothing of crmtrain.
"""
