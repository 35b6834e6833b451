"""The specialist's verbs over nbgrader's API: roster, release, status, collect, grade (in worker processes), watch, feedback; and the trainee's fetch and submit."""
