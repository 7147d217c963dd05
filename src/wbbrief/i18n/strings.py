"""The interface strings that output carries today, marked for `pybabel extract` (keyword N_).

Phase B wraps the same strings in place with `_()` (the msgids are the English text, so the
catalogs stay valid); until then this list is what `make catalogs` extracts, and what the
completeness test holds every bundled language to.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (translation happens where it is shown)."""
    return message


INTERFACE = (
    # Table headers (queries.py, output.py)
    N_("Answer"),
    N_("Share"),
    N_("Statement"),
    N_("Change {base}→{latest}"),
    N_("Rank {year}"),
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
    N_("Level"),
    N_("Recommendation"),
    N_("Recommendations"),
    N_("What it means"),
    N_("Evidence"),
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
    N_("Source: {sources}"),
    N_("Sources: {sources}"),
    N_("paper footnote {numbers}"),
    N_("paper footnotes {numbers}"),
    N_("report page not given in the paper"),
    N_("—: not reported in the paper"),
    N_("user-supplied"),
    N_("user-supplied; no citation given (add it to a sources file)"),
    N_("Based on the 2022 policy paper on cooperative security in the Western Balkans, section 5."),
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
)
