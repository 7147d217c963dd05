"""Cross-references: labels on charts, tables and sections, and the roles that refer to them.

The syntax is MyST's:

- a label: a ``{chart}`` or ``{table}`` directive's option ``:name: fig-threats``; a heading's own id,
  ``## 3.1 Threat perception {#threats}``; a Markdown table, wrapped in a ``{table}`` directive with
  its caption (```` ```{table} Caption ```` + ``:name:`` + the table), as MyST wraps one;
- a reference: ``{numref}`fig-threats``` gives the target's number as the reader sees it, in the
  document's language, linked ("Figure 3", "Grafikon 3" — capitalised where it starts a sentence, in
  lower case elsewhere in the languages that write it so: "vidi grafikon 3"); ``{numref:acc}`label```
  a case form the language declares (locales/<tag>/language.toml ``cases``, the forms in labels.csv,
  kind ``term``: "vidi grafikon 3", "na grafikonu 3"); ``{ref}`label``` the target's title; and
  MyST's explicit form for either, ``{numref}`see Figure %s <label>``` (``%s`` or ``{number}``: the
  number; ``{name}``: the title), written as it is to appear.

Numbers are those on the page: a chart's is the number the composer gave it ("Figure n."); a
section's is the number its heading starts with ("## 2.1 …" is section 2.1; a heading with no number
can be referred to by its title only); tables with a caption are numbered in document order, and
show "Table n." in their caption once the document refers to a table by number (a document that never
does keeps its captions as they were).

The composer leaves each reference as a pending ``Span``; ``resolve`` replaces them, once, on the
composed tree, for every writer: a ``Link`` to the target's anchor (its label) around the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from wbbrief.base.errors import RenderError
from wbbrief.base.record import record
from wbbrief.document import tree as t
from wbbrief.document.xrefsyntax import LABEL as LABEL
from wbbrief.document.xrefsyntax import TERMS as TERMS
from wbbrief.document.xrefsyntax import role_form as role_form
from wbbrief.document.xrefsyntax import section_number as section_number
from wbbrief.document.xrefsyntax import split_target as split_target

if TYPE_CHECKING:
    from wbbrief.document.model import Directive, Document

PENDING = "xref-pending"  # the class of a reference's Span until ``resolve`` replaces it
_OPENING = "([\"'„“‘«‹‚ \u00a0"
_SENTENCE_END = ".!?…"


def table_body_problem(body: Document) -> str | None:
    """Why a {table}'s Markdown body is not one Markdown table and nothing else, or None."""
    opened = [tok.type for tok in body.tokens if tok.level == 0 and tok.nesting >= 0]
    if opened != ["table_open"]:
        return "a {table} that holds Markdown holds one Markdown table and nothing else"
    return None


def pending(role: str, target: str) -> list[t.Inline]:
    """A reference as the composer leaves it, for ``resolve``."""
    text, label = split_target(target)
    pairs = (("role", role), ("label", label)) + ((("text", text),) if text is not None else ())
    return [t.Span(t.Attr(classes=(PENDING,), pairs=pairs), ())]


def label_blocks(blocks: list[t.Block], directive: Directive) -> list[t.Block]:
    """A labelled {chart} or {table}'s blocks, the one chart or table it shows carrying the label."""
    assert directive.label is not None
    label = directive.label.text
    kind = t.Chart if directive.name == "chart" else t.Table
    found = [b for b in blocks if isinstance(b, kind)]
    if len(found) != 1:
        what = "chart" if directive.name == "chart" else "table"
        raise RenderError(
            f"{{{directive.name}}} at line {directive.position.line}: the label '{label}' names one {what}, and "
            f"this {{{directive.name}}} shows {len(found)}; select one (figure ids or :question:) to label it"
        )
    return [replace(b, label=label) if b is found[0] else b for b in blocks]


def markdown_table(blocks: list[t.Block], directive: Directive) -> list[t.Block]:
    """A {table} wrapping a Markdown table: the table with its caption and label."""
    caption = directive.caption.text if directive.caption else ""
    label = directive.label.text if directive.label else ""
    return [replace(b, caption=caption, label=label) if isinstance(b, t.Table) else b for b in blocks]


# --- resolving, on the tree -------------------------------------------------------------------


@record
class Target:
    kind: str  # "figure", "table" or "section"
    number: str  # as the reader sees it; "" when it has none
    title: str


def resolve(blocks: Sequence[t.Block]) -> tuple[t.Block, ...]:
    """The tree with every reference resolved, and tables numbered where the document refers to one
    by number; the blocks as they are when the document has no reference."""
    refs = [dict(span.attr.pairs) for span in _pending(blocks)]
    if not refs:
        return tuple(blocks)
    targets = _targets(blocks)
    for ref in refs:
        if ref["label"] not in targets:
            raise RenderError(
                f"{{{ref['role']}}}`{ref['label']}`: no chart, table or section of the brief has this label (it is "
                "unknown, or in a part left out for this country or data); run `wbbrief check` on the document"
            )
    if any(r["role"] != "ref" and targets[r["label"]].kind == "table" for r in refs):
        blocks = _number_tables(blocks)
    return tuple(_map(blocks, lambda content: _Resolver(targets).inlines(content)))


