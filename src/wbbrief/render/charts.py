"""Horizontal bar charts as small vector SVGs drawn from a query's Table.

Only rect, line and text: WeasyPrint typesets that in microseconds, text stays real, selectable
text, and the alt text is generated from the very values the bars are drawn from.
"""

from __future__ import annotations

import base64
import textwrap
from dataclasses import dataclass
from html import escape
from typing import Any

from wbbrief.i18n import _
from wbbrief.query.views import Table, is_missing, percent

WIDTH = 600
LABEL_WIDTH = 210
BAR_LEFT = LABEL_WIDTH + 10
BAR_SPACE = WIDTH - BAR_LEFT - 70  # room for the value after the longest bar
LINE = 13  # px per label line
FONT = "DejaVu Sans, sans-serif"
INK, MUTED, BAR, ACCENT, EARLIER = "#1b1b1b", "#5f6368", "#1f4e79", "#c2611f", "#9fb6cd"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    earlier: float | None = None  # the compared earlier round, drawn as a thinner bar above
    note: str = ""  # what to write instead of a value
    highlight: bool = False
    series: tuple[float | None, ...] = ()  # every round, for a series chart


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    source: str
    bars: tuple[Bar, ...]
    legend: tuple[str, str] | None = None  # (earlier, later) labels for paired bars
    rounds: tuple[str, ...] = ()  # a series chart: one line per bar across these rounds

    @property
    def alt(self) -> str:
        """The chart in words: every value it draws, for screen readers and for search (in the
        language in use: i18n)."""

        def at(value: float | None, when: str) -> str:
            return _("{value} in {round}", value=percent(value), round=when)

        none = _("no figure")
        parts = []
        if self.rounds:
            for bar in self.bars:
                values = [at(v, r) for v, r in zip(bar.series, self.rounds, strict=True) if v is not None]
                parts.append(f"{bar.label}: {', '.join(values) or bar.note or none}")
            return _("Line chart.") + f" {self.title}. " + "; ".join(parts) + f". {self.source}"
        for bar in self.bars:
            if bar.value is None and bar.earlier is not None and self.legend:
                later = _("{value} in {round}", value=bar.note or none, round=self.legend[1])
                parts.append(f"{bar.label}: {at(bar.earlier, self.legend[0])}, {later}")
            elif bar.value is None:
                parts.append(f"{bar.label}: {bar.note or none}")
            elif bar.earlier is not None and self.legend:
                parts.append(f"{bar.label}: {at(bar.earlier, self.legend[0])}, {at(bar.value, self.legend[1])}")
            elif self.legend:
                parts.append(f"{bar.label}: {at(bar.value, self.legend[1])}")
            else:
                parts.append(f"{bar.label}: {percent(bar.value)}")
        return _("Bar chart.") + f" {self.title}. " + "; ".join(parts) + f". {self.source}"

    def svg(self, accessible_inline: bool = False) -> str:
        return render_svg(self, accessible_inline)

    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode("utf-8")).decode("ascii")


