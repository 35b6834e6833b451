"""``crmtrain diff OLD NEW``: what changed, what it touches, who must relearn it, and a re-test."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from ..i18n import _, plural
from ..regulation.loader import load
from ..samples import resolve


def run(old_spec: str, new_spec: str, out: TextIO, *, course_dir: str | None = None, out_dir: str | None = None) -> int:
    """Print the changes item by item; with ``out_dir`` write the workbook and the re-test."""
    from ..changes.diff import PART_TITLES, STATUS_WORDS, diff
    from ..changes.impact import retest_questions, questions_on, workbook_changes

    from ..i18n import set_language

    old, new = load(resolve(old_spec)), load(resolve(new_spec))
    set_language(new.meta.language.value)
    changes = diff(old, new)
    m0, m1 = old.meta, new.meta
    counts = {s: sum(1 for c in changes if c.status == s) for s in ("added", "removed", "changed")}
    out.write(_("{company}: version {old} ({old_date}) → {new} ({new_date}): {changes} ({added} added, {removed} removed, "
                "{changed} changed)").format(company=m0.company, old=m0.version, old_date=m0.effective_date, new=m1.version,
                                             new_date=m1.effective_date, changes=plural("{n} change", "{n} changes", len(changes)),
                                             **counts) + "\n")
    for what, a, b in ((_("the company"), m0.company, m1.company), (_("the language"), m0.language.value, m1.language.value)):
        if a != b:
            out.write(_("Note: {what} differs ({old} → {new}); the two files may not be versions of one regulation").format(
                what=what, old=a, new=b) + "\n")
    if not changes:
        return 0
    who = None
    if course_dir:
        from ..changes.learners import learners

        who = learners(course_dir, old, changes)
    part = None
    for c in changes:
        if c.part != part:
            part = c.part
            out.write(f"\n{_(PART_TITLES[part])}\n")
        out.write(f"  {_(STATUS_WORDS[c.status]):<9} {_(c.kind)} {c.id}: {c.title}" + (f"  [{c.old_hash or '—'} → {c.new_hash or '—'}]" if c.trains else "") + "\n")
        for line in c.lines:
            out.write(f"      {line}\n")
        tested = questions_on(new if c.status != "removed" else old, c)
        if tested:
            out.write("      " + _("tested by: {questions}").format(questions=", ".join(
                t.question + (" " + _("(its section)") if t.via == "section" else "") for t in tested)) + "\n")
        if who is not None and c.id in who.by_item:
            names = [f"{x.trainee} ({', '.join(x.questions)})" for x in who.by_item[c.id]]
            out.write("      " + _("learned the old version: {who}").format(
                who=", ".join(names) if names else _("nobody answered a question on it yet")) + "\n")
    books = workbook_changes(old, new)
    out.write("\n" + _("Workbooks that change (rebuild with crmtrain build):") + "\n")
    for b in books:
        if b.note:
            out.write(f"  {b.name}: {b.note}\n")
            continue
        extra = "".join([_("; drills: {names}").format(names=", ".join(b.drills)) if b.drills else "",
                         _("; quizzes: {names}").format(names=", ".join(b.quizzes)) if b.quizzes else ""])
        out.write("  " + _("{name}: {added} cells new or changed, {removed} gone").format(
            name=b.name, added=b.added, removed=b.removed) + extra + "\n")
    if not books:
        out.write("  " + _("none") + "\n")
    if who is not None:
        out.write("\n" + _("Trainees who studied the old version (submitted an assessment): {who}").format(
            who=", ".join(who.submitted) or _("none yet")) + "\n")
    questions, covering = retest_questions(new, changes)
    uncovered = [item for item, qids in covering.items() if not qids]
    out.write("\n" + _("Re-test: {questions} on {covered} of {items} changed items").format(
        questions=plural("{n} question", "{n} questions", len(questions)), covered=len(covering) - len(uncovered),
        items=len(covering))
        + (_("; no question tests {items}: add one to the bank").format(items=", ".join(uncovered)) if uncovered else "")
        + "\n")
    if out_dir:
        _write(old, new, changes, questions, Path(out_dir), out)
    if who is not None and questions:
        _into_course(course_dir, old, new, questions, who.studied, out)
    return 0


def _into_course(course_dir: str, old, new, questions, trainees: list[str], out: TextIO) -> None:
    """The re-test into the course (source, answer notes, and whom it is for), ready for `crmtrain release retest`."""
    from ..changes.notebooks import RETEST, retest_notebook
    from ..files import write_files
    from ..grading.plumbing.audience import Audience, write_audience
    from ..grading.plumbing.course import Course
    from ..i18n import _
    from ..notebooks.assessments import answer_notes
    from ..notebooks.cells import render

    course = Course.load(course_dir)
    notes = answer_notes(new, RETEST, questions)
    write_files(course.root, {f"source/{RETEST}/{RETEST}.ipynb": render(retest_notebook(old, new, questions)),
                              f"notes/{RETEST}.json": json.dumps(notes, indent=2, ensure_ascii=False) + "\n"})
    write_audience(course, Audience(RETEST, tuple(trainees), str(old.meta.version), str(new.meta.version)))
    out.write(_("The re-test is in the course ({folder}), for the {n} trainee(s) who learned version {version}: "
                "{trainees}. Release it to them: crmtrain release {retest} --course {course}").format(
        folder=course.source_dir(RETEST), n=len(trainees), version=old.meta.version,
        trainees=", ".join(trainees) or "—", retest=RETEST, course=course_dir) + "\n")


def _write(old, new, changes, questions, folder: Path, out: TextIO) -> None:
    from ..changes.notebooks import RETEST, WORKBOOK, retest_notebook, what_changed_workbook
    from ..files import write_files
    from ..notebooks.cells import render

    files = {f"{WORKBOOK}.ipynb": render(what_changed_workbook(old, new, changes, questions))}
    if questions:
        files[f"{RETEST}/{RETEST}.ipynb"] = render(retest_notebook(old, new, questions))
    write_files(folder, files)
    out.write(_("Wrote {path} (for the trainees, beside their workbooks)").format(path=folder / (WORKBOOK + ".ipynb"))
              + "\n")
    if questions:
        out.write(_("Wrote {path}: copy the {folder}/ folder into the course's source/ and release it with nbgrader "
                    "(nbgrader generate_assignment {folder}, then release_assignment)").format(
                        path=folder / RETEST / (RETEST + ".ipynb"), folder=RETEST) + "\n")


def register(sub) -> None:
    """``crmtrain diff``."""
    p = sub.add_parser("diff", help=_("what changed between two versions of the regulation, who must relearn it, a re-test"))
    p.add_argument("old", metavar="OLD", help=_("the earlier regulation (a file, or sample:en / sample:ru)"))
    p.add_argument("new", metavar="NEW", help=_("the new regulation"))
    p.add_argument("--course", dest="course_dir", default=None, metavar="DIR",
                   help=_("the nbgrader course built from OLD: also list who learned the old version of each item, "
                          "and write the re-test into it for them (then: crmtrain release retest)"))
    p.add_argument("--out", default=None, metavar="DIR",
                   help=_("write the 'what changed' workbook and the re-test (retest/retest.ipynb) into DIR"))
    p.set_defaults(func=lambda args: run(args.old, args.new, out=sys.stdout, course_dir=args.course_dir, out_dir=args.out))
