"""The Word writer: the tree (``document.tree``) as a ``docx.WordDocument``, which ``docx`` turns
into pandoc's JSON AST. The same tree as the page's, so notes and charts are numbered as in the
PDF and the same claims are left out; nothing here reads HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from wbbrief.document import tree as t
from wbbrief.i18n import _
from wbbrief.render import docx

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.document.model import Document
    from wbbrief.document.options import BriefOptions


def word_document(document: Document, bundle: Bundle, options: BriefOptions) -> docx.WordDocument:
    """The document as Word sees it: title page figures, body, footnotes and properties."""
    return word_and_tree(document, bundle, options)[0]


def word_and_tree(document: Document, bundle: Bundle, options: BriefOptions) -> tuple[docx.WordDocument, t.Brief]:
    from wbbrief.document.compose import compose_brief
    from wbbrief.document.options import page_options
    from wbbrief.i18n import use_language

    options = page_options(document, options)
    with use_language(options.lang or "en", options.decimal):
        tree = compose_brief(document, bundle, options)
        from wbbrief.render.docxfooter import footer_text

        foot = footer_text(options.house.organisation or "", options.house.footer or "")
        return replace(write(tree), footer=foot), tree


def write(tree: t.Brief) -> docx.WordDocument:
    """The tree as a Word document, in the language in use (its headers and captions)."""
    from wbbrief import __version__
    from wbbrief.i18n import current
    from wbbrief.query.localize import localize_text

    blocks = [b for block in tree.blocks for b in _block(block)]
    surveys: list[list[list[docx.Inline]]] = [
        [[s.name], [s.publisher], [", ".join(s.countries)], [s.url]] for s in tree.surveys
    ]
    if surveys:
        blocks += [
            docx.Heading(1, _("Surveys"), "surveys"),
            docx.Table([[_("Survey")], [_("Publisher")], [_("Countries")], [_("Where to find it")]], surveys),
        ]
    blocks += [docx.Paragraph([note]) for note in tree.methods_notes]  # said once (issue 17)
    blocks += _figures_used(tree.figures)
    meta = tree.meta
    headlines = [docx.Headline(h.value, h.finding, localize_text(h.scope, current()), h.source) for h in tree.headlines]
    return docx.WordDocument(
        title=meta.title, subtitle=meta.subtitle, author=meta.author, date=meta.date, lang=meta.lang,
        headlines=headlines, headlines_title=_("At a glance"), date_text=meta.date_text, blocks=blocks,
        notes=[" ".join(n.text.split()) for n in tree.notes],
        meta={"description": meta.description, "keywords": meta.keywords, "generator": f"wbbrief {__version__}"},
    )  # fmt: skip


def _figures_used(figures: Sequence[t.FigureUse]) -> list[docx.Block]:
    """The appendix of the figures cited, as the page has it, less its note column (Word numbers
    its footnotes itself)."""
    if not figures:
        return []
    header = [_("Question: answer"), _("Country"), _("Figure"), _("Survey"), _("Report page"), _("Paper footnote")]
    rows = [[[f.statement], [f.country], [f.value], [f.survey], [f.page], [f.footnote]] for f in figures]
    caption = _("Every figure this brief cites, in the order it first cites it, with its source.")
    return [
        docx.Heading(1, _("Figures used in this brief"), "figures-used"),
        docx.Table([[h] for h in header], rows, caption),
    ]


def _level(markdown_level: int) -> Literal[1, 2, 3]:
    """'#' and '##' are Word's Heading 1, '###' Heading 2, deeper Heading 3."""
    return 1 if markdown_level <= 2 else 2 if markdown_level == 3 else 3


def inlines(content: Sequence[t.Inline], strong: bool = False) -> list[docx.Inline]:
    """Text, bold text and note references: Word's share of the tree's inlines."""
    out: list[docx.Inline] = []
    for item in content:
        if isinstance(item, t.Text | t.Code):
            if item.text:
                out.append(docx.Strong(item.text) if strong else item.text)
        elif isinstance(item, t.DataText | t.FigureValue | t.Cite):
            if item.text:
                out.append(item.text)
        elif isinstance(item, t.NoteRef):
            out += [docx.NoteRef(n) for n in item.numbers]
        elif isinstance(item, t.SoftBreak | t.LineBreak):
            out.append(" ")
        elif isinstance(item, t.Image):
            out.append(item.alt)
        elif isinstance(item, t.Strong):
            out += inlines(item.content, True)
        elif isinstance(item, t.Link) and (target := _reference(item)):
            out.append(docx.Link(t.plain_text(item.content), target))
        else:
            out += inlines(item.content, strong)
    return out


