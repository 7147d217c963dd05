"""A composed document as a ``docx.WordDocument``: the same composition as the PDF, other output.

``WordComposer`` is the HTML composer with its outputs swapped: the same two passes (so notes and
charts are numbered as in the PDF), the same conditions (a withdrawn claim is left out, its note
listed), the same Views, chart SVGs, table rows and note texts. Roles are resolved by the very
function the PDF uses; the few HTML fragments our own code makes for them (a value and its note
references, a sentence of a template macro) are read back as text and note numbers here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from wbbrief import docx
from wbbrief.document.compose import _Block, _Composer, _heading_attrs, page_options, shell
from wbbrief.document.model import Directive, Document
from wbbrief.i18n import _, noun

if TYPE_CHECKING:
    from markdown_it.token import Token

    from wbbrief.brief import BriefOptions
    from wbbrief.data import Bundle

# The note references our own HTML carries (brief.refs and the noterefs macro).
_NOTEREF = re.compile(r'<a class="noteref" href="#note-([0-9]+)"><sup>[0-9]+</sup></a>(?:<sup>,</sup>)?')
_TAG = re.compile(r"<[^>]*>")
_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S)


def html_inlines(fragment: str) -> list[docx.Inline]:
    """Text and note references from an HTML fragment that wbbrief itself rendered (escaped)."""
    out: list[docx.Inline] = []
    pos = 0
    for match in _NOTEREF.finditer(fragment):
        text = html.unescape(_TAG.sub("", fragment[pos : match.start()]))
        if text:
            out.append(text)
        out.append(docx.NoteRef(int(match.group(1))))
        pos = match.end()
    rest = html.unescape(_TAG.sub("", fragment[pos:]))
    if rest:
        out.append(rest)
    return out


def _refs(numbers: Sequence[int]) -> list[docx.Inline]:
    return [docx.NoteRef(n) for n in numbers]


def _text(inlines: Sequence[docx.Inline]) -> str:
    parts = [i if isinstance(i, str) else i.text for i in inlines if not isinstance(i, docx.NoteRef)]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _level(markdown_level: int) -> Literal[1, 2, 3]:
    """'#' and '##' are Word's Heading 1, '###' Heading 2, deeper Heading 3."""
    return 1 if markdown_level <= 2 else 2 if markdown_level == 3 else 3


