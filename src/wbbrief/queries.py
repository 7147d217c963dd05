"""The questions wbbrief answers, as Views built from the bundled (and user) DataFrames."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from wbbrief import countries
from wbbrief.data import PLACEHOLDER, REGION, Bundle, split_list
from wbbrief.errors import UsageError
from wbbrief.views import Column, Table, View, is_missing, ordinal, page_ref, percent

if TYPE_CHECKING:
    import pandas as pd

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

FIGURE_COLUMNS = [
    "id", "survey", "edition", "country", "topic", "question", "answer", "value", "unit", "rank",
    "year", "source_page", "footnote", "paper_section", "paper_figure", "note", "source_url",
]  # fmt: skip


# --- resolving what the user typed -------------------------------------------------------


def resolve_survey(bundle: Bundle, text: str) -> str:
    """A survey id from its id, name or short name, in any case."""
    key = text.casefold().replace(" ", "")
    names: dict[str, str] = {}
    for row in bundle.surveys.itertuples():
        for name in (row.id, row.name, row.short_name):
            names[str(name).casefold().replace(" ", "")] = str(row.id)
    if key in names:
        return names[key]
    valid = ", ".join(bundle.surveys["id"])
    near = difflib.get_close_matches(key, names, n=1)
    hint = f" Did you mean '{names[near[0]]}'?" if near else ""
    raise UsageError(f"unknown survey '{text}'.{hint} Valid: {valid}.")


def resolve_topic(bundle: Bundle, text: str) -> str:
    topics = list(dict.fromkeys(bundle.figures["topic"]))
    key = text.casefold().strip().replace(" ", "-").replace("_", "-")
    if key in topics:
        return key
    near = difflib.get_close_matches(key, topics, n=1)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    raise UsageError(f"unknown topic '{text}'.{hint} Valid: {', '.join(topics)}.")


# --- provenance ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _surveys(bundle: Bundle) -> dict[Any, dict[str, Any]]:
    """Survey rows by id (the first, bundled edition) and by (id, edition)."""
    rows: dict[Any, dict[str, Any]] = {}
    for s in bundle.surveys.to_dict("records"):
        rows.setdefault(str(s["id"]), s)
        rows[(str(s["id"]), int(s["edition"]))] = s
    return rows


def survey_row(bundle: Bundle, survey: str, edition: Any = None) -> dict[str, Any]:
    """The citation row of a survey, of the given edition where the data has one."""
    rows = _surveys(bundle)
    if edition is not None and (survey, int(edition)) in rows:
        return rows[(survey, int(edition))]
    return rows[survey]


def has_citation(bundle: Bundle, survey: str, edition: Any) -> bool:
    return (survey, int(edition)) in _surveys(bundle)


def survey_label(bundle: Bundle, survey: str, edition: Any) -> str:
    """'Albanian Security Barometer 2022'."""
    return f"{survey_row(bundle, survey)['name']} {int(edition)}"


def paper_edition(bundle: Bundle, survey: str) -> int | None:
    """The edition of a survey that the 2022 paper cites (None for a survey only the user supplies)."""
    bundled = bundle.surveys[(bundle.surveys["id"] == survey) & (bundle.surveys["origin"] == "bundled")]
    return None if bundled.empty else int(bundled.iloc[0]["edition"])


def compared_rounds(years: Iterable[int], paper_year: int | None) -> tuple[int, int]:
    """THE rule for which rounds of a question are compared, in tables, findings, charts and prose:
    the paper's own round against the latest one; where no later round exists (or the paper has
    none), the first round against the latest."""
    ordered = sorted(set(years))
    latest = ordered[-1]
    base = paper_year if paper_year in ordered and paper_year is not None and paper_year < latest else ordered[0]
    return base, latest


def _page_key(page: str) -> int:
    return int(re.split(r"\D", page)[0])


def source_line(bundle: Bundle, figures: pd.DataFrame) -> str:
    """'Source: Albanian Security Barometer 2022, p. 27 (paper footnote 26)' for a set of figures."""
    parts = []
    for (survey, edition), group in figures.groupby(["survey", "edition"], sort=False):
        pages = sorted({str(p) for p in group["source_page"] if not is_missing(p)}, key=_page_key)
        notes = sorted({int(n) for n in group["footnote"] if not is_missing(n)})
        text = survey_label(bundle, str(survey), edition)
        if len(pages) == 1:
            text += f", {page_ref(pages[0])}"
        elif pages:
            text += ", pp. " + ", ".join(p.replace("-", "–") for p in pages)
        if notes:
            text += f" (paper footnote{'s' if len(notes) > 1 else ''} {', '.join(map(str, notes))})"
        if group["source_page"].isna().any():
            text += "; report page not given in the paper" if pages else " (report page not given in the paper)"
        if (group.get("origin") == "user").any():
            links = sorted({str(u) for u in group.get("source_url", []) if not is_missing(u)})
            text += f" [user-supplied{': ' if links else ''}{', '.join(links)}]"
        parts.append(text)
    return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts)


def short_cite(bundle: Bundle, figure: Any) -> str:
    """'ASB 2022, p. 27, fn. 26' for one figure row."""
    text = f"{survey_row(bundle, figure['survey'])['short_name']} {int(figure['edition'])}"
    if not is_missing(figure["source_page"]):
        text += f", {page_ref(figure['source_page'])}"
    if not is_missing(figure["footnote"]):
        text += f", fn. {int(figure['footnote'])}"
    if figure.get("origin") == "user":
        text += ", user-supplied"
    return text


def figure_text(figure: Any) -> str:
    """A figure as prose shows it: '39.3%' for a share, '1st' for a rank."""
    return percent(figure["value"]) if figure["unit"] == "percent" else ordinal(figure["rank"])


def render_text(text: str, figures_by_id: dict[str, Any], newer: dict[str, Any] | None = None) -> str:
    """Fill a finding's {figure-id} placeholders from the data, with the change to a newer edition."""
    return PLACEHOLDER.sub(lambda m: figure_with_change(m.group(1), figures_by_id, newer or {}), text)


