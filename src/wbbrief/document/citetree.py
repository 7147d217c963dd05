"""What a brief cites, in the tree (``document.tree`` re-exports them): the bibliography's works (issue 18)
and the figures its appendix lists (issue 21)."""

from __future__ import annotations

from wbbrief.base.record import record


@record
class Citation:
    """A work cited, as pandoc's Citation; mode NormalCitation, AuthorInText ('@key') or SuppressAuthor ('[-@key]')."""

    key: str
    mode: str = "NormalCitation"
    prefix: str = ""
    locator: str = ""  # 'p. 12'
    suffix: str = ""


@record
class Cite:
    """Citations as written ('[see @a, p. 3; @b]'); ``note``: its note in a notes style (0: none)."""

    citations: tuple[Citation, ...]
    text: str
    note: int = 0


@record
class FigureUse:
    """A figure the brief cites, for its appendix of figures: what it measures, its value as the
    brief prints it (with its interval where the data give one) and where it comes from."""

    figure_id: str
    statement: str  # 'Question: answer'
    country: str  # the country it is about, or the region, by name
    value: str
    survey: str  # the survey and its edition, as the brief names them
    page: str  # the report's page, as the paper prints it ('' where not given)
    footnote: str  # the paper's footnote ('' where none)
    note: int  # the brief's provenance note; 0: none (a figure a chart shows, cited in its source line)
