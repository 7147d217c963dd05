"""Export the brief: one PDF or HTML file, or the regional brief plus one per country in parallel."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import as_completed
from dataclasses import replace
from pathlib import Path

from wbbrief.base import workers
from wbbrief.base.atomic import check_target, ensure_dir, is_stdout, write_atomic
from wbbrief.base.errors import Interrupted, UsageError
from wbbrief.base.samefile import refuse_input_as_output
from wbbrief.dataset import countries
from wbbrief.dataset.bundle import REGION, Bundle
from wbbrief.dataset.loading import load_bundle
from wbbrief.render import assets
from wbbrief.render.brief import BriefOptions, render_html

ALL = "all"


def default_date() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError) as err:
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'") from err
    return dt.date.today()


def parse_date(text: str | None) -> dt.date:
    if text is None:
        return default_date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise UsageError(f"--date must be YYYY-MM-DD, not '{text}'") from err


def default_name(options: BriefOptions, suffix: str) -> str:
    """'wb-security-brief-2022-12-01.pdf', '...-albania-...' for a country brief, and the language's
    tag for a brief not in English ('wb-security-brief-sr-cyrl-albania-2022-12-01.pdf'), so that
    `--lang all` writes one file per language."""
    part = ""
    if options.lang and options.lang.casefold() != "en":
        part = "-" + options.lang.lower()
    if options.country and options.country != REGION:
        english = countries.english_by_code(options.country).name  # file names stay ASCII and stable
        part += "-" + re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-")
    return f"wb-security-brief{part}-{options.date.isoformat()}{suffix}"


def all_languages() -> list[str]:
    """Every bundled language, English first (the languages `--lang all` writes)."""
    from wbbrief.i18n import languages

    return list(languages())


def figures_csv(bundle: Bundle) -> bytes:
    """The cited figures as the flat CSV `wbbrief figures --format csv` prints, for PDF/A-3 attachment."""
    from wbbrief.query import queries
    from wbbrief.render.output import to_csv

    return to_csv(queries.figures(bundle)).encode("utf-8")


def _typeset(html: str, options: BriefOptions, attachments: dict[str, bytes] | None) -> bytes:
    from wbbrief.render.pdf import html_to_pdf

    return html_to_pdf(html, variant=options.variant, day=options.date, attachments=attachments)


def _warm_up() -> None:
    import weasyprint  # noqa: F401


def render_pdf(bundle: Bundle, options: BriefOptions) -> bytes:
    """The brief as PDF bytes, in this process."""
    html = render_html(bundle, options, for_print=True)
    return _typeset(html, options, _attachments(bundle, options))


def _attachments(bundle: Bundle, options: BriefOptions) -> dict[str, bytes] | None:
    return {"wbbrief-figures.csv": figures_csv(bundle)} if options.variant == "a3" else None


def export_pdf(options: BriefOptions, output: Path | None, overlap: bool = True) -> Path:
    """Write one brief."""
    target = output or Path(default_name(options, ".pdf"))
    refuse_input_as_output(target, (*options.data, options.template_dir))
    check_target(target)
    with typesetter(overlap) as typeset:
        bundle = load_bundle(options.data)
        pdf = typeset(render_html(bundle, options, True), options, _attachments(bundle, options))
    return write_atomic(target, pdf)


Typeset = Callable[[str, BriefOptions, "dict[str, bytes] | None"], bytes]


@contextlib.contextmanager
def typesetter(overlap: bool = True) -> Iterator[Typeset]:
    """A function that turns a page into PDF bytes. Importing WeasyPrint (about 0.5 s) and loading
    pandas plus filling the templates (about 0.5 s) are independent, so a forked worker does the
    first, from the moment this is entered, while this process does the second on the machine's
    second core (unless WeasyPrint is imported already, as in ``render --watch``)."""
    warm = "weasyprint" in sys.modules
    if warm or not overlap or not workers.available() or (os.cpu_count() or 1) < 2:
        yield _typeset
        return
    with workers.pool(1) as worker:
        with workers.signals_held():
            warming = worker.submit(_warm_up)

        def typeset(html: str, options: BriefOptions, attachments: dict[str, bytes] | None) -> bytes:
            warming.result()
            pdf: bytes = worker.submit(_typeset, html, options, attachments).result()
            return pdf

        yield typeset


def export_html(options: BriefOptions, output: Path | None) -> Path:
    target = output or Path(default_name(options, ".html"))
    refuse_input_as_output(target, (*options.data, options.template_dir))
    check_target(target)
    bundle = load_bundle(options.data)
    html = render_html(bundle, options, for_print=False)
    assets.check_references(html)  # the policy the PDF's fetcher applies, before anything is written
    return write_atomic(target, assets.inline_assets(html).encode("utf-8"))


def _export_one(options: BriefOptions, folder: Path) -> Path:
    return export_pdf(options, folder / default_name(options, ".pdf"), overlap=False)


def check_folder(folder: Path, kind: str = "PDF") -> None:
    """`--country all` writes several files, so -o must name a folder (created if it does not exist)."""
    if is_stdout(folder):
        raise UsageError(f"--country all writes one {kind} per brief, so it cannot write to standard output (-o -)")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--country all writes one {kind} per brief into a folder, and '{folder}' is a file")
    if not folder.exists() and folder.suffix.lower() in FILE_SUFFIXES:
        raise UsageError(
            f"--country all writes one {kind} per brief into a folder; '{folder}' looks like a file name "
            "(name a folder, e.g. -o briefs/)"
        )


FILE_SUFFIXES = (".pdf", ".html", ".htm", ".docx")


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def export_all(
    options: BriefOptions,
    folder: Path,
    progress: Callable[[Path], None] | None = None,
    langs: list[str | None] | None = None,
    every_country: bool = True,
) -> list[Path]:
    """The regional brief and one per country (or just options' brief), in each language, in
    parallel across the machine's cores.

    Ctrl-C stops every worker at once (each removes its temporary file) and raises Interrupted,
    which names the briefs that were completely written before it."""
    check_folder(folder)
    ensure_dir(folder)
    briefs = [replace(options, country=None)] + [replace(options, country=c.code) for c in countries.all_countries()]
    if not every_country:
        briefs = [options]
    jobs = [replace(b, lang=lang) for lang in (langs or [options.lang]) for b in briefs]
    targets = [folder / default_name(job, ".pdf") for job in jobs]
    before = {t: _signature(t) for t in targets}
    load_bundle(options.data)  # validate once in the parent; forked workers inherit the loaded tables
    import weasyprint  # noqa: F401  (imported before forking, so workers start warm)

    from wbbrief.i18n import Translator

    for lang in dict.fromkeys(langs or [options.lang]):
        Translator(lang or "en").date(options.date)  # catalogs, labels and CLDR data, read once before forking

    size = min(len(jobs), os.cpu_count() or 1)
    try:
        if size == 1 or not workers.available():
            for job in jobs:
                path = _export_one(job, folder)
                if progress:
                    progress(path)
            return targets
        with workers.pool(size) as pool:
            with workers.signals_held():
                futures = [pool.submit(_export_one, job, folder) for job in jobs]
            for future in as_completed(futures):
                path = future.result()
                if progress:
                    progress(path)
        return [f.result() for f in futures]  # in job order: the region first, then each country
    except KeyboardInterrupt:
        written = [t for t in targets if _signature(t) not in (None, before[t])]
        raise Interrupted(written, len(jobs)) from None
