"""Charts in the Word file (wbbrief.render.docxmedia): drawn while pandoc runs, each swapped in
for its placeholder, drawn by resvg with the shipped fonts only. The figures are FICTIONAL test values."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

import pytest

from wbbrief.base.errors import RenderError
from wbbrief.document import tree as t
from wbbrief.render import docx, docxmedia, word

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160">'
    '<rect x="0" y="20" width="300" height="30" fill="#1f4e79" fill-opacity="0.6"/>'
    '<text x="310" y="42" font-family="DejaVu Sans" font-size="14">12.3% (fictional)</text></svg>'
)
OTHER = SVG.replace("12.3", "45.6").replace('height="160" viewBox="0 0 480 160"', 'height="90" viewBox="0 0 480 90"')


def document(*svgs: str) -> word.WordFile:
    """A tree of charts, each drawn as the SVG given (``word.write``'s ``draw``)."""
    charts = tuple(t.Chart(n, f"c{n}", "A chart", "", f"Chart {n} (fictional)", ()) for n in range(1, len(svgs) + 1))
    meta = t.Meta("Charts (fictional)", "", "", datetime.date(2022, 12, 1), "", "en", "", "")
    return word.write(t.Brief(meta, charts), draw=lambda chart: svgs[chart.number - 1])


def media(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("word/media/") and n.endswith(".png")}


def test_the_file_holds_the_real_charts_not_their_placeholders() -> None:
    data = docx.to_docx(document(SVG, OTHER, SVG))
    pngs = media(data)
    assert sorted(pngs.values()) == sorted([docxmedia.draw(SVG), docxmedia.draw(OTHER)])  # each SVG once
    assert not any(b"wbbrief-chart" in png for png in pngs.values())
    # Each picture's height in Word follows its chart's aspect ratio (480 x 160 and 480 x 90).
    extents = re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"', media_xml(data))
    ratios = [round(int(cy) / int(cx), 4) for cx, cy in extents]
    assert ratios == [round(160 / 480, 4), round(90 / 480, 4), round(160 / 480, 4)]


def media_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_placeholders_are_unique_per_chart_and_of_its_size() -> None:
    size = docxmedia.pixel_size(SVG)
    assert size == (720, 240)  # 144 dpi: 1.5 pixels per CSS pixel
    first, second = docxmedia.placeholder(SVG, size), docxmedia.placeholder(OTHER, size)
    assert first != second  # pandoc names media by content: one file per chart
    assert docxmedia.png_size(first) == docxmedia.png_size(docxmedia.draw(SVG)) == (720, 240)
    assert len(first) < 600


@pytest.mark.parametrize(
    ("root", "size"),
    [
        ('<svg width="600" height="50">', (900, 75)),
        ("<svg height='7.5px' width='10px' viewBox='0 0 1 1'>", (15, 11)),
        ('<svg width="10cm" height="5cm">', None),
        ('<svg width="100%" height="50">', None),
        ('<svg viewBox="0 0 10 10">', None),
        ('<svg width="0" height="5">', None),
        ('<svg width="99999" height="5">', None),
        ("<g/>", None),
    ],
)
def test_pixel_size_reads_plain_lengths_only(root: str, size: tuple[int, int] | None) -> None:
    assert docxmedia.pixel_size(root + "</svg>") == size


def test_a_chart_without_a_plain_size_is_a_render_error_before_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    """wbbrief's charts always give their size in pixels; resvg cannot size any other (a one-line error)."""
    monkeypatch.setattr(docx, "run_pandoc", lambda *_: pytest.fail("pandoc ran"))
    svg = SVG.replace('width="480" height="160"', 'width="12cm" height="4cm"')
    with pytest.raises(RenderError, match="could not be drawn as PNG"):
        docx.to_docx(document(svg))


def test_the_charts_are_drawn_while_pandoc_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc is started, on placeholders, before the charts are drawn, and waited for after."""
    import subprocess

    started: list[Any] = []
    real = subprocess.Popen

    def popen(argv: list[str], **kwargs: Any) -> Any:
        process = real(argv, **kwargs)
        started.append(process)
        given = argv[-1]
        with open(given, "rb") as source:
            assert len(source.read()) < 20_000  # placeholders, not the charts' PNGs, reach pandoc
        return process

    def drawn() -> dict[str, bytes]:
        assert len(started) == 1, "pandoc had not started when the charts were drawn"
        assert started[0].returncode is None  # not waited for yet
        return docx.draw_pngs([SVG, OTHER])

    monkeypatch.setattr(subprocess, "Popen", popen)
    data = docx.to_docx(document(SVG, OTHER), pngs=drawn)
    assert sorted(media(data).values()) == sorted([docxmedia.draw(SVG), docxmedia.draw(OTHER)])


def test_a_chart_left_undrawn_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="1 chart"):
        docx.to_docx(document(SVG, OTHER), pngs={SVG: docxmedia.draw(SVG)})


def test_a_chart_drawn_at_another_size_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="drawn at"):
        docx.to_docx(document(SVG), pngs={SVG: docxmedia.draw(OTHER)})


def test_the_png_is_drawn_with_the_shipped_noto_sans_only() -> None:
    """Whatever family a chart names, its text is set in templates/fonts' Noto Sans, never in a
    system font (DejaVu Sans is on most Linux machines): so the PNG is the same on every machine."""
    from PIL import Image, ImageChops

    def drawn(family: str) -> Image.Image:
        return Image.open(io.BytesIO(docxmedia.draw(SVG.replace("DejaVu Sans", family))))

    noto, dejavu, generic, unknown = drawn("Noto Sans"), drawn("DejaVu Sans"), drawn("serif"), drawn("Nowhere Sans")
    assert ImageChops.difference(noto, dejavu).getbbox() is None
    assert ImageChops.difference(noto, generic).getbbox() is None
    assert ImageChops.difference(noto, unknown).getbbox() is None
    blank = Image.open(io.BytesIO(docxmedia.draw(re.sub(r"<text.*?</text>", "", SVG))))
    assert ImageChops.difference(noto, blank).getbbox() is not None  # the text is drawn at all


def test_the_rasteriser_is_given_the_shipped_fonts_and_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    import resvg_py

    from wbbrief.render import docxraster

    given: list[dict[str, Any]] = []
    real = resvg_py.svg_to_bytes
    monkeypatch.setattr(resvg_py, "svg_to_bytes", lambda **kw: given.append(kw) or real(**kw))
    docxmedia.draw(SVG)
    (options,) = given
    assert options["skip_system_fonts"] is True
    assert not options.get("font_dirs") and not options.get("resources_dir")
    shipped = Path(__file__).resolve().parents[1] / "templates" / "fonts"
    assert [Path(f).resolve().parent for f in options["font_files"]] == [shipped] * 3
    assert all(Path(f).is_file() for f in docxraster.font_files())


def test_the_png_has_the_same_bytes_in_every_run() -> None:
    """Drawn twice here and once in a fresh process: the same bytes (a Word file's bytes depend on them)."""
    import hashlib
    import subprocess
    import sys

    here = hashlib.sha256(docxmedia.draw(SVG)).hexdigest()
    assert hashlib.sha256(docxmedia.draw(SVG)).hexdigest() == here
    probe = (
        "import hashlib, sys\n"
        "from wbbrief.render import docxmedia\n"
        "print(hashlib.sha256(docxmedia.draw(sys.stdin.read())).hexdigest())\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], input=SVG, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == here


def test_the_png_says_its_resolution() -> None:
    from PIL import Image

    drawn = Image.open(io.BytesIO(docxmedia.draw(SVG)))
    assert drawn.mode == "RGBA" and drawn.size == (720, 240)
    assert round(drawn.info["dpi"][0]) == round(drawn.info["dpi"][1]) == docxmedia.CHART_DPI == 144


@pytest.mark.parametrize("height", ["106.67", "107.5", "0.7", "33.3333"])
def test_a_chart_of_a_fractional_height_is_drawn_at_its_placeholders_size(height: str) -> None:
    """resvg's own zoom or fit rounds 106.67 x 1.5 otherwise than the placeholder (a Macedonian
    chart came out 898 x 160 against 900 x 160): the PNG is drawn at the placeholder's size exactly."""
    svg = SVG.replace('height="160" viewBox="0 0 480 160"', f'height="{height}" viewBox="0 0 480 {height}"')
    size = docxmedia.pixel_size(svg)
    assert size is not None and docxmedia.png_size(docxmedia.draw(svg)) == size
    no_view_box = svg.replace(f' viewBox="0 0 480 {height}"', "")
    assert docxmedia.png_size(docxmedia.draw(no_view_box)) == size
    assert docxmedia.draw(no_view_box) == docxmedia.draw(svg)  # the same drawing, scaled the same way


def test_ctrl_c_while_the_charts_are_drawn_stops_pandoc_and_leaves_no_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc runs while this process draws; Ctrl-C there ends pandoc at once (not left running to
    the end of its conversion) and removes its temporary folder."""
    import subprocess
    from pathlib import Path

    started: list[Any] = []
    real = subprocess.Popen

    def popen(argv: list[str], **kwargs: Any) -> Any:
        started.append((real(argv, **kwargs), Path(argv[-1]).parent))
        return started[-1][0]

    def interrupted() -> dict[str, bytes]:
        raise KeyboardInterrupt

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(docx, "start_drawing", lambda svgs: interrupted)
    with pytest.raises(KeyboardInterrupt):
        docx.to_docx(document(SVG, OTHER))
    ((process, folder),) = started
    assert process.returncode == -9  # killed, and waited for: no zombie
    assert not folder.exists()


def test_charts_drawn_by_two_processes_are_those_one_would_draw() -> None:
    """From SPLIT_FROM charts on, a forked worker draws some: each PNG is still its own chart's."""
    from wbbrief.render import docxfile

    svgs = [SVG.replace("12.3", f"{n}.5") for n in range(docxfile.SPLIT_FROM + 3)] + [OTHER]
    assert docxfile.draw_pngs(svgs) == {svg: docxmedia.draw(svg) for svg in svgs}


def test_a_chart_the_worker_cannot_draw_is_refused_as_here(monkeypatch: pytest.MonkeyPatch) -> None:
    from wbbrief.render import docxfile

    bad = SVG.replace("<rect", '<image href="/etc/passwd"/><rect')
    svgs = [SVG.replace("12.3", f"{n}.5") for n in range(docxfile.SPLIT_FROM)] + [bad]
    with pytest.raises(RenderError, match="a chart could not be drawn as PNG: it has a <image> element"):
        docxfile.draw_pngs(svgs)


def test_the_charts_are_dealt_by_their_work() -> None:
    from wbbrief.render.docxfile import _deal

    theirs, ours = _deal(["a" * 9, "b" * 5, "c" * 4, "d" * 3, "e" * 3], 0.5)
    assert sorted(theirs + ours) == sorted(["a" * 9, "b" * 5, "c" * 4, "d" * 3, "e" * 3])
    assert abs(sum(map(len, theirs)) - sum(map(len, ours))) <= 2
    assert _deal(["x" * 10] * 10, 0.7)[0].__len__() == 7
