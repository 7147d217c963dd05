"""Values as a person reads them — a percentage, a rank, a change, a page, a bar — in the language
in use. Queries, claims, citations and the brief all write numbers through these, so a number reads
the same everywhere; ``views`` puts them in tables."""

from __future__ import annotations

import math
from typing import Any


def is_missing(value: Any) -> bool:
    """None (and NaN, should a number computed elsewhere be one) mean 'no value' in a cell."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float) -> str:
    """A number as the source wrote it: 36 stays '36', 30.2 stays '30.2' (no added precision)."""
    return format(round(float(value), 6), "g")


def page_ref(page: Any) -> str:
    """'p. 27' for one page, 'pp. 28–29' for a range, as citations print them (in the language in use:
    the abbreviations are catalog strings, i18n.strings)."""
    text = str(page)
    t = _local()
    if "-" in text:
        pages = text.replace("-", "–")
        return t.gettext("pp. {pages}", pages=pages) if t else f"pp. {pages}"
    return t.gettext("p. {page}", page=text) if t else f"p. {text}"


def _local() -> Any:
    """The translator of the language in use, or None for English (i18n.use_language sets it)."""
    from wbbrief.base.constants import active_translator

    return active_translator()


def percent(value: Any) -> str:
    if is_missing(value):
        return ""
    t = _local()
    return t.percent(value) if t else f"{number(value)}%"


def ordinal(rank: Any) -> str:
    if is_missing(rank):
        return ""
    t = _local()
    if t:
        return str(t.rank(rank))
    n = int(rank)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def change(delta: Any) -> str:
    """A change in percentage points, signed: '+22 pts'."""
    if is_missing(delta):
        return ""
    t = _local()
    if t:
        return str(t.change(delta))
    text = number(delta)
    return f"{'+' if float(delta) > 0 else ''}{text} pts" if float(delta) != 0 else "±0 pts"


def bar(value: Any, width: int = 20) -> str:
    """An inline bar for a 0–100 percentage, in eighth-block steps."""
    if is_missing(value):
        return ""
    eighths = round(max(0.0, min(100.0, float(value))) / 100 * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]


def decimal(value: Any) -> str:
    """A bound of an interval to one decimal ('40.9'; in another language with its decimal sign)."""
    t = _local()
    return t.number(round(float(value), 1)) if t else f"{float(value):.1f}"
