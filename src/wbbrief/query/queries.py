"""The questions wbbrief answers (the query commands), as Views built from the data in use.

Built from ``tables`` (what a table shows), ``editions`` (which rounds are compared) and
``citations`` (where a number comes from)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from wbbrief.base.errors import UsageError
from wbbrief.dataset import countries
from wbbrief.dataset.bundle import PLACEHOLDER, REGION, Bundle, split_list
from wbbrief.dataset.records import Figure

# The pieces the commands are built from, each in the module of its concern; named here as well,
# since every caller knows them as queries.<name>.
from wbbrief.query.citations import has_citation as has_citation
from wbbrief.query.citations import short_cite as short_cite
from wbbrief.query.citations import source_line as source_line
from wbbrief.query.citations import survey_label as survey_label
from wbbrief.query.citations import survey_row as survey_row
from wbbrief.query.editions import compared_rounds as compared_rounds
from wbbrief.query.editions import figure_text as figure_text
from wbbrief.query.editions import figure_with_change as figure_with_change
from wbbrief.query.editions import figures_by_id as figures_by_id
from wbbrief.query.editions import newer_editions as newer_editions
from wbbrief.query.editions import paper_edition as paper_edition
from wbbrief.query.tables import COOPERATION_TOPICS as COOPERATION_TOPICS
from wbbrief.query.tables import FIGURE_COLUMNS as FIGURE_COLUMNS
from wbbrief.query.tables import THREAT_TOPICS as THREAT_TOPICS
from wbbrief.query.tables import TOPIC_LABELS as TOPIC_LABELS
from wbbrief.query.tables import comparison_table, for_country, no_figures_note, select_figures, topic_order
from wbbrief.query.tables import question_tables as question_tables
from wbbrief.query.tables import statement as statement
from wbbrief.query.views import Column, Table, View

# --- resolving what the user typed -------------------------------------------------------


def resolve_survey(bundle: Bundle, text: str) -> str:
    """A survey id from its id, name or short name, in any case."""
    key = text.casefold().replace(" ", "")
    names: dict[str, str] = {}
    for row in bundle.surveys:
        for name in (row.id, row.name, row.short_name):
            names[name.casefold().replace(" ", "")] = row.id
    if key in names:
        return names[key]
    valid = ", ".join(s.id for s in bundle.surveys)
    near = difflib.get_close_matches(key, names, n=1)
    hint = f" Did you mean '{names[near[0]]}'?" if near else ""
    raise UsageError(f"unknown survey '{text}'.{hint} Valid: {valid}.")


def resolve_topic(bundle: Bundle, text: str) -> str:
    topics = list(dict.fromkeys(f.topic for f in bundle.figures))
    key = text.casefold().strip().replace(" ", "-").replace("_", "-")
    if key in topics:
        return key
    near = difflib.get_close_matches(key, topics, n=1)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    raise UsageError(f"unknown topic '{text}'.{hint} Valid: {', '.join(topics)}.")


def render_text(text: str, figures_by_id: Mapping[str, Figure], newer: Mapping[str, Figure] | None = None) -> str:
    """Fill a finding's {figure-id} placeholders from the data, with the change to a newer edition."""
    return PLACEHOLDER.sub(lambda m: figure_with_change(m.group(1), figures_by_id, newer or {}), text)


def threats(bundle: Bundle, country: str | None = None, survey: str | None = None) -> View:
    figures = select_figures(bundle, bundle.figures, survey, THREAT_TOPICS)
    own, regional = for_country(bundle, figures, country)
    notes = no_figures_note(bundle, country, "threat-perception", regional, survey) if not own else []
    tables = question_tables(bundle, topic_order(own, THREAT_TOPICS))
    tables += question_tables(bundle, topic_order(regional, THREAT_TOPICS))
    return View("threats", {"country": country, "survey": survey}, tables, notes)


