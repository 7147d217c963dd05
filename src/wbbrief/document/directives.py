"""What each directive becomes in the tree: charts and tables of figures, the key findings, the
paper's recommendations, its fixed tables, the country profile and the data's notices.

Run in the composer's first pass, in document order: every figure a directive shows is cited
here (so its notes come first) and every chart is numbered here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from wbbrief.document import tree as t
from wbbrief.document.composer import cite_all
from wbbrief.i18n import _, noun

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wbbrief.document.composer import Composer
    from wbbrief.document.model import Directive


def directive_blocks(composer: Composer, directive: Directive) -> list[t.Block]:
    from wbbrief.document.check import resolve_query
    from wbbrief.document.figures import load_index

    query = resolve_query(directive, load_index(tuple(composer.options.data)), str(composer.document.path))
    country = query.country or composer.code
    name = directive.name
    if name == "findings":
        return findings(composer, query, country)
    if name == "recommendations":
        return recommendations(composer, query.ids)
    if name == "country-profile":
        return country_profile(composer)
    if name == "notices":
        return notices(composer)
    if name == "table" and query.view in ("countries", "pillars", "principles", "aims"):
        return [fixed_table(composer, query.view, query.caption or "")]
    return figures(composer, name, query, country)


def figures(composer: Composer, name: str, query: Any, country: str | None) -> list[t.Block]:
    from wbbrief.document.appendix import chart_figure_ids
    from wbbrief.document.chartdata import charts_for

    tables = figure_tables(composer, query, country)
    if name == "table":
        return [ranking(table, cite_all(composer, table)) for table in tables if table.rows]
    charts: list[tuple[Any, tuple[int, ...], tuple[str, ...]]] = []
    rankings: list[t.Block] = []
    for table in tables:
        drawn = charts_for(table)
        refs = cite_all(composer, table)
        if not drawn and table.rows:
            rankings.append(ranking(table, refs))
        charts += [(chart, refs, chart_figure_ids(table, chart.id)) for chart in drawn]
    if query.caption and len(charts) == 1:  # a caption names one chart
        charts[0] = (replace(charts[0][0], title=query.caption), *charts[0][1:])
    out: list[t.Block] = []
    for chart, refs, ids in charts:
        composer.figure_count += 1
        bars = tuple(_bar(b) for b in chart.bars)
        out.append(
            t.Chart(composer.figure_count, chart.id, chart.title, chart.source, chart.alt, bars, chart.legend,
                    chart.rounds, refs, figure_ids=ids)
        )  # fmt: skip
    return out + rankings


def _bar(b: Any) -> t.Bar:
    """A chartdata.Bar as the tree's, its parts too."""
    return t.Bar(b.label, b.value, b.earlier, b.note, b.highlight, b.series, b.interval, b.earlier_interval,
                 tuple(_bar(p) for p in b.parts), b.series_intervals)  # fmt: skip


def figure_tables(composer: Composer, query: Any, country: str | None) -> list[Any]:
    """The tables a {chart} or {table} shows, each of their figures cited."""
    from wbbrief.i18n import current
    from wbbrief.query import queries
    from wbbrief.query.localize import localize_tables

    bundle = composer.bundle
    if query.view == "threats":
        tables = queries.threats(bundle, country).tables
    elif query.view == "cooperation":
        tables = queries.cooperation(bundle, country).tables
    elif query.view == "other":
        tables = queries.other_figures(bundle, country).tables
    else:
        figures = list(bundle.figures)
        if query.ids:
            order = {i: n for n, i in enumerate(query.ids)}
            figures = sorted((f for f in figures if f.id in order), key=lambda f: order[f.id])
        if query.country:
            figures = [f for f in figures if f.country == query.country]
        if query.survey:
            figures = [f for f in figures if f.survey == query.survey]
        if query.topic:
            figures = [f for f in figures if f.topic == query.topic]
        if query.question:  # as check knows it, in English: a translated brief's figures answer to it too
            from wbbrief.document.appendix import english_questions

            english = english_questions()
            figures = [f for f in figures if query.question in (f.question, english.get(f.id))]
        tables = queries.question_tables(bundle, figures)
    from wbbrief.query.uncertainty import annotate

    annotate(tables, bundle, ci=True, level=composer.level)  # margins and marks only where the data give them
    tables = localize_tables(tables, current())
    for table in tables:
        cite_all(composer, table)
    return tables


