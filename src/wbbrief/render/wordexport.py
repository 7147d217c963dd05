"""Export the brief as Word (.docx): one file, or the regional brief plus one per country.

The document is composed exactly as for the PDF (``document.word``), then written by pandoc
(``docx``); the same output rules as every export: atomic, ``-o -`` for standard output, a
folder for ``--country all``, Ctrl-C leaving no partial file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from wbbrief.base.atomic import check_target, ensure_dir, write_atomic
from wbbrief.base.errors import Interrupted
from wbbrief.dataset import countries
from wbbrief.dataset.bundle import Bundle
from wbbrief.dataset.loading import load_bundle
from wbbrief.render.brief import BriefOptions
from wbbrief.render.docx import WordDocument
from wbbrief.render.export import check_folder, default_name

SUFFIX = ".docx"


def compose(bundle: Bundle, options: BriefOptions) -> WordDocument:
    from wbbrief.document.compose import bundled_document
    from wbbrief.render.word import word_document

    return word_document(bundled_document(options.country, options.lang or "en"), bundle, options)


def render_docx(bundle: Bundle, options: BriefOptions, reference_doc: Path | None = None) -> bytes:
    """The bundled brief (regional, or for ``options.country``) as .docx bytes, in this process."""
    from wbbrief.render import docx

    return docx.to_docx(compose(bundle, options), reference_doc)


def export_docx(options: BriefOptions, output: Path | None, reference_doc: Path | None = None) -> Path:
    """Write one brief. Importing CairoSVG (about 0.15 s) and drawing the charts' PNGs are done by a
    forked worker on the second core while this process loads the data, composes the brief and
    runs pandoc (with a placeholder for each chart, ``docxmedia``)."""
    import os

    from wbbrief.base import workers
    from wbbrief.base.samefile import refuse_input_as_output
    from wbbrief.render import docx

    target = output or Path(default_name(options, SUFFIX))
    refuse_input_as_output(target, (*options.data, reference_doc))
    check_target(target)
    if reference_doc is not None:
        docx.check_reference_doc(reference_doc)  # a usage error before any work
    if not workers.available() or (os.cpu_count() or 1) < 2:
        return write_atomic(target, render_docx(load_bundle(options.data), options, reference_doc))
    with workers.pool(1) as worker:
        with workers.signals_held():
            warming = worker.submit(docx.warm_up)
        document = compose(load_bundle(options.data), options)
        drawing = worker.submit(docx.draw_pngs, docx.chart_svgs(document))
        data = docx.to_docx(document, reference_doc, drawing.result)  # pandoc runs while the worker draws
        warming.result()
    return write_atomic(target, data)


def export_all_docx(
    options: BriefOptions, folder: Path, reference_doc: Path | None = None,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:  # fmt: skip
    """The regional brief and one per country, one after another (pandoc is a process of its own).

    Ctrl-C raises Interrupted, naming the briefs written before it; the one being written leaves
    no partial file (``write_atomic``)."""
    from wbbrief.render import docx

    check_folder(folder, "Word file")
    if reference_doc is not None:
        docx.check_reference_doc(reference_doc)
    ensure_dir(folder)
    jobs = [replace(options, country=None)] + [replace(options, country=c.code) for c in countries.all_countries()]
    bundle = load_bundle(options.data)
    written: list[Path] = []
    try:
        for job in jobs:
            path = write_atomic(folder / default_name(job, SUFFIX), render_docx(bundle, job, reference_doc))
            written.append(path)
            if progress:
                progress(path)
    except KeyboardInterrupt:
        raise Interrupted(written, len(jobs)) from None
    return written
