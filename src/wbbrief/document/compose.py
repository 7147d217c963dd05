"""Composition: a document (the bundled brief, or a user's own) resolved against the data into the
tree (``document.tree``) that every writer walks.

Roles and directives draw on the same Views as the query commands, and every citation goes
through one ``Notes``, so notes are numbered as ``export-pdf`` has always numbered them: first
what the directives cite, in document order (a first pass, which also numbers the charts), then
the prose's roles, in reading order. Claims are decided and ``{only}`` blocks kept or left out
here, once.

Paragraphs and conditional blocks: a ``{claim}`` or ``{only}`` block written with no blank line
between it and a paragraph (or another such block) continues that paragraph, so sentences that
each check themselves can share one paragraph, as they do in the bundled brief.
"""

from __future__ import annotations

import itertools
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from wbbrief.base.errors import RenderError
from wbbrief.base.record import record
from wbbrief.document import tree as t
from wbbrief.document.model import Directive, Document
from wbbrief.document.options import DEFAULT_SUBTITLE, DEFAULT_TITLE, BriefOptions, page_options

if TYPE_CHECKING:
    from markdown_it.token import Token

    from wbbrief.dataset.bundle import Bundle

__all__ = ["BriefOptions", "bundled_document", "bundled_path", "compose", "compose_brief", "page_options"]

# The honesty line every translated brief carries (its msgid is in i18n.strings, so every catalog has it).
# The methods line (issue 17): said once, never beside every number; its msgid is in i18n.strings.
_NO_MARGINS = "The paper does not report sample sizes; margins of error are not shown for its figures."
_OUR_TRANSLATION = (
    "The questions and answers are our translation: the surveys' official wording in this language "
    "is not given in the paper."
)


def bundled_path(country: bool, lang: str = "en") -> Path:
    """The bundled brief as a document: the regional one, or the one for a country focus, in a
    language (a derived language such as sr-Cyrl has no document of its own: its source's)."""
    from wbbrief.i18n import language

    name = "country.md" if country else "regional.md"
    tag = language(lang).texts.tag
    return Path(str(resources.files("wbbrief") / "locales" / tag / "briefs" / name))


def bundled_document(country: str | None, lang: str = "en") -> Document:
    """The bundled brief in a language; sr-Cyrl's is sr-Latn's, transliterated by code (exact)."""
    from wbbrief.dataset.bundle import REGION
    from wbbrief.document.parse import parse_document, read_document
    from wbbrief.i18n import Translator, language

    chosen = language(lang)
    path = bundled_path(country is not None and country != REGION, chosen.tag)
    shown = f"wbbrief/locales/{chosen.texts.tag}/briefs/{path.name}"
    if not path.is_file():
        raise RenderError(f"{shown}: the bundled brief is not yet written in {chosen.name} ({chosen.tag})")
    if chosen.transliteration is None:
        return read_document(path, shown)
    from wbbrief.query.localize import document_in_script

    return parse_document(document_in_script(path.read_text(encoding="utf-8"), Translator(chosen)), path, shown)


def compose(document: Document, bundle: Bundle, options: BriefOptions) -> t.Brief:
    """The document as a tree, in its language (the command line's, else its front matter's)."""
    from wbbrief.i18n import use_language

    options = page_options(document, options)
    with use_language(options.lang or "en", options.decimal):
        return compose_brief(document, bundle, options)