def figure_with_change(figure_id: str, by_id: dict[str, Any], newer: dict[str, Any]) -> str:
    """'39.3%', or '39.3% in 2022 and 41% in 2027' where a later round asked the same question
    (the paper's round against the latest: ``compared_rounds``)."""
    figure = by_id[figure_id]
    later = newer.get(figure_id)
    if later is None or later["unit"] != figure["unit"]:
        return figure_text(figure)
    return f"{figure_text(figure)} in {int(figure['year'])} and {figure_text(later)} in {int(later['year'])}"


def figures_by_id(bundle: Bundle) -> dict[str, Any]:
    """Every figure as a record, by id (ids are unique: a user figure replaces a bundled one).
    A fresh dict each call (callers may add to it); the records are read once per bundle."""
    return dict(_figures_by_id(bundle))


@functools.lru_cache(maxsize=8)  # a Bundle hashes by identity
def _figures_by_id(bundle: Bundle) -> dict[str, Any]:
    return {str(row["id"]): row for row in bundle.figures.to_dict("records")}


def newer_editions(bundle: Bundle) -> dict[str, Any]:
    """For each figure from an edition's own round, the same answer in the newest later edition."""
    series: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for f in bundle.figures.to_dict("records"):
        if int(f["year"]) == int(f["edition"]):  # a round reported by its own edition
            key = (f["survey"], f["country"], f["question"], f["answer"], f["unit"])
            series.setdefault(key, []).append(f)
    newer: dict[str, Any] = {}
    for rounds in series.values():
        latest = max(rounds, key=lambda f: int(f["edition"]))
        for f in rounds:
            if int(f["edition"]) < int(latest["edition"]):
                newer[str(f["id"])] = latest
    return newer


# --- selecting figures ---------------------------------------------------------------------


def _filter(bundle: Bundle, figures: pd.DataFrame, survey: str | None, topics: Iterable[str] | None) -> pd.DataFrame:
    if survey:
        figures = figures[figures["survey"] == survey]
    if topics is not None:
        figures = figures[figures["topic"].isin(list(topics))]
    return figures


