"""What a chart shows, drawn from a query's Table: its bars, legend and rounds, and its alt text.

The data only (the document stage numbers charts and puts them in the tree); ``render.charts``
draws them as SVG.
"""

from __future__ import annotations

from typing import Any

from wbbrief.base.record import record
from wbbrief.i18n import _
from wbbrief.query.values import decimal, is_missing, percent
from wbbrief.query.views import Table


def shown(value: float | None, interval: tuple[float, float] | None) -> str:
    """'44%', or with its interval '44% (40.9–47.2)', as the tables show it."""
    text = percent(value)
    return text if interval is None else f"{text} ({decimal(interval[0])}–{decimal(interval[1])})"


@record
class Bar:
    label: str
    value: float | None
    earlier: float | None = None  # the compared earlier round, drawn as a thinner bar above
    note: str = ""  # what to write instead of a value
    highlight: bool = False
    series: tuple[float | None, ...] = ()  # every round, for a series chart
    interval: tuple[float, float] | None = None  # the value's confidence interval (issue 17): a whisker
    earlier_interval: tuple[float, float] | None = None  # ... and the earlier round's
    parts: tuple[Bar, ...] = ()  # answers within this one ("of whom", the data's part_of): drawn inside it
    series_intervals: tuple[tuple[float, float] | None, ...] = ()  # a series chart's whiskers, by round


@record
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

        def at(value: float | None, when: str, interval: tuple[float, float] | None = None) -> str:
            return _("{value} in {round}", value=shown(value, interval), round=when)

        none = _("no figure")
        parts = []
        if self.rounds:
            for bar in self.bars:
                spans = bar.series_intervals or (None,) * len(bar.series)
                points = zip(bar.series, self.rounds, spans, strict=True)
                values = [at(v, r, i) for v, r, i in points if v is not None]
                parts.append(f"{bar.label}: {', '.join(values) or bar.note or none}")
            return _("Line chart.") + f" {self.title}. " + "; ".join(parts) + f". {self.source}"
        for bar in self.bars:
            if bar.value is None and bar.earlier is not None and self.legend:
                later = _("{value} in {round}", value=bar.note or none, round=self.legend[1])
                parts.append(f"{bar.label}: {at(bar.earlier, self.legend[0], bar.earlier_interval)}, {later}")
            elif bar.value is None:
                parts.append(f"{bar.label}: {bar.note or none}")
            elif bar.earlier is not None and self.legend:
                earlier = at(bar.earlier, self.legend[0], bar.earlier_interval)
                parts.append(f"{bar.label}: {earlier}, {at(bar.value, self.legend[1], bar.interval)}")
            elif self.legend:
                parts.append(f"{bar.label}: {at(bar.value, self.legend[1], bar.interval)}")
            else:
                parts.append(f"{bar.label}: {shown(bar.value, bar.interval)}")
            for part in bar.parts:  # 'Negative: 80%, of whom highly unfavourable: 40%'
                parts[-1] += f", {part.label}: {shown(part.value, part.interval)}"
        return _("Bar chart.") + f" {self.title}. " + "; ".join(parts) + f". {self.source}"


