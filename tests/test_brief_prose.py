"""The brief's sentences against the paper: the facts and citations an editor found wrong, the
claims the paper does not make, and what the brief must not leave out. Rendered as HTML (the
same template and context as the PDF), read as text."""

from __future__ import annotations

import datetime as dt
import functools
import html as html_lib
import re
from pathlib import Path
from typing import Any

import pytest

from wbbrief.dataset import countries
from wbbrief.dataset.loading import load_bundle
from wbbrief.document.content import glance
from wbbrief.query import queries
from wbbrief.render import brief
from wbbrief.render.charts import charts_for

DAY = dt.date(2022, 12, 1)
CODES = [c.code for c in countries.all_countries()]


@functools.cache
def _html(country: str | None) -> str:
    return brief.render_html(load_bundle(), brief.BriefOptions(date=DAY, country=country), for_print=False)


def _text(country: str | None) -> str:
    body = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", _html(country), flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _cover(country: str | None) -> str:
    html = _html(country)
    section = html[html.index('<section class="cover">') : html.index("</section>")]
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", section)).split())


# --- wrong facts and citations ------------------------------------------------------------------


def _iri_charts() -> dict[str, str]:
    table = next(t for t in queries.cooperation(load_bundle()).tables if t.id == "iri-by-country")
    return {chart.id: chart.source for chart in charts_for(table)}


def test_each_by_country_chart_cites_only_the_figures_it_draws() -> None:
    sources = _iri_charts()
    assert sources == {
        "iri-by-country-tensions": "Source: IRI Western Balkans Regional Survey 2022, p. 152 (paper footnote 33)",
        "iri-by-country-open-balkan": "Source: IRI Western Balkans Regional Survey 2022, p. 132 (paper footnote 35)",
    }


def test_the_by_country_table_cites_each_column_separately() -> None:
    table = next(t for t in queries.cooperation(load_bundle()).tables if t.id == "iri-by-country")
    assert table.source == (
        "Sources: Responsibility for ethnic tensions: parties and leaders — IRI Western Balkans Regional Survey "
        "2022, p. 152 (paper footnote 33); Open Balkan initiative: support — IRI Western Balkans Regional "
        "Survey 2022, p. 132 (paper footnote 35). —: not reported in the paper"
    )
    assert "pp. 132, 152" not in _text(None)


@pytest.mark.parametrize("view", ["threats", "cooperation"])
def test_every_table_source_cites_exactly_the_footnotes_of_its_rows(view: str) -> None:
    bundle = load_bundle()
    by_id = queries.figures_by_id(bundle)
    for table in getattr(queries, view)(bundle).tables:
        ids = [i for r in table.rows for i in [r.get("figure_id"), *r.get("figure_ids", [])] if i]
        if not ids:
            continue
        cited = {int(n) for n in re.findall(r"\d+", " ".join(re.findall(r"footnotes? ([\d, ]+)", table.source)))}
        shown = {n for i in ids if (n := by_id[i].footnote) is not None}
        assert cited == shown, (table.id, table.source)


def test_the_war_item_says_what_the_paper_says() -> None:
    text = _text("AL")
    assert "36% think, in the paper's words, that “the war will not expand to involve other countries”" in text
    assert "spread to other countries" not in text


@pytest.mark.parametrize("code", CODES)
def test_a_country_cover_leads_with_its_own_figures_or_says_they_are_regional(code: str) -> None:
    context = {"glance": glance(load_bundle(), code)}
    by_id = queries.figures_by_id(load_bundle())
    name = countries.by_code(code).name
    assert context["glance"]
    for finding in context["glance"]:
        own = [i for i in finding["figure_ids"] if by_id[i].country == code]
        if own:
            assert finding["headline"] == queries.figure_text(by_id[own[0]]), finding["id"]
            assert finding["headline_scope"] == name
        else:
            assert finding["headline_scope"] == "Regional figure (Western Balkans Six)", finding["id"]


