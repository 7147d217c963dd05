"""The WCAG contrast arithmetic every chart colour and house colour is checked with."""

from __future__ import annotations

import pytest

from wbbrief.base.colour import contrast, luminance, parse_hex


def test_black_on_white_is_21_and_symmetric() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#fff", "#000") == pytest.approx(21.0)
    assert contrast("#1f4e79", "#1f4e79") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("fg", "bg", "ratio"),
    [
        # WebAIM's checker: #767676 is the lightest grey that passes 4.5:1 on white, #777777 fails.
        ("#767676", "#ffffff", 4.54),
        ("#777777", "#ffffff", 4.48),
        # The measure of the old earlier-round bar.
        ("#9fb6cd", "#ffffff", 2.09),
    ],
)
def test_contrast_matches_a_reference_checker(fg: str, bg: str, ratio: float) -> None:
    assert contrast(fg, bg) == pytest.approx(ratio, abs=0.01)


def test_luminance_uses_the_srgb_curve_below_and_above_its_knee() -> None:
    assert luminance("#0a0a0a") == pytest.approx(10 / 255 / 12.92)
    assert luminance("#808080") == pytest.approx(0.2158605, abs=1e-6)


@pytest.mark.parametrize("bad", ["", "red", "#12345", "#gggggg", "#1234567"])
def test_anything_but_hex_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a colour"):
        parse_hex(bad)
