"""`wbbrief tabulate`: weighted shares with their intervals from a survey's own respondent-level file.

A thin command: it parses the options and hands off to ``wbbrief.query.tabulate``. Nothing heavy
(pandas, numpy, scipy, pyreadstat) is imported until the command runs, so `--help` stays light.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from wbbrief.cli.app import app
from wbbrief.render.formats import Format


@app.command("tabulate")
def tabulate(
    file: Annotated[
        Path,
        typer.Argument(
            help="The survey's respondent-level file: .sav, .zsav, .dta, .por, .csv or .xlsx.",
            metavar="FILE",
            show_default=False,
        ),
    ],
    list_: Annotated[
        bool, typer.Option("--list", help="List the variables with their labels, value labels and missing codes.")
    ] = False,
    question: Annotated[
        list[str] | None,
        typer.Option(
            "--question",
            "-q",
            help="A single-choice question (variable name; repeatable).",
            metavar="VAR",
            show_default=False,
        ),
    ] = None,
    multi: Annotated[
        list[str] | None,
        typer.Option(
            "--multi",
            help="A multiple-response set, one 0/1 column per option (repeatable).",
            metavar="NAME=VAR1,VAR2,...",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Shares per group of this variable (a domain of the design).",
            metavar="VAR",
            show_default=False,
        ),
    ] = None,
    weight: Annotated[
        str | None,
        typer.Option(
            "--weight", "-w", help="The weight variable (default: unweighted).", metavar="VAR", show_default=False
        ),
    ] = None,
    strata: Annotated[
        str | None, typer.Option("--strata", help="The strata variable.", metavar="VAR", show_default=False)
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="The first-stage cluster (PSU) variable.", metavar="VAR", show_default=False),
    ] = None,
    filter_: Annotated[
        str | None,
        typer.Option(
            "--filter",
            help='Only respondents for whom this holds, as a domain: "VAR == CODE" or '
            "\"VAR == 'Label'\" (==, !=, <, <=, >, >=, joined by 'and').",
            metavar="CONDITION",
            show_default=False,
        ),
    ] = None,
    survey: Annotated[
        str | None,
        typer.Option(
            "--survey", "-s", help="Survey id for the figures (e.g. securimeter).", metavar="ID", show_default=False
        ),
    ] = None,
    edition: Annotated[
        int | None,
        typer.Option("--edition", help="Edition (year) of the survey.", metavar="YEAR", show_default=False),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            "-c",
            help="The country every respondent is in (name or code; WB6).",
            metavar="COUNTRY",
            show_default=False,
        ),
    ] = None,
    country_var: Annotated[
        str | None,
        typer.Option(
            "--country-var",
            help="The variable naming each respondent's country (shares per country).",
            metavar="VAR",
            show_default=False,
        ),
    ] = None,
    topic: Annotated[str, typer.Option("--topic", "-t", help="Topic slug of the figures.", metavar="TOPIC")] = (
        "microdata"
    ),
    ci: Annotated[
        str, typer.Option("--ci", help="Interval: logit, korn-graubard, wilson or wald.", metavar="METHOD")
    ] = "logit",
    level: Annotated[float, typer.Option("--level", help="Confidence level.", metavar="LEVEL")] = 0.95,
    missing: Annotated[
        str,
        typer.Option(
            "--missing",
            help="User-missing codes (Don't know, Refused): exclude them from the "
            "base and list them apart, or show them as answers.",
            metavar="exclude|show",
        ),
    ] = "exclude",
    exclude_bad_weights: Annotated[
        bool,
        typer.Option(
            "--exclude-bad-weights",
            help="Leave out respondents whose weight is missing, zero "
            "or negative (with a warning) instead of stopping.",
        ),
    ] = False,
    max_size: Annotated[float, typer.Option("--max-size", help="Largest file to read, in MB.", metavar="MB")] = 100,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write figures.csv and sources.csv into this folder, for --data.",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output: a table for people; csv, json or markdown.")
    ] = Format.table,
) -> None:
    """Weighted shares with standard errors and intervals from a survey's own data file.

    Reads SPSS (.sav, .zsav, .por), Stata (.dta), CSV and Excel files; value labels, variable
    labels and user-missing codes are kept. Groups and filters are domains of the whole design
    (weights, strata, clusters), as in R's survey package and Stata's svy. With -o, writes a
    figures.csv and sources.csv pair that --data reads.

    \b
    Examples:
      wbbrief tabulate poll.sav --list
      wbbrief tabulate poll.sav -q q12 --weight w_final --country-var country
      wbbrief tabulate poll.sav -q q12 -w w_final --strata stratum --cluster psu -c albania \\
          --survey mypoll --edition 2024 -o mine/
      wbbrief findings --data mine/
    """
    run(
        file, question, multi, by, weight, strata, cluster, filter_, survey, edition, country, country_var, topic,
        ci, level, missing, exclude_bad_weights, max_size, list_, output, fmt,
    )  # fmt: skip


def run(
    file: Path, question: list[str] | None, multi: list[str] | None, by: Any, weight: Any, strata: Any, cluster: Any,
    filter_: Any, survey: Any, edition: Any, country: Any, country_var: Any, topic: Any, ci: Any, level: Any,
    missing: Any, exclude_bad_weights: Any, max_size: Any, list_: bool, output: Path | None, fmt: Format,
) -> None:  # fmt: skip
    """The hand-off: list the file's variables, or tabulate and print the View or write the pair."""
    from wbbrief.cli.app import echo, writing
    from wbbrief.dataset import microdata
    from wbbrief.query import tabulate as tab
    from wbbrief.query import tabulated
    from wbbrief.render.output import emit

    if list_:
        with writing():
            emit(tabulated.listing_view(microdata.read_metadata(file, max_size)), fmt)
        return
    request = tab.Request(
        file, list(question or []), list(multi or []), by, weight, strata, cluster, filter_, survey, edition,
        country, country_var, topic, ci, level, missing, exclude_bad_weights, max_size,
    )  # fmt: skip
    result = tab.tabulate(request)
    if output is not None:
        for warning in result.warnings:  # a table or --format shows them among its notes
            typer.echo(f"wbbrief: warning: {warning}", err=True)
        for path in tabulated.write(result, output):
            echo(str(path))
        return
    with writing():
        emit(tabulated.view(result), fmt)
