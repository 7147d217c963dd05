"""Provenance notes: one per distinct citation (survey, edition, report page, paper footnote),
numbered in the order the brief first cites them."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any

from wbbrief.base.record import record
from wbbrief.query import queries
from wbbrief.query.values import is_missing, page_ref

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.dataset.records import Figure


@record(frozen=False)
class Notes:
    """Endnotes, as they are cited; ``entries`` are what the page's template lists."""

    bundle: Bundle
    entries: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def cite(self, figure: Figure) -> int:
        user = figure.origin == "user"
        link = figure.source_url if user else None  # a user figure's own provenance
        # A user figure with a margin of error (microdata, or a stated sample) gets a note of its own
        # that gives its interval and base; the paper's figures have none (it states no sample sizes).
        sample = _sample(self.bundle, figure) if user else None
        key: tuple[Any, ...] = (figure.survey, figure.edition, figure.source_page, figure.footnote, user, link)
        key += (figure.id,) if sample else ()
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
                "sample": sample,
                "edition": figure.edition,
                "short": f"{survey.short_name or survey.name} {figure.edition}",  # later notes: 'ASB 2022'
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
    if note.get("sample"):
        sample = str(note["sample"])
        text += f" {sample[0].upper()}{sample[1:]}."  # a sentence of its own
    return text


def _sample(bundle: Bundle, figure: Figure) -> str | None:
    """'95% confidence interval 34.0–39.8 (logit), n = 10,337' for a user figure with a margin of
    error, in the language in use; None where it has none."""
    from wbbrief.base.constants import active_translator
    from wbbrief.i18n import _
    from wbbrief.query.uncertainty import level_text, margin
    from wbbrief.query.values import decimal

    found = margin(bundle.surveys, figure)
    if found is None:
        return None
    level, low, high = level_text(found.level), decimal(found.low), decimal(found.high)
    if found.method == "from-n":
        return _("{level} confidence interval {low}–{high}, approximate (from the sample size)",
                 level=level, low=low, high=high)  # fmt: skip
    t = active_translator()
    n = "" if figure.n is None else (str(t.number(figure.n)) if t else f"{figure.n:,}")
    text = _("{level} confidence interval {low}–{high} ({method})", level=level, low=low, high=high,
             method=found.method or "?")  # fmt: skip
    return f"{text}, n = {n}" if n else text


def _opt(value: Any) -> Any:
    return None if is_missing(value) else (int(value) if isinstance(value, float) else value)
