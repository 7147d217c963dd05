"""The interface strings that output carries today, marked for `pybabel extract` (keyword N_).

Phase B wraps the same strings in place with `_()` (the msgids are the English text, so the
catalogs stay valid); until then this list is what `make catalogs` extracts, and what the
completeness test holds every bundled language to.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (translation happens where it is shown)."""
    return message


INTERFACE: tuple[str, ...] = (
    # Table headers (queries.py, output.py)
    N_("Answer"),
    N_("Share"),
    N_("Statement"),
    N_("Change {base}→{latest}"),
    N_("Rank {year}"),
    N_("Rank"),
    N_("Country"),
    N_("Countries"),
    N_("Coverage"),
    N_("Finding"),
    N_("Where"),
    N_("Source"),
    N_("Sources"),
    N_("Survey"),
    N_("Publisher"),
    N_("Figure"),
    N_("Figures"),
    N_("Paper footnotes"),
    N_("Citation"),
    N_("Note"),
    N_("Notes"),
    N_("Question: answer"),
    N_("Quoted: {text}"),  # a statement as the item's wording, in the language's own quotation marks
    N_("Level"),
    N_("Recommendation"),
    N_("Recommendations"),
    N_("What it means"),
    N_("Related figures (selected by wbbrief)"),
    N_("Principle"),
    N_("Aim"),
    N_("Pillar"),
    N_("Name"),
    N_("Focus"),
    # Table titles
    N_("Key findings"),
    N_("Key findings: {country}"),
    N_("By country: {survey}"),
    N_("By country, {label}: {name}"),
    N_("Survey figures"),
    N_("Principles of a cooperative security system"),
    N_("Aims of the system's mechanisms"),
    N_("The IISG's three pillars"),
    # Cells and source lines
    N_("polled"),
    N_("not polled"),
    N_("not reported in the paper"),
    N_("Source: {sources}"),
    N_("Sources: {sources}"),
    N_("p. {page}"),
    N_("pp. {pages}"),
    N_("fn. {number}"),
    N_("paper footnote {numbers}"),
    N_("paper footnotes {numbers}"),
    N_("report page not given in the paper"),
    N_("—: not reported in the paper"),
    N_("user-supplied"),
    N_("user-supplied; no citation given (add it to a sources file)"),
    N_(
        "Based on the 2022 policy paper on cooperative security in the Western Balkans, section 5. "
        "The related figures are selected by wbbrief; the paper does not cite them for its recommendations."
    ),
    N_("Paper, section {section}."),
    N_("strategic"),
    N_("operational"),
    N_("principle"),
    N_("aim"),
    # Notes
    N_("Note: "),
    N_("No findings match these filters."),
    N_("No figures match these filters."),
    N_("{survey} {edition} did not poll {country}."),
    N_("The surveys report no findings for {country} alone; showing the regional ones."),
    N_("Not shown at this width: {columns} (--format csv or json has every round)."),
    # Language notes (i18n)
    N_("Not yet translated into {language}, shown in English: {items}."),
    N_(
        "The questions and answers are our translation: the surveys' official wording in this language "
        "is not given in the paper."
    ),
    # The live preview's notice over the page (render/preview.py)
    N_("The document has an error"),
    N_("Below is the last version without errors; the page updates when the error is fixed."),
    N_("The page appears when the document has no more errors."),
    # The brief's shell (templates/*.j2, document.compose)
    N_("Policy brief"),
    N_("At a glance"),
    N_(
        "Every figure in this brief is taken from public surveys as reported in a policy paper on "
        "cooperative security in the Western Balkans, with the survey, the page of the original report "
        "and the paper's footnote given in the notes."
    ),
    N_("Produced with wbbrief {version}."),
    N_("Contents"),
    N_("Notes and sources"),
    N_("Back to the text"),  # an endnote's back-link, for a screen reader (issue 18)
    N_(
        "Figures are as reported in the 2022 policy paper on cooperative security in the Western "
        "Balkans. Each note gives the original survey report, the page of that report, and the paper's "
        "own footnote."
    ),
    N_("The paper does not report sample sizes; margins of error are not shown for its figures."),
    N_("report page not given"),
    N_("Cited in the paper's footnote {number}."),
    N_("User-supplied data"),
    N_("Surveys"),
    N_("Where to find it"),
    N_("This brief includes user-supplied data, marked as such in the notes:"),
    N_("Produced with wbbrief {version} on {date}."),
    N_("Every number in the prose is filled in from the data, never typed by hand."),
    N_("Every number in the prose is filled in from the data or cited to its published source."),
    N_("The prose is wbbrief's own; numbers in it are filled in from the bundled data, never typed by hand."),
    N_("Figure {number}."),
    N_("Table {number}."),  # a table's caption, where the document refers to a table by number (document.xref)
    N_("Statements left out because the data in use no longer support them:"),
    N_("Key findings for {country}"),
    N_("NATO"),
    N_("European Union"),
    N_("Initiative"),
    N_("The paper's recommendation"),
    N_("The paper's recommendations"),
    N_("Related figures (the paper does not cite them for this recommendation):"),
    N_("{country} is a NATO member."),
    N_("{country} is in NATO's Partnership for Peace."),
    N_("{country} is an aspirant to NATO membership."),
    N_("In relation to the EU, the status of {country} is still to be decided."),
    N_("{country} is in accession negotiations with the EU."),
    N_("In relation to the EU: {status}."),
    N_(
        "In this brief's key findings, the figures that concern {country} come first, followed by the regional "
        "figures that include it."
    ),
    N_(
        "None of the surveys cited reports figures for {country} alone; the figures below are "
        "comparisons across countries and regional results that include it."
    ),
    N_("strategic level"),
    N_("operational level"),
    N_("Cooperative Security in the Western Balkans"),
    N_("What the public thinks, and what governments should do"),
    N_("Country focus: {country}"),
    N_("Western Balkans Six"),
    N_("Regional figure (Western Balkans Six)"),
    N_("Western Balkans"),
    N_("security"),
    N_("public opinion"),
    N_("regional cooperation"),
    N_("WBSF"),
    N_("IISG"),
    # Chart alt text (charts.py)
    N_("Bar chart."),
    N_("Line chart."),
    N_("{value} in {round}"),
    N_("no figure"),
    N_("{measure}, by country"),
)


# Why a country's own figures are missing (tables.no_figures_note): by topic, by whether one survey was
# asked for, and by whether regional figures stand in. Country first, so no language has to decline it.
NO_FIGURES = {
    ("threat-perception", False, True): N_("{country}: the surveys report no threat-perception figures."),
    ("threat-perception", False, False): N_(
        "{country}: the surveys report no threat-perception figures for this country alone; showing the "
        "regional ({region}) figures that include it."
    ),
    ("threat-perception", True, True): N_("{country}: {survey} reports no threat-perception figures."),
    ("threat-perception", True, False): N_(
        "{country}: {survey} reports no threat-perception figures for this country alone; showing the "
        "regional ({region}) figures that include it."
    ),
    ("cooperation", False, True): N_("{country}: the surveys report no cooperation figures."),
    ("cooperation", False, False): N_(
        "{country}: the surveys report no cooperation figures for this country alone; showing the "
        "regional ({region}) figures that include it."
    ),
    ("cooperation", True, True): N_("{country}: {survey} reports no cooperation figures."),
    ("cooperation", True, False): N_(
        "{country}: {survey} reports no cooperation figures for this country alone; showing the "
        "regional ({region}) figures that include it."
    ),
}
INTERFACE = (*INTERFACE, *NO_FIGURES.values())
