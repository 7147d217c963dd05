"""The charts' PNGs in a Word file: drawn fast, and drawn while pandoc runs.

pandoc needs every picture before it starts, and drawing 17 charts takes about as long as pandoc
itself. So pandoc gets a *placeholder* for each chart: a tiny valid PNG of the chart's exact pixel
size (its aspect ratio sets the picture's height in Word), unique per chart (pandoc names media by
their content, so two charts must never share one). The real PNGs are drawn meanwhile, in this
process while pandoc runs in its own, at that same size (``docxraster``), and ``swap`` puts their
bytes in place of the placeholders' in the finished package.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Mapping

from wbbrief.base.errors import RenderError

# A fallback's resolution: 900 pixels for a chart 6 inches wide (Word 2016 and later show the SVG).
CHART_DPI = 144
SCALE = CHART_DPI / 96

ROOT = re.compile(r"<svg\b[^>]*>", re.S)  # an SVG's root element
LENGTH = r"""\s*=\s*["']\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*["']"""  # ="480", ="480px": a plain length
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pixel_size(svg: str) -> tuple[int, int] | None:
    """The PNG's size in pixels for ``svg`` at ``CHART_DPI``, from the root's width and height
    (plain numbers or px, as wbbrief's charts write them); None for any other form."""
    root = ROOT.search(svg)
    if root is None:
        return None
    width = re.search(r"\swidth" + LENGTH, root.group(0))
    height = re.search(r"\sheight" + LENGTH, root.group(0))
    if width is None or height is None:
        return None
    size = round(float(width.group(1)) * SCALE), round(float(height.group(1)) * SCALE)
    return size if 0 < size[0] <= 20_000 and 0 < size[1] <= 20_000 else None


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def density(dpi: float) -> bytes:
    """A PNG's pHYs chunk: ``dpi`` as pixels per metre."""
    dpm = round(dpi / 0.0254)
    return _chunk(b"pHYs", struct.pack(">IIB", dpm, dpm, 1))


def _png(width: int, height: int, colour_type: int, depth: int, rows: bytes, key: bytes = b"") -> bytes:
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    chunks = [_chunk(b"IHDR", header), density(CHART_DPI)]
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


def draw(svg: str) -> bytes:
    """The chart as an RGBA PNG at ``CHART_DPI`` (at ``pixel_size(svg)`` when it has one), by resvg
    with the shipped fonts only (``docxraster``)."""
    from wbbrief.render import docxraster

    return docxraster.draw(svg, pixel_size(svg), SCALE, CHART_DPI)


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
