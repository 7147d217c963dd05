"""Export the brief as Word (.docx): one file, or the regional brief plus one per country.

The document is composed exactly as for the PDF, walked to pandoc's AST (``render.word``), then
written by pandoc (``docx``); the same output rules as every export: atomic, ``-o -`` for
standard output, a folder for ``--country all``, Ctrl-C leaving no partial file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle
    from wbbrief.render.brief import BriefOptions
    from wbbrief.render.word import WordFile

SUFFIX = ".docx"


def compose(bundle: Bundle, options: BriefOptions) -> WordFile:
    from wbbrief.document.compose import bundled_document
    from wbbrief.render.word import word_file

    return word_file(bundled_document(options.country, options.lang or "en"), bundle, options)


def render_docx(bundle: Bundle, options: BriefOptions, reference_doc: Path | None = None) -> bytes:
    """The bundled brief (regional, or for ``options.country``) as .docx bytes, in this process
    (pandoc running in a thread while the charts are drawn)."""
    from wbbrief.render import docx

    return docx.to_docx(compose(bundle, options), reference_doc)


def export_docx(options: BriefOptions, output: Path | None, reference_doc: Path | None = None) -> Path:
    """Write one brief: the charts' PNGs are drawn in this process while pandoc converts the
    document (with a placeholder for each chart, ``docxmedia``) in its own."""
    from wbbrief.base.atomic import check_target, write_atomic
    from wbbrief.base.samefile import refuse_input_as_output
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.render import docx
    from wbbrief.render.export import default_name

    target = output or Path(default_name(options, SUFFIX))
    refuse_input_as_output(target, (*options.data, reference_doc))
    check_target(target)
    if reference_doc is not None:
        docx.check_reference_doc(reference_doc)  # a usage error before any work
    return write_atomic(target, render_docx(load_bundle(options.data), options, reference_doc))


def export_all_docx(
    options: BriefOptions, folder: Path, reference_doc: Path | None = None,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:  # fmt: skip
    """The regional brief and one per country, one after another (pandoc is a process of its own).

    Ctrl-C raises Interrupted, naming the briefs written before it; the one being written leaves
    no partial file (``write_atomic``)."""
    from dataclasses import replace

    from wbbrief.base.atomic import ensure_dir, write_atomic
    from wbbrief.base.errors import Interrupted
    from wbbrief.dataset import countries
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.render import docx
    from wbbrief.render.export import check_folder, default_name

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
