"""The HTML brief shares its data (issue 21): a "Data" link under each chart and data table whose CSV
is `figures -f csv --ci`'s rows for its figures, each bar's values on hover and keyboard focus, an
appendix of every figure cited with its provenance, and a strict Content-Security-Policy.

The browser tests drive Debian's chromium with Playwright (as tests/test_preview.py does) and run
axe-core (the copy bundled by the PyPI package axe-playwright-python) on the page.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from test_preview import BROWSER_FLAGS, CHROMIUM, missing
from wbbrief.document import tree as t

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT / "docs" / "examples" / "three-editions"
DATE = "2026-11-30"

OWN = """---
title: Safety, three editions
---

## Safety

```{chart} Safety
:survey: example
```

```{table} Safety table
:survey: example
```

| Left | Centre | Right |
|:-----|:------:|------:|
| a    |   b    |     c |

Corruption comes first ({stat}`asb-threat-first-corruption`).
"""


def rows(text: str) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text))}


def data_links(html: str) -> list[tuple[str, str]]:
    """Each "Data" link's download name and CSV (its data: URI decoded)."""
    found = re.findall(r'<a href="data:text/csv;charset=utf-8,([^"]*)" download="([^"]+)"', html)
    return [(name, urllib.parse.unquote(body.replace("&#39;", "'").replace("&amp;", "&"))) for body, name in found]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The regional brief (export-html), the Serbian one, and a document of one's own on data with
    intervals (render --data), as HTML files; and the regional brief's print HTML."""
    from typer.testing import CliRunner

    from wbbrief.cli import app

    folder = tmp_path_factory.mktemp("htmldata")
    (folder / "own.md").write_text(OWN, encoding="utf-8")
    runner = CliRunner()
    for args in (
        ["export-html", "--date", DATE, "-o", str(folder / "regional.html")],
        ["export-html", "--date", DATE, "--lang", "sr-Latn", "-o", str(folder / "sr-Latn.html")],
        ["render", str(folder / "own.md"), "--data", str(EDITIONS), "-o", str(folder / "own.html")],
    ):
        done = runner.invoke(app, args, catch_exceptions=False)
        assert done.exit_code == 0, done.output
    return {p.stem: p for p in folder.glob("*.html")}


def test_every_chart_and_figure_table_has_a_data_link_with_figures_csv_rows(pages: dict[str, Path], run: Any) -> None:
    """The CSV under a chart is `figures -f csv --ci`'s header and rows for the chart's figures,
    value for value (intervals too, where the data give them)."""
    for page, args in (("regional", []), ("sr-Latn", ["--lang", "sr-Latn"]), ("own", ["--data", str(EDITIONS)])):
        html = pages[page].read_text(encoding="utf-8")
        links = data_links(html)
        assert len(links) == html.count("<figure") + html.count('<p class="sans source"'), page
        expected = run("figures", "-f", "csv", "--ci", *args).stdout
        header, every = expected.splitlines()[0], rows(expected)
        for name, text in links:
            assert text.splitlines()[0] == header and name.endswith(".csv")
            got = rows(text)
            assert got and all(every[i] == r for i, r in got.items()), (page, name)
    own = dict(data_links(pages["own"].read_text(encoding="utf-8")))
    safety = rows(own["example-safety.csv"] if "example-safety.csv" in own else next(iter(own.values())))
    assert any(r["ci_low"] and r["ci_high"] for r in safety.values())  # the intervals go along


def test_a_chart_gives_only_its_own_figures(pages: dict[str, Path]) -> None:
    html = pages["regional"].read_text(encoding="utf-8")
    first = data_links(html)[0][1]
    assert set(rows(first)) == {"asb-threat-first-corruption", "asb-threat-first-organised-crime"}


def test_the_print_html_has_no_data_link_but_the_appendix(tmp_path: Path) -> None:
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.document.options import BriefOptions
    from wbbrief.render.brief import render_html

    html = render_html(load_bundle(()), BriefOptions(date=datetime.date(2026, 11, 30)), for_print=True)
    assert "data:text/csv" not in html and 'id="figures-used"' in html


