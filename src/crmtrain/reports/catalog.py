"""The report tables' names and one-line descriptions (import-free, for the notebook builder)."""

TABLES = ("summary", "trainees", "topics", "parts", "retention_trainees", "regulation_items", "item_analysis",
          "assessment_statistics", "retraining")

DESCRIPTIONS = {
    "summary": "Each assessment: who submitted, who passed, and the score spread.",
    "trainees": "Each trainee: score on each assessment (share of the maximum), pass/fail against its pass mark, "
                "late and missing submissions.",
    "topics": "Each trainee's score by test area.",
    "parts": "Each trainee's score by regulation part.",
    "retention_trainees": "Regulation items tested in both assessments: learned (right both times), forgotten, "
                          "learned later, never learned.",
    "regulation_items": "Each regulation item: how often it was answered right, and how well it was retained.",
    "item_analysis": "Each question, on Moodle's quiz-statistics definitions: facility index, SD, random guess score, "
                     "intended and effective weight, discrimination index (against the rest of the test), "
                     "discriminative efficiency, the most chosen wrong answer, options nobody chose, and advice "
                     "once there are enough answers.",
    "assessment_statistics": "Each assessment: Cronbach's alpha (internal consistency), error ratio and standard "
                             "error of a score, with advice once there are enough sittings.",
    "retraining": "Trainees whose latest result is below the pass mark, with the regulation sections and rules "
                  "to revisit.",
}


def title_of(name: str) -> str:
    """'retention_trainees' -> 'Retention trainees'."""
    return name.replace("_", " ").capitalize()
