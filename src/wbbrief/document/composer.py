"""The composer: a document's blocks resolved into the tree, in two passes (see ``compose``).

Its conditions (claims checked against the data, ``{only}``) and its roles live here; what each
directive becomes is ``document.directives``; Markdown becomes the tree in ``document.inlines``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import RenderError
from wbbrief.document import tree as t
from wbbrief.document import xref
from wbbrief.document.compose import Block, runs, split, walk
from wbbrief.document.inlines import Reader
from wbbrief.document.model import XREF_ROLES, Directive, Document
from wbbrief.document.notes import Notes

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.document.options import BriefOptions


class Composer:
    def __init__(self, document: Document, bundle: Bundle, options: BriefOptions) -> None:
        from wbbrief.dataset import countries
        from wbbrief.dataset.bundle import REGION
        from wbbrief.query import queries

        self.document = document
        self.bundle = bundle
        self.options = options
        self.notes = Notes(bundle)
        self.code = options.country
        self.focus = countries.by_code(self.code) if self.code and self.code != REGION else None
        self.by_id = queries.figures_by_id(bundle)
        self.newer = queries.newer_editions(bundle)
        self.checked = queries.claim_figures(bundle)
        self.resolved: dict[int, list[t.Block]] = {}  # each directive's blocks, from the first pass
        self.verdicts: dict[int, bool] = {}
        self.figure_count = 0
        self.withdrawn = self._claims()
        self.style = None  # the citation style, where the document has a bibliography (issue 18)
        if document.front_matter.bibliography:
            from wbbrief.document.bibliography import BibliographyError, read_style

            try:
                self.style = read_style(document.front_matter.csl)
            except BibliographyError as err:
                raise RenderError(str(err)) from err

    # --- the two passes -----------------------------------------------------------------

    def compose(self) -> list[t.Block]:
        self._first_pass(self.document)
        return self.blocks(self.document)

    def _first_pass(self, document: Document) -> None:
        """Resolve every shown directive that cites figures, in document order."""
        from wbbrief.document.directives import directive_blocks

        for block in split(document.tokens, document):
            directive = block.directive
            if directive is None:
                continue
            if directive.name in ("claim", "only"):
                if self.shown(directive) and directive.body is not None:
                    self._first_pass(directive.body)
            elif directive.body is None:  # a {table} holding Markdown is read with the prose (``block``)
                blocks = directive_blocks(self, directive)
                self.resolved[id(directive)] = (
                    blocks if directive.label is None else xref.label_blocks(blocks, directive)
                )

    def blocks(self, document: Document) -> list[t.Block]:
        reader = Reader(document, self.role, self.cite if self.style is not None else None)
        out: list[t.Block] = []
        for joined, blocks in runs(document):
            if joined:
                content: list[t.Inline] = []
                for paragraph in (p for b in blocks for p in self.paragraphs(b)):
                    inlines = reader.inlines(paragraph.tokens[1].children or [])
                    if inlines:
                        content += [t.SoftBreak(), *inlines] if content else inlines
                if content:
                    out.append(t.Para(tuple(content)))
            else:
                out += self.block(blocks[0], reader)
        return out

    def paragraphs(self, block: Block) -> list[Block]:
        """The paragraphs a joined block contributes: itself, or what a shown condition holds."""
        if block.kind == "paragraph":
            return [block]
        directive = block.directive
        assert directive is not None and directive.body is not None
        if not self.shown(directive):
            return []
        return [p for b in split(directive.body.tokens, directive.body) for p in self.paragraphs(b)]

    def block(self, block: Block, reader: Reader) -> list[t.Block]:
        directive = block.directive
        if directive is None:
            return reader.blocks(block.tokens)
        if directive.name in ("claim", "only"):
            if not self.shown(directive) or directive.body is None:
                return []
            return self.blocks(directive.body)
        if directive.body is not None:  # a {table} holding a Markdown table, with its caption and label
            return xref.markdown_table(self.blocks(directive.body), directive)
        return self.resolved.get(id(directive), [])

    def cite(self, cite: t.Cite) -> list[t.Inline]:
        """A citation: in a notes style, a note of its own, numbered with the survey notes."""
        if self.style is None or not self.style.note:
            return [cite]
        from wbbrief.document.citeproc import literature_note

        return [literature_note(self.notes, cite)]

    # --- conditions ---------------------------------------------------------------------

    def _claims(self) -> list[str]:
        """Every statement the brief checks, and the notes of those that fail: the findings in
        the data, then the document's own claims, in its order."""
        from wbbrief.query import queries

        notes: dict[str, str | None] = {}
        for finding in self.bundle.findings:
            condition = finding.holds_if or ""
            text = queries.render_text(finding.text, self.by_id)
            notes[finding.id] = queries.check_claim(self.bundle, text, condition, self.checked, self.level)
        for directive in walk(self.document):
            if directive.name != "claim" or directive.holds_if is None:
                continue
            condition = directive.holds_if.text.strip()
            if condition in notes:
                self.verdicts[id(directive)] = notes[condition] is None
                continue
            if condition in {f.id for f in self.bundle.findings}:
                continue
            says = directive.says.text if directive.says else condition
            note = queries.check_claim(self.bundle, says, condition, self.checked, self.level)
            notes[f"claim:{condition}"] = note
            self.verdicts[id(directive)] = note is None
        return [n for n in notes.values() if n]

    @property
    def level(self) -> float:
        """The level the document's claims and changes are tested at: its front matter's, or 0.95."""
        return self.document.front_matter.level or 0.95

    def shown(self, directive: Directive) -> bool:
        from wbbrief.dataset import countries
        from wbbrief.query import queries

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

    # --- figures and roles --------------------------------------------------------------

    def figure(self, figure_id: str, with_change: bool = True) -> list[t.Inline]:
        """A figure in prose: its value (and its change in later rounds) and its notes."""
        from wbbrief.query import queries

        if figure_id not in self.by_id:
            raise RenderError(f"the brief cites a figure that is not in the data: '{figure_id}'")
        numbers = [self.notes.cite(self.by_id[figure_id])]
        if with_change and figure_id in self.newer:
            numbers.append(self.notes.cite(self.newer[figure_id]))
        if with_change:
            text = queries.figure_with_change(figure_id, self.by_id, self.newer)
        else:
            text = queries.figure_text(self.by_id[figure_id])
        return [t.FigureValue(figure_id, text), t.NoteRef(tuple(sorted(set(numbers))))]

    def role(self, name: str, target: str) -> list[t.Inline]:
        from wbbrief.dataset import countries
        from wbbrief.query import queries
        from wbbrief.query.values import change

        def data(text: str) -> list[t.Inline]:
            return [t.DataText(text, name)] if text else []

        if name in XREF_ROLES or name.startswith("numref:"):  # resolved on the tree (document.xref)
            return xref.pending(name, target)

        if name == "country":
            return data(self.focus.name if self.focus else "")
        if name == "countries":
            members = [
                x.name for x in countries.all_countries() if countries.english_by_code(x.code).nato_status == "Member"
            ]
            return data(_and_list(members))
        if name == "latin":  # text kept in Latin script when transliterated; the marker is never shown
            return data(target)
        figure = self.by_id.get(target)
        if figure is None:
            raise RenderError(f"unknown figure id '{target}' (run `wbbrief check` on the document)")
        later = self.newer.get(target)
        if name == "stat":
            return self.figure(target)
        if name == "round":
            return self.figure(target, with_change=False)
        if name == "latest":
            return self.figure(later.id if later is not None else target, with_change=False)
        if name == "stat:margin":
            from wbbrief.query.uncertainty import margin_text

            text = margin_text(self.bundle.surveys, figure, self.level)
            if text is None:
                raise RenderError(f"{{stat:margin}}`{target}`: the data give this figure no margin of error")
            return [t.FigureValue(target, text), t.NoteRef((self.notes.cite(figure),))]
        if name == "change":
            from wbbrief.query.uncertainty import change_noise, within_noise

            if later is None or figure.unit != "percent" or later.value is None or figure.value is None:
                raise RenderError(f"{{change}}`{target}`: no later edition of this share is loaded")
            shown = change(round(later.value - figure.value, 6))
            tested = change_noise(self.bundle.surveys, figure, later, self.level)
            if tested is not None and not tested.significant:
                shown += within_noise()
            span = t.Span(t.Attr(classes=("change",)), (t.DataText(shown, name),))
            return [span, t.NoteRef((self.notes.cite(later),))]
        if name == "year":
            return data(str(figure.year))
        if name == "edition":
            edition = later if later is not None else figure
            return data(queries.survey_label(self.bundle, edition.survey, edition.edition))
        if name == "answer":
            return data(figure.answer)
        if name == "question":
            return data(figure.question)
        raise RenderError(f"unknown role '{{{name}}}' (run `wbbrief check` on the document)")


def _and_list(items: list[str]) -> str:
    """'A, B and C' in the language in use (CLDR's list pattern)."""
    from wbbrief.document.content import and_list
    from wbbrief.i18n import active

    tr = active()
    if tr is None or not items:
        return and_list(items)
    from babel.lists import format_list

    return str(format_list(items, locale=tr.language.babel_locale))


def cite_all(composer: Composer, table: Any) -> tuple[int, ...]:
    """Cite every figure a table shows; its note numbers."""
    numbers: list[int] = []
    for row in table.rows:
        for fid in [row.get("figure_id"), *row.get("figure_ids", [])]:
            if fid and fid in composer.by_id:
                numbers.append(composer.notes.cite(composer.by_id[fid]))
    return tuple(sorted(set(numbers)))
