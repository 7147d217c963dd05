"""What the brief's boxes and cover hold, drawn from the same Views as the query commands: the key
findings with their headline figures, the paper's recommendations, ranking tables, the surveys,
and the country profile's sentences. Text only: composition puts it in the tree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wbbrief.dataset import countries
from wbbrief.dataset.bundle import REGION
from wbbrief.i18n import _, noun
from wbbrief.query import queries
from wbbrief.query.views import Table, shown

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.dataset.records import Figure
    from wbbrief.document.notes import Notes

# The regional brief's cover leads with one finding from each survey, where they exist.
GLANCE = ("al-closer-cooperation", "wb6-cooperation", "wb-open-balkan")


def findings_rows(
    bundle: Bundle, notes: Notes | None, code: str | None, survey: str | None, topic: str | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The key findings for a country (or the region) with their note numbers and cover headlines,
    and the view's notices other than withdrawals (the brief lists those apart)."""
    focus = countries.by_code(code) if code and code != REGION else None
    by_id = queries.figures_by_id(bundle)
    newer = queries.newer_editions(bundle)
    view = queries.findings(bundle, code, survey, topic)
    rows = []
    for row in view.tables[0].rows:
        refs_ = sorted({notes.cite(f) for f in row["cited"]}) if notes is not None else []
        rows.append({**row, "notes": refs_, **_headline(row["figure_ids"], by_id, newer, focus)})
    withdrawn = {f"Withdrawn: {w['note']}" for w in view.withdrawn}
    return rows, [n for n in view.notes if n not in withdrawn]


def glance(bundle: Bundle, code: str | None) -> list[dict[str, Any]]:
    """The cover's findings: up to three, the regional brief's chosen ones first."""
    focus = countries.by_code(code) if code and code != REGION else None
    cover, _notices = findings_rows(bundle, None, code, None, None)
    preferred = [f for i in GLANCE for f in cover if f["id"] == i] if focus is None else []
    return (preferred or cover)[:3]


def recommendation_rows(bundle: Bundle, ids: Any = ()) -> list[dict[str, Any]]:
    """The paper's recommendations, each with what its supporting figures measure."""
    by_id = queries.figures_by_id(bundle)
    rows = next(t.rows for t in queries.recommendations(bundle).tables if t.id == "recommendations")
    if ids:
        rows = [r for r in rows if r["id"] in ids]
    return [{**rec, "support_labels": [queries.statement(by_id[i]) for i in rec["figure_ids"]]} for rec in rows]


def ranking_cells(table: Table) -> tuple[list[str], list[list[str]]]:
    """A table the brief prints as it is (rankings have no shares to chart): its headers and cells."""
    columns = [c for c in table.display_columns() if c.kind != "bar"]
    headers = [_("Rank") if c.key == "position" else c.header for c in columns]
    cells = [[shown(c, row) for c in columns] for row in table.rows]  # with intervals and marks, where given
    return headers, cells


def _headline(
    figure_ids: list[str], by_id: dict[str, Figure], newer: dict[str, Figure], focus: countries.Country | None
) -> dict[str, str]:
    """A finding's big number on the cover: the focus country's own figure where the finding has
    one, otherwise its first figure, always with the place the number is about."""
    own = [i for i in figure_ids if focus is not None and by_id[i].country == focus.code]
    first = (own or figure_ids)[0]
    place = by_id[first].country
    scope = "Regional figure (Western Balkans Six)" if place == REGION else countries.name_of(place)
    return {"headline": queries.figure_text(newer.get(first, by_id[first])), "headline_scope": scope}


def profile_facts(bundle: Bundle, focus: countries.Country) -> tuple[bool, str, str]:
    """What the country profile says: whether the key findings start with the country's own
    figures, its NATO status and its EU status (as the data spell them in English)."""
    rows, _notices = findings_rows(bundle, None, focus.code, None, None)
    english = countries.english_by_code(focus.code)
    return bool(rows) and focus.code in rows[0]["countries"], english.nato_status, english.eu_status


def country_profile(focus: countries.Country, own_first: bool, nato: str, eu: str, lang: str) -> str:
    """The country profile's paragraph (its line breaks are the template macro's, which writes it
    for the page)."""
    name = focus.name
    if lang != "en":
        country = noun("country", focus.code, focus.name)  # declined and agreeing as each message asks
        if nato == "Member":
            first = _("{country} is a NATO member.", country=country)
        elif nato == "Partnership for Peace":
            first = _("{country} is in NATO's Partnership for Peace.", country=country)
        else:
            first = _("{country} is an aspirant to NATO membership.", country=country)
        if eu == "Status to be decided":
            second = _("In relation to the EU, the status of {country} is still to be decided.", country=country)
        elif eu == "In accession negotiations":
            second = _("{country} is in accession negotiations with the EU.", country=country)
        else:
            second = _("In relation to the EU: {status}.", status=focus.eu_status)
        if own_first:
            third = _(
                "In this brief's key findings, the figures that concern {country} come first, followed by the "
                "regional figures that include it.",
                country=country,
            )
        else:
            third = _(
                "None of the surveys cited reports figures for {country} alone; the figures below are "
                "comparisons across countries and regional results that include it.",
                country=country,
            )
        return f"{first}\n{second}\n{third}"
    status = (
        "a NATO member"
        if nato == "Member"
        else (
            "in NATO's Partnership for Peace" if nato == "Partnership for Peace" else "an aspirant to NATO membership"
        )
    )
    eu_text = "its status is still to be decided" if eu == "Status to be decided" else focus.eu_status.lower()
    if own_first:
        last = (
            f"In this brief's key findings, the figures that concern {name} come\n"
            "first, followed by the regional figures that include it."
        )
    else:
        last = (
            f"None of the surveys cited reports figures for {name} alone;\n"
            "the figures below are comparisons across countries and regional results that include it."
        )
    return f"{name} is {status}\nand, in relation to the EU, {eu_text}.\n{last}"


def and_list(items: list[str]) -> str:
    """'Albania, Montenegro and North Macedonia'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
