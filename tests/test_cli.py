"""The commands as a user meets them: real output, every format, the failure cases."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from wbbrief import __version__
from wbbrief.cli import app

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[1]
QUERY_COMMANDS = ["findings", "threats", "cooperation", "figures", "sources", "recommendations"]
ANSI = re.compile(r"\x1b\[")


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"wbbrief {__version__}"


def test_short_help_lists_every_command(run: Run) -> None:
    result = run("-h")
    assert result.exit_code == 0
    for name in QUERY_COMMANDS:
        assert name in result.stdout


def test_every_command_has_help_with_an_example_and_is_in_the_manual(run: Run) -> None:
    # The manual's own pages, not the command reference that is written from the help itself.
    docs = ROOT / "docs"
    pages = [p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] not in ("reference", "examples")]
    manual = "".join(p.read_text(encoding="utf-8") for p in pages)
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert set(QUERY_COMMANDS) <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, name
        assert f"wbbrief {name}" in manual, name


def test_findings_for_albania_puts_its_own_figures_first_then_the_region(run: Run) -> None:
    result = run("findings", "--country", "albania")
    assert result.exit_code == 0
    out = result.stdout
    assert "Key findings: Albania" in out
    assert "39.3%" in out and "79.6%" in out
    assert out.index("79.6%") < out.index("Western Balkans Six")
    assert "70%" in out  # SecuriMeter's regional figure includes Albania
    assert "IRI" not in out  # IRI did not poll Albania
    assert "Source: " in out or "Sources: " in out
    assert "Albanian Security Barometer 2022, pp. 24, 25, 27, 28–29, 33, 34, 36" in " ".join(out.split())


def test_findings_filters_by_survey_and_topic(run: Run) -> None:
    result = run("findings", "--survey", "IRI", "--format", "json")
    rows = json.loads(result.stdout)["tables"][0]["rows"]
    assert {r["id"] for r in rows} == {"rs-opinion-albania", "wb-tensions-leaders", "wb-open-balkan"}
    result = run("findings", "--topic", "open balkan", "-f", "json")
    rows = json.loads(result.stdout)["tables"][0]["rows"]
    assert [r["id"] for r in rows] == ["wb-open-balkan"]
    assert rows[0]["finding"].startswith("Majorities support the Open Balkan initiative in Serbia (75%)")


def test_threats_ranks_shares_draws_bars_and_shows_the_change(run: Run) -> None:
    out = run("threats").stdout
    assert re.search(r"1\s+Corruption\s+39\.3%\s+█+", out)
    assert re.search(r"1\s+Serbia\s+66\.8%.*\n.*2\s+Russia\s+63\.1%", out)
    assert re.search(r"Negative impact\s+22%\s+44%\s+\+22 pts", out)
    assert "Change 2021→2022" in out
    assert re.search(r"1\s+Economic crises, poverty and social exclusion", out)


def test_threats_for_a_country_without_own_figures_says_so_and_shows_the_region(run: Run) -> None:
    result = run("threats", "--country", "Crna Gora")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "Montenegro: the surveys report no threat-perception figures for this country alone" in flat
    assert "showing the regional (WB6) figures" in flat
    assert "44%" in flat


def test_cooperation_compares_countries_side_by_side(run: Run) -> None:
    result = run("cooperation", "-c", "albania")
    flat = " ".join(result.stdout.split())
    assert "IRI Western Balkans Regional Survey 2022 did not poll Albania." in flat
    assert re.search(r"▸ Albania\s+—\s+—\s+not polled", result.stdout)
    assert re.search(r"Bosnia and Herzegovina\s+75%\s+68%\s+polled", result.stdout)
    assert re.search(r"Kosovo\s+—\s+42%\s+polled", result.stdout)
    payload = json.loads(run("cooperation", "-f", "json").stdout)
    table = next(t for t in payload["tables"] if t["id"] == "iri-by-country")
    by_country = {r["country"]: r for r in table["rows"]}
    assert by_country["RS"]["open-balkan"] == 75 and by_country["RS"]["tensions"] == 40
    assert by_country["XK"]["tensions"] is None and by_country["AL"]["status"] == "not polled"


def test_figures_csv_is_one_flat_row_per_figure(run: Run) -> None:
    result = run("figures", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert header[:8] == ["id", "survey", "edition", "country", "topic", "question", "answer", "value"]
    assert "source_page" in header and "footnote" in header
    assert len(rows) == 56
    first = rows[0]
    assert first["id"] == "asb-threat-first-corruption" and first["value"] == "39.3" and first["footnote"] == "26"
    whole = next(r for r in rows if r["id"] == "asb-russia-west-war-not-expand")
    assert whole["value"] == "36"  # as the paper prints it, not 36.0


def test_figures_filters_combine(run: Run) -> None:
    rows = json.loads(run("figures", "-c", "kosova", "-s", "iri", "-f", "json").stdout)["tables"][0]["rows"]
    assert [(r["id"], r["value"]) for r in rows] == [("iri-open-balkan-xk", 42)]


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_json_has_the_documented_shape(run: Run, command: str) -> None:
    payload = json.loads(run(command, "--format", "json").stdout)
    assert set(payload) == {"wbbrief", "command", "filters", "notes", "withdrawn", "tables"}
    assert payload["command"] == command
    for table in payload["tables"]:
        assert set(table) == {"id", "title", "source", "columns", "rows"}
        for row in table["rows"]:
            assert list(row) == table["columns"]


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_markdown_is_a_pipe_table_with_its_source(run: Run, command: str) -> None:
    out = run(command, "--format", "markdown").stdout
    assert out.startswith(("### ", "> Note"))
    assert re.search(r"^\|.*\|$", out, re.MULTILINE)
    assert re.search(r"^\|(-{3}:?\|)+", out, re.MULTILINE) or "|---" in out


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_output_fits_the_terminal_and_has_no_colour_codes_when_piped(run: Run, command: str) -> None:
    result = run(command, env={"NO_COLOR": ""})
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_unknown_country_exits_2_with_a_suggestion(run: Run) -> None:
    result = run("findings", "--country", "Serbai")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "wbbrief: error: unknown country 'Serbai'. Did you mean Serbia?" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 or "Valid:" in result.stderr


def test_unknown_survey_and_topic_exit_2(run: Run) -> None:
    bad_survey = run("threats", "--survey", "gallup")
    assert bad_survey.exit_code == 2 and "unknown survey 'gallup'" in bad_survey.stderr
    bad_topic = run("figures", "--topic", "tensons")
    assert bad_topic.exit_code == 2 and "Did you mean 'tensions'?" in bad_topic.stderr


def test_bad_format_is_a_usage_error(run: Run) -> None:
    assert run("sources", "--format", "xml").exit_code == 2


def test_data_text_is_never_rich_markup(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from wbbrief.query import queries
    from wbbrief.query.views import Column, Table, View

    def fake_sources(bundle: object) -> View:
        return View("sources", {}, [Table("t", "[bold]x[/bold]", [Column("a", "A")], [{"a": "[red]y[/red]"}])])

    monkeypatch.setattr(queries, "sources", fake_sources)
    out = run("sources").stdout
    assert "[bold]x[/bold]" in out and "[red]y[/red]" in out


def test_no_match_says_so_without_an_empty_table(run: Run) -> None:
    result = run("findings", "--survey", "securimeter", "--topic", "open-balkan")
    assert result.exit_code == 0
    assert result.stdout.strip() == "Note: No findings match these filters."


def test_export_html_refuses_all(run: Run) -> None:
    result = run("export-html", "--country", "all")
    assert result.exit_code == 2 and "export-pdf --country all" in result.stderr


CONTROLS = "\x1b[2J\r\x00\x07\x08\x7f\x9b31m"


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_control_characters_in_data_never_reach_the_terminal_raw(
    run: Run, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from wbbrief.query import queries
    from wbbrief.query.views import Column, Table, View

    def fake_sources(bundle: object) -> View:
        table = Table("t", f"T{CONTROLS}", [Column("a", f"A{CONTROLS}")], [{"a": f"x{CONTROLS}y"}], f"S{CONTROLS}")
        return View("sources", {}, [table, table], notes=[f"n{CONTROLS}"])

    monkeypatch.setattr(queries, "sources", fake_sources)
    result = run("sources", "-f", fmt)
    assert result.exit_code == 0
    shown = result.stdout + result.stderr
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", shown), repr(shown)
    if fmt == "json":  # escaped, so a JSON reader gets the text exactly as it was
        document = json.loads(result.stdout)
        assert document["tables"][0]["rows"][0]["a"] == f"x{CONTROLS}y"
        assert document["notes"] == [f"n{CONTROLS}"]
    else:  # shown as visible symbols
        assert "x␛[2J␍␀␇␈␡�31my" in shown


def test_an_error_never_echoes_a_control_character(run: Run) -> None:
    result = run("findings", "--country", "\x1b[2Jx\r")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "unknown country '␛[2Jx␍'" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export-pdf", "--variant", "pdfx"],
         "wbbrief: error: invalid value for '--variant': 'pdfx' is not one of 'ua', 'a3'. "
         "See 'wbbrief export-pdf -h'."),
        (["sources", "--format", "xml"],
         "wbbrief: error: invalid value for '--format' / '-f': 'xml' is not one of 'table', 'csv', 'json', "
         "'markdown'. See 'wbbrief sources -h'."),
        (["findings", "--bogus"], "wbbrief: error: no such option: --bogus. See 'wbbrief findings -h'."),
        (["nonsense"], "wbbrief: error: no such command 'nonsense'. See 'wbbrief -h'."),
        (["findings", "--country"], "wbbrief: error: option '--country' requires an argument."),
        (["data", "validate"], "wbbrief: error: missing argument 'PATH...'. See 'wbbrief data validate -h'."),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line_like_every_other_error(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"  # one line: no usage block, no box, no traceback


def test_usage_errors_are_red_on_a_terminal(run: Run) -> None:
    result = run("export-pdf", "--variant", "pdfx", env={"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm"})
    assert result.exit_code == 2
    assert "\x1b[1;31mwbbrief: error: \x1b[0m" in result.stderr


def test_usage_errors_from_the_installed_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "wbbrief", "export-pdf", "--variant", "pdfx"], capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"}, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("wbbrief: error: invalid value for '--variant'") and done.stderr.count("\n") == 1
