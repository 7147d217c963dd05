"""One renderer: a document (the bundled brief, or a user's own) as the brief's HTML page.

The page's shell (head, cover, contents, notes) is the sandboxed Jinja2 template ``brief.html.j2``;
its body is the document. Roles and directives draw on the same Views, charts and macros as the
query commands, and every citation goes through one ``brief.Notes``, so notes are numbered as
``export-pdf`` has always numbered them: first what the directives cite, in document order (a
first pass, which also numbers the charts), then the prose's roles, in reading order.

Paragraphs and conditional blocks: a ``{claim}`` or ``{only}`` block written with no blank line
between it and a paragraph (or another such block) continues that paragraph, so sentences that
each check themselves can share one paragraph, as they do in the bundled brief.
"""

from __future__ import annotations

import base64
import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from wbbrief.document.model import Directive, Document
from wbbrief.errors import RenderError

if TYPE_CHECKING:
    from markdown_it.token import Token

    from wbbrief.brief import BriefOptions
    from wbbrief.data import Bundle

# A heading's own id and classes, written after its text: '## Summary {#summary .break}'.
_HEADING_ATTRS = re.compile(r"\s*\{#([a-z][a-z0-9-]*)((?:\s+\.[a-z][a-z0-9-]*)*)\s*\}\s*$")
HEADING_CLASSES = ("break",)  # the only classes a document may give: a page break before


def bundled_path(country: bool, lang: str = "en") -> Path:
    """The bundled brief as a document: the regional one, or the one for a country focus, in a
    language (a derived language such as sr-Cyrl has no document of its own: its source's)."""
    from wbbrief.i18n import language

    name = "country.md" if country else "regional.md"
    tag = language(lang).texts.tag
    return Path(str(resources.files("wbbrief") / "locales" / tag / "briefs" / name))


def bundled_document(country: str | None, lang: str = "en") -> Document:
    """The bundled brief in a language; sr-Cyrl's is sr-Latn's, transliterated by code (exact)."""
    from wbbrief.data import REGION
    from wbbrief.document.parse import parse_document, read_document
    from wbbrief.i18n import Translator, language

    chosen = language(lang)
    path = bundled_path(country is not None and country != REGION, chosen.tag)
    shown = f"wbbrief/locales/{chosen.texts.tag}/briefs/{path.name}"
    if not path.is_file():
        raise RenderError(f"{shown}: the bundled brief is not yet written in {chosen.name} ({chosen.tag})")
    if chosen.transliteration is None:
        return read_document(path, shown)
    from wbbrief.i18n.localize import document_in_script

    return parse_document(document_in_script(path.read_text(encoding="utf-8"), Translator(chosen)), path, shown)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass
class _Block:
    kind: str  # "paragraph", "directive" or "other"
    tokens: list[Token]
    lines: tuple[int, int]
    directive: Directive | None = None


@dataclass
class Body:
    """The rendered body and the headings the contents list."""

    html: str
    headings: list[Heading] = field(default_factory=list)


def render_page(document: Document, bundle: Bundle, options: BriefOptions, for_print: bool) -> str:
    """The whole page: the template's shell around the document's body."""
    from wbbrief.i18n import use_language

    options = page_options(document, options)
    with use_language(options.lang or "en", options.decimal):
        return _render_page(document, bundle, options, for_print)


def page_options(document: Document, options: BriefOptions) -> BriefOptions:
    """The options a document renders with: the command line's, else its front matter's."""
    front = document.front_matter
    return replace(
        options,
        country=options.country if options.country is not None else front.country,
        title=options.title or front.title,
        subtitle=options.subtitle or front.subtitle,
        author=front.author if front.author and options.author == "wbbrief" else options.author,
        lang=options.lang or front.lang or "en",
    )


def _render_page(document: Document, bundle: Bundle, options: BriefOptions, for_print: bool) -> str:
    """render_page in the language in use (see ``shell``)."""
    from markupsafe import Markup

    from wbbrief import brief

    bundle, env, context = shell(bundle, options, for_print)
    macros = brief.macros(env)
    composer = _Composer(document, bundle, options, context, macros, for_print)
    body = composer.render()
    context["body"] = Markup(body.html)
    context["own_prose"] = not _is_bundled(document)
    context["headings"] = body.headings
    return brief.render_template(env, context)


