"""Charts in the Word file (wbbrief.render.docxmedia): drawn while pandoc runs, each swapped in
for its placeholder, pixel for pixel what CairoSVG draws. The figures are FICTIONAL test values."""

from __future__ import annotations

import datetime
import io
import re
import threading
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
    assert size == (960, 320)
    first, second = docxmedia.placeholder(SVG, size), docxmedia.placeholder(OTHER, size)
    assert first != second  # pandoc names media by content: one file per chart
    assert docxmedia.png_size(first) == docxmedia.png_size(docxmedia.draw(SVG)) == (960, 320)
    assert len(first) < 600


@pytest.mark.parametrize(
    ("root", "size"),
    [
        ('<svg width="600" height="50">', (1200, 100)),
        ("<svg height='7.5px' width='10px' viewBox='0 0 1 1'>", (20, 15)),
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


def test_a_chart_without_a_plain_size_is_drawn_before_pandoc() -> None:
    svg = SVG.replace('width="480" height="160"', 'width="12cm" height="4cm"')
    pngs = media(docx.to_docx(document(svg)))
    assert list(pngs.values()) == [docxmedia.draw(svg)]


def test_the_charts_are_drawn_while_pandoc_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()
    real = docx.run_pandoc

    def pandoc(ast: dict[str, Any], reference: Any) -> bytes:
        started.set()
        assert len(str(ast)) < 20_000  # placeholders, not the charts' PNGs, reach pandoc
        return real(ast, reference)

    def drawn() -> dict[str, bytes]:
        assert started.wait(30), "pandoc had not started while the charts were being drawn"
        return docx.draw_pngs([SVG, OTHER])

    monkeypatch.setattr(docx, "run_pandoc", pandoc)
    data = docx.to_docx(document(SVG, OTHER), pngs=drawn)
    assert sorted(media(data).values()) == sorted([docxmedia.draw(SVG), docxmedia.draw(OTHER)])


def test_a_chart_left_undrawn_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="1 chart"):
        docx.to_docx(document(SVG, OTHER), pngs={SVG: docxmedia.draw(SVG)})


def test_a_chart_drawn_at_another_size_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="drawn at"):
        docx.to_docx(document(SVG), pngs={SVG: docxmedia.draw(OTHER)})


def test_the_png_is_what_cairosvg_draws_pixel_for_pixel() -> None:
    """Our PNG writer (unfiltered rows, zlib level 1) against CairoSVG's own, semi-transparent ink included."""
    import cairosvg
    from PIL import Image, ImageChops

    ours = Image.open(io.BytesIO(docxmedia.draw(SVG)))
    theirs = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=SVG.encode(), dpi=192, scale=2)))
    assert ours.mode == "RGBA" and ours.size == theirs.size == (960, 320)
    assert ImageChops.difference(ours, theirs.convert("RGBA")).getbbox() is None
    assert ours.info.get("dpi") and round(ours.info["dpi"][0]) == 192


def test_cairo_is_imported_without_asking_ldconfig() -> None:
    """cairocffi's find_library calls (an `ldconfig -p` subprocess each) are skipped on Linux, and
    ctypes.util.find_library is given back unchanged."""
    import subprocess
    import sys

    probe = (
        "import ctypes.util, sys\n"
        "asked = []\n"
        "def spy(name):\n"
        "    asked.append(name)\n"
        "    return None\n"
        "ctypes.util.find_library = spy\n"
        "from wbbrief.render import docxmedia\n"
        "docxmedia.import_cairo()\n"
        "import cairocffi\n"
        "assert ctypes.util.find_library is spy, 'find_library was not given back'\n"
        "print(len(asked), cairocffi.cairo_version() > 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    expected = "0 True" if sys.platform.startswith("linux") else result.stdout.strip()
    assert result.stdout.strip() == expected


def test_the_drawing_worker_can_start_before_the_brief_is_imported() -> None:
    """The worker that imports CairoSVG can be forked before the modules that compose the brief are
    imported, so the two overlap; that only holds while importing wordexport and starting it stay light."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from wbbrief.render import wordexport\n"
        "with wordexport.drawing_worker() as worker:\n"
        "    heavy = [m for m in ('wbbrief.render.brief', 'wbbrief.document.compose', 'wbbrief.dataset.loading',\n"
        "             'cairosvg', 'markdown_it', 'yaml', 'babel') if m in sys.modules]\n"
        "print(heavy, worker is not None)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] True"
