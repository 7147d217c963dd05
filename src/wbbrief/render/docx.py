"""A resolved brief as a Word (.docx) file, written by pandoc (the pypandoc-binary wheel ships it).

The input is the document tree (``document.tree``), whose text is already final: figures are
values, provenance notes are numbered. ``render.word`` walks it to pandoc's JSON AST
(``word.WordFile``), never Markdown, so no text a user wrote is read as markup: ``**x**``,
``<w:p>`` or ``$x$`` stay literal, and there is no raw HTML/TeX/OpenXML element to smuggle in.
pandoc runs with ``--sandbox``: it reads nothing but the reference document named on its command
line and fetches nothing; charts reach it as ``data:`` URIs (placeholders of the charts' size while
the real PNGs are drawn: ``docxmedia``).

pandoc gives the Word structure (Heading 1-3, real footnotes, tables whose header row repeats, list
numbering, title/author/language properties). Afterwards, the edits it cannot make itself: the
real PNGs replace the placeholders; the SVG of each chart is added beside its PNG (Word 2016+
shows the SVG, older readers the PNG, as Word itself stores them); the picture's non-visual
description, where pandoc puts the image's source, gets the alt text instead of a data: URI;
paragraphs move from pandoc's style names to Word's built-in ones and every table row is kept
whole (``docxstyles``); the created/modified dates come from the brief's date (pandoc's sandbox
stamps 1970); and the zip is rewritten with fixed timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from wbbrief.base.errors import RenderError
from wbbrief.render.docxfile import (
    check_reference_doc,
    default_reference_doc,
    draw_pngs,
    finish,
    pandoc_path,
    pandoc_running,
    run_pandoc,
    start_drawing,
)

if TYPE_CHECKING:  # the drawing worker imports this module: not the writer's (``wordexport``)
    from wbbrief.render.word import WordFile

__all__ = [
    "check_reference_doc", "default_reference_doc", "draw_pngs", "pandoc_path", "run_pandoc", "to_docx",
]  # fmt: skip

Drawn = Mapping[str, bytes] | Callable[[], Mapping[str, bytes]]


def to_docx(file: WordFile, reference_doc: Path | None = None, pngs: Drawn | None = None) -> bytes:
    """The .docx bytes of ``file`` (``word.write``), styled by ``reference_doc`` (default: the package's own).

    pandoc converts the document with a placeholder for each chart while the charts are drawn:
    ``pngs`` are their PNGs by SVG (``draw_pngs`` of ``file.waiting``), or a call that waits for
    them; without it they are drawn here, in this process, while pandoc runs in its own."""
    if reference_doc is None:
        return _convert(file, default_reference_doc(), pngs)
    from wbbrief.render.reference_doc import sanitized

    with sanitized(check_reference_doc(reference_doc)) as reference:  # its look only: never media or links
        return _convert(file, reference, pngs)


def _convert(file: WordFile, reference: Path, pngs: Drawn | None) -> bytes:
    if not file.waiting:
        return finish(run_pandoc(file.ast, reference), file, {})
    # A worker starts on half of the charts before pandoc does; this process draws the rest.
    drawing: Drawn = start_drawing(sorted(file.waiting)) if pngs is None else pngs
    with pandoc_running(file.ast, reference) as converted:  # pandoc runs while the charts are drawn
        drawn = drawing() if callable(drawing) else drawing
        missing = file.waiting - set(drawn)
        if missing:
            raise RenderError(f"{len(missing)} chart(s) were not drawn")
        return finish(converted(), file, {svg: drawn[svg] for svg in file.waiting})
