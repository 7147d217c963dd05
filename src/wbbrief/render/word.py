"""The Word writer: the tree (``document.tree``) walked straight to pandoc's JSON AST, as
``render.html`` walks it to the page. The same tree as the page's, so notes and charts are
numbered as in the PDF and the same claims are left out; nothing here reads HTML or markup.

What pandoc gets is ``WordFile.ast``; with it go what the finish step needs (``docx``): each
chart's picture as given to pandoc and its SVG, the charts still to draw, the date and the footer.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import RenderError
from wbbrief.base.record import record
from wbbrief.document import tree as t
from wbbrief.i18n import _
from wbbrief.render.wordast import NO_ATTR, PANDOC_API_VERSION, Inlines, Node, flat_text, meta, note_bodies, plain, text

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.document.model import Document
    from wbbrief.document.options import BriefOptions

# Paragraph and character styles our reference.docx defines (pandoc's custom-style); a house
# reference.docx without them still works: pandoc then creates them based on Normal.
SOURCE_STYLE = "Source"
HEADLINE_STYLE = "Headline Figure"
HEADLINE_VALUE_STYLE = "Headline Value"


@record
class WordFile:
    """A brief as pandoc gets it, and what the finish step needs that pandoc does not keep."""

    ast: dict[str, Any]
    date: datetime.date  # the file's created/modified dates and its zip timestamps
    charts: tuple[tuple[str, str, str], ...] = ()  # each picture: (data URI given to pandoc, alt text, SVG)
    waiting: frozenset[str] = frozenset()  # the SVGs that reached pandoc as placeholders, to draw
    footer: str = ""  # the house's organisation and footer text on every page (issue 19); empty: none


def word_file(document: Document, bundle: Bundle, options: BriefOptions, placeholders: bool = True) -> WordFile:
    """The document as Word sees it: title page figures, body, footnotes and properties."""
    return word_and_tree(document, bundle, options, placeholders)[0]


def word_and_tree(
    document: Document, bundle: Bundle, options: BriefOptions, placeholders: bool = True
) -> tuple[WordFile, t.Brief]:
    """Composed and written in the brief's language. With ``placeholders``, a chart of a plain
    size reaches pandoc as a blank PNG of its size (``docxmedia``), to be drawn meanwhile."""
    from wbbrief.document.compose import compose_brief
    from wbbrief.document.options import page_options
    from wbbrief.i18n import use_language
    from wbbrief.render.docxfooter import footer_text

    options = page_options(document, options)
    with use_language(options.lang or "en", options.decimal):
        tree = compose_brief(document, bundle, options)
        foot = footer_text(options.house.organisation or "", options.house.footer or "")
        return write(tree, foot, placeholders), tree


def write(
    tree: t.Brief, footer: str = "", placeholders: bool = True, draw: Callable[[t.Chart], str] | None = None
) -> WordFile:
    """The tree as pandoc's AST, in the language in use (its headers and captions). ``draw`` gives a
    chart's SVG (default: ``charts.render_svg``)."""
    from wbbrief.render.charts import render_svg

    writer = _Writer(tree, draw or render_svg, placeholders)
    ast = {"pandoc-api-version": PANDOC_API_VERSION, "meta": writer.meta(), "blocks": writer.document()}
    charts, waiting = tuple(writer.charts), frozenset(writer.waiting)
    return WordFile(ast, tree.meta.date, charts, waiting, footer)


def pandoc_ast(tree: t.Brief) -> dict[str, Any]:
    """What pandoc alone would need: the AST with every chart drawn as a PNG data: URI."""
    return write(tree, placeholders=False).ast


def _level(markdown_level: int) -> int:
    """'#' and '##' are Word's Heading 1, '###' Heading 2, deeper Heading 3."""
    return 1 if markdown_level <= 2 else 2 if markdown_level == 3 else 3


def _runs(blocks: Sequence[t.Block]) -> list[Sequence[t.Inline]]:
    """The runs of text in blocks, in reading order (what a list item shows in Word)."""
    out: list[Sequence[t.Inline]] = []
    for block in blocks:
        if isinstance(block, t.Para | t.Plain | t.Heading):
            out.append(block.content)
        elif isinstance(block, t.BulletList | t.OrderedList):
            out += [run for item in block.items for run in _runs(item)]
        elif isinstance(block, t.BlockQuote | t.Div):
            out += _runs(block.blocks)
        elif isinstance(block, t.Table):
            out += [c.content for row in (block.header, *block.rows) for c in row.cells]
    return out


