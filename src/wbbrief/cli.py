"""The wbbrief command line: each command parses its options and hands off to a module.

Exit codes: 0 ok, 1 data or runtime error, 2 usage error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from wbbrief import __version__
from wbbrief.errors import WbbriefError
from wbbrief.output import Format

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="wbbrief",
    help=(
        "Public-opinion evidence on security in the Western Balkans: key findings in the terminal, "
        "a sourced PDF policy brief on demand. Every figure comes from a 2022 policy paper on "
        "cooperative security, with its survey, page and footnote."
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=(
        "\b\nExamples:\n  wbbrief findings --country albania\n  wbbrief threats\n  wbbrief export-pdf\n\n"
        "\b\nExit codes: 0 ok, 1 data or runtime error, 2 usage error."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def guarded(command: F) -> F:
    """The one place user-caused errors are caught: one red line on stderr, a documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except WbbriefError as err:
            report(str(err))
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            report("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def report(message: str) -> None:
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True, soft_wrap=True).print(Text.assemble(("wbbrief: error: ", "bold red"), (message, "red")))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wbbrief {__version__}")
        raise typer.Exit()


def _complete_country(incomplete: str) -> list[str]:
    from wbbrief.countries import all_countries, normalise

    names = [c.name for c in all_countries()] + ["WB6"]
    return [n for n in names if normalise(n).startswith(normalise(incomplete))]


CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        help="Country by name, ISO code or alias (albania, BiH, Kosova, MNE, macedonia, srb), or WB6.",
        metavar="COUNTRY",
        autocompletion=_complete_country,
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
        "--topic",
        "-t",
        help="Only this topic, e.g. threats, cooperation, open-balkan.",
        show_default=False,
        metavar="TOPIC",
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


def _resolve(country: str | None, survey: str | None = None, topic: str | None = None) -> tuple[Any, ...]:
    """Turn what the user typed into ids, or fail with a usage error (exit 2) before any work."""
    from wbbrief import countries, queries
    from wbbrief.data import load_bundle

    code = countries.resolve(country) if country else None
    bundle = load_bundle()
    survey_id = queries.resolve_survey(bundle, survey) if survey else None
    topic_id = queries.resolve_topic(bundle, topic) if topic else None
    return bundle, code, survey_id, topic_id


def _emit(view: Any, fmt: Format) -> None:
    from wbbrief.output import emit

    emit(view, fmt)


@app.command()
@guarded
def findings(
    country: CountryOpt = None, survey: SurveyOpt = None, topic: TopicOpt = None, fmt: FormatOpt = Format.table
) -> None:
    """The key findings, each with its figures and source.

    For a country: its own findings first, then the regional ones that include it.

    \b
    Examples:
      wbbrief findings --country albania
      wbbrief findings --survey iri -f markdown
    """
    from wbbrief import queries

    bundle, code, survey_id, topic_id = _resolve(country, survey, topic)
    _emit(queries.findings(bundle, code, survey_id, topic_id), fmt)


@app.command()
@guarded
def threats(country: CountryOpt = None, survey: SurveyOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Threat perception, ranked, with a bar per share and the change between survey rounds.

    \b
    Examples:
      wbbrief threats
      wbbrief threats -c serbia
      wbbrief threats -f json
    """
    from wbbrief import queries

    bundle, code, survey_id, _ = _resolve(country, survey)
    _emit(queries.threats(bundle, code, survey_id), fmt)


@app.command()
@guarded
def cooperation(country: CountryOpt = None, survey: SurveyOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Support for regional cooperation, its focus, and by-country comparisons side by side.

    \b
    Examples:
      wbbrief cooperation
      wbbrief cooperation --country kosovo
    """
    from wbbrief import queries

    bundle, code, survey_id, _ = _resolve(country, survey)
    _emit(queries.cooperation(bundle, code, survey_id), fmt)


@app.command()
@guarded
def figures(
    country: CountryOpt = None, survey: SurveyOpt = None, topic: TopicOpt = None, fmt: FormatOpt = Format.table
) -> None:
    """Every survey figure with its provenance; --format csv gives one flat row per figure.

    \b
    Examples:
      wbbrief figures --survey asb
      wbbrief figures -f csv > figures.csv
    """
    from wbbrief import queries

    bundle, code, survey_id, topic_id = _resolve(country, survey, topic)
    view = queries.figures(bundle, code, survey_id, topic_id)
    view.tables[0].display = queries.FIGURES_DISPLAY
    _emit(view, fmt)


@app.command()
@guarded
def sources(fmt: FormatOpt = Format.table) -> None:
    """The surveys behind every figure, with full citations.

    \b
    Examples:
      wbbrief sources -f markdown
    """
    from wbbrief import queries
    from wbbrief.data import load_bundle

    _emit(queries.sources(load_bundle()), fmt)


@app.command()
@guarded
def recommendations(fmt: FormatOpt = Format.table) -> None:
    """The recommendations (WBSF, IISG), their principles and the evidence behind them.

    \b
    Examples:
      wbbrief recommendations
    """
    from wbbrief import queries
    from wbbrief.data import load_bundle

    _emit(queries.recommendations(load_bundle()), fmt)


def main() -> None:
    """Console-script entry point."""
    app()
