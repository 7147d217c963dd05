"""Years of data, one truth: 1, 2, 3 and 6 editions of every figure, in terminals 60 to 160 wide.

The later editions are FICTIONAL (see tests/editions.py), written by the tests to a temporary
folder: they exercise layout and the edition rule, and are never shipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from editions import FICTIONAL, write_editions
from wbbrief.dataset.bundle import Bundle
from wbbrief.dataset.loading import load_bundle
from wbbrief.document.chartdata import charts_for
from wbbrief.query import queries
from wbbrief.query.views import View, cell_text
from wbbrief.render import brief

Run = Callable[..., Result]

EDITIONS = (1, 2, 3, 6)
WIDTHS = (60, 80, 100, 160)
COMMANDS = {
    "threats-wb6": ("threats", "-c", "wb6"),
    "threats-al": ("threats", "-c", "al"),
    "cooperation-rs": ("cooperation", "-c", "serbia"),
    "findings-al": ("findings", "-c", "al"),
    "sources": ("sources",),
    "recommendations": ("recommendations",),
    "figures-sm": ("figures", "-s", "securimeter"),
}


def _figures_view(bundle: Bundle) -> View:
    view = queries.figures(bundle, survey="securimeter")
    view.tables[0].display = queries.FIGURES_DISPLAY
    return view


VIEWS: dict[str, Callable[..., View]] = {
    "threats-wb6": lambda b: queries.threats(b, "WB6"),
    "threats-al": lambda b: queries.threats(b, "AL"),
    "cooperation-rs": lambda b: queries.cooperation(b, "RS"),
    "findings-al": lambda b: queries.findings(b, "AL"),
    "sources": queries.sources,
    "recommendations": queries.recommendations,
    "figures-sm": _figures_view,
}


@pytest.fixture(scope="module")
def edition_data(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[str, ...]]:
    """`--data` arguments for each number of editions (none for the bundled one alone)."""
    folders: dict[int, tuple[str, ...]] = {1: ()}
    for n in EDITIONS[1:]:
        folder = tmp_path_factory.mktemp(f"editions-{n}")
        folders[n] = ("--data", str(write_editions(folder, n)))
    return folders


def _paths(args: tuple[str, ...]) -> tuple[Path, ...]:
    return tuple(Path(a) for a in args[1::2])


def test_the_fixture_is_marked_fictional(edition_data: dict[int, tuple[str, ...]]) -> None:
    text = Path(edition_data[6][1]).read_text(encoding="utf-8")
    rows = text.splitlines()[1:]
    assert len(rows) > 200 and all(FICTIONAL in row for row in rows)


@pytest.mark.parametrize("editions", EDITIONS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_tables_hold_at_any_width_and_number_of_editions(
    run: Run, edition_data: dict[int, tuple[str, ...]], editions: int, width: int, command: str
) -> None:
    data = edition_data[editions]
    result = run(*COMMANDS[command], *data, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert all(line == line.rstrip() for line in lines), "piped output keeps no trailing spaces"
    tokens = set(out.split())
    tokens |= {t.rstrip(":") for t in tokens}  # a table turned into blocks writes 'Header: value'
    flat = " ".join(out.split())
    joined = "".join(out.split())
    view = VIEWS[command](load_bundle(_paths(data)))
    for table in (t for t in view.tables if t.rows):
        title, source = " ".join(table.title.split()), " ".join(table.source.split())
        assert title in flat
        assert source in flat, "a source line is whole, wrapped not cut"
        end = flat.index(source, flat.index(title)) + len(source)
        hidden = re.match(r" Not shown at this width: ([^(]*)\(", flat[end:])  # right under this table
        left_out = {h.strip() for h in hidden.group(1).split(",")} if hidden else set()
        for index, column in enumerate(table.display_columns()):
            if column.kind == "bar":
                continue
            if column.header in left_out:  # named under the table, never dropped silently
                assert column.round and column.round not in (table.compared or ()), "a compared round is kept"
                continue
            for word in column.header.split() if index else ():  # blocks lead with the first cell alone
                assert word in tokens, f"header word {word!r} of {column.header!r} is missing or split"
            for row in table.rows:
                for word in cell_text(column, row.get(column.key)).split():
                    if len(word) > width // 2:  # a long link can only be folded: it must be all there
                        assert word in joined
                        continue
                    assert word in tokens, f"{word!r} ({column.header}) is missing or split at {width} columns"


@pytest.mark.parametrize("width", WIDTHS)
def test_middle_rounds_left_out_are_named_and_the_compared_ones_stay(
    run: Run, edition_data: dict[int, tuple[str, ...]], width: int
) -> None:
    out = run("threats", "-c", "wb6", *edition_data[6], env={"COLUMNS": str(width)}).stdout
    table = out[: out.index("Top concerns")]
    assert "2022→2027" in table  # the change: the paper's round against the latest
    for year in ("2021", "2022", "2026", "2027"):  # first, the paper's, previous, latest
        assert year in table
    if "Not shown at this width" in table:
        assert "--format csv or json has every round" in " ".join(table.split())
    else:
        assert all(year in table for year in ("2023", "2024", "2025"))


def test_json_keeps_every_round(run: Run, edition_data: dict[int, tuple[str, ...]]) -> None:
    payload = json.loads(run("threats", "-c", "wb6", *edition_data[6], "-f", "json").stdout)
    war = payload["tables"][0]
    assert war["columns"][:8] == ["answer", "2021", "2022", "2023", "2024", "2025", "2026", "2027"]
    assert war["rows"][0]["2022"] == 44 and war["rows"][0]["2021"] == 22


def test_rank_only_questions_show_the_rank_of_each_round(run: Run, edition_data: dict[int, tuple[str, ...]]) -> None:
    out = run("threats", "-c", "wb6", *edition_data[3], env={"COLUMNS": "100"}).stdout
    block = out[out.index("Top concerns") :]
    assert "Rank 2022" in block and "Rank 2023" in block and "Rank 2024" in block
    assert re.search(r"Economic crises,[^\n]*1st\s+1st\s+1st", block)
    single = run("threats", "-c", "wb6").stdout
    assert "Rank 20" not in single and re.search(r"1\s+Economic crises", single)


@pytest.mark.parametrize("editions", EDITIONS)
def test_one_rule_for_the_compared_rounds_in_tables_findings_charts_and_prose(
    run: Run, edition_data: dict[int, tuple[str, ...]], editions: int
) -> None:
    data = edition_data[editions]
    base, latest = ("2021", "2022") if editions == 1 else ("2022", str(2021 + editions))
    table = run("threats", "-c", "wb6", *data).stdout
    assert "Change" in table and f"{base}→{latest}" in table  # the header may wrap after 'Change'
    assert set(re.findall(r"(\d{4})→(\d{4})", table)) == {(base, latest)}  # every table, the same rule
    finding = next(
        r
        for r in json.loads(run("findings", "-f", "json", *data).stdout)["tables"][0]["rows"]
        if r["id"] == "wb6-war-instability"
    )["finding"]
    bundle = load_bundle(_paths(data))
    charts = [c for table in queries.threats(bundle).tables for c in charts_for(table)]
    war = [c for c in charts if "War or political instability" in c.title]
    html = brief.render_html(bundle, brief.BriefOptions(date=dt.date(2027, 6, 1), data=_paths(data)), True)
    html = re.sub(r'<a class="noteref"[^>]*><sup>\d+</sup></a>(<sup>,</sup>)?', "", html)  # note numbers
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    if editions == 1:
        assert finding.startswith("Across the Western Balkans, 44% say")
        assert war[0].legend == ("2021", "2022") and len(war) == 1
        assert "rose from 22% in 2021 to 44% in 2022, the two rounds the paper reports." in text
        assert "The latest round in the data" not in text
    else:
        assert f"44% in {base} and " in finding and f"in {latest} say war" in finding
        assert war[0].legend == (base, latest)  # the chart beside the text compares the same rounds
        assert len(war) == 2  # and, SecuriMeter having a 2021 round too, every round in a series
        assert war[1].rounds == ("2021", *(str(y) for y in range(2022, 2022 + editions)))
        assert "rose from 22% in 2021 to 44% in 2022, the two rounds the paper reports." in text
        assert f"The latest round in the data, SecuriMeter {latest}, puts it at" in text
    assert "→" not in finding and "between the two SecuriMeter rounds" not in text


def test_adjacent_note_numbers_are_separated(edition_data: dict[int, tuple[str, ...]]) -> None:
    paths = _paths(edition_data[6])
    html = brief.render_html(load_bundle(paths), brief.BriefOptions(date=dt.date(2027, 6, 1), data=paths), True)
    assert html.count('class="noteref"') > 20
    assert not re.search(r"</sup></a>\s*<a class=\"noteref\"", html)


@pytest.mark.parametrize("editions", [1, 6])
def test_no_heading_stands_alone_at_the_bottom_of_a_page(
    edition_data: dict[int, tuple[str, ...]], editions: int
) -> None:
    import weasyprint

    from wbbrief.render import pdf

    paths = _paths(edition_data[editions])
    html = brief.render_html(load_bundle(paths), brief.BriefOptions(date=dt.date(2027, 6, 1), data=paths), True)
    document = weasyprint.HTML(string=html, base_url=pdf.ASSET_SCHEME, url_fetcher=pdf.safe_fetcher()).render()
    stranded = []
    for number, page in enumerate(document.pages, start=1):
        blocks = _blocks(page._page_box)
        headings = [y for y, tag in blocks if tag in ("h2", "h3")]
        content = [y for y, tag in blocks if tag not in ("h2", "h3", "html", "body")]
        stranded += [number for y in headings if not any(c > y for c in content)]
    assert not stranded, f"a heading ends page(s) {stranded}"


def _blocks(box: object) -> list[tuple[float, str]]:
    """(top, tag) of every block and line on a page, running headers and footers left out."""
    found: list[tuple[float, str]] = []
    tag = getattr(box, "element_tag", None)
    if tag and type(box).__name__ in ("BlockBox", "LineBox"):
        found.append((float(box.position_y), str(tag)))  # type: ignore[attr-defined]
    for child in getattr(box, "children", []):
        if not type(child).__name__.startswith("Margin"):
            found += _blocks(child)
    return found


def test_sources_lists_every_edition(run: Run, edition_data: dict[int, tuple[str, ...]]) -> None:
    payload = json.loads(run("sources", "-f", "json", *edition_data[3]).stdout)
    rows = {(r["id"], r["edition"]): r for r in payload["tables"][0]["rows"]}
    assert rows[("asb", 2022)]["figures"] == 34 and rows[("asb", 2022)]["origin"] == "bundled"
    assert rows[("asb", 2023)]["survey"] == "Albanian Security Barometer 2023"
    assert rows[("asb", 2023)]["figures"] == 34 and rows[("asb", 2023)]["paper_footnotes"] == []
    assert rows[("asb", 2023)]["origin"] == "user" and "no citation given" in rows[("asb", 2023)]["citation"]
    assert rows[("securimeter", 2024)]["figures"] == 6


def test_the_findings_footer_cites_the_editions_its_rows_cite(
    run: Run, edition_data: dict[int, tuple[str, ...]]
) -> None:
    payload = json.loads(run("findings", "-c", "al", "-f", "json", *edition_data[3]).stdout)
    table = payload["tables"][0]
    assert "ASB 2024, p. 12, user-supplied" in table["rows"][0]["source"]
    assert "Albanian Security Barometer 2024, p. 12 [user-supplied]" in table["source"]
    assert "SecuriMeter 2024, p. 12 [user-supplied]" in table["source"]


# --- one figure, one row; the paper's provenance only on what the paper cites -------------------

HEADER = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote,paper_section,note"
WAR = "War or political instability harms the feeling of security"


def _row(fid: str, edition: int, value: str, footnote: str = "", section: str = "") -> str:
    return (
        f"{fid},securimeter,{edition},WB6,threats,{WAR},Negative impact,{value},percent,,{edition},12,{footnote},"
        f'{section},"{FICTIONAL}"'
    )


def test_two_ids_for_one_figure_is_an_error_naming_both_lines(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(f"{HEADER}\n{_row('sm-2027-a', 2027, '41')}\n{_row('sm-2027-b', 2027, '12')}\n", "utf-8")
    result = run("data", "validate", str(path))
    assert result.exit_code == 1
    assert (
        f"{path}, line 3, column 'id': 'sm-2027-b' and 'sm-2027-a' ({path}, line 2) are the same figure "
        f"(securimeter 2027, WB6, '{WAR}': 'Negative impact', fieldwork 2027): keep one row"
    ) in result.stdout
    assert run("threats", "-d", str(path)).exit_code == 1


def test_a_bundled_figure_under_a_new_id_is_an_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "again.csv"
    path.write_text(f"{HEADER}\n{_row('my-war-2022', 2022, '44')}\n", "utf-8")
    result = run("data", "validate", str(path))
    assert result.exit_code == 1
    assert "line 2, column 'id': 'my-war-2022' repeats the bundled figure 'sm-war-instability-2022'" in result.stdout
    assert "use the id 'sm-war-instability-2022' to replace it" in result.stdout


def test_paper_provenance_on_a_user_figure_is_an_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "fn.csv"
    path.write_text(f"{HEADER}\n{_row('sm-2027', 2027, '41.9', footnote='34', section='4.1')}\n", "utf-8")
    result = run("data", "validate", str(path))
    assert result.exit_code == 1
    assert (
        "line 2, column 'footnote': footnote and paper_section: the 2022 paper's provenance belongs only to the "
        "figures it cites"
    ) in result.stdout


def test_an_unedited_bundled_row_keeps_its_footnote(run: Run, tmp_path: Path) -> None:
    exported = run("figures", "-s", "securimeter", "-f", "csv").stdout
    path = tmp_path / "copy.csv"
    path.write_text(exported, "utf-8")
    assert run("data", "validate", str(path)).exit_code == 0


def test_a_user_figure_brings_its_own_provenance_to_the_notes(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    link = "https://example.org/securimeter-2027.pdf"
    path.write_text(f"{HEADER},source_url\n{_row('sm-2027', 2027, '41.9')},{link}\n", "utf-8")
    assert run("data", "validate", str(path)).exit_code == 0
    html = brief.render_html(
        load_bundle((path,)), brief.BriefOptions(date=dt.date(2027, 6, 1), data=(path,)), for_print=True
    )
    notes = html[html.index('<ol class="endnotes">') :]
    entry = next(li for li in notes.split("<li ") if "SecuriMeter 2027" in li)
    assert "p. 12" in entry and link in entry and "User-supplied data" in entry
    assert "footnote" not in entry  # a 2022 paper cannot cite a 2027 survey
    table = run("threats", "-c", "wb6", "-d", str(path)).stdout
    assert f"SecuriMeter 2027, p. 12 [user-supplied: {link}]" in " ".join(table.split())
