"""What a query returns: tables of plain values, with how each column is shown.

Queries build Views; ``output`` renders them as a Rich table, CSV, JSON or Markdown, and the
brief reuses the same Views, so every number reaches every format by one road.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Literal

from wbbrief.base.record import record
from wbbrief.query.values import bar, change, decimal, is_missing, ordinal, percent

Kind = Literal["text", "percent", "rank", "change", "bar", "integer", "lines"]


@record
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


@record(frozen=False)
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


@record(frozen=False)
class View:
    command: str
    filters: dict[str, str | None]
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    # Statements whose condition fails with the data in use: {"id", "holds_if", "note"} each.
    withdrawn: list[dict[str, Any]] = field(default_factory=list)


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
