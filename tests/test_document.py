"""The specialist prints the regulation as an official document, in its own language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from crmtrain.cli import main
from crmtrain.document.graphs import draw_svg
from crmtrain.document.html import build_html
from crmtrain.i18n import translation
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path

needs = [tool for tool in ("dot", "pdftotext", "pdfinfo") if not shutil.which(tool)]
if not (Path(os.environ.get("CRMTRAIN_CHROMIUM", "/usr/bin/chromium")).exists() or shutil.which("chromium")):
    needs.append("chromium")
# Chromium prints the PDF: the browser marker keeps these tests out of `make test-fast`.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(bool(needs), reason=f"needs {', '.join(needs)} (graphviz, poppler-utils, chromium; "
                                                     "`make test` installs them)")]


def pdf_pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["en", "ru"])
def printed(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"document-{lang}")
    assert main(["document", f"sample:{lang}", "--out", str(out)]) == 0
    return lang, out, load(sample_path(lang))


def test_the_pdf_has_a_title_page_contents_and_four_parts(printed):
    lang, out, reg = printed
    _ = translation(lang).gettext
    pages = pdf_pages(out / "regulation.pdf")
    info = subprocess.run(["pdfinfo", str(out / "regulation.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Pages:\s+{len(pages)}$", info, re.M)
    assert len(pages) >= 15

    title = flat(pages[0])
    m = reg.meta
    date = m.effective_date.strftime("%d.%m.%Y") if lang == "ru" else m.effective_date.isoformat()
    for fact in (m.company, m.crm, m.version, date, m.specialist.name, _("APPROVED"), _("Signature"),
                 _("Regulation of work in the CRM system")):
        assert fact in title, fact

    contents = flat(pages[1])
    assert contents.startswith(_("Contents")) or _("Contents") in contents
    parts = [_("Summary: general rules"), _("Order processing"), _("Working with {clients}"), _("Tests")]
    where = []
    for n, part in enumerate(parts, 1):
        # The contents line gives the page; that page starts with the part's heading.
        found = re.search(rf"{n}\. {re.escape(part)} (\d+)", contents)
        assert found, (part, contents[:400])
        page = int(found.group(1))
        assert flat(pages[page - 1]).find(f"{n}. {part}") >= 0, (part, page)
        where.append(page)
    assert where == sorted(where) and where[0] == 3

    body = flat(" ".join(pages))
    for proc in reg.order_processing.processes:
        assert proc.title in contents and proc.title in body
    cw = reg.client_work
    for section in (cw.lead_classification, cw.proposal, cw.contact_timing, cw.conversion, cw.pipeline, cw.tasks):
        assert section.title in contents
    for heading in (_("The classification table"), _("Allowed transitions and what to fill in first"),
                    _("Steps and how to do them in the CRM"), _("Assessments"), _("Question bank")):
        assert heading in body, heading


def test_the_tables_hold_the_rules_deadlines_fields_and_tasks(printed):
    lang, out, reg = printed
    html = (out / "regulation.html").read_text(encoding="utf-8")
    # A cell's text, whatever inline markup (bold class names, paragraphs) it is drawn with.
    cells = {re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", html, re.S)}
    cw = reg.client_work
    # Rules go by their row number, as in the workbooks (ids are internal), with their notes.
    rules = cw.lead_classification.rules
    assert {str(n) for n in range(1, len(rules) + 1)} <= cells
    assert {r.note for r in rules if r.note} <= {unescape(c) for c in cells}
    assert {c.name for c in cw.lead_classification.classes} <= cells
    assert {r.event for r in cw.contact_timing.rules} <= {unescape(c) for c in cells}
    assert {r.task for r in cw.tasks.rules} <= {unescape(c) for c in cells}
    fields = {f.id: f.label for f in cw.pipeline.fields}
    needed = {", ".join(fields[f] for f in t.requires) for t in cw.pipeline.transitions if t.requires}
    assert needed <= {unescape(c) for c in cells}
    # Questions and their answers stay out of a document handed to trainees.
    assert not any(q.text[:60] in unescape(html) for q in reg.questions)


def test_every_flowchart_is_an_inline_image_and_nothing_comes_from_the_network(printed):
    lang, out, reg = printed
    html = (out / "regulation.html").read_text(encoding="utf-8")
    assert html.count("<svg") == len(reg.order_processing.processes) + 1
    assert html.count("<figcaption>") == len(reg.order_processing.processes) + 1
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'src="(https?:)?//', html)  # links in the text are fine; nothing is loaded
    for step in reg.order_processing.processes[0].steps:
        assert step.label.split()[0] in html


def test_the_document_is_byte_stable(printed, tmp_path):
    lang, out, reg = printed
    assert build_html(reg, draw_svg) == build_html(reg, draw_svg)
    again = tmp_path / "again"
    assert main(["document", f"sample:{lang}", "--out", str(again)]) == 0
    assert (again / "regulation.pdf").read_bytes() == (out / "regulation.pdf").read_bytes()
    assert (again / "regulation.html").read_bytes() == (out / "regulation.html").read_bytes()


def test_html_only_needs_no_chromium(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CRMTRAIN_CHROMIUM", str(tmp_path / "no-such-chromium"))
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CRMTRAIN_DOT", shutil.which("dot", path="/usr/bin:/usr/local/bin") or "")
    assert main(["document", "sample:en", "--format", "html", "--out", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["regulation.html"]


@pytest.mark.parametrize("args, env, message", [
    (["--format", "docx"], {}, "argument --format: invalid choice: 'docx' (choose from 'html', 'pdf')"),
    (["--format", "html"], {"CRMTRAIN_DOT": "/nonexistent/dot"}, "Graphviz 'dot' is needed to draw the flowcharts"),
], ids=["format", "no-graphviz"])
def test_bad_requests_get_a_clear_message(tmp_path, monkeypatch, capsys, args, env, message):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["document", "sample:en", *args, "--out", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err


def test_pictures_are_inlined_from_beside_the_regulation_and_never_fetched(tmp_path, capsys):
    import base64

    assert main(["init", str(tmp_path)]) == 0
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    (tmp_path / "screens").mkdir()
    (tmp_path / "screens" / "deal.png").write_bytes(png)
    reg = tmp_path / "regulation.yaml"
    text = reg.read_text(encoding="utf-8").replace(
        '      body: "TODO: the goal of the CRM and what it gains the company and each manager"\n',
        '      body: "TODO: the goal of the CRM and what it gains the company and each manager"\n'
        "      images:\n"
        "        - {path: screens/deal.png, alt: The deal card}\n"
        "        - {path: 'https://example.com/crm.png', alt: The CRM online}\n", 1)
    reg.write_text(text, encoding="utf-8")
    assert main(["document", str(reg), "--format", "html", "--out", str(tmp_path / "doc")]) == 0
    html = (tmp_path / "doc" / "regulation.html").read_text(encoding="utf-8")
    assert f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="The deal card">' in html
    assert "[The CRM online: https://example.com/crm.png]" in html
    assert not re.search(r'src="(https?:)?//', html)
