"""What the brief's data links and its appendix of figures need from composition: the figures each
chart and table shows, and every figure the brief cites, with its provenance.

Citations are recorded as they are made (``RecordingNotes``), so the appendix lists exactly the
figures whose notes the brief prints, in the order it first cites them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wbbrief.document import tree as t
from wbbrief.document.notes import Notes

if TYPE_CHECKING:
    from wbbrief.dataset.records import Figure


@dataclass
class RecordingNotes(Notes):
    """Notes that remember which figure each citation was for (the appendix's rows)."""

    used: dict[str, tuple[Figure, int]] = field(default_factory=dict)

    def cite(self, figure: Figure) -> int:
        number = super().cite(figure)
        self.used.setdefault(figure.id, (figure, number))
        return number


def figure_uses(notes: RecordingNotes, level: float) -> tuple[t.FigureUse, ...]:
    """The appendix's rows, in the language in use: each cited figure's question and answer (as
    ``figures`` shows them), its value (with its interval where the data give one, at the
    document's level), survey, edition, page and footnote."""
    from wbbrief.query import queries
    from wbbrief.query.uncertainty import margin
    from wbbrief.query.views import decimal

    rows = []
    for figure, number in notes.used.values():
        value = queries.figure_text(figure)
        found = margin(notes.bundle.surveys, figure, level)
        if found is not None:
            value += f" ({decimal(found.low)}–{decimal(found.high)})"
        rows.append(
            t.FigureUse(
                figure.id, f"{figure.question}: {figure.answer}", value, queries.survey_label(notes.bundle, figure.survey,
                figure.edition), figure.source_page or "",
                str(figure.footnote) if figure.footnote is not None else "", number,
            )
        )  # fmt: skip
    return tuple(rows)


def chart_figure_ids(table: Any, chart_id: str) -> tuple[str, ...]:
    """The figures a chart drawn from a query's table shows, row by row: for a by-country
    comparison, only its measure's columns (``chartdata`` draws one chart per measure)."""
    keys: set[str] | None = None
    measures: dict[str, list[str]] = {}
    for c in table.columns:
        if c.kind == "percent":
            measures.setdefault(c.measure or c.key, []).append(c.key)
    for columns in measures.values():
        if chart_id in (f"{table.id}-{columns[0]}", f"{table.id}-{columns[0]}-series"):
            keys = set(columns)
    return _ids(table, keys)


def table_figure_ids(table: Any) -> tuple[str, ...]:
    return _ids(table, None)


def _ids(table: Any, keys: set[str] | None) -> tuple[str, ...]:
    from wbbrief.query.uncertainty import figures_of

    found: dict[str, None] = {}
    for row in table.rows:
        by_key = figures_of(row)
        for key, figure in by_key.items():
            if keys is None or key in keys:
                found.setdefault(figure.id)
        if not by_key:
            for fid in [row.get("figure_id"), *row.get("figure_ids", [])]:
                if fid:
                    found.setdefault(str(fid))
    return tuple(found)