def _pending(blocks: Sequence[t.Block]) -> list[t.Span]:
    found: list[t.Span] = []

    def visit(content: Sequence[t.Inline]) -> tuple[t.Inline, ...]:
        for item in content:
            if isinstance(item, t.Span) and PENDING in item.attr.classes:
                found.append(item)
            elif isinstance(item, t.Emph | t.Strong | t.Strikeout | t.Span | t.Link):
                visit(item.content)
        return tuple(content)

    _map(blocks, visit)
    return found


def _targets(blocks: Sequence[t.Block]) -> dict[str, Target]:
    found: dict[str, Target] = {}
    tables = 0
    for block in _walk(blocks):
        if isinstance(block, t.Chart) and block.label:
            found[block.label] = Target("figure", str(block.number), block.title)
        elif isinstance(block, t.Table):
            tables += 1 if block.caption else 0
            if block.label:
                found[block.label] = Target("table", str(tables) if block.caption else "", block.caption)
        elif isinstance(block, t.Heading) and block.explicit:
            number, title = section_number(t.plain_text(block.content))
            found[block.attr.id] = Target("section", number, title)
    return found


def _number_tables(blocks: Sequence[t.Block]) -> list[t.Block]:
    count = 0

    def number(block: t.Block) -> t.Block:
        nonlocal count
        if isinstance(block, t.Table) and block.caption:
            count += 1
            return replace(block, number=count)
        return block

    return [_map_block(b, number) for b in blocks]


class _Resolver:
    """Resolves the references of one block's inlines, knowing the text before each (a sentence's start)."""

    def __init__(self, targets: dict[str, Target]) -> None:
        self.targets = targets
        self.before: list[str] = []

    def inlines(self, content: Sequence[t.Inline], in_link: bool = False) -> tuple[t.Inline, ...]:
        out: list[t.Inline] = []
        for item in content:
            if isinstance(item, t.Span) and PENDING in item.attr.classes:
                pairs = dict(item.attr.pairs)
                text = self.text(pairs)
                self.before.append(text)
                shown = t.DataText(text, pairs["role"].partition(":")[0])
                out.append(shown if in_link else t.Link(f"#{pairs['label']}", (shown,)))
            elif isinstance(item, t.Emph | t.Strong | t.Strikeout | t.Span | t.Link):
                inner = self.inlines(item.content, in_link or isinstance(item, t.Link))
                out.append(replace(item, content=inner))
            else:
                self.before.append(t.plain_text([item]))
                out.append(item)
        return tuple(out)

    def text(self, pairs: dict[str, str]) -> str:
        role, label = pairs["role"], pairs["label"]
        target = self.targets[label]
        explicit = pairs.get("text")
        if role == "ref":
            if explicit is not None:
                return explicit
            if not target.title:
                raise RenderError(f"{{ref}}`{label}`: the {target.kind} has no title or caption to show")
            return target.title
        if not target.number:
            raise RenderError(f"{{numref}}`{label}`: the {target.kind} has no number (run `wbbrief check`)")
        if explicit is not None:
            return (
                explicit.replace("%s", target.number).replace("{number}", target.number).replace("{name}", target.title)
            )
        from wbbrief.i18n import current

        term = current().noun("term", target.kind, TERMS[target.kind])
        text = f"{format(term, role_form(role))} {target.number}"
        return text[:1].upper() + text[1:] if self.starts_sentence() else text

    def starts_sentence(self) -> bool:
        before = "".join(self.before).rstrip(_OPENING)
        return not before or before[-1] in _SENTENCE_END


# --- walking the tree -------------------------------------------------------------------------


def _walk(blocks: Sequence[t.Block]) -> list[t.Block]:
    """Every block, nested ones included, in reading order."""
    out: list[t.Block] = []

    def visit(block: t.Block) -> t.Block:
        out.append(block)
        return block

    for block in blocks:
        _map_block(block, visit)
    return out


def _map_block(block: t.Block, change: Callable[[t.Block], t.Block]) -> t.Block:
    """``change`` applied to a block after its children (lists, quotes, boxes), in reading order."""
    block = change(block) if not isinstance(block, t.BulletList | t.OrderedList | t.BlockQuote | t.Div) else block
    if isinstance(block, t.BulletList | t.OrderedList):
        items = tuple(tuple(_map_block(b, change) for b in item) for item in block.items)
        return change(replace(block, items=items))
    if isinstance(block, t.BlockQuote | t.Div):
        return change(replace(block, blocks=tuple(_map_block(b, change) for b in block.blocks)))
    return block


def _map(blocks: Sequence[t.Block], inlines: Callable[[Sequence[t.Inline]], tuple[t.Inline, ...]]) -> list[t.Block]:
    """The blocks with the author's inlines (paragraphs, headings, table cells) passed through ``inlines``,
    each block's own sequence (or each cell's) at once, in reading order."""

    def change(block: t.Block) -> t.Block:
        if isinstance(block, t.Para | t.Plain | t.Heading):
            return replace(block, content=inlines(block.content))
        if isinstance(block, t.Table) and block.kind == "markdown":
            rows = tuple(
                replace(row, cells=tuple(replace(c, content=inlines(c.content)) for c in row.cells))
                for row in (block.header, *block.rows)
            )
            return replace(block, header=rows[0], rows=rows[1:])
        return block

    return [_map_block(b, change) for b in blocks]
