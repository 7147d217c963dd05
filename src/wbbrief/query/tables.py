"""The tables the query commands and the brief show: figures selected by topic and country, by
question, with the change between rounds, and across countries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from wbbrief.base.constants import REGION, active_translator
from wbbrief.dataset import countries
from wbbrief.dataset.bundle import Bundle, split_list
from wbbrief.dataset.records import FIGURE_FIELDS, Figure, group_by
from wbbrief.query.citations import source_line, survey_label, survey_row
from wbbrief.query.editions import compared_rounds, paper_edition
from wbbrief.query.views import Column, Table

THREAT_TOPICS = ("threats", "threat-countries", "war", "personal-security", "country-opinion")
COOPERATION_TOPICS = ("cooperation", "cooperation-focus", "reconciliation", "tensions", "open-balkan", "allies")

TOPIC_LABELS = {
    "threats": "Most serious threats",
    "threat-countries": "Countries seen as threats",
    "war": "Risk of war",
    "personal-security": "Personal security",
    "country-opinion": "Opinion of other countries",
    "cooperation": "Support for regional cooperation",
    "cooperation-focus": "Focus of cooperation",
    "reconciliation": "Obstacles to reconciliation",
    "tensions": "Responsibility for ethnic tensions",
    "open-balkan": "Open Balkan initiative",
    "allies": "Allies and partners",
}

# The columns of a figure as `figures` prints them (CSV, JSON): the schema's, in its order.
FIGURE_COLUMNS = [c for c in FIGURE_FIELDS if c != "origin"]

Figures = Sequence[Figure]


def select_figures(bundle: Bundle, figures: Figures, survey: str | None, topics: Iterable[str] | None) -> list[Figure]:
    wanted = None if topics is None else set(topics)
    return [f for f in figures if (not survey or f.survey == survey) and (wanted is None or f.topic in wanted)]


def for_country(bundle: Bundle, figures: Figures, code: str | None) -> tuple[list[Figure], list[Figure]]:
    """(the country's own figures, the regional ones that include it); all figures when no country."""
    if code is None:
        return list(figures), []
    own = [f for f in figures if f.country == code]
    if code == REGION:
        return own, []
    covering = {s.id for s in bundle.surveys if code in split_list(s.countries)}
    regional = [f for f in figures if f.country == REGION and f.survey in covering]
    return own, regional


def topic_order(figures: Figures, topics: Iterable[str]) -> list[Figure]:
    """Survey by survey (as the data lists them), topics in the order the paper argues them."""
    topic_rank = {t: i for i, t in enumerate(topics)}
    survey_rank = {s: i for i, s in enumerate(dict.fromkeys(f.survey for f in figures))}
    return sorted(figures, key=lambda f: (survey_rank[f.survey], topic_rank.get(f.topic, len(topic_rank))))


def question_tables(bundle: Bundle, figures: Figures) -> list[Table]:
    """Tables for people: one ranked table per question; single-figure questions of one topic
    share a table of statements; where a question has several years, they stand side by side."""
    tables = []
    for (_, country, topic), by_topic in group_by(figures, lambda f: (f.survey, f.country, f.topic)).items():
        questions = list(group_by(by_topic, lambda f: f.question).values())
        statements = [g for g in questions if len(g) == 1 and all(f.unit == "percent" for f in g)]
        if len(statements) < 2:
            statements = []
        for group in questions:
            if statements and group is statements[0]:
                tables.append(_statement_table(bundle, str(country), str(topic), statements))
            elif not any(group is s for s in statements):
                tables.append(_question_table(bundle, str(country), group))
    return tables


def _statement_table(bundle: Bundle, country: str, topic: str, groups: list[list[Figure]]) -> Table:
    merged = [f for group in groups for f in group]
    rows = [_row(f, statement=statement(f)) for f in merged]
    columns = [
        Column("statement", "Statement", wide=True),
        Column("value", "Share", "percent"),
        Column("value", "", "bar", display_only=True),
    ]
    title = f"{countries.name_of(country)}: {TOPIC_LABELS.get(topic, topic)}"
    return Table(merged[0].id, title, columns, rows, source_line(bundle, merged))


# Answers that add nothing to the statement they answer.
_ASSENT = {"agree", "yes", "concerned", "support", "possible"}


def statement(figure: Figure) -> str:
    """A single-figure question as a label: the statement respondents assented to, in quotation
    marks because it is the item's wording as the paper reports it; otherwise 'question: answer'."""
    answer = figure.answer
    if not _assents(figure):
        return f"{figure.question}: {answer.lower()}"
    t = active_translator()  # the language's own quotation marks („…“ in sr, bs, mk)
    return t.gettext("Quoted: {text}", text=figure.question) if t else f"“{figure.question}”"


def _assents(figure: Figure) -> bool:
    """Whether the answer only assents to the statement. The English answer decides, so that a translated
    "Moguć" is not printed as "Rat … je moguć: moguć"."""
    if figure.answer.casefold() in _ASSENT:
        return True
    t = active_translator()
    english = t.source_text("figure", figure.id, "answer") if t else None
    return english is not None and english.casefold() in _ASSENT


def _question_table(bundle: Bundle, country: str, group: list[Figure]) -> Table:
    first = group[0]
    assented = all(_assents(f) for f in group)  # the item itself, quoted
    title = f"{countries.name_of(country)}: {statement(first) if assented else first.question}"
    years = sorted({f.year for f in group})
    compared = None
    if len(years) > 1:
        compared = compared_rounds(years, paper_edition(bundle, first.survey))
    rankings = all(f.unit == "rank" for f in group)
    if rankings and compared:
        rows, columns = _rank_rows(group, years, compared)
    elif rankings:
        by_rank = sorted(group, key=lambda f: (f.rank is None, f.rank or 0))
        rows = [_row(f, position=f.rank) for f in by_rank]
        columns = [Column("position", "#", "integer"), Column("answer", "Answer", wide=True)]
    elif len(years) == 1 or compared is None:
        ranked = sorted(group, key=lambda f: (f.value is None, -(f.value or 0.0)))  # missing shares last
        rows = [_row(f, position=i) for i, f in enumerate(ranked, start=1)]
        columns = [
            Column("position", "#", "integer"),
            Column("answer", "Answer", wide=True),
            Column("value", "Share", "percent"),
            Column("value", "", "bar", display_only=True),
        ]
    else:
        rows, columns = _change_rows(group, years, compared)
    table = Table(first.id, title, columns, rows, source_line(bundle, group))
    table.compared = None if compared is None else (str(compared[0]), str(compared[1]))
    return table


def _row(figure: Figure, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "figure_id": figure.id,
        "survey": figure.survey,
        "edition": figure.edition,
        "country": figure.country,
        "answer": figure.answer,
        "value": figure.value,
        "unit": figure.unit,
        "year": figure.year,
        "origin": figure.origin,
        "_figures": {"value": figure},  # for the margins of error (query.uncertainty); never printed
    }
    row.update(extra)
    return row


def _by_year(series: list[Figure]) -> dict[int, Figure]:
    """An answer's figures by fieldwork year; where two editions report a year, the later one."""
    return {f.year: f for f in sorted(series, key=lambda f: f.edition)}


def _optional(years: list[int], compared: tuple[int, int]) -> set[int]:
    """Rounds a narrow terminal may leave out (and say so): all but the first, the compared ones
    and the previous one."""
    keep = {years[0], years[-2] if len(years) > 1 else years[0], *compared}
    return {y for y in years if y not in keep}


def _per_round(
    group: list[Figure], years: list[int], measure: Callable[[Figure], float | int | None]
) -> list[dict[str, Any]]:
    """Per answer, its share (or rank) in each round, keyed by the year, and the figures behind them."""
    rows = []
    for answer, series in group_by(group, lambda f: f.answer).items():
        by_year = _by_year(series)
        row: dict[str, Any] = {"answer": answer}
        for year in years:
            f = by_year.get(year)
            row[str(year)] = None if f is None else measure(f)
        row["figure_ids"] = [f.id for f in by_year.values()]
        row["_figures"] = {str(y): f for y, f in by_year.items()}  # query.uncertainty; never printed
        rows.append(row)
    return rows


def _change_rows(
    group: list[Figure], years: list[int], compared: tuple[int, int]
) -> tuple[list[dict[str, Any]], list[Column]]:
    """Rows of an answer across years, and the change between the compared rounds."""
    base, latest = compared
    rows = _per_round(group, years, lambda f: f.value)
    for row in rows:
        old, new = row[str(base)], row[str(latest)]
        row["change_pts"] = None if old is None or new is None else round(new - old, 6)
    rows.sort(key=lambda r: -(r[str(latest)] or 0))
    optional = _optional(years, compared)
    columns = [Column("answer", "Answer", wide=True)]
    columns += [
        Column(str(y), str(y), "percent", missing="—", optional=y in optional, measure="value", round=str(y))
        for y in years
    ]
    columns += [
        Column("change_pts", f"Change {base}→{latest}", "change"),
        Column(str(latest), "", "bar", display_only=True),
    ]
    return rows, columns


def _rank_rows(
    group: list[Figure], years: list[int], compared: tuple[int, int]
) -> tuple[list[dict[str, Any]], list[Column]]:
    """A ranking asked in several rounds: each answer's rank in each round, ordered by the latest."""
    rows = _per_round(group, years, lambda f: f.rank)
    latest = str(years[-1])
    rows.sort(key=lambda r: (r[latest] is None, r[latest] or 0))
    optional = _optional(years, compared)
    columns = [Column("answer", "Answer", wide=True)]
    columns += [Column(str(y), f"Rank {y}", "rank", missing="—", optional=y in optional) for y in years]
    return rows, columns


def comparison_table(bundle: Bundle, figures: Figures, highlight: str | None) -> list[Table]:
    """By-country figures of one survey side by side, a column per question; every WB6 country a
    row. Where the survey has several editions, each question gets a table of its own with a column
    per edition and the change between the compared ones (``compared_rounds``), so the editions fit
    a terminal as narrow columns. The caller chooses which figures are compared."""
    tables: list[Table] = []
    single = [f for f in figures if f.country != REGION]
    for survey, by_survey in group_by(single, lambda f: f.survey).items():
        editions = sorted({f.edition for f in by_survey})
        if len(editions) > 1:
            compared = compared_rounds(editions, paper_edition(bundle, survey))
            for measure in group_by(by_survey, lambda f: (f.question, f.answer)).values():
                table = _edition_comparison(bundle, survey, measure, editions, compared, highlight)
                if any(t.id == table.id for t in tables):  # two answers of one topic
                    table.id += f"-{len(tables)}"
                tables.append(table)
            continue
        groups = list(group_by(by_survey, lambda f: (f.question, f.answer)).values())
        columns = [Column("country", "country"), Column("country_name", "Country")]
        rows = _country_rows(bundle, survey)
        column_sources: dict[str, str] = {}  # each column cites exactly the figures it shows
        for group in groups:
            first = group[0]
            topic = first.topic
            key = topic if all(c.key != topic for c in columns) else f"{topic}-{len(columns)}"
            header = f"{TOPIC_LABELS.get(topic, topic)}: {first.answer.lower()}"
            columns.append(Column(key, header, "percent", missing="—", measure=header))
            column_sources[key] = source_line(bundle, group)
            _fill(rows, key, group)
        columns.append(Column("status", "Coverage"))
        title = f"By country: {survey_label(bundle, survey, editions[0])}"
        if len(column_sources) == 1:
            source = next(iter(column_sources.values()))
        else:  # 'Sources: Open Balkan initiative: support, IRI ... p. 132 (paper footnote 35); ...'
            headers = {c.key: c.header for c in columns}
            source = "Sources: " + "; ".join(
                f"{headers[key]} — {line.split(': ', 1)[1]}" for key, line in column_sources.items()
            )
        source += ". —: not reported in the paper"
        tables.append(
            Table(
                f"{survey}-by-country", title, columns, rows, source, highlight, columns[1:],
                column_sources=column_sources,
            )
        )  # fmt: skip
    return tables


def _country_rows(bundle: Bundle, survey: str) -> list[dict[str, Any]]:
    polled = set(split_list(survey_row(bundle, survey).countries))
    return [
        {"country": c.code, "country_name": c.name, "status": "polled" if c.code in polled else "not polled"}
        for c in countries.all_countries()
    ]


def _fill(rows: list[dict[str, Any]], key: str, group: list[Figure]) -> None:
    values = {f.country: f for f in group}
    for row in rows:
        f = values.get(row["country"])
        row[key] = None if f is None else f.value
        if f is not None:
            row.setdefault("_figures", {})[key] = f  # query.uncertainty; never printed


def _edition_comparison(
    bundle: Bundle,
    survey: str,
    measure: list[Figure],
    editions: list[int],
    compared: tuple[int, int],
    highlight: str | None,
) -> Table:
    """One by-country question over the survey's editions: a column per edition, then the change."""
    first = measure[0]
    topic = first.topic
    base, latest = compared
    optional = _optional(editions, compared)
    name = f"{TOPIC_LABELS.get(topic, topic)}: {first.answer.lower()}"
    rows = _country_rows(bundle, survey)
    columns = [Column("country", "country"), Column("country_name", "Country")]
    for edition in editions:
        key = str(edition)
        columns.append(Column(key, key, "percent", missing="—", optional=edition in optional, measure=name, round=key))
        _fill(rows, key, [f for f in measure if f.edition == edition])
    for row in rows:
        old, new = row.get(str(base)), row.get(str(latest))
        row["change_pts"] = None if old is None or new is None else round(new - old, 6)
    columns += [Column("change_pts", f"Change {base}→{latest}", "change"), Column("status", "Coverage")]
    label = f"{survey_label(bundle, survey, editions[0])}–{editions[-1]}"
    title = f"By country, {label}: {name}"
    source = source_line(bundle, measure) + ". —: not reported in the paper"
    table = Table(f"{survey}-by-country-{topic}", title, columns, rows, source, highlight, columns[1:])
    table.compared = (str(base), str(latest))
    return table


def no_figures_note(bundle: Bundle, code: str | None, what: str, regional: Figures, survey: str | None) -> list[str]:
    """Why a country's own figures are missing, in the language in use (i18n.strings.NO_FIGURES)."""
    from wbbrief.i18n import _, noun
    from wbbrief.i18n.strings import NO_FIGURES

    if code is None:
        return []
    name = noun("region", REGION, countries.REGION_NAME) if code == REGION else None
    name = name or noun("country", code, countries.english_by_code(code).name)  # its forms: i18n.nouns
    # The region's abbreviation in the language's own letters (WB6, ZB6, ЗБ6, BP6), not the data's code.
    values: dict[str, Any] = {"country": name, "region": _("WB6")}
    if survey:
        values["survey"] = survey_row(bundle, survey).name
    return [_(NO_FIGURES[(what, bool(survey), not regional)], **values)]
