"""The presentation of answers: what the graded notebook and the feedback page show under each question, and per-trainee results."""
