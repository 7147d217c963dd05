"""Citations formatted by a real CSL processor: pandoc's citeproc, run once per brief (issue 18).

The composed tree's citations (``tree.Cite``) go to pandoc as a JSON AST, in reading order, each in a
paragraph of its own; in a notes style the survey notes stand between them as notes of their own,
so that pandoc numbers every note as the brief does and the style's positions (first, subsequent,
ibid) see the notes as the reader will. pandoc runs with ``--sandbox``: it reads the bibliography
files and the style named on its command line and nothing else, and fetches nothing. What it returns
(its JSON AST, not our markup) becomes the tree's inlines: each citation's note (or, in an author-date
style, its text), and the References section. Raw markup in pandoc's output is dropped.

The CSL locale is the document's language. pandoc carries one for en, hr and sr; Serbian in Latin
script is the Serbian locale transliterated. For Albanian, Macedonian, Bosnian and Montenegrin,
which pandoc lacks, wbbrief ships its own (``wbbrief/styles/locales``) and pandoc is given a copy
of the style with that locale inside it (``document.csllocale``): a locale the style itself
defines wins over ours, term by term, and nothing falls back to English.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import RenderError
from wbbrief.document import tree as t
from wbbrief.document.citations import pandoc_citation
from wbbrief.document.csllocale import SHIPPED, localized_style

if TYPE_CHECKING:
    from wbbrief.document.bibliography import Style
    from wbbrief.document.model import Document
    from wbbrief.document.notes import Notes

PANDOC_API_VERSION = [1, 23, 1]
# The document's language -> its CSL locale (pandoc's, or one wbbrief ships: csllocale.SHIPPED), and
# whether pandoc's output is then written in Latin script. Languages missing here: American English.
LOCALES: dict[str, tuple[str, bool]] = {
    "en": ("en-US", False), "hr": ("hr-HR", False), "sr-Cyrl": ("sr-RS", False), "sr-Latn": ("sr-RS", True),
    "sq": ("sq-AL", False), "mk": ("mk-MK", False), "bs": ("bs-BA", False), "cnr": ("cnr-ME", False),
}  # fmt: skip
# What the last run cost, for `make bench` and the report: milliseconds and pandoc calls.
COST: dict[str, float] = {"ms": 0.0, "calls": 0}
_RUNS: dict[tuple[bytes, tuple[tuple[str, int, int], ...]], bytes] = {}


def literature_note(notes: Notes, cite: t.Cite) -> t.Cite:
    """A citation as a note of its own, numbered after the notes cited before it."""
    number = len(notes.entries) + 1
    notes.entries.append({
        "number": number, "survey": "", "citation": cite.text, "page": None, "footnote": None, "url": None,
        "user": False, "link": None, "text": cite.text, "short_text": cite.text, "literature": True,
    })  # fmt: skip
    return dataclasses.replace(cite, note=number)


def csl_locale(lang: str) -> tuple[str, bool]:
    return LOCALES.get(lang, ("en-US", False))


def resolve(brief: t.Brief, document: Document, style: Style) -> t.Brief:
    """The brief with its citations formatted: notes (or text), and the References section."""
    from wbbrief.document.bibliography import BibliographyError, read_keys
    from wbbrief.i18n import _

    cites: list[t.Cite] = []

    def collect(cite: t.Cite) -> list[t.Inline]:
        cites.append(cite)
        return [cite]

    for block in brief.blocks:
        _map_block(block, collect)
    keys: set[str] = set()
    for path in document.front_matter.bibliography:
        try:
            keys |= set(read_keys(path))
        except BibliographyError as err:
            raise RenderError(str(err)) from err
    for cite in cites:
        for citation in cite.citations:
            if citation.key not in keys:
                raise RenderError(f"unknown citation key '@{citation.key}' (run `wbbrief check` on the document)")
    locale, latin = csl_locale(brief.meta.lang)
    output = run_citeproc(_ast(brief, cites, style.note, locale), document, style)
    formatted = _read(output, cites, style.note, latin)
    by_note = {cite.note: note for cite, (_, note) in zip(cites, formatted, strict=True) if cite.note}
    done = iter(formatted)

    def replace(cite: t.Cite) -> list[t.Inline]:
        prose, _note = next(done)
        return [*prose, t.NoteRef((cite.note,))] if cite.note else prose

    blocks = [_map_block(b, replace) for b in brief.blocks]
    notes = tuple(
        dataclasses.replace(n, text=t.plain_text(by_note[n.number]).strip(), content=by_note[n.number], literature=True)
        if n.number in by_note else n
        for n in brief.notes
    )  # fmt: skip
    entries = output["blocks"][-1]["c"][1] if output["blocks"] else []
    works = tuple(t.Para(tuple(_inlines(b["c"], latin))) for e in entries for b in e["c"][1] if b["t"] == "Para")
    if works:
        heading = t.Heading(2, t.Attr("references"), (t.Text(_("References")),), explicit=True)
        blocks += [heading, t.Div(t.Attr("refs", ("references",)), works)]
    return dataclasses.replace(brief, blocks=tuple(blocks), notes=notes)


def _ast(brief: t.Brief, cites: list[t.Cite], note: bool, locale: str) -> dict[str, Any]:
    def cite_para(cite: t.Cite) -> dict[str, Any]:
        citations = [pandoc_citation(c, cite.note) for c in cite.citations]
        return {"t": "Para", "c": [{"t": "Cite", "c": [citations, [{"t": "Str", "c": cite.text}]]}]}

    blocks: list[dict[str, Any]] = []
    if note:  # every note in its place: the survey notes as themselves, so that pandoc counts as we do
        by_note = {c.note: c for c in cites}
        for number in range(1, len(brief.notes) + 1):
            if number in by_note:
                blocks.append(cite_para(by_note[number]))
            else:
                blocks.append({"t": "Para", "c": [{"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": "-"}]}]}]})
    else:
        blocks += [cite_para(c) for c in cites]
    blocks.append({"t": "Div", "c": [["refs", [], []], []]})
    meta = {
        "lang": {"t": "MetaInlines", "c": [{"t": "Str", "c": locale}]},
        "link-citations": {"t": "MetaBool", "c": False},
    }
    return {"pandoc-api-version": PANDOC_API_VERSION, "meta": meta, "blocks": blocks}


def run_citeproc(ast: dict[str, Any], document: Document, style: Style) -> dict[str, Any]:
    """pandoc -f json -t json --sandbox --citeproc with the document's bibliography and style (with
    the locale wbbrief ships for the document's language, if it ships one)."""
    import pypandoc

    argv = [str(pypandoc.get_pandoc_path()), "-f", "json", "-t", "json", "--sandbox", "--citeproc"]
    bibliographies = [f"--bibliography={path}" for path in document.front_matter.bibliography]
    payload = json.dumps(ast).encode("utf-8")
    stamps = []
    for name in (style.path, *document.front_matter.bibliography):
        info = name.stat()
        stamps.append((str(name), info.st_mtime_ns, info.st_size))
    key = (payload, tuple(stamps))
    if key in _RUNS:  # `render --watch` and `preview` format the same citations again as prose changes
        cached: dict[str, Any] = json.loads(_RUNS[key])
        return cached
    tag = ast["meta"]["lang"]["c"][0]["c"]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wbbrief-csl-") as folder:
        csl = localized_style(style.path, tag, Path(folder)) if tag in SHIPPED.values() else style.path
        try:
            result = subprocess.run(
                [*argv, f"--csl={csl}", *bibliographies], input=payload, capture_output=True, check=False
            )
        except OSError as err:
            raise RenderError(f"pandoc could not be started: {err.strerror}") from err
    COST["ms"] += (time.perf_counter() - started) * 1000
    COST["calls"] += 1
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"pandoc's citeproc failed: {detail[-1] if detail else f'exit {result.returncode}'}")
    _RUNS.clear()  # one brief's run is kept: the last
    _RUNS[key] = result.stdout
    output: dict[str, Any] = json.loads(result.stdout)
    return output


