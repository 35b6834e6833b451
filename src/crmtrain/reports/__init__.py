"""Score reports for the responsible specialist: tables, exports and a dashboard notebook.

Kept import-free: pandas and nbgrader are imported by the submodules that need them, so
importing the package (or the CLI) stays fast. The seam with grading is
:class:`crmtrain.reports.data.ReportData`; everything else is computed from it.
"""