def lower_first(label: str) -> str:
    """'Highly unfavourable' as it reads inside a phrase; 'NATO' or 'EU members' stay as they are."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


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
        bars = tuple(
            Bar(str(r["answer"]), _num(r.get(latest)), earlier=_num(r.get(base)), interval=_interval(r, latest),
                earlier_interval=_interval(r, base))
            for r in table.rows
        )  # fmt: skip
        charts = [Chart(table.id, table.title, _whiskers(table.source, bars, table), bars, legend=(base, latest))]
        rounds = [c.round for c in table.columns if c.round and not c.display_only]
        if len(rounds) > 2:
            series = tuple(
                Bar(str(r["answer"]), None, series=tuple(_num(r.get(k)) for k in rounds),
                    series_intervals=_series_intervals(r, rounds))
                for r in table.rows
            )  # fmt: skip
            title = f"{table.title}, every round"
            source = _whiskers(table.source, series, table)
            charts.append(Chart(f"{table.id}-series", title, source, series, rounds=tuple(rounds)))
        return charts
    if "value" not in keys and not any(c.kind == "percent" for c in table.columns):
        return []
    label_key = "statement" if any(c.key == "statement" for c in table.columns) else "answer"
    rows = [r for r in table.rows if not is_missing(r.get("value"))]
    whole_of = {id(r): _whole_of(r, rows) for r in rows}
    bars = tuple(
        Bar(str(r[label_key]), _num(r.get("value")), interval=_interval(r, "value"),
            parts=tuple(Bar(_("of whom {part}", part=lower_first(str(p[label_key]))), _num(p.get("value")),
                            interval=_interval(p, "value"))
                        for p in rows if whole_of[id(p)] is r))
        for r in rows
        if whole_of[id(r)] is None
    )  # fmt: skip
    return [Chart(table.id, table.title, _whiskers(table.source, bars, table), bars)] if bars else []


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
                bars.append(
                    Bar(str(r["country_name"]), value, note=note, highlight=r["country"] == table.highlight,
                        interval=_interval(r, columns[0].key))
                )  # fmt: skip
            source = table.column_sources.get(columns[0].key, table.source)  # cite only what it draws
            charts.append(Chart(chart_id, title, _whiskers(source, bars, table), tuple(bars)))
            continue
        by_round = {c.round: c for c in columns}
        base, latest = table.compared if table.compared else (columns[0].round, columns[-1].round)
        base_col, latest_col = by_round.get(base, columns[0]), by_round.get(latest, columns[-1])
        paired = []
        for r in table.rows:
            value, earlier = _num(r.get(latest_col.key)), _num(r.get(base_col.key))
            paired.append(
                Bar(str(r["country_name"]), value, earlier=earlier, highlight=r["country"] == table.highlight,
                    note="" if value is not None else _missing_note(r), interval=_interval(r, latest_col.key),
                    earlier_interval=_interval(r, base_col.key))
            )  # fmt: skip
        legend = (base_col.round, latest_col.round)
        charts.append(Chart(chart_id, title, _whiskers(table.source, paired, table), tuple(paired), legend=legend))
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


def _whole_of(row: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row among ``rows`` whose figure this row's figure is part of (the data's part_of), if drawn."""
    figure = row.get("_figures", {}).get("value")
    whole = getattr(figure, "part_of", None)
    if whole is None:
        return None
    return next((r for r in rows if getattr(r.get("_figures", {}).get("value"), "id", None) == whole), None)


def _series_intervals(row: dict[str, Any], rounds: list[str]) -> tuple[tuple[float, float] | None, ...]:
    spans = tuple(_interval(row, k) for k in rounds)
    return spans if any(spans) else ()


def _interval(row: dict[str, Any], key: str) -> tuple[float, float] | None:
    """A cell's interval, where the query gave it one (``query.uncertainty.annotate``)."""
    prefix = "" if key == "value" else f"{key}_"
    low, high = row.get(f"{prefix}ci_low"), row.get(f"{prefix}ci_high")
    if low is None or high is None or is_missing(low) or is_missing(high):
        return None
    return float(low), float(high)


def _whiskers(source: str, bars: Any, table: Table) -> str:
    """The source line, saying what the whiskers are where any bar has one (never otherwise): their
    level, and whether they are approximate (computed from the editions' sample sizes)."""
    drawn = [p for b in bars for p in (b, *b.parts)]
    if not any(b.interval or b.earlier_interval or any(b.series_intervals) for b in drawn):
        return source
    cells = [(k, v) for r in table.rows for k, v in r.items() if isinstance(k, str) and k.endswith("ci_level")]
    level = percent(round(100 * float(max(v for _k, v in cells)), 4)) if cells else percent(95)
    if any(v == "from-n" for r in table.rows for k, v in r.items() if isinstance(k, str) and k.endswith("ci_method")):
        return f"{source}. " + _(
            "Whiskers: {level} confidence intervals, some approximate (from the editions' sample sizes).", level=level
        )
    return f"{source}. " + _("Whiskers: {level} confidence intervals.", level=level)


def _num(value: Any) -> float | None:
    return None if is_missing(value) else float(value)
