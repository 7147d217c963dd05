"""pandoc's JSON AST as the Word writer (``render.word``) writes it: the tree's inlines, its notes
and the document's properties.

Every run of text is one ``Str`` that pandoc writes verbatim (xml:space="preserve"): nothing a user
wrote is read as markup, and there is no raw HTML/TeX/OpenXML element to smuggle in (``docx``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from wbbrief.base.errors import RenderError
from wbbrief.document import tree as t

# pandoc-types version of the JSON AST we write (pandoc 3.x reads it).
PANDOC_API_VERSION = [1, 23, 1, 1]
NO_ATTR: list[Any] = ["", [], []]

Node = dict[str, Any]

_WS = re.compile(r"\s+")


def text(value: str) -> Node:
    # One Str per run of text: pandoc writes it verbatim (xml:space="preserve"), nothing is parsed.
    return {"t": "Str", "c": _WS.sub(" ", value)}


def plain(value: str) -> list[Node]:
    """A text as inlines: one Str, or none for an empty text."""
    return [text(value)] if value else []


def note_bodies(notes: Sequence[t.Note]) -> list[list[Node]]:
    """Each provenance note's blocks, by number: its text on one line, a work of the bibliography
    as its citation style formats it (a title in italics stays in italics). A reference to a note
    becomes a Word footnote of its own (Word numbers footnotes per reference)."""
    formatted = Inlines(())
    return [
        [{"t": "Para", "c": _stripped(formatted(note.content)) if note.content else plain(" ".join(note.text.split()))}]
        for note in notes
    ]


# The tree's inline formatting that Word keeps, by pandoc's name (a Span's classes only style the page).
_FORMATTING = {t.Emph: "Emph", t.Strong: "Strong", t.Strikeout: "Strikeout"}


class Inlines:
    """The tree's inlines as pandoc's: text, emphasis, bold, cross-references and footnotes."""

    def __init__(self, notes: Sequence[list[Node]]) -> None:
        self.notes = notes

    def __call__(self, content: Sequence[t.Inline]) -> list[Node]:
        out: list[Node] = []
        for item in content:
            if isinstance(item, t.Text | t.Code | t.DataText | t.FigureValue | t.Cite):
                out += plain(item.text)
            elif isinstance(item, t.NoteRef):
                out += [self.note(n) for n in item.numbers]
            elif isinstance(item, t.SoftBreak | t.LineBreak):
                out.append(text(" "))
            elif isinstance(item, t.Image):
                out += plain(item.alt)
            elif isinstance(item, t.Emph | t.Strong | t.Strikeout):
                if inner := self(item.content):  # pandoc sets a footnote inside it in the notes' own style
                    out.append({"t": _FORMATTING[type(item)], "c": inner})
            elif isinstance(item, t.Link) and (target := reference(item)):  # an internal hyperlink to the bookmark
                out.append({"t": "Link", "c": [NO_ATTR, plain(t.plain_text(item.content)), [f"#{target}", ""]]})
            else:
                out += self(item.content)
        return out

    def note(self, number: int) -> Node:
        if not 1 <= number <= len(self.notes):
            raise RenderError(f"note {number} is cited but the document has {len(self.notes)} note(s)")
        return {"t": "Note", "c": self.notes[number - 1]}

    def notes_of(self, numbers: Sequence[int]) -> list[Node]:
        return [self.note(n) for n in numbers]


def _stripped(inlines: list[Node]) -> list[Node]:
    """Inlines without the white space they start or end with (into their formatting)."""

    def strip(items: list[Node], end: int) -> list[Node]:
        while items:
            edge = items[end]
            if edge["t"] == "Str":
                kept = edge["c"].lstrip() if end == 0 else edge["c"].rstrip()
                new = [{"t": "Str", "c": kept}] if kept else []
            elif edge["t"] in _FORMATTING.values():
                inner = strip(edge["c"], end)
                new = [{"t": edge["t"], "c": inner}] if inner else []
            else:
                return items
            items = new + items[1:] if end == 0 else items[:-1] + new
            if new:
                return items
        return items

    return strip(strip(inlines, 0), -1)


def reference(link: t.Link) -> str | None:
    """The bookmark a cross-reference goes to (document.xref), or None for any other link."""
    refs = [i for i in link.content if isinstance(i, t.DataText) and i.role in ("numref", "ref")]
    if link.href and link.href.startswith("#") and len(refs) == len(link.content) == 1:
        return link.href[1:]
    return None


def flat_text(inlines: Sequence[Node]) -> str:
    """The text of pandoc inlines on one line, footnotes left out (a heading's text)."""

    def texts(items: Sequence[Node]) -> list[str]:
        out: list[str] = []
        for item in items:
            if item["t"] == "Str":
                out.append(item["c"])
            elif item["t"] == "Link":
                out += texts(item["c"][1])
            elif item["t"] != "Note":
                out += texts(item["c"])
        return out

    return _WS.sub(" ", "".join(texts(inlines))).strip()


def meta(brief: t.Brief, extra: dict[str, str]) -> Node:
    """The document's properties: title, subtitle, author, date, language, and ``extra`` (custom ones)."""
    m = brief.meta

    def inlines(value: str) -> Node:
        return {"t": "MetaInlines", "c": plain(value)}

    out = {"title": inlines(m.title), "date": inlines(m.date_text or m.date.isoformat()), "lang": inlines(m.lang)}
    if m.subtitle:
        out["subtitle"] = inlines(m.subtitle)
    if m.author:
        out["author"] = {"t": "MetaList", "c": [inlines(m.author)]}
    for key, value in extra.items():
        out.setdefault(key, inlines(value))
    return out
