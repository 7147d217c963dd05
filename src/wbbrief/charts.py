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

from wbbrief.views import Table, is_missing, percent

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
    earlier: float | None = None  # the previous round, drawn as a thinner bar above
    note: str = ""  # what to write instead of a value
    highlight: bool = False


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    source: str
    bars: tuple[Bar, ...]
    legend: tuple[str, str] | None = None  # (earlier, later) labels for paired bars

    @property
    def alt(self) -> str:
        """The chart in words: every value it draws, for screen readers and for search."""
        parts = []
        for bar in self.bars:
            if bar.value is None:
                parts.append(f"{bar.label}: {bar.note or 'no figure'}")
            elif bar.earlier is not None and self.legend:
                parts.append(
                    f"{bar.label}: {percent(bar.earlier)} in {self.legend[0]}, {percent(bar.value)} in {self.legend[1]}"
                )
            else:
                parts.append(f"{bar.label}: {percent(bar.value)}")
        return f"Bar chart. {self.title}. " + "; ".join(parts) + f". {self.source}"

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


def render_svg(chart: Chart, accessible_inline: bool = False) -> str:
    rows: list[str] = []
    y = 6.0
    if chart.legend:
        rows.append(f'<rect x="{BAR_LEFT}" y="{y}" width="12" height="8" fill="{EARLIER}"/>')
        rows.append(_text(BAR_LEFT + 16, y + 8, chart.legend[0], size=10, fill=MUTED))
        rows.append(f'<rect x="{BAR_LEFT + 80}" y="{y}" width="12" height="8" fill="{BAR}"/>')
        rows.append(_text(BAR_LEFT + 96, y + 8, chart.legend[1], size=10, fill=MUTED))
        y += 18
    for bar in chart.bars:
        lines = _lines(bar.label)
        paired = bar.earlier is not None
        height = max(len(lines) * LINE + 6, 30 if paired else 20)
        weight = "bold" if bar.highlight else "normal"
        for i, line in enumerate(lines):
            rows.append(_text(LABEL_WIDTH, y + 13 + i * LINE, line, anchor="end", weight=weight))
        color = ACCENT if bar.highlight else BAR
        if bar.value is None:
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
    """The charts a query Table is best shown as; none for rankings without shares."""
    keys = [c.key for c in table.data_columns()]
    if "status" in keys:  # a by-country comparison: one chart per measure
        return _comparison_charts(table)
    if "change_pts" in keys:
        years = [k for k in keys if k.isdigit()]
        bars = tuple(
            Bar(str(r["answer"]), _num(r.get(years[-1])), earlier=_num(r.get(years[-2])) or 0.0) for r in table.rows
        )
        return [Chart(table.id, table.title, table.source, bars, legend=(years[-2], years[-1]))]
    if "value" not in keys and not any(c.kind == "percent" for c in table.columns):
        return []
    label_key = "statement" if any(c.key == "statement" for c in table.columns) else "answer"
    bars = tuple(Bar(str(r[label_key]), _num(r.get("value"))) for r in table.rows if not is_missing(r.get("value")))
    return [Chart(table.id, table.title, table.source, bars)] if bars else []


def _comparison_charts(table: Table) -> list[Chart]:
    charts = []
    measures = [c for c in table.columns if c.kind == "percent"]
    for measure in measures:
        bars = []
        for r in table.rows:
            value = _num(r.get(measure.key))
            note = (
                ""
                if value is not None
                else ("not polled" if r["status"] == "not polled" else "not reported in the paper")
            )
            bars.append(Bar(str(r["country_name"]), value, note=note, highlight=r["country"] == table.highlight))
        title = f"{measure.header[:1].upper()}{measure.header[1:]}, by country"
        source = table.column_sources.get(measure.key, table.source)  # cite only what this chart draws
        charts.append(Chart(f"{table.id}-{measure.key}", title, source, tuple(bars)))
    return charts


def _num(value: Any) -> float | None:
    return None if is_missing(value) else float(value)
