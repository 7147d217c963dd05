"""Editions: which rounds of a question are compared, and a figure's later rounds (one rule for
tables, findings, charts, prose and documents)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from wbbrief.dataset.bundle import Bundle
from wbbrief.dataset.records import Figure
from wbbrief.query.values import ordinal, percent


def paper_edition(bundle: Bundle, survey: str) -> int | None:
    """The edition of a survey that the 2022 paper cites (None for a survey only the user supplies)."""
    return next((s.edition for s in bundle.surveys if s.id == survey and s.origin == "bundled"), None)


def compared_rounds(years: Iterable[int], paper_year: int | None) -> tuple[int, int]:
    """THE rule for which rounds of a question are compared, in tables, findings, charts and prose:
    the paper's own round against the latest one; where no later round exists (or the paper has
    none), the first round against the latest."""
    ordered = sorted(set(years))
    latest = ordered[-1]
    base = paper_year if paper_year in ordered and paper_year is not None and paper_year < latest else ordered[0]
    return base, latest


def figure_text(figure: Figure) -> str:
    """A figure as prose shows it: '39.3%' for a share, '1st' for a rank."""
    return percent(figure.value) if figure.unit == "percent" else ordinal(figure.rank)


def figure_with_change(figure_id: str, by_id: Mapping[str, Figure], newer: Mapping[str, Figure]) -> str:
    """'39.3%', or '39.3% in 2022 and 41% in 2027' where a later round asked the same question
    (the paper's round against the latest: ``compared_rounds``)."""
    figure = by_id[figure_id]
    later = newer.get(figure_id)
    if later is None or later.unit != figure.unit:
        return figure_text(figure)
    return f"{figure_text(figure)} in {figure.year} and {figure_text(later)} in {later.year}"


def figures_by_id(bundle: Bundle) -> dict[str, Figure]:
    """Every figure by id (ids are unique: a user figure replaces a bundled one).
    A fresh dict each call (callers may add to it); built once per bundle."""
    return dict(_figures_by_id(bundle))


@functools.lru_cache(maxsize=8)  # a Bundle hashes by identity
def _figures_by_id(bundle: Bundle) -> dict[str, Figure]:
    return {f.id: f for f in bundle.figures}


def newer_editions(bundle: Bundle) -> dict[str, Figure]:
    """For each figure from an edition's own round, the same answer in the newest later edition."""
    return later_rounds(bundle.figures)


def later_rounds(figures: Iterable[Figure]) -> dict[str, Figure]:
    """THE rule for later editions (``newer_editions`` and documents use it): among figures from an
    edition's own round (same survey, country, question, answer and unit), each maps to the newest
    later one."""
    series: dict[tuple[str, str, str, str, str], list[Figure]] = {}
    for f in figures:
        if f.year == f.edition:  # a round reported by its own edition
            series.setdefault((f.survey, f.country, f.question, f.answer, f.unit), []).append(f)
    newer: dict[str, Figure] = {}
    for rounds in series.values():
        latest = max(rounds, key=lambda f: f.edition)
        for f in rounds:
            if f.edition < latest.edition:
                newer[f.id] = latest
    return newer