def _lines(label: str) -> list[str]:
    return textwrap.wrap(label, 34, break_long_words=True) or [""]


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 11, fill: str = INK,
          weight: str = "normal") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def _series_rows(chart: Chart) -> tuple[list[str], float]:
    """Small multiples: per answer a line across the rounds, every point labelled with its value."""
    rows: list[str] = []
    n = len(chart.rounds)
    step = (BAR_SPACE - 22) / max(n - 1, 1)
    xs = [BAR_LEFT + 22 + i * step for i in range(n)]
    y = 6.0
    for x, label in zip(xs, chart.rounds, strict=True):
        rows.append(_text(x, y + 8, label, anchor="middle", size=9, fill=MUTED))
    y += 14
    for bar in chart.bars:
        lines = _lines(bar.label)
        height = max(len(lines) * LINE + 6, 40)
        for i, line in enumerate(lines):
            rows.append(
                _text(LABEL_WIDTH, y + 13 + i * LINE, line, anchor="end", weight="bold" if bar.highlight else "normal")
            )
        top, span = y + 14, height - 20  # the line's 0-100 band, under the value labels
        points = [(x, top + span * (1 - v / 100)) for x, v in zip(xs, bar.series, strict=True) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            rows.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="1.6"/>')
        for (px, py), v in zip(points, [v for v in bar.series if v is not None], strict=True):
            rows.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.4" fill="{BAR}"/>')
            rows.append(_text(px, py - 4, percent(v), anchor="middle", size=8))
        if not points:
            rows.append(_text(BAR_LEFT, y + 13, bar.note or "no figure", fill=MUTED, size=10))
        rows.append(f'<line x1="{BAR_LEFT}" y1="{y + height:.1f}" x2="{WIDTH - 10}" y2="{y + height:.1f}" '
                    f'stroke="#e0e0e0" stroke-width="0.6"/>')  # fmt: skip
        y += height
    return rows, y


def render_svg(chart: Chart, accessible_inline: bool = False) -> str:
    rows: list[str] = []
    y = 6.0
    if chart.rounds:
        rows, y = _series_rows(chart)
    elif chart.legend:
        rows.append(f'<rect x="{BAR_LEFT}" y="{y}" width="12" height="8" fill="{EARLIER}"/>')
        rows.append(_text(BAR_LEFT + 16, y + 8, chart.legend[0], size=10, fill=MUTED))
        rows.append(f'<rect x="{BAR_LEFT + 80}" y="{y}" width="12" height="8" fill="{BAR}"/>')
        rows.append(_text(BAR_LEFT + 96, y + 8, chart.legend[1], size=10, fill=MUTED))
        y += 18
    for bar in () if chart.rounds else chart.bars:
        lines = _lines(bar.label)
        paired = bar.earlier is not None
        height = max(len(lines) * LINE + 6, 30 if paired else 20)
        weight = "bold" if bar.highlight else "normal"
        for i, line in enumerate(lines):
            rows.append(_text(LABEL_WIDTH, y + 13 + i * LINE, line, anchor="end", weight=weight))
        color = ACCENT if bar.highlight else BAR
        if bar.value is None and paired:  # asked in the earlier round only
            early = BAR_SPACE * float(bar.earlier or 0) / 100
            rows.append(f'<rect x="{BAR_LEFT}" y="{y + 3:.1f}" width="{early:.1f}" height="9" fill="{EARLIER}"/>')
            rows.append(_text(BAR_LEFT + early + 4, y + 11, percent(bar.earlier), size=9, fill=MUTED))
            rows.append(_text(BAR_LEFT, y + 24, bar.note or "no figure", fill=MUTED, size=10))
        elif bar.value is None:
            rows.append(_text(BAR_LEFT, y + 13, bar.note or "no figure", fill=MUTED, size=10))
        elif paired:
            early = BAR_SPACE * float(bar.earlier or 0) / 100
            late = BAR_SPACE * bar.value / 100
            rows.append(f'<rect x="{BAR_LEFT}" y="{y + 3:.1f}" width="{early:.1f}" height="9" fill="{EARLIER}"/>')
            rows.append(_text(BAR_LEFT + early + 4, y + 11, percent(bar.earlier), size=9, fill=MUTED))
            rows.append(f'<rect x="{BAR_LEFT}" y="{y + 14:.1f}" width="{late:.1f}" height="12" fill="{color}"/>')
            rows.append(_text(BAR_LEFT + late + 4, y + 24, percent(bar.value), weight="bold"))
        else:
            width = BAR_SPACE * bar.value / 100
            rows.append(f'<rect x="{BAR_LEFT}" y="{y + 3:.1f}" width="{width:.1f}" height="13" fill="{color}"/>')
            rows.append(_text(BAR_LEFT + width + 4, y + 14, percent(bar.value), weight=weight))
        y += height
    axis = f'<line x1="{BAR_LEFT}" y1="2" x2="{BAR_LEFT}" y2="{y:.1f}" stroke="{MUTED}" stroke-width="0.8"/>'
    height = int(y + 4)
    label = ""
    if accessible_inline:
        label = f' role="img" aria-label="{escape(chart.alt)}"'
    title = f"<title>{escape(chart.title)}</title>" if accessible_inline else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}"{label}>{title}{axis}{"".join(rows)}</svg>'
    )


