"""A specialist writes keys by hand; later a rule changes. ``check`` names each question whose key
the rule it tests now contradicts, at the key, and says how to tie the two together.

The English sample is the company here: a question is edited the way a specialist would edit
it, and ``crmtrain check`` is run on the file as they run it.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from crmtrain.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "crmtrain" / "samples" / "regulation.en.yaml"

# A question "what comes after this step" whose options are the process's own steps.
NEXT_STEP = """  - id: pr-proc-next
    pool: practice
    topic: processes
    type: single
    refs: [order-intake.check-invoice]
    text: The accountant finds the invoice correct. What do you do next?
    options:
      - {id: a, text: Send the invoice to the client}
      - {id: b, text: Correct the invoice}
      - {id: c, text: Reserve the equipment}
    answer: KEY
    explanation: A correct invoice goes to the client.
    points: 1

"""


def checked(tmp_path: Path, *edits: tuple[str, str]) -> tuple[int, list[str], Path]:
    """Write the sample with the edits as the company's regulation.yaml and run ``crmtrain check`` on it."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["check", str(path)])
    return status, [line.strip() for line in out.getvalue().splitlines()], path


def at_line(path: Path, marker: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.endswith(marker))


SKIP = ("    refs: [deal-pipeline.proposal-sent, deal-pipeline.invoiced]\n"
        "    text: A deal can be moved from Proposal sent straight to Invoice issued if the client is in a hurry.\n"
        "    answer: false\n")
WARM = "    refs: [lr-warm-budget, class-b]\n"
BACK = ("      Proposal sent and attach the new proposal file.\n    answer: true\n")

CASES = [
    ("a skipped status called allowed", [(SKIP, SKIP.replace("answer: false", "answer: true  # <-"))],
     "the key yes disagrees with the pipeline it tests: pipeline 'deal-pipeline' does not allow Proposal sent → "
     "Invoice issued; if the question asks whether that move is allowed, write 'answer_from: {transition: "
     "{from: proposal-sent, to: invoiced}}' instead of 'answer'"),
    ("the direction read from the text, not the refs' order",
     [("refs: [deal-pipeline.proposal-sent, deal-pipeline.invoiced]", "refs: [deal-pipeline.invoiced, deal-pipeline.proposal-sent]"),
      (SKIP.replace("deal-pipeline.proposal-sent, deal-pipeline.invoiced", "deal-pipeline.invoiced, deal-pipeline.proposal-sent"),
       SKIP.replace("deal-pipeline.proposal-sent, deal-pipeline.invoiced", "deal-pipeline.invoiced, deal-pipeline.proposal-sent")
       .replace("answer: false", "answer: true  # <-"))],
     "does not allow Proposal sent → Invoice issued"),
    ("a next step that is not next", [("  - id: pr-sales-04\n", NEXT_STEP.replace("KEY", "c  # <-") + "  - id: pr-sales-04\n")],
     "the key 'Reserve the equipment' is not a step that follows 'Is the invoice correct?' in process 'order-intake' "
     "(next: 'Send the invoice to the client', 'Correct the invoice'); if the question asks for the next step, write "
     "'answer_from: {next_step: {process: order-intake, step: check-invoice}}' instead of 'answer'"),
    ("a lead's class other than the rule's", [(WARM, WARM), ("    answer: b\n    explanation: >\n      The budget is not below", "    answer: c  # <-\n    explanation: >\n      The budget is not below")],
     "the key 'C, cold' disagrees with the lead table: rule 'lr-warm-budget', which the question tests, gives class "
     "'B, warm'; if the question describes a lead, write 'answer_from: {lead: {...}}' with the lead's value of each "
     "criterion (budget, decision_maker, source, in_service_area) instead of 'answer'"),
]


@pytest.mark.parametrize("edits, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_names_a_hand_written_key_the_rule_contradicts(tmp_path, edits, message):
    status, lines, path = checked(tmp_path, *(e for e in edits if e[0] != e[1]))
    line = at_line(path, "# <-")
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("answer:") + len("answer: ") + 1
    assert status == 1, "\n".join(lines)
    assert f"{path}:{line}:{column}: questions" in "\n".join(lines)
    assert any(message in entry and entry.startswith(f"{path}:{line}:") for entry in lines), "\n".join(lines)


OK_CASES = [
    ("the sample as it is", []),
    ("a move the pipeline forbids, keyed false", [(SKIP, SKIP)]),
    ("a move with conditions keyed false: the question may be about the conditions",
     [(BACK, BACK.replace("answer: true", "answer: false"))]),
    ("the next step keyed right", [("  - id: pr-sales-04\n", NEXT_STEP.replace("KEY", "a") + "  - id: pr-sales-04\n")]),
    ("a lead question whose rules give different classes says nothing",
     [(WARM, "    refs: [lr-warm-budget, lr-default, class-b]\n")]),
    ("options that are not steps are left alone",
     [("  - id: pr-sales-04\n", NEXT_STEP.replace("KEY", "c").replace("text: Send the invoice to the client", "text: Send it")
       .replace("text: Correct the invoice", "text: Fix it") + "  - id: pr-sales-04\n")]),
]


@pytest.mark.parametrize("edits", [c[1] for c in OK_CASES], ids=[c[0] for c in OK_CASES])
def test_keys_that_agree_or_cannot_be_told_are_not_named(tmp_path, edits):
    status, lines, _ = checked(tmp_path, *edits)
    assert not [entry for entry in lines if any(w in entry for w in ("disagrees with the pipeline", "is not a step that follows", "disagrees with the lead table"))]


def test_the_hint_is_said_in_the_regulation_language(tmp_path):
    """The Russian sample's specialist reads the hint in Russian."""
    ru = SAMPLE.with_name("regulation.ru.yaml").read_text(encoding="utf-8")
    old = "    refs: [deal-pipeline.proposal-sent, deal-pipeline.invoiced]\n"
    start = ru.index(old)
    end = ru.index("    answer: false\n", start)
    text = ru[:end] + "    answer: true\n" + ru[end + len("    answer: false\n"):]
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(path)])
    hint = next(line for line in out.getvalue().splitlines() if "answer_from: {transition:" in line)
    assert "не разрешает" in hint and "disagrees" not in hint, hint
