"""A chart's SVG drawn as the PNG fallback of the Word file, by resvg (the ``resvg-py`` wheel).

Word 2016 and later show each chart's SVG; the PNG beside it is for the readers that cannot. It is
drawn by resvg, a renderer in Rust whose Python module loads in under a millisecond (CairoSVG
needed about 0.15 s of CPU for cffi to parse Cairo's headers before it drew anything), so it runs
in this process while pandoc converts the document, with no worker to start.

Text is set in the Noto Sans files shipped with wbbrief (templates/fonts), the face of the PDF,
and only in them: resvg is told to skip the system's fonts, and every generic family maps to Noto
Sans, so the same SVG gives the same PNG bytes on every machine. Cairo asked fontconfig, which set
the charts in whatever the machine had (DejaVu Sans on a bare Linux).

resvg reads the files an SVG's ``<image>`` names, so a chart must be made only of the elements our
charts use (``render.charts``), with no link (``href``), ``url(...)``, declaration or processing
instruction: anything else is refused before resvg sees it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from wbbrief.base.errors import RenderError
from wbbrief.render.docxmedia import LENGTH, ROOT, density, png_size

FACE = "Noto Sans"
ELEMENTS = frozenset({"svg", "g", "title", "desc", "line", "rect", "path", "text", "tspan", "polyline", "polygon"})
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z_][\w:.-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"([^\s=/]+)\s*=")
_SIZE = re.compile(r"\s(width|height)" + LENGTH)


@cache
def font_files() -> tuple[str, ...]:
    """The shipped Noto Sans files (regular, bold, italic): the only fonts resvg is given."""
    folder = resources.files("wbbrief") / "templates" / "fonts"
    files = tuple(str(folder / name) for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"))
    return files


def refusal(svg: str) -> str | None:
    """Why ``svg`` is not drawn (it could make resvg read a file), or None."""
    if "<!" in svg or "<?" in svg:
        return "it has a declaration or processing instruction"
    for tag in _TAG.finditer(svg):
        name = tag.group(2).lower()
        if name not in ELEMENTS:
            return f"it has a <{name}> element"
        for attribute in _ATTRIBUTE.findall(tag.group(3)):
            if attribute.lower().endswith("href"):
                return "it has a link"
        if "url(" in tag.group(3).lower():
            return "it refers to a url(...)"
    return None


def draw(svg: str, size: tuple[int, int] | None, scale: float, dpi: float) -> bytes:
    """``svg`` as an RGBA PNG of ``size`` pixels (or its own size times ``scale``), marked as ``dpi``."""
    import resvg_py

    why = refusal(svg)
    if why is not None:
        raise RenderError(f"a chart could not be drawn as PNG: {why}")
    if size is not None:
        svg = at_size(svg, size)
    try:
        png = bytes(
            resvg_py.svg_to_bytes(
                svg_string=svg,
                skip_system_fonts=True,
                font_files=list(font_files()),
                font_family=FACE,
                serif_family=FACE,
                sans_serif_family=FACE,
                cursive_family=FACE,
                fantasy_family=FACE,
                monospace_family=FACE,
                zoom=None if size is not None else scale,
            )
        )
    except Exception as err:  # resvg raises ValueError and others on a broken SVG
        raise RenderError(f"a chart could not be drawn as PNG: {err}") from err
    return with_density(png, dpi)


def at_size(svg: str, size: tuple[int, int]) -> str:
    """``svg`` with its root's width and height set to ``size`` pixels, its drawing scaled to them by
    a viewBox (its own, or one of its old size): resvg then draws exactly ``size`` pixels at zoom 1,
    where a zoom or a fit rounds a height such as 106.67 × 1.5 its own way."""
    root = ROOT.search(svg)
    if root is None:
        raise RenderError("a chart could not be drawn as PNG: it has no <svg> element")
    tag = root.group(0)
    lengths = dict((name, value) for name, value in _SIZE.findall(tag))
    rest = _SIZE.sub("", tag)
    if "viewbox" not in rest.lower():
        if set(lengths) != {"width", "height"}:
            raise RenderError("a chart could not be drawn as PNG: its size is not in pixels")
        rest = rest[:4] + f' viewBox="0 0 {lengths["width"]} {lengths["height"]}"' + rest[4:]
    sized = rest[:4] + f' width="{size[0]}" height="{size[1]}"' + rest[4:]
    return svg[: root.start()] + sized + svg[root.end() :]


def with_density(png: bytes, dpi: float) -> bytes:
    """``png`` with a pHYs chunk saying ``dpi`` (resvg writes none) right after its header."""
    png_size(png)  # a PNG, or a RenderError
    end = 8 + 8 + 13 + 4  # signature, IHDR's length and type, its 13 bytes, its CRC
    return png[:end] + density(dpi) + png[end:]
