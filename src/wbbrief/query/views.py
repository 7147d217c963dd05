"""What a query returns: tables of plain values, with how each column is shown.

Queries build Views; ``output`` renders them as a Rich table, CSV, JSON or Markdown, and the
brief reuses the same Views, so every number reaches every format by one road.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["text", "percent", "rank", "change", "bar", "integer", "lines"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind = "text"
    # Bars are for people: CSV and JSON carry the number they are drawn from instead.
    display_only: bool = False
    wide: bool = False  # takes the spare width in a terminal table
    nowrap: bool = False  # identifiers are copied whole, never folded
    missing: str = ""  # what an empty cell says, where empty means something
    optional: bool = False  # a middle round a narrow terminal may leave out, saying so
    measure: str = ""  # for a column of one round: what it measures (columns of one measure share it)
    round: str = ""  # ... and which round (year or edition) it holds
    # Issue 17: the prefix of the row keys ("" for ci_low/ci_high, "2019_" for 2019_ci_low ...) whose
    # interval a person sees after the share; the row key that says whether a change is significant,
    # and the words for yes and no; a column for programs only (CSV, JSON), never shown to a person.
    interval: str | None = None
    mark: str = ""
    marks: tuple[str, str] = ("", "")
    data_only: bool = False


@dataclass
class Table:
    id: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    source: str = ""
    highlight: str | None = None  # row whose "country" equals this is emphasised
    display: list[Column] | None = None  # columns for people, when they differ from the data's
    column_sources: dict[str, str] = field(default_factory=dict)  # a column's own source line, by key
    compared: tuple[str, str] | None = None  # the rounds compared (``queries.compared_rounds``)
    legend: list[str] = field(default_factory=list)  # lines under the source: what the marks mean

    def display_columns(self) -> list[Column]:
        return self.display if self.display is not None else [c for c in self.columns if not c.data_only]

    def data_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.display_only]


@dataclass
class View:
    command: str
    filters: dict[str, str | None]
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    # Statements whose condition fails with the data in use: {"id", "holds_if", "note"} each.
    withdrawn: list[dict[str, Any]] = field(default_factory=list)


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


def shown(column: Column, row: dict[str, Any]) -> str:
    """A cell as a person reads it: its value, then its interval and its mark where it has them
    ("44% (40.9–47.2)", "+22 pts, significant at 95%")."""
    text = cell_text(column, row.get(column.key))
    if not text or is_missing(row.get(column.key)):
        return text
    if column.interval is not None:
        low, high = row.get(f"{column.interval}ci_low"), row.get(f"{column.interval}ci_high")
        if not is_missing(low) and not is_missing(high):
            approximate = "≈" if row.get(f"{column.interval}ci_method") == "from-n" else ""
            text += f" ({approximate}{decimal(low)}–{decimal(high)})"
    if column.mark and row.get(column.mark) is not None:
        text += column.marks[0] if row.get(column.mark) else column.marks[1]
    return text


def decimal(value: Any) -> str:
    """A bound of an interval to one decimal ('40.9'; in another language with its decimal sign)."""
    t = _local()
    return t.number(round(float(value), 1)) if t else f"{float(value):.1f}"


def cell_text(column: Column, value: Any) -> str:
    """How a value is shown to a person in a table or in Markdown."""
    if is_missing(value) and column.missing:
        return column.missing
    if column.kind == "percent":
        return percent(value)
    if column.kind == "rank":
        return ordinal(value)
    if column.kind == "change":
        return change(value)
    if column.kind == "bar":
        return bar(value)
    if is_missing(value):
        return ""
    if isinstance(value, list | tuple):
        if column.kind == "lines":
            return "\n".join(f"• {v}" for v in value)
        return ", ".join(str(v) for v in value)
    return str(value)