def shell(bundle: Bundle, options: BriefOptions, for_print: bool) -> tuple[Bundle, Any, dict[str, Any]]:
    """What every output of a brief shares, in the language in use: the data with its labels from
    labels.csv, the template environment with the catalog's strings, and the shell's context with
    numbers and dates in the locale's format (i18n.localize). PDF, HTML and Word all start here."""
    from wbbrief import brief
    from wbbrief.i18n import current
    from wbbrief.i18n.localize import localize_text, translate_bundle

    t = current()
    bundle = translate_bundle(bundle, t)
    env = brief.environment(options.template_dir)
    env.globals["_"] = t.gettext
    env.globals["noun"] = t.noun  # a name with the forms the catalog's messages ask for (i18n.nouns)
    env.filters["loc"] = lambda text: localize_text(str(text), t)
    env.globals["lang"] = t.language.tag  # the macros module is loaded without the page's context
    context = brief.build_context(bundle, options, for_print)
    if not t.language.is_source:
        context["lang"] = t.language.tag
        context["date_text"] = t.date(options.date)
        if options.title is None:
            context["title"] = t.gettext(brief.DEFAULT_TITLE)
        if options.subtitle is None:
            focus = context["focus"]
            context["subtitle"] = (
                t.gettext("Country focus: {country}", country=t.noun("country", focus.code, focus.name))
                if focus
                else t.gettext(brief.DEFAULT_SUBTITLE)
            )
        context["keywords"] = ", ".join(t.gettext(k) for k in context["keywords"].split(", "))
        context["description"] = context["subtitle"]
    context["language_notes"] = ([] if t.language.is_source else [t.gettext(_OUR_TRANSLATION)]) + t.notes()
    return bundle, env, context


