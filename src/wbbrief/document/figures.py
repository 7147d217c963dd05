"""The figures a document can cite: the data's own records (``dataset.records.Figure``), indexed
for ``check`` and the documents (by id, by the text prose would show, by survey and edition).

Read from the bundle as every command reads it (bundled, merged with the user's ``--data``).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from pathlib import Path

from wbbrief.base.record import record
from wbbrief.dataset.records import Figure, Survey
from wbbrief.query.citations import cite
from wbbrief.query.editions import later_rounds
from wbbrief.query.values import change, number


@record(eq=False)
class FigureIndex:
    """Figures by id, surveys by id and edition, and the finding and recommendation ids."""

    figures: dict[str, Figure]
    surveys: dict[tuple[str, int], Survey]
    findings: tuple[str, ...]
    recommendations: tuple[str, ...]

    def suggest(self, wrong: str, kind: str = "figure") -> str | None:
        """The nearest id of that kind, for 'did you mean'."""
        pool: Iterable[str] = {
            "figure": self.figures,
            "finding": self.findings,
            "recommendation": self.recommendations,
        }[kind]
        near = difflib.get_close_matches(wrong, list(pool), n=1, cutoff=0.6)
        return near[0] if near else None

    def survey(self, figure: Figure) -> Survey | None:
        first = next((s for (sid, _), s in self.surveys.items() if sid == figure.survey), None)
        return self.surveys.get((figure.survey, figure.edition), first)

    def topics(self) -> list[str]:
        return list(dict.fromkeys(f.topic for f in self.figures.values()))

    def questions(self) -> list[str]:
        return list(dict.fromkeys(f.question for f in self.figures.values()))

    def survey_ids(self) -> dict[str, str]:
        """Every way to name a survey (id, name, short name; case and spaces ignored) → its id."""
        names: dict[str, str] = {}
        for s in self.surveys.values():
            for name in (s.id, s.name, s.short_name):
                names[name.casefold().replace(" ", "")] = s.id
        return names

    @functools.cached_property
    def by_text(self) -> dict[tuple[str, float], list[str]]:
        """Figure ids by what prose would show: ('percent', 39.3) and ('rank', 1)."""
        found: dict[tuple[str, float], list[str]] = {}
        for f in self.figures.values():
            if f.unit == "percent" and f.value is not None:
                found.setdefault(("percent", round(f.value, 6)), []).append(f.id)
            elif f.rank is not None:
                found.setdefault(("rank", float(f.rank)), []).append(f.id)
        return found

    @property
    def records(self) -> dict[str, Figure]:
        """The figures a claim's condition is checked on (``claims``), by id."""
        return self.figures

    @functools.cached_property
    def claim_records(self) -> dict[str, Figure]:
        """As ``queries.claim_figures``: each figure, or its latest edition where one is loaded."""
        return self.figures | self._newer

    @functools.cached_property
    def _newer(self) -> dict[str, Figure]:
        return later_rounds(self.figures.values())

    def latest(self, figure_id: str) -> Figure | None:
        """The same answer in the latest loaded later edition, if any (see ``newer_editions``)."""
        return self._newer.get(figure_id)

    def note(self, figure: Figure) -> str:
        """A provenance note: 'Albanian Security Barometer 2022, p. 27 (paper footnote 26).'"""
        survey = self.survey(figure)
        user = figure.origin == "user"
        label = f"{survey.name if survey else figure.survey} {figure.edition}"
        footnotes = [figure.footnote] if figure.footnote is not None and not user else []
        text = cite(label, [figure.source_page] if figure.source_page else [], footnotes)
        return text + (" [user-supplied]" if user else "") + "."


def newer_editions(figures: Iterable[Figure]) -> dict[str, Figure]:
    """For each figure from an edition's own round, the same answer in the newest later edition:
    the one rule of ``editions.later_rounds``."""
    return later_rounds(figures)


def change_text(old: Figure, new: Figure) -> str:
    """'+1.7 pts' from one edition's share to another's."""
    assert old.value is not None and new.value is not None
    return change(round(new.value - old.value, 6))


def value_text(value: float) -> str:
    return number(value)


@functools.cache
def load_index(data: tuple[Path, ...] = ()) -> FigureIndex:
    """The bundled figures, merged with the user's files as ``--data`` merges them everywhere."""
    from wbbrief.dataset.loading import load_bundle

    bundle = load_bundle(data)
    return FigureIndex(
        figures={f.id: f for f in bundle.figures},
        surveys={(s.id, s.edition): s for s in bundle.surveys},
        findings=tuple(f.id for f in bundle.findings),
        recommendations=tuple(r.id for r in bundle.recommendations),
    )