def for_country(bundle: Bundle, figures: pd.DataFrame, code: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the country's own figures, the regional ones that include it); all figures when no country."""
    if code is None:
        return figures, figures.iloc[0:0]
    own = figures[figures["country"] == code]
    if code == REGION:
        return own, figures.iloc[0:0]
    covering = {str(row.id) for row in bundle.surveys.itertuples() if code in split_list(row.countries)}
    regional = figures[(figures["country"] == REGION) & figures["survey"].isin(covering)]
    return own, regional


def _topic_order(figures: pd.DataFrame, topics: Iterable[str]) -> pd.DataFrame:
    """Survey by survey (as the data lists them), topics in the order the paper argues them."""
    topic_rank = {t: i for i, t in enumerate(topics)}
    survey_rank = {s: i for i, s in enumerate(dict.fromkeys(figures["survey"]))}
    keyed = figures.assign(
        _survey=figures["survey"].map(survey_rank), _topic=figures["topic"].map(topic_rank).fillna(len(topic_rank))
    )
    return keyed.sort_values(["_survey", "_topic"], kind="stable").drop(columns=["_survey", "_topic"])


# --- tables --------------------------------------------------------------------------------


def question_tables(bundle: Bundle, figures: pd.DataFrame) -> list[Table]:
    """Tables for people: one ranked table per question; single-figure questions of one topic
    share a table of statements; where a question has several years, they stand side by side."""
    tables = []
    for (_, country, topic), by_topic in figures.groupby(["survey", "country", "topic"], sort=False):
        questions = [g for _, g in by_topic.groupby("question", sort=False)]
        statements = [g for g in questions if len(g) == 1 and (g["unit"] == "percent").all()]
        if len(statements) < 2:
            statements = []
        for group in questions:
            if statements and group is statements[0]:
                tables.append(_statement_table(bundle, str(country), str(topic), statements))
            elif not any(group is s for s in statements):
                tables.append(_question_table(bundle, str(country), group))
    return tables


def _statement_table(bundle: Bundle, country: str, topic: str, groups: list[pd.DataFrame]) -> Table:
    import pandas as pd

    merged = pd.concat(groups)
    rows = [_row(f, statement=statement(f)) for _, f in merged.iterrows()]
    columns = [
        Column("statement", "Statement", wide=True),
        Column("value", "Share", "percent"),
        Column("value", "", "bar", display_only=True),
    ]
    title = f"{countries.name_of(country)}: {TOPIC_LABELS.get(topic, topic)}"
    return Table(str(merged.iloc[0]["id"]), title, columns, rows, source_line(bundle, merged))


# Answers that add nothing to the statement they answer.
_ASSENT = {"agree", "yes", "concerned", "support", "possible"}


def statement(figure: Any) -> str:
    """A single-figure question as a label: the statement respondents assented to, in quotation
    marks because it is the item's wording as the paper reports it; otherwise 'question: answer'."""
    answer = str(figure["answer"])
    return f"“{figure['question']}”" if answer.casefold() in _ASSENT else f"{figure['question']}: {answer.lower()}"


def _question_table(bundle: Bundle, country: str, group: pd.DataFrame) -> Table:
    first = group.iloc[0]
    assented = all(str(a).casefold() in _ASSENT for a in group["answer"])  # the item itself, quoted
    title = f"{countries.name_of(country)}: {statement(first) if assented else first['question']}"
    years = sorted(int(y) for y in group["year"].unique())
    compared = None
    if len(years) > 1:
        compared = compared_rounds(years, paper_edition(bundle, str(group.iloc[0]["survey"])))
    if (group["unit"] == "rank").all() and compared:
        rows, columns = _rank_rows(group, years, compared)
    elif (group["unit"] == "rank").all():
        rows = [_row(f, position=int(f["rank"])) for _, f in group.sort_values("rank").iterrows()]
        columns = [Column("position", "#", "integer"), Column("answer", "Answer", wide=True)]
    elif len(years) == 1 or compared is None:
        ranked = group.sort_values("value", ascending=False, kind="stable")
        rows = [_row(f, position=i) for i, (_, f) in enumerate(ranked.iterrows(), start=1)]
        columns = [
            Column("position", "#", "integer"),
            Column("answer", "Answer", wide=True),
            Column("value", "Share", "percent"),
            Column("value", "", "bar", display_only=True),
        ]
    else:
        rows, columns = _change_rows(group, years, compared)
    table = Table(str(group.iloc[0]["id"]), title, columns, rows, source_line(bundle, group))
    table.compared = None if compared is None else (str(compared[0]), str(compared[1]))
    return table


def _row(figure: Any, **extra: Any) -> dict[str, Any]:
    row = {
        "figure_id": figure["id"],
        "survey": figure["survey"],
        "edition": int(figure["edition"]),
        "country": figure["country"],
        "answer": figure["answer"],
        "value": None if is_missing(figure["value"]) else float(figure["value"]),
        "unit": figure["unit"],
        "year": int(figure["year"]),
        "origin": figure.get("origin", "bundled"),
    }
    row.update(extra)
    return row


def _by_year(series: pd.DataFrame) -> dict[int, Any]:
    """An answer's figures by fieldwork year; where two editions report a year, the later one."""
    return {int(f["year"]): f for _, f in series.sort_values("edition", kind="stable").iterrows()}


def _optional(years: list[int], compared: tuple[int, int]) -> set[int]:
    """Rounds a narrow terminal may leave out (and say so): all but the first, the compared ones
    and the previous one."""
    keep = {years[0], years[-2] if len(years) > 1 else years[0], *compared}
    return {y for y in years if y not in keep}


def _change_rows(
    group: pd.DataFrame, years: list[int], compared: tuple[int, int]
) -> tuple[list[dict[str, Any]], list[Column]]:
    """Rows of an answer across years, and the change between the compared rounds."""
    base, latest = compared
    rows = []
    for answer, series in group.groupby("answer", sort=False):
        by_year = _by_year(series)
        row: dict[str, Any] = {"answer": answer}
        for year in years:
            f = by_year.get(year)
            row[str(year)] = None if f is None or is_missing(f["value"]) else float(f["value"])
        if row[str(base)] is not None and row[str(latest)] is not None:
            row["change_pts"] = round(row[str(latest)] - row[str(base)], 6)
        else:
            row["change_pts"] = None
        row["figure_ids"] = [str(f["id"]) for f in by_year.values()]
        rows.append(row)
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
    group: pd.DataFrame, years: list[int], compared: tuple[int, int]
) -> tuple[list[dict[str, Any]], list[Column]]:
    """A ranking asked in several rounds: each answer's rank in each round, ordered by the latest."""
    rows = []
    for answer, series in group.groupby("answer", sort=False):
        by_year = _by_year(series)
        row: dict[str, Any] = {"answer": answer}
        for year in years:
            f = by_year.get(year)
            row[str(year)] = None if f is None or is_missing(f["rank"]) else int(f["rank"])
        row["figure_ids"] = [str(f["id"]) for f in by_year.values()]
        rows.append(row)
    latest = str(years[-1])
    rows.sort(key=lambda r: (r[latest] is None, r[latest] or 0))
    optional = _optional(years, compared)
    columns = [Column("answer", "Answer", wide=True)]
    columns += [Column(str(y), f"Rank {y}", "rank", missing="—", optional=y in optional) for y in years]
    return rows, columns


