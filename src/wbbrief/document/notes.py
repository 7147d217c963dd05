"""Provenance notes: one per distinct citation (survey, edition, report page, paper footnote),
numbered in the order the brief first cites them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wbbrief.query import queries
from wbbrief.query.views import is_missing, page_ref

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.dataset.records import Figure


@dataclass
class Notes:
    """Endnotes, as they are cited; ``entries`` are what the page's template lists."""

    bundle: Bundle
    entries: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def cite(self, figure: Figure) -> int:
        user = figure.origin == "user"
        link = figure.source_url if user else None  # a user figure's own provenance
        key = (figure.survey, figure.edition, figure.source_page, figure.footnote, user, link)
        if key not in self._index:
            survey = queries.survey_row(self.bundle, figure.survey, figure.edition)
            citation = survey.citation.rstrip(".")
            if not queries.has_citation(self.bundle, figure.survey, figure.edition):
                citation = f"{survey.name} {figure.edition} (user-supplied; no citation given)"
            self._index[key] = len(self.entries) + 1
            entry = {
                "number": self._index[key],
                "survey": figure.survey,
                "citation": citation,
                "page": key[2],
                "footnote": key[3],
                "url": survey.url,
                "user": user,
                "link": link,
            }
            entry["text"] = note_text(entry)
            self.entries.append(entry)
        return self._index[key]


def note_text(note: dict[str, Any]) -> str:
    """A note as printed (the page's notes, Word's footnotes), in the language in use."""
    from wbbrief.i18n import _

    text = str(note["citation"])
    if note["page"]:
        text += f", {page_ref(note['page'])}"
    elif note["user"]:
        text += f" ({_('report page not given')})"
    else:
        text += f" ({_('report page not given in the paper')})"
    text += ".\n"
    if note["footnote"]:
        text += _("Cited in the paper's footnote {number}.", number=note["footnote"])
    if note["user"]:
        text += f" {_('User-supplied data')}" + (f": {note['link']}" if note["link"] else "") + "."
    return text


def _opt(value: Any) -> Any:
    return None if is_missing(value) else (int(value) if isinstance(value, float) else value)
