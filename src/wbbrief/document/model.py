"""The typed pieces of a parsed document, each with the place in the file it came from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from wbbrief.base.record import record

if TYPE_CHECKING:
    from markdown_it.token import Token

Severity = Literal["error", "warning"]

# Roles whose target is a figure id, and the one whose target is a property of the document's country.
FIGURE_ROLES = ("stat", "round", "latest", "change", "year", "edition", "answer", "question", "stat:margin")
# {stat:margin}`id`: the figure with its margin of error ("44% ± 3"), where the data give one (issue 17)
COUNTRY_ROLE = "country"  # {country}`name`: the document's country
COUNTRY_PROPERTIES = ("name",)
COUNTRIES_ROLE = "countries"  # {countries}`nato-members`: the Six that are NATO members, as a list
COUNTRIES_LISTS = ("nato-members",)
LATIN_ROLE = "latin"  # {latin}`SecuriMeter`: kept in Latin script when sr-Latn is transliterated (i18n.translit)
# Cross-references (document.xref): {numref}`label` ("Figure 3", "section 4"; {numref:acc}`label` a declared
# case), {ref}`label` (the target's title); either also as {numref}`see Figure %s <label>`.
XREF_ROLES = ("numref", "ref")
ROLES = (*FIGURE_ROLES, COUNTRY_ROLE, COUNTRIES_ROLE, LATIN_ROLE, *XREF_ROLES)
DIRECTIVES = ("chart", "table", "findings", "recommendations", "claim", "only", "country-profile", "notices")
# Options each directive takes: the query commands' filters (and ``view``, a query command's
# whole selection), or a block's condition. Anything else is reported.
DIRECTIVE_OPTIONS: dict[str, tuple[str, ...]] = {
    "chart": ("view", "country", "survey", "topic", "question", "name"),
    "table": ("view", "country", "survey", "topic", "question", "name"),
    "findings": ("country", "survey", "topic"),
    "recommendations": (),
    "claim": ("holds-if", "says"),
    "only": ("country", "not-country", "newer-edition", "other-figures"),
    "country-profile": (),
    "notices": (),
}
# What the body of each directive holds: ids one a line (figures, findings, recommendations),
# Markdown shown under a condition, or nothing.
DIRECTIVE_BODY: dict[str, Literal["figure", "finding", "recommendation", "markdown", "none"]] = {
    "chart": "figure",
    "table": "figure",
    "findings": "finding",
    "recommendations": "recommendation",
    "claim": "markdown",
    "only": "markdown",
    "country-profile": "none",
    "notices": "none",
}
# The views a ``:view:`` option names: the query commands whose charts the bundled brief shows.
VIEWS = ("threats", "cooperation", "other")
# Tables a ``{table}`` draws from the paper's own lists rather than from figures.
TABLE_VIEWS = ("countries", "pillars", "principles", "aims")
# Directives whose argument (the text after ```{name}) is a caption.
CAPTIONED = ("chart", "table")


@dataclass(frozen=True, order=True)
class Position:
    """1-based line and column (in characters) in the document file."""

    line: int
    col: int


@record
class Diagnostic:
    """One problem in a document: ``file:line:col: severity: message``."""

    file: str
    position: Position
    severity: Severity
    code: str  # stable, for CI: e.g. "unknown-figure", "hand-typed-number"
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.position.line}:{self.position.col}: {self.severity}: {self.message}"

    def sort_key(self) -> tuple[int, int, int, str]:
        return (self.position.line, self.position.col, 0 if self.severity == "error" else 1, self.message)


@record
class FrontMatter:
    """The document's YAML front matter, validated; ``data`` paths are resolved and inside its folder."""

    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    date: datetime.date | None = None
    lang: str | None = None
    country: str | None = None  # an ISO code (or WB6), resolved like --country
    variant: Literal["ua", "a3"] | None = None
    data: tuple[Path, ...] = ()
    level: float | None = None  # the confidence level claims and changes are tested at (issue 17; empty: 0.95)
    bibliography: tuple[Path, ...] = ()  # BibTeX, CSL-JSON or CSL-YAML files in its folder (issue 18)
    csl: Path | None = None  # a CSL style file in its folder (empty: the bundled Chicago notes style)
    # The house identity (issue 19; document.house): each None when not given.
    organisation: str | None = None
    logo: Path | None = None
    contact: str | None = None
    footer: str | None = None
    colours: tuple[tuple[str, str], ...] | None = None
    cover: Literal["full", "compact", "none"] | None = None
    toc: bool | None = None
    colophon: bool | None = None
    # Where each one-line value starts in the file, for problems found later (numbers in a title).
    where: dict[str, Position] = field(default_factory=dict, compare=False)


@record
class Located:
    """A piece of text and where it starts."""

    text: str
    position: Position


@record
class Role:
    """``{name}`target``` in the prose; ``position`` is that of the opening brace."""

    name: str
    target: str
    position: Position
    target_position: Position


@record
class Directive:
    """A fenced ```{name} block: its caption, its filter options and the ids listed in its body."""

    name: str
    position: Position  # the opening fence
    caption: Located | None = None
    country: Located | None = None
    survey: Located | None = None
    topic: Located | None = None
    question: Located | None = None
    view: Located | None = None
    holds_if: Located | None = None
    says: Located | None = None
    not_country: Located | None = None
    newer_edition: Located | None = None
    other_figures: Located | None = None
    label: Located | None = None  # ':name: label', what {numref} and {ref} refer to (document.xref)
    ids: tuple[Located, ...] = ()
    # A {claim} or {only} block's Markdown, parsed on its own with the file's line numbers.
    body: Document | None = field(default=None, compare=False, repr=False)

    @property
    def has_query(self) -> bool:
        return (
            self.name in DIRECTIVE_OPTIONS
            and self.name not in ("claim", "only")
            and any((self.country, self.survey, self.topic, self.question, self.view))
        )


@record
class Query:
    """A directive's selection, resolved against the data: what a renderer draws or tabulates."""

    name: str  # the directive
    caption: str | None = None
    view: str | None = None  # threats, cooperation or other
    country: str | None = None  # an ISO code, or WB6
    survey: str | None = None  # a survey id
    topic: str | None = None  # a topic id
    question: str | None = None  # the question as the data spells it
    ids: tuple[str, ...] = ()  # figure, finding or recommendation ids, in the document's order

    @property
    def has_filters(self) -> bool:
        return any((self.view, self.country, self.survey, self.topic, self.question))


@record
class Link:
    """A link or image destination as written, before any check."""

    kind: Literal["link", "image", "autolink", "definition"]
    destination: str
    position: Position


@record
class Number:
    """A number typed in the prose: '45%', '45 per cent', '+3 pts', '2nd', '45'."""

    text: str
    value: float
    kind: Literal["percent", "points", "ordinal", "plain"]
    position: Position


@record
class CiteSite:
    """A citation in the prose ('[@key, p. 12]', '@key'): its text and each key with its place."""

    text: str
    keys: tuple[Located, ...]
    position: Position


@record(frozen=False)
class Document:
    """A parsed document: the Markdown tokens for rendering and every located piece for checking."""

    path: Path
    source: str
    front_matter: FrontMatter
    tokens: list[Token]
    roles: list[Role] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    html: list[Located] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    citations: list[CiteSite] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # found without the data: syntax, safety

    @property
    def folder(self) -> Path:
        return self.path.parent