def ranking(table: Any, refs: tuple[int, ...]) -> t.Table:
    from wbbrief.document.appendix import table_figure_ids
    from wbbrief.document.content import ranking_cells

    headers, cells = ranking_cells(table)
    rows = tuple(_row(r) for r in cells)
    return t.Table("ranking", table.title, _row(headers), rows, table.source, refs,
                   figure_ids=table_figure_ids(table))  # fmt: skip


def _row(cells: Sequence[str], attr: t.Attr | None = None) -> t.Row:
    return t.Row(tuple(t.Cell((t.DataText(c),) if c else ()) for c in cells), attr or t.Attr())


def findings(composer: Composer, query: Any, country: str | None) -> list[t.Block]:
    from wbbrief.document.content import findings_rows

    rows, notices = findings_rows(composer.bundle, composer.notes, country, query.survey, query.topic)
    if query.ids:
        rows = [r for r in rows if r["id"] in query.ids]
    focus = composer.focus
    caption = (
        _("Key findings for {country}", country=noun("country", focus.code, focus.name)) if focus else _("Key findings")
    )
    found = tuple(
        t.Finding((t.DataText(str(r["finding"])), t.NoteRef(tuple(r["notes"]))), str(r["where"])) for r in rows
    )
    box = t.Findings(
        caption, found, tuple(notices), tuple(composer.withdrawn), focus.name if focus else None,
        focus.code if focus else None,
    )  # fmt: skip
    return [box]


def recommendations(composer: Composer, ids: Sequence[str]) -> list[t.Block]:
    from wbbrief.document.content import recommendation_rows

    items = []
    for rec in recommendation_rows(composer.bundle, ids):
        support = tuple(tuple(_placed(composer, i)) for i in rec["figure_ids"])
        labels = tuple(str(label) for label in rec["support_labels"])
        items.append(t.Recommendation(str(rec["level"]), str(rec["title"]), str(rec["text"]), support, labels))
    return [t.Recommendations(tuple(items))] if items else []


def fixed_table(composer: Composer, view: str, caption: str) -> t.Table:
    from wbbrief.dataset import countries
    from wbbrief.query import queries

    if view == "countries":
        focus = composer.focus.code if composer.focus else None
        rows = tuple(
            _row([c.name, c.nato_status, c.eu_status], t.Attr(classes=("focus",) if c.code == focus else ()))
            for c in countries.all_countries()
        )
        return t.Table("countries", caption, _row([_("Country"), _("NATO"), _("European Union")]), rows)
    tables = {table.id: table.rows for table in queries.recommendations(composer.bundle).tables}
    if view == "pillars":
        rows = tuple(_row([str(p["acronym"]), str(p["name"]), str(p["focus"])]) for p in tables["iisg-pillars"])
        return t.Table("pillars", caption, _row([_("Pillar"), _("Initiative"), _("Focus")]), rows)
    header = _("Principle") if view == "principles" else _("Aim")
    rows = tuple(_row([str(p["title"]), str(p["text"])]) for p in tables[view])
    return t.Table(view, caption, _row([header, _("What it means")]), rows)


def country_profile(composer: Composer) -> list[t.Block]:
    from wbbrief.document.content import country_profile as profile
    from wbbrief.document.content import profile_facts
    from wbbrief.i18n import current

    focus = composer.focus
    if focus is None:
        return []
    own_first, nato, eu = profile_facts(composer.bundle, focus)
    text = profile(focus, own_first, nato, eu, current().language.tag)
    facts = (("country", focus.name), ("code", focus.code), ("eu-status", focus.eu_status),
             ("own-first", "yes" if own_first else ""), ("nato", nato), ("eu", eu))  # fmt: skip
    return [t.Div(t.Attr(classes=("country-profile",), pairs=facts), (t.Para((t.DataText(text),)),))]


def notices(composer: Composer) -> list[t.Block]:
    from wbbrief.i18n import current
    from wbbrief.query import queries
    from wbbrief.query.localize import localize_text

    if composer.focus is None:
        return []
    code = composer.code
    found = queries.threats(composer.bundle, code).notes + queries.cooperation(composer.bundle, code).notes
    return [t.Notice(localize_text(str(n), current())) for n in found]


def _placed(composer: Composer, figure_id: str) -> list[t.Inline]:
    """A related figure as its bullet shows it: a rank as a place ('2nd place', '2. mesto'), since
    an ordinal alone before the label's colon reads as '2.:' in the languages that write '2.'."""
    inlines = composer.figure(figure_id)
    figure = composer.by_id[figure_id]
    if figure.unit != "rank" or figure.rank is None:
        return inlines
    return [
        t.FigureValue(i.figure_id, _("{rank} place", rank=i.text)) if isinstance(i, t.FigureValue) else i
        for i in inlines
    ]
