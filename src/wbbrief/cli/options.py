"""The options the commands share, as Annotated types, and the parsing of the values they take."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from wbbrief.base.errors import UsageError
from wbbrief.render.formats import Format

ALL = "all"  # --country all, --lang all (render.export.ALL, without importing the render stage)


class CheckFormat(enum.StrEnum):
    table = "table"
    json = "json"


class Variant(enum.StrEnum):
    ua = "ua"
    a3 = "a3"


CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        help="Country by name, ISO code or alias (albania, BiH, Kosova, MNE, macedonia, srb), or WB6.",
        metavar="COUNTRY",
        show_default=False,
    ),
]
SurveyOpt = Annotated[
    str | None,
    typer.Option(
        "--survey", "-s", help="Only this survey: asb, securimeter or iri.", show_default=False, metavar="SURVEY"
    ),
]
TopicOpt = Annotated[
    str | None,
    typer.Option(
        "--topic", "-t", help="Only this topic, e.g. threats, cooperation, open-balkan.", show_default=False,
        metavar="TOPIC",
    ),
]  # fmt: skip
DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        help="Your own figures: a CSV file, an .xlsx workbook or a folder of them (repeatable; "
        "also WBBRIEF_DATA, separated like PATH). See `wbbrief data template`.",
        envvar="WBBRIEF_DATA",
        show_default=False,
        metavar="PATH",
    ),
]
CiOpt = Annotated[
    bool,
    typer.Option(
        "--ci", help="Show each share's confidence interval where the data give one or a sample size: "
        "44% (40.9–47.2); ≈ marks one computed from the edition's sample size.",
    ),
]  # fmt: skip
LevelOpt = Annotated[
    float,
    typer.Option(
        "--level", help="Confidence level of computed intervals and of the test that marks a change "
        "significant (between 0 and 1).", metavar="LEVEL", min=0.5, max=0.999,
    ),
]  # fmt: skip
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        help="Language: a tag of locales/ (en, sq, sr-Cyrl, …; any case; Tab completes them). Labels, "
        "headers and notes change; JSON and CSV keys stay English.",
        show_default=False,
        metavar="LANG",
    ),
]
EveryLangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        help="Language: a tag of locales/ (en, sq, sr-Cyrl, …; any case; Tab completes them), or all "
        "(one PDF per language; non-English file names carry the tag).",
        show_default=False,
        metavar="LANG",
    ),
]
DecimalOpt = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        help="The decimal sign: point or comma (default: the language's; en: point).",
        show_default=False,
        metavar="point|comma",
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Output: a table for people; csv, json or markdown for scripts.")
]
CheckFormatOpt = Annotated[
    CheckFormat, typer.Option("--format", "-f", help="table: one line per problem; json: for CI.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Where to write: a file, or - for standard output (default: a dated file in the current "
        "folder; a folder with --country all).",
        show_default=False,
        metavar="PATH",
    ),
]
RenderOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="OUT.pdf, OUT.html or OUT.docx (the suffix sets the format), or - for a PDF on "
        "standard output (default: DOC.pdf beside the document).",
        show_default=False,
        metavar="PATH",
    ),
]
BriefCountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        help="A country-focused brief (name, code or alias), or 'all' for the regional brief plus one per country.",
        show_default=False,
        metavar="COUNTRY|all",
    ),
]
NewCountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        help="Start from the country brief, for this country (name, code or alias).",
        show_default=False,
        metavar="COUNTRY",
    ),
]
TitleOpt = Annotated[
    str | None, typer.Option("--title", help="Title on the cover.", show_default=False, metavar="TEXT")
]
SubtitleOpt = Annotated[
    str | None, typer.Option("--subtitle", help="Subtitle on the cover.", show_default=False, metavar="TEXT")
]
AuthorOpt = Annotated[
    str, typer.Option("--author", help="Author or organisation on the cover and in the metadata.", metavar="TEXT")
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Date of the brief (default: today, or SOURCE_DATE_EPOCH).",
        show_default=False,
        metavar="YYYY-MM-DD",
    ),
]
TemplateDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--template-dir",
        help="Folder of templates that override the packaged ones (brief.html.j2, brief.css, macros.html.j2).",
        show_default=False,
        metavar="DIR",
    ),
]
ReferenceDocOpt = Annotated[
    Path | None,
    typer.Option(
        "--reference-doc",
        help="A .docx whose styles (fonts, colours, Heading 1-3, Table) the Word file takes: your house style.",
        show_default=False,
        metavar="PATH",
    ),
]
PdfVariantOpt = Annotated[
    Variant,
    typer.Option(
        "--variant", help="ua: tagged, accessible PDF/UA-1; a3: PDF/A-3u with the data attached.", metavar="ua|a3"
    ),
]
RenderVariantOpt = Annotated[
    Variant | None,
    typer.Option("--variant", help="ua: PDF/UA-1; a3: PDF/A-3u (default: the document's, or ua).", metavar="ua|a3"),
]
WatchOpt = Annotated[
    bool, typer.Option("--watch", help="Render again whenever the document or its data change (Ctrl-C stops).")
]
ForceNewOpt = Annotated[bool, typer.Option("--force", help="Replace DIR/brief.md if it exists.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Count warnings as errors (for CI).")]


def is_all(value: str | None) -> bool:
    """--country all, --lang all."""
    return value is not None and value.casefold() == ALL


def lang_tag(lang: str | None) -> str | None:
    """The language tag --lang names (any case, aliases), or None when it is not given."""
    if not lang:
        return None
    from wbbrief.i18n import language

    return language(lang).tag


def brief_lang(lang: str | None) -> str | None:
    """For the briefs: None for English as written and for `--lang all` (a brief per language)."""
    return None if is_all(lang) else lang_tag(lang)


def decimal_sign(decimal: str | None) -> str | None:
    if decimal is None:
        return None
    if decimal.casefold() not in ("point", "comma"):
        raise UsageError(f"--decimal must be point or comma, not '{decimal}'")
    return decimal.casefold()


def paths(data: list[Path] | None) -> tuple[Path, ...]:
    return tuple(data or ())