def test_kosovo_cover_shows_kosovo_support_for_open_balkan() -> None:
    cover = _cover("XK")
    assert "42% Kosovo" in cover
    assert "75% " not in cover.split("Majorities support")[0]  # Serbia's figure is not Kosovo's headline
    assert "Regional figure (Western Balkans Six)" in cover


def test_the_regional_cover_says_whose_figure_each_headline_is() -> None:
    cover = _cover(None)
    assert "79.6% Albania" in cover and "70% Regional figure (Western Balkans Six)" in cover
    assert "75% Serbia" in cover


# --- claims the paper does not make --------------------------------------------------------------

NOT_IN_THE_PAPER = [
    "moved up to second place",
    "still heads the list",
    "now comes second",
    "better than they have been for years",
    "made the cost of that gap plain",
    "cross-border",
    "standing forum",
    "is how trust is built",
    "so that no one has to guess",
    "We recommend",
    "Unlike collective defence",
    "not directed against any particular state",
    "blamed more than the peoples",
    "far ahead of any other field",
    "a sign of how far the war in Ukraine",
    # review of 2026-11-30 (E1-E10): a rank over two rows, a reversal, a changed meaning, an attribution
    "answer given most often for the second",
    "most often put in second place",
    "now outnumber",
    "whatever disputes remain open",
    "decisions must be taken together",
    "That engagement has focused on political elites",
    "reports for the region as a whole",
    "asks which fields that cooperation should cover",
    "an Integrative Internal Security Governance oriented",
]


@pytest.mark.parametrize("country", [None, *CODES])
def test_no_brief_makes_a_claim_the_paper_does_not(country: str | None) -> None:
    text = _text(country)
    found = [phrase for phrase in NOT_IN_THE_PAPER if phrase.casefold() in text.casefold()]
    assert not found


def test_the_ukraine_inference_is_the_papers_hedged_reading_of_the_regional_shift() -> None:
    text = _text(None)
    regional = text.index("feeling of security rose from 22%")
    hedge = text.index("“seems to have had”")
    assert regional < hedge < regional + 300


def test_only_the_albanian_survey_ranks_fields_of_cooperation_and_mutual_insecurity_is_not_blame() -> None:
    text = _text(None)
    assert "only the Albanian Security Barometer, as the paper reports it, gives shares by field" in text
    assert "the region's peoples feeling insecure about one another" in text


def test_principles_are_two_and_the_four_aims_stand_side_by_side() -> None:
    view = queries.recommendations(load_bundle())
    tables = {t.id: t.rows for t in view.tables}
    assert [p["title"] for p in tables["principles"]] == ["Sovereign equality", "Consensus"]
    assert [a["title"] for a in tables["aims"]] == [
        "Confidence building", "Transparency", "Information exchange", "Joint responses",
    ]  # fmt: skip
    assert "first of all" not in " ".join(a["text"] for a in tables["aims"])
    assert "climate change" in tables["aims"][-1]["text"]


def test_recommendations_are_attributed_to_the_paper() -> None:
    text = _text(None)
    assert "The paper turns these conclusions and the public support documented above into two recommendations" in text
    assert text.count("The paper's recommendation · strategic level") == 1
    wbsf = next(r for r in queries.recommendations(load_bundle()).tables[0].rows if r["id"] == "wbsf")
    assert wbsf["text"].startswith("The paper proposes") and "“can build trust”" in wbsf["text"]


# --- what the brief must not leave out -----------------------------------------------------------

REGIONAL = [
    "can hardly be called cooperative security of any kind",  # the verdict on today's mechanisms
    "“zero sum game serves no one”",
    "equality, respect and openness",
    "unconditional, aimed at solving problems and based on results",
    "uneven positions towards NATO and the EU",  # the asymmetry argument
    "about a fifth of their exports and a tenth of their imports",
    "a lack of mutual trust",
    "introduced in 2017",
    "“at the very beginning”",
    "came close to a renewed war",
    "arms purchases",
    "appointed a special envoy",
    "fewer people expect their personal security to improve",
    "NATO the best example",
]
INSECURITY = {
    "BA": "the dysfunction of the state and the lasting tensions in Bosnia and Herzegovina",
    "ME": "the sharpened domestic political disputes in Montenegro",
    "MK": "the problems of identity in North Macedonia",
    "RS": "the unresolved conflict between Serbia and Kosovo",
    "XK": "the unresolved conflict between Serbia and Kosovo",
}


