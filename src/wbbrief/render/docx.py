"""A resolved brief as a Word (.docx) file, written by pandoc (the pypandoc-binary wheel ships it).

The input is a small typed structure (``WordDocument``) whose text is already final: figures are
values, provenance notes are numbered. It becomes pandoc's JSON AST, never Markdown, so no text a
user wrote is read as markup: ``**x**``, ``<w:p>`` or ``$x$`` stay literal, and there is no raw
HTML/TeX/OpenXML element to smuggle in. pandoc runs with ``--sandbox``: it reads nothing but the
reference document named on its command line and fetches nothing; charts reach it as ``data:`` URIs
(placeholders of the charts' size while the real PNGs are drawn: ``docxmedia``).

pandoc gives the Word structure (Heading 1-3, real footnotes, tables whose header row repeats, list
numbering, title/author/language properties). Afterwards, the edits it cannot make itself: the
real PNGs replace the placeholders; the SVG of each chart is added beside its PNG (Word 2016+
shows the SVG, older readers the PNG, as Word itself stores them); the picture's non-visual
description, where pandoc puts the image's source, gets the alt text instead of a data: URI;
paragraphs move from pandoc's style names to Word's built-in ones and every table row is kept
whole (``docxstyles``); the created/modified dates come from the brief's date (pandoc's sandbox
stamps 1970); and the zip is rewritten with fixed timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import field
from pathlib import Path
from typing import Any, Literal

from wbbrief.base.errors import RenderError
from wbbrief.base.record import record
from wbbrief.render.docxfile import (
    CHART_WIDTH_IN,
    check_reference_doc,
    default_reference_doc,
    draw_pngs,
    finish,
    pandoc_path,
    run_pandoc,
    svg_to_png,
    warm_up,
)
from wbbrief.render.docxmedia import pixel_size, placeholder

__all__ = [
    "check_reference_doc", "default_reference_doc", "draw_pngs", "pandoc_path", "run_pandoc", "to_docx", "warm_up",
]  # fmt: skip

# pandoc-types version of the JSON AST we write (pandoc 3.x reads it).
PANDOC_API_VERSION = [1, 23, 1, 1]
# Paragraph and character styles our reference.docx defines (pandoc's custom-style); a house
# reference.docx without them still works: pandoc then creates them based on Normal.
SOURCE_STYLE = "Source"
HEADLINE_STYLE = "Headline Figure"
HEADLINE_VALUE_STYLE = "Headline Value"


# --- The input ------------------------------------------------------------------------------------


@record
class NoteRef:
    """A reference to provenance note ``number`` (1-based, into ``WordDocument.notes``)."""

    number: int


@record
class Strong:
    """Bold text (e.g. a figure's value in a list of findings)."""

    text: str


@record
class Link:
    """A cross-reference (document.xref): its text, a hyperlink to the bookmark ``target`` (a heading's,
    a chart's or a table's id)."""

    text: str
    target: str


Inline = str | NoteRef | Strong | Link
Inlines = Sequence[Inline]


@record
class Heading:
    level: Literal[1, 2, 3]
    text: str
    id: str = ""


@record
class Paragraph:
    content: Inlines


@record
class ListBlock:
    items: Sequence[Inlines]
    ordered: bool = False


@record
class Table:
    """A data table: one header row (repeated on every page), body rows, caption and source line."""

    header: Sequence[Inlines]
    rows: Sequence[Sequence[Inlines]]
    caption: str = ""
    source: Inlines = ()
    widths: Sequence[float] = ()  # each column's share of the text width; empty: Word sizes them
    id: str = ""  # its bookmark, where a cross-reference points at it


@record
class Chart:
    """An SVG chart: embedded as a PNG rendered from it, with the SVG alongside."""

    svg: str
    alt: str
    caption: str
    source: Inlines = ()
    id: str = ""  # its bookmark, where a cross-reference points at it


Block = Heading | Paragraph | ListBlock | Table | Chart


@record
class Headline:
    """A headline figure of the cover: its value, what it measures, where, and its source."""

    value: str
    label: str
    scope: str = ""
    source: str = ""


@record
class WordDocument:
    title: str
    date: datetime.date
    subtitle: str = ""
    author: str = ""
    lang: str = "en"
    headlines: Sequence[Headline] = ()
    headlines_title: str = "At a glance"
    date_text: str = ""  # the date as the brief's language writes it; ISO 8601 when empty
    blocks: Sequence[Block] = ()
    # Provenance notes: notes[n - 1] is the text of NoteRef(n). Each reference becomes a Word
    # footnote; a note cited twice appears twice (Word numbers footnotes per reference).
    notes: Sequence[str] = ()
    meta: dict[str, str] = field(default_factory=dict)  # extra custom properties (e.g. generator)
    footer: str = ""  # the house's organisation and footer text on every page (issue 19); empty: none


# --- pandoc's JSON AST ----------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def _str(text: str) -> dict[str, Any]:
    # One Str per run of text: pandoc writes it verbatim (xml:space="preserve"), nothing is parsed.
    return {"t": "Str", "c": _WS.sub(" ", text)}


def _plain_inlines(text: str) -> list[dict[str, Any]]:
    return [_str(text)] if text else []


class _Builder:
    def __init__(self, document: WordDocument, placeholders: bool = False) -> None:
        self.document = document
        self.charts: list[tuple[str, str, str]] = []  # (png data URI, alt text, svg text)
        self.pngs: dict[str, bytes] = {}  # what pandoc gets, by SVG: each SVG is drawn once
        # With placeholders, a chart of known size reaches pandoc as a blank PNG of its size
        # (``docxmedia``), and its real PNG is put in place afterwards: these are their SVGs.
        self.placeholders = placeholders
        self.waiting: set[str] = set()

    def inlines(self, content: Inlines) -> list[dict[str, Any]]:
        if isinstance(content, str):  # a bare string is a common slip: one run of text
            return _plain_inlines(content)
        out: list[dict[str, Any]] = []
        for item in content:
            if isinstance(item, str):
                out += _plain_inlines(item)
            elif isinstance(item, Strong):
                out.append({"t": "Strong", "c": _plain_inlines(item.text)})
            elif isinstance(item, Link):  # pandoc writes an internal hyperlink to the bookmark
                out.append({"t": "Link", "c": [["", [], []], _plain_inlines(item.text), [f"#{item.target}", ""]]})
            elif isinstance(item, NoteRef):
                notes = self.document.notes
                if not 1 <= item.number <= len(notes):
                    raise RenderError(f"note {item.number} is cited but the document has {len(notes)} note(s)")
                out.append({"t": "Note", "c": [{"t": "Para", "c": _plain_inlines(notes[item.number - 1])}]})
            else:
                raise RenderError(f"not an inline element: {item!r}")
        return out

    def source(self, content: Inlines) -> list[dict[str, Any]]:
        if not content:
            return []
        para = {"t": "Para", "c": self.inlines(content)}
        return [{"t": "Div", "c": [["", [], [["custom-style", SOURCE_STYLE]]], [para]]}]

    def block(self, block: Block) -> list[dict[str, Any]]:
        if isinstance(block, Heading):
            if block.level not in (1, 2, 3):
                raise RenderError(f"heading level {block.level}: Word headings here are 1 to 3")
            return [{"t": "Header", "c": [block.level, [block.id, [], []], _plain_inlines(block.text)]}]
        if isinstance(block, Paragraph):
            return [{"t": "Para", "c": self.inlines(block.content)}]
        if isinstance(block, ListBlock):
            items = [[{"t": "Plain", "c": self.inlines(item)}] for item in block.items]
            if block.ordered:
                return [{"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], items]}]
            return [{"t": "BulletList", "c": items}]
        if isinstance(block, Table):
            return [self.table(block), *self.source(block.source)]
        if isinstance(block, Chart):
            return [self.chart(block), *self.source(block.source)]
        raise RenderError(f"not a block: {block!r}")

    def table(self, table: Table) -> dict[str, Any]:
        width = len(table.header)
        if any(len(row) != width for row in table.rows):
            raise RenderError(f"table '{table.caption}': every row needs {width} cells, as its header has")

        def cell(content: Inlines) -> list[Any]:
            return [["", [], []], {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": self.inlines(content)}]]

        def row(cells: Sequence[Inlines]) -> list[Any]:
            return [["", [], []], [cell(c) for c in cells]]

        caption = [None, [{"t": "Plain", "c": _plain_inlines(table.caption)}] if table.caption else []]
        if table.widths and (len(table.widths) != width or not 0 < sum(table.widths) <= 1.0001):
            raise RenderError(f"table '{table.caption}': {width} column widths adding up to at most 1 are needed")
        widths = [{"t": "ColWidth", "c": w} for w in table.widths] or [{"t": "ColWidthDefault"}] * width
        colspecs = [[{"t": "AlignDefault"}, w] for w in widths]
        head = [["", [], []], [row(table.header)]]
        body = [[["", [], []], 0, [], [row(r) for r in table.rows]]]
        return {"t": "Table", "c": [[table.id, [], []], caption, colspecs, head, body, [["", [], []], []]]}

    def chart(self, chart: Chart) -> dict[str, Any]:
        if chart.svg not in self.pngs:
            size = pixel_size(chart.svg) if self.placeholders else None
            if size is None:
                self.pngs[chart.svg] = svg_to_png(chart.svg)
            else:
                self.pngs[chart.svg] = placeholder(chart.svg, size)
                self.waiting.add(chart.svg)
        png = self.pngs[chart.svg]
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        self.charts.append((uri, chart.alt, chart.svg))
        # The image's inlines are its alt text: pandoc writes them to wp:docPr/@descr (Word's
        # "Alt Text"). The caption is the figure's, below the picture.
        image = {
            "t": "Image",
            "c": [["", [], [["width", f"{CHART_WIDTH_IN}in"]]], _plain_inlines(chart.alt), [uri, ""]],
        }
        caption = [None, [{"t": "Plain", "c": _plain_inlines(chart.caption)}] if chart.caption else []]
        return {"t": "Figure", "c": [[chart.id, [], []], caption, [{"t": "Plain", "c": [image]}]]}

    def cover(self) -> list[dict[str, Any]]:
        document = self.document
        if not document.headlines:
            return []
        blocks: list[dict[str, Any]] = [
            {"t": "Para", "c": [{"t": "Strong", "c": _plain_inlines(document.headlines_title)}]}
        ]
        items = []
        for headline in document.headlines:
            value = {"t": "Span", "c": [["", [], [["custom-style", HEADLINE_VALUE_STYLE]]], [_str(headline.value)]]}
            line: list[dict[str, Any]] = [value]
            if headline.scope:
                line += [{"t": "LineBreak"}, {"t": "Emph", "c": _plain_inlines(headline.scope)}]
            line += [{"t": "LineBreak"}, *_plain_inlines(headline.label)]
            if headline.source:
                line += [{"t": "LineBreak"}, {"t": "Span", "c": [["", [], []], _plain_inlines(headline.source)]}]
            items.append([{"t": "Para", "c": line}])
        blocks.append(
            {"t": "Div", "c": [["", [], [["custom-style", HEADLINE_STYLE]]], [{"t": "BulletList", "c": items}]]}
        )
        return blocks

    def meta(self) -> dict[str, Any]:
        document = self.document

        def text(value: str) -> dict[str, Any]:
            return {"t": "MetaInlines", "c": _plain_inlines(value)}

        meta = {
            "title": text(document.title),
            "date": text(document.date_text or document.date.isoformat()),
            "lang": text(document.lang),
        }
        if document.subtitle:
            meta["subtitle"] = text(document.subtitle)
        if document.author:
            meta["author"] = {"t": "MetaList", "c": [text(document.author)]}
        for key, value in document.meta.items():
            meta.setdefault(key, text(value))
        return meta

    def ast(self) -> dict[str, Any]:
        blocks = self.cover()
        for block in self.document.blocks:
            blocks += self.block(block)
        return {"pandoc-api-version": PANDOC_API_VERSION, "meta": self.meta(), "blocks": blocks}


def pandoc_ast(document: WordDocument) -> dict[str, Any]:
    """The pandoc JSON AST of ``document``, charts as PNG data: URIs: what pandoc alone would need
    (``to_docx`` gives it placeholders instead, and the PNGs afterwards)."""
    return _Builder(document).ast()


def chart_svgs(document: WordDocument) -> list[str]:
    """The SVG of every chart, each once: what ``draw_pngs`` can draw ahead, e.g. in another process."""
    return list(dict.fromkeys(block.svg for block in document.blocks if isinstance(block, Chart)))


Drawn = Mapping[str, bytes] | Callable[[], Mapping[str, bytes]]


def to_docx(document: WordDocument, reference_doc: Path | None = None, pngs: Drawn | None = None) -> bytes:
    """The .docx bytes of ``document``, styled by ``reference_doc`` (default: the package's own).

    pandoc converts the document with a placeholder for each chart while the charts are drawn:
    ``pngs`` are their PNGs by SVG (``draw_pngs``), or a call that waits for them (e.g. a worker
    process's ``Future.result``); without it they are drawn here, pandoc waiting in a thread."""
    builder = _Builder(document, placeholders=True)
    ast = builder.ast()
    if reference_doc is None:
        return _convert(ast, default_reference_doc(), document, builder, pngs)
    from wbbrief.render.reference_doc import sanitized

    with sanitized(check_reference_doc(reference_doc)) as reference:  # its look only: never media or links
        return _convert(ast, reference, document, builder, pngs)


def _convert(
    ast: dict[str, Any], reference: Path, document: WordDocument, builder: _Builder, pngs: Drawn | None
) -> bytes:
    if not builder.waiting:
        return finish(run_pandoc(ast, reference), document, builder.charts, {})
    with ThreadPoolExecutor(1, thread_name_prefix="wbbrief-pandoc") as thread:
        converted = thread.submit(run_pandoc, ast, reference)
        if pngs is None:
            drawn: Mapping[str, bytes] = draw_pngs(sorted(builder.waiting))
        else:
            drawn = pngs() if callable(pngs) else pngs
        missing = builder.waiting - set(drawn)
        if missing:
            raise RenderError(f"{len(missing)} chart(s) were not drawn")
        return finish(converted.result(), document, builder.charts, {svg: drawn[svg] for svg in builder.waiting})
