"""Bring your own data: the file shapes real offices produce, every bad case, and the round trip."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from typer.testing import Result

from wbbrief.dataset import bundle as data
from wbbrief.dataset import loading

Run = Callable[..., Result]
# Fixtures only: these rows are fictional test figures, written to temporary files and never shipped.
HEADER = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote"
NEW_EDITION = (
    "asb-2023-corruption,asb,2023,AL,threats,Most serious security threat to Albania,Corruption,41.0,percent,,2023,12,"
)
SOURCES_HEADER = "id,name,short_name,edition,publisher,title,countries,citation,url"
NEW_SURVEY_CITATION = (
    "bbs,Balkan Barometer,BB,2023,Regional Cooperation Council,Balkan Barometer 2023: Public Opinion,"
    'Albania;BiH;Kosova;MNE;Macedonia;Serbia,"RCC (2023). Balkan Barometer 2023: Public Opinion.",'
    "https://www.rcc.int/balkanbarometer"
)
NEW_SURVEY_FIGURE = (
    "bb-2023-open-balkan-ba,bbs,2023,bosnia,open-balkan,Support the Open Balkan initiative,Support,64,percent,,2023,,"
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    loading.load_bundle.cache_clear()
    yield
    loading.load_bundle.cache_clear()


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def rows(text: str) -> list[list[object]]:
    return [next(csv.reader([line])) for line in text.splitlines()]


# --- file shapes that must work ------------------------------------------------------------------


def test_template_writes_the_flat_figure_format_and_a_sources_file(run: Run, tmp_path: Path) -> None:
    result = run("data", "template", "-o", str(tmp_path))
    assert result.exit_code == 0
    figures = (tmp_path / "figures.csv").read_text()
    assert figures.strip() == ",".join(data.field_names("figures"))
    exported = run("figures", "-f", "csv").stdout.splitlines()[0]
    assert exported.startswith(figures.strip())  # the same columns as `figures --format csv`
    assert (tmp_path / "sources.csv").read_text().startswith("id,name,short_name,edition")
    again = run("data", "template", "-o", str(tmp_path))
    assert again.exit_code == 2 and "already exist" in again.stderr and "--force" in again.stderr


@pytest.mark.parametrize(
    ("encoding", "delimiter", "value", "country"),
    [
        ("utf-8", ",", "41.0", "AL"),
        ("utf-8-sig", ",", "41.0%", "Albania"),
        ("cp1250", ";", "41,0", "Shqipëri"),
        ("cp1250", ";", "41,0 %", "shqiperi"),
    ],
)
def test_excel_exports_from_the_region_are_read(
    run: Run, tmp_path: Path, encoding: str, delimiter: str, value: str, country: str
) -> None:
    line, header = NEW_EDITION, HEADER
    if delimiter == ";":
        line, header = line.replace(",", ";"), header.replace(",", ";")
    line = line.replace(f"{delimiter}41.0{delimiter}", f"{delimiter}{value}{delimiter}")
    line = line.replace(f"{delimiter}AL{delimiter}", f"{delimiter}{country}{delimiter}")
    path = write(tmp_path, "asb-2023.csv", f"{header}\n{line}\n\n\n", encoding)
    check = run("data", "validate", str(path))
    assert check.exit_code == 0, check.stdout + check.stderr
    assert check.stdout.startswith("OK: 1 figure(s) (0 replacing bundled ones, 1 new)")
    out = run("threats", "-c", "al", "--data", str(path)).stdout
    assert "Change 2022→2023" in out
    assert "39.3%" in out and "41%" in out and "+1.7 pts" in out


def test_xlsx_with_a_new_survey_and_its_citation(run: Run, tmp_path: Path) -> None:
    book = xlsx(
        tmp_path / "bb.xlsx",
        {
            "Figures": rows(f"{HEADER}\n{NEW_SURVEY_FIGURE}"),
            "sources": rows(f"{SOURCES_HEADER}\n{NEW_SURVEY_CITATION}"),
        },
    )
    check = run("data", "validate", str(book))
    assert check.exit_code == 0, check.stdout
    assert "1 citation(s)" in check.stdout
    sources = run("sources", "-d", str(book), "-f", "json").stdout
    assert "RCC (2023). Balkan Barometer 2023: Public Opinion." in sources
    coop = run("cooperation", "-c", "BA", "-d", str(book)).stdout
    assert "Balkan Barometer 2023" in coop and "[user-supplied]" in " ".join(coop.split())
    figures = run("figures", "-s", "bbs", "-d", str(book), "-f", "csv").stdout
    assert "bb-2023-open-balkan-ba,bbs,2023,BA,open-balkan" in figures and figures.rstrip().endswith(",user")


def test_folder_and_environment_variable(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    write(folder, "a.csv", f"{HEADER}\n{NEW_EDITION}\n")
    write(folder, "notes.md", "not data: ignored, not an error")
    other = write(tmp_path, "b.csv", f"{HEADER}\n{NEW_SURVEY_FIGURE}\n")
    write(tmp_path, "sources.csv", f"{SOURCES_HEADER}\n{NEW_SURVEY_CITATION}\n")
    env = {"WBBRIEF_DATA": os.pathsep.join([str(folder), str(other), str(tmp_path / "sources.csv")])}
    payload = run("figures", "-f", "csv", env=env).stdout
    assert "asb-2023-corruption" in payload and "bb-2023-open-balkan-ba" in payload


# --- the round trip ------------------------------------------------------------------------------


def test_round_trip_edit_a_value_and_see_it_marked_in_findings_and_pdf(run: Run, tmp_path: Path) -> None:
    exported = run("figures", "-f", "csv").stdout
    # A changed value is no longer the paper's: its footnote, section and figure go (FICTIONAL value).
    edited = exported.replace(
        "Albania should develop closer cooperation with all Balkan countries,Agree,79.6,percent,,2022,36,32,4.2,"
        "Figure 5 (ASB Graphs 26 and 27),",
        "Albania should develop closer cooperation with all Balkan countries,Agree,81.2,percent,,2022,36,,,,"
        "FICTIONAL test value,",
    )
    assert edited != exported
    path = write(tmp_path, "edited.csv", edited)
    findings = run("findings", "-c", "albania", "-d", str(path), "-f", "json")
    assert findings.exit_code == 0
    payload = json.loads(findings.stdout)
    assert payload["notes"] == [f"Figure 'asb-closer-cooperation-balkans' is replaced by user data ({path}, line 27)."]
    row = next(r for r in payload["tables"][0]["rows"] if r["id"] == "al-closer-cooperation")
    assert row["finding"].startswith("81.2% want Albania to cooperate more closely")
    assert row["source"] == "ASB 2022, p. 36, user-supplied; ASB 2022, p. 36, fn. 32"
    assert row["user_supplied"] is True
    untouched = next(r for r in payload["tables"][0]["rows"] if r["id"] == "al-allies")
    assert untouched["user_supplied"] is False
    pdf_path = tmp_path / "b.pdf"
    assert run("export-pdf", "-d", str(path), "-o", str(pdf_path), "--date", "2022-12-01").exit_code == 0
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(pdf_path).pages)
    assert "81.2% want Albania to cooperate more closely" in text
    assert "User-supplied data." in text and "footnote 32. User-supplied" not in text
    assert "This brief includes user-supplied data" in text


def test_a_new_edition_shows_the_change_in_findings(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "asb-2023.csv", f"{HEADER}\n{NEW_EDITION}\n")
    payload = json.loads(run("findings", "-c", "al", "-t", "threats", "-d", str(path), "-f", "json").stdout)
    row = payload["tables"][0]["rows"][0]
    assert "39.3% in 2022 and 41% in 2023 rank it as the most serious threat" in row["finding"]
    assert row["source"] == "ASB 2022, p. 27, fn. 26; ASB 2023, p. 12, user-supplied"


# --- bad input: a precise message each, never a traceback ----------------------------------------


def bad_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "dups").mkdir()
    dup = write(tmp / "dups", "dup2.csv", f"{HEADER}\n{NEW_EDITION}\n")
    write(tmp / "dups", "dup1.csv", f"{HEADER}\n{NEW_EDITION}\n")
    return {
        "empty": (write(tmp, "empty.csv", ""), "empty.csv: the file is empty"),
        "binary": (
            write(tmp, "photo.csv", "\x89PNG\r\n\x1a\n\x00\x00", "latin-1"),
            "photo.csv: this is not a CSV file",
        ),
        "missing column": (
            write(tmp, "nocol.csv", HEADER.replace(",value", "") + "\n" + NEW_EDITION.replace(",41.0", "")),
            "nocol.csv, line 1, column 'value': required column is missing",
        ),
        "non-numeric": (
            write(tmp, "nan.csv", f"{HEADER}\n{NEW_EDITION.replace(',41.0,', ',forty-one,')}"),
            "nan.csv, line 2, column 'value': 'forty-one' is not a number",
        ),
        "over 100": (
            write(tmp, "big.csv", f"{HEADER}\n{NEW_EDITION.replace(',41.0,', ',141,')}"),
            "big.csv, line 2, column 'value': 141 is above the maximum 100",
        ),
        "unknown country": (
            write(tmp, "country.csv", f"{HEADER}\n{NEW_EDITION.replace(',AL,', ',Albnia,')}"),
            "country.csv, line 2, column 'country': unknown country 'Albnia'. Did you mean Albania?",
        ),
        "duplicate id": (dup.parent, "dup2.csv, line 2, column 'id': 'asb-2023-corruption' repeats"),
        "survey without citation": (
            write(tmp, "nocite.csv", f"{HEADER}\n{NEW_SURVEY_FIGURE}"),
            "nocite.csv, line 2, column 'survey': 'bbs' is not a bundled survey and has no citation",
        ),
        "xlsx without figures": (
            xlsx(tmp / "only-sources.xlsx", {"sources": rows(f"{SOURCES_HEADER}\n{NEW_SURVEY_CITATION}")}),
            'only-sources.xlsx, sheet "sources", row 1: this sheet should hold the figures',
        ),
    }


@pytest.mark.parametrize(
    "case",
    ["empty", "binary", "missing column", "non-numeric", "over 100", "unknown country", "duplicate id",
     "survey without citation", "xlsx without figures"],
)  # fmt: skip
def test_bad_input_gets_a_precise_message(run: Run, tmp_path: Path, case: str) -> None:
    folder = tmp_path / case.replace(" ", "-")
    folder.mkdir()
    path, expected = bad_cases(folder)[case]
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    check = run("data", "validate", str(path))
    assert check.exit_code == 1
    assert expected in check.stdout, check.stdout
    assert "problem(s)" in check.stderr and "Traceback" not in check.stdout + check.stderr
    query = run("findings", "-d", str(path))
    assert query.exit_code == 1
    assert query.stderr.startswith("wbbrief: error: ") and expected.split(": ")[-1][:20] in query.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before  # read only


def test_validate_reports_every_problem_at_once(run: Run, tmp_path: Path) -> None:
    second = NEW_EDITION.replace("asb-2023-corruption", "x2").replace(",AL,", ",Narnia,")
    text = f"{HEADER}\n{NEW_EDITION.replace(',41.0,', ',abc,')}\n{second}"
    result = run("data", "validate", str(write(tmp_path, "many.csv", text)))
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 2
    assert "line 2, column 'value'" in lines[0] and "line 3, column 'country'" in lines[1]


def test_export_on_bad_data_leaves_the_existing_brief(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"last week's brief")
    bad = write(tmp_path, "bad.csv", f"{HEADER}\n{NEW_EDITION.replace(',41.0,', ',141,')}")
    result = run("export-pdf", "-d", str(bad), "-o", str(out))
    assert result.exit_code == 1 and out.read_bytes() == b"last week's brief"


def test_markup_in_a_user_file_is_text(run: Run, tmp_path: Path) -> None:
    line = NEW_EDITION.replace(",Corruption,", ',"<img src=""file:///etc/hostname"">",')
    path = write(tmp_path, "x.csv", f"{HEADER}\n{line}\n")
    out = tmp_path / "x.html"
    assert run("export-html", "-d", str(path), "-o", str(out), "--date", "2022-12-01").exit_code == 0
    html = out.read_text()
    assert '<img src="file:///etc/hostname">' not in html and "&lt;img src=" in html


def test_missing_data_path_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("threats", "--data", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_csv_module_reads_what_we_export() -> None:
    """The exported CSV is plain RFC 4180: Excel and pandas read it back unchanged."""
    import pandas as pd

    from wbbrief.query import queries
    from wbbrief.render.output import to_csv

    frame = pd.read_csv(io.StringIO(to_csv(queries.figures(loading.load_bundle()))))
    assert len(frame) == 56 and frame.loc[0, "value"] == 39.3


def test_a_new_topic_is_charted_and_cited_in_the_brief(run: Run, tmp_path: Path) -> None:
    figure = NEW_SURVEY_FIGURE.replace(",open-balkan,", ",trust-in-police,").replace(
        "Support the Open Balkan initiative,Support", "Trust the police,Trust"
    )
    write(tmp_path, "f.csv", f"{HEADER}\n{figure}\n")
    write(tmp_path, "sources.csv", f"{SOURCES_HEADER}\n{NEW_SURVEY_CITATION}\n")
    out = tmp_path / "b.pdf"
    result = run("export-pdf", "-d", str(tmp_path), "-o", str(out), "--date", "2022-12-01")
    assert result.exit_code == 0, result.stderr
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(out).pages)
    assert "Further survey figures" in text and "Bosnia and Herzegovina: Trust the police" in text
    assert "RCC (2023). Balkan Barometer 2023: Public Opinion (report page not given). User-supplied data." in text
    assert "User-supplied data." in text


def test_a_new_edition_of_a_by_country_question_gets_its_own_column(run: Run, tmp_path: Path) -> None:
    lines = [
        f"iri-2023-open-balkan-{c},iri,2023,{c},open-balkan,"
        f"Support the Open Balkan initiative,Support,{v},percent,,2023,,"
        for c, v in (("rs", 70), ("ba", 65))
    ]
    path = write(tmp_path, "iri-2023.csv", HEADER + "\n" + "\n".join(lines) + "\n")
    payload = json.loads(run("cooperation", "-d", str(path), "-f", "json").stdout)
    # With two editions, each by-country question gets its own table: a column per edition.
    table = next(t for t in payload["tables"] if t["id"] == "iri-by-country-open-balkan")
    assert table["columns"][2:5] == ["2022", "2023", "change_pts"]
    serbia = next(r for r in table["rows"] if r["country"] == "RS")
    assert (serbia["2022"], serbia["2023"], serbia["change_pts"]) == (75, 70, -5)


def test_a_new_edition_polled_in_one_country_still_shows_in_the_comparison(run: Run, tmp_path: Path) -> None:
    line = (
        "iri-2023-open-balkan-rs,iri,2023,RS,open-balkan,Support the Open Balkan initiative,Support,70,percent,,2023,,"
    )
    path = write(tmp_path, "iri-2023.csv", f"{HEADER}\n{line}\n")
    payload = json.loads(run("cooperation", "-d", str(path), "-f", "json").stdout)
    table = next(t for t in payload["tables"] if t["id"] == "iri-by-country-open-balkan")
    serbia = next(r for r in table["rows"] if r["country"] == "RS")
    bosnia = next(r for r in table["rows"] if r["country"] == "BA")
    assert (serbia["2022"], serbia["2023"]) == (75, 70)
    assert (bosnia["2022"], bosnia["2023"], bosnia["change_pts"]) == (68, None, None)


def test_validate_counts_what_the_merge_would_change(run: Run, tmp_path: Path) -> None:
    exported = run("figures", "-f", "csv").stdout
    unedited = write(tmp_path, "all.csv", exported)
    result = run("data", "validate", str(unedited))
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: 0 figure(s) (0 replacing bundled ones, 0 new)")
    fictional = exported.replace(",Agree,79.6,percent,,2022,36,32,4.2,Figure 5 (ASB Graphs 26 and 27),,",
                                 ",Agree,81.2,percent,,2022,36,,,,FICTIONAL test value,")  # fmt: skip
    edited = write(tmp_path, "edited.csv", fictional)
    assert run("data", "validate", str(edited)).stdout.startswith("OK: 1 figure(s) (1 replacing bundled ones, 0 new)")


# --- encodings, workbooks and text that real offices produce (issue 7) ---------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", ","), ("utf-16-le", ","), ("utf-16-be", ","), ("utf-16", "\t"), ("utf-16-le", ";")],
)
def test_utf16_csv_is_read_with_or_without_a_byte_order_mark(
    run: Run, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    # Excel's "Unicode text" is UTF-16 with a BOM and tabs; other tools write it without a BOM.
    line = NEW_EDITION.replace(",Corruption,", ",Korrupsioni – Ç ë Š ž,")
    text = f"{HEADER}\n{line}\n".replace(",", delimiter)
    path = write(tmp_path, "unicode.csv", text, encoding)
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff") or encoding != "utf-16"
    check = run("data", "validate", str(path))
    assert check.exit_code == 0, check.stdout + check.stderr
    assert "OK: 1 figure(s)" in check.stdout
    shown = run("figures", "-d", str(path), "--survey", "asb", "-f", "json")
    answers = {r["answer"] for r in json.loads(shown.stdout)["tables"][0]["rows"]}
    assert "Korrupsioni – Ç ë Š ž" in answers


def test_damaged_utf16_says_so_and_how_to_save_as_utf8(run: Run, tmp_path: Path) -> None:
    raw = f"{HEADER}\n".encode("utf-16-le") + b"\x00\xd8\x41\x00"  # a lone surrogate: not valid UTF-16
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xff\xfe" + raw)
    check = run("data", "validate", str(path))
    assert check.exit_code == 1
    assert "broken.csv: this looks like UTF-16 text but cannot be read as such; save it as" in check.stdout
    assert "CSV UTF-8" in check.stdout


def test_xlsx_formula_without_a_saved_value_is_named(run: Run, tmp_path: Path) -> None:
    sheet = rows(f"{HEADER}\n{NEW_EDITION}")
    sheet[1][7] = "=40+1"  # openpyxl saves the formula, never its result: as if never opened in Excel
    path = xlsx(tmp_path / "formula.xlsx", {"figures": sheet})
    check = run("data", "validate", str(path))
    assert check.exit_code == 1
    assert (
        "formula.xlsx, sheet \"figures\", row 2, column 'value': cell H2 holds a formula (=40+1) with no saved "
        "value; open the workbook in Excel or LibreOffice and save it, or type the value"
    ) in check.stdout


def test_xlsx_merged_cells_are_named(run: Run, tmp_path: Path) -> None:
    import openpyxl

    second = NEW_EDITION.replace("asb-2023-corruption", "asb-2023-crime").replace(",Corruption,", ",Crime,")
    path = xlsx(tmp_path / "merged.xlsx", {"figures": rows(f"{HEADER}\n{NEW_EDITION}\n{second}")})
    book = openpyxl.load_workbook(path)
    book["figures"].merge_cells("F2:F3")  # the question, once for both answers, as people lay it out
    book.save(path)
    check = run("data", "validate", str(path))
    assert check.exit_code == 1
    assert (
        "merged.xlsx, sheet \"figures\", row 2, column 'question': cells F2:F3 are merged, so only F2 holds the "
        "value; unmerge them and fill in every cell"
    ) in check.stdout


def test_a_sheet_named_figures_is_used_wherever_it_is(run: Run, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "book.xlsx",
        {"Read me": [["Figures for 2023, see the next sheet"]], "Figures": rows(f"{HEADER}\n{NEW_EDITION}")},
    )
    check = run("data", "validate", str(path))
    assert check.exit_code == 0, check.stdout
    assert (
        'book.xlsx: warning: the figures are read from the sheet named "Figures" (sheet 2 of 2), not from the '
        'first sheet "Read me"'
    ) in check.stdout
    assert "OK: 1 figure(s)" in check.stdout
    query = run("findings", "-d", str(path), "-f", "csv")
    assert 'the figures are read from the sheet named "Figures"' in query.stderr


def test_a_line_break_in_a_question_is_a_warning_with_its_line(run: Run, tmp_path: Path) -> None:
    line = NEW_EDITION.replace(",Most serious security threat to Albania,", ',"Most serious security\nthreat",')
    second = NEW_EDITION.replace("asb-2023-corruption", "asb-2023-crime").replace(
        ",Corruption,", ',"Organised\r\ncrime",'
    )
    path = write(tmp_path, "breaks.csv", f"{HEADER}\n{line}\n{second}\n")
    check = run("data", "validate", str(path))
    assert check.exit_code == 0
    assert [line.split("/")[-1] for line in check.stdout.splitlines()[:2]] == [
        "breaks.csv, line 2, column 'question': warning: the question has a line break inside; it is read as a space",
        "breaks.csv, line 4, column 'answer': warning: the answer has a line break inside; it is read as a space",
    ]
    assert "1 new" in check.stdout or "2 new" in check.stdout
    query = run("figures", "-d", str(path), "--survey", "asb", "-f", "json")
    document = json.loads(query.stdout)
    assert any("breaks.csv, line 2, column 'question': warning" in n for n in document["notes"])
    answers = {r["answer"] for r in document["tables"][0]["rows"]}
    assert "Organised crime" in answers


@pytest.mark.parametrize("control", ["\x1b", "\x00", "\x07", "\x9b", "\x7f"])
def test_a_control_character_in_user_text_is_refused(run: Run, tmp_path: Path, control: str) -> None:
    line = NEW_EDITION.replace(",Corruption,", f",Corr{control}[2Juption,")
    path = write(tmp_path, "ctl.csv", f"{HEADER}\n{line}\n")
    check = run("data", "validate", str(path))
    assert check.exit_code == 1
    assert f"ctl.csv, line 2, column 'answer': contains the control character U+{ord(control):04X}" in check.stdout
    assert control not in check.stdout + check.stderr
    query = run("findings", "-d", str(path))
    assert query.exit_code == 1 and control not in query.stdout + query.stderr
