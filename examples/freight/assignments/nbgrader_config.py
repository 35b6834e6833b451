"""nbgrader configuration for the crmtrain course 'crm-training'.

Written by crmtrain; stock `nbgrader` commands run in this folder read it too.
Run `nbgrader` here (this folder is the course root) or pass --CourseDirectory.root.
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

# The course and the exchange folder trainees fetch from and submit to.
c.CourseDirectory.course_id = 'crm-training'
c.Exchange.root = '/srv/nbgrader/exchange'

# Time zone for showing due dates in the formgrader and reading dates given to crmtrain.
# Timestamps themselves are stored in UTC.
c.NbGraderAPI.timezone = 'Europe/London'

# A late submission is recorded with its delay; "none" keeps the score, "zero" zeroes it.
c.LateSubmissionPlugin.penalty_method = 'none'

# Trainees answer with widgets; each answer is saved to 'answers.json' next to the notebook.
# Submit carries that file and autograde copies it; never replace it with a source copy.
c.Autograde.exclude_overwriting = {'initial': ['answers.json'], 'followup': ['answers.json']}

# Before grading, nbgrader puts back edited locked cells; crmtrain also drops code cells a
# trainee added (they answer with widgets, so any extra code could only tamper). This is
# nbgrader's default list with DropAddedCode after OverwriteCells.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "crmtrain.grading.plugins.DropAddedCode",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# nbgrader does not record who fetched an assessment: these exchange plugins also drop a
# marker in <exchange>/<course>/fetched/ on every fetch (read by `crmtrain status`).
c.ExchangeFactory.fetch_assignment = "crmtrain.grading.plugins.RecordingFetchAssignment"
c.ExchangeFactory.release_assignment = "crmtrain.grading.plugins.RecordingReleaseAssignment"

# Feedback shows each trainee their answers and points, never the answer key: the hidden
# test cells are blanked and their tracebacks dropped before the HTML is written.
c.GenerateFeedback.HTMLExporter.preprocessors = ["crmtrain.grading.plugins.HideKey"]
