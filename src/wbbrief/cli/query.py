"""The query commands: findings, threats, cooperation, figures, sources, recommendations.

Each parses its options and hands them to query.ask; one `--format` for all six."""

from wbbrief.cli.app import app
from wbbrief.cli.options import (
    CiOpt,
    CountryOpt,
    DataOpt,
    DecimalOpt,
    FormatOpt,
    LangOpt,
    LevelOpt,
    SurveyOpt,
    TopicOpt,
)
from wbbrief.cli.running import ask
from wbbrief.render.formats import Format


@app.command()
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
    ask("findings", fmt, data, lang, decimal, country=country, survey=survey, topic=topic)


@app.command()
def threats(
    country: CountryOpt = None,
    survey: SurveyOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
    ci: CiOpt = False,
    level: LevelOpt = 0.95,
) -> None:
    """Threat perception, ranked, with a bar per share and the change between survey rounds.

    \b
    Examples:
      wbbrief threats
      wbbrief threats -c serbia
      wbbrief threats -f json
    """
    ask("threats", fmt, data, lang, decimal, ci, level, country=country, survey=survey)


@app.command()
def cooperation(
    country: CountryOpt = None,
    survey: SurveyOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
    ci: CiOpt = False,
    level: LevelOpt = 0.95,
) -> None:
    """Support for regional cooperation, its focus, and by-country comparisons side by side.

    \b
    Examples:
      wbbrief cooperation
      wbbrief cooperation --country kosovo
    """
    ask("cooperation", fmt, data, lang, decimal, ci, level, country=country, survey=survey)


@app.command()
def figures(
    country: CountryOpt = None,
    survey: SurveyOpt = None,
    topic: TopicOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    lang: LangOpt = None,
    decimal: DecimalOpt = None,
    ci: CiOpt = False,
    level: LevelOpt = 0.95,
) -> None:
    """Every survey figure with its provenance; --format csv gives one flat row per figure.

    \b
    Examples:
      wbbrief figures --survey asb
      wbbrief figures -f csv > figures.csv
    """
    ask("figures", fmt, data, lang, decimal, ci, level, country=country, survey=survey, topic=topic)


@app.command()
def sources(
    fmt: FormatOpt = Format.table, data: DataOpt = None, lang: LangOpt = None, decimal: DecimalOpt = None
) -> None:
    """The surveys behind every figure, with full citations.

    \b
    Examples:
      wbbrief sources -f markdown
    """
    ask("sources", fmt, data, lang, decimal)


@app.command()
def recommendations(
    fmt: FormatOpt = Format.table, data: DataOpt = None, lang: LangOpt = None, decimal: DecimalOpt = None
) -> None:
    """The recommendations (WBSF, IISG), their principles and related figures selected by wbbrief.

    \b
    Examples:
      wbbrief recommendations
    """
    ask("recommendations", fmt, data, lang, decimal)
