"""Question banks to and from other tools: Moodle XML, GIFT and spreadsheets (CSV, XLSX).

Each format is one module with a table of per-type converters; what a format cannot hold is
reported per question (:class:`~crmtrain.interchange.common.Note`), never dropped silently.
"""
