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
from typing import TYPE_CHECKING, Any, Protocol

from wbbrief.document.chartdata import Bar, Chart, charts_for, shown
from wbbrief.query.values import percent

if TYPE_CHECKING:
    from wbbrief.document import tree as t

__all__ = ["Bar", "Chart", "charts_for", "data_uri", "render_svg"]

WIDTH = 600
LABEL_WIDTH = 210
BAR_LEFT = LABEL_WIDTH + 10
BAR_SPACE = WIDTH - BAR_LEFT - 70  # room for the value after the longest bar
LINE = 13  # px per label line
FONT = "Noto Sans, wbbrief Symbols, DejaVu Sans, sans-serif"  # the shipped faces in the PDF (templates/fonts)
# Every ink is at least 3:1 against the background (WCAG 1.4.11; tests/test_chart_colours.py measures
# them in the drawn SVGs), and no two marks are told apart by hue alone: the earlier round is hatched,
# the latest solid; a whole with parts is an outline with each part solid inside it; a highlighted
# country is bold as well as orange.
BACKGROUND = "#ffffff"
INK, MUTED, BAR, ACCENT, EARLIER = "#1b1b1b", "#5f6368", "#1f4e79", "#c2611f", "#5a84ad"


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
    @property
    def parts(self) -> Sequence[BarData]: ...
    @property
    def series_intervals(self) -> tuple[tuple[float, float] | None, ...]: ...


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


def _hatched(x: float, y: float, width: float, height: float, colour: str) -> str:
    """A bar drawn as an outline filled with 45° hatching: lines, not an SVG pattern, so that every
    renderer (WeasyPrint, browsers, resvg for Word) draws the same marks."""
    if width <= 0:
        return ""
    step = 3.5
    strokes = []
    c = -height + step / 2
    while c < width:  # the line x = x + c + t, y = y + height - t, clipped to the bar
        t0, t1 = max(0.0, -c), min(height, width - c)
        if t1 > t0:
            strokes.append(f"M{x + c + t0:.1f},{y + height - t0:.1f}L{x + c + t1:.1f},{y + height - t1:.1f}")
        c += step
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="none" stroke="{colour}" '
        f'stroke-width="0.8"/><path d="{"".join(strokes)}" stroke="{colour}" stroke-width="0.8" fill="none"/>'
    )


def _solid(x: float, y: float, width: float, height: float, colour: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}"/>'


def _series_rows(chart: ChartData, accessible: bool = False) -> tuple[list[str], float]:
    """Small multiples: per answer a line across the rounds on a 0–100% band with its zero baseline,
    every point labelled with its value, and a whisker where the data give an interval."""
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
        height = max(len(lines) * LINE + 6, 96)
        for i, line in enumerate(lines):
            rows.append(
                _text(LABEL_WIDTH, y + 13 + i * LINE, line, anchor="end", weight="bold" if bar.highlight else "normal")
            )
        top, zero = y + 16, y + height - 6  # the line's 0-100 band, under the value labels

        def at(v: float, top: float = top, zero: float = zero) -> float:
            return zero - (zero - top) * max(0.0, min(100.0, v)) / 100

        rows.append(f'<line x1="{BAR_LEFT}" y1="{zero:.1f}" x2="{WIDTH - 10}" y2="{zero:.1f}" '
                    f'stroke="{MUTED}" stroke-width="0.8"/>')  # fmt: skip
        rows.append(_text(BAR_LEFT, zero - 2, percent(0), size=8, fill=MUTED))  # the baseline is zero
        spans = bar.series_intervals or (None,) * n
        drawn = [(x, v, i) for x, v, i in zip(xs, bar.series, spans, strict=True) if v is not None]
        if len(drawn) > 1:
            path = " ".join(f"{x:.1f},{at(v):.1f}" for x, v, _i in drawn)
            rows.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="1.6"/>')
        for x, v, interval in drawn:
            label_y = at(v) - 4
            rows.append(f'<circle cx="{x:.1f}" cy="{at(v):.1f}" r="2" fill="{BAR}"/>')
            if interval is not None:  # over the point, so that a narrow interval still shows
                high, low = at(interval[1]), at(interval[0])
                rows.append(
                    f'<path d="M{x - 3:.1f},{high:.1f}H{x + 3:.1f}M{x:.1f},{high:.1f}V{low:.1f}'
                    f'M{x - 3:.1f},{low:.1f}H{x + 3:.1f}" stroke="{INK}" stroke-width="1" fill="none"/>'
                )
                label_y = min(label_y, high - 3)
            rows.append(_text(x, label_y, percent(v), anchor="middle", size=8))
        if not drawn:
            rows.append(_text(BAR_LEFT + 4, y + 13, bar.note or "no figure", fill=MUTED, size=10))
        if accessible:
            rows[start:] = [_mark(_said(chart, bar), rows[start:])]
        y += height
    return rows, y


def _nested(bar: BarData, y: float, rows: list[str]) -> float:
    """A whole with its parts ("of whom"): the whole an outline as long as its value, each part a
    solid bar inside it on a line of its own, each labelled with its value. Returns the height."""
    label_lines = [(line, False) for line in _lines(bar.label)]
    starts = []
    for part in bar.parts:
        starts.append(len(label_lines))
        label_lines += [(line, True) for line in _lines(part.label)]
    height = len(label_lines) * LINE + 10
    weight = "bold" if bar.highlight else "normal"
    for i, (line, is_part) in enumerate(label_lines):
        rows.append(_text(LABEL_WIDTH, y + 13 + i * LINE, line, anchor="end", size=10 if is_part else 11,
                          weight="normal" if is_part else weight))  # fmt: skip
    colour = ACCENT if bar.highlight else BAR
    whole = BAR_SPACE * float(bar.value or 0) / 100
    rows.append(
        f'<rect x="{BAR_LEFT}" y="{y + 2:.1f}" width="{whole:.1f}" height="{height - 4:.1f}" fill="none" '
        f'stroke="{colour}" stroke-width="1.2"/>'
    )
    reach = max(whole, _whisker(bar.interval, y + 9, rows))
    rows.append(_text(BAR_LEFT + reach + 4, y + 13, percent(bar.value), weight=weight))
    for part, start in zip(bar.parts, starts, strict=True):
        middle = y + 9 + start * LINE
        width = BAR_SPACE * float(part.value or 0) / 100
        rows.append(_solid(BAR_LEFT + 2, middle - 5, max(width - 2, 0), 10, colour))
        reach = max(width, _whisker(part.interval, middle, rows))
        rows.append(_text(BAR_LEFT + reach + 4, middle + 4, percent(part.value), size=10))
    return height


