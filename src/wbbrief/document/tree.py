"""The composed brief as one typed tree: what a document says once it is resolved against the data.

Composition (``document.compose``) makes it; writers walk it (``render.html`` for the page and the
PDF, ``render.word`` for pandoc's JSON AST). The split follows pandoc's: blocks hold blocks or
inlines, and an ``Attr`` (id, classes, key-value pairs) marks what a writer may style. Every value
is final: claims are decided, ``{only}`` blocks kept or left out, figures are text, notes, charts
and tables are numbered. A writer adds no number and reads no markup.

Text comes in three kinds, because the page has always escaped them apart: ``Text`` is what the
author typed, ``DataText`` a value a role filled in from the data, ``FigureValue`` a figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from wbbrief.base.record import record
from wbbrief.document.citetree import Citation as Citation  # a work cited, and where (issue 18)
from wbbrief.document.citetree import Cite as Cite
from wbbrief.document.citetree import FigureUse as FigureUse  # a figure cited, for the appendix (issue 21)

# --- inlines ----------------------------------------------------------------------------------


@record
class Attr:
    """pandoc's Attr: an identifier, classes and key-value pairs."""

    id: str = ""
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()


@record
class Text:
    """Prose as the author wrote it."""

    text: str


@record
class DataText:
    """A value a role filled in from the data or the document's country (a name, a year, an answer)."""

    text: str
    role: str = ""


@record
class FigureValue:
    """A figure in prose: its id and its text as the brief prints it ('45%', '45% (+3 pts)')."""

    figure_id: str
    text: str


@record
class NoteRef:
    """References to provenance notes, ascending and distinct (1-based, into ``Brief.notes``)."""

    numbers: tuple[int, ...]


@record
class Code:
    text: str


@record
class SoftBreak:
    pass


@record
class LineBreak:
    pass


@record
class Emph:
    content: tuple[Inline, ...]


@record
class Strong:
    content: tuple[Inline, ...]


@record
class Strikeout:
    content: tuple[Inline, ...]


@record
class Span:
    attr: Attr
    content: tuple[Inline, ...]


@record
class Link:
    """A link; ``href`` None: a destination refused (only its text is kept)."""

    href: str | None
    content: tuple[Inline, ...]


@record
class Image:
    """An image from the document's folder as a data: URI; ``src`` None: refused (its alt text shows)."""

    src: str | None
    alt: str


Inline = (
    Text | DataText | FigureValue | NoteRef | Cite | Code | SoftBreak | LineBreak | Emph | Strong | Strikeout | Span
    | Link | Image
)  # fmt: skip


# --- blocks -----------------------------------------------------------------------------------


@record
class Heading:
    """A heading; ``attr.id`` is the author's '{#id}' or a slug of its text (``explicit`` says which)."""

    level: int
    attr: Attr
    content: tuple[Inline, ...]
    explicit: bool = False

    @property
    def listed(self) -> bool:
        """Whether the contents list it: every '##', and a '###' the author gave an id."""
        return self.level == 2 or (self.level == 3 and self.explicit)


@record
class Para:
    content: tuple[Inline, ...]


@record
class Plain:
    """A paragraph of a tight list item (no paragraph of its own, as in pandoc)."""

    content: tuple[Inline, ...]


@record
class BulletList:
    items: tuple[tuple[Block, ...], ...]


@record
class OrderedList:
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@record
class BlockQuote:
    blocks: tuple[Block, ...]


@record
class CodeBlock:
    text: str


@record
class HorizontalRule:
    pass


@record
class Cell:
    content: tuple[Inline, ...]
    align: str = ""  # "", "left", "center" or "right"


@record
class Row:
    cells: tuple[Cell, ...]
    attr: Attr = Attr()  # class "focus": the document's country


@record
class Table:
    """A table, the author's ("markdown") or drawn from the data, with caption, source and notes."""

    kind: str
    caption: str
    header: Row
    rows: tuple[Row, ...]
    source: str = ""
    notes: tuple[int, ...] = ()
    number: int = 0  # 'Table n.' where the document refers to a table by number (document.xref), else 0
    label: str = ""  # the author's label (':name:'), its anchor
    figure_ids: tuple[str, ...] = ()  # the figures a table drawn from the data shows (its "Data" link)


@record
class Bar:
    """One bar (or one line, in a series chart) of a chart, as charts.Bar."""

    label: str
    value: float | None
    earlier: float | None = None
    note: str = ""
    highlight: bool = False
    series: tuple[float | None, ...] = ()
    interval: tuple[float, float] | None = None  # a whisker (issue 17), only where the data give one
    earlier_interval: tuple[float, float] | None = None
    parts: tuple[Bar, ...] = ()  # answers within this one ("of whom"), drawn inside it
    series_intervals: tuple[tuple[float, float] | None, ...] = ()  # a series chart's whiskers, by round


