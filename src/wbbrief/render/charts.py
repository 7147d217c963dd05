"""Horizontal bar charts as small vector SVGs, drawn from a chart's data (``document.chartdata``,
or the tree's ``Chart``, which carries the same fields).

Only rect, line and text: WeasyPrint typesets that in microseconds, text stays real, selectable
text, and the alt text is generated from the very values the bars are drawn from.
"""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Sequence
from html import escape
from typing import Protocol

from wbbrief.document.chartdata import Bar, Chart, charts_for, shown
from wbbrief.query.views import percent

__all__ = ["Bar", "Chart", "charts_for", "data_uri", "render_svg"]

WIDTH = 600
LABEL_WIDTH = 210
BAR_LEFT = LABEL_WIDTH + 10
BAR_SPACE = WIDTH - BAR_LEFT - 70  # room for the value after the longest bar
LINE = 13  # px per label line
FONT = "DejaVu Sans, sans-serif"
INK, MUTED, BAR, ACCENT, EARLIER = "#1b1b1b", "#5f6368", "#1f4e79", "#c2611f", "#9fb6cd"


class BarData(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def earlier(self) -> float | None: ...
    @property
    def note(self) -> str: ...
    @property
    def highlight(self) -> bool: ...
    @property
    def series(self) -> tuple[float | None, ...]: ...
    @property
    def interval(self) -> tuple[float, float] | None: ...
    @property
    def earlier_interval(self) -> tuple[float, float] | None: ...


class ChartData(Protocol):
    """What a drawing needs: a chart's title, alt text, bars, legend and rounds."""

    @property
    def title(self) -> str: ...
    @property
    def alt(self) -> str: ...
    @property
    def bars(self) -> Sequence[BarData]: ...
    @property
    def legend(self) -> tuple[str, str] | None: ...
    @property
    def rounds(self) -> tuple[str, ...]: ...


def data_uri(chart: ChartData) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(render_svg(chart).encode("utf-8")).decode("ascii")


def _lines(label: str) -> list[str]:
    return textwrap.wrap(label, 34, break_long_words=True) or [""]


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 11, fill: str = INK,
          weight: str = "normal") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def _whisker(interval: tuple[float, float] | None, middle: float, rows: list[str]) -> float:
    """An error bar from the interval's low to its high end, centred on a bar (issue 17): drawn
    only where the data give an interval. Returns how far right it reaches (0 without one)."""
    if interval is None:
        return 0.0
    low, high = (BAR_SPACE * max(0.0, min(100.0, v)) / 100 for v in interval)
    x1, x2 = BAR_LEFT + low, BAR_LEFT + high
    rows.append(
        f'<path d="M{x1:.1f},{middle - 3:.1f}V{middle + 3:.1f}M{x1:.1f},{middle:.1f}H{x2:.1f}'
        f'M{x2:.1f},{middle - 3:.1f}V{middle + 3:.1f}" stroke="{INK}" stroke-width="1" fill="none"/>'
    )
    return high


def _series_rows(chart: ChartData, accessible: bool = False) -> tuple[list[str], float]:
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
        start = len(rows)
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
        if accessible:
            rows[start:] = [_mark(_said(chart, bar), rows[start:])]
        y += height
    return rows, y


def _said(chart: ChartData, bar: BarData) -> str:
    """A bar's values in words: its label, its value and interval (and the earlier round's, or
    every round's), as its tooltip and its name when it has the keyboard's focus."""
    if chart.rounds:
        values = [f"{r} {percent(v)}" for r, v in zip(chart.rounds, bar.series, strict=True) if v is not None]
        return f"{bar.label}: {', '.join(values) or bar.note}"
    later = shown(bar.value, bar.interval) if bar.value is not None else bar.note
    if bar.earlier is not None and chart.legend:
        earlier = shown(bar.earlier, bar.earlier_interval)
        return f"{bar.label}: {chart.legend[0]} {earlier}, {chart.legend[1]} {later}"
    return f"{bar.label}: {later}"


def _mark(said: str, marks: list[str]) -> str:
    """A bar's marks as one focusable group: a tooltip on hover, its values on keyboard focus."""
    said = escape(said)
    return f'<g class="mark" tabindex="0" role="img" aria-label="{said}"><title>{said}</title>{"".join(marks)}</g>'


def render_svg(chart: ChartData, accessible_inline: bool = False) -> str:
    rows: list[str] = []
    y = 6.0
    if chart.rounds:
        rows, y = _series_rows(chart, accessible_inline)
    elif chart.legend:
        rows.append(f'<rect x="{BAR_LEFT}" y="{y}" width="12" height="8" fill="{EARLIER}"/>')
        rows.append(_text(BAR_LEFT + 16, y + 8, chart.legend[0], size=10, fill=MUTED))
        rows.append(f'<rect x="{BAR_LEFT + 80}" y="{y}" width="12" height="8" fill="{BAR}"/>')
        rows.append(_text(BAR_LEFT + 96, y + 8, chart.legend[1], size=10, fill=MUTED))
        y += 18
    for bar in () if chart.rounds else chart.bars:
        start = len(rows)
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
            early = max(early, _whisker(bar.earlier_interval, y + 7.5, rows))
            rows.append(_text(BAR_LEFT + early + 4, y + 11, percent(bar.earlier), size=9, fill=MUTED))
            rows.append(f'<rect x="{BAR_LEFT}" y="{y + 14:.1f}" width="{late:.1f}" height="12" fill="{color}"/>')
            late = max(late, _whisker(bar.interval, y + 20, rows))
            rows.append(_text(BAR_LEFT + late + 4, y + 24, percent(bar.value), weight="bold"))
        else:
            width = BAR_SPACE * bar.value / 100
            rows.append(f'<rect x="{BAR_LEFT}" y="{y + 3:.1f}" width="{width:.1f}" height="13" fill="{color}"/>')
            width = max(width, _whisker(bar.interval, y + 9.5, rows))
            rows.append(_text(BAR_LEFT + width + 4, y + 14, percent(bar.value), weight=weight))
        if accessible_inline:
            rows[start:] = [_mark(_said(chart, bar), rows[start:])]
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
