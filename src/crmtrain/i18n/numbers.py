"""Numbers and dates the way people of a language write them: '72,4 %' and '07.12.2026 18:55' in Russian.

Reports show shares as percentages with at most one decimal, points with at most two, and
moments in the office's time zone. Standard library only, like the rest of ``i18n``.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo

# (decimal mark, thousands separator, space before %, date, date and time) per language.
STYLES = {
    "en": (".", ",", "", "%Y-%m-%d", "%Y-%m-%d %H:%M"),
    "ru": (",", "\u00a0", "\u00a0", "%d.%m.%Y", "%d.%m.%Y %H:%M"),
}


def _style(lang: str) -> tuple[str, str, str, str, str]:
    return STYLES.get(lang, STYLES["en"])


def number(value: float, lang: str = "en", decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` decimals, none when it is whole: 13.2, 21, 0.67 ('0,67' in Russian)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    mark, thousands = _style(lang)[:2]
    text = f"{float(value):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\x00").replace(".", mark).replace("\x00", thousands)


def percent(share: float, lang: str = "en", signed: bool = False) -> str:
    """A share (0..1) as a percentage with at most one decimal: '72.4%', '100%'; '+3.1%' when ``signed``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    value = round(float(share) * 100, 1)
    text = number(value, lang, decimals=1)
    if signed and value > 0:
        text = "+" + text
    return text + _style(lang)[2] + "%"


def date(day: dt.date, lang: str = "en") -> str:
    """A day: '2026-12-07'; '07.12.2026' in Russian."""
    return day.strftime(_style(lang)[3])


def moment(when: dt.datetime, lang: str = "en", timezone: str | None = None) -> str:
    """A moment to the minute, in ``timezone`` (a naive ``when`` is UTC); the language's date style."""
    return local(when, timezone).strftime(_style(lang)[4])


def local(when: dt.datetime, timezone: str | None) -> dt.datetime:
    """``when`` (naive: UTC) as the wall clock of ``timezone`` shows it, naive; unchanged without a zone."""
    if not timezone:
        return when
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return when  # the regulation's check reports an unknown zone; a report still shows the UTC time
    aware = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(zone).replace(tzinfo=None)
