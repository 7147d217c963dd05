"""What an export command asks, as plain functions: the brief's options from what was typed, and
the batch that `--country all` and `--lang all` write into a folder (how many briefs, and the call
that writes them). The command line shows the progress and prints the paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wbbrief.base.record import record
from wbbrief.render.brief import BriefOptions

Progress = Callable[[Path], None]


@record
class Batch:
    """Several briefs into one folder: ``write(advance)`` writes them and returns their paths."""

    total: int
    write: Callable[[Progress], list[Path]]


def brief_options(
    country: str | None, title: str | None, subtitle: str | None, author: str, date: str | None,
    variant: str = "ua", template_dir: Path | None = None, data: tuple[Path, ...] = (), lang: str | None = None,
    decimal: str | None = None,
) -> BriefOptions:  # fmt: skip
    """The options of a brief; ``country`` may be 'all' (the batch sets each brief's country)."""
    from wbbrief.dataset import countries
    from wbbrief.render.export import ALL, parse_date

    code = None if country is None or country.casefold() == ALL else countries.resolve(country)
    return BriefOptions(
        date=parse_date(date), country=code, title=title, subtitle=subtitle, author=author,
        variant=variant, template_dir=template_dir, data=data, lang=lang, decimal=decimal,
    )  # fmt: skip


def pdf_batch(options: BriefOptions, output: Path | None, every_country: bool, every_language: bool) -> Batch:
    """The region and each country (or options' brief alone), in each language (or options' own)."""
    from wbbrief.dataset import countries
    from wbbrief.render import export

    folder = output or Path(".")
    export.check_folder(folder)
    briefs = 1 + len(countries.all_countries()) if every_country else 1
    langs: list[str | None] = [*export.all_languages()] if every_language else [options.lang]
    return Batch(
        briefs * len(langs),
        lambda advance: export.export_all(options, folder, advance, langs, every_country=briefs > 1),
    )


def docx_batch(options: BriefOptions, output: Path | None, reference_doc: Path | None) -> Batch:
    """The region and each country as Word files."""
    from wbbrief.dataset import countries
    from wbbrief.render import export, wordexport

    folder = output or Path(".")
    export.check_folder(folder, "Word file")
    return Batch(
        1 + len(countries.all_countries()),
        lambda advance: wordexport.export_all_docx(options, folder, reference_doc, advance),
    )