@pytest.mark.parametrize("country", [None, "AL"])
def test_the_appendix_lists_every_figure_used_with_its_note_and_provenance(country: str | None) -> None:
    """Every figure the prose, a chart or a table shows is in the appendix once, with its value,
    page, footnote and note; a figure only a by-country chart shows (Albania's brief: the IRI
    comparisons, cited in the chart's source line) has no note."""
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.document.compose import bundled_document, compose
    from wbbrief.document.options import BriefOptions
    from wbbrief.query import queries

    bundle = load_bundle(())
    options = BriefOptions(date=datetime.date(2026, 11, 30), country=country)
    brief = compose(bundled_document(country), bundle, options)
    used = {f.figure_id: f for f in brief.figures}
    assert len(used) == len(brief.figures)
    by_id = queries.figures_by_id(bundle)

    def cited(blocks: Any) -> Iterator[str]:
        for block in blocks:
            for value in vars(block).values():
                if isinstance(value, tuple):
                    for item in value:
                        if isinstance(item, t.FigureValue):
                            yield item.figure_id
                        elif isinstance(item, tuple):
                            yield from (i.figure_id for i in item if isinstance(i, t.FigureValue))
                        elif hasattr(item, "__dataclass_fields__"):
                            yield from cited([item])

    shown = {i for b in brief.blocks if isinstance(b, t.Chart | t.Table) for i in b.figure_ids}
    ids = set(cited(brief.blocks))
    assert ids and ids | shown <= set(used)  # the findings box cites figures too (its text holds no id)
    notes = {n.number: n for n in brief.notes}
    for fid, use in used.items():
        figure = by_id[fid]
        assert use.value == queries.figure_text(figure)  # the paper's figures come with no interval
        assert use.page == (figure.source_page or "") and use.footnote == str(figure.footnote or "")
        # As the charts name it: a statement or a question in the item's words quoted, else 'question: answer'.
        assert str(figure.edition) in use.survey and figure.question in use.statement
        assert use.statement.startswith(("“", f"{figure.question}: {figure.answer.lower()}"))
        assert (
            use.country
            == {
                "AL": "Albania",
                "BA": "Bosnia and Herzegovina",
                "XK": "Kosovo",
                "ME": "Montenegro",
                "MK": "North Macedonia",
                "RS": "Serbia",
                "WB6": "Western Balkans Six",
            }[figure.country]
        )
        if use.note:
            assert notes[use.note].page == figure.source_page and notes[use.note].survey == figure.survey
        else:
            assert fid in shown and fid not in ids
    assert any(not u.note for u in used.values()) == (country == "AL")


def test_the_word_file_has_the_appendix_too() -> None:
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.document.compose import bundled_document
    from wbbrief.document.options import BriefOptions
    from wbbrief.render.word import word_and_tree

    options = BriefOptions(date=datetime.date(2026, 11, 30), lang="sq")
    written, tree = word_and_tree(bundled_document(None, "sq"), load_bundle(()), options)
    blocks = written.ast["blocks"]
    heading = next(i for i, b in enumerate(blocks) if b["t"] == "Header" and b["c"][1][0] == "figures-used")
    table = blocks[heading + 1]

    def texts(row: list[Any]) -> list[str]:  # pandoc's Row: its Attr, then cells of one Plain each
        return ["".join(i["c"] for i in cell[4][0]["c"]) for cell in row[1]]

    assert table["t"] == "Table" and texts(table["c"][3][1][0])[4] == "Faqja e raportit"
    rows = [texts(row) for row in table["c"][4][0][3]]
    assert rows == [[f.statement, f.country, f.value, f.survey, f.page, f.footnote] for f in tree.figures]
    assert len(rows) > 20


def test_the_appendix_gives_an_interval_where_the_data_give_one(pages: dict[str, Path]) -> None:
    html = pages["own"].read_text(encoding="utf-8")
    appendix = html[html.index('id="figures-used"') :]
    assert re.search(r'<td class="num">\d+% \(\d+\.\d–\d+\.\d\)</td>', appendix), appendix[:2000]


def test_each_bar_is_a_focusable_mark_with_its_values() -> None:
    from wbbrief.render.charts import Bar, Chart, render_svg

    chart = Chart("c", "Title", "Source", (Bar("Safe", 50.0, earlier=45.0, interval=(46.2, 53.8)),), ("2022", "2024"))
    svg = render_svg(chart, accessible_inline=True)
    said = "Safe: 2022 45%, 2024 50% (46.2–53.8)"
    assert f'<g class="mark" tabindex="0" role="img" aria-label="{said}"><title>{said}</title><text' in svg
    assert "tabindex" not in render_svg(chart)  # the image for print and Word has no marks to focus