def comparison_table(bundle: Bundle, figures: pd.DataFrame, highlight: str | None) -> list[Table]:
    """By-country figures of one survey side by side, a column per question; every WB6 country a
    row. Where the survey has several editions, each question gets a table of its own with a column
    per edition and the change between the compared ones (``compared_rounds``), so the editions fit
    a terminal as narrow columns. The caller chooses which figures are compared."""
    tables: list[Table] = []
    single = figures[figures["country"] != REGION]
    for survey, by_survey in single.groupby("survey", sort=False):
        editions = sorted(int(e) for e in by_survey["edition"].unique())
        if len(editions) > 1:
            compared = compared_rounds(editions, paper_edition(bundle, str(survey)))
            for _, measure in by_survey.groupby(["question", "answer"], sort=False):
                table = _edition_comparison(bundle, str(survey), measure, editions, compared, highlight)
                if any(t.id == table.id for t in tables):  # two answers of one topic
                    table.id += f"-{len(tables)}"
                tables.append(table)
            continue
        groups = [g for _, g in by_survey.groupby(["question", "answer"], sort=False)]
        columns = [Column("country", "country"), Column("country_name", "Country")]
        rows = _country_rows(bundle, str(survey))
        column_sources: dict[str, str] = {}  # each column cites exactly the figures it shows
        for group in groups:
            first = group.iloc[0]
            topic = str(first["topic"])
            key = topic if all(c.key != topic for c in columns) else f"{topic}-{len(columns)}"
            header = f"{TOPIC_LABELS.get(topic, topic)}: {first['answer'].lower()}"
            columns.append(Column(key, header, "percent", missing="—", measure=header))
            column_sources[key] = source_line(bundle, group)
            _fill(rows, key, group)
        columns.append(Column("status", "Coverage"))
        title = f"By country: {survey_label(bundle, str(survey), editions[0])}"
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
    polled = set(split_list(survey_row(bundle, survey)["countries"]))
    return [
        {"country": c.code, "country_name": c.name, "status": "polled" if c.code in polled else "not polled"}
        for c in countries.all_countries()
    ]


