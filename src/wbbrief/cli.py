"""The wbbrief command line: each command parses its options and hands off to a module.

Exit codes: 0 ok, 1 data or runtime error, 2 usage error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import enum
import functools
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError  # typer<0.29 vendors Click
from typer.core import TyperGroup

from wbbrief import __version__
from wbbrief.errors import OutputError, UsageError, WbbriefError
from wbbrief.output import Format

F = TypeVar("F", bound=Callable[..., Any])


class _Group(TyperGroup):
    """The root command: Click's own usage errors (bad choice, unknown option, missing value) come out
    as every other error does, one `wbbrief: error:` line on stderr and exit 2, not Click's block.
    It also carries shell completion: its options, which take the shell as an optional value, and
    the values of --country, --survey and --topic (completion.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from typer.core import TyperOption

        super().__init__(*args, **kwargs)
        for name, callback, help_text in (
            ("--install-completion", _install_completion, "Install completion for SHELL (default: this shell)."),
            ("--show-completion", _show_completion,
             "Print the completion script for SHELL (bash, zsh, fish or powershell; default: this shell)."),
        ):  # fmt: skip
            self.params.append(
                TyperOption(param_decls=[name], default=None, metavar="[SHELL]", expose_value=False, is_eager=True,
                            callback=callback, help=help_text)
            )  # fmt: skip

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        if complete_var or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
            from wbbrief import completion

            completion.register(self)
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def main(
        self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any,
    ) -> Any:  # fmt: skip
        kwargs = {"windows_expand_args": windows_expand_args, **extra}
        args = _optional_shell(list(sys.argv[1:] if args is None else args), set(self.commands))
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except NoArgsIsHelpError as err:
            err.show()  # plain `wbbrief`: the help, as before
            sys.exit(err.exit_code)
        except ClickException as err:
            report(usage_message(err))
            sys.exit(err.exit_code)
        except typer.Abort:
            report("aborted")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _optional_shell(args: list[str], commands: set[str]) -> list[str]:
    """`--show-completion` alone means this shell: give it an empty value (Click has no optional values)."""
    for i, arg in enumerate(args):
        if arg in ("--show-completion", "--install-completion"):
            following = args[i + 1] if i + 1 < len(args) else "-"
            if following.startswith("-") or following in commands:
                args[i] = f"{arg}="
    return args


def _show_completion(ctx: Any, _param: Any, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from wbbrief import completion

    try:
        typer.echo(completion.script(value, ctx.find_root().info_name or "wbbrief"))
    except WbbriefError as err:
        report(str(err))
        raise typer.Exit(err.exit_code) from None
    raise typer.Exit()


def _install_completion(ctx: Any, _param: Any, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from wbbrief import completion

    try:
        shell, path = completion.install(value, ctx.find_root().info_name or "wbbrief")
    except WbbriefError as err:
        report(str(err))
        raise typer.Exit(err.exit_code) from None
    typer.echo(f"{shell} completion installed in {path}; it takes effect in a new terminal.")
    raise typer.Exit()


def usage_message(err: ClickException) -> str:
    """Click's message in our style: lower case first, and where to look for the right usage."""
    message = err.format_message().strip()
    if not message.endswith((".", "?", "!")):
        message += "."
    if len(message) > 1 and message[1].islower():
        message = message[0].lower() + message[1:]
    ctx = getattr(err, "ctx", None)
    if ctx is not None:
        message += f" See '{ctx.command_path} -h'."
    return message


app = typer.Typer(
    name="wbbrief",
    cls=_Group,
    add_completion=False,  # _Group adds its own completion options
    help=(
        "Public-opinion evidence on security in the Western Balkans: key findings in the terminal, "
        "a sourced PDF policy brief on demand. Every figure comes from a 2022 policy paper on "
        "cooperative security, with its survey, page and footnote."
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=(
        "\b\nExamples:\n  wbbrief findings --country albania\n  wbbrief threats\n  wbbrief export-pdf\n\n"
        "\b\nExit codes: 0 ok, 1 data or runtime error, 2 usage error, 130 interrupted."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def guarded(command: F) -> F:
    """The one place user-caused errors are caught: one red line on stderr, a documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = command(*args, **kwargs)
            flush_stdout()
            return result
        except BrokenPipeError:
            raise typer.Exit(closed_pipe()) from None
        except WbbriefError as err:
            report(str(err))
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            report("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def flush_stdout() -> None:
    """Output is buffered: a full disk (> /dev/full) shows only here, so report it here."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write to standard output: {err.strerror}") from err


def closed_pipe() -> int:
    """The reader went away (`| head -1`): say nothing, as Python, Click and Rich do, and exit 1.
    Standard output now goes to /dev/null, so the final flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1


def echo(text: str) -> None:
    """typer.echo, with a failure to write turned into one line (exit 1) instead of a traceback."""
    try:
        typer.echo(text)
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write to standard output: {err.strerror}") from err


@contextlib.contextmanager
def sigterm_as_interrupt() -> Any:
    """`kill` (SIGTERM) stops an export the way Ctrl-C does: workers stopped, no partial file."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def report(message: str) -> None:
    from rich.console import Console
    from rich.text import Text

    from wbbrief.output import printable

    # The message may quote what the user typed or a data file holds: no control character gets through.
    text = Text.assemble(("wbbrief: error: ", "bold red"), (printable(message), "red"))
    Console(stderr=True, soft_wrap=True).print(text)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wbbrief {__version__}")
        raise typer.Exit()


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
        "--survey",
        "-s",
        help="Only this survey: asb, securimeter or iri.",
        show_default=False,
        metavar="SURVEY",
    ),
]
TopicOpt = Annotated[
    str | None,
    typer.Option(
        "--topic",
        "-t",
        help="Only this topic, e.g. threats, cooperation, open-balkan.",
        show_default=False,
        metavar="TOPIC",
    ),
]
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


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """Public-opinion evidence on security in the Western Balkans, with its sources."""


def _resolve(
    country: str | None, survey: str | None = None, topic: str | None = None, data: list[Path] | None = None
) -> tuple[Any, ...]:
    """Turn what the user typed into ids, or fail with a usage error (exit 2) before any work."""
    from wbbrief import countries, queries
    from wbbrief.loading import load_bundle

    code = countries.resolve(country) if country else None
    bundle = load_bundle(tuple(data or ()))
    survey_id = queries.resolve_survey(bundle, survey) if survey else None
    topic_id = queries.resolve_topic(bundle, topic) if topic else None
    return _translated(bundle), code, survey_id, topic_id


def _translated(bundle: Any) -> Any:
    """The data with its labels in the language in use (see _speaking)."""
    from wbbrief.constants import active_translator

    t = active_translator()
    if t is None:
        return bundle
    from wbbrief.i18n.localize import translate_bundle

    return translate_bundle(bundle, t)


@contextlib.contextmanager
def _speaking(lang: str | None, decimal: str | None = None) -> Any:
    """Run a query command in a language: values, headers and notes follow it (i18n.use_language)."""
    if lang is None and decimal is None:  # English as written: nothing to load (start-up stays light)
        yield None
        return
    from wbbrief.i18n import use_language

    with use_language(_lang(lang), _decimal(decimal)) as t:
        yield t


def _lang(lang: str | None) -> str:
    from wbbrief.i18n import language

    return language(lang).tag if lang else "en"


def _decimal(decimal: str | None) -> str | None:
    if decimal is None:
        return None
    if decimal.casefold() not in ("point", "comma"):
        raise UsageError(f"--decimal must be point or comma, not '{decimal}'")
    return decimal.casefold()


def _query(
    command: str, fmt: Format, data: list[Path] | None, country: str | None = None,
    survey: str | None = None, topic: str | None = None,
) -> None:  # fmt: skip
    """The one body of the six query commands: resolve what was typed, ask the query, print."""
    from wbbrief import queries

    bundle, code, survey_id, topic_id = _resolve(country, survey, topic, data)
    views = {
        "findings": lambda: queries.findings(bundle, code, survey_id, topic_id),
        "threats": lambda: queries.threats(bundle, code, survey_id),
        "cooperation": lambda: queries.cooperation(bundle, code, survey_id),
        "figures": lambda: queries.figures(bundle, code, survey_id, topic_id),
        "sources": lambda: queries.sources(bundle),
        "recommendations": lambda: queries.recommendations(bundle),
    }
    view = views[command]()
    if command == "figures":
        view.tables[0].display = queries.FIGURES_DISPLAY
    _emit(view, fmt, bundle)


def _emit(view: Any, fmt: Format, bundle: Any = None) -> None:
    from wbbrief.constants import active_translator
    from wbbrief.output import emit

    if bundle is not None and bundle.notes:
        view.notes[:0] = list(bundle.notes)  # say what the user's data changed, first
    t = active_translator()
    if t is not None:
        from wbbrief.i18n.localize import localize_view

        view = localize_view(view, t)
    try:
        emit(view, fmt)
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write to standard output: {err.strerror}") from err


@app.command()
@guarded
def findings(
    country: CountryOpt = None,
    survey: SurveyOpt = None,
    topic: TopicOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """The key findings, each with its figures and source.

    For a country: its own findings first, then the regional ones that include it.

    \b
    Examples:
      wbbrief findings --country albania
      wbbrief findings --survey iri -f markdown
    """
    with _speaking(lang, decimal):
        _query("findings", fmt, data, country, survey, topic)


@app.command()
@guarded
def threats(
    country: CountryOpt = None,
    survey: SurveyOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """Threat perception, ranked, with a bar per share and the change between survey rounds.

    \b
    Examples:
      wbbrief threats
      wbbrief threats -c serbia
      wbbrief threats -f json
    """
    with _speaking(lang, decimal):
        _query("threats", fmt, data, country, survey)


@app.command()
@guarded
def cooperation(
    country: CountryOpt = None,
    survey: SurveyOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """Support for regional cooperation, its focus, and by-country comparisons side by side.

    \b
    Examples:
      wbbrief cooperation
      wbbrief cooperation --country kosovo
    """
    with _speaking(lang, decimal):
        _query("cooperation", fmt, data, country, survey)


@app.command()
@guarded
def figures(
    country: CountryOpt = None,
    survey: SurveyOpt = None,
    topic: TopicOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
) -> None:
    """Every survey figure with its provenance; --format csv gives one flat row per figure.

    \b
    Examples:
      wbbrief figures --survey asb
      wbbrief figures -f csv > figures.csv
    """
    with _speaking(lang, decimal):
        _query("figures", fmt, data, country, survey, topic)


@app.command()
@guarded
def sources(
    fmt: FormatOpt = Format.table, data: DataOpt = None, lang: LangOpt = None, decimal: DecimalOpt = None
) -> None:
    """The surveys behind every figure, with full citations.

    \b
    Examples:
      wbbrief sources -f markdown
    """
    with _speaking(lang, decimal):
        _query("sources", fmt, data)


@app.command()
@guarded
def recommendations(
    fmt: FormatOpt = Format.table, data: DataOpt = None, lang: LangOpt = None, decimal: DecimalOpt = None
) -> None:
    """The recommendations (WBSF, IISG), their principles and the evidence behind them.

    \b
    Examples:
      wbbrief recommendations
    """
    with _speaking(lang, decimal):
        _query("recommendations", fmt, data)


class CheckFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command()
@guarded
def check(
    document: Annotated[Path, typer.Argument(help="The Markdown document to check.", metavar="DOC.md")],
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings as errors (for CI).")] = False,
    data: DataOpt = None,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="table: one line per problem; json: for CI.")
    ] = CheckFormat.table,
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

    report = check_file(document, tuple(data or ()), strict)
    if fmt is CheckFormat.json:
        typer.echo(report.to_json())
    else:
        for problem in report.shown():
            typer.echo(str(problem))
        typer.echo(report.summary(), err=bool(report.diagnostics))
    if report.failed:
        raise typer.Exit(1)


class Variant(enum.StrEnum):
    ua = "ua"
    a3 = "a3"


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


def _brief_options(
    country: str | None, title: str | None, subtitle: str | None, author: str, date: str | None,
    variant: str, template_dir: Path | None, data: list[Path] | None, lang: str | None = None,
    decimal: str | None = None,
) -> Any:  # fmt: skip
    from wbbrief import countries
    from wbbrief.brief import BriefOptions
    from wbbrief.export import ALL, parse_date

    code = None if country is None or country.casefold() == ALL else countries.resolve(country)
    return BriefOptions(
        date=parse_date(date), country=code, title=title, subtitle=subtitle, author=author,
        variant=variant, template_dir=template_dir, data=tuple(data or ()),
        lang=None if lang is None or lang.casefold() == ALL else _lang(lang), decimal=_decimal(decimal),
    )  # fmt: skip


ReferenceDocOpt = Annotated[
    Path | None,
    typer.Option(
        "--reference-doc",
        help="A .docx whose styles (fonts, colours, Heading 1-3, Table) the Word file takes: your house style.",
        show_default=False,
        metavar="PATH",
    ),
]


@app.command("new")
@guarded
def new(
    folder: Annotated[Path, typer.Argument(help="The folder for the new brief (created if needed).", metavar="DIR")],
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            "-c",
            help="Start from the country brief, for this country (name, code or alias).",
            show_default=False,
            metavar="COUNTRY",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace DIR/brief.md if it exists.")] = False,
    lang: LangOpt = None,
) -> None:
    """Start a brief of your own: DIR/brief.md is the bundled brief itself, as Markdown.

    Edit its prose, keep every number a role such as {stat}`figure-id`, then render it.

    \b
    Examples:
      wbbrief new mybrief && wbbrief render mybrief/brief.md
      wbbrief new kosovo --country kosovo
    """
    from wbbrief.document.author import new_document

    echo(str(new_document(folder, country, force, _lang(lang) if lang else None)))


@app.command("render")
@guarded
def render(
    document: Annotated[Path, typer.Argument(help="The Markdown document to render.", metavar="DOC.md")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="OUT.pdf, OUT.html or OUT.docx (the suffix sets the format), or - for a PDF on "
            "standard output (default: DOC.pdf beside the document).",
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    variant: Annotated[
        Variant | None,
        typer.Option("--variant", help="ua: PDF/UA-1; a3: PDF/A-3u (default: the document's, or ua).", metavar="ua|a3"),
    ] = None,
    template_dir: TemplateDirOpt = None,
    data: DataOpt = None,
    date: DateOpt = None,
    reference_doc: ReferenceDocOpt = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Render again whenever the document or its data change (Ctrl-C stops).")
    ] = False,
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
    from wbbrief.atomic import is_stdout
    from wbbrief.document import author

    request = author.RenderRequest(
        document,
        output,
        variant.value if variant else None,
        template_dir,
        tuple(data or ()),
        date,
        reference_doc=reference_doc,
        lang=_lang(lang) if lang else None,
        decimal=_decimal(decimal),
    )
    if watch:
        if output is not None and is_stdout(output):
            raise UsageError("--watch writes a file again and again; name one with -o")
        with sigterm_as_interrupt():
            author.watch(request, echo)
        return
    with sigterm_as_interrupt():
        done = author.render(request)
    if not is_stdout(done.path):
        echo(str(done.path))


@app.command("export-pdf")
@guarded
def export_pdf(
    output: OutputOpt = None,
    country: BriefCountryOpt = None,
    title: TitleOpt = None,
    subtitle: SubtitleOpt = None,
    author: AuthorOpt = "wbbrief",
    date: DateOpt = None,
    variant: Annotated[
        Variant,
        typer.Option(
            "--variant", help="ua: tagged, accessible PDF/UA-1; a3: PDF/A-3u with the data attached.", metavar="ua|a3"
        ),
    ] = Variant.ua,
    template_dir: TemplateDirOpt = None,
    data: DataOpt = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            help="Language: a tag of locales/ (en, sq, sr-Cyrl, …; any case; Tab completes them), or all "
            "(one PDF per language; non-English file names carry the tag).",
            show_default=False,
            metavar="LANG",
        ),
    ] = None,
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
    from wbbrief import countries, export

    options = _brief_options(country, title, subtitle, author, date, variant.value, template_dir, data, lang, decimal)
    every_language = lang is not None and lang.casefold() == export.ALL
    if (country is not None and country.casefold() == export.ALL) or every_language:
        folder = output or Path(".")
        export.check_folder(folder)
        briefs = 1 + len(countries.all_countries()) if country is not None and country.casefold() == export.ALL else 1
        langs: list[str | None] = [*export.all_languages()] if every_language else [options.lang]
        _export_many(  # the region, then each country, per language
            briefs * len(langs),
            lambda advance: export.export_all(options, folder, advance, langs, every_country=briefs > 1),
        )
        return
    _export_one(lambda: export.export_pdf(options, output))


@app.command("export-html")
@guarded
def export_html(
    output: OutputOpt = None,
    country: CountryOpt = None,
    title: TitleOpt = None,
    subtitle: SubtitleOpt = None,
    author: AuthorOpt = "wbbrief",
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
    from wbbrief import export

    if country is not None and country.casefold() == export.ALL:
        raise UsageError("export-html writes one brief; use `wbbrief export-pdf --country all` for all seven")

    if lang is not None and lang.casefold() == export.ALL:
        raise UsageError("export-html writes one brief; use `wbbrief export-pdf --lang all` for every language")
    options = _brief_options(country, title, subtitle, author, date, "ua", template_dir, data, lang, decimal)
    _export_one(lambda: export.export_html(options, output))


@app.command("export-docx")
@guarded
def export_docx(
    output: OutputOpt = None,
    country: BriefCountryOpt = None,
    title: TitleOpt = None,
    subtitle: SubtitleOpt = None,
    author: AuthorOpt = "wbbrief",
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
    from wbbrief import countries, export, wordexport

    if lang is not None and lang.casefold() == export.ALL:
        raise UsageError("export-docx writes one language at a time; name one with --lang")
    options = _brief_options(country, title, subtitle, author, date, "ua", None, data, lang, decimal)
    if country is not None and country.casefold() == export.ALL:
        folder = output or Path(".")
        export.check_folder(folder, "Word file")
        _export_many(
            1 + len(countries.all_countries()),
            lambda advance: wordexport.export_all_docx(options, folder, reference_doc, advance),
        )
        return
    _export_one(lambda: wordexport.export_docx(options, output, reference_doc))


def _export_one(write: Callable[[], Path]) -> None:
    """One brief: Ctrl-C or `kill` leave no partial file; its path is printed, except with -o -,
    where standard output carries the brief and nothing else."""
    from wbbrief.atomic import is_stdout

    with sigterm_as_interrupt():
        path = write()
    if not is_stdout(path):
        echo(str(path))


def _export_many(total: int, write: Callable[[Callable[[Path], None]], list[Path]]) -> None:
    """Several briefs into a folder, with a progress bar; each path is printed, and when Ctrl-C or
    `kill` stops them, the paths of the briefs written before it (then the error, exit 130)."""
    from wbbrief.errors import Interrupted

    try:
        with sigterm_as_interrupt(), _progress(total) as advance:
            paths = write(advance)
    except Interrupted as stopped:
        for path in stopped.written:
            echo(str(path))
        raise
    for path in paths:
        echo(str(path))


@contextlib.contextmanager
def _progress(total: int) -> Any:
    """A progress bar on stderr, so stdout carries only the written paths."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("Writing briefs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as progress:  # fmt: skip
        task = progress.add_task("briefs", total=total)
        yield lambda _path: progress.advance(task)


data_app = typer.Typer(
    help="Bring your own survey data: a template to fill in, and a validator.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data")


@data_app.command("template")
@guarded
def data_template(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write figures.csv and sources.csv into.", metavar="DIR")
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
) -> None:
    """Write empty figures.csv and sources.csv to fill in (the format `figures --format csv` prints).

    \b
    Examples:
      wbbrief data template -o my-data/
      wbbrief figures -f csv > my-data/figures.csv   (start from the bundled figures)
    """
    from wbbrief import userdata

    for path in userdata.write_template(output, force):
        echo(str(path))


@data_app.command("validate")
@guarded
def data_validate(
    paths: Annotated[list[Path], typer.Argument(help="CSV or .xlsx files, or folders of them.", metavar="PATH...")],
) -> None:
    """Check your data files and report every problem, with file, line and column (exit 1 if any).

    \b
    Examples:
      wbbrief data validate my-data/
      wbbrief data validate asb-2023.xlsx
    """
    from wbbrief import loading
    from wbbrief.output import printable

    report = loading.validate(paths)
    for problem in sorted(report.problems + report.warnings, key=lambda p: (p.file, p.line or 0)):
        echo(printable(str(problem)))
    flush_stdout()
    typer.echo(report.summary, err=bool(report.problems))
    if report.problems:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point. Help and --version are written by Click, outside `guarded`:
    a failure to write them is caught here."""
    try:
        app()
    except BrokenPipeError:
        sys.exit(closed_pipe())
    except OSError as err:
        report(f"cannot write to standard output: {err.strerror}")
        sys.exit(1)
