"""The document's print style: A4, numbered pages, a running header, figures kept whole."""

from __future__ import annotations

CSS = """
@page { size: A4; margin: 20mm 18mm 20mm 22mm;
  @top-right { content: var(--running); font: 8pt 'DejaVu Sans', sans-serif; color: #666; }
  @bottom-center { content: counter(page) " / " counter(pages); font: 8pt 'DejaVu Sans', sans-serif; color: #666; } }
@page :first { @top-right { content: none; } @bottom-center { content: none; } }
html { font: 10.5pt/1.45 'DejaVu Serif', 'Liberation Serif', serif; color: #111; }
body { margin: 0; }
h1, h2, h3, h4, nav, table, figcaption, .title-page { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; }
h1.part { break-before: page; font-size: 17pt; border-bottom: 2px solid #2f6fb0; padding-bottom: 3pt; margin: 0 0 10pt; }
h2 { font-size: 13pt; margin: 16pt 0 6pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; }
h4 { font-size: 10.5pt; break-after: avoid; }
.num { color: #2f6fb0; margin-right: 4pt; }
p, li { orphans: 3; widows: 3; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 10pt; font-size: 8.5pt; }
th, td { border: 0.6pt solid #999; padding: 2.5pt 4pt; vertical-align: top; text-align: left; }
thead th { background: #e6eef7; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
figure { margin: 8pt 0 12pt; text-align: center; break-inside: avoid; }
figure svg { max-width: 100%; max-height: 215mm; width: auto; height: auto; }
figcaption { font-size: 9pt; color: #333; margin-top: 4pt; }
a { color: inherit; text-decoration: none; }
img { max-width: 100%; }
.picture-link { color: #555; font-style: italic; word-break: break-all; }
.title-page { height: 250mm; display: flex; flex-direction: column; break-after: page; }
.approval { align-self: flex-end; width: 85mm; font-size: 9.5pt; }
.approval .blank { min-width: 45mm; }
.approval p { margin: 0 0 7pt; }
.approval .approved { font-weight: bold; }
.blank { display: inline-block; min-width: 30mm; border-bottom: 0.6pt solid #111; }
.title-block { margin-top: 55mm; text-align: center; }
.company { font-size: 14pt; margin: 0 0 14pt; }
.doc-title { font-size: 22pt; margin: 0 0 10pt; }
.subtitle { font-size: 12pt; color: #333; }
table.facts { margin-top: auto; width: auto; font-size: 9.5pt; }
table.facts th { background: none; border: none; padding-right: 10pt; font-weight: normal; color: #555; }
table.facts td { border: none; }
nav.toc { break-after: page; }
.toc-head { font-size: 17pt; margin: 0 0 10pt; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 0; }
nav.toc a { display: flex; align-items: baseline; }
nav.toc .toc-title { flex: 1; }
nav.toc .toc-title::after { content: ""; }
nav.toc .page { min-width: 12mm; text-align: right; }
.toc-1 { font-weight: bold; margin-top: 6pt !important; }
.toc-2 { padding-left: 8mm; font-size: 9.5pt; }
"""


def page_css(running_header: str) -> str:
    """The style with the running header (company, title, version) filled in."""
    quoted = running_header.replace("\\", "\\\\").replace('"', '\\"')
    return CSS.replace("var(--running)", f'"{quoted}"', 1)