def _said(chart: ChartData, bar: BarData) -> str:
    """A bar's values in words: its label, its value and interval (and the earlier round's, or
    every round's), as its tooltip and its name when it has the keyboard's focus."""
    if chart.rounds:
        values = [f"{r} {percent(v)}" for r, v in zip(chart.rounds, bar.series, strict=True) if v is not None]
        return f"{bar.label}: {', '.join(values) or bar.note}"
    later = shown(bar.value, bar.interval) if bar.value is not None else bar.note
    later += "".join(f", {part.label}: {shown(part.value, part.interval)}" for part in bar.parts)
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
    elif chart.legend:  # the earlier round hatched, the latest solid: told apart without colour
        rows.append(_hatched(BAR_LEFT, y, 12, 8, EARLIER))
        rows.append(_text(BAR_LEFT + 16, y + 8, chart.legend[0], size=10, fill=MUTED))
        rows.append(_solid(BAR_LEFT + 80, y, 12, 8, BAR))
        rows.append(_text(BAR_LEFT + 96, y + 8, chart.legend[1], size=10, fill=MUTED))
        y += 18
    for bar in () if chart.rounds else chart.bars:
        start = len(rows)
        if bar.parts and bar.value is not None:
            y += _nested(bar, y, rows)
            if accessible_inline:
                rows[start:] = [_mark(_said(chart, bar), rows[start:])]
            continue
        lines = _lines(bar.label)
        paired = bar.earlier is not None
        height = max(len(lines) * LINE + 6, 30 if paired else 20)
        weight = "bold" if bar.highlight else "normal"
        for i, line in enumerate(lines):
            rows.append(_text(LABEL_WIDTH, y + 13 + i * LINE, line, anchor="end", weight=weight))
        color = ACCENT if bar.highlight else BAR
        if bar.value is None and paired:  # asked in the earlier round only
            early = BAR_SPACE * float(bar.earlier or 0) / 100
            rows.append(_hatched(BAR_LEFT, y + 3, early, 9, EARLIER))
            rows.append(_text(BAR_LEFT + early + 4, y + 11, percent(bar.earlier), size=9, fill=MUTED))
            rows.append(_text(BAR_LEFT + 4, y + 24, bar.note or "no figure", fill=MUTED, size=10))
        elif bar.value is None:
            rows.append(_text(BAR_LEFT + 4, y + 13, bar.note or "no figure", fill=MUTED, size=10))
        elif paired:
            early = BAR_SPACE * float(bar.earlier or 0) / 100
            late = BAR_SPACE * bar.value / 100
            rows.append(_hatched(BAR_LEFT, y + 3, early, 9, EARLIER))
            early = max(early, _whisker(bar.earlier_interval, y + 7.5, rows))
            rows.append(_text(BAR_LEFT + early + 4, y + 11, percent(bar.earlier), size=9, fill=MUTED))
            rows.append(_solid(BAR_LEFT, y + 14, late, 12, color))
            late = max(late, _whisker(bar.interval, y + 20, rows))
            rows.append(_text(BAR_LEFT + late + 4, y + 24, percent(bar.value), weight="bold"))
        else:
            width = BAR_SPACE * bar.value / 100
            rows.append(_solid(BAR_LEFT, y + 3, width, 13, color))
            width = max(width, _whisker(bar.interval, y + 9.5, rows))
            rows.append(_text(BAR_LEFT + width + 4, y + 14, percent(bar.value), weight=weight))
        if accessible_inline:
            rows[start:] = [_mark(_said(chart, bar), rows[start:])]
        y += height
    # The zero baseline of every bar (a series chart draws one per line instead).
    axis = "" if chart.rounds else (
        f'<line x1="{BAR_LEFT}" y1="2" x2="{BAR_LEFT}" y2="{y:.1f}" stroke="{MUTED}" stroke-width="0.8"/>'
    )  # fmt: skip
    height = int(y + 4)
    label = ""
    if accessible_inline:
        label = f' role="img" aria-label="{escape(chart.alt)}"'
    title = f"<title>{escape(chart.title)}</title>" if accessible_inline else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}"{label}>{title}{axis}{"".join(rows)}</svg>'
    )


class DrawnChart:
    """A chart of the tree as the chart_figure macro draws it."""

    def __init__(self, chart: t.Chart, data: dict[str, Any] | None = None) -> None:
        self.number = chart.number
        self.chart = self
        self.id, self.title, self.alt, self.source = chart.id, chart.title, chart.alt, chart.source
        self.notes = list(chart.notes)  # the note references after its source line
        self.anchor = chart.label or f"fig-{chart.id}"  # its label, where the author gave one (document.xref)
        self.data = data  # its "Data" link (href, download), or None
        self._data = chart

    def svg(self, accessible_inline: bool = False) -> str:
        return render_svg(self._data, accessible_inline)

    def data_uri(self) -> str:
        return data_uri(self._data)
