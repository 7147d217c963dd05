"""The export commands: the bundled brief as PDF, HTML or Word, one brief or a folder of them."""

from wbbrief.base.errors import UsageError
from wbbrief.cli.app import app
from wbbrief.cli.options import (
    AuthorOpt,
    BriefCountryOpt,
    CountryOpt,
    DataOpt,
    DateOpt,
    DecimalOpt,
    EveryLangOpt,
    LangOpt,
    OutputOpt,
    PdfVariantOpt,
    ReferenceDocOpt,
    SubtitleOpt,
    TemplateDirOpt,
    TitleOpt,
    Variant,
    brief_lang,
    decimal_sign,
    is_all,
    paths,
)
from wbbrief.cli.running import export_many, export_one


@app.command("export-pdf")
def export_pdf(
    output: OutputOpt = None,
    country: BriefCountryOpt = None,
    title: TitleOpt = None,
    subtitle: SubtitleOpt = None,
    author: AuthorOpt = "",
    date: DateOpt = None,
    variant: PdfVariantOpt = Variant.ua,
    template_dir: TemplateDirOpt = None,
    data: DataOpt = None,
    lang: EveryLangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """Write the policy brief as a PDF: findings, charts, recommendations, every figure sourced.

    \b
    Examples:
      wbbrief export-pdf
      wbbrief export-pdf --country albania -o albania.pdf
      wbbrief export-pdf --country all -o briefs/
      wbbrief export-pdf --lang sr-Cyrl --country serbia
      wbbrief export-pdf --country all --lang all -o briefs/
      wbbrief export-pdf --variant a3 --date 2022-12-01 --author "Institute X"
    """
    from wbbrief.render import briefs, export

    options = briefs.brief_options(
        country, title, subtitle, author, date, variant.value, template_dir, paths(data), brief_lang(lang),
        decimal_sign(decimal),
    )  # fmt: skip
    if is_all(country) or is_all(lang):  # the region, then each country, per language
        export_many(briefs.pdf_batch(options, output, is_all(country), is_all(lang)))
    else:
        export_one(lambda: export.export_pdf(options, output))


@app.command("export-html")
def export_html(
    output: OutputOpt = None,
    country: CountryOpt = None,
    title: TitleOpt = None,
    subtitle: SubtitleOpt = None,
    author: AuthorOpt = "",
    date: DateOpt = None,
    template_dir: TemplateDirOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """Write the same brief as one self-contained HTML file (inline CSS and SVG, no external requests).

    \b
    Examples:
      wbbrief export-html -o brief.html
      wbbrief export-html --country kosovo
    """
    from wbbrief.render import briefs, export

    if is_all(country):
        raise UsageError("export-html writes one brief; use `wbbrief export-pdf --country all` for all seven")
    if is_all(lang):
        raise UsageError("export-html writes one brief; use `wbbrief export-pdf --lang all` for every language")
    options = briefs.brief_options(
        country, title, subtitle, author, date, "ua", template_dir, paths(data), brief_lang(lang), decimal_sign(decimal)
    )
    export_one(lambda: export.export_html(options, output))


@app.command("export-docx")
def export_docx(
    output: OutputOpt = None,
    country: BriefCountryOpt = None,
    title: TitleOpt = None,
    subtitle: SubtitleOpt = None,
    author: AuthorOpt = "",
    date: DateOpt = None,
    reference_doc: ReferenceDocOpt = None,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """Write the brief as a Word file (.docx) to edit and comment on: the PDF's content, Word's structure.

    Headings 1-3, the notes as footnotes, tables with a repeating header row, charts as pictures
    with their alt text, title, author and language in the properties.

    \b
    Examples:
      wbbrief export-docx
      wbbrief export-docx --country albania -o albania.docx
      wbbrief export-docx --country all -o briefs/
      wbbrief export-docx --reference-doc house-style.docx --date 2022-12-01
      wbbrief export-docx --lang sq --country kosovo
    """
    from wbbrief.render import briefs, wordexport

    if is_all(lang):
        raise UsageError("export-docx writes one language at a time; name one with --lang")
    options = briefs.brief_options(
        country, title, subtitle, author, date, "ua", None, paths(data), brief_lang(lang), decimal_sign(decimal)
    )
    if is_all(country):
        export_many(briefs.docx_batch(options, output, reference_doc))
    else:
        export_one(lambda: wordexport.export_docx(options, output, reference_doc))
