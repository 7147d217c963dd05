"""The HTML writer: the tree (``document.tree``) as the brief's page, for the browser and for
WeasyPrint.

The page's shell (head, cover, contents, notes) is the sandboxed Jinja2 template
``brief.html.j2``; its body is the tree, written here. The author's Markdown is written as
markdown-it writes it (so a page is what it has always been, byte for byte); the boxes, charts
and data tables go through the template's macros, fed with the tree's data.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Any

from wbbrief.base.record import record
from wbbrief.document import tree as t
from wbbrief.render import charts, datalinks

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.document.model import Document
    from wbbrief.document.options import BriefOptions


@record
class Heading:
    """A heading the contents list."""

    level: int
    id: str
    text: str


def render_page(document: Document, bundle: Bundle, options: BriefOptions, for_print: bool) -> str:
    """The whole page: the template's shell around the document's body."""
    page, _brief = page_and_tree(document, bundle, options, for_print)
    return page


def page_and_tree(document: Document, bundle: Bundle, options: BriefOptions, for_print: bool) -> tuple[str, t.Brief]:
    """The page, and the tree it was written from (``render --watch`` compares trees)."""
    from markupsafe import Markup

    from wbbrief.document.compose import compose_brief
    from wbbrief.document.options import page_options
    from wbbrief.i18n import use_language
    from wbbrief.render import brief as templates

    options = page_options(document, options)
    with use_language(options.lang or "en", options.decimal):
        tree = compose_brief(document, bundle, options)
        env = environment(options)
        writer = Writer(templates.macros(env), for_print, data=_data(document, bundle, for_print))
        context = shell_context(tree, bundle, options, for_print)
        context["body"] = Markup(writer.body(tree.blocks))
        context["headings"] = writer.headings
        return templates.render_template(env, context), tree


def _data(document: Document, bundle: Bundle, for_print: bool) -> Any:
    """The figures behind the "Data" links: on screen only (a print has the appendix instead)."""
    if for_print:
        return None
    from wbbrief.render.datalinks import FiguresTable

    return FiguresTable(bundle, document.front_matter.level or 0.95)


def render_body(
    document: Document, bundle: Bundle, options: BriefOptions, for_print: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """The body alone and the notes it cites, as ``render_page`` writes them (for tests)."""
    from wbbrief.document.compose import compose_brief
    from wbbrief.i18n import use_language
    from wbbrief.render import brief as templates

    with use_language(options.lang or "en", options.decimal):
        tree = compose_brief(document, bundle, options)
        body = Writer(templates.macros(environment(options)), for_print).body(tree.blocks)
    return body, [_entry(n) for n in tree.notes]


def environment(options: BriefOptions) -> Any:
    """The templates' environment with the strings and number formats of the language in use."""
    from wbbrief.i18n import current
    from wbbrief.query.localize import localize_text
    from wbbrief.render import brief as templates

    tr = current()
    env = templates.environment(options.template_dir)
    env.globals["_"] = tr.gettext
    env.globals["noun"] = tr.noun  # a name with the forms the catalog's messages ask for (i18n.nouns)
    env.filters["loc"] = lambda text: localize_text(str(text), tr)
    env.globals["lang"] = tr.language.tag  # the macros module is loaded without the page's context
    env.globals["csp"] = datalinks.policy  # the page's Content-Security-Policy, for its stylesheet
    return env


def _entry(note: t.Note) -> dict[str, Any]:
    fields = ("number", "survey", "citation", "page", "footnote", "url", "user", "link", "text")
    entry = {name: getattr(note, name) for name in fields} | {"backlink": True}  # cited once, at ref-<number>
    if note.literature:  # a work of the bibliography, as its style formats it (issue 18)
        from markupsafe import Markup

        entry |= {"literature": True, "html": Markup(Writer(None, False).inlines(note.content))}
    return entry