# --- in a real browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Callable[[Path], tuple[Any, dict[str, list[str]]]]]:
    """Open an HTML file in headless chromium; what it logs, every request it makes (none may leave
    the file), and every Content-Security-Policy violation are recorded."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright")
    if not Path(CHROMIUM).exists():
        missing(f"chromium ({CHROMIUM}; apt-get install chromium)")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=BROWSER_FLAGS, accept_downloads=True,
            viewport={"width": 1000, "height": 800}, offline=True,
        )  # fmt: skip
        context.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
            "e.violatedDirective + ' ' + e.blockedURI), true);"
        )

        def open_page(path: Path) -> tuple[Any, dict[str, list[str]]]:
            seen: dict[str, list[str]] = {"console": [], "requests": []}
            page = context.new_page()
            page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["console"].append(f"page error: {e}"))
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.goto(path.as_uri(), wait_until="load")
            return page, seen

        yield open_page
        context.close()


def quiet(page: Any, seen: dict[str, list[str]], path: Path) -> None:
    """No console error, no policy violation, no request but the file itself (and data: URIs)."""
    assert seen["console"] == []
    assert page.evaluate("window.__violations") == []
    assert [u for u in seen["requests"] if u != path.as_uri() and not u.startswith("data:")] == []


@pytest.mark.parametrize("name", ["regional", "sr-Latn", "own"])
def test_the_data_links_download_the_figures_csv(browser: Any, pages: dict[str, Path], run: Any, name: str) -> None:
    """Clicked, each link downloads its CSV (letters beyond ASCII too: sr-Latn's are left raw in
    the link and reach the file as UTF-8)."""
    page, seen = browser(pages[name])
    args = {"regional": [], "sr-Latn": ["--lang", "sr-Latn"], "own": ["--data", str(EDITIONS)]}[name]
    expected = rows(run("figures", "-f", "csv", "--ci", *args).stdout)
    count = len(page.query_selector_all("a[download]"))
    assert count == len(data_links(pages[name].read_text(encoding="utf-8"))) > 0
    for index in range(count):
        if index and index % 8 == 0:  # chromium stops a page's downloads after ten or so: a fresh page
            quiet(page, seen, pages[name])
            page.close()
            page, seen = browser(pages[name])
        link = page.query_selector_all("a[download]")[index]
        with page.expect_download(timeout=10_000) as info:
            link.click()
        download = info.value
        assert download.suggested_filename == link.get_attribute("download")
        got = rows(Path(download.path()).read_text(encoding="utf-8"))
        assert got and all(expected[i] == r for i, r in got.items())
    quiet(page, seen, pages[name])


def test_keyboard_reaches_the_marks_and_focus_shows_their_values(browser: Any, pages: dict[str, Path]) -> None:
    page, seen = browser(pages["own"])
    focused: list[dict[str, Any]] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {cls: e.getAttribute('class'), label: e.getAttribute('aria-label'), outline: s.outlineStyle,
                    width: s.outlineWidth, title: e.querySelector('title')?.textContent,
                    tag: e.tagName}; }"""
        )
        if state["cls"] == "mark":
            focused.append(state)
    assert len(focused) >= 3  # every bar of the chart, in turn
    first = focused[0]
    assert re.fullmatch(r"Safe: \d{4} \d+% \(\d+\.\d–\d+\.\d\), \d{4} \d+% \(\d+\.\d–\d+\.\d\)", first["label"])
    assert first["title"] == first["label"]  # the tooltip on hover says the same
    assert first["outline"] == "solid" and first["width"] == "3px"  # a visible focus ring
    page.hover("g.mark >> nth=0")
    assert page.evaluate("document.querySelector('g.mark:hover') !== null")
    quiet(page, seen, pages["own"])


@pytest.mark.parametrize("name", ["regional", "sr-Latn", "own"])
def test_the_policy_holds_and_nothing_is_refused_or_fetched(browser: Any, pages: dict[str, Path], name: str) -> None:
    page, seen = browser(pages[name])
    page.wait_for_timeout(200)
    quiet(page, seen, pages[name])
    # The policy is in force: a style or script put in by anyone else is refused.
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{color:red}';"
        "document.head.append(s); const j = document.createElement('script'); j.textContent = 'window.ran = 1';"
        "document.head.append(j); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
    assert page.evaluate("window.ran") is None
    assert {v.split()[0] for v in page.evaluate("window.__violations")} == {"style-src-elem", "script-src-elem"}


@pytest.mark.parametrize("name", ["regional", "sr-Latn", "own"])
def test_axe_finds_no_serious_or_critical_violation(browser: Any, pages: dict[str, Path], name: str) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        missing("the Python package axe-playwright-python")
    page, _ = browser(pages[name])
    found = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
           if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert bad == []
