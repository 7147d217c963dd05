"""Colours as WCAG 2.x measures them: a hex colour's relative luminance and the contrast ratio of two.

One place for the rule every colour of a brief must pass (charts' inks, the house colours a user
chooses): graphics and large text need 3:1 against their background (WCAG 1.4.11, 1.4.3), body text
4.5:1. Pure arithmetic; imports nothing of wbbrief."""

from __future__ import annotations

import re

GRAPHICS = 3.0  # WCAG 1.4.11: non-text contrast of a chart's marks against its background
TEXT = 4.5  # WCAG 1.4.3: body text against its background

_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_hex(colour: str) -> tuple[int, int, int]:
    """'#1f4e79', '1f4e79' or '#fff' as (r, g, b) in 0–255; ValueError for anything else."""
    match = _HEX.fullmatch(colour.strip())
    if match is None:
        raise ValueError(f"not a colour: {colour!r} (write it as #rrggbb)")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.x): 0 for black, 1 for white."""
    r, g, b = parse_hex(colour)
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: str, b: str) -> float:
    """Contrast ratio of two colours, from 1 (the same) to 21 (black on white); order does not matter."""
    la, lb = luminance(a), luminance(b)
    high, low = max(la, lb), min(la, lb)
    return (high + 0.05) / (low + 0.05)