def shell_context(tree: t.Brief, bundle: Bundle, options: BriefOptions, for_print: bool) -> dict[str, Any]:
    """What the page's shell shows: the tree's cover, notes and surveys, and (for a house
    template) ``fig``, a figure with its note, numbered after the tree's."""
    from markupsafe import Markup, escape

    from wbbrief import __version__
    from wbbrief.document.notes import Notes
    from wbbrief.i18n import current
    from wbbrief.query import queries
    from wbbrief.query.localize import translate_bundle
    from wbbrief.render import identity

    bundle = translate_bundle(bundle, current())
    notes = Notes(bundle)
    for note in tree.notes:  # the tree's notes, so that a house template's fig() numbers on from them
        notes.entries.append(_entry(note))

    def fig(figure_id: str, change: bool = True) -> Any:
        from wbbrief.base.errors import RenderError

        by_id, newer = queries.figures_by_id(bundle), queries.newer_editions(bundle)  # only if a template asks
        if figure_id not in by_id:
            raise RenderError(f"the brief cites a figure that is not in the data: '{figure_id}'")
        numbers = [notes.cite(by_id[figure_id])]
        if change and figure_id in newer:
            numbers.append(notes.cite(newer[figure_id]))
        text = queries.figure_with_change(figure_id, by_id, newer) if change else queries.figure_text(by_id[figure_id])
        return Markup(f"{escape(text)}{refs(numbers, anchor=False)}")

    meta = tree.meta
    return {
        "title": meta.title, "subtitle": meta.subtitle, "author": meta.author, "date_text": meta.date_text,
        "created": f"{meta.date.isoformat()}T00:00:00Z", "lang": meta.lang, "keywords": meta.keywords,
        "description": meta.description, "version": __version__, "for_print": for_print,
        "focus": {"name": meta.focus, "code": meta.focus_code} if meta.focus else None,
        "glance": [{"headline": h.value, "headline_scope": h.scope, "finding": h.finding, "source": h.source}
                   for h in tree.headlines],
        "surveys": [{"survey": s.name, "publisher": s.publisher, "countries": list(s.countries), "url": s.url}
                    for s in tree.surveys],
        "notes": notes, "data_notes": list(tree.data_notes), "language_notes": list(tree.language_notes),
        "methods_notes": list(tree.methods_notes),
        "fig": fig, "fig_only": lambda figure_id: fig(figure_id, change=False),
        "body": "", "headings": [], "own_prose": tree.own_prose, "figures": list(tree.figures),
        "cites_works": any(n.literature for n in tree.notes) or any(  # outside numbers may be cited (issue 18)
            isinstance(b, t.Div) and "references" in b.attr.classes for b in tree.blocks),
        "house": identity.context(options.house),  # organisation, logo, cover, colours (issue 19)
    }  # fmt: skip


def refs(numbers: Sequence[int], anchor: bool = True) -> str:
    """Note references, with a comma between adjacent ones so '21' and '22' never read as '2122';
    ``anchor``: each with the id its note's back-link points to (the tree cites every note once)."""
    links = []
    for n in sorted(set(numbers)):
        anchored = f' id="ref-{n}"' if anchor else ""
        links.append(f'<a class="noteref"{anchored} href="#note-{n}"><sup>{n}</sup></a>')
    return "<sup>,</sup>".join(links)


