"""Citations: a survey's citation row, its label, and the source line under a table or chart."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from wbbrief.base.constants import active_translator
from wbbrief.dataset.bundle import Bundle
from wbbrief.dataset.records import Figure, Survey, group_by
from wbbrief.query.values import page_ref


@functools.lru_cache(maxsize=8)
def _surveys(bundle: Bundle) -> tuple[dict[str, Survey], dict[tuple[str, int], Survey]]:
    """Survey rows by id (the first, bundled edition) and by (id, edition)."""
    first: dict[str, Survey] = {}
    editions: dict[tuple[str, int], Survey] = {}
    for s in bundle.surveys:
        first.setdefault(s.id, s)
        editions[(s.id, s.edition)] = s
    return first, editions


def survey_row(bundle: Bundle, survey: str, edition: int | None = None) -> Survey:
    """The citation row of a survey, of the given edition where the data has one."""
    first, editions = _surveys(bundle)
    if edition is not None and (survey, edition) in editions:
        return editions[(survey, edition)]
    return first[survey]


def has_citation(bundle: Bundle, survey: str, edition: int) -> bool:
    return (survey, edition) in _surveys(bundle)[1]


def survey_label(bundle: Bundle, survey: str, edition: int) -> str:
    """'Albanian Security Barometer 2022'."""
    return f"{survey_row(bundle, survey).name} {edition}"


def _page_key(page: str) -> int:
    return int(re.split(r"\D", page)[0])


def with_pages(label: str, pages: Sequence[str]) -> str:
    """'ASB 2022, p. 27' or 'ASB 2022, pp. 24, 27' (ranges with an en dash), in the language in use;
    the label alone without pages."""
    if len(pages) == 1:
        return f"{label}, {page_ref(pages[0])}"
    if not pages:
        return label
    listed = ", ".join(p.replace("-", "–") for p in pages)
    t = active_translator()
    return f"{label}, " + (t.gettext("pp. {pages}", pages=listed) if t else f"pp. {listed}")


def cite(label: str, pages: list[str], footnotes: list[int]) -> str:
    """'Albanian Security Barometer 2022, p. 27 (paper footnote 26)': one survey edition's pages and
    the paper's footnotes, as every source line and provenance note writes them."""
    text = with_pages(label, pages)
    if footnotes:
        text += f" (paper footnote{'s' if len(footnotes) > 1 else ''} {', '.join(map(str, footnotes))})"
    return text


def source_line(bundle: Bundle, figures: Sequence[Figure]) -> str:
    """'Source: Albanian Security Barometer 2022, p. 27 (paper footnote 26)' for a set of figures."""
    parts = []
    for (survey, edition), group in group_by(figures, lambda f: (f.survey, f.edition)).items():
        pages = sorted({f.source_page for f in group if f.source_page is not None}, key=_page_key)
        notes = sorted({f.footnote for f in group if f.footnote is not None})
        text = cite(survey_label(bundle, survey, edition), pages, notes)
        if any(f.source_page is None for f in group):
            text += "; report page not given in the paper" if pages else " (report page not given in the paper)"
        if any(f.origin == "user" for f in group):
            links = sorted({f.source_url for f in group if f.source_url is not None})
            text += f" [user-supplied{': ' if links else ''}{', '.join(links)}]"
        parts.append(text)
    return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts)


def short_cite(bundle: Bundle, figure: Figure) -> str:
    """'ASB 2022, p. 27, fn. 26' for one figure (the abbreviations in the language in use)."""
    text = f"{survey_row(bundle, figure.survey).short_name} {figure.edition}"
    if figure.source_page is not None:
        text += f", {page_ref(figure.source_page)}"
    t = active_translator()
    if figure.footnote is not None:
        text += ", " + (t.gettext("fn. {number}", number=figure.footnote) if t else f"fn. {figure.footnote}")
    if figure.origin == "user":
        text += ", " + (t.gettext("user-supplied") if t else "user-supplied")
    return text