def _fill(rows: list[dict[str, Any]], key: str, group: pd.DataFrame) -> None:
    values = {str(f["country"]): f for _, f in group.iterrows()}
    for row in rows:
        f = values.get(row["country"])
        row[key] = None if f is None or is_missing(f["value"]) else float(f["value"])


def _edition_comparison(
    bundle: Bundle,
    survey: str,
    measure: pd.DataFrame,
    editions: list[int],
    compared: tuple[int, int],
    highlight: str | None,
) -> Table:
    """One by-country question over the survey's editions: a column per edition, then the change."""
    first = measure.iloc[0]
    topic = str(first["topic"])
    base, latest = compared
    optional = _optional(editions, compared)
    name = f"{TOPIC_LABELS.get(topic, topic)}: {str(first['answer']).lower()}"
    rows = _country_rows(bundle, survey)
    columns = [Column("country", "country"), Column("country_name", "Country")]
    for edition in editions:
        key = str(edition)
        columns.append(Column(key, key, "percent", missing="—", optional=edition in optional, measure=name, round=key))
        _fill(rows, key, measure[measure["edition"] == edition])
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


# --- commands ------------------------------------------------------------------------------


def _no_figures_note(
    bundle: Bundle, code: str | None, what: str, regional: pd.DataFrame, survey: str | None
) -> list[str]:
    if code is None:
        return []
    name = countries.name_of(code)
    who = f"{survey_row(bundle, survey)['name']} reports" if survey else "The surveys report"
    if regional.empty:
        return [f"{who} no {what} figures for {name}."]
    return [f"{who} no {what} figures for {name} alone; showing the regional ({REGION}) figures that include it."]


def threats(bundle: Bundle, country: str | None = None, survey: str | None = None) -> View:
    figures = _filter(bundle, bundle.figures, survey, THREAT_TOPICS)
    own, regional = for_country(bundle, figures, country)
    notes = _no_figures_note(bundle, country, "threat-perception", regional, survey) if own.empty else []
    tables = question_tables(bundle, _topic_order(own, THREAT_TOPICS))
    tables += question_tables(bundle, _topic_order(regional, THREAT_TOPICS))
    return View("threats", {"country": country, "survey": survey}, tables, notes)


