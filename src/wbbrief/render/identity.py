"""What the page's shell shows of the house identity (``document.house``): the template's ``house``.

By default a brief names no tool on its pages: wbbrief is the PDF's Creator (the page's
generator meta) and, only with ``colophon: true``, a line at the end of the notes.
"""

from __future__ import annotations

from typing import Any

from wbbrief.document.house import House


def context(house: House) -> dict[str, Any]:
    """The template's ``house``: the identity's texts, logo as a data: URI, layout and colours."""
    palette = house.palette
    return {
        "organisation": house.organisation or "",
        "logo": house.logo_uri() or "",
        "contact": house.contact or "",
        "footer": house.footer or "",
        "cover": house.cover or "full",
        "toc": True if house.toc is None else house.toc,
        "colophon": bool(house.colophon),
        "primary": palette["primary"],
        "accent": palette["accent"],
        "css": css(palette),
    }


def css(palette: dict[str, str]) -> str:
    """The house colours as the stylesheet's custom properties (validated hex colours only)."""
    return ":root { " + " ".join(f"--{name}: {value};" for name, value in sorted(palette.items())) + " }"
