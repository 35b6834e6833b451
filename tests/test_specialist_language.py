"""A Russian specialist on an English machine: every command they run over a Russian regulation answers in Russian.

The story: the company's regulation is Russian, the laptop's locale is English. The specialist
checks it, builds the course, prints the document, converts it to Excel, compares it with a new
version and reads the report. No English word may be left in what they read: only the
regulation's own ids, keys and values, file names, trainees' logins and product names are Latin.
"""

from __future__ import annotations

import re

import pytest
from test_messages_ru import TOKEN, allowed_words

from crmtrain.cli import main
from crmtrain.reports.export import write_report
from crmtrain.reports.synthetic import synthetic
from crmtrain.samples import sample_path

# Product and format names a Russian text names in Latin letters.
PRODUCTS = {"CRM", "YAML", "XLSX", "CSV", "HTML", "PDF", "GIFT", "XML", "Moodle", "FSRS", "JupyterLab", "Jupyter",
            "nbgrader", "crmtrain", "build", "generate_assignment", "release_assignment", "source", "e-mail", "ipynb",
            "yaml", "xlsx", "html", "pdf", "json",
            "lab", "retest", "check", "edit",  # commands' and a folder's names
            "Ordering", "qtype_ordering", "IMS", "QTI", "BPMN", "markdown", "order_processing", "processes"}


def latin_left(output: str, allowed: set[str], *paths) -> list[str]:
    """Latin words of ``output`` beyond file paths, quoted values and the allowed words."""
    left = []
    for line in output.splitlines():
        for p in paths:
            line = line.replace(str(p), " ")
        line = re.sub(r"\S*/\S*|\S*\.(ipynb|yaml|xlsx|html|pdf|json|csv|gift|xml|zip|db)\b", " ", line)  # paths and file names
        line = re.sub(r"'[^']*'|\"[^\"]*\"|«[^»]*»|\[[0-9a-f]{12} → [0-9a-f]{12}\]", " ", line)  # quoted values, hashes
        left += [w for w in TOKEN.findall(line) if w not in allowed]
    return left


@pytest.fixture
def russian_machine_english(monkeypatch):
    """The machine speaks English: only the regulation's language may make the messages Russian."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.fixture
def office(tmp_path, monkeypatch, russian_machine_english):
    """The specialist's folder: regulation.yaml (the Russian sample) and its next version."""
    text = sample_path("ru").read_text(encoding="utf-8")
    (tmp_path / "regulation.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "next.yaml").write_text(
        text.replace('version: "2027.1"', 'version: "2027.2"').replace("deadline: {minutes: 30}", "deadline: {minutes: 20}", 1)
        .replace("pass_mark: 80", "pass_mark: 85", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


COMMANDS = {
    "check": ["check", "--no-cache"],
    "build": ["build", "--out", "course"],
    "document": ["document", "--out", "doc", "--format", "html"],
    "convert": ["convert", "regulation.yaml", "regulation.xlsx"],
    "diff": ["diff", "regulation.yaml", "next.yaml", "--out", "changes"],
    "export gift": ["export", "--format", "gift", "--out", "bank.gift"],
    "export moodle-xml": ["export", "--format", "moodle-xml", "--out", "bank.xml"],
    "export qti": ["export", "--format", "qti", "--out", "bank.zip"],
    "import": ["import", "bank.gift", "--out", "imported.yaml"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_answers_a_russian_regulation_in_russian(office, capsys, command):
    if command == "import":  # the specialist brings back what they exported (in their Russian folder)
        assert main(COMMANDS["export gift"]) in (0, 1)
        capsys.readouterr()
    status = main(COMMANDS[command])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert status in ((0, 1) if command.startswith("export") else (0,)), output  # 1: a question a format cannot hold
    assert re.search("[А-Яа-яЁё]{4}", output), output  # it said something, in Russian
    assert latin_left(output, allowed_words() | PRODUCTS, office) == []


def test_the_report_files_speak_russian_numbers_and_words(tmp_path):
    # Headers, sheet and table titles, results and test areas in Russian; percentages with one decimal.
    data = synthetic(12, 6, seed=11)
    _paths, tables = write_report(data, tmp_path, ("csv", "html"), lang="ru", timezone="Europe/Moscow",
                                  dialect="excel-ru", generated="07.12.2026 21:55")
    trainees = (tmp_path / "trainees.csv").read_text(encoding="utf-8-sig").splitlines()
    assert trainees[0].startswith("Логин;Сотрудник;Входное тестирование: баллы;Входное тестирование: результат, %;")
    first = trainees[1].split(";")
    assert first[4] in ("прошёл", "не прошёл", "ждёт проверки", "не сдал")
    assert re.fullmatch(r"\d{1,3}(,\d)?", first[3])  # 72,4, never 0,7241379
    summary = (tmp_path / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert summary[1].startswith("Входное тестирование;") and re.search(r";\d\d\.\d\d\.\d{4} \d\d:\d\d;", summary[1])
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2 id=\"\w+\">([^<]*)</h2>", page) + re.findall(r"<th>([^<]*)</th>", page)
    titles = set(data.items["title"])  # the retention table's columns: the synthetic regulation's items, in English
    latin = [h for h in headings if re.search("[A-Za-z]{3}", h) and h not in titles]
    assert latin == [], latin  # (the synthetic regulation's item titles are English)
    assert '<html lang="ru">' in page and "Составлен 07.12.2026 21:55" in page


def test_help_speaks_the_language_of_the_regulation_in_the_folder(office, capsys):
    # Before any regulation is read: ./regulation.yaml is Russian, so --help is too (elsewhere: the locale's).
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("использование: crmtrain") and "показать эту справку и выйти" in out
    assert "проверить регламент и показать, чего в нём не хватает, по частям" in out
    assert main(["report", "--format", "pdf"]) == 2
    assert "crmtrain report: ошибка: аргумент --format: недопустимое значение: 'pdf' (выберите из 'csv', 'xlsx', 'html')" \
        in capsys.readouterr().err


def test_help_elsewhere_follows_the_locale(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("использование: crmtrain")


HELP_COMMANDS = ["init", "schema", "check", "document", "diff", "export", "import", "convert", "build", "roster",
                 "release", "status", "collect", "grade", "feedback", "report", "review", "remind", "lab", "edit",
                 "demo", "hub"]


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_each_commands_help_is_russian_in_a_russian_folder(office, capsys, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "250")  # argparse wraps at the terminal's width: one line per option here
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    # Usage lines, option names, metavars (DIR, FILE) and choices ({initial,followup}) are the command's syntax.
    out = re.sub(r"(?s)^использование:.*?\n\n", "", out)
    out = re.sub(r"(?m)^    [\w-]+ ", " ", out)  # a family's subcommands, listed by name
    out = re.sub(r"(?<![\w-])--?[\w-]+|\b[A-Z][A-Z_:]*\b|\{[^}]*\}|\S+@\S+|\S+://\S+|\$\w+|~\S+|\S+\.tar\.gz", " ", out)
    allowed = allowed_words() | PRODUCTS | {"sample", "en", "ru", "freight", "Chromium", "JupyterHub", "PostgreSQL",
                                           "sqlite", "pam", "native", "Ctrl", "chmod", "API", "moodle-xml", "gift",
                                           "xlsx", "csv", "qti", "bpmn", "assignments", "reports", "document", "demo",
                                           "review", "workbooks", "build", "crm-training", "localhost", "txt", "zip",
                                           "smtp", "from", "specialist", "docs", "reminders", "md", "cache",
                                           "configurable-http-proxy", "Moodle", "XML", "root"}
    assert latin_left(out, allowed, office) == []