def cooperation(bundle: Bundle, country: str | None = None, survey: str | None = None) -> View:
    figures = _filter(bundle, bundle.figures, survey, COOPERATION_TOPICS)
    # By-country comparisons: one survey asking one question in more than one country.
    single = figures[figures["country"] != REGION]
    spread = single.groupby(["survey", "question", "answer"])["country"].transform("nunique")
    compared_ids = set(single.loc[spread > 1, "id"])
    comparable = figures[figures["id"].isin(compared_ids)]
    rest = figures[~figures["id"].isin(compared_ids)]
    own, regional = for_country(bundle, rest, country)
    notes = []
    if country is not None and own.empty and not (comparable["country"] == country).any():
        notes = _no_figures_note(bundle, country, "cooperation", regional, survey)
    tables = question_tables(bundle, _topic_order(own, COOPERATION_TOPICS))
    tables += comparison_table(bundle, comparable, country)  # every country, the one asked for marked
    tables += question_tables(bundle, _topic_order(regional, COOPERATION_TOPICS))
    if country and country != REGION:
        for s in bundle.surveys.itertuples():
            if (comparable["survey"] == s.id).any() and country not in split_list(s.countries):
                notes.append(f"{s.name} {s.edition} did not poll {countries.name_of(country)}.")
    return View("cooperation", {"country": country, "survey": survey}, tables, notes)


def other_figures(bundle: Bundle, country: str | None = None) -> View:
    """Figures on topics neither `threats` nor `cooperation` covers, as user data may bring."""
    known = set(THREAT_TOPICS) | set(COOPERATION_TOPICS)
    figures = bundle.figures[~bundle.figures["topic"].isin(known)]
    own, regional = for_country(bundle, figures, country)
    tables = question_tables(bundle, own) + question_tables(bundle, regional)
    return View("other", {"country": country}, tables, [])


def claim_figures(bundle: Bundle) -> dict[str, Any]:
    """The records a statement's condition is checked on: each named figure, or its latest edition
    where the data have a later one (a statement speaks of the present, as its text then shows)."""
    by_id = figures_by_id(bundle)
    return by_id | {i: f for i, f in newer_editions(bundle).items()}


def check_claim(bundle: Bundle, text: str, condition: str, figures: dict[str, Any]) -> str | None:
    """None when the statement holds; otherwise the note that says why it is withdrawn."""
    from wbbrief import claims

    if not condition or not condition.strip():
        return None
    try:
        result = claims.evaluate(condition, figures)
    except claims.ConditionError as err:  # e.g. user data made a named share a ranking
        return f"'{text.rstrip('.')}' cannot be checked with the data in use: {err}."
    if result.holds:
        return None
    changed = [f for f in result.figures if f.get("origin") == "user"] or list(result.figures)
    used = dict.fromkeys(  # name the data that changed: 'with ASB 2023 (user data)'
        f"{survey_row(bundle, str(f['survey']))['short_name']} {int(f['edition'])}"
        + (" (user data)" if f.get("origin") == "user" else "")
        for f in changed
    )
    return f"'{text.rstrip('.')}' no longer holds with {' and '.join(used)}: {result.explanation}."