# --- from query tables to charts ---------------------------------------------------------------


def charts_for(table: Table) -> list[Chart]:
    """The charts a query Table is best shown as; none for rankings without shares.

    Where a question was asked in several rounds, the rounds compared are the table's
    (``queries.compared_rounds``, the same rule the tables, findings and prose follow), drawn as
    paired bars; with more than two rounds, a series chart follows with every one of them."""
    keys = [c.key for c in table.data_columns()]
    if "status" in keys:  # a by-country comparison: one chart per measure
        return _comparison_charts(table)
    if "change_pts" in keys and table.compared:
        base, latest = table.compared
        bars = tuple(Bar(str(r["answer"]), _num(r.get(latest)), earlier=_num(r.get(base))) for r in table.rows)
        charts = [Chart(table.id, table.title, table.source, bars, legend=(base, latest))]
        rounds = [c.round for c in table.columns if c.round and not c.display_only]
        if len(rounds) > 2:
            series = tuple(
                Bar(str(r["answer"]), None, series=tuple(_num(r.get(k)) for k in rounds)) for r in table.rows
            )
            title = f"{table.title}, every round"
            charts.append(Chart(f"{table.id}-series", title, table.source, series, rounds=tuple(rounds)))
        return charts
    if "value" not in keys and not any(c.kind == "percent" for c in table.columns):
        return []
    label_key = "statement" if any(c.key == "statement" for c in table.columns) else "answer"
    bars = tuple(Bar(str(r[label_key]), _num(r.get("value"))) for r in table.rows if not is_missing(r.get("value")))
    return [Chart(table.id, table.title, table.source, bars)] if bars else []


def _missing_note(row: dict[str, Any]) -> str:
    return _("not polled") if row["status"] == "not polled" else _("not reported in the paper")


def _comparison_charts(table: Table) -> list[Chart]:
    """Per measure: its values by country; over several rounds, the compared rounds as paired bars
    and, with more than two, every round as a series."""
    charts = []
    measures: dict[str, list[Any]] = {}
    for c in table.columns:
        if c.kind == "percent":
            measures.setdefault(c.measure or c.key, []).append(c)
    for columns in measures.values():
        header = columns[0].measure or columns[0].header  # the round goes in the legend
        title = _("{measure}, by country", measure=f"{header[:1].upper()}{header[1:]}")
        chart_id = f"{table.id}-{columns[0].key}"
        if len(columns) == 1:
            bars = []
            for r in table.rows:
                value = _num(r.get(columns[0].key))
                note = "" if value is not None else _missing_note(r)
                bars.append(Bar(str(r["country_name"]), value, note=note, highlight=r["country"] == table.highlight))
            source = table.column_sources.get(columns[0].key, table.source)  # cite only what it draws
            charts.append(Chart(chart_id, title, source, tuple(bars)))
            continue
        by_round = {c.round: c for c in columns}
        base, latest = table.compared if table.compared else (columns[0].round, columns[-1].round)
        base_col, latest_col = by_round.get(base, columns[0]), by_round.get(latest, columns[-1])
        paired = []
        for r in table.rows:
            value, earlier = _num(r.get(latest_col.key)), _num(r.get(base_col.key))
            paired.append(
                Bar(str(r["country_name"]), value, earlier=earlier, highlight=r["country"] == table.highlight,
                    note="" if value is not None else _missing_note(r))
            )  # fmt: skip
        charts.append(Chart(chart_id, title, table.source, tuple(paired), legend=(base_col.round, latest_col.round)))
        if len(columns) > 2:
            series = tuple(
                Bar(str(r["country_name"]), None, note=_missing_note(r), highlight=r["country"] == table.highlight,
                    series=tuple(_num(r.get(c.key)) for c in columns))
                for r in table.rows
            )  # fmt: skip
            charts.append(
                Chart(f"{chart_id}-series", f"{title}, every round", table.source, series,
                      rounds=tuple(c.round for c in columns))
            )  # fmt: skip
    return charts


def _num(value: Any) -> float | None:
    return None if is_missing(value) else float(value)