def _read(
    output: dict[str, Any], cites: list[t.Cite], note: bool, latin: bool
) -> list[tuple[list[t.Inline], tuple[t.Inline, ...]]]:
    """For each citation: what stays in the prose (an author's name, or an author-date citation),
    and its note's content (empty in an author-date style)."""
    paras = output["blocks"][:-1]
    if note:
        wanted = {c.note for c in cites}
        paras = [p for number, p in enumerate(paras, 1) if number in wanted]
    out: list[tuple[list[t.Inline], tuple[t.Inline, ...]]] = []
    for para in paras:
        content = [i for i in para["c"] if i["t"] == "Cite"]
        inlines = content[0]["c"][1] if content else para["c"]
        prose: list[dict[str, Any]] = []
        found: tuple[t.Inline, ...] = ()
        for item in inlines:
            if item["t"] == "Note":
                found = tuple(i for b in item["c"] if b["t"] in ("Para", "Plain") for i in _inlines(b["c"], latin))
            else:
                prose.append(item)
        out.append((_inlines(prose, latin), found))
    return out


def _inlines(items: Sequence[dict[str, Any]], latin: bool) -> list[t.Inline]:
    """pandoc's inlines as the tree's: text, emphasis, links (checked as the prose's are); raw markup,
    images and anything else unknown are dropped."""
    from wbbrief.document.syntax import link_problem

    out: list[t.Inline] = []
    for item in items:
        c: Any
        kind, c = item["t"], item.get("c")
        assert c is not None or kind in ("Space", "SoftBreak", "LineBreak")
        if kind == "Str":
            out.append(t.Text(_latin(c) if latin else c))
        elif kind in ("Space", "SoftBreak"):
            out.append(t.Text(" "))
        elif kind == "LineBreak":
            out.append(t.LineBreak())
        elif kind == "Emph":
            out.append(t.Emph(tuple(_inlines(c, latin))))
        elif kind == "Strong":
            out.append(t.Strong(tuple(_inlines(c, latin))))
        elif kind == "Strikeout":
            out.append(t.Strikeout(tuple(_inlines(c, latin))))
        elif kind in ("Underline", "SmallCaps", "Superscript", "Subscript"):
            out += _inlines(c, latin)
        elif kind in ("Span", "Cite"):
            out += _inlines(c[1], latin)
        elif kind == "Quoted":
            double = c[0]["t"] == "DoubleQuote"
            out += [t.Text("“" if double else "‘"), *_inlines(c[1], latin), t.Text("”" if double else "’")]
        elif kind == "Link":
            href = c[2][0]
            out.append(t.Link(None if link_problem(href) else href, tuple(_inlines(c[1], latin))))
        elif kind == "Code":
            out.append(t.Code(c[1]))
    return _joined(out)