def findings(bundle: Bundle, country: str | None = None, survey: str | None = None, topic: str | None = None) -> View:
    by_id = figures_by_id(bundle)
    newer = newer_editions(bundle)
    checked = claim_figures(bundle)
    rows = []
    withdrawn = []
    for finding in bundle.findings.itertuples():
        ids = split_list(finding.figure_ids)
        codes = split_list(finding.countries)
        cited = [by_id[i] for i in ids]
        if survey and not any(f["survey"] == survey for f in cited):
            continue
        if topic and finding.topic != topic:
            continue
        order = _finding_order(codes, country)
        if order is None:
            continue
        shown = [*cited, *(newer[i] for i in ids if i in newer)]  # and the later editions it reports
        condition = "" if is_missing(finding.holds_if) else str(finding.holds_if)
        why = check_claim(bundle, render_text(str(finding.text), by_id), condition, checked)
        if why is not None:
            withdrawn.append({"id": finding.id, "holds_if": condition, "note": why})
            continue
        rows.append(
            {
                "id": finding.id,
                "finding": render_text(str(finding.text), by_id, newer),
                "countries": codes,
                "where": ", ".join(countries.name_of(c) for c in codes),
                "topic": finding.topic,
                "figure_ids": ids,
                "holds_if": condition or None,
                "source": "; ".join(dict.fromkeys(short_cite(bundle, f) for f in shown)),
                "user_supplied": any(f.get("origin") == "user" for f in shown),
                "cited": shown,  # the figure records behind the text (not an output column)
                "_order": order,
            }
        )
    rows.sort(key=lambda r: r.pop("_order"))
    notes = []
    if country and not any(country in r["countries"] for r in rows):
        notes.append(
            f"The surveys report no findings for {countries.name_of(country)} alone; showing the regional ones."
        )
    if not rows:
        notes.append("No findings match these filters.")
    notes += [f"Withdrawn: {w['note']}" for w in withdrawn]
    columns = [
        Column("id", "id"),
        Column("finding", "Finding"),
        Column("countries", "countries"),
        Column("topic", "topic"),
        Column("figure_ids", "figure_ids"),
        Column("holds_if", "holds_if"),
        Column("source", "Source"),
        Column("user_supplied", "user_supplied"),
    ]
    display = [Column("finding", "Finding", wide=True), Column("where", "Where"), Column("source", "Source")]
    # The footer cites every figure the rows cite, later editions included.
    used = bundle.figures[bundle.figures["id"].isin([str(f["id"]) for r in rows for f in r["cited"]])]
    source = source_line(bundle, used) if rows else ""
    title = "Key findings" + (f": {countries.name_of(country)}" if country else "")
    table = Table("findings", title, columns, rows, source, display=display)
    filters = {"country": country, "survey": survey, "topic": topic}
    return View("findings", filters, [table], notes, withdrawn=withdrawn)


def _finding_order(codes: list[str], country: str | None) -> int | None:
    """0 for the country's own findings, 1 for comparisons including it, 2 for the region; None to skip."""
    if country is None:
        return 0
    if codes == [country]:
        return 0
    if country in codes:
        return 1
    if REGION in codes and country != REGION:
        return 2
    return None


def figures(bundle: Bundle, country: str | None = None, survey: str | None = None, topic: str | None = None) -> View:
    selected = _filter(bundle, bundle.figures, survey, [topic] if topic else None)
    own, regional = for_country(bundle, selected, country)
    import pandas as pd

    chosen = pd.concat([own, regional])
    rows = []
    for _, f in chosen.iterrows():
        row: dict[str, Any] = {c: (None if is_missing(f[c]) else f[c]) for c in FIGURE_COLUMNS}
        for c in ("edition", "year", "rank", "footnote"):
            row[c] = None if row[c] is None else int(row[c])
        row["value"] = None if row["value"] is None else float(row["value"])
        row["origin"] = f.get("origin", "bundled")
        row["shown"] = figure_text(f)
        row["statement"] = f"{f['question']}: {f['answer']}"
        row["cite"] = short_cite(bundle, f)
        rows.append(row)
    columns = [Column(c, c) for c in FIGURE_COLUMNS] + [Column("origin", "origin")]
    table = Table("figures", "Survey figures", columns, rows, source_line(bundle, chosen) if rows else "")
    notes = [] if rows else ["No figures match these filters."]
    return View("figures", {"country": country, "survey": survey, "topic": topic}, [table], notes)


FIGURES_DISPLAY = [
    Column("id", "Id"),
    Column("statement", "Question: answer", wide=True),
    Column("shown", "Figure"),
    Column("cite", "Source"),
]


