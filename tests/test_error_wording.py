"""One phrasing per kind of problem, whichever command meets it.

A specialist who learns what "no such file" or "invalid choice" means once should read the
same words from every command; these tests ask each command the same bad question.
"""

from __future__ import annotations

import pytest

from crmtrain.cli import main


@pytest.mark.parametrize("argv", [
    ["check", "{missing}"],
    ["build", "{missing}", "--out", "{tmp}/build"],
    ["document", "{missing}", "--format", "html", "--out", "{tmp}/doc"],
    ["export", "{missing}", "--format", "gift", "--out", "{tmp}/q.gift"],
    ["import", "{missing}", "--format", "gift"],
    ["roster", "import", "{missing}", "--course", "{tmp}/course"],
], ids=lambda argv: " ".join(argv[:2]))
def test_a_missing_file_is_no_such_file(tmp_path, capsys, argv):
    missing = tmp_path / "not-there.yaml"
    if argv[0] == "roster":  # a course to import into, so that the roster file is what is missing
        assert main(["build", "sample:en", "--out", str(tmp_path)]) == 0
        argv = [a.replace("{tmp}/course", str(tmp_path / "assignments")) for a in argv]
        capsys.readouterr()
    argv = [a.format(missing=missing, tmp=tmp_path) for a in argv]
    assert main(argv) == 2
    assert f"{missing}: no such file" in capsys.readouterr().err


@pytest.mark.parametrize("argv, allowed", [
    (["report", "--format", "csv,pdf"], "'csv', 'xlsx', 'html'"),
    (["document", "sample:en", "--format", "docx"], "'html', 'pdf'"),
    (["export", "sample:en", "--format", "docx"], "'moodle-xml', 'gift', 'xlsx', 'csv', 'qti', 'bpmn'"),
    (["import", "x.gift", "--format", "docx"], "'moodle-xml', 'gift', 'xlsx', 'csv', 'qti', 'bpmn'"),
], ids=lambda v: v[0] if isinstance(v, list) else "")
def test_a_bad_format_is_refused_while_parsing_in_argparses_words(tmp_path, capsys, argv, allowed):
    bad = argv[-1].split(",")[-1]
    assert main(argv + ["--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"argument --format: invalid choice: '{bad}' (choose from {allowed})" in err
    assert not (tmp_path / "out").exists()


def test_the_parsers_format_choices_are_the_registries():
    from crmtrain.cli import build_parser
    from crmtrain.document.render import FORMATS as DOCUMENT
    from crmtrain.interchange.formats import FORMATS as INTERCHANGE
    from crmtrain.reports.export import FORMATS as REPORT

    sub = next(a for a in build_parser()._actions if a.dest == "command").choices
    def fmt(command):
        return next(a for a in sub[command]._actions if a.dest == "format")

    assert fmt("report").type("html,csv,xlsx") == ",".join(REPORT)
    assert fmt("document").type("pdf,html") == ",".join(DOCUMENT)
    assert tuple(fmt("export").choices) == tuple(fmt("import").choices) == tuple(INTERCHANGE)
