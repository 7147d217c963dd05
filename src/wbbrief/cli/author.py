"""The authoring commands: check a Markdown brief, start one (new), render it to PDF, HTML or Word."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wbbrief.cli.app import app, echo, flush_stdout
from wbbrief.cli.options import (
    CheckFormat,
    CheckFormatOpt,
    DataOpt,
    DateOpt,
    DecimalOpt,
    ForceNewOpt,
    LangOpt,
    NewCountryOpt,
    ReferenceDocOpt,
    RenderOutputOpt,
    RenderVariantOpt,
    StrictOpt,
    TemplateDirOpt,
    WatchOpt,
    decimal_sign,
    lang_tag,
    paths,
)
from wbbrief.cli.running import sigterm_as_interrupt

if TYPE_CHECKING:
    from wbbrief.render.author import RenderRequest


@app.command()
def check(
    document: Annotated[Path, typer.Argument(help="The Markdown document to check.", metavar="DOC.md")],
    strict: StrictOpt = False,
    data: DataOpt = None,
    fmt: CheckFormatOpt = CheckFormat.table,
) -> None:
    """Check a Markdown brief: unknown figure ids, bad roles or directives, numbers typed by hand,
    figures with a newer edition loaded, raw HTML, unsafe links and images.

    Lists every problem as file:line:col. Exit 1 on errors (and on warnings with --strict).

    \b
    Examples:
      wbbrief check brief.md
      wbbrief check brief.md --strict --format json
    """
    from wbbrief.document.check import check_file

    show_check(check_file(document, paths(data), strict), fmt)


def show_check(report: Any, fmt: CheckFormat) -> None:
    """The problems one a line (the summary on stderr if there are any), or JSON; exit 1 if it failed.
    The document's text may hold ESC, BEL or an 8-bit CSI: none reaches the terminal."""
    from wbbrief.render.formats import json_safe, printable

    if fmt is CheckFormat.json:
        echo(json_safe(report.to_json()))
    else:
        for problem in report.shown():
            echo(printable(str(problem)))
        flush_stdout()
        typer.echo(printable(report.summary()), err=bool(report.diagnostics))
    if report.failed:
        raise typer.Exit(1)


@app.command("new")
def new(
    folder: Annotated[Path, typer.Argument(help="The folder for the new brief (created if needed).", metavar="DIR")],
    country: NewCountryOpt = None,
    force: ForceNewOpt = False,
    lang: LangOpt = None,
) -> None:
    """Start a brief of your own: DIR/brief.md is the bundled brief itself, as Markdown.

    Edit its prose, keep every number a role such as {stat}`figure-id`, then render it.

    \b
    Examples:
      wbbrief new mybrief && wbbrief render mybrief/brief.md
      wbbrief new kosovo --country kosovo
    """
    from wbbrief.render.author import new_document

    echo(str(new_document(folder, country, force, lang_tag(lang))))


@app.command("render")
def render(
    document: Annotated[Path, typer.Argument(help="The Markdown document to render.", metavar="DOC.md")],
    output: RenderOutputOpt = None,
    variant: RenderVariantOpt = None,
    template_dir: TemplateDirOpt = None,
    data: DataOpt = None,
    date: DateOpt = None,
    reference_doc: ReferenceDocOpt = None,
    watch: WatchOpt = False,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """Render a Markdown brief to PDF, HTML or Word, exactly as export-pdf renders the bundled one.

    The document is checked first: an error (file:line:col) stops the render and nothing is written.

    \b
    Examples:
      wbbrief render brief.md
      wbbrief render brief.md -o brief.html --watch
      wbbrief render brief.md -o brief.docx --reference-doc house-style.docx
    """
    from wbbrief.render.author import RenderRequest

    request = RenderRequest(
        document, output, variant.value if variant else None, template_dir, paths(data), date,
        reference_doc=reference_doc, lang=lang_tag(lang), decimal=decimal_sign(decimal),
    )  # fmt: skip
    render_document(request, watch)


def render_document(request: "RenderRequest", watch: bool) -> None:
    """Render once (the path printed, unless the PDF went to standard output), or on every change."""
    from wbbrief.base.atomic import is_stdout
    from wbbrief.base.errors import UsageError
    from wbbrief.render import author

    if watch:
        if request.output is not None and is_stdout(request.output):
            raise UsageError("--watch writes a file again and again; name one with -o")
        with sigterm_as_interrupt():
            author.watch(request, echo)
        return
    with sigterm_as_interrupt():
        done = author.render(request)
    if not is_stdout(done.path):
        echo(str(done.path))
