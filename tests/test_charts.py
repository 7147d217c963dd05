"""Honest, readable charts (issue 19) with whiskers on line charts (issue 17): every ink at least 3:1
against the background, rounds told apart by more than colour, a part drawn inside its whole,
whiskers only where intervals exist, and whole captions and labels in every language."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from wbbrief.base.colour import GRAPHICS, contrast
from wbbrief.render import charts
from wbbrief.render.charts import BACKGROUND, Bar, Chart, render_svg

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT / "docs" / "examples" / "three-editions"
COUNTRIES = ["albania", "bosnia", "kosovo", "montenegro", "north-macedonia", "serbia"]
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
COLOUR = re.compile(r'\b(?:fill|stroke)="([^"]+)"')


def _svgs(html: str) -> list[str]:
    return SVG.findall(html)


@pytest.fixture(scope="module")
def every_chart(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The SVG of every chart of every bundled brief (the regional one and the six countries'), and
    of the regional brief with three editions (hatched earlier rounds, whiskers, a line chart)."""
    from typer.testing import CliRunner

    from wbbrief.cli import app

    folder = tmp_path_factory.mktemp("briefs")
    found: list[str] = []
    runs = [[], *(["--country", c] for c in COUNTRIES), ["--data", str(EDITIONS)]]
    for i, extra in enumerate(runs):
        out = folder / f"{i}.html"
        result = CliRunner().invoke(app, ["export-html", "--date", "2026-11-30", "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        found += _svgs(out.read_text(encoding="utf-8"))
    return found


def test_every_colour_the_charts_use_has_3_to_1_against_the_background(every_chart: list[str]) -> None:
    used = {c.lower() for svg in every_chart for c in COLOUR.findall(svg)} - {"none"}
    # Not a vacuous pass: the briefs draw bars, the earlier round, highlights, text and baselines.
    assert {charts.BAR, charts.EARLIER, charts.ACCENT, charts.INK, charts.MUTED} <= used, used
    weak = {c: round(contrast(c, BACKGROUND), 2) for c in used if contrast(c, BACKGROUND) < GRAPHICS}
    assert not weak, f"chart colours under {GRAPHICS}:1 against {BACKGROUND}: {weak}"


def test_every_bar_chart_has_its_zero_baseline_and_every_bar_its_value(every_chart: list[str]) -> None:
    """The one rule (docs/guide/charts.md): direct value labels on every mark, on a baseline at zero."""
    for svg in every_chart:
        if "<polyline" in svg or "Line chart" in svg:
            assert svg.count(f">{charts.percent(0)}</text>") >= 1  # each line's band has its zero
            continue
        assert f'<line x1="{charts.BAR_LEFT}" y1="2" x2="{charts.BAR_LEFT}"' in svg
        bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
        values = re.findall(r">\d+(?:[.,]\d+)?\s?%</text>", svg)
        legend = len(re.findall(r'width="12.0" height="8.0"', svg))
        assert len(values) >= len(bars) - legend, svg[:300]


def test_the_rounds_are_told_apart_without_colour() -> None:
    svg = render_svg(Chart("c", "T", "S", (Bar("a", 44.0, earlier=22.0),), legend=("2021", "2022")))
    grey = COLOUR.sub('fill="#000000"', svg)  # every ink the same: what a reader without colour sees
    hatched = re.findall(r'<rect [^>]*fill="none"[^>]*/><path d="(M[^"]+)"', svg)
    assert len(hatched) == 2, svg  # the earlier bar and its legend swatch: an outline with hatching
    assert all(h.count("M") > 2 for h in hatched)
    solid = re.findall(rf'<rect [^>]*fill="{charts.BAR}"/>', svg)
    assert len(solid) == 2  # the latest bar and its swatch: solid
    assert grey.count("<path") >= 2


def test_hatching_survives_the_png_for_word() -> None:
    """The Word file's PNG is drawn by resvg: the hatched bar must come out as stripes there too."""
    import io

    from PIL import Image

    from wbbrief.render.docxfile import CHART_DPI, svg_to_png

    svg = render_svg(Chart("c", "T", "S", (Bar("a", 50.0, earlier=50.0),), legend=("2021", "2022")))
    drawn = Image.open(io.BytesIO(svg_to_png(svg))).convert("RGBA")
    image = Image.alpha_composite(Image.new("RGBA", drawn.size, "white"), drawn).convert("L")  # on paper
    scale = CHART_DPI / 96
    y_earlier, y_latest = int((6 + 18 + 7.5) * scale), int((6 + 18 + 20) * scale)
    xs = range(int((charts.BAR_LEFT + 20) * scale), int((charts.BAR_LEFT + 120) * scale))
    earlier = [image.getpixel((x, y_earlier)) for x in xs]
    latest = [image.getpixel((x, y_latest)) for x in xs]
    assert max(earlier) > 200 and min(earlier) < 170  # stripes: white between the lines
    assert max(latest) < 120  # solid


def test_a_part_is_drawn_inside_its_whole() -> None:
    from wbbrief.document.chartdata import Bar as DataBar
    from wbbrief.document.chartdata import Chart as DataChart

    whole = DataBar("Negative", 80.0, parts=(DataBar("of whom highly unfavourable", 40.0),))
    chart = DataChart("c", "Serbia: Opinion of Albania", "Source: IRI", (whole, DataBar("Favourable", 20.0)))
    svg = render_svg(chart)
    outline = re.search(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"', svg)
    assert outline, svg
    ox, oy, ow, oh = map(float, outline.groups())
    assert ow == pytest.approx(charts.BAR_SPACE * 0.8, abs=0.1)
    part = re.search(rf'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="{charts.BAR}"', svg)
    assert part, svg
    px, py, pw, ph = map(float, part.groups())
    assert ox <= px and px + pw <= ox + ow and oy <= py and py + ph <= oy + oh  # inside its whole
    assert pw == pytest.approx(charts.BAR_SPACE * 0.4, abs=2.1)
    assert ">80%</text>" in svg and ">40%</text>" in svg
    assert "Negative: 80%, of whom highly unfavourable: 40%; Favourable: 20%" in chart.alt


def test_the_regional_brief_draws_highly_unfavourable_inside_negative(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "brief.html"
    assert run("export-html", "--date", "2026-11-30", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Negative: 80%, of whom highly unfavourable: 40%; Highly or somewhat favourable: 20%" in html
    svg = next(s for s in _svgs(html) if "of whom highly unfavourable" in s)
    assert ">Highly unfavourable<" not in svg  # no rival bar of its own
    out = tmp_path / "sr.html"
    assert run("export-html", "--date", "2026-11-30", "--lang", "sr-Cyrl", "-o", str(out)).exit_code == 0
    assert "Негативно: 80%, од тога веома неповољно: 40%" in out.read_text(encoding="utf-8")


def test_line_charts_draw_whiskers_where_intervals_exist_and_say_so(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    assert run("export-html", "--date", "2026-11-30", "--data", str(EDITIONS), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    line = next(s for s in _svgs(html) if "<polyline" in s)
    assert line.count("<path") == 6  # a whisker at each of the three rounds of both answers
    assert re.search(r"Safe: 50% \(4\d\.\d–5\d\.\d\) in 2022, 55% \(5\d\.\d–5\d\.\d\) in 2023, 52%", line)
    figure = html[html.index(line) :]
    source = figure[: figure.index("</figure>")]
    assert "Whiskers: 95% confidence intervals, some approximate" in source
    # ... and none on a line chart whose data give no interval
    bare = Bar("Safe", None, series=(50.0, 55.0, 52.0))
    assert "<path" not in render_svg(Chart("c", "T", "S", (bare,), rounds=("2022", "2023", "2024")))


# --- captions and labels, whole in every language ------------------------------------------------

# Words a title cannot end on: it would be a question cut before its answer (C4 of the review).
DANGLING = {
    "en": {"to", "of", "the", "a", "an", "for", "by", "with", "that", "as"},
    "sq": {"të", "e", "i", "në", "për", "se", "që", "me", "nga"},
    "sr-Latn": {"da", "u", "na", "o", "za", "se", "će", "od", "sa", "s"},
    "bs": {"da", "u", "na", "o", "za", "se", "će", "od", "sa", "s"},
    "hr": {"da", "u", "na", "o", "za", "se", "će", "od", "sa", "s"},
    "cnr": {"da", "u", "na", "o", "za", "se", "će", "od", "sa", "s"},
    "mk": {"да", "во", "на", "за", "се", "ќе", "од", "со"},
}


@pytest.mark.parametrize("lang", sorted(DANGLING))
def test_no_question_is_cut_before_its_answer(lang: str) -> None:
    from wbbrief.dataset import loading
    from wbbrief.i18n import Translator

    t = Translator(lang)
    for f in loading.load_bundle().figures:
        question = t.label("figure", f.id, "question", f.question)
        assert question.split()[-1].casefold() not in DANGLING[lang], (lang, f.id, question)


def test_a_part_of_is_checked_on_load(run: Callable[..., Result], tmp_path: Path) -> None:
    header = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,part_of\n"
    rows = [
        "x-all,iri,2022,RS,country-opinion,Opinion of Croatia,Negative,50,percent,,2022,93,",
        "x-part,iri,2022,RS,country-opinion,Opinion of Croatia,Highly unfavourable,60,percent,,2022,93,x-all",
        "x-gone,iri,2022,RS,country-opinion,Opinion of Croatia,Very,10,percent,,2022,93,x-nothere",
        "x-deep,iri,2022,RS,country-opinion,Opinion of Croatia,Deep,10,percent,,2022,93,x-part",
        "x-other,iri,2022,RS,country-opinion,Opinion of Greece,Highly,10,percent,,2022,93,x-all",
    ]
    (tmp_path / "figures.csv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    result = run("data", "validate", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("figures.csv, line 3, column 'part_of': 60 is more than its whole 'x-all' (50)" in x for x in lines)
    assert any("line 4, column 'part_of': no figure has the id 'x-nothere'" in x for x in lines)
    assert any("line 5, column 'part_of': 'x-part' is itself part of 'x-all'" in x for x in lines)
    assert any("line 6, column 'part_of': 'x-all' has another question" in x for x in lines)
    assert "Traceback" not in result.output


def test_frictionless_and_our_loader_both_refuse_a_part_of_no_figure(tmp_path: Path) -> None:
    from wbbrief.dataset import bundle

    frictionless = shutil.which("frictionless", path=str(Path(sys.executable).parent)) or shutil.which("frictionless")
    if frictionless is None:
        pytest.skip("frictionless is not installed")
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    figures = copy / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert ",iri-rs-opinion-albania-unfavourable\n" in text  # the bundled part and its whole
    figures.write_text(text.replace(",iri-rs-opinion-albania-unfavourable\n", ",iri-rs-opinion-nobody\n"), "utf-8")
    done = subprocess.run([frictionless, "validate", str(copy / "datapackage.json")], capture_output=True, text=True)
    assert done.returncode != 0 and "foreign-key" in done.stdout
    tables = {t: bundle.read_csv_text(t, (copy / f"{t}.csv").read_text(encoding="utf-8"), t)[0] for t in bundle.TABLES}
    problems = bundle.cross_check(tables, {t: f"{t}.csv" for t in bundle.TABLES})
    assert [(p.line, p.column) for p in problems] == [(45, "part_of")], problems
    assert "no figure has the id 'iri-rs-opinion-nobody'" in problems[0].message
