"""`wbbrief tabulate`: respondent-level files in, weighted shares with intervals out, as figures
that --data reads. The SPSS files are written here with pyreadstat: value labels, user-missing
codes, a multiple-response set, a string variable and a date."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import Result

from wbbrief.dataset import userdata
from wbbrief.query import tabulate as tab

Run = Callable[..., Result]
NHANES = Path(__file__).parent / "data" / "nhanes2.csv"

LABELS = {"q12": "Most serious threat", "country": "Country", "w": "Final weight", "m1": "Police",
          "m2": "Army", "gender": "Gender", "interview": "Interview date", "q5": "Trust in the courts"}  # fmt: skip
VALUE_LABELS = {
    "q12": {1.0: "Corruption", 2.0: "Crime", 3.0: "Unemployment", 98.0: "Don't know", 99.0: "Refused"},
    "country": {1.0: "Albania", 2.0: "Kosovo"},
    "m1": {0.0: "Unchecked", 1.0: "Checked"},
}


def poll(n: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "country": np.repeat([1.0, 2.0], n // 2),
        "stratum": np.repeat(np.arange(1.0, 5.0), n // 4),
        "psu": np.tile(np.repeat([1.0, 2.0, 3.0, 4.0, 5.0], n // 20), 4),
        "w": rng.uniform(0.5, 2, n),
        "q12": rng.choice([1.0, 2.0, 3.0, 98.0, 99.0], n, p=[0.4, 0.3, 0.2, 0.06, 0.04]),
        "q5": np.where(np.arange(n) < n // 2, rng.choice([1.0, 2.0], n), np.nan),  # asked in Albania only
        "gender": rng.choice(["Female", "Male"], n),
        "m1": rng.choice([0.0, 1.0], n),
        "m2": rng.choice([0.0, 1.0, np.nan], n, p=[0.5, 0.4, 0.1]),
        "interview": [dt.date(2024, 3, 1) + dt.timedelta(days=i % 20) for i in range(n)],
    })  # fmt: skip


def write_sav(path: Path, frame: pd.DataFrame) -> Path:
    import pyreadstat

    pyreadstat.write_sav(
        frame, str(path), file_label="Test poll 2024", column_labels={k: v for k, v in LABELS.items() if k in frame},
        variable_value_labels=VALUE_LABELS, missing_ranges={"q12": [98.0, 99.0]},
    )  # fmt: skip
    return path


@pytest.fixture
def sav(tmp_path: Path) -> Path:
    return write_sav(tmp_path / "poll.sav", poll())


def weighted_shares(frame: pd.DataFrame, column: str, keep: Any = None) -> dict[float, float]:
    """Shares computed the plain way, with pandas: Σw over an answer / Σw over the base, in percent."""
    rows = frame if keep is None else frame[keep]
    rows = rows[rows[column].notna()]
    total = rows["w"].sum()
    return {k: 100 * v / total for k, v in rows.groupby(column)["w"].sum().items()}


# --- the statistics as the user sees them -----------------------------------------------------------


def test_nhanes_through_the_command_line(run: Run) -> None:
    result = run("tabulate", str(NHANES), "-q", "highbp", "-w", "finalwgt", "--strata", "stratid",
                 "--cluster", "psuid", "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["tables"][0]["rows"]
    high = next(r for r in rows if r["answer"] == "1")
    # Stata's svy: proportion / R's svyciprop: 36.87%, SE 1.43 points, logit interval 34.00-39.84.
    assert (high["value"], high["se"], high["ci_low"], high["ci_high"]) == (36.9, 1.43, 34.0, 39.8)
    assert high["n"] == 10337 and high["df"] == 31 and high["ci_method"] == "logit"


def test_value_labels_name_the_answers_and_user_missing_codes_stay_out_of_the_base(sav: Path) -> None:
    frame = poll()
    result = tab.tabulate(tab.Request(sav, ["q12"], weight="w"))
    answers = {r["answer"]: r for r in result.shares}
    assert list(answers) == ["Corruption", "Crime", "Unemployment"]
    expected = weighted_shares(frame, "q12", frame["q12"] < 98)
    for code, label in VALUE_LABELS["q12"].items():
        if code < 98:
            assert answers[label]["value"] == round(expected[code], 1)
    assert sum(r["value"] for r in result.shares) == pytest.approx(100, abs=0.15)
    assert answers["Crime"]["n"] == int((frame["q12"] < 98).sum())
    left = {r["answer"]: r["n"] for r in result.left_out}
    assert left == {"Don't know": int((frame["q12"] == 98).sum()), "Refused": int((frame["q12"] == 99).sum())}


def test_missing_show_keeps_user_missing_codes_as_answers(sav: Path) -> None:
    frame = poll()
    result = tab.tabulate(tab.Request(sav, ["q12"], weight="w", missing="show"))
    answers = {r["answer"]: r["value"] for r in result.shares}
    assert answers["Don't know"] == round(weighted_shares(frame, "q12")[98.0], 1)
    assert not result.left_out and result.shares[0]["n"] == len(frame)


def test_a_multiple_response_set_gives_the_share_choosing_each_option(sav: Path) -> None:
    frame = poll()
    result = tab.tabulate(tab.Request(sav, multi=["trust=m1,m2"], weight="w"))
    shares = {r["answer"]: r for r in result.shares}
    assert list(shares) == ["Police", "Army"]  # the variable labels; one row per option, "chosen" only
    answered = frame["m1"].notna() | frame["m2"].notna()
    base = frame[answered]
    assert shares["Police"]["value"] == round(100 * base["w"][base["m1"] == 1].sum() / base["w"].sum(), 1)
    assert shares["Army"]["value"] == round(100 * base["w"][base["m2"] == 1].sum() / base["w"].sum(), 1)
    assert shares["Army"]["question"] == "trust"


def test_a_string_variable_groups_and_a_filter_is_a_domain_of_the_same_design(sav: Path) -> None:
    by = tab.tabulate(tab.Request(sav, ["q12"], by="gender", weight="w", strata="stratum", cluster="psu"))
    female = [r for r in by.shares if r["group"] == "Female"]
    filtered = tab.tabulate(tab.Request(sav, ["q12"], weight="w", strata="stratum", cluster="psu",
                                        filter="gender == 'Female'"))  # fmt: skip
    # The same domain of the same design, by either road: the same shares, errors and intervals.
    assert [(r["value"], r["se"], r["ci_low"]) for r in female] == [
        (r["value"], r["se"], r["ci_low"]) for r in filtered.shares
    ]
    frame = poll()
    assert female[0]["value"] == round(
        weighted_shares(frame, "q12", (frame["gender"] == "Female") & (frame["q12"] < 98))[1.0], 1
    )


def test_the_filter_is_parsed_never_evaluated() -> None:
    assert tab.parse_filter("q1 == 2 and gender != 'Male'") == [
        tab.Condition("q1", "==", 2.0),
        tab.Condition("gender", "!=", "Male"),
    ]
    for text in ("__import__('os').system('true')", "q1 == 2 or q2 == 3", "q1", "len(q1) > 2"):
        with pytest.raises(tab.UsageError, match="--filter"):
            tab.parse_filter(text)


def test_a_date_is_read_as_a_date_and_is_not_a_question(sav: Path, run: Run) -> None:
    listed = run("tabulate", str(sav), "--list", "-f", "json")
    rows = {r["variable"]: r for r in json.loads(listed.stdout)["tables"][0]["rows"]}
    assert rows["interview"]["type"] == "date" and rows["gender"]["type"] == "string"
    assert rows["q12"]["values"] == "1 = Corruption; 2 = Crime; 3 = Unemployment; 98 = Don't know; 99 = Refused"
    assert rows["q12"]["missing"] == "98; 99" and rows["q12"]["label"] == "Most serious threat"
    result = run("tabulate", str(sav), "-q", "interview")
    assert result.exit_code == 1 and "'interview' (Interview date): a date is not a question" in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".dta", ".por", ".zsav"])
def test_csv_excel_and_stata_files_give_the_same_shares(tmp_path: Path, sav: Path, suffix: str) -> None:
    frame = poll().drop(columns=["interview"])
    path = tmp_path / f"poll{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        import pyreadstat

        if suffix == ".dta":
            pyreadstat.write_dta(frame, str(path))
        elif suffix == ".por":
            pyreadstat.write_por(frame, str(path))
        else:
            pyreadstat.write_sav(frame, str(path), compress=True)
    other = tab.tabulate(tab.Request(path, ["q12"], weight="w", missing="show"))
    spss = tab.tabulate(tab.Request(sav, ["q12"], weight="w", missing="show"))
    assert [r["value"] for r in other.shares] == [r["value"] for r in spss.shares]


# --- bad input: one line naming the file and the variable, exit 1, nothing written, file untouched --


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fails(run: Run, path: Path, out: Path, *args: str) -> str:
    before, mtime = _digest(path), path.stat().st_mtime_ns
    result = run("tabulate", str(path), *args, "--survey", "mypoll", "--edition", "2024", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert _digest(path) == before and path.stat().st_mtime_ns == mtime
    message: str = result.stderr
    return " ".join(message.split())


def test_a_file_that_is_not_what_its_suffix_says(run: Run, tmp_path: Path) -> None:
    fake = tmp_path / "poll.sav"
    fake.write_text("q12,w\n1,1\n", encoding="utf-8")
    assert "poll.sav: this is not an SPSS .sav file" in _fails(run, fake, tmp_path / "out", "-q", "q12")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty.csv: the file is empty" in _fails(run, empty, tmp_path / "out", "-q", "q12")
    book = tmp_path / "poll.xlsx"
    book.write_bytes(b"%PDF-1.7\n")
    assert "this is not an Excel .xlsx workbook" in _fails(run, book, tmp_path / "out", "-q", "q12")


def test_an_unknown_variable_suggests_names_and_labels(run: Run, sav: Path, tmp_path: Path) -> None:
    message = _fails(run, sav, tmp_path / "out", "-q", "q13", "-c", "AL")
    assert "poll.sav: no variable 'q13'; did you mean 'q12' (Most serious threat)" in message
    message = _fails(run, sav, tmp_path / "out", "-q", "threat", "-c", "AL")
    assert "no variable 'threat'; did you mean " in message and "'q12' (Most serious threat)?" in message
    assert "Q12" not in message and tab.tabulate(tab.Request(sav, ["Q12"])).shares  # any case is the variable


def test_bad_weights_are_counted_and_left_out_only_when_asked(run: Run, tmp_path: Path) -> None:
    frame = poll()
    frame.loc[[3, 7], "w"] = 0.0
    frame.loc[11, "w"] = -1.0
    frame.loc[12, "w"] = np.nan
    path = write_sav(tmp_path / "weights.sav", frame)
    message = _fails(run, path, tmp_path / "out", "-q", "q12", "-w", "w", "-c", "AL")
    assert "weights.sav, variable 'w' (Final weight): 4 of 400 respondents have a missing, zero or negative" in message
    assert "--exclude-bad-weights" in message
    result = run("tabulate", str(path), "-q", "q12", "-w", "w", "--exclude-bad-weights", "-c", "AL", "--survey",
                 "mypoll", "--edition", "2024", "-o", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning: " in result.stderr and "4 of 400 respondents" in result.stderr and "left out" in result.stderr
    kept = frame[(frame["w"] > 0) & (frame["q12"] < 98)]
    figures = list(csv.DictReader((tmp_path / "out" / "figures.csv").open(encoding="utf-8")))
    assert int(figures[0]["n"]) == len(kept)


def test_a_question_with_no_valid_answers_in_a_group(run: Run, sav: Path, tmp_path: Path) -> None:
    message = _fails(run, sav, tmp_path / "out", "-q", "q5", "--country-var", "country")
    assert "poll.sav, variable 'q5': no valid answers in the group Country = Kosovo" in message


def test_a_stratum_with_a_single_cluster(run: Run, tmp_path: Path) -> None:
    frame = poll()
    frame.loc[frame["stratum"] == 3, "psu"] = 1.0
    path = write_sav(tmp_path / "lonely.sav", frame)
    message = _fails(run, path, tmp_path / "out", "-q", "q12", "--strata", "stratum", "--cluster", "psu", "-c", "AL")
    assert "lonely.sav, variable 'stratum': 1 stratum(s) have a single cluster (3.0)" in message


def test_a_file_over_the_size_limit(run: Run, sav: Path, tmp_path: Path) -> None:
    message = _fails(run, sav, tmp_path / "out", "-q", "q12", "-c", "AL", "--max-size", "0.001")
    assert "poll.sav: the file is 0 MB, over the 0.001 MB limit; pass --max-size 1 to read it anyway" in message


def test_figures_need_a_country_a_survey_and_an_edition(run: Run, sav: Path, tmp_path: Path) -> None:
    result = run("tabulate", str(sav), "-q", "q12", "-o", str(tmp_path / "out"), "--survey", "s", "--edition", "2024")
    assert result.exit_code == 2 and "--country CODE, or --country-var VAR" in result.stderr
    result = run("tabulate", str(sav), "-q", "q12", "-c", "AL", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "--survey ID --edition YEAR" in result.stderr
    assert not (tmp_path / "out").exists()


# --- the round trip: tabulate -o DIR, then --data DIR ------------------------------------------


def test_the_output_is_data_that_the_other_commands_accept(run: Run, sav: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    result = run("tabulate", str(sav), "-q", "q12", "--multi", "trust=m1,m2", "-w", "w", "--strata", "stratum",
                 "--cluster", "psu", "--country-var", "country", "--survey", "mypoll", "--edition", "2024",
                 "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(out / "figures.csv"), str(out / "sources.csv")]
    figures = list(csv.DictReader((out / "figures.csv").open(encoding="utf-8")))
    first = figures[0]
    assert first["id"] == "mypoll-2024-al-q12-corruption" and first["country"] == "AL"
    assert first["question"] == "Most serious threat" and first["ci_method"] == "logit"
    assert float(first["ci_low"]) <= float(first["value"]) <= float(first["ci_high"])
    provenance = f"poll.sav (SHA-256 {_digest(sav)}), variable q12, weighted by w, strata stratum, clusters psu"
    assert provenance in first["note"]
    assert {f["id"] for f in figures} >= {"mypoll-2024-xk-trust-m1-police", "mypoll-2024-al-trust-m2-army"}
    validated = run("data", "validate", str(out))
    assert validated.exit_code == 0 and "OK: 10 figure(s)" in validated.output
    shown = run("figures", "--data", str(out), "--survey", "mypoll", "-f", "json")
    assert shown.exit_code == 0
    ids = [r["id"] for r in json.loads(shown.stdout)["tables"][0]["rows"]]
    assert ids[0] == "mypoll-2024-al-q12-corruption" and len(ids) == 10
    assert run("findings", "--data", str(out)).exit_code == 0


def test_a_table_in_every_format(run: Run, sav: Path) -> None:
    table = run("tabulate", str(sav), "-q", "q12", "-w", "w", "--by", "gender")
    assert table.exit_code == 0
    assert "Most serious threat (q12)" in table.stdout and "Left out of the base" in table.stdout
    markdown = run("tabulate", str(sav), "-q", "q12", "-w", "w", "-f", "markdown")
    assert "| Answer | Share | 95% CI |" in markdown.stdout
    rows = list(csv.DictReader(run("tabulate", str(sav), "-q", "q12", "-w", "w", "-f", "csv").stdout.splitlines()))
    assert rows[0]["answer"] == "Corruption" and rows[0]["ci_method"] == "logit"


def test_help_imports_nothing_heavy() -> None:
    probe = (
        "import sys\nfrom wbbrief.cli import app\ntry:\n    app(['tabulate', '--help'], prog_name='wbbrief')\n"
        "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert "wbbrief.cli.tabulate" in loaded
    assert not [m for m in ("pandas", "numpy", "scipy", "pyreadstat", "wbbrief.query.tabulate") if m in loaded]


# --- the data contract with issue 17: optional uncertainty columns, checked on load -------------


HEADER = "id,survey,edition,country,topic,question,answer,value,unit,year,n,se,ci_low,ci_high,ci_level,deff,ci_method"
GOOD = "x-1,asb,2024,AL,threats,Q,A,44,percent,2024,1000,1.6,40.9,47.2,0.95,1.5,logit"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (GOOD.replace("40.9,47.2", "45.1,47.2"), "ci_low", "the interval 45.1–47.2 does not hold the value 44"),
        (GOOD.replace("40.9,47.2", "40.9,43.5"), "ci_high", "the interval 40.9–43.5 does not hold the value 44"),
        (GOOD.replace("40.9,47.2", "40.9,"), "ci_high", "an interval needs both ci_low and ci_high"),
        (GOOD.replace("47.2", "101"), "ci_high", "101 is above the maximum 100"),
        (GOOD.replace(",1000,", ",0,"), "n", "0 is below the minimum 1"),
        (GOOD.replace(",1000,", ",99.5,"), "n", "'99.5' is not a whole number"),
        (GOOD.replace(",1.6,", ",-1,"), "se", "-1 is below the minimum 0"),
        (GOOD.replace("0.95", "1"), "ci_level", "1 is not a level between 0 and 1"),
        (GOOD.replace("0.95", "0"), "ci_level", "0 is not a level between 0 and 1"),
        (GOOD.replace(",1.5,", ",0,"), "deff", "a design effect is above 0, not 0"),
        (GOOD.replace("logit", "exact"), "ci_method", "'exact' is not one of: logit, korn-graubard"),
    ],
)
def test_uncertainty_columns_are_checked_with_file_line_and_column(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(f"{HEADER}\n{GOOD.replace('x-1', 'x-0').replace(',A,', ',B,')}\n{row}\n", encoding="utf-8")
    problems = userdata.load([path], {"asb"}).problems
    assert [(p.line, p.column) for p in problems] == [(3, column)], problems
    assert message in problems[0].message


def test_the_uncertainty_columns_are_optional_and_typed(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n{GOOD.replace('x-1', 'x-2').replace(',0.95,', ',,').replace(',A,', ',B,')}\n")
    data = userdata.load([path], {"asb"})
    assert not data.problems
    assert data.figures[0]["n"] == 1000 and data.figures[0]["ci_low"] == 40.9 and data.figures[1]["ci_level"] is None


def test_a_bundled_survey_edition_keeps_its_citation(run: Run, sav: Path, tmp_path: Path) -> None:
    out = tmp_path / "asb"
    result = run(
        "tabulate", str(sav), "-q", "q12", "-c", "albania", "--survey", "asb", "--edition", "2022", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["figures.csv"]  # no sources.csv to replace the paper's citation
    assert run("data", "validate", str(out)).exit_code == 0
    new_edition = tmp_path / "asb2024"
    run("tabulate", str(sav), "-q", "q12", "-c", "AL", "--survey", "asb", "--edition", "2024", "-o", str(new_edition))
    assert (new_edition / "sources.csv").exists()


def test_stata_missing_codes_are_user_missing(tmp_path: Path) -> None:
    import pyreadstat

    path = tmp_path / "stata.dta"
    frame = pd.DataFrame({"q": [1, 2, "a", 1, "b", 2, 1], "w": [1.0] * 7})
    labels = {"q": {1: "Yes", 2: "No", "a": "Don't know"}}
    pyreadstat.write_dta(frame, str(path), missing_user_values={"q": ["a", "b"]}, variable_value_labels=labels)
    result = tab.tabulate(tab.Request(path, ["q"]))
    assert [(r["answer"], r["value"], r["n"]) for r in result.shares] == [("Yes", 60.0, 5), ("No", 40.0, 5)]
    assert [(r["answer"], r["n"]) for r in result.left_out] == [("Don't know", 1), ("b", 1)]


def test_a_multiple_response_set_is_one_table(run: Run, sav: Path) -> None:
    result = run("tabulate", str(sav), "--multi", "trust=m1,m2", "-w", "w", "-f", "json")
    tables = json.loads(result.stdout)["tables"]
    assert tables[0]["title"] == "trust (multiple response: m1, m2)"
    assert [r["answer"] for r in tables[0]["rows"]] == ["Police", "Army"]


def test_groups_of_by_are_named_in_the_question_and_the_id(run: Run, sav: Path, tmp_path: Path) -> None:
    out = tmp_path / "by"
    result = run("tabulate", str(sav), "-q", "q12", "--by", "gender", "-c", "XK", "--survey", "mypoll", "--edition",
                 "2024", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = list(csv.DictReader((out / "figures.csv").open(encoding="utf-8")))
    assert figures[0]["id"] == "mypoll-2024-xk-q12-female-corruption"
    assert figures[0]["question"] == "Most serious threat (Gender: Female)"
    assert run("data", "validate", str(out)).exit_code == 0


def test_a_country_wbbrief_does_not_know(run: Run, tmp_path: Path) -> None:
    frame = poll()
    frame["place"] = np.where(frame["country"] == 1.0, "Albania", "Croatia")
    path = write_sav(tmp_path / "places.sav", frame)
    message = _fails(run, path, tmp_path / "out", "-q", "q12", "--country-var", "place")
    assert "places.sav, variable 'place': 'Croatia' is not a Western Balkans country wbbrief knows" in message


def test_a_brief_citing_tabulated_figures_gives_each_its_interval_in_its_note(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """The round trip of the manual (docs/tabulate.md): tabulate -o mine/, a brief citing the new ids, rendered; the
    note of a figure with a margin of error gives its interval and base, and a brief that cites no
    figure of the paper does not say its figures are the paper's."""
    mine = tmp_path / "mine"
    design = ["-w", "finalwgt", "--strata", "stratid", "--cluster", "psuid"]
    made = run("tabulate", str(NHANES), "-q", "highbp", *design, "--survey", "nhanes", "--edition", "2024",
               "-c", "albania", "-o", str(mine))  # fmt: skip
    assert made.exit_code == 0, made.output
    brief = tmp_path / "brief.md"
    brief.write_text(
        "---\ntitle: A round trip\n---\n\n## Finding\n\n"
        "In the survey, {stat}`nhanes-2024-al-highbp-1` had high blood pressure, and "
        "{stat}`nhanes-2024-al-highbp-0` did not.\n",
        encoding="utf-8",
    )
    out = tmp_path / "brief.html"
    rendered = run("render", str(brief), "--data", str(mine), "-o", str(out))
    assert rendered.exit_code == 0, rendered.output
    page = out.read_text(encoding="utf-8")
    assert "95% confidence interval 34.0–39.8 (logit), n = 10,337." in page
    assert "95% confidence interval 60.2–66.0 (logit), n = 10,337." in page  # a note of its own each
    assert "as reported in the 2022 policy paper" not in page
