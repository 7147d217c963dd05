"""The records the data stage hands up: one typed, frozen record per row of each bundled table.

A figure is a ``Figure`` from the moment its row is validated (``schema.validate_rows``) to the
writers: queries, tables, claims, ``check`` and the documents read the same record. An optional
value that the row leaves empty is ``None`` (never NaN or pandas' NA), so ``x is None`` is the
only test for a missing value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import fields
from typing import TypeVar

from wbbrief.base.record import record
from wbbrief.dataset.schema import Value


def _str(value: Value) -> str:
    return "" if value is None else str(value)


def _opt_str(value: Value) -> str | None:
    return None if value is None else str(value)


def _int(value: Value) -> int:
    return 0 if value is None else int(value)


def _opt_int(value: Value) -> int | None:
    return None if value is None else int(value)


def _opt_float(value: Value) -> float | None:
    return None if value is None else float(value)


@record
class Figure:
    """One survey figure with its provenance: a share in percent (``value``) or a position (``rank``)."""

    id: str
    survey: str
    edition: int
    country: str
    topic: str
    question: str
    answer: str
    value: float | None  # a share in percent; None for a ranking
    unit: str  # "percent" or "rank"
    rank: int | None  # None for a share
    year: int
    source_page: str | None = None  # '27' or '28-29', as the paper prints it
    footnote: int | None = None  # the paper's footnote number
    paper_section: str | None = None
    paper_figure: str | None = None
    note: str | None = None
    source_url: str | None = None  # a user figure's link or DOI
    part_of: str | None = None  # the figure whose answer this one's is part of ("of whom"), by id
    # Its uncertainty, where known (microdata, or the figure's own source): the unweighted base, the
    # standard error in percentage points, the interval, its level, the design effect and the method.
    n: int | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float | None = None
    deff: float | None = None
    ci_method: str | None = None
    origin: str = "bundled"  # "bundled" or "user"

    @classmethod
    def from_row(cls, row: Mapping[str, Value]) -> Figure:
        """From a validated row (``schema.validate_rows``); the row's ``origin`` where it has one."""
        return cls(
            id=_str(row.get("id")), survey=_str(row.get("survey")), edition=_int(row.get("edition")),
            country=_str(row.get("country")), topic=_str(row.get("topic")), question=_str(row.get("question")),
            answer=_str(row.get("answer")), value=_opt_float(row.get("value")), unit=_str(row.get("unit")),
            rank=_opt_int(row.get("rank")), year=_int(row.get("year")),
            source_page=_opt_str(row.get("source_page")), footnote=_opt_int(row.get("footnote")),
            paper_section=_opt_str(row.get("paper_section")), paper_figure=_opt_str(row.get("paper_figure")),
            note=_opt_str(row.get("note")), source_url=_opt_str(row.get("source_url")),
            part_of=_opt_str(row.get("part_of")),
            n=_opt_int(row.get("n")), se=_opt_float(row.get("se")), ci_low=_opt_float(row.get("ci_low")),
            ci_high=_opt_float(row.get("ci_high")), ci_level=_opt_float(row.get("ci_level")),
            deff=_opt_float(row.get("deff")), ci_method=_opt_str(row.get("ci_method")),
            origin=_str(row.get("origin")) or "bundled",
        )  # fmt: skip

    @property
    def is_user(self) -> bool:
        return self.origin == "user"


@record
class CountrySample:
    """One country's sample in an edition, where the survey reports its sample by country (issue 17)."""

    country: str
    sample_size: int
    design_effect: float | None
    sample_page: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Value]) -> CountrySample:
        return cls(
            country=_str(row.get("sample_country")), sample_size=_int(row.get("sample_size")),
            design_effect=_opt_float(row.get("design_effect")), sample_page=_opt_str(row.get("sample_page")),
        )  # fmt: skip


@record
class Survey:
    """One edition of a survey, as the paper (or the user's sources file) cites it."""

    id: str
    name: str
    short_name: str
    edition: int
    edition_label: str | None
    publisher: str
    authors: str | None
    published: int | None
    title: str
    url: str | None
    countries: str  # ';'-separated country codes
    citation: str
    note: str | None
    origin: str = "bundled"
    # Where the edition's report states them (issue 17): its respondents and design effect, and the page.
    sample_size: int | None = None
    design_effect: float | None = None
    sample_page: str | None = None
    # Its samples country by country, where the report gives them (rows with a sample_country).
    samples: tuple[CountrySample, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Value], samples: Iterable[Mapping[str, Value]] = ()) -> Survey:
        return cls(
            id=_str(row.get("id")), name=_str(row.get("name")), short_name=_str(row.get("short_name")),
            edition=_int(row.get("edition")), edition_label=_opt_str(row.get("edition_label")),
            publisher=_str(row.get("publisher")), authors=_opt_str(row.get("authors")),
            published=_opt_int(row.get("published")), title=_str(row.get("title")), url=_opt_str(row.get("url")),
            countries=_str(row.get("countries")), citation=_str(row.get("citation")), note=_opt_str(row.get("note")),
            origin=_str(row.get("origin")) or "bundled", sample_size=_opt_int(row.get("sample_size")),
            design_effect=_opt_float(row.get("design_effect")), sample_page=_opt_str(row.get("sample_page")),
            samples=tuple(CountrySample.from_row(r) for r in samples),
        )  # fmt: skip


@record
class CountryRow:
    code: str
    name: str
    local_name: str
    aliases: str | None
    nato_status: str
    eu_status: str

    @classmethod
    def from_row(cls, row: Mapping[str, Value]) -> CountryRow:
        return cls(
            _str(row.get("code")), _str(row.get("name")), _str(row.get("local_name")), _opt_str(row.get("aliases")),
            _str(row.get("nato_status")), _str(row.get("eu_status")),
        )  # fmt: skip


@record
class Finding:
    """A statement about the figures: its text holds ``{figure-id}`` placeholders."""

    id: str
    countries: str  # ';'-separated country codes (or WB6)
    topic: str
    text: str
    figure_ids: str  # ';'-separated
    holds_if: str | None  # the condition under which it stands (``claims``)

    @classmethod
    def from_row(cls, row: Mapping[str, Value]) -> Finding:
        return cls(
            _str(row.get("id")), _str(row.get("countries")), _str(row.get("topic")), _str(row.get("text")),
            _str(row.get("figure_ids")), _opt_str(row.get("holds_if")),
        )  # fmt: skip


@record
class Recommendation:
    id: str
    level: str  # strategic, operational, principle or aim
    title: str
    text: str
    figure_ids: str | None  # ';'-separated

    @classmethod
    def from_row(cls, row: Mapping[str, Value]) -> Recommendation:
        return cls(
            _str(row.get("id")), _str(row.get("level")), _str(row.get("title")), _str(row.get("text")),
            _opt_str(row.get("figure_ids")),
        )  # fmt: skip


@record
class Pillar:
    id: str
    acronym: str
    name: str
    focus: str

    @classmethod
    def from_row(cls, row: Mapping[str, Value]) -> Pillar:
        return cls(_str(row.get("id")), _str(row.get("acronym")), _str(row.get("name")), _str(row.get("focus")))


FIGURE_FIELDS = tuple(f.name for f in fields(Figure))

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def group_by(records: Iterable[R], key: Callable[[R], K]) -> dict[K, list[R]]:
    """Records grouped by a key, groups in the order their first record comes, records in theirs."""
    groups: dict[K, list[R]] = {}
    for item in records:
        groups.setdefault(key(item), []).append(item)
    return groups