def _para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def _styled(style: str, blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def _caption(text: str) -> list[Any]:
    return [None, [{"t": "Plain", "c": plain(text)}] if text else []]


Cells = Sequence[list[Node]]


class _Writer:
    """One walk of a tree: its blocks in order, the charts' pictures as it meets them."""

    def __init__(self, tree: t.Brief, draw: Callable[[t.Chart], str], placeholders: bool) -> None:
        self.tree = tree
        self.draw = draw
        self.inlines = Inlines(note_bodies(tree.notes))
        self.charts: list[tuple[str, str, str]] = []  # (png data URI, alt text, svg text)
        self.pngs: dict[str, bytes] = {}  # what pandoc gets, by SVG: each SVG is drawn once
        # With placeholders, a chart of known size reaches pandoc as a blank PNG of its size
        # (``docxmedia``), and its real PNG is put in place afterwards: these are their SVGs.
        self.placeholders = placeholders
        self.waiting: set[str] = set()

    def meta(self) -> Node:
        from wbbrief import __version__

        m = self.tree.meta
        return meta(
            self.tree, {"description": m.description, "keywords": m.keywords, "generator": f"wbbrief {__version__}"}
        )

    def document(self) -> list[Node]:
        tree = self.tree
        blocks = self.cover()
        for block in tree.blocks:
            blocks += self.block(block)
        if tree.surveys:
            header = [_("Survey"), _("Publisher"), _("Countries"), _("Where to find it")]
            rows = [
                [plain(s.name), plain(s.publisher), plain(", ".join(s.countries)), plain(s.url)] for s in tree.surveys
            ]
            blocks += [self.heading(1, _("Surveys"), "surveys"), self.table([plain(h) for h in header], rows)]
        blocks += [_para(plain(note)) for note in tree.methods_notes]  # said once (issue 17)
        return blocks + self.figures_used()

    def cover(self) -> list[Node]:
        from wbbrief.i18n import current
        from wbbrief.query.localize import localize_text

        if not self.tree.headlines:
            return []
        items = []
        for headline in self.tree.headlines:
            value = {"t": "Span", "c": [["", [], [["custom-style", HEADLINE_VALUE_STYLE]]], [text(headline.value)]]}
            line: list[Node] = [value]
            if scope := localize_text(headline.scope, current()):
                line += [{"t": "LineBreak"}, {"t": "Emph", "c": plain(scope)}]
            line += [{"t": "LineBreak"}, *plain(headline.finding)]
            if headline.source:
                line += [{"t": "LineBreak"}, {"t": "Span", "c": [NO_ATTR, plain(headline.source)]}]
            items.append([_para(line)])
        title = _para([{"t": "Strong", "c": plain(_("At a glance"))}])
        return [title, _styled(HEADLINE_STYLE, [{"t": "BulletList", "c": items}])]

    def heading(self, level: int, title: str, id_: str = "") -> Node:
        return {"t": "Header", "c": [level, [id_, [], []], plain(title)]}

    def source(self, line: str, notes: Sequence[int]) -> Node:
        """A chart's or a table's source line and its notes."""
        return _styled(SOURCE_STYLE, [_para([*plain(line), *self.inlines.notes_of(notes)])])

    def block(self, block: t.Block) -> list[Node]:
        if isinstance(block, t.Heading):
            title = flat_text(self.inlines(block.content))
            return [self.heading(_level(block.level), title, block.attr.id if block.explicit else "")]
        if isinstance(block, t.Para | t.Plain):
            return [_para(self.inlines(block.content))]
        if isinstance(block, t.BulletList | t.OrderedList):
            items = []
            for item in block.items:
                content: list[Node] = []
                for run in _runs(item):
                    if content:
                        content += plain(" ")
                    content += self.inlines(run)
                items.append([{"t": "Plain", "c": content}])
            if isinstance(block, t.OrderedList):
                return [{"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], items]}]
            return [{"t": "BulletList", "c": items}]
        if isinstance(block, t.BlockQuote | t.Div):
            return [b for child in block.blocks for b in self.block(child)]
        if isinstance(block, t.CodeBlock):
            return [_para(plain(block.text.strip()))] if block.text.strip() else []
        if isinstance(block, t.Notice):
            return [_para(plain(block.text))]
        if isinstance(block, t.Chart):
            return [self.chart(block), self.source(block.source, block.notes)]
        if isinstance(block, t.Table):
            return self.data_table(block)
        if isinstance(block, t.Findings):
            return self.findings(block)
        if isinstance(block, t.Recommendations):
            return [self.recommendations(block)]
        return []  # a horizontal rule

    def data_table(self, block: t.Table) -> list[Node]:
        if block.kind == "markdown" and not (block.caption or block.label):
            return []  # as before the tree: a Markdown table is written to Word only inside a {table}
        number = f"{_('Table {number}.', number=block.number)} " if block.number else ""  # document.xref
        caption = f"{number}{block.caption}" if block.caption else ""
        table = self.table(self.cells(block.header), [self.cells(r) for r in block.rows], caption, id_=block.label)
        if block.kind != "ranking":
            return [table]
        return [table, self.source(block.source, block.notes)]

    def cells(self, row: t.Row) -> list[list[Node]]:
        return [self.inlines(c.content) for c in row.cells]

    def table(
        self, header: Cells, rows: Sequence[Cells], caption: str = "", widths: Sequence[float] = (), id_: str = ""
    ) -> Node:
        """A table: one header row (repeated on every page), body rows and caption; ``widths`` each
        column's share of the text width (empty: Word sizes them)."""
        width = len(header)
        if any(len(row) != width for row in rows):
            raise RenderError(f"table '{caption}': every row needs {width} cells, as its header has")

        def row(cells: Cells) -> list[Any]:
            return [NO_ATTR, [[NO_ATTR, {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": c}]] for c in cells]]

        columns = [{"t": "ColWidth", "c": w} for w in widths] or [{"t": "ColWidthDefault"}] * width
        colspecs = [[{"t": "AlignDefault"}, w] for w in columns]
        head = [NO_ATTR, [row(header)]]
        body = [[NO_ATTR, 0, [], [row(r) for r in rows]]]
        return {"t": "Table", "c": [[id_, [], []], _caption(caption), colspecs, head, body, [NO_ATTR, []]]}

    def chart(self, chart: t.Chart) -> Node:
        from wbbrief.render.docxfile import CHART_WIDTH_IN, svg_to_png
        from wbbrief.render.docxmedia import pixel_size, placeholder

        svg = self.draw(chart)
        if svg not in self.pngs:
            size = pixel_size(svg) if self.placeholders else None
            if size is None:
                self.pngs[svg] = svg_to_png(svg)
            else:
                self.pngs[svg] = placeholder(svg, size)
                self.waiting.add(svg)
        uri = "data:image/png;base64," + base64.b64encode(self.pngs[svg]).decode("ascii")
        self.charts.append((uri, chart.alt, svg))
        # The image's inlines are its alt text: pandoc writes them to wp:docPr/@descr (Word's
        # "Alt Text"). The caption is the figure's, below the picture.
        image = {"t": "Image", "c": [["", [], [["width", f"{CHART_WIDTH_IN}in"]]], plain(chart.alt), [uri, ""]]}
        caption = f"{_('Figure {number}.', number=chart.number)} {chart.title}"
        return {"t": "Figure", "c": [[chart.label, [], []], _caption(caption), [{"t": "Plain", "c": [image]}]]}

    def findings(self, box: t.Findings) -> list[Node]:
        out = [_para(plain(n)) for n in box.notices]
        if box.withdrawn:
            out.append(_para(plain(_("Statements left out because the data in use no longer support them:"))))
            out.append({"t": "BulletList", "c": [[{"t": "Plain", "c": plain(n)}] for n in box.withdrawn]})
        rows = [[self.inlines(f.content), plain(f.where)] for f in box.findings]
        header = [plain(_("Finding")), plain(_("Where"))]
        return [*out, self.table(header, rows, box.caption, widths=(0.75, 0.25))]

    def recommendations(self, recs: t.Recommendations) -> Node:
        rows: list[list[list[Node]]] = []
        for rec in recs.items:
            support: list[Node] = []
            for value, label in zip(rec.support, rec.labels, strict=True):
                figure = [i for i in value if not isinstance(i, t.NoteRef)]
                notes = [i for i in value if isinstance(i, t.NoteRef)]
                support += [*(plain("; ") if support else []), *self.inlines(figure)]
                support += [*plain(f": {label}"), *self.inlines(notes)]
            title = [{"t": "Strong", "c": plain(rec.title)}, *plain(f" {rec.text}")]
            rows.append([plain(_(f"{rec.level} level")), title, support])
        header = [
            plain(_("Level")),
            plain(_("The paper's recommendation")),
            plain(_("Related figures (the paper does not cite them for this recommendation):").rstrip(":")),
        ]
        return self.table(header, rows, _("The paper's recommendations"), widths=(0.16, 0.47, 0.37))

    def figures_used(self) -> list[Node]:
        """The appendix of the figures cited, as the page has it, less its note column (Word numbers
        its footnotes itself)."""
        figures = self.tree.figures
        if not figures:
            return []
        header = [_("Question: answer"), _("Country"), _("Figure"), _("Survey"), _("Report page"), _("Paper footnote")]
        rows = [[plain(x) for x in (f.statement, f.country, f.value, f.survey, f.page, f.footnote)] for f in figures]
        caption = _("Every figure this brief cites, in the order it first cites it, with its source.")
        return [
            self.heading(1, _("Figures used in this brief"), "figures-used"),
            self.table([plain(h) for h in header], rows, caption),
        ]