def _reference(link: t.Link) -> str | None:
    """The bookmark a cross-reference goes to (document.xref), or None for any other link."""
    refs = [i for i in link.content if isinstance(i, t.DataText) and i.role in ("numref", "ref")]
    if link.href and link.href.startswith("#") and len(refs) == len(link.content) == 1:
        return link.href[1:]
    return None


def _text(content: Sequence[t.Inline]) -> str:
    parts = [i if isinstance(i, str) else i.text for i in inlines(content) if not isinstance(i, docx.NoteRef)]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


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


def _cells(row: t.Row) -> list[docx.Inlines]:
    return [inlines(c.content) for c in row.cells]


def _block(block: t.Block) -> list[docx.Block]:
    if isinstance(block, t.Heading):
        return [docx.Heading(_level(block.level), _text(block.content), block.attr.id if block.explicit else "")]
    if isinstance(block, t.Para | t.Plain):
        return [docx.Paragraph(inlines(block.content))]
    if isinstance(block, t.BulletList | t.OrderedList):
        items: list[list[docx.Inline]] = []
        for item in block.items:
            content: list[docx.Inline] = []
            for run in _runs(item):
                if content:
                    content.append(" ")
                content += inlines(run)
            items.append(content)
        return [docx.ListBlock(items, ordered=isinstance(block, t.OrderedList))]
    if isinstance(block, t.BlockQuote | t.Div):
        return [b for child in block.blocks for b in _block(child)]
    if isinstance(block, t.CodeBlock):
        return [docx.Paragraph([block.text.strip()])] if block.text.strip() else []
    if isinstance(block, t.Notice):
        return [docx.Paragraph([block.text])]
    if isinstance(block, t.Chart):
        from wbbrief.render.charts import render_svg

        caption = f"{_('Figure {number}.', number=block.number)} {block.title}"
        source = [block.source, *_refs(block.notes)]
        return [docx.Chart(render_svg(block), block.alt, caption, source, block.label)]
    if isinstance(block, t.Table):
        if block.kind == "markdown" and not (block.caption or block.label):
            return []  # as before the tree: a Markdown table is written to Word only inside a {table}
        notes: list[docx.Inline] = [block.source, *_refs(block.notes)] if block.kind == "ranking" else []
        number = f"{_('Table {number}.', number=block.number)} " if block.number else ""  # document.xref
        caption = f"{number}{block.caption}" if block.caption else ""
        return [docx.Table(_cells(block.header), [_cells(r) for r in block.rows], caption, notes, id=block.label)]
    if isinstance(block, t.Findings):
        return _findings(block)
    if isinstance(block, t.Recommendations):
        return [_recommendations(block)]
    return []  # a horizontal rule


def _refs(numbers: Sequence[int]) -> list[docx.Inline]:
    return [docx.NoteRef(n) for n in numbers]


def _findings(box: t.Findings) -> list[docx.Block]:
    out: list[docx.Block] = [docx.Paragraph([n]) for n in box.notices]
    if box.withdrawn:
        out.append(docx.Paragraph([_("Statements left out because the data in use no longer support them:")]))
        out.append(docx.ListBlock([[n] for n in box.withdrawn]))
    body: list[list[docx.Inlines]] = [[inlines(f.content), [f.where]] for f in box.findings]
    out.append(docx.Table([[_("Finding")], [_("Where")]], body, box.caption, widths=(0.75, 0.25)))
    return out


def _recommendations(recs: t.Recommendations) -> docx.Table:
    rows: list[list[docx.Inlines]] = []
    for rec in recs.items:
        support: list[docx.Inline] = []
        for value, label in zip(rec.support, rec.labels, strict=True):
            figure = [i for i in value if not isinstance(i, t.NoteRef)]
            notes = [i for i in value if isinstance(i, t.NoteRef)]
            support += [*(["; "] if support else []), *inlines(figure), f": {label}", *inlines(notes)]
        rows.append([[_(f"{rec.level} level")], [docx.Strong(rec.title), f" {rec.text}"], support])
    header: list[docx.Inlines] = [
        [_("Level")],
        [_("The paper's recommendation")],
        [_("Related figures (the paper does not cite them for this recommendation):").rstrip(":")],
    ]
    return docx.Table(header, rows, _("The paper's recommendations"), widths=(0.16, 0.47, 0.37))