@record
class Chart:
    """A numbered chart: its data, never its drawing (a writer draws it)."""

    number: int
    id: str
    title: str  # the caption's text, after 'Figure n.'
    source: str
    alt: str  # every value it draws, in words
    bars: tuple[Bar, ...]
    legend: tuple[str, str] | None = None
    rounds: tuple[str, ...] = ()
    notes: tuple[int, ...] = ()  # the notes of the figures it draws
    label: str = ""  # the author's label (':name:'), its anchor (document.xref)
    figure_ids: tuple[str, ...] = ()  # the figures it draws, in its order (its "Data" link)


@record
class Finding:
    content: tuple[Inline, ...]  # the statement and its note references
    where: str


@record
class Findings:
    """The key findings box: notices, the statements withdrawn, and the findings."""

    caption: str
    findings: tuple[Finding, ...]
    notices: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    focus: str | None = None  # the document's country, by name
    focus_code: str | None = None  # and by code (its forms in a language come from the labels)


@record
class Recommendation:
    level: str  # "Regional", "National", ... as the data spell it
    title: str
    text: str
    support: tuple[tuple[Inline, ...], ...]  # each supporting figure: its value and notes
    labels: tuple[str, ...]  # what each supporting figure measures


@record
class Recommendations:
    items: tuple[Recommendation, ...]


@record
class Notice:
    """A notice about the data (an edition missing, a figure withdrawn)."""

    text: str


@record
class Div:
    """A box of blocks, with its kind in ``attr.classes`` (e.g. "country-profile")."""

    attr: Attr
    blocks: tuple[Block, ...]


Block = (
    Heading | Para | Plain | BulletList | OrderedList | BlockQuote | CodeBlock | HorizontalRule | Table | Chart
    | Findings | Recommendations | Notice | Div
)  # fmt: skip


# --- the shell --------------------------------------------------------------------------------


@record
class Note:
    """A provenance note: one per distinct citation, numbered in citing order."""

    number: int
    text: str  # as printed: 'Citation, p. 27.\nCited in the paper's footnote 26.'
    citation: str
    page: object = None
    footnote: object = None
    url: str | None = None
    user: bool = False
    link: str | None = None
    survey: str = ""  # the survey it cites, by id
    literature: bool = False  # a citation of a work in the document's bibliography (issue 18)
    content: tuple[Inline, ...] = ()  # its text as the citation style formats it


@record
class Headline:
    """A headline figure of the cover: its value, its place, the finding and its source."""

    value: str
    scope: str
    finding: str
    source: str


@record
class Survey:
    name: str
    publisher: str
    countries: tuple[str, ...]
    url: str


@record
class Meta:
    title: str
    subtitle: str
    author: str
    date: datetime.date
    date_text: str
    lang: str
    keywords: str
    description: str
    focus: str | None = None  # the document's country, by name
    focus_code: str | None = None


@record
class Brief:
    """A composed brief: its cover and properties, its body, its notes and the surveys it cites."""

    meta: Meta
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = ()
    headlines: tuple[Headline, ...] = ()
    surveys: tuple[Survey, ...] = ()
    data_notes: tuple[str, ...] = ()  # the user's data files' own notes
    language_notes: tuple[str, ...] = ()
    own_prose: bool = False  # a user's document, not a bundled brief as shipped
    methods_notes: tuple[str, ...] = ()  # e.g. that the paper's figures come without margins of error
    figures: tuple[FigureUse, ...] = ()  # every figure it cites, in citing order (the appendix)


# --- reading a tree ---------------------------------------------------------------------------


def plain_text(content: Sequence[Inline], notes: bool = False) -> str:
    """The text of inlines: images as nothing (or their alt text if refused), breaks as newlines;
    with ``notes``, note references as their numbers ('1,2'), as the page shows them."""
    out: list[str] = []
    for item in content:
        if isinstance(item, Text | DataText | FigureValue | Code | Cite):
            out.append(item.text)
        elif isinstance(item, SoftBreak | LineBreak):
            out.append("\n")
        elif isinstance(item, NoteRef):
            out.append(",".join(str(n) for n in item.numbers) if notes else "")
        elif isinstance(item, Image):
            out.append(item.alt if item.src is None else "")
        else:
            out.append(plain_text(item.content, notes))
    return "".join(out)


def sections(brief: Brief) -> dict[str, tuple[Block, ...]]:
    """The body cut at its headings: each heading's text (or 'cover' before the first) and its blocks."""
    found: dict[str, list[Block]] = {}
    name = "cover"
    for block in brief.blocks:
        if isinstance(block, Heading) and block.level in (2, 3):
            name = " ".join(plain_text(block.content).split())
            found.setdefault(name, [])
            continue
        found.setdefault(name, []).append(block)
    return {k: tuple(v) for k, v in found.items()}
