"""The course's defaults, in a module without imports: the CLI's help shows them at no cost."""

DEFAULT_COURSE_ID = "crm-training"
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"  # nbgrader's own default: where a shared JupyterHub keeps it
