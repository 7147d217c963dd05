"""`wbbrief data`: bring your own survey data, a template to fill in and a validator."""

from pathlib import Path
from typing import Annotated, Any

import typer

from wbbrief.cli.app import HELP_OPTIONS, HelpGroup, app, echo, flush_stdout
from wbbrief.cli.options import ForceOpt

data_app = typer.Typer(
    cls=HelpGroup,
    help="Bring your own survey data: a template to fill in, and a validator.",
    context_settings=HELP_OPTIONS,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data")


@data_app.command("template")
def data_template(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write figures.csv and sources.csv into.", metavar="DIR")
    ] = Path("."),
    force: ForceOpt = False,
) -> None:
    """Write empty figures.csv and sources.csv to fill in (the format `figures --format csv` prints).

    \b
    Examples:
      wbbrief data template -o my-data/
      wbbrief figures -f csv > my-data/figures.csv   (start from the bundled figures)
    """
    from wbbrief.dataset import userdata

    show_paths(userdata.write_template(output, force))


@data_app.command("validate")
def data_validate(
    paths: Annotated[list[Path], typer.Argument(help="CSV or .xlsx files, or folders of them.", metavar="PATH...")],
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="The CSV files' encoding, e.g. cp1251 (Cyrillic) or cp1250 (Latin), instead of the guess "
            "made when a file is not UTF-8.",
            show_default=False,
            metavar="CODEC",
        ),
    ] = None,
) -> None:
    """Check your data files and report every problem, with file, line and column (exit 1 if any).

    \b
    Examples:
      wbbrief data validate my-data/
      wbbrief data validate asb-2023.xlsx
      wbbrief data validate --encoding cp1251 anketa.csv
    """
    from wbbrief.dataset import encoding as encodings
    from wbbrief.dataset import loading

    show_validation(encodings.read_as(encoding, lambda: loading.validate(paths)))


def show_paths(written: list[Path]) -> None:
    for path in written:
        echo(str(path))


def show_validation(report: Any) -> None:
    """Every problem and warning in file order, then the summary (on stderr if any failed; exit 1)."""
    from wbbrief.render.formats import printable

    for problem in sorted(report.problems + report.warnings, key=lambda p: (p.file, p.line or 0)):
        echo(printable(str(problem)))
    flush_stdout()
    typer.echo(report.summary, err=bool(report.problems))
    if report.problems:
        raise typer.Exit(1)