def sources(bundle: Bundle) -> View:
    """One row per survey edition: every edition is its own source, cited or user-supplied."""
    rows = []
    editions = list(dict.fromkeys((str(s.id), int(s.edition)) for s in bundle.surveys.itertuples()))
    figures = bundle.figures
    for f in figures[["survey", "edition"]].drop_duplicates().itertuples():
        if (str(f.survey), int(f.edition)) not in editions:
            editions.append((str(f.survey), int(f.edition)))
    order = {str(s): i for i, s in enumerate(dict.fromkeys(bundle.surveys["id"]))}
    editions.sort(key=lambda e: (order.get(e[0], len(order)), e[1]))
    for survey_id, edition in editions:
        s = survey_row(bundle, survey_id, edition)
        cited = has_citation(bundle, survey_id, edition)
        used = figures[(figures["survey"] == survey_id) & (figures["edition"] == edition)]
        notes = sorted({int(n) for n in used["footnote"] if not is_missing(n)})
        citation = str(s["citation"]) if cited else "user-supplied; no citation given (add it to a sources file)"
        url = None if not cited or is_missing(s["url"]) else s["url"]
        rows.append(
            {
                "id": survey_id,
                "edition": edition,
                "survey": f"{s['name']} {edition}",
                "publisher": s["publisher"],
                "countries": [countries.name_of(c) for c in split_list(s["countries"])],
                "figures": len(used),
                "paper_footnotes": notes,
                "citation": citation,
                "url": url,
                "note": None if not cited or is_missing(s["note"]) else s["note"],
                "origin": "user" if (used.get("origin") == "user").any() or s.get("origin") == "user" else "bundled",
                "reference": f"{citation} {url or ''}".strip(),
            }
        )
    columns = [
        Column("id", "id"),
        Column("edition", "edition", "integer"),
        Column("survey", "Survey"),
        Column("publisher", "Publisher"),
        Column("countries", "Countries"),
        Column("figures", "Figures", "integer"),
        Column("paper_footnotes", "Paper footnotes"),
        Column("citation", "Citation"),
        Column("url", "URL"),
        Column("note", "Note"),
        Column("origin", "origin"),
    ]
    display = [
        Column("survey", "Survey"),
        Column("figures", "Figures", "integer"),
        Column("paper_footnotes", "Paper footnotes"),
        Column("reference", "Citation", wide=True),
    ]
    table = Table("sources", "Sources", columns, rows, display=display)
    return View("sources", {}, [table], [])


def recommendations(bundle: Bundle) -> View:
    by_id = figures_by_id(bundle)
    newer = newer_editions(bundle)
    main: list[dict[str, Any]] = []
    principles: list[dict[str, Any]] = []
    aims: list[dict[str, Any]] = []

    def evidence(i: str) -> str:  # the paper's figure and, by the edition rule, the latest round
        cites = "; ".join(short_cite(bundle, f) for f in (by_id[i], newer.get(i)) if f is not None)
        return f"{figure_with_change(i, by_id, newer)}: {statement(by_id[i])} ({cites})"

    for r in bundle.recommendations.itertuples():
        ids = split_list(r.figure_ids)
        support = [evidence(i) for i in ids]
        row = {"id": r.id, "level": r.level, "title": r.title, "text": r.text, "figure_ids": ids, "evidence": support}
        {"principle": principles, "aim": aims}.get(str(r.level), main).append(row)
    pillars = [
        {"id": p.id, "acronym": p.acronym, "name": p.name, "focus": p.focus} for p in bundle.iisg_pillars.itertuples()
    ]
    tables = [
        Table(
            "recommendations",
            "Recommendations",
            [Column("level", "Level"), Column("title", "Recommendation"), Column("text", "What it means", wide=True),
             Column("evidence", "Evidence", "lines", wide=True)],
            main,
            "Based on the 2022 policy paper on cooperative security in the Western Balkans, section 5.",
        ),
        Table("principles", "Principles of a cooperative security system",
              [Column("title", "Principle"), Column("text", "What it means", wide=True)], principles,
              "Paper, section 5."),
        Table("aims", "Aims of the system's mechanisms",
              [Column("title", "Aim"), Column("text", "What it means", wide=True)], aims, "Paper, section 5."),
        Table("iisg-pillars", "The IISG's three pillars",
              [Column("acronym", "Pillar"), Column("name", "Name", wide=True), Column("focus", "Focus", wide=True)],
              pillars,
              "Paper, section 3.1."),
    ]  # fmt: skip
    return View("recommendations", {}, tables, [])
