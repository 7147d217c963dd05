"""A parsed document's Markdown tokens as the tree's blocks and inlines (``document.tree``).

``Reader`` knows no data: roles are resolved by the function it is given (the composer's), images
and links are checked as ``check`` checks them, and a heading's '{#id .break}' becomes its Attr.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wbbrief.document import tree as t
from wbbrief.document.syntax import ESCAPED_AT
from wbbrief.document.xrefsyntax import HEADING_ATTRS, slug

if TYPE_CHECKING:
    from markdown_it.token import Token

    from wbbrief.document.model import Document

HEADING_CLASSES = ("break",)  # the only classes a document may give: a page break before
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
_ALIGN = re.compile(r"text-align:(left|center|right)")

Role = Callable[[str, str], list[t.Inline]]
CiteMaker = Callable[[t.Cite], list[t.Inline]]


class Reader:
    def __init__(self, document: Document, role: Role, cite: CiteMaker | None = None) -> None:
        self.document = document
        self.role = role
        self.cite = cite  # what a citation becomes; None: no bibliography, '[@key]' stays text

    # --- blocks -------------------------------------------------------------------------------

    def blocks(self, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> list[t.Block]:
        end = len(tokens) if end is None else end
        out: list[t.Block] = []
        i = start
        while i < end:
            token = tokens[i]
            kind = token.type
            if kind == "heading_open":
                out.append(self.heading(token, tokens[i + 1]))
                i += 3
            elif kind == "paragraph_open":
                content = tuple(self.inlines(tokens[i + 1].children or []))
                out.append(t.Plain(content) if token.hidden else t.Para(content))
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open", "blockquote_open", "table_open"):
                close = _closing(tokens, i)
                out.append(self.container(tokens, i, close))
                i = close + 1
            elif kind in ("fence", "code_block"):
                out.append(t.CodeBlock(token.content))
                i += 1
            elif kind == "hr":
                out.append(t.HorizontalRule())
                i += 1
            else:  # front matter; raw HTML is off
                i += 1
        return out

    def container(self, tokens: Sequence[Token], start: int, close: int) -> t.Block:
        token = tokens[start]
        if token.type == "blockquote_open":
            return t.BlockQuote(tuple(self.blocks(tokens, start + 1, close)))
        if token.type == "table_open":
            return self.table(tokens, start, close)
        items: list[tuple[t.Block, ...]] = []
        i = start + 1
        while i < close:
            end = _closing(tokens, i)
            items.append(tuple(self.blocks(tokens, i + 1, end)))
            i = end + 1
        if token.type == "ordered_list_open":
            return t.OrderedList(tuple(items), int(token.attrs.get("start", 1) or 1))
        return t.BulletList(tuple(items))

    def table(self, tokens: Sequence[Token], start: int, close: int) -> t.Table:
        rows: list[t.Row] = []
        cells: list[t.Cell] = []
        for i in range(start, close):
            token = tokens[i]
            if token.type in ("th_open", "td_open"):
                style = _ALIGN.search(str(token.attrs.get("style", "")))
                content = tuple(self.inlines(tokens[i + 1].children or []))
                cells.append(t.Cell(content, style.group(1) if style else ""))
            elif token.type == "tr_close":
                rows.append(t.Row(tuple(cells)))
                cells = []
        return t.Table("markdown", "", rows[0], tuple(rows[1:]))

    def heading(self, token: Token, inline: Token) -> t.Heading:
        children = list(inline.children or [])
        attr = t.Attr()
        explicit = False
        last = children[-1] if children else None
        match = HEADING_ATTRS.search(last.content) if last is not None and last.type == "text" else None
        content: list[t.Inline]
        if match and last is not None:
            classes = tuple(c[1:] for c in match.group(2).split() if c[1:] in HEADING_CLASSES)
            attr, explicit = t.Attr(match.group(1), classes), True
            trimmed = last.content[: match.start()].rstrip()
            content = self.inlines(children[:-1])
            if trimmed:
                content.append(t.Text(trimmed))
        else:
            content = self.inlines(children)
        if not explicit:
            attr = t.Attr(slug(t.plain_text(content, notes=True).strip()))
        return t.Heading(int(token.tag[1]), attr, tuple(content), explicit)

    # --- inlines ------------------------------------------------------------------------------

    def inlines(self, children: Sequence[Token]) -> list[t.Inline]:
        out: list[t.Inline] = []
        stack: list[tuple[str, Token, list[t.Inline]]] = []
        if self.cite is not None and any(token.type == "softbreak" for token in children):
            from wbbrief.document.citations import joined

            children = joined(children)  # a citation wrapped across lines is one (issue 18)
        for token in children:
            kind = token.type
            if kind in ("em_open", "strong_open", "s_open", "link_open"):
                stack.append((kind, token, out))
                out = []
                continue
            if kind in ("em_close", "strong_close", "s_close", "link_close") and stack:
                opened, open_token, outer = stack.pop()
                content = tuple(out)
                out = outer
                if opened == "em_open":
                    out.append(t.Emph(content))
                elif opened == "strong_open":
                    out.append(t.Strong(content))
                elif opened == "s_open":
                    out.append(t.Strikeout(content))
                else:
                    out.append(t.Link(_link(str(open_token.attrs.get("href", ""))), content))
                continue
            if kind == "text" and token.content:
                if self.cite is not None and "@" in token.content:
                    from wbbrief.document.citations import split_text

                    out += split_text(token.content, self.cite)
                else:
                    out.append(t.Text(token.content.replace(ESCAPED_AT, "")))
            elif kind == "code_inline":
                out.append(t.Code(token.content))
            elif kind == "softbreak":
                out.append(t.SoftBreak())
            elif kind == "hardbreak":
                out.append(t.LineBreak())
            elif kind == "myst_role":
                out += self.role(str(token.meta.get("name", "")), token.content.strip())
            elif kind == "image":
                out.append(self.image(str(token.attrs.get("src", "")), alt_text(token.children or [])))
        return out

    def image(self, src: str, alt: str) -> t.Image:
        """An image from the document's folder, inlined; anything else shows as its alt text."""
        from wbbrief.document.frontmatter import inside_folder
        from wbbrief.document.syntax import image_problem

        if image_problem(self.document.folder, src) is not None:
            return t.Image(None, alt)
        path = inside_folder(self.document.folder, urllib.parse.unquote(src))
        if isinstance(path, str):
            return t.Image(None, alt)
        from wbbrief.document.images import sanitize_svg

        raw = path.read_bytes()  # a regular file within the size limits: image_problem checked it
        data = base64.b64encode(sanitize_svg(raw) if path.suffix.lower() == ".svg" else raw).decode("ascii")
        return t.Image(f"data:{_MIME[path.suffix.lower()]};base64,{data}", alt)


def _link(href: str) -> str | None:
    from wbbrief.document.syntax import link_problem

    return None if link_problem(href) is not None else href


def alt_text(children: Sequence[Token]) -> str:
    """An image's alt text as CommonMark gives it (markdown-it's renderInlineAsText)."""
    out: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline", "html_inline", "html_block"):
            out.append(token.content)
        elif token.type == "image":
            out.append(alt_text(token.children or []))
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out).replace(ESCAPED_AT, "")


def _closing(tokens: Sequence[Token], start: int) -> int:
    depth = 0
    j = start
    while True:
        depth += tokens[j].nesting
        if depth == 0:
            return j
        j += 1
