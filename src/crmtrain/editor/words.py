"""The editor's own words (buttons, tabs, messages), in the regulation's language.

They go through crmtrain's gettext catalogs like everything else the specialist reads; the
browser receives them with the regulation, so the extension itself holds no texts.
"""

from __future__ import annotations

from .. import i18n


def N_(text: str) -> str:
    """Mark a msgid for extraction."""
    return text


WORDS = {
    "save": N_("Save"), "saved": N_("Saved"), "unsaved": N_("Unsaved changes"),
    "reload": N_("Reload from the file"), "changedOnDisk": N_("The file was changed in another editor."),
    "problems": N_("Problems"), "noProblems": N_("No problems: crmtrain check passes."),
    "todo": N_("Still to do"), "fix": N_("Fix"), "checking": N_("Checking…"), "checkedIn": N_("checked in {ms} ms"),
    "preview": N_("Preview"), "diagram": N_("Flowchart"), "add": N_("Add"), "remove": N_("Remove"),
    "tryIt": N_("Try it as a trainee"), "asked": N_("What each trainee is asked"), "title": N_("Regulation editor"),
    "openFailed": N_("The regulation could not be opened"), "saveFailed": N_("The regulation could not be saved"),
    "meta": N_("About the regulation"), "summary": N_("1. Summary"), "order_processing": N_("2. Order processing"),
    "client_work": N_("3. Working with clients"), "questions": N_("Questions"), "assessments": N_("Assessments"),
    "rule": N_("Rule"), "note": N_("Note"), "any": N_("any"), "uncovered": N_("Leads no rule classifies"),
    "transitions": N_("Allowed transitions (row: from, column: to)"), "addPipeline": N_("Add a pipeline"),
    "up": N_("Move up"), "down": N_("Move down"), "from": N_("From"), "to": N_("To"),
    "unknownStatus": N_("a transition between statuses this pipeline does not have"),
    "stateDiagram": N_("Statuses and transitions"), "weekday": N_("Day of the week"),
    "answerWritten": N_("No: the correct answer is written in the question"), "yes": N_("yes"), "no": N_("no"),
    "tryCase": N_("Try this case as a trainee"),
}


def words(lang: str) -> dict[str, str]:
    """Every word of the editor in ``lang``."""
    tr = i18n.translation(lang if lang in i18n.LANGUAGES else "en")
    return {key: tr.gettext(text) for key, text in WORDS.items()}
