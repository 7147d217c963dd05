"""Citations: a survey's citation row, its label, and the source line under a table or chart."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, cast

from wbbrief.constants import active_translator
from wbbrief.data import Bundle
from wbbrief.views import is_missing, page_ref

if TYPE_CHECKING:
    import pandas as pd

    from wbbrief.records import FigureRow


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


def _page_key(page: str) -> int:
    return int(re.split(r"\D", page)[0])


def cite(label: str, pages: list[str], footnotes: list[int]) -> str:
    """'Albanian Security Barometer 2022, p. 27 (paper footnote 26)': one survey edition's pages and
    the paper's footnotes, as every source line and provenance note writes them."""
    text = label
    if len(pages) == 1:
        text += f", {page_ref(pages[0])}"
    elif pages:
        listed = ", ".join(p.replace("-", "–") for p in pages)
        t = active_translator()
        text += ", " + (t.gettext("pp. {pages}", pages=listed) if t else f"pp. {listed}")
    if footnotes:
        text += f" (paper footnote{'s' if len(footnotes) > 1 else ''} {', '.join(map(str, footnotes))})"
    return text


def source_line(bundle: Bundle, figures: pd.DataFrame) -> str:
    """'Source: Albanian Security Barometer 2022, p. 27 (paper footnote 26)' for a set of figures."""
    parts = []
    for (survey, edition), group in figures.groupby(["survey", "edition"], sort=False):
        pages = sorted({str(p) for p in group["source_page"] if not is_missing(p)}, key=_page_key)
        notes = sorted({int(n) for n in group["footnote"] if not is_missing(n)})
        text = cite(survey_label(bundle, str(survey), edition), pages, notes)
        if group["source_page"].isna().any():
            text += "; report page not given in the paper" if pages else " (report page not given in the paper)"
        if (group.get("origin") == "user").any():
            links = sorted({str(u) for u in group.get("source_url", []) if not is_missing(u)})
            text += f" [user-supplied{': ' if links else ''}{', '.join(links)}]"
        parts.append(text)
    return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts)


def short_cite(bundle: Bundle, figure: FigureRow) -> str:
    """'ASB 2022, p. 27, fn. 26' for one figure row."""
    text = f"{survey_row(bundle, figure['survey'])['short_name']} {int(figure['edition'])}"
    if not is_missing(figure["source_page"]):
        text += f", {page_ref(figure['source_page'])}"
    if not is_missing(figure["footnote"]):
        number = int(cast(int, figure["footnote"]))
        t = active_translator()
        text += ", " + (t.gettext("fn. {number}", number=number) if t else f"fn. {number}")
    if figure.get("origin") == "user":
        t = active_translator()
        text += ", " + (t.gettext("user-supplied") if t else "user-supplied")
    return text
