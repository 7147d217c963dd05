"""The figures a document can cite, as typed records read without pandas.

``wbbrief check`` must cost no more than a query command, so this reads the validated records
of ``wbbrief.dataset.bundle`` (bundled, merged with the user's ``--data``) instead of DataFrames.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from wbbrief.dataset.schema import Value
from wbbrief.query.citations import cite
from wbbrief.query.editions import later_rounds
from wbbrief.query.views import change, number, ordinal, percent


@dataclass(frozen=True)
class FigureRecord:
    """One survey figure with its provenance: a share (``value``) or a position (``rank``)."""

    id: str
    survey: str
    edition: int
    country: str
    topic: str
    question: str
    answer: str
    value: float | None
    unit: str
    rank: int | None
    year: int
    source_page: str | None
    footnote: int | None
    origin: str  # "bundled" or "user"

    @property
    def text(self) -> str:
        """As prose shows it: '39.3%' for a share, '1st' for a rank (as the query commands do)."""
        return percent(self.value) if self.unit == "percent" else ordinal(self.rank)


@dataclass(frozen=True)
class SurveyRecord:
    id: str
    name: str
    short_name: str
    edition: int


def _str(value: Value) -> str:
    return "" if value is None else str(value)


def _opt_int(value: Value) -> int | None:
    return None if value is None else int(value)


def _figure(row: dict[str, Value]) -> FigureRecord:
    value = row.get("value")
    page = row.get("source_page")
    return FigureRecord(
        id=_str(row["id"]), survey=_str(row["survey"]), edition=int(row["edition"] or 0),
        country=_str(row["country"]), topic=_str(row["topic"]), question=_str(row["question"]),
        answer=_str(row["answer"]), value=None if value is None else float(value), unit=_str(row["unit"]),
        rank=_opt_int(row.get("rank")), year=int(row["year"] or 0),
        source_page=None if page is None else str(page), footnote=_opt_int(row.get("footnote")),
        origin=_str(row.get("origin")) or "bundled",
    )  # fmt: skip


@dataclass(frozen=True, eq=False)
class FigureIndex:
    """Figures by id, surveys by id and edition, and the finding and recommendation ids."""

    figures: dict[str, FigureRecord]
    surveys: dict[tuple[str, int], SurveyRecord]
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

    def survey(self, figure: FigureRecord) -> SurveyRecord | None:
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

    @functools.cached_property
    def records(self) -> dict[str, dict[str, object]]:
        """Figures as the mappings a claim's condition is checked on (``claims``)."""
        return {i: dataclasses.asdict(f) for i, f in self.figures.items()}

    @functools.cached_property
    def claim_records(self) -> dict[str, dict[str, object]]:
        """As ``queries.claim_figures``: each figure, or its latest edition where one is loaded."""
        return self.records | {i: self.records[f.id] for i, f in self._newer.items()}

    @functools.cached_property
    def _newer(self) -> dict[str, FigureRecord]:
        return newer_editions(self.figures.values())

    def latest(self, figure_id: str) -> FigureRecord | None:
        """The same answer in the latest loaded later edition, if any (see ``newer_editions``)."""
        return self._newer.get(figure_id)

    def note(self, figure: FigureRecord) -> str:
        """A provenance note: 'Albanian Security Barometer 2022, p. 27 (paper footnote 26).'"""
        survey = self.survey(figure)
        user = figure.origin == "user"
        label = f"{survey.name if survey else figure.survey} {figure.edition}"
        footnotes = [figure.footnote] if figure.footnote is not None and not user else []
        text = cite(label, [figure.source_page] if figure.source_page else [], footnotes)
        return text + (" [user-supplied]" if user else "") + "."


def newer_editions(figures: Iterable[FigureRecord]) -> dict[str, FigureRecord]:
    """For each figure from an edition's own round, the same answer in the newest later edition:
    the one rule of ``editions.later_rounds``, on these records."""
    by_id = {f.id: f for f in figures}
    newer = later_rounds(dataclasses.asdict(f) for f in by_id.values())
    return {fid: by_id[str(latest["id"])] for fid, latest in newer.items()}


def change_text(old: FigureRecord, new: FigureRecord) -> str:
    """'+1.7 pts' from one edition's share to another's."""
    assert old.value is not None and new.value is not None
    return change(round(new.value - old.value, 6))


def value_text(value: float) -> str:
    return number(value)


@functools.cache
def load_index(data: tuple[Path, ...] = ()) -> FigureIndex:
    """The bundled figures, merged with the user's files as ``--data`` merges them everywhere."""
    from wbbrief.dataset import bundle as bundle_data
    from wbbrief.dataset import loading

    tables = bundle_data.read_bundled_tables()
    for table in ("figures", "surveys"):
        for row in tables[table]:
            row["origin"] = "bundled"
    if data:
        loading.merge_user_data(tables, data)
    surveys = {
        (_str(s["id"]), int(s["edition"] or 0)): SurveyRecord(
            _str(s["id"]), _str(s["name"]), _str(s["short_name"]), int(s["edition"] or 0)
        )
        for s in tables["surveys"]
    }
    return FigureIndex(
        figures={_str(r["id"]): _figure(r) for r in tables["figures"]},
        surveys=surveys,
        findings=tuple(_str(r["id"]) for r in tables["findings"]),
        recommendations=tuple(_str(r["id"]) for r in tables["recommendations"]),
    )
