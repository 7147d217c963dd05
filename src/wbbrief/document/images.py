"""Images a document shows, as untrusted files: bytes and pixels limited, SVG scripts removed.

``check`` and ``render`` apply the same limits (``image_problem`` in parse.py calls ``too_big``),
so a document that passes one never fails the other on an image. The pixel count is read from
the PNG or JPEG header alone: a 30,000 x 30,000 PNG is refused before it is decoded or inlined.
An SVG is shown inside ``<img>``, where scripts never run; they are removed all the same, with
every ``on...`` event attribute and ``javascript:`` reference, and ``check`` warns about them.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from wbbrief.base import limits
from wbbrief.base.errors import DataError


def too_big(path: Path, shown: str) -> str | None:
    """Why the image file is refused for its size, or None."""
    try:
        size = limits.regular_file(path, limits.IMAGE_BYTES, "image")
        with open(path, "rb") as stream:
            head = stream.read(min(size, 256 * 1024))
    except (DataError, OSError) as err:
        return f"image '{shown}' refused: {str(err).removeprefix(f'{path}: ')}"
    found = dimensions(head)
    if found is not None and found[0] * found[1] > limits.IMAGE_PIXELS:
        return (
            f"image '{shown}' refused: {found[0]:,} x {found[1]:,} pixels is more than the limit of "
            f"{limits.IMAGE_PIXELS:,} pixels"
        )
    return None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def dimensions(head: bytes) -> tuple[int, int] | None:
    """(width, height) from the first bytes of a PNG or JPEG file, or None if they do not say."""
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24 and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    if head[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 4 <= len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", head[i + 2 : i + 4])[0]
        if marker in _SOF and i + 9 <= len(head):
            height, width = struct.unpack(">HH", head[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


_SCRIPT = re.compile(rb"<script\b.*?(?:</script\s*>|$)|<script\b[^>]*/>", re.I | re.S)
_FOREIGN = re.compile(rb"<foreignObject\b.*?(?:</foreignObject\s*>|$)", re.I | re.S)
_EVENT = re.compile(rb"""\s on[a-z]+ \s*=\s* (?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I | re.X)
_JAVASCRIPT = re.compile(rb"""((?:xlink:)?href\s*=\s*["']?)\s*javascript:""", re.I)


def active_content(svg: bytes) -> bool:
    """Whether an SVG carries scripts, event attributes, foreign HTML or javascript: references."""
    return any(pattern.search(svg) for pattern in (_SCRIPT, _FOREIGN, _EVENT, _JAVASCRIPT))


def sanitize_svg(svg: bytes) -> bytes:
    """The SVG without its scripts, event attributes, foreign HTML and javascript: references."""
    svg = _SCRIPT.sub(b"", svg)
    svg = _FOREIGN.sub(b"", svg)
    svg = _EVENT.sub(b"", svg)
    return _JAVASCRIPT.sub(rb"\1#", svg)