def compose_brief(document: Document, bundle: Bundle, options: BriefOptions) -> t.Brief:
    """``compose`` in the language in use: the data with its labels from labels.csv, the body,
    the notes it cites, and the cover with numbers and dates in the locale's format."""
    from wbbrief.document.composer import Composer
    from wbbrief.document.content import glance
    from wbbrief.i18n import current
    from wbbrief.query import queries
    from wbbrief.query.localize import localize_text, translate_bundle

    tr = current()
    bundle = translate_bundle(bundle, tr)
    from wbbrief.document.appendix import RecordingNotes, figure_uses, shown_ids

    composer = Composer(document, bundle, options)
    from wbbrief.document.ids import unique
    from wbbrief.document.xref import resolve

    composer.notes = recorded = RecordingNotes(bundle)  # the appendix lists the figures cited
    blocks = unique(resolve(composer.compose()))  # cross-references, once, for every writer; ids once
    focus = composer.focus
    source = tr.language.is_source
    title = options.title or (DEFAULT_TITLE if source else tr.gettext(DEFAULT_TITLE))
    if options.subtitle:
        subtitle = options.subtitle
    elif source:
        subtitle = f"Country focus: {focus.name}" if focus else DEFAULT_SUBTITLE
    else:
        subtitle = (
            tr.gettext("Country focus: {country}", country=tr.noun("country", focus.code, focus.name))
            if focus
            else tr.gettext(DEFAULT_SUBTITLE)
        )
    keywords = ["Western Balkans", "security", "public opinion", "regional cooperation", "WBSF", "IISG"]
    date = options.date
    meta = t.Meta(
        title=title, subtitle=subtitle, author=options.author, date=date,
        date_text=f"{date.day} {date.strftime('%B %Y')}" if source else tr.date(date),
        lang="en" if source else tr.language.tag,
        keywords=", ".join(keywords if source else [tr.gettext(k) for k in keywords]),
        description=f"{subtitle}. A policy brief drawn from survey evidence, every figure with its source."
        if source else subtitle,
        focus=focus.name if focus else None, focus_code=focus.code if focus else None,
    )  # fmt: skip
    headlines = tuple(
        t.Headline(str(f["headline"]), localize_text(str(f["headline_scope"]), tr), str(f["finding"]), str(f["source"]))
        for f in glance(bundle, options.country)
    )
    used = {f.survey for f in composer.by_id.values()}
    cited = {n["survey"] for n in composer.notes.entries}  # the surveys of the notes' table: those cited
    used &= cited
    surveys = tuple(
        t.Survey(str(s["survey"]), str(s["publisher"]), tuple(str(c) for c in s["countries"]), str(s["url"] or ""))
        for s in queries.sources(bundle).tables[0].rows
        if s["id"] in used
    )
    from wbbrief.document.notestyle import restyle

    placed: dict[int, int] = {}  # a citation's note as printed, for the appendix
    body, notes = restyle(blocks, composer.notes.entries, placed=placed)  # first full, later short (issue 18)
    brief = t.Brief(
        meta=meta, blocks=body, notes=notes, headlines=headlines, surveys=surveys,
        data_notes=tuple(bundle.notes),
        language_notes=tuple(([] if source else [tr.gettext(_OUR_TRANSLATION)]) + tr.notes()),
        methods_notes=(tr.gettext(_NO_MARGINS),) if any(not n.user and n.survey for n in notes) else (),
        own_prose=not _is_bundled(document), figures=figure_uses(recorded, composer.level, shown_ids(blocks), placed),
    )  # fmt: skip
    if composer.style is None:
        return brief
    from wbbrief.document.citeproc import resolve as format_citations  # pandoc citeproc (issue 18)

    return format_citations(brief, document, composer.style)


@record(frozen=False)
class Block:
    """A top-level piece of a document: a paragraph, a directive, or other Markdown."""

    kind: str  # "paragraph", "directive" or "other"
    tokens: list[Token]
    lines: tuple[int, int]
    directive: Directive | None = None


def split(tokens: list[Token], document: Document) -> list[Block]:
    by_line = {d.position.line: d for d in document.directives}
    blocks: list[Block] = []
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
            blocks.append(Block("paragraph", tokens[i : j + 1], lines))
        elif token.type == "fence" and token.info.strip().startswith("{") and token.map:
            directive = by_line.get(token.map[0] + 1)
            kind = "directive" if directive is not None else "other"
            blocks.append(Block(kind, tokens[i : j + 1], lines, directive))
        else:
            blocks.append(Block("other", tokens[i : j + 1], lines))
        i = j + 1
    return blocks


def joinable(block: Block) -> bool:
    if block.kind == "paragraph":
        return True
    directive = block.directive
    if directive is None or directive.name not in ("claim", "only") or directive.body is None:
        return False
    inner = split(directive.body.tokens, directive.body)
    return bool(inner) and all(joinable(b) for b in inner) and chained(inner)


def runs(document: Document) -> list[tuple[bool, list[Block]]]:
    """The document's blocks in order: (True, blocks) for blocks joined into one paragraph,
    (False, [block]) for a block that stands alone."""
    blocks = split(document.tokens, document)
    out: list[tuple[bool, list[Block]]] = []
    i = 0
    while i < len(blocks):
        if joinable(blocks[i]):
            j = i
            while j + 1 < len(blocks) and joinable(blocks[j + 1]) and adjacent(blocks[j], blocks[j + 1]):
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


def _is_bundled(document: Document) -> bool:
    """Whether a document is a bundled brief as shipped (``new`` may have set its country)."""

    def norm(text: str) -> str:
        return re.sub(r"(?m)^country: .*\n", "", text.replace("\r\n", "\n"))

    from wbbrief.base.errors import UsageError
    from wbbrief.i18n import Translator

    try:
        lang = document.front_matter.lang or "en"
        shipped_path = bundled_path(document.front_matter.country is not None, lang)
        shipped = shipped_path.read_text(encoding="utf-8")
        translator = Translator(lang)
        if translator.language.transliteration:
            from wbbrief.query.localize import document_in_script

            shipped = document_in_script(shipped, translator)
    except (UsageError, OSError):
        return False
    return norm(document.source) == norm(shipped)


def adjacent(a: Block, b: Block) -> bool:
    return a.lines[1] == b.lines[0] and a.lines[1] >= 0


def chained(blocks: list[Block]) -> bool:
    return all(adjacent(a, b) for a, b in itertools.pairwise(blocks))


def walk(document: Document) -> list[Directive]:
    """Every directive, nested ones included, in document order."""
    return sorted(document.directives, key=lambda d: (d.position.line, d.position.col))