@pytest.mark.parametrize("phrase", REGIONAL)
def test_the_regional_brief_carries_the_papers_argument(phrase: str) -> None:
    assert phrase in _text(None)


@pytest.mark.parametrize("code", sorted(INSECURITY))
def test_each_country_brief_names_its_sources_of_insecurity(code: str) -> None:
    text = _text(code)
    focus = text[text.index(f"in the surveys {countries.by_code(code).name} is") :]
    assert INSECURITY[code] in focus[: focus.index("Threat perception")]


# --- the review of 2026-11-30 -------------------------------------------------------------------


def test_war_as_second_threat_is_the_papers_placing_not_a_rank_over_two_rows() -> None:
    finding = next(f for f in load_bundle().findings if f.id == "al-war-second")
    assert "most often" not in finding.text and "the paper places it immediately after corruption" in finding.text
    assert finding.holds_if is not None
    assert "rank(asb-threat-second-war)" not in finding.holds_if  # two second-place rows rank nothing
    for country in (None, "AL", "BA"):
        assert "name war with other countries; the paper places it immediately after corruption" in _text(country)


def test_the_highly_unfavourable_share_is_part_of_the_negative_one() -> None:
    text = _text("RS")
    assert "80% a negative one, including 40% a highly unfavourable one" in text
    assert "80% a negative one, 40%" not in text


def test_sovereign_equality_holds_despite_the_disputes_and_consensus_is_a_should() -> None:
    text = _text(None)
    assert "on the basis of sovereign equality despite the political disputes still unresolved" in text
    assert "decisions should be taken together, by consensus" in text


def test_recommendation_figures_are_labelled_as_not_the_papers_evidence() -> None:
    text = _text(None)
    # The page names no tool (issue 19), but still says the paper does not cite these figures.
    label = "Related figures (the paper does not cite them for this recommendation):"
    assert text.count(label) == 2  # one per recommendation box
    view = queries.recommendations(load_bundle())
    table = next(t for t in view.tables if t.id == "recommendations")
    assert [c.header for c in table.columns][-1] == "Related figures (selected by wbbrief)"
    assert "the paper does not cite them" in table.source and "Evidence" not in [c.header for c in table.columns]


def test_the_country_profile_points_to_the_key_findings_not_to_the_sections_below() -> None:
    for country in ("BA", "XK", "ME", "MK"):
        text = _text(country)
        assert "come first below" not in text
        assert "In this brief's key findings, the figures that concern" in text


RANK_THEN_NOTE = re.compile(r'\d(?:st|nd|rd|th|\.)(?:</span>)?<a class="noteref"')


@pytest.mark.parametrize("lang", ["en", "sq"])
def test_a_ranks_note_never_sits_on_the_rank(run: Any, tmp_path: Path, lang: str) -> None:
    # '2.' then note 12 reads as the decimal '2.12' once the superscript is lost (text, screen readers)
    out = tmp_path / "brief.html"
    assert run("export-html", "--lang", lang, "--date", "2022-12-01", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert not RANK_THEN_NOTE.findall(page)
    # The IISG box's ranked concern, as a place ('2nd place', '2. në renditje'): never '2.:' (review, 2nd reading)
    assert re.search(r"<li>2(?:nd place|\. në renditje): [^<]*<a class=\"noteref\"", page)
    assert "<li>2.:" not in page and "<li>2nd:" not in page


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl", "bs", "mk", "hr", "cnr"])
def test_a_ranked_related_figure_reads_as_a_place(run: Any, tmp_path: Path, lang: str) -> None:
    """'2.:' (an ordinal, then the label's colon) is what no editor writes; the bullet says the place."""
    out = tmp_path / "brief.html"
    assert run("export-html", "--lang", lang, "--date", "2022-12-01", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<li>2.:" not in page
    assert re.search(r"<li>2\. (?:mesto|mjesto|место): ", page)
