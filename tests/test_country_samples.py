"""A survey that reports its sample country by country (issue 17's data contract): a sources row with a
``sample_country`` gives that country's sample, and a figure for that country takes its interval from
it; the edition's own sample serves the other countries."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

HEADER = (
    "id,name,short_name,edition,publisher,title,countries,citation,"
    "sample_size,design_effect,sample_page,sample_country\n"
)
EDITION = "poll,Test Poll,Poll,2022,Nobody,Test Poll 2022,AL;BA,Not a real survey,3000,1.5,2,\n"
FIGURES = (
    "id,survey,edition,country,topic,question,answer,value,unit,year,source_page\n"
    "poll-al,poll,2022,AL,threats,Feel unsafe,Yes,40,percent,2022,5\n"
    "poll-ba,poll,2022,BA,threats,Feel unsafe,Yes,40,percent,2022,5\n"
)


def folder_with(tmp_path: Path, *samples: str) -> Path:
    (tmp_path / "sources.csv").write_text(HEADER + EDITION + "".join(s + "\n" for s in samples))
    (tmp_path / "figures.csv").write_text(FIGURES)
    return tmp_path


def wilson(p: float, n_eff: float, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson's score interval, by hand: (p + z²/2n ± z √(p q / n + z²/4n²)) / (1 + z²/n)."""
    centre = p + z * z / (2 * n_eff)
    half = z * math.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff * n_eff))
    return 100 * (centre - half) / (1 + z * z / n_eff), 100 * (centre + half) / (1 + z * z / n_eff)


def rows_of(result: Result) -> dict[str, dict[str, object]]:
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)["tables"][0]
    return {str(r["id"]): r for r in table["rows"]}


def test_a_country_figure_takes_its_countrys_sample_and_the_others_the_editions(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    data = folder_with(tmp_path, "poll,,,2022,,,,,400,1.2,7,Albania")
    rows = rows_of(run("figures", "-s", "poll", "--ci", "-f", "json", "--data", str(data)))
    al, ba = rows["poll-al"], rows["poll-ba"]
    assert (al["ci_low"], al["ci_high"]) == pytest.approx(wilson(0.4, 400 / 1.2), abs=1e-4)
    assert (ba["ci_low"], ba["ci_high"]) == pytest.approx(wilson(0.4, 3000 / 1.5), abs=1e-4)
    shown = run("figures", "-s", "poll", "--ci", "--data", str(data)).stdout
    assert "Poll 2022 (Albania): n = 400, design effect 1.2, p. 7" in " ".join(shown.split())
    assert "Poll 2022: n = 3000, design effect 1.5, p. 2" in " ".join(shown.split())


def test_sources_list_each_countrys_sample(run: Callable[..., Result], tmp_path: Path) -> None:
    data = folder_with(tmp_path, "poll,,,2022,,,,,400,1.2,7,AL", "poll,,,2022,,,,,350,,,BA")
    row = rows_of(run("sources", "-f", "json", "--data", str(data)))["poll"]
    assert row["sample_size"] == 3000
    assert row["country_samples"] == "AL: n = 400, design effect 1.2, p. 7; BA: n = 350"
    shown = " ".join(run("sources", "--data", str(data)).stdout.split())
    assert "Sample: n = 3000, design effect 1.5, p. 2; Albania: n = 400, design effect 1.2, p. 7; Bosnia" in shown
    plain = tmp_path / "plain"
    plain.mkdir()
    assert "country_samples" not in run("sources", "-f", "json", "--data", str(folder_with(plain))).stdout


def test_a_country_sample_in_another_language(run: Callable[..., Result], tmp_path: Path) -> None:
    data = folder_with(tmp_path, "poll,,,2022,,,,,400,1.2,7,AL")
    shown = " ".join(run("sources", "-l", "sr-Latn", "--data", str(data)).stdout.split())
    assert "Albanija: n = 400, efekat dizajna 1,2" in shown


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        (
            "poll,Test Poll,,2022,,,,,400,1.2,7,AL",
            "line 3, column 'name': a row with a sample_country gives that country's sample alone: leave name empty",
        ),
        ("poll,,,2022,,,,,,1.2,7,AL", "line 3, column 'sample_size': a value is required"),
        ("poll,,,2022,,,,,400,0,7,AL", "line 3, column 'design_effect': a design effect is above 0, not 0"),
        ("poll,,,2022,,,,,400,,,Atlantis", "line 3, column 'sample_country': unknown country"),
        ("poll,,,2019,,,,,400,,,AL", "no sources row for 'poll' 2019"),
    ],
    ids=["other-column", "no-size", "zero-deff", "bad-country", "no-edition"],
)
def test_a_bad_country_sample_is_one_line_at_its_row(
    run: Callable[..., Result], tmp_path: Path, sample: str, message: str
) -> None:
    result = run("data", "validate", str(folder_with(tmp_path, sample)))
    assert result.exit_code == 1
    assert message in result.output


def test_a_country_given_twice_is_refused(run: Callable[..., Result], tmp_path: Path) -> None:
    data = folder_with(tmp_path, "poll,,,2022,,,,,400,,,AL", "poll,,,2022,,,,,500,,,Albania")
    result = run("data", "validate", str(data))
    assert result.exit_code == 1
    assert "'AL' is given twice for 'poll' 2022" in result.output


def test_the_symbol_n_stays_latin_in_cyrillic(run: Callable[..., Result]) -> None:
    """A statistical symbol is not a word: Serbian Cyrillic keeps 'n = 1000' (not 'н = 1000')."""
    editions = Path(__file__).resolve().parents[1] / "docs" / "examples" / "three-editions"
    shown = run("sources", "-l", "sr-Cyrl", "--data", str(editions)).stdout
    assert "Узорак: n = 1000" in shown and "н =" not in shown