class WordComposer(_Composer):
    def __init__(
        self, document: Document, bundle: Bundle, options: BriefOptions, context: dict[str, Any], macros: Any
    ) -> None:
        super().__init__(document, bundle, options, context, macros, for_print=True)
        self.resolved: dict[int, list[docx.Block]] = {}

    def prepare(self, directive: Directive) -> None:
        self.resolved[id(directive)] = self.directive_blocks(directive)

    def word_blocks(self) -> list[docx.Block]:
        self._first_pass(self.document)
        return self.compose(self.document)

    # --- blocks -------------------------------------------------------------------------

    def compose(self, document: Document) -> list[docx.Block]:
        out: list[docx.Block] = []
        for joined, blocks in self.runs(document):
            if joined:
                content: list[docx.Inline] = []
                for paragraph in (p for b in blocks for p in self.paragraphs(b)):
                    if content:
                        content.append(" ")
                    content += self.inlines(paragraph.tokens[1].children or [])
                if content:
                    out.append(docx.Paragraph(content))
            else:
                out += self.block(blocks[0])
        return out

    def block(self, block: _Block) -> list[docx.Block]:
        directive = block.directive
        if directive is None:
            return self.tokens(block.tokens)
        if directive.name in ("claim", "only"):
            if not self.shown(directive) or directive.body is None:
                return []
            return self.compose(directive.body)
        return self.resolved.get(id(directive), [])

    def tokens(self, tokens: list[Token]) -> list[docx.Block]:
        out: list[docx.Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "heading_open":
                inline = tokens[i + 1]
                _heading_attrs(token, inline)
                level = _level(int(token.tag[1]))
                text = _text(self.inlines(inline.children or []))
                out.append(docx.Heading(level, text, str(token.attrs.get("id", ""))))
                i += 3
                continue
            if token.type in ("bullet_list_open", "ordered_list_open"):
                j, items = self.list_items(tokens, i)
                out.append(docx.ListBlock(items, ordered=token.type == "ordered_list_open"))
                i = j + 1
                continue
            if token.type == "paragraph_open":
                out.append(docx.Paragraph(self.inlines(tokens[i + 1].children or [])))
                i += 3
                continue
            if token.type in ("fence", "code_block") and token.content.strip():
                out.append(docx.Paragraph([token.content.strip()]))
            i += 1
        return out

    def list_items(self, tokens: list[Token], start: int) -> tuple[int, list[list[docx.Inline]]]:
        """A list's items (a nested list's text joins its item's); the index of its closing token."""
        items: list[list[docx.Inline]] = []
        depth = 0
        j = start
        while True:
            token = tokens[j]
            depth += token.nesting
            if token.type == "list_item_open" and depth == 2:
                items.append([])
            elif token.type == "inline" and items:
                if items[-1]:
                    items[-1].append(" ")
                items[-1] += self.inlines(token.children or [])
            if depth == 0:
                return j, items
            j += 1

    def inlines(self, children: list[Token]) -> list[docx.Inline]:
        out: list[docx.Inline] = []
        strong = 0
        for token in children:
            kind = token.type
            if kind in ("text", "code_inline", "html_inline"):
                if token.content:
                    out.append(docx.Strong(token.content) if strong else token.content)
            elif kind in ("softbreak", "hardbreak"):
                out.append(" ")
            elif kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "myst_role":
                out += html_inlines(self.role(str(token.meta.get("name", "")), token.content.strip()))
            elif kind == "image":
                out.append(self.renderer.renderInlineAsText(token.children or [], self.md_options, {}))
        return out

    # --- directives ---------------------------------------------------------------------

    def directive_blocks(self, directive: Directive) -> list[docx.Block]:
        from wbbrief.document.check import resolve_query
        from wbbrief.document.figures import load_index

        query = resolve_query(directive, load_index(tuple(self.options.data)), str(self.document.path))
        country = query.country or self.code
        name = directive.name
        if name == "findings":
            return self.findings_blocks(query, country)
        if name == "recommendations":
            return self.recommendation_blocks(query.ids)
        if name == "country-profile":
            return self.macro_paragraphs(self.country_profile())
        if name == "notices":
            return self.macro_paragraphs(self.notices())
        if name == "table" and query.view in ("countries", "pillars", "principles", "aims"):
            return [self.fixed_word_table(query.view, query.caption or "")]
        return self.figure_blocks(name, query, country)

    def figure_blocks(self, name: str, query: Any, country: str | None) -> list[docx.Block]:
        from wbbrief import brief

        tables = self.figure_tables(query, country)
        if name == "table":
            return [_ranking(brief.ranking_of(t), self.cite_table(t)) for t in tables if t.rows]
        charts: list[docx.Block] = []
        rankings: list[docx.Block] = []
        drawn: list[tuple[Any, list[int]]] = []
        for table in tables:
            numbered, ranked = brief.chart_figures([table], self.figure_count + len(drawn) + 1)
            refs = self.cite_table(table)
            drawn += [(c, refs) for c in numbered]
            rankings += [_ranking(r, refs) for r in ranked]
        if query.caption and len(drawn) == 1:  # a caption names one chart
            drawn[0][0].chart = replace(drawn[0][0].chart, title=query.caption)
        self.figure_count += len(drawn)
        for figure, refs in drawn:
            chart = figure.chart
            caption = f"Figure {figure.number}. {chart.title}"
            charts.append(docx.Chart(chart.svg(), chart.alt, caption, [chart.source, *_refs(refs)]))
        return charts + rankings

    def findings_blocks(self, query: Any, country: str | None) -> list[docx.Block]:
        from wbbrief import brief

        rows, notices = brief.findings_rows(self.bundle, self.context["notes"], country, query.survey, query.topic)
        if query.ids:
            rows = [r for r in rows if r["id"] in query.ids]
        out: list[docx.Block] = [docx.Paragraph([n]) for n in notices]
        if self.withdrawn:
            out.append(docx.Paragraph([_("Statements left out because the data in use no longer support them:")]))
            out.append(docx.ListBlock([[n] for n in self.withdrawn]))
        caption = (
            _("Key findings for {country}", country=noun("country", self.focus.code, self.focus.name))
            if self.focus
            else _("Key findings")
        )
        body: list[list[list[docx.Inline]]] = [
            [[str(r["finding"]), *_refs(r["notes"])], [str(r["where"])]] for r in rows
        ]
        out.append(docx.Table([[_("Finding")], [_("Where")]], body, caption))
        return out

    def recommendation_blocks(self, ids: Sequence[str]) -> list[docx.Block]:
        from wbbrief import brief

        rows: list[list[list[docx.Inline]]] = []
        for rec in brief.recommendation_rows(self.bundle, self.context["fig"], ids):
            support: list[docx.Inline] = []
            for value, label in zip(rec["support"], rec["support_labels"], strict=True):
                support += [*(["; "] if support else []), *html_inlines(str(value)), f": {label}"]
            rows.append([[_(f"{rec['level']} level")], [docx.Strong(str(rec["title"])), f" {rec['text']}"], support])
        header = [[_("Level")], [_("The paper's recommendation")], [_("Figures that support it")]]
        return [docx.Table(header, rows, _("The paper's recommendations"))] if rows else []

    def fixed_word_table(self, view: str, caption: str) -> docx.Table:
        from wbbrief import countries, queries

        if view == "countries":
            rows = [[[c.name], [c.nato_status], [c.eu_status]] for c in countries.all_countries()]
            return docx.Table([[_("Country")], [_("NATO")], [_("European Union")]], rows, caption)
        tables = {t.id: t.rows for t in queries.recommendations(self.bundle).tables}
        if view == "pillars":
            rows = [[[str(p["acronym"])], [str(p["name"])], [str(p["focus"])]] for p in tables["iisg-pillars"]]
            return docx.Table([[_("Pillar")], [_("Initiative")], [_("Focus")]], rows, caption)
        header = _("Principle") if view == "principles" else _("Aim")
        rows = [[[str(p["title"])], [str(p["text"])]] for p in tables[view]]
        return docx.Table([[header], [_("What it means")]], rows, caption)

    @staticmethod
    def macro_paragraphs(fragment: str) -> list[docx.Block]:
        """The paragraphs of a template macro's output (the country profile, the notices)."""
        return [docx.Paragraph(html_inlines(p)) for p in _PARAGRAPH.findall(fragment) if _TAG.sub("", p).strip()]


def _ranking(ranking: Any, refs: Sequence[int]) -> docx.Table:
    rows = [[[cell] for cell in row] for row in ranking.cells]
    return docx.Table([[h] for h in ranking.headers], rows, ranking.title, [ranking.source, *_refs(refs)])


def word_document(document: Document, bundle: Bundle, options: BriefOptions) -> docx.WordDocument:
    """The document as Word sees it: title page figures, body, footnotes and properties."""
    from wbbrief.i18n import use_language

    options = page_options(document, options)
    with use_language(options.lang or "en", options.decimal):
        return _word_document(document, bundle, options)


def _word_document(document: Document, bundle: Bundle, options: BriefOptions) -> docx.WordDocument:
    """word_document in the language in use: the same shell as the PDF's (compose.shell)."""
    from wbbrief import __version__, brief

    bundle, env, context = shell(bundle, options, for_print=True)
    localize = env.filters["loc"]  # as the cover in the PDF: a label, translated where it has a msgid
    macros = brief.macros(env)
    blocks = WordComposer(document, bundle, options, context, macros).word_blocks()
    surveys: list[list[list[docx.Inline]]] = [
        [[str(s["survey"])], [str(s["publisher"])], [", ".join(s["countries"])], [str(s["url"] or "")]]
        for s in context["surveys"]
    ]
    if surveys:
        blocks += [
            docx.Heading(1, _("Surveys"), "surveys"),
            docx.Table([[_("Survey")], [_("Publisher")], [_("Countries")], [_("Where to find it")]], surveys),
        ]
    notes = [_text(html_inlines(str(macros.note_text(n)))) for n in context["notes"].entries]
    headlines = [
        docx.Headline(str(f["headline"]), str(f["finding"]), localize(str(f["headline_scope"])), str(f["source"]))
        for f in context["glance"]
    ]
    return docx.WordDocument(
        title=str(context["title"]),
        subtitle=str(context["subtitle"]),
        author=str(context["author"]),
        date=options.date,
        lang=str(context["lang"]),
        headlines=headlines,
        headlines_title=_("At a glance"),
        date_text=str(context["date_text"]),
        blocks=blocks,
        notes=notes,
        meta={"description": str(context["description"]), "keywords": str(context["keywords"]),
              "generator": f"wbbrief {__version__}"},
    )  # fmt: skip