def escape_md(text: str) -> str:
    """As markdown-it escapes the author's text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- the writer ---------------------------------------------------------------------------------


@record(frozen=False)
class _Tok:
    """A token as markdown-it's renderer sees it, for writing the author's Markdown as it does."""

    tag: str = ""
    nesting: int = 0
    hidden: bool = False
    attrs: tuple[tuple[str, str], ...] = ()
    html: str | None = None  # written as it is: inline content, or a rule's output
    inline: bool = False


@record(frozen=False)
class Writer:
    macros: Any
    for_print: bool
    headings: list[Heading] = field(default_factory=list)
    data: datalinks.FiguresTable | None = None  # the "Data" links' figures (on screen only)

    def link(self, figure_ids: Sequence[str], name: str) -> dict[str, Any] | None:
        return self.data.link(figure_ids, name) if self.data is not None else None

    def body(self, blocks: Sequence[t.Block]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, block: t.Block) -> str:

        m = self.macros
        if isinstance(block, t.Para):
            return f"<p>{self.inlines(block.content)}</p>\n"
        if isinstance(block, t.Chart):
            return str(m.chart_figure(charts.DrawnChart(block, self.link(block.figure_ids, block.id)), self.for_print))
        if isinstance(block, t.Table) and block.kind != "markdown":
            return self.data_table(block)
        if isinstance(block, t.Findings):
            rows = [{"finding": t.plain_text(f.content), "notes": _numbers(f.content), "where": f.where}
                    for f in block.findings]  # fmt: skip
            focus = {"name": block.focus, "code": block.focus_code} if block.focus else None
            return str(m.summary_box(rows, focus, list(block.notices), list(block.withdrawn)))
        if isinstance(block, t.Recommendations):
            return "".join(str(m.recommendation(self.recommendation(r))) for r in block.items)
        if isinstance(block, t.Notice):
            return str(m.notices([block.text]))
        if isinstance(block, t.Div) and "country-profile" in block.attr.classes:
            facts = dict(block.attr.pairs)  # the macro writes the paragraph, from the profile's facts
            focus = {"name": facts["country"], "code": facts["code"], "eu_status": facts["eu-status"]}
            return str(m.country_profile(focus, bool(facts["own-first"]), facts["nato"], facts["eu"]))
        tokens: list[_Tok] = []
        self.tokens(block, tokens)
        return _write(tokens)

    def recommendation(self, rec: t.Recommendation) -> dict[str, Any]:
        from markupsafe import Markup

        # The value, then its label, then the note: a rank's note after the label, so '2.' and '12'
        # never meet as '2.12' (nor '2nd' and '12' as '2nd12').
        values = [Markup(self.inlines([i for i in s if not isinstance(i, t.NoteRef)])) for s in rec.support]
        notes = [Markup(self.inlines([i for i in s if isinstance(i, t.NoteRef)])) for s in rec.support]
        return {"level": rec.level, "title": rec.title, "text": rec.text, "support": values,
                "support_labels": list(rec.labels), "support_refs": notes}  # fmt: skip

    def data_table(self, table: t.Table) -> str:
        m = self.macros
        cells = [[t.plain_text(c.content) for c in row.cells] for row in table.rows]
        anchor, number = table.label, table.number  # its label and number (document.xref), where it has them
        if table.kind == "ranking":
            headers = [t.plain_text(c.content) for c in table.header.cells]
            ranking = {
                "title": table.caption,
                "source": table.source,
                "headers": headers,
                "cells": cells,
                "notes": list(table.notes),
                "anchor": anchor,
                "number": number,
                "data": self.link(table.figure_ids, table.figure_ids[0] if table.figure_ids else ""),
            }
            return str(m.ranking_table(ranking))
        if table.kind == "countries":
            rows = [{"name": r[0], "nato_status": r[1], "eu_status": r[2], "focus": "focus" in row.attr.classes}
                    for r, row in zip(cells, table.rows, strict=True)]  # fmt: skip
            return str(m.countries_table(table.caption, rows, anchor, number))
        if table.kind == "pillars":
            pillars = [{"acronym": a, "name": n, "focus": f} for a, n, f in cells]
            return str(m.pillars_table(table.caption, pillars, anchor, number))
        header = "Principle" if table.kind == "principles" else "Aim"
        rows = [{"title": a, "text": b} for a, b in cells]
        return str(m.principles_table(table.caption, header, rows, anchor, number))

    def tokens(self, block: t.Block, out: list[_Tok]) -> None:
        """The block as markdown-it's tokens."""

        def wrap(tag: str, inner: Sequence[t.Block], attrs: tuple[tuple[str, str], ...] = ()) -> None:
            out.append(_Tok(tag, 1, attrs=attrs))
            for child in inner:
                self.tokens(child, out)
            out.append(_Tok(tag, -1))

        if isinstance(block, t.Heading):
            tag = f"h{block.level}"
            attrs = (("id", block.attr.id),) + (
                (("class", " ".join(block.attr.classes)),) if block.attr.classes else ()
            )
            text = t.plain_text(block.content, notes=True).strip()
            if block.listed:
                self.headings.append(Heading(block.level, block.attr.id, text))
            out += [_Tok(tag, 1, attrs=attrs), _Tok(html=self.inlines(block.content), inline=True), _Tok(tag, -1)]
        elif isinstance(block, t.Para | t.Plain):
            hidden = isinstance(block, t.Plain)
            out += [_Tok("p", 1, hidden), _Tok(html=self.inlines(block.content), inline=True), _Tok("p", -1, hidden)]
        elif isinstance(block, t.BulletList | t.OrderedList):
            tag = "ul" if isinstance(block, t.BulletList) else "ol"
            start = block.start if isinstance(block, t.OrderedList) and block.start != 1 else None
            out.append(_Tok(tag, 1, attrs=(("start", str(start)),) if start is not None else ()))
            for item in block.items:
                wrap("li", item)
            out.append(_Tok(tag, -1))
        elif isinstance(block, t.BlockQuote):
            wrap("blockquote", block.blocks)
        elif isinstance(block, t.CodeBlock):
            out.append(_Tok(html=f"<pre><code>{escape_md(block.text)}</code></pre>\n"))
        elif isinstance(block, t.HorizontalRule):
            out.append(_Tok("hr", 0))
        elif isinstance(block, t.Table):
            out.append(_Tok("table", 1, attrs=(("id", block.label),) if block.label else ()))
            if block.caption or block.number:  # a {table} around a Markdown table (document.xref)
                from markupsafe import escape

                caption = f"{self.table_number(block.number)}{escape(block.caption)}"
                out.append(_Tok(html=f"<caption>{caption}</caption>\n"))
            for part, rows, cell_tag in (("thead", (block.header,), "th"), ("tbody", block.rows, "td")):
                if not rows:
                    continue
                out.append(_Tok(part, 1))
                for row in rows:
                    out.append(_Tok("tr", 1))
                    for cell in row.cells:
                        style = (("style", f"text-align:{cell.align}"),) if cell.align else ()
                        out.append(_Tok(cell_tag, 1, attrs=style))
                        out.append(_Tok(html=self.inlines(cell.content), inline=True))
                        out.append(_Tok(cell_tag, -1))
                    out.append(_Tok("tr", -1))
                out.append(_Tok(part, -1))
            out.append(_Tok("table", -1))
        else:
            out.append(_Tok(html=self.body([block]) if not isinstance(block, t.Div) else self.div(block)))

    def table_number(self, number: int) -> str:
        if not number:
            return ""
        from markupsafe import escape

        from wbbrief.i18n import _

        return f'<span class="num">{escape(_("Table {number}.", number=number))}</span> '

    def div(self, block: t.Div) -> str:
        classes = f' class="{html.escape(" ".join(block.attr.classes))}"' if block.attr.classes else ""
        return f"<div{classes}>\n{self.body(block.blocks)}</div>\n"

    def inlines(self, content: Sequence[t.Inline]) -> str:
        from markupsafe import escape

        out: list[str] = []
        for item in content:
            if isinstance(item, t.Text):
                out.append(escape_md(item.text))
            elif isinstance(item, t.DataText):
                out.append(html.escape(item.text))
            elif isinstance(item, t.FigureValue):
                out.append(str(escape(item.text)))
            elif isinstance(item, t.NoteRef):
                out.append(refs(item.numbers))
            elif isinstance(item, t.Code):
                out.append(f"<code>{escape_md(item.text)}</code>")
            elif isinstance(item, t.Cite):  # only where no bibliography formats it
                out.append(escape_md(item.text))
            elif isinstance(item, t.SoftBreak):
                out.append("\n")
            elif isinstance(item, t.LineBreak):
                out.append("<br />\n")
            elif isinstance(item, t.Image):
                if item.src is None:
                    out.append(html.escape(item.alt))
                else:
                    out.append(f'<img src="{item.src}" alt="{html.escape(item.alt)}">')
            elif isinstance(item, t.Link):
                inner = self.inlines(item.content)
                out.append(inner if item.href is None else f'<a href="{html.escape(item.href)}">{inner}</a>')
            elif isinstance(item, t.Span):
                classes = f' class="{html.escape(" ".join(item.attr.classes))}"' if item.attr.classes else ""
                out.append(f"<span{classes}>{self.inlines(item.content)}</span>")
            else:
                tag = {t.Emph: "em", t.Strong: "strong", t.Strikeout: "s"}[type(item)]
                out.append(f"<{tag}>{self.inlines(item.content)}</{tag}>")
        return "".join(out)


def _numbers(content: Sequence[t.Inline]) -> list[int]:
    return [n for item in content if isinstance(item, t.NoteRef) for n in item.numbers]


def _write(tokens: list[_Tok]) -> str:
    """markdown-it's renderToken over the tokens: its newlines, its hidden paragraphs of tight lists."""
    out: list[str] = []
    for idx, token in enumerate(tokens):
        if token.html is not None:
            out.append(token.html)
            continue
        if token.hidden:
            continue
        result = "\n" if token.nesting != -1 and idx and tokens[idx - 1].hidden else ""
        result += ("</" if token.nesting == -1 else "<") + token.tag
        result += "".join(f' {key}="{escape_md(value)}"' for key, value in token.attrs)
        if token.nesting == 0:
            result += " /"
        need_lf = True
        if token.nesting == 1 and idx + 1 < len(tokens):
            following = tokens[idx + 1]
            if following.inline or following.hidden or (following.nesting == -1 and following.tag == token.tag):
                need_lf = False
        out.append(result + (">\n" if need_lf else ">"))
    return "".join(out)
