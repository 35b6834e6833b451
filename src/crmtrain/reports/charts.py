"""Hand-written SVG charts: no plotting library, no CDN, so the HTML report works offline.

Each function returns one ``<svg>`` element as text, sized by a viewBox so it scales with the
page, with a ``<title>`` for screen readers and per-mark tooltips, all said for ``people``
(their language; English by default).
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import pandas as pd

from ..i18n import numbers
from ..kinds.assessments import ASSESSMENT_KINDS, FIRST, LAST
from .people import People

COLOURS = {k.name: k.colour for k in ASSESSMENT_KINDS.values()}
X, Y = ASSESSMENT_KINDS[FIRST], ASSESSMENT_KINDS[LAST]  # the scatter's axes
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}" {FONT}><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def _pct(v: float, lang: str = "en") -> str:
    return numbers.percent(round(v, 2), lang)


def histogram(scores: dict[str, pd.Series], marks: dict[str, float] | None = None, bins: int = 10,
              title: str | None = None, people: People | None = None) -> str:
    """Grouped bars: how many trainees scored in each tenth, per assessment; dashed lines at the pass marks."""
    people = people or People()
    _ = people._
    title = title or _("Score distribution")
    W, H, L, B, T = 640, 300, 44, 40, 28
    edges = np.linspace(0, 1, bins + 1)
    counts = {a: np.histogram(np.clip(s.dropna().to_numpy(float), 0, 1), edges)[0] for a, s in scores.items()}
    highest = max([int(c.max()) for c in counts.values() if len(c)] + [1])
    step = _nice_step(highest)
    top = step * math.ceil(highest / step)
    pw, ph = W - L - 24, H - B - T
    body = [f'<text x="{L}" y="18" font-weight="bold">{escape(title)}</text>']
    for k in range(int(top / step) + 1):  # horizontal grid at round counts
        v = k * step
        y = T + ph - ph * v / top
        body.append(f'<line x1="{L}" x2="{L + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                    f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.0f}</text>')
    group = pw / bins
    bar = group * 0.8 / max(len(counts), 1)
    for i in range(bins):
        for j, (a, c) in enumerate(counts.items()):
            h = ph * c[i] / top
            x = L + i * group + group * 0.1 + j * bar
            tip = people.tr.ngettext("{assessment}: {n} trainee scored {low}–{high}%",
                                     "{assessment}: {n} trainees scored {low}–{high}%", int(c[i])).format(
                assessment=people.assessment(a), n=c[i], low=f"{edges[i] * 100:.0f}", high=f"{edges[i + 1] * 100:.0f}")
            body.append(f'<rect x="{x:.1f}" y="{T + ph - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                        f'fill="{COLOURS.get(a, "#888")}"><title>{escape(tip)}</title></rect>')
        body.append(f'<text x="{L + i * group:.1f}" y="{H - B + 16}" text-anchor="middle">{edges[i] * 100:.0f}</text>')
    body.append(f'<text x="{L + pw}" y="{H - B + 16}" text-anchor="middle">100%</text>')
    for a, m in (marks or {}).items():
        if a in counts and not math.isnan(m):
            x = L + pw * m / 100
            tip = _("{assessment}: pass mark {mark}%").format(assessment=people.assessment(a), mark=f"{m:g}")
            body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{T}" y2="{T + ph}" stroke="{COLOURS.get(a, "#888")}" '
                        f'stroke-dasharray="4 3"><title>{escape(tip)}</title></line>')
    body += _legend(list(counts), W - 8, 14, people)
    return _svg(W, H, title, body)


def scatter(first: pd.Series, last: pd.Series, labels: pd.Series | None = None,
            marks: dict[str, float] | None = None, title: str | None = None, people: People | None = None) -> str:
    """One dot per trainee (x the first assessment, y the last); equal scores share a dot that grows with the count."""
    people = people or People()
    xl, yl, lang = people.assessment(X.name), people.assessment(Y.name), people.lang
    title = title or people._("Score: {first} and {last}").format(first=xl, last=yl.lower())
    W = H = 370
    L, B, T, R = 58, 36, 28, 12
    pw, ph = W - L - R, H - B - T
    both = pd.DataFrame({"x": first, "y": last, "who": labels if labels is not None else ""}).dropna(subset=["x", "y"])
    # Scores are sums of few point values, so thousands of trainees land on a few hundred spots.
    spots = both.groupby([both["x"].round(2), both["y"].round(2)]).agg(n=("who", "size"), who=("who", "first"))
    body = [f'<text x="{L}" y="18" font-weight="bold">{escape(title)}</text>',
            f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="#bbb"/>',
            f'<line x1="{L}" y1="{T + ph}" x2="{L + pw}" y2="{T}" stroke="#bbb" stroke-dasharray="3 3"/>']
    for k in range(0, 5):
        v = k / 4
        body.append(f'<text x="{L + pw * v:.1f}" y="{H - B + 16}" text-anchor="middle">{_pct(v, lang)}</text>'
                    f'<text x="{L - 6}" y="{T + ph - ph * v + 4:.1f}" text-anchor="end">{_pct(v, lang)}</text>')
    marks = marks or {}
    if not math.isnan(marks.get(X.name, math.nan)):
        x = L + pw * marks[X.name] / 100
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{T}" y2="{T + ph}" stroke="{X.colour}" stroke-dasharray="4 3"/>')
    if not math.isnan(marks.get(Y.name, math.nan)):
        y = T + ph - ph * marks[Y.name] / 100
        body.append(f'<line x1="{L}" x2="{L + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="{Y.colour}" stroke-dasharray="4 3"/>')
    big = max(int(spots["n"].max()) if len(spots) else 1, 1)
    for (x, y), row in spots.iterrows():
        r = 3 + 7 * math.sqrt(row["n"] / big)
        who = row["who"] if row["n"] == 1 else people.tr.ngettext("{n} trainee", "{n} trainees", int(row["n"])).format(
            n=row["n"])
        tip = f"{who}: {xl} {_pct(x, lang)}, {yl.lower()} {_pct(y, lang)}"
        body.append(f'<circle cx="{L + pw * x:.1f}" cy="{T + ph - ph * y:.1f}" r="{r:.1f}" fill="#4c72b0" '
                    f'fill-opacity="0.55"><title>{escape(tip)}</title></circle>')
    body.append(f'<text x="{L + pw / 2}" y="{H - 4}" text-anchor="middle">{escape(xl)}</text>'
                f'<text x="12" y="{T + ph / 2}" text-anchor="middle" transform="rotate(-90 12 {T + ph / 2})">'
                f'{escape(yl)}</text>')
    return _svg(W, H, title, body)


def heatmap(matrix: pd.DataFrame, title: str | None = None, people: People | None = None) -> str:
    """Rows × columns of shares (0..1), red to green, with the value in each cell; blank where NaN."""
    people = people or People()
    title = title or people._("Score by test area")
    cell_w, cell_h = 92, 22
    label_w = min(220, 8 + 7 * max([len(str(i)) for i in matrix.index] + [4]))
    W = label_w + cell_w * len(matrix.columns) + 8
    H = 64 + cell_h * len(matrix.index)
    body = [f'<text x="4" y="18" font-weight="bold">{escape(title)}</text>']
    for j, col in enumerate(matrix.columns):
        for k, line in enumerate(str(col).split("\n")[:2]):
            body.append(f'<text x="{label_w + cell_w * (j + 0.5):.1f}" y="{38 + 13 * k}" text-anchor="middle">{escape(line)}</text>')
    for i, (name, row) in enumerate(matrix.iterrows()):
        y = 56 + cell_h * i
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(str(name)[:30])}</text>')
        for j, v in enumerate(row.to_numpy(dtype=float)):
            x = label_w + cell_w * j
            fill = "#f2f2f2" if math.isnan(v) else _colour(v)
            text = "" if math.isnan(v) else _pct(v, people.lang)
            tip = f"{name}, {matrix.columns[j]}: {text or people._('no data')}".replace("\n", " ")
            body.append(f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}">'
                        f'<title>{escape(tip)}</title></rect>'
                        f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + 15}" text-anchor="middle">{text}</text>')
    return _svg(W, H, title, body)


def _nice_step(top: int) -> int:
    """A round grid step (1, 2, 5, 10, 20, ...) giving at most five grid lines up to ``top``."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if top / (step * m) <= 5:
                return step * m
        step *= 10


def _colour(v: float) -> str:
    """Red (0) through yellow (0.5) to green (1), light enough to read black text on."""
    v = min(max(v, 0.0), 1.0)
    if v < 0.5:
        r, g = 244, int(120 + 230 * v * 2 * 0.5)
    else:
        r, g = int(244 - (v - 0.5) * 2 * 130), 235
    return f"#{r:02x}{min(g, 235):02x}{110:02x}"


def _legend(names: list[str], right: int, y: int, people: People) -> list[str]:
    """Colour keys ending at ``right``, each as wide as its words (about 7 px a character)."""
    labels = [people.assessment(a) for a in names]
    x = right - sum(24 + 7 * len(t) for t in labels)
    out = []
    for a, text in zip(names, labels):
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS.get(a, "#888")}"/>'
                   f'<text x="{x + 14}" y="{y}">{escape(text)}</text>')
        x += 24 + 7 * len(text)
    return out