def _joined(items: list[t.Inline]) -> list[t.Inline]:
    out: list[t.Inline] = []
    for item in items:
        if isinstance(item, t.Text) and out and isinstance(out[-1], t.Text):
            out[-1] = t.Text(out[-1].text + item.text)
        else:
            out.append(item)
    return out


_SERBIAN_CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ"
_SERBIAN_LATIN = [
    "a",
    "b",
    "v",
    "g",
    "d",
    "đ",
    "e",
    "ž",
    "z",
    "i",
    "j",
    "k",
    "l",
    "lj",
    "m",
    "n",
    "nj",
    "o",
    "p",
    "r",
    "s",
    "t",
    "ć",
    "u",
    "f",
    "h",
    "c",
    "č",
    "dž",
    "š",
]
_SERBIAN_LATIN += [letter.capitalize() for letter in _SERBIAN_LATIN]
_CYRILLIC = dict(zip(_SERBIAN_CYRILLIC, _SERBIAN_LATIN, strict=True))


def _latin(text: str) -> str:
    """Serbian Cyrillic in Latin script (one to one, but for the digraphs lj, nj, dž)."""
    return "".join(_CYRILLIC.get(c, c) for c in text)


# --- walking the tree -----------------------------------------------------------------------------

CiteFn = Callable[[t.Cite], list[t.Inline]]


def _map_inlines(content: tuple[t.Inline, ...], fn: CiteFn) -> tuple[t.Inline, ...]:
    """``content`` with each citation replaced by ``fn``'s inlines; a note's reference takes the
    place of the space before it and follows the punctuation after it, as pandoc puts it."""
    if not any(isinstance(i, t.Cite | t.Emph | t.Strong | t.Strikeout | t.Span | t.Link) for i in content):
        return content
    out: list[t.Inline] = []
    items = list(content)
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, t.Cite):
            made = fn(item)
            if made and made[0] is item:
                out += made
            elif made and isinstance(made[0], t.NoteRef):
                if out and isinstance(out[-1], t.Text):
                    out[-1] = t.Text(out[-1].text.rstrip())
                after = items[i + 1] if i + 1 < len(items) else None
                punct = re.match(r"[.,;:!?]+", after.text) if isinstance(after, t.Text) else None
                if punct and isinstance(after, t.Text):
                    out.append(t.Text(punct.group(0)))
                    items[i + 1] = t.Text(after.text[punct.end() :])
                out += made
            else:
                out += made
        elif isinstance(item, t.Emph | t.Strong | t.Strikeout):
            out.append(type(item)(_map_inlines(item.content, fn)))
        elif isinstance(item, t.Span):
            out.append(t.Span(item.attr, _map_inlines(item.content, fn)))
        elif isinstance(item, t.Link):
            out.append(t.Link(item.href, _map_inlines(item.content, fn)))
        else:
            out.append(item)
        i += 1
    return tuple(_joined([i for i in out if not (isinstance(i, t.Text) and not i.text)]))


def _map_block(block: t.Block, fn: CiteFn) -> t.Block:
    if isinstance(block, t.Heading):
        return dataclasses.replace(block, content=_map_inlines(block.content, fn))
    if isinstance(block, t.Para | t.Plain):
        return type(block)(_map_inlines(block.content, fn))
    if isinstance(block, t.BulletList):
        return t.BulletList(tuple(tuple(_map_block(b, fn) for b in item) for item in block.items))
    if isinstance(block, t.OrderedList):
        return t.OrderedList(tuple(tuple(_map_block(b, fn) for b in item) for item in block.items), block.start)
    if isinstance(block, t.BlockQuote):
        return t.BlockQuote(tuple(_map_block(b, fn) for b in block.blocks))
    if isinstance(block, t.Div):
        return t.Div(block.attr, tuple(_map_block(b, fn) for b in block.blocks))
    if isinstance(block, t.Table):

        def row(r: t.Row) -> t.Row:
            return t.Row(tuple(t.Cell(_map_inlines(c.content, fn), c.align) for c in r.cells), r.attr)

        return dataclasses.replace(block, header=row(block.header), rows=tuple(row(r) for r in block.rows))
    return block
