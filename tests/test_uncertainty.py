"""Issue 17: margins of error in the query commands, and changes marked significant or not.

The worked examples are computed by hand here, from the formulas, not by the code under test."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from wbbrief.dataset.records import Figure
from wbbrief.query.uncertainty import compare, margin

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT / "docs" / "examples" / "three-editions"
SOURCES = (
    "id,name,short_name,edition,publisher,title,countries,citation,sample_size,design_effect,sample_page\n"
    "poll,Test Poll,Poll,{e1},Nobody,Test Poll {e1},AL,Not a real survey,{n1},{d1},3\n"
    "poll,Test Poll,Poll,{e2},Nobody,Test Poll {e2},AL,Not a real survey,{n2},{d2},4\n"
)
FIGURES_HEADER = "id,survey,edition,country,topic,question,answer,value,unit,year,source_page{extra}\n"


def poll(p: float, n: int = 1000, deff: float = 1.5, edition: int = 2022) -> Figure:
    return Figure(
        "f", "poll", edition, "AL", "threats", "q", "a", 100 * p, "percent", None, edition, n=n, deff=deff
    )  # fmt: skip


def by_hand(p1: float, p2: float, n: int = 1000, deff: float = 1.5) -> float:
    """z for two independent polls: (p2 - p1) / sqrt(p1 q1 deff / n + p2 q2 deff / n)."""
    return (p2 - p1) / math.sqrt(p1 * (1 - p1) * deff / n + p2 * (1 - p2) * deff / n)


def test_two_polls_of_1000_at_44_and_41_differ_by_noise() -> None:
    old, new = poll(0.44, edition=2021), poll(0.41)
    d = compare(margin(None, old), margin(None, new), 44, 41, 0.95)
    assert d is not None
    assert by_hand(0.44, 0.41) == pytest.approx(-1.108, abs=0.001)  # |z| < 1.96
    assert d.z == pytest.approx(by_hand(0.44, 0.41), rel=1e-9)
    assert not d.significant
    assert d.low < 0 < d.high
    assert (d.high - d.low) / 2 == pytest.approx(1.959964 * 2.7075, rel=1e-3)  # ± 5.3 pts


def test_22_to_44_is_significant() -> None:
    d = compare(margin(None, poll(0.22)), margin(None, poll(0.44)), 22, 44, 0.95)
    assert d is not None and d.significant
    assert d.z == pytest.approx(by_hand(0.22, 0.44), rel=1e-9)
    assert by_hand(0.22, 0.44) == pytest.approx(8.79, abs=0.01)


def test_a_figure_without_any_margin_has_none() -> None:
    bare = Figure("f", "poll", 2022, "AL", "threats", "q", "a", 44.0, "percent", None, 2022)
    assert margin(None, bare) is None
    assert compare(None, margin(None, poll(0.4)), 44, 40, 0.95) is None


def test_from_n_is_wilson_on_n_over_deff() -> None:
    m = margin(None, poll(0.5))
    assert m is not None and m.approximate
    n, z = 1000 / 1.5, 1.959963985
    half = z / (1 + z * z / n) * math.sqrt(0.25 / n + z * z / (4 * n * n))
    assert (m.low, m.high) == (pytest.approx(50 - 100 * half), pytest.approx(50 + 100 * half))


def test_an_interval_the_source_gives_is_used_as_given() -> None:
    own = Figure(
        "f", "poll", 2022, "AL", "threats", "q", "a", 44.0, "percent", None, 2022, ci_low=40.9, ci_high=47.2
    )  # fmt: skip
    m = margin(None, own)
    assert m is not None and (m.low, m.high, m.level) == (40.9, 47.2, 0.95) and not m.approximate
    assert m.se == pytest.approx((47.2 - 40.9) / (2 * 1.959964), rel=1e-6)


def write_polls(folder: Path, old: float, new: float, n: int = 1000, deff: float = 1.5) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "sources.csv").write_text(SOURCES.format(e1=2021, e2=2022, n1=n, n2=n, d1=deff, d2=deff))
    rows = [
        f"poll-{year},poll,{year},AL,threats,Feel unsafe,Yes,{value},percent,{year},{page}"
        for year, value, page in ((2021, old, 3), (2022, new, 4))
    ]
    (folder / "figures.csv").write_text(FIGURES_HEADER.format(extra="") + "\n".join(rows) + "\n")
    return folder


def table_of(result: Result, title: str) -> dict[str, object]:
    document = json.loads(result.stdout)
    return next(t for t in document["tables"] if title in t["title"])


def test_the_change_column_marks_significance(run: Callable[..., Result], tmp_path: Path) -> None:
    noise = run("threats", "-s", "poll", "--data", str(write_polls(tmp_path / "a", 44, 41)))
    assert "-3 pts, within the margin of error" in noise.stdout
    assert "significant at" in noise.stdout  # the legend
    real = run("threats", "-s", "poll", "--data", str(write_polls(tmp_path / "b", 22, 44)))
    assert "+22 pts, significant at 95%" in real.stdout
    assert "within the margin of error" in real.stdout  # said in the legend, once
    assert "significance of the change is unknown" not in real.stdout


def test_json_and_csv_carry_the_test(run: Callable[..., Result], tmp_path: Path) -> None:
    data = str(write_polls(tmp_path / "a", 22, 44))
    table = table_of(run("threats", "-s", "poll", "-f", "json", "--data", data), "Feel unsafe")
    row = table["rows"][0]  # type: ignore[index]
    assert row["change_significant"] is True
    half = 1.959964 * math.sqrt(0.22 * 0.78 * 1.5 / 1000 + 0.44 * 0.56 * 1.5 / 1000) * 100
    assert row["change_low"] == pytest.approx(22 - half, rel=1e-4)
    assert row["change_high"] == pytest.approx(22 + half, rel=1e-4)
    csv = run("threats", "-s", "poll", "-f", "csv", "--data", data).stdout
    assert csv.splitlines()[0].endswith("change_low,change_high,change_significant")
    assert csv.splitlines()[1].endswith(",True")


def test_a_higher_level_can_withhold_the_mark(run: Callable[..., Result], tmp_path: Path) -> None:
    """z for 40 → 44 with n = 1000, deff 1 is 1.81 (by hand): significant at 90%, not at 95%."""
    assert by_hand(0.40, 0.44, deff=1.0) == pytest.approx(1.81, abs=0.01)
    data = str(write_polls(tmp_path / "a", 40, 44, deff=1))
    assert "+4 pts, within the margin of error" in run("threats", "-s", "poll", "--data", data).stdout
    assert "+4 pts, significant at 90%" in run("threats", "-s", "poll", "--level", "0.9", "--data", data).stdout


def test_ci_shows_the_interval_and_says_it_is_approximate(run: Callable[..., Result]) -> None:
    shown = run("threats", "-s", "example", "--ci", "--data", str(EDITIONS)).stdout
    assert "50% (≈46.2–53.8)" in shown  # Wilson on 1000 / 1.5, by hand above
    assert "Example 2022: n = 1000, design effect 1.5, p. 2" in " ".join(shown.split())
    assert "(≈" not in run("threats", "-s", "example", "--data", str(EDITIONS)).stdout  # only with --ci
    table = table_of(run("threats", "-s", "example", "--ci", "-f", "json", "--data", str(EDITIONS)), "safe")
    row = table["rows"][0]  # type: ignore[index]
    assert (row["2022_ci_method"], row["2022_ci_level"]) == ("from-n", 0.95)
    assert row["2022_ci_low"] == pytest.approx(46.2154, abs=1e-4)


def test_ci_in_figures_fills_the_interval_columns(run: Callable[..., Result]) -> None:
    shown = run("figures", "-s", "example", "--ci", "-f", "csv", "--data", str(EDITIONS)).stdout.splitlines()
    header = shown[0].split(",")
    first = dict(zip(header, shown[1].split(","), strict=False))
    assert (first["ci_low"], first["ci_high"], first["ci_method"]) == ("46.215434", "53.784566", "from-n")


def test_without_margins_one_line_says_significance_is_unknown(run: Callable[..., Result]) -> None:
    """The bundled figures have no margins: a table with a change says so once; nothing is marked."""
    shown = run("threats").stdout
    assert shown.count("The significance of the change is unknown") == len(
        [t for t in json.loads(run("threats", "-f", "json").stdout)["tables"] if "change_pts" in t["columns"]]
    )
    assert "margin of error" not in shown
    assert "significance" not in run("sources").stdout
    assert "(" not in "".join(line for line in run("threats", "--ci").stdout.splitlines() if "%" in line)


def test_a_design_effect_of_zero_is_refused(run: Callable[..., Result], tmp_path: Path) -> None:
    folder = write_polls(tmp_path / "a", 40, 44, deff=0)
    result = run("data", "validate", str(folder))
    assert result.exit_code == 1
    assert "sources.csv, line 2, column 'design_effect': a design effect is above 0, not 0" in result.output


def test_a_query_with_margins_imports_no_scipy(tmp_path: Path) -> None:
    data = write_polls(tmp_path / "a", 22, 44)
    code = (
        "import sys; from pathlib import Path; from wbbrief.query.ask import answer; "
        f"answer('threats', (Path({str(data)!r}),), ci=True); "
        "print(sorted(m for m in ('scipy', 'numpy', 'pandas') if m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_sources_show_the_stated_sample_with_its_page(run: Callable[..., Result]) -> None:
    table = table_of(run("sources", "-f", "json", "--data", str(EDITIONS)), "Sources")
    example = [r for r in table["rows"] if r["id"] == "example"]  # type: ignore[index]
    assert [(r["sample_size"], r["design_effect"], r["sample_page"]) for r in example] == [(1000, 1.5, "2")] * 3
    assert "n = 1000, design effect 1.5, p. 2" in run("sources", "--data", str(EDITIONS)).stdout
    assert "sample_size" not in run("sources", "-f", "json").stdout  # no edition states one: unchanged
    assert "efekat dizajna 1,5" in run("sources", "-l", "sr-Latn", "--data", str(EDITIONS)).stdout


def stated_sample(folder: Path, figure_id: str, n: int = 1000, deff: float = 1.5) -> Path:
    """A sources file that gives the bundled figure's edition a (made-up) sample size."""
    import csv

    folder.mkdir(exist_ok=True)
    with open(ROOT / "data" / "figures.csv", encoding="utf-8") as stream:
        figure = next(r for r in csv.DictReader(stream) if r["id"] == figure_id)
    with open(ROOT / "data" / "surveys.csv", encoding="utf-8") as stream:
        key = (figure["survey"], figure["edition"])
        row = next(r for r in csv.DictReader(stream) if (r["id"], r["edition"]) == key)
    row |= {"sample_size": str(n), "design_effect": str(deff), "sample_page": "3"}
    with open(folder / "sources.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return folder


PESSIMISM = "{sm-personal-security-worse} > {sm-personal-security-better}"  # 20% > 17%, one sample


def test_a_claim_within_the_noise_is_withdrawn_with_the_reason(tmp_path: Path) -> None:
    """20% vs 17%: two answers of one question in one sample of 1000 (deff 1.5), by hand:
    var = (0.20 + 0.17 - 0.03²) / (1000 / 1.5), so the difference is 3.0 ± 1.96 × 2.353 = 4.6 pts."""
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.query.queries import check_claim, claim_figures

    assert 1.959964 * math.sqrt((0.37 - 0.0009) / (1000 / 1.5)) * 100 == pytest.approx(4.61, abs=0.01)
    bundle = load_bundle((stated_sample(tmp_path / "s", "sm-personal-security-worse"),))
    figures = claim_figures(bundle)
    note = check_claim(bundle, "Pessimists outnumber optimists.", PESSIMISM, figures)
    assert note == (
        "'Pessimists outnumber optimists' no longer holds with SecuriMeter 2022: "
        "not significant: 20.0% vs 17.0%, difference 3.0 ± 4.6 pts."
    )
    assert check_claim(bundle, "Pessimists outnumber optimists.", f"nominally {PESSIMISM}", figures) is None
    assert check_claim(bundle, "Pessimists outnumber optimists.", PESSIMISM, figures, level=0.5) is None
    bundled = load_bundle()  # no margins: compared as printed, as before
    assert check_claim(bundled, "Pessimists outnumber optimists.", PESSIMISM, claim_figures(bundled)) is None


def test_a_significant_rise_still_holds(tmp_path: Path) -> None:
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.query.queries import check_claim, claim_figures

    data = tmp_path / "s"
    stated_sample(data, "sm-war-instability-2022")
    bundle = load_bundle((data,))
    condition = "{sm-war-instability-2022} > {sm-war-instability-2021}"  # 44% against 22%
    assert check_claim(bundle, "It doubled.", condition, claim_figures(bundle)) is None


def test_nominally_parses_only_before_a_comparison() -> None:
    from wbbrief.dataset import claims

    parsed = claims.parse("nominally {a} > {b} and {a} > 50")
    assert [c.nominal for c in parsed.comparisons] == [True, False]
    with pytest.raises(claims.ConditionError, match="incomplete"):
        claims.parse("{a} > {b} and nominally")


def test_findings_and_the_brief_withdraw_it_alike(run: Callable[..., Result], tmp_path: Path) -> None:
    data = str(stated_sample(tmp_path / "s", "sm-personal-security-worse"))
    withdrawn = json.loads(run("findings", "-f", "json", "--data", data).stdout)["withdrawn"]
    assert [w["id"] for w in withdrawn] == ["wb6-pessimism"]
    assert "not significant: 20.0% vs 17.0%" in withdrawn[0]["note"]
    out = tmp_path / "b.html"
    assert run("export-html", "--data", data, "-o", str(out), "--date", "2026-11-30").exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "not significant: 20.0% vs 17.0%, difference 3.0 ± 4.6 pts" in html
    # the finding itself is left out: its words are only in the note that quotes it
    assert html.count("outnumber optimists") == html.count("outnumber optimists&#39; no longer holds") == 1


BRIEF = """---
title: Test
---

# Safety

```{chart} Safety
:survey: example
```

```{table} Safety table
:survey: example
```

```{chart} Corruption
asb-threat-first-corruption
asb-threat-first-organised-crime
```
"""


def test_charts_draw_whiskers_only_where_intervals_exist(run: Callable[..., Result], tmp_path: Path) -> None:
    from wbbrief.render.charts import BAR_LEFT, BAR_SPACE, Bar, Chart, render_svg

    low, high = BAR_LEFT + BAR_SPACE * 0.409, BAR_LEFT + BAR_SPACE * 0.472
    svg = render_svg(Chart("c", "T", "S", (Bar("a", 44.0, interval=(40.9, 47.2)), Bar("b", 30.0))))
    assert svg.count("<path") == 1 and f"M{low:.1f}," in svg and f"H{high:.1f}" in svg
    assert "<path" not in render_svg(Chart("c", "T", "S", (Bar("a", 44.0), Bar("b", 30.0))))
    source = tmp_path / "brief.md"
    source.write_text(BRIEF, encoding="utf-8")
    out = tmp_path / "brief.html"
    result = run("render", str(source), "--data", str(EDITIONS), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Safe: 50% (46.2–53.8) in 2022, 52% (48.2–55.8) in 2024" in html  # the alt text
    assert "Whiskers: 95% confidence intervals, some approximate" in html  # the source line
    assert "52% (≈48.2–55.8)" in html and "+2 pts, within the margin of error" in html  # the table's marks
    assert "Corruption: 39.3%; Organised crime: 11.2%. Source: Albanian Security Barometer 2022" in html
    start = html.rindex("<svg", 0, html.index("Bar chart. Corruption."))  # a figure without a margin: no whisker
    assert "<path" not in html[start : html.index("</svg>", start)]


def test_margin_text_is_symmetric_or_a_range() -> None:
    from wbbrief.query.uncertainty import margin_text

    def share(value: float, low: float, high: float) -> Figure:
        return Figure("f", "poll", 2022, "AL", "t", "q", "a", value, "percent", None, 2022, ci_low=low, ci_high=high)

    assert margin_text((), share(44, 40.9, 47.2)) == "44% ± 3"  # 3.1 below, 3.2 above: symmetric to 0.5
    assert margin_text((), share(5, 2.0, 11.0)) == "5% (2.0–11.0)"  # 3 below, 6 above: the range
    assert margin_text((), share(50, 49.6, 50.4)) == "50% ± 0.4"
    assert margin_text((), Figure("f", "poll", 2022, "AL", "t", "q", "a", 44.0, "percent", None, 2022)) is None


PROSE = """---
title: Test
{lang}---

# Safety

In 2024, {{stat:margin}}`example-2024-safe` felt safe; the share changed by {{change}}`example-2022-safe`.
"""


def prose(path: Path) -> str:
    """A brief's text without its tags and note references."""
    html = re.sub(r'<a class="noteref".*?</a>', "", path.read_text(encoding="utf-8"))
    return re.sub(r"<[^>]+>", "", html)


def test_prose_prints_the_margin_and_a_change_within_it(run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "p.md"
    source.write_text(PROSE.format(lang=""), encoding="utf-8")
    checked = run("check", str(source), "--data", str(EDITIONS))
    assert "warning: the change from Example 2022 to Example 2024 (+2.0 ± 5.4 pts) is within the margin" in (
        checked.output
    )
    out = tmp_path / "p.html"
    assert run("render", str(source), "--data", str(EDITIONS), "-o", str(out)).exit_code == 0
    text = prose(out)
    assert "In 2024, 52% ± 4 felt safe; the share changed by +2 pts, within the margin of error" in text
    source.write_text(PROSE.format(lang="lang: sq\n"), encoding="utf-8")
    assert run("render", str(source), "--data", str(EDITIONS), "-o", str(out)).exit_code == 0
    assert "+2 p.p., brenda marzhit të gabimit" in prose(out)


def test_a_significant_change_reads_as_before(run: Callable[..., Result], tmp_path: Path) -> None:
    data = write_polls(tmp_path / "d", 22, 44)
    source = tmp_path / "p.md"
    source.write_text("---\ntitle: T\n---\n\n# A\n\nIt rose by {change}`poll-2021`.\n", encoding="utf-8")
    assert "warning" not in run("check", str(source), "--data", str(data)).output
    out = tmp_path / "p.html"
    assert run("render", str(source), "--data", str(data), "-o", str(out)).exit_code == 0
    text = prose(out)
    assert "It rose by +22 pts." in text


def test_no_margin_is_invented_for_prose(run: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "p.md"
    source.write_text("---\ntitle: T\n---\n\n# A\n\n{stat:margin}`asb-threat-first-corruption`.\n", encoding="utf-8")
    result = run("check", str(source))
    assert result.exit_code == 1
    assert "the data give 'asb-threat-first-corruption' no margin of error" in result.output


NO_MARGINS = "The paper does not report sample sizes; margins of error are not shown for its figures."


def test_the_brief_says_once_that_the_papers_figures_have_no_margins(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "b.html"
    assert run("export-html", "-o", str(out), "--date", "2026-11-30").exit_code == 0
    assert out.read_text(encoding="utf-8").count(NO_MARGINS) == 1
    assert "±" not in prose(out)  # and no margin is shown beside any of its numbers
    assert run("export-html", "-l", "sq", "-o", str(out), "--date", "2026-11-30").exit_code == 0
    assert "marzhet e gabimit nuk tregohen për shifrat e tij" in out.read_text(encoding="utf-8")
    own = tmp_path / "own.md"  # a document citing only figures of its own says nothing of the paper's
    own.write_text("---\ntitle: T\n---\n\n# A\n\n{stat:margin}`example-2024-safe` felt safe.\n", encoding="utf-8")
    assert run("render", str(own), "--data", str(EDITIONS), "-o", str(out)).exit_code == 0
    assert NO_MARGINS not in out.read_text(encoding="utf-8")


def test_the_word_brief_says_it_once_too() -> None:
    import datetime

    from wbbrief.dataset.loading import load_bundle
    from wbbrief.document.compose import BriefOptions, bundled_document, compose
    from wbbrief.render import word

    tree = compose(bundled_document(None), load_bundle(), BriefOptions(date=datetime.date(2026, 11, 30)))
    blocks = word.write(tree).ast["blocks"]
    assert blocks.count({"t": "Para", "c": [{"t": "Str", "c": NO_MARGINS}]}) == 1


ORDERS = """---
title: T
---

# A

More felt unsafe in 2024 ({stat}`example-2024-unsafe`) than in 2023 ({stat}`example-2023-unsafe`).
More felt safe ({stat}`example-2024-safe`) than unsafe ({stat}`example-2024-unsafe`).
In 2024, {latest}`example-2023-unsafe` felt unsafe. In 2023, {round}`example-2023-unsafe` did.
"""


def test_check_warns_on_a_sentence_that_orders_figures_within_the_noise(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """41% against 38% in two samples of 1000 (deff 1.5): 3.0 ± 1.96 √((.41·.59 + .38·.62) / 666.7) = 3.0 ± 5.2."""
    assert 1.959964 * math.sqrt((0.41 * 0.59 + 0.38 * 0.62) / (1000 / 1.5)) * 100 == pytest.approx(5.24, abs=0.01)
    source = tmp_path / "o.md"
    source.write_text(ORDERS, encoding="utf-8")
    output = run("check", str(source), "--data", str(EDITIONS)).output
    found = [line for line in output.splitlines() if "orders" in line]
    assert found == [
        f"{source}:7:70: warning: this sentence orders 'example-2024-unsafe' and 'example-2023-unsafe', but their "
        "difference is within the margin of error (not significant: 41.0% vs 38.0%, difference 3.0 ± 5.2 pts)"
    ]  # 52% against 41% in one sample is significant; two sentences are not one order


def test_the_document_chooses_its_level(run: Callable[..., Result], tmp_path: Path) -> None:
    """50% → 52%: z = 2 / 2.76 = 0.73 (by hand), within the noise at 95%, significant at 50% (z > 0.674)."""
    assert 2 / (100 * math.sqrt((0.5 * 0.5 + 0.52 * 0.48) / (1000 / 1.5))) == pytest.approx(0.73, abs=0.01)
    source = tmp_path / "p.md"
    out = tmp_path / "p.html"
    source.write_text(PROSE.format(lang="level: 0.5\n"), encoding="utf-8")
    assert "not-significant" not in run("check", str(source), "--data", str(EDITIONS), "-f", "json").stdout
    assert run("render", str(source), "--data", str(EDITIONS), "-o", str(out)).exit_code == 0
    assert "changed by +2 pts." in prose(out)
    source.write_text(PROSE.format(lang="level: 95\n"), encoding="utf-8")
    result = run("check", str(source), "--data", str(EDITIONS))
    assert "level: '95' is not a confidence level between 0.5 and 1, such as 0.95" in result.output
