"""``check``'s side of every id once on the page (``document.ids`` is the tree's), without the tree.

A heading with no '{#label}' gets an automatic id, a slug of its text ('## Key findings' ->
``key-findings``). An author's label equal to a heading's automatic id is an error at the later of
the two, naming where the other is, and so is a label equal to one of the page's own ids; two
headings with the same automatic id are a warning (the second gets ``-1``: a link to the id reaches
the first). Headings and labels inside {claim} or {only} blocks clash only with those of the same
block and those outside any, since exclusive blocks never meet on a page. A heading whose text holds
a role or an image has an id known only once composed: the tree's pass still keeps it unique.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wbbrief.base.record import record
from wbbrief.document.model import Diagnostic, Document, Position
from wbbrief.document.syntax import ESCAPED_AT
from wbbrief.document.xrefcheck import _headings, heading_lines, labels
from wbbrief.document.xrefsyntax import HEADING_ATTRS, slug

if TYPE_CHECKING:
    from markdown_it.token import Token

# The ids the page's template and writers give their own sections (templates/brief.html.j2, citeproc,
# render/word.py), and the note references' and notes' ids ('ref-3', 'note-3').
PAGE_IDS = frozenset({"notes", "figures-used", "references", "surveys"})
_PAGE_PATTERN = re.compile(r"(?:note|ref)-\d+\Z")


def page_id(name: str) -> bool:
    """Whether the page itself uses the id ``name``."""
    return name in PAGE_IDS or _PAGE_PATTERN.match(name) is not None


@record
class _Id:
    name: str
    position: Position
    auto: bool  # a heading's automatic id (else the author's label)
    block: Position | None  # the {claim} or {only} it is in (its fence), None outside any


def problems(document: Document, file: str) -> list[Diagnostic]:
    """``check``'s problems with ids: labels that clash with headings' automatic ids or the page's own,
    and headings with the same automatic id."""
    out: list[Diagnostic] = []

    def add(item: _Id, severity: str, message: str) -> None:
        out.append(
            Diagnostic(file, item.position, "error" if severity == "error" else "warning", "duplicate-id", message)
        )

    seen: dict[str, list[_Id]] = {}
    for item in sorted(_ids(document), key=lambda i: (i.position.line, i.position.col)):
        if not item.auto and page_id(item.name):
            add(
                item,
                "error",
                f"the label '{item.name}' is an id the brief gives its own section or notes; choose another label",
            )
            continue
        earlier = [e for e in seen.get(item.name, []) if _meet(e, item) and (e.auto or item.auto)]
        seen.setdefault(item.name, []).append(item)
        if not earlier:
            continue  # two labels alike are xrefcheck's 'duplicate-label'
        first = earlier[0]
        at = f"line {first.position.line}, column {first.position.col}"
        if first.auto and item.auto:
            message = (
                f"this heading's automatic id '{item.name}' is also that of the heading at {at}: this one's becomes "
                f"'{item.name}-{len(earlier)}' and a link to '#{item.name}' reaches the first; give it a {{#label}}"
            )
            add(item, "warning", message)
        else:
            what = f"this heading's automatic id '{item.name}'" if item.auto else f"the label '{item.name}'"
            other = "the label given at" if item.auto else "the automatic id of the heading at"
            add(
                item,
                "error",
                f"{what} is also {other} {at}; give the heading its own {{#label}} or choose another label",
            )
    return out


def _meet(a: _Id, b: _Id) -> bool:
    """Whether two ids can be on one page: not in two different conditional blocks."""
    return a.block is None or b.block is None or a.block == b.block


def _ids(document: Document) -> list[_Id]:
    """The author's labels and the headings' automatic ids, each once, with their conditional blocks."""
    blocks: dict[tuple[str, Position], Position] = {}
    headings = _auto_headings(document, None)
    for directive in document.directives:
        body = directive.body
        if body is None:
            continue
        conditional = directive.position if directive.name in ("claim", "only") else None
        headings += _auto_headings(body, conditional)
        if conditional is not None:
            for label in _headings(body):
                blocks[(label.name, label.position)] = conditional
            for inner in body.directives:
                if inner.label is not None:
                    blocks[(inner.label.text, inner.label.position)] = conditional
    out = list({(h.name, h.position): h for h in headings}.values())
    for label in labels(document):
        out.append(_Id(label.name, label.position, False, blocks.get((label.name, label.position))))
    return out


def _auto_headings(document: Document, block: Position | None) -> list[_Id]:
    """The automatic ids of a document's own headings (those with no '{#label}'), where each text starts."""
    out: list[_Id] = []
    for line, source, inline in heading_lines(document):
        text = _text(inline.children or [])
        if text is None or HEADING_ATTRS.search(inline.content):
            continue
        col = source.find(inline.content[:20]) if inline.content else -1
        out.append(_Id(slug(text.strip()), Position(line + 1, col + 1 if col >= 0 else 1), True, block))
    return out


def _text(children: list[Token]) -> str | None:
    """A heading's text as the tree's reader gives it (``document.inlines``), or None where only
    composing knows it (a role's text, an image's)."""
    parts: list[str] = []
    for child in children:
        if child.type in ("myst_role", "image"):
            return None
        if child.type == "text":
            parts.append(child.content.replace(ESCAPED_AT, ""))
        elif child.type == "code_inline":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)
