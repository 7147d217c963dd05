"""Notes a reader can bear (issue 18): the body's notes as a notes style writes them.

Composition cites figures in citing order (the directives first) and gives every distinct citation
one number. This pass walks the composed body in reading order, the order both writers show it (the
page's endnotes, Word's footnotes), and gives every place that cites a note a note of its own,
numbered on from 1:

- the first note of a source (a survey edition) is full, as it always was; a later one is short:
  the survey's short name and year, then the page(s) and the paper's footnote(s), e.g.
  'ASB 2022, p. 27. Cited in the paper's footnote 26.' (CSL's ``subsequent`` position);
- notes cited at one place to the same source merge into one, listing its pages and footnotes
  ('ASB 2022, pp. 24, 27. Cited in the paper's footnotes 20 and 26.');
- no 'Ibid.': Chicago 17 (14.34) prefers the short form, which stays right when an editor moves or
  deletes a Word footnote, reads the same in every language, and is hardly longer.

Nothing is lost: every page and every paper footnote of the full notes is in some note; a user's
link and a margin of error (a note of its own, never merged) are kept in full.

An entry (``Notes.entries``) is a survey note; one that brings its own ``text`` and ``short_text``
(e.g. a work formatted by a CSL processor in its first and its subsequent position) is printed as
given, full the first time its source (``survey``, ``edition``, ``citation``) is cited, short after,
and never merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from wbbrief.document import tree as t

Entry = dict[str, Any]


def restyle(
    blocks: Sequence[t.Block], entries: Sequence[Entry], short: bool = True, placed: dict[int, int] | None = None
) -> tuple[tuple[t.Block, ...], tuple[t.Note, ...]]:
    """The blocks with their note references renumbered in reading order, and the notes they cite;
    ``short`` False: every note in full and none merged (the notes as Word printed them before).
    ``placed``, where given, gets each citation's first note number as printed (the appendix's)."""
    by_number = {int(e["number"]): e for e in entries}
    notes: list[t.Note] = []
    seen: set[tuple[Any, ...]] = set()

    def place(numbers: Sequence[int]) -> tuple[int, ...]:
        groups: dict[tuple[Any, ...], list[Entry]] = {}
        for n in numbers:
            entry = by_number[n]
            groups.setdefault(_merge_key(entry) if short else (n,), []).append(entry)
        out: list[int] = []
        for group in groups.values():
            first = group[0]
            source = _source_key(first)
            full = source not in seen or not short
            seen.add(source)
            number = len(notes) + 1
            page, footnote = first["page"], first["footnote"]
            if len(group) > 1:  # a merged note: its pages and footnotes, listed
                page, footnote = ", ".join(_pages(group)) or None, ", ".join(map(str, _footnotes(group))) or None
            notes.append(
                t.Note(number, group_text(group, full), str(first["citation"]), page, footnote, first["url"],
                       bool(first["user"]), first["link"], str(first["survey"]))
            )  # fmt: skip
            out.append(number)
            if placed is not None:
                for entry in group:
                    placed.setdefault(int(entry["number"]), number)
        return tuple(out)

    walked = tuple(_block(b, place) for b in blocks)
    return walked, tuple(notes)


def _source_key(entry: Entry) -> tuple[Any, ...]:
    """What 'the same source' is: a survey edition as cited (a user's own citation is another)."""
    return (entry["survey"], entry.get("edition"), entry["citation"])


def _merge_key(entry: Entry) -> tuple[Any, ...]:
    """Notes at one place merge when they cite the same source the same way; a note with a margin
    of error gives one figure's interval, so it stands alone."""
    alone = (entry["number"],) if entry.get("sample") or entry.get("short_text") is not None else ()
    return (*_source_key(entry), bool(entry["user"]), entry["link"], *alone)


def _page_key(page: str) -> tuple[int, str]:
    digits = re.match(r"\d+", page)
    return (int(digits.group()) if digits else 0, page)


def _pages(group: Sequence[Entry]) -> list[str]:
    return sorted({str(e["page"]) for e in group if e["page"]}, key=_page_key)


def _footnotes(group: Sequence[Entry]) -> list[int]:
    """The paper's footnotes, in the order of their pages (so the two lists read side by side)."""
    ordered = sorted(group, key=lambda e: (_page_key(str(e["page"] or "")), int(e["footnote"] or 0)))
    out: list[int] = []
    for e in ordered:
        if e["footnote"] and int(e["footnote"]) not in out:
            out.append(int(e["footnote"]))
    return out


def group_text(group: Sequence[Entry], full: bool) -> str:
    """A note as printed: the full citation or the short one, its pages, the paper's footnotes, and
    what a user's figure adds (its link, its interval), in the language in use."""
    from wbbrief.document.notes import note_text

    first = group[0]
    if first.get("short_text") is not None:  # formatted already (a style's first and subsequent forms)
        return str(first["text"] if full else first["short_text"])
    head = str(first["citation"] if full else first.get("short") or first["citation"])
    if len(group) == 1:
        return note_text({**first, "citation": head})
    from wbbrief.i18n import _
    from wbbrief.query.citations import with_pages

    pages, footnotes = _pages(group), _footnotes(group)
    missing = any(not e["page"] for e in group)
    text = with_pages(head, pages)
    if missing:
        gap = _("report page not given") if first["user"] else _("report page not given in the paper")
        text += f"; {gap}" if pages else f" ({gap})"
    text += ".\n"
    if len(footnotes) == 1:
        text += _("Cited in the paper's footnote {number}.", number=footnotes[0])
    elif footnotes:
        text += _("Cited in the paper's footnotes {numbers}.", numbers=_and_list([str(n) for n in footnotes]))
    if first["user"]:
        text += f" {_('User-supplied data')}" + (f": {first['link']}" if first["link"] else "") + "."
    return text


def _and_list(items: list[str]) -> str:
    """'20, 22 and 26' in the language in use (CLDR's list pattern)."""
    from wbbrief.document.content import and_list
    from wbbrief.i18n import active

    tr = active()
    if tr is None:
        return and_list(items)
    from babel.lists import format_list

    return str(format_list(items, locale=tr.language.babel_locale))


# --- the walk: the body in reading order, as both writers show it ---------------------------------

Place = Callable[[Sequence[int]], tuple[int, ...]]


def _inlines(content: Sequence[t.Inline], place: Place) -> tuple[t.Inline, ...]:
    out: list[t.Inline] = []
    for item in content:
        if isinstance(item, t.NoteRef):
            out.append(t.NoteRef(place(item.numbers)) if item.numbers else item)
        elif isinstance(item, t.Cite) and item.note:  # a work's note (document.citeproc formats it)
            out.append(replace(item, note=place((item.note,))[0]))
        elif isinstance(item, t.Emph | t.Strong | t.Strikeout | t.Span | t.Link):
            out.append(replace(item, content=_inlines(item.content, place)))
        else:
            out.append(item)
    return tuple(out)


def _row(row: t.Row, place: Place) -> t.Row:
    return replace(row, cells=tuple(replace(c, content=_inlines(c.content, place)) for c in row.cells))


def _block(block: t.Block, place: Place) -> t.Block:
    if isinstance(block, t.Heading | t.Para | t.Plain):
        return replace(block, content=_inlines(block.content, place))
    if isinstance(block, t.BulletList | t.OrderedList):
        return replace(block, items=tuple(tuple(_block(b, place) for b in item) for item in block.items))
    if isinstance(block, t.BlockQuote | t.Div):
        return replace(block, blocks=tuple(_block(b, place) for b in block.blocks))
    if isinstance(block, t.Table):  # its cells, then the notes of its source line
        header, rows = _row(block.header, place), tuple(_row(r, place) for r in block.rows)
        return replace(block, header=header, rows=rows, notes=place(block.notes) if block.notes else ())
    if isinstance(block, t.Chart):  # the notes of its source line
        return replace(block, notes=place(block.notes) if block.notes else ())
    if isinstance(block, t.Findings):
        found = tuple(replace(f, content=_inlines(f.content, place)) for f in block.findings)
        return replace(block, findings=found)
    if isinstance(block, t.Recommendations):
        items = tuple(
            replace(r, support=tuple(_inlines(s, place) for s in r.support)) for r in block.items
        )  # fmt: skip
        return replace(block, items=items)
    return block