def cooperation(bundle: Bundle, country: str | None = None, survey: str | None = None) -> View:
    figures = select_figures(bundle, bundle.figures, survey, COOPERATION_TOPICS)
    # By-country comparisons: one survey asking one question in more than one country.
    single = [f for f in figures if f.country != REGION]
    polled: dict[tuple[str, str, str], set[str]] = {}
    for f in single:
        polled.setdefault((f.survey, f.question, f.answer), set()).add(f.country)
    compared_ids = {f.id for f in single if len(polled[(f.survey, f.question, f.answer)]) > 1}
    comparable = [f for f in figures if f.id in compared_ids]
    rest = [f for f in figures if f.id not in compared_ids]
    own, regional = for_country(bundle, rest, country)
    notes = []
    if country is not None and not own and not any(f.country == country for f in comparable):
        notes = no_figures_note(bundle, country, "cooperation", regional, survey)
    tables = question_tables(bundle, topic_order(own, COOPERATION_TOPICS))
    tables += comparison_table(bundle, comparable, country)  # every country, the one asked for marked
    tables += question_tables(bundle, topic_order(regional, COOPERATION_TOPICS))
    if country and country != REGION:
        for s in bundle.surveys:
            if any(f.survey == s.id for f in comparable) and country not in split_list(s.countries):
                notes.append(f"{s.name} {s.edition} did not poll {countries.name_of(country)}.")
    return View("cooperation", {"country": country, "survey": survey}, tables, notes)


def other_figures(bundle: Bundle, country: str | None = None) -> View:
    """Figures on topics neither `threats` nor `cooperation` covers, as user data may bring."""
    known = set(THREAT_TOPICS) | set(COOPERATION_TOPICS)
    figures = [f for f in bundle.figures if f.topic not in known]
    own, regional = for_country(bundle, figures, country)
    tables = question_tables(bundle, own) + question_tables(bundle, regional)
    return View("other", {"country": country}, tables, [])


def claim_figures(bundle: Bundle) -> dict[str, Figure]:
    """The records a statement's condition is checked on: each named figure, or its latest edition
    where the data have a later one (a statement speaks of the present, as its text then shows)."""
    by_id = figures_by_id(bundle)
    return by_id | newer_editions(bundle)


def check_claim(
    bundle: Bundle, text: str, condition: str, figures: Mapping[str, Figure], level: float = 0.95
) -> str | None:
    """None when the statement holds; otherwise the note that says why it is withdrawn. A comparison
    of two shares with margins of error holds only if significant at ``level`` (``claims``)."""
    from wbbrief.dataset import claims
    from wbbrief.query.uncertainty import claim_test

    if not condition or not condition.strip():
        return None
    try:
        result = claims.evaluate(condition, figures, claim_test(bundle.surveys, level))
    except claims.ConditionError as err:  # e.g. user data made a named share a ranking
        return f"'{text.rstrip('.')}' cannot be checked with the data in use: {err}."
    if result.holds:
        return None
    changed = [f for f in result.figures if f.origin == "user"] or list(result.figures)
    used = dict.fromkeys(  # name the data that changed: 'with ASB 2023 (user data)'
        f"{survey_row(bundle, f.survey).short_name} {f.edition}" + (" (user data)" if f.origin == "user" else "")
        for f in changed
    )
    return f"'{text.rstrip('.')}' no longer holds with {' and '.join(used)}: {result.explanation}."