def render_body(
    document: Document, bundle: Bundle, options: BriefOptions, for_print: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """The body alone and the notes it cites, as ``render_page`` renders them (for tests)."""
    from wbbrief import brief
    from wbbrief.i18n import use_language

    with use_language(options.lang or "en", options.decimal):
        bundle, env, context = shell(bundle, options, for_print)
        body = _Composer(document, bundle, options, context, brief.macros(env), for_print).render()
    return body.html, context["notes"].entries


# The honesty line every translated brief carries (its msgid is in i18n.strings, so every catalog has it).
_OUR_TRANSLATION = (
    "The questions and answers are our translation: the surveys' official wording in this language "
    "is not given in the paper."
)


class _Composer:
    def __init__(
        self, document: Document, bundle: Bundle, options: BriefOptions, context: dict[str, Any], macros: Any,
        for_print: bool,
    ) -> None:  # fmt: skip
        from markdown_it.renderer import RendererHTML

        from wbbrief import countries, queries
        from wbbrief.data import REGION

        self.document = document
        self.bundle = bundle
        self.options = options
        self.context = context
        self.macros = macros
        self.for_print = for_print
        self.code = options.country
        self.focus = countries.by_code(self.code) if self.code and self.code != REGION else None
        self.by_id = queries.figures_by_id(bundle)
        self.newer = queries.newer_editions(bundle)
        self.checked = queries.claim_figures(bundle)
        self.cached: dict[int, str] = {}  # directive html from the first pass, by id()
        self.verdicts: dict[int, bool] = {}
        self.headings: list[Heading] = []
        self.figure_count = 0
        self.renderer = RendererHTML()
        self._rules()
        self.withdrawn = self._claims()

    # --- the two passes -----------------------------------------------------------------

    def render(self) -> Body:
        self._first_pass(self.document)
        return Body(self.blocks(self.document), self.headings)

    def _first_pass(self, document: Document) -> None:
        """Render every shown directive that cites figures, in document order."""
        for block in self.split(document.tokens, document):
            directive = block.directive
            if directive is None:
                continue
            if directive.name in ("claim", "only"):
                if self.shown(directive) and directive.body is not None:
                    self._first_pass(directive.body)
            else:
                self.prepare(directive)

    def prepare(self, directive: Directive) -> None:
        """Resolve a directive once, in the first pass (which numbers its notes and charts)."""
        self.cached[id(directive)] = self.directive_html(directive)

    def _claims(self) -> list[str]:
        """Every statement the brief checks, and the notes of those that fail: the findings in
        the data, then the document's own claims, in its order."""
        from wbbrief import queries
        from wbbrief.views import is_missing

        notes: dict[str, str | None] = {}
        for finding in self.bundle.findings.itertuples():
            condition = "" if is_missing(finding.holds_if) else str(finding.holds_if)
            text = queries.render_text(str(finding.text), self.by_id)
            notes[str(finding.id)] = queries.check_claim(self.bundle, text, condition, self.checked)
        for directive in _walk(self.document):
            if directive.name != "claim" or directive.holds_if is None:
                continue
            condition = directive.holds_if.text.strip()
            if condition in notes:
                self.verdicts[id(directive)] = notes[condition] is None
                continue
            if condition in {str(i) for i in self.bundle.findings["id"]}:
                continue
            says = directive.says.text if directive.says else condition
            note = queries.check_claim(self.bundle, says, condition, self.checked)
            notes[f"claim:{condition}"] = note
            self.verdicts[id(directive)] = note is None
        return [n for n in notes.values() if n]

    # --- conditions ---------------------------------------------------------------------

    def shown(self, directive: Directive) -> bool:
        from wbbrief import countries, queries

        if directive.name == "claim":
            return self.verdicts.get(id(directive), False)
        code = self.focus.code if self.focus else None
        if directive.country is not None:
            wanted = {countries.resolve(c) for c in re.split(r"[,\s]+", directive.country.text.strip()) if c}
            if code not in wanted:
                return False
        if directive.not_country is not None:
            unwanted = {countries.resolve(c) for c in re.split(r"[,\s]+", directive.not_country.text.strip()) if c}
            if code is None or code in unwanted:
                return False
        if directive.newer_edition is not None and directive.newer_edition.text not in self.newer:
            return False
        if directive.other_figures is not None:
            other = queries.other_figures(self.bundle, self.code)
            if not any(t.rows for t in other.tables):
                return False
        return True

    # --- blocks -------------------------------------------------------------------------

    def split(self, tokens: list[Token], document: Document) -> list[_Block]:
        by_line = {d.position.line: d for d in document.directives}
        blocks: list[_Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "front_matter":
                i += 1
                continue
            j = i
            if token.nesting == 1:
                depth = 0
                while True:
                    depth += tokens[j].nesting
                    if depth == 0:
                        break
                    j += 1
            lines = (token.map[0], token.map[1]) if token.map else (-1, -1)
            if token.type == "paragraph_open":
                blocks.append(_Block("paragraph", tokens[i : j + 1], lines))
            elif token.type == "fence" and token.info.strip().startswith("{") and token.map:
                directive = by_line.get(token.map[0] + 1)
                kind = "directive" if directive is not None else "other"
                blocks.append(_Block(kind, tokens[i : j + 1], lines, directive))
            else:
                blocks.append(_Block("other", tokens[i : j + 1], lines))
            i = j + 1
        return blocks

    def joinable(self, block: _Block) -> bool:
        if block.kind == "paragraph":
            return True
        directive = block.directive
        if directive is None or directive.name not in ("claim", "only") or directive.body is None:
            return False
        inner = self.split(directive.body.tokens, directive.body)
        return bool(inner) and all(self.joinable(b) for b in inner) and _chained(inner)

    def runs(self, document: Document) -> list[tuple[bool, list[_Block]]]:
        """The document's blocks in order: (True, blocks) for blocks joined into one paragraph,
        (False, [block]) for a block that stands alone."""
        blocks = self.split(document.tokens, document)
        out: list[tuple[bool, list[_Block]]] = []
        i = 0
        while i < len(blocks):
            if self.joinable(blocks[i]):
                j = i
                while j + 1 < len(blocks) and self.joinable(blocks[j + 1]) and _adjacent(blocks[j], blocks[j + 1]):
                    j += 1
                if j == i and blocks[i].kind == "directive":
                    out.append((False, [blocks[i]]))
                else:
                    out.append((True, blocks[i : j + 1]))
                i = j + 1
            else:
                out.append((False, [blocks[i]]))
                i += 1
        return out

    def blocks(self, document: Document) -> str:
        out: list[str] = []
        for joined, blocks in self.runs(document):
            if joined:
                inner = "\n".join(part for part in (self.inline(b) for b in blocks) if part)
                out.append(f"<p>{inner}</p>\n" if inner else "")
            else:
                out.append(self.block_html(blocks[0]))
        return "".join(out)

    def paragraphs(self, block: _Block) -> list[_Block]:
        """The paragraphs a joined block contributes: itself, or what a shown condition holds."""
        if block.kind == "paragraph":
            return [block]
        directive = block.directive
        assert directive is not None and directive.body is not None
        if not self.shown(directive):
            return []
        return [p for b in self.split(directive.body.tokens, directive.body) for p in self.paragraphs(b)]

    def inline(self, block: _Block) -> str:
        """A joined block's content without its paragraph tags."""
        parts = (
            self.renderer.renderInline(p.tokens[1].children or [], self.md_options, {}).strip()
            for p in self.paragraphs(block)
        )
        return "\n".join(part for part in parts if part)

    def block_html(self, block: _Block) -> str:
        directive = block.directive
        if directive is None:
            return str(self.renderer.render(block.tokens, self.md_options, {}))
        if directive.name in ("claim", "only"):
            if not self.shown(directive) or directive.body is None:
                return ""
            return self.blocks(directive.body)
        return self.cached.get(id(directive), "")

    # --- directives ---------------------------------------------------------------------

    def directive_html(self, directive: Directive) -> str:
        from wbbrief.document.check import resolve_query
        from wbbrief.document.figures import load_index

        query = resolve_query(directive, load_index(tuple(self.options.data)), str(self.document.path))
        country = query.country or self.code
        name = directive.name
        if name == "findings":
            return self.findings(query, country)
        if name == "recommendations":
            return self.recommendations(query.ids)
        if name == "country-profile":
            return self.country_profile()
        if name == "notices":
            return self.notices()
        if name == "table" and query.view in ("countries", "pillars", "principles", "aims"):
            return self.fixed_table(query.view, query.caption or "")
        return self.figures(name, query, country)

    def figures(self, name: str, query: Any, country: str | None) -> str:
        from wbbrief import brief

        tables = self.figure_tables(query, country)
        if name == "table":
            rankings = [brief.ranking_of(t) for t in tables if t.rows]
            return "".join(str(self.macros.ranking_table(r)) for r in rankings)
        charts, rankings = brief.chart_figures(tables, self.figure_count + 1)
        if query.caption and len(charts) == 1:  # a caption names one chart
            charts[0].chart = replace(charts[0].chart, title=query.caption)
        self.figure_count += len(charts)
        out = [str(self.macros.chart_figure(c, self.for_print)) for c in charts]
        out += [str(self.macros.ranking_table(r)) for r in rankings]
        return "".join(out)

    def figure_tables(self, query: Any, country: str | None) -> list[Any]:
        """The tables a {chart} or {table} shows, each of their figures cited."""
        from wbbrief import queries

        if query.view == "threats":
            tables = queries.threats(self.bundle, country).tables
        elif query.view == "cooperation":
            tables = queries.cooperation(self.bundle, country).tables
        elif query.view == "other":
            tables = queries.other_figures(self.bundle, country).tables
        else:
            figures = self.bundle.figures
            if query.ids:
                order = {i: n for n, i in enumerate(query.ids)}
                figures = figures[figures["id"].isin(query.ids)]
                figures = figures.iloc[sorted(range(len(figures)), key=lambda n: order[figures["id"].iloc[n]])]
            if query.country:
                figures = figures[figures["country"] == query.country]
            if query.survey:
                figures = figures[figures["survey"] == query.survey]
            if query.topic:
                figures = figures[figures["topic"] == query.topic]
            if query.question:
                figures = figures[figures["question"] == query.question]
            tables = queries.question_tables(self.bundle, figures)
        from wbbrief.i18n import current
        from wbbrief.i18n.localize import localize_tables

        tables = localize_tables(tables, current())
        for table in tables:
            self.cite_table(table)
        return tables

    def cite_table(self, table: Any) -> list[int]:
        """Cite every figure a table shows; its note numbers."""
        notes = self.context["notes"]
        numbers: list[int] = []
        for row in table.rows:
            for fid in [row.get("figure_id"), *row.get("figure_ids", [])]:
                if fid and fid in self.by_id:
                    numbers.append(notes.cite(self.by_id[fid]))
        return sorted(set(numbers))

    def findings(self, query: Any, country: str | None) -> str:
        from wbbrief import brief

        rows, notices = brief.findings_rows(self.bundle, self.context["notes"], country, query.survey, query.topic)
        if query.ids:
            rows = [r for r in rows if r["id"] in query.ids]
        return str(self.macros.summary_box(rows, self.focus, notices, self.withdrawn))

    def recommendations(self, ids: Sequence[str]) -> str:
        from wbbrief import brief

        recs = brief.recommendation_rows(self.bundle, self.context["fig"], ids)
        return "".join(str(self.macros.recommendation(r)) for r in recs)

    def fixed_table(self, view: str, caption: str) -> str:
        from wbbrief import countries, queries

        if view == "countries":
            return str(self.macros.countries_table(caption, countries.all_countries(), self.focus))
        tables = {t.id: t.rows for t in queries.recommendations(self.bundle).tables}
        if view == "pillars":
            return str(self.macros.pillars_table(caption, tables["iisg-pillars"]))
        header = "Principle" if view == "principles" else "Aim"
        return str(self.macros.principles_table(caption, header, tables[view]))

    def country_profile(self) -> str:
        from wbbrief import brief, countries

        if self.focus is None:
            return ""
        rows, _ = brief.findings_rows(self.bundle, None, self.code, None, None)
        own_first = bool(rows) and self.focus.code in rows[0]["countries"]
        english = countries.english_by_code(self.focus.code)
        return str(self.macros.country_profile(self.focus, own_first, english.nato_status, english.eu_status))

    def notices(self) -> str:
        from wbbrief import queries

        if self.focus is None:
            return ""
        notes = queries.threats(self.bundle, self.code).notes + queries.cooperation(self.bundle, self.code).notes
        return str(self.macros.notices(notes))

    # --- roles and the Markdown rules --------------------------------------------------

    @property
    def md_options(self) -> Any:
        from wbbrief.document.parse import markdown

        return markdown().options

    def role(self, name: str, target: str) -> str:
        from wbbrief import brief, countries, queries
        from wbbrief.views import change

        c = self.context
        if name == "country":
            return html.escape(self.focus.name if self.focus else "")
        if name == "countries":
            members = [
                x.name for x in countries.all_countries() if countries.english_by_code(x.code).nato_status == "Member"
            ]
            return html.escape(_and_list(members))
        if name == "latin":  # text kept in Latin script when transliterated; the marker is never shown
            return html.escape(target)
        figure = self.by_id.get(target)
        if figure is None:
            raise RenderError(f"unknown figure id '{target}' (run `wbbrief check` on the document)")
        later = self.newer.get(target)
        if name == "stat":
            return str(c["fig"](target))
        if name == "round":
            return str(c["fig_only"](target))
        if name == "latest":
            return str(c["fig_only"](str(later["id"]) if later is not None else target))
        if name == "change":
            if later is None or figure["unit"] != "percent":
                raise RenderError(f"{{change}}`{target}`: no later edition of this share is loaded")
            shown = change(round(float(later["value"]) - float(figure["value"]), 6))
            return f'<span class="change">{html.escape(shown)}</span>{brief.refs([c["notes"].cite(later)])}'
        if name == "year":
            return str(int(figure["year"]))
        if name == "edition":
            edition = later if later is not None else figure
            return html.escape(queries.survey_label(self.bundle, str(edition["survey"]), edition["edition"]))
        if name == "answer":
            return html.escape(str(figure["answer"]))
        if name == "question":
            return html.escape(str(figure["question"]))
        raise RenderError(f"unknown role '{{{name}}}' (run `wbbrief check` on the document)")

    def _rules(self) -> None:
        from wbbrief.document.parse import link_problem

        renderer = self.renderer

        def role(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
            token = tokens[idx]
            return self.role(str(token.meta.get("name", "")), token.content.strip())

        def heading_open(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
            token, inline = tokens[idx], tokens[idx + 1]
            level = int(token.tag[1])
            _heading_attrs(token, inline)
            text = re.sub(r"<[^>]*>", "", renderer.renderInline(inline.children or [], options, env)).strip()
            text = html.unescape(text)
            anchor = str(token.attrs.get("id") or _slug(text))
            token.attrs["id"] = anchor
            if level == 2 or (level == 3 and token.meta.get("explicit_id")):
                self.headings.append(Heading(level, anchor, text))
            return str(renderer.renderToken(tokens, idx, options, env))

        def link_open(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
            token = tokens[idx]
            href = str(token.attrs.get("href", ""))
            if link_problem(href) is not None:
                token.meta["dropped"] = True
                return ""
            return f'<a href="{html.escape(href)}">'

        def link_close(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
            depth = 0
            for j in range(idx - 1, -1, -1):
                if tokens[j].type == "link_close":
                    depth += 1
                elif tokens[j].type == "link_open":
                    if depth == 0:
                        return "" if tokens[j].meta.get("dropped") else "</a>"
                    depth -= 1
            return ""

        def image(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
            token = tokens[idx]
            alt = renderer.renderInlineAsText(token.children or [], options, env)
            return image_html(self.document, str(token.attrs.get("src", "")), alt)

        def fence(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
            return f"<pre><code>{html.escape(tokens[idx].content)}</code></pre>\n"

        renderer.rules.update(
            cast(
                dict[str, Any],
                {
                    "myst_role": role,
                    "heading_open": heading_open,
                    "link_open": link_open,
                    "link_close": link_close,
                    "image": image,
                    "fence": fence,
                    "front_matter": lambda *a: "",
                },
            )
        )


def _heading_attrs(token: Token, inline: Token) -> None:
    """Move a trailing '{#id .break}' from a heading's text to its attributes (once)."""
    children = inline.children or []
    if not children or children[-1].type != "text":
        return
    match = _HEADING_ATTRS.search(children[-1].content)
    if not match:
        return
    children[-1].content = children[-1].content[: match.start()].rstrip()
    inline.content = _HEADING_ATTRS.sub("", inline.content)
    token.attrs["id"] = match.group(1)
    token.meta["explicit_id"] = True
    classes = [c[1:] for c in match.group(2).split() if c[1:] in HEADING_CLASSES]
    if classes:
        token.attrs["class"] = " ".join(classes)


def _and_list(items: list[str]) -> str:
    """'A, B and C' in the language in use (CLDR's list pattern)."""
    from wbbrief import brief
    from wbbrief.i18n import active

    t = active()
    if t is None or not items:
        return brief.and_list(items)
    from babel.lists import format_list

    return str(format_list(items, locale=t.language.babel_locale))


def _is_bundled(document: Document) -> bool:
    """Whether a document is a bundled brief as shipped (``new`` may have set its country)."""

    def norm(text: str) -> str:
        return re.sub(r"(?m)^country: .*\n", "", text.replace("\r\n", "\n"))

    from wbbrief.errors import UsageError
    from wbbrief.i18n import Translator

    try:
        lang = document.front_matter.lang or "en"
        shipped_path = bundled_path(document.front_matter.country is not None, lang)
        shipped = shipped_path.read_text(encoding="utf-8")
        translator = Translator(lang)
        if translator.language.transliteration:
            from wbbrief.i18n.localize import document_in_script

            shipped = document_in_script(shipped, translator)
    except (UsageError, OSError):
        return False
    return norm(document.source) == norm(shipped)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"


def _adjacent(a: _Block, b: _Block) -> bool:
    return a.lines[1] == b.lines[0] and a.lines[1] >= 0


def _chained(blocks: list[_Block]) -> bool:
    return all(_adjacent(a, b) for a, b in itertools.pairwise(blocks))


def _walk(document: Document) -> list[Directive]:
    """Every directive, nested ones included, in document order."""
    return sorted(document.directives, key=lambda d: (d.position.line, d.position.col))


_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def image_html(document: Document, src: str, alt: str) -> str:
    """An image from the document's folder, inlined; anything else shows as its alt text."""
    import urllib.parse

    from wbbrief.document.frontmatter import inside_folder
    from wbbrief.document.parse import image_problem

    if image_problem(document.folder, src) is not None:
        return html.escape(alt)
    path = inside_folder(document.folder, urllib.parse.unquote(src))
    if isinstance(path, str):
        return html.escape(alt)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    mime = _MIME[path.suffix.lower()]
    return f'<img src="data:{mime};base64,{data}" alt="{html.escape(alt)}">'
