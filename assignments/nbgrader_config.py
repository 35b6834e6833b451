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
c.NbGraderAPI.timezone = 'Europe/Moscow'

# A late submission is recorded with its delay; "none" keeps the score, "zero" zeroes it.
c.LateSubmissionPlugin.penalty_method = 'none'

# Trainees answer with widgets; each answer is saved to 'answers.json' next to the notebook.
# Submit carries that file and autograde copies it; never replace it with a source copy.
c.Autograde.exclude_overwriting = {'initial': ['answers.json'], 'followup': ['answers.json'], 'retest': ['answers.json']}

# Grading: a submission counts only for its answers.json and the key. nbgrader's own chains,
# with two steps of crmtrain's: the released notebook is graded in place of the trainee's
# copy (so added, edited or retyped cells and changed metadata count for nothing), and the
# answer checks crmtrain generated are scored from answers.json as data, without a kernel,
# in place of nbgrader's Execute (any other grade cell still runs in a kernel). ShowAnswers
# then writes each answer under its question as static HTML, for formgrader and feedback.
# OwnDueDate gives each trainee nbgrader's per-student extension up to their own due date
# (their start, their own earlier submission, a date the specialist moved: schedule.json)
# before AssignLatePenalties counts lateness.
c.Autograde.sanitize_preprocessors = [
    "crmtrain.grading.plugins.UseReleasedNotebook",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "crmtrain.grading.plugins.ScoreAnswers",
    "crmtrain.grading.plugins.ShowAnswers",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "crmtrain.grading.plugins.OwnDueDate",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# nbgrader does not record who fetched an assessment: these exchange plugins also drop a
# marker in <exchange>/<course>/fetched/ on every fetch (read by `crmtrain status`).
c.ExchangeFactory.fetch_assignment = "crmtrain.grading.plugins.RecordingFetchAssignment"
c.ExchangeFactory.release_assignment = "crmtrain.grading.plugins.RecordingReleaseAssignment"

# Collecting copies a link as a link (grading then ignores it) and never opens a pipe or a
# device: stock collect would follow links with the specialist's rights.
c.ExchangeFactory.collect = "crmtrain.grading.plugins.SafeCollect"

# Feedback shows each trainee their answers and points, never the answer key: the hidden
# test cells are blanked and their tracebacks dropped before the HTML is written.
c.GenerateFeedback.HTMLExporter.preprocessors = ["crmtrain.grading.plugins.HideKey"]