def findings(bundle: Bundle, country: str | None = None, survey: str | None = None, topic: str | None = None) -> View:
    by_id = figures_by_id(bundle)
    newer = newer_editions(bundle)
    checked = claim_figures(bundle)
    rows: list[dict[str, Any]] = []
    withdrawn = []
    for finding in bundle.findings:
        ids = split_list(finding.figure_ids)
        codes = split_list(finding.countries)
        cited = [by_id[i] for i in ids]
        if survey and not any(f.survey == survey for f in cited):
            continue
        if topic and finding.topic != topic:
            continue
        order = _finding_order(codes, country)
        if order is None:
            continue
        shown = [*cited, *(newer[i] for i in ids if i in newer)]  # and the later editions it reports
        condition = finding.holds_if or ""
        why = check_claim(bundle, render_text(finding.text, by_id), condition, checked)
        if why is not None:
            withdrawn.append({"id": finding.id, "holds_if": condition, "note": why})
            continue
        rows.append(
            {
                "id": finding.id,
                "finding": render_text(finding.text, by_id, newer),
                "countries": codes,
                "where": ", ".join(countries.name_of(c) for c in codes),
                "topic": finding.topic,
                "figure_ids": ids,
                "holds_if": condition or None,
                "source": "; ".join(dict.fromkeys(short_cite(bundle, f) for f in shown)),
                "user_supplied": any(f.origin == "user" for f in shown),
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
    cited_ids = {f.id for r in rows for f in r["cited"]}
    used = [f for f in bundle.figures if f.id in cited_ids]
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
    selected = select_figures(bundle, bundle.figures, survey, [topic] if topic else None)
    own, regional = for_country(bundle, selected, country)
    chosen = own + regional
    rows = []
    for f in chosen:
        row: dict[str, Any] = {c: getattr(f, c) for c in FIGURE_COLUMNS}
        row["origin"] = f.origin
        row["shown"] = figure_text(f)
        row["statement"] = f"{f.question}: {f.answer}"
        row["cite"] = short_cite(bundle, f)
        row["_figures"] = {"value": f}  # query.uncertainty; never printed
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
    editions = list(dict.fromkeys((s.id, s.edition) for s in bundle.surveys))
    figures = bundle.figures
    for key in dict.fromkeys((f.survey, f.edition) for f in figures):
        if key not in editions:
            editions.append(key)
    order = {s: i for i, s in enumerate(dict.fromkeys(s.id for s in bundle.surveys))}
    editions.sort(key=lambda e: (order.get(e[0], len(order)), e[1]))
    for survey_id, edition in editions:
        s = survey_row(bundle, survey_id, edition)
        cited = has_citation(bundle, survey_id, edition)
        used = [f for f in figures if f.survey == survey_id and f.edition == edition]
        notes = sorted({f.footnote for f in used if f.footnote is not None})
        citation = s.citation if cited else "user-supplied; no citation given (add it to a sources file)"
        url = s.url if cited else None
        rows.append(
            {
                "id": survey_id,
                "edition": edition,
                "survey": f"{s.name} {edition}",
                "publisher": s.publisher,
                "countries": [countries.name_of(c) for c in split_list(s.countries)],
                "figures": len(used),
                "paper_footnotes": notes,
                "citation": citation,
                "url": url,
                "note": s.note if cited else None,
                "origin": "user" if any(f.origin == "user" for f in used) or s.origin == "user" else "bundled",
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
    from wbbrief.query.uncertainty import sample_columns

    sample_columns(table, bundle)
    return View("sources", {}, [table], [])


def recommendations(bundle: Bundle) -> View:
    by_id = figures_by_id(bundle)
    newer = newer_editions(bundle)
    main: list[dict[str, Any]] = []
    principles: list[dict[str, Any]] = []
    aims: list[dict[str, Any]] = []

    def related(i: str) -> str:  # the figure and, by the edition rule, the latest round (chosen by wbbrief)
        cites = "; ".join(short_cite(bundle, f) for f in (by_id[i], newer.get(i)) if f is not None)
        return f"{figure_with_change(i, by_id, newer)}: {statement(by_id[i])} ({cites})"

    for r in bundle.recommendations:
        ids = split_list(r.figure_ids)
        related_figures = [related(i) for i in ids]
        row = {"id": r.id, "level": r.level, "title": r.title, "text": r.text, "figure_ids": ids,
               "related_figures": related_figures}  # fmt: skip
        {"principle": principles, "aim": aims}.get(r.level, main).append(row)
    pillars = [{"id": p.id, "acronym": p.acronym, "name": p.name, "focus": p.focus} for p in bundle.iisg_pillars]
    tables = [
        Table(
            "recommendations",
            "Recommendations",
            [Column("level", "Level"), Column("title", "Recommendation"), Column("text", "What it means", wide=True),
             Column("related_figures", "Related figures (selected by wbbrief)", "lines", wide=True)],
            main,
            "Based on the 2022 policy paper on cooperative security in the Western Balkans, section 5. "
            "The related figures are selected by wbbrief; the paper does not cite them for its recommendations.",
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
