"""nbgrader's plumbing: the course folder and its config, the gradebook, the exchange's fetch markers, patches that speed nbgrader up."""
