"""The charts' PNGs in a Word file: drawn fast, and drawn while pandoc runs.

pandoc needs every picture before it starts, and drawing 17 charts with CairoSVG takes about as
long as pandoc itself. So pandoc gets a *placeholder* for each chart: a tiny valid PNG of the
chart's exact pixel size (its aspect ratio sets the picture's height in Word), unique per chart
(pandoc names media by their content, so two charts must never share one). The real PNGs are drawn
meanwhile, in another process or thread, at that same size, and ``swap`` puts their bytes in
place of the placeholders' in the finished package.

A chart is drawn by CairoSVG onto a Cairo surface and written as PNG here: Cairo's own PNG writer
(libpng, adaptive filters, zlib level 6) took half the time of drawing; rows unfiltered at zlib
level 1 are about three times faster and, on mostly white charts, as small.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Mapping
from typing import Any

from wbbrief.base.errors import RenderError

CHART_DPI = 192  # twice the CSS pixel density: the PNG stays sharp in print
SCALE = CHART_DPI / 96

_ROOT = re.compile(r"<svg\b[^>]*>", re.S)
_LENGTH = r"""\s*=\s*["']\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*["']"""
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pixel_size(svg: str) -> tuple[int, int] | None:
    """The PNG's size in pixels for ``svg`` at ``CHART_DPI``, from the root's width and height
    (plain numbers or px, as wbbrief's charts write them); None for any other form."""
    root = _ROOT.search(svg)
    if root is None:
        return None
    width = re.search(r"\swidth" + _LENGTH, root.group(0))
    height = re.search(r"\sheight" + _LENGTH, root.group(0))
    if width is None or height is None:
        return None
    size = round(float(width.group(1)) * SCALE), round(float(height.group(1)) * SCALE)
    return size if 0 < size[0] <= 20_000 and 0 < size[1] <= 20_000 else None


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, colour_type: int, depth: int, rows: bytes, key: bytes = b"") -> bytes:
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    dpm = round(CHART_DPI / 0.0254)  # pixels per metre
    chunks = [_chunk(b"IHDR", header), _chunk(b"pHYs", struct.pack(">IIB", dpm, dpm, 1))]
    if key:
        chunks.append(_chunk(b"tEXt", b"wbbrief-chart\0" + key))
    chunks += [_chunk(b"IDAT", zlib.compress(rows, 1)), _chunk(b"IEND", b"")]
    return _PNG_SIGNATURE + b"".join(chunks)


def placeholder(svg: str, size: tuple[int, int]) -> bytes:
    """A blank 1-bit PNG of ``size``, named by the SVG's hash: what pandoc sees instead of the chart."""
    width, height = size
    row = b"\0" * (1 + (width + 7) // 8)
    return _png(width, height, 0, 1, row * height, hashlib.sha256(svg.encode("utf-8")).hexdigest().encode())


def png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != _PNG_SIGNATURE or png[12:16] != b"IHDR":
        raise RenderError("a chart's PNG is not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def import_cairo() -> None:
    """Import CairoSVG (and PIL, which it uses), about 0.15 s, most of it cffi parsing Cairo's headers.

    On Linux, cairocffi first asks ``ctypes.util.find_library`` for three names, and each call
    runs ``ldconfig -p`` in a subprocess (about 35 ms in all), to learn the name "libcairo.so.2" it
    falls back to anyway; the loader then searches for it the same way. So that question is
    skipped; if Cairo cannot be opened by that name, the import is tried again the usual way."""
    import sys

    if "cairocffi" not in sys.modules and sys.platform.startswith("linux"):
        import ctypes.util

        asked = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import cairocffi  # type: ignore[import-untyped]  # noqa: F401
        except OSError:
            pass  # not under that name: found below as cairocffi finds it
        finally:
            ctypes.util.find_library = asked
    import cairosvg.surface  # noqa: F401
    import PIL.Image  # noqa: F401


def _surface(svg: str, size: tuple[int, int] | None) -> Any:
    """CairoSVG's drawing of ``svg`` on an ARGB surface (``size`` pixels, or its own size at CHART_DPI)."""
    import_cairo()
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    # unsafe=False (the default): no external entities, no files or URLs referenced by the SVG.
    tree = Tree(bytestring=svg.encode("utf-8"))
    if size is None:
        return PNGSurface(tree, None, CHART_DPI, scale=SCALE).cairo
    return PNGSurface(tree, None, CHART_DPI, output_width=size[0], output_height=size[1]).cairo


def draw(svg: str) -> bytes:
    """The chart as an RGBA PNG at ``CHART_DPI`` (at ``pixel_size(svg)`` when it has one)."""
    from PIL import Image  # CairoSVG's own dependency; it un-premultiplies Cairo's BGRA in C

    from wbbrief.base.interrupts import deferred

    try:
        with deferred():  # Ctrl-C inside Cairo's callbacks would be lost: raised after it returns
            surface = _surface(svg, pixel_size(svg))
            surface.flush()
            width, height = surface.get_width(), surface.get_height()
            pixels = bytes(surface.get_data())
    except (KeyboardInterrupt, RenderError):
        raise
    except Exception as err:  # CairoSVG raises many types on a broken SVG
        raise RenderError(f"a chart could not be drawn as PNG: {err}") from err
    stride = surface.get_stride()
    rgba = Image.frombuffer("RGBA", (width, height), pixels, "raw", "BGRa", stride, 1).tobytes()
    line = width * 4
    rows = b"".join(b"\0" + rgba[y * line : (y + 1) * line] for y in range(height))
    return _png(width, height, 6, 8, rows)


def swap(parts: dict[str, bytes], media: Mapping[str, str], pngs: Mapping[str, bytes]) -> None:
    """Put each chart's real PNG in place of its placeholder: ``media`` maps a package part
    (word/media/...) to the SVG drawn there, ``pngs`` an SVG to its PNG, drawn at the placeholder's size."""
    for name, svg in media.items():
        png = pngs.get(svg)
        if png is None:
            raise RenderError("a chart was not drawn")
        if name not in parts:
            raise RenderError(f"pandoc's file has no {name}")
        if png_size(png) != png_size(parts[name]):
            raise RenderError(f"a chart was drawn at {png_size(png)} pixels, not {png_size(parts[name])}")
        parts[name] = png
