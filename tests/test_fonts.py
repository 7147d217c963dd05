"""A brief looks the same on every machine: every character it prints has a glyph in a font shipped in
templates/fonts (Noto, and "wbbrief Symbols" for the few symbols the Noto subsets lack, made by
scripts/symbols_font.py), and the PDF embeds no font from the machine it was made on."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT, load_script

FONTS = ROOT / "templates" / "fonts"
GOLDEN = sorted((ROOT / "tests" / "golden" / "html").rglob("*.html"))
SYMBOLS = {"Regular": FONTS / "wbbriefSymbols-Regular.ttf", "Bold": FONTS / "wbbriefSymbols-Bold.ttf"}
# Symbols in every face the brief sets: serif and sans, bold, italic, a heading, the notes' ↩.
SAMPLE = """---
title: Symbols in every face → the shipped ones
country: albania
date: 2026-01-15
cover: none
toc: false
---

## Arrows ← ↑ → ↓ ↔ and marks ▸ ✓ ✗

Text: ≈ ≠ ≤ ≥ − √ ± – — “ ” „ « » … • █▉▊▋▌▍▎▏; **bold ≈ → ✓ ▸ −**; *italic ≈ → ✓ ▸ −*;
***bold italic ≈ → ✓***.

Corruption tops the list of threats Albanians name: {stat}`asb-threat-first-corruption` call it the
most serious threat to the country's security.
"""


@cache
def script() -> ModuleType:
    return load_script("symbols_font")


@cache
def covered() -> dict[str, set[int]]:
    """For each shipped Noto face, the characters it sets with the symbols face of its weight behind it."""
    symbols = {style: script().cmap(path) if path.is_file() else set() for style, path in SYMBOLS.items()}
    return {
        face.name: script().cmap(face) | symbols["Bold" if "Bold" in face.name else "Regular"]
        for face in script().noto_faces()
    }


def lacking(text: str) -> dict[str, str]:
    """The faces that have no glyph for some character of ``text``, with those characters."""
    chars = {ord(c) for c in text if ord(c) >= 0x20}
    return {face: "".join(sorted(chr(c) for c in chars - cmap)) for face, cmap in covered().items() if chars - cmap}


def test_the_shipped_faces_are_found() -> None:
    assert len(GOLDEN) >= 50  # every bundled brief, in every language
    assert {p.name for p in script().noto_faces()} >= {"NotoSerif-Regular.ttf", "NotoSans-Bold.ttf"}


@pytest.mark.parametrize("page", GOLDEN, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_character_of_every_bundled_brief_has_a_shipped_glyph_in_every_face(page: Path) -> None:
    assert lacking(script().brief_text(page.read_text(encoding="utf-8"))) == {}


def test_every_symbol_wbbrief_can_print_in_a_brief_has_a_shipped_glyph() -> None:
    """The interface strings of every language, the data, the templates, the CSL locales and the
    program's own strings: a symbol added there without rebuilding the symbols face fails here."""
    needed = script().needed(script().shipped_text())
    assert "↩" in needed and "≈" in needed  # the scan finds what the Noto subsets lack
    assert lacking("".join(needed)) == {}


def test_the_symbols_face_is_renamed_and_licensed() -> None:
    from fontTools.ttLib import TTFont

    for style, path in SYMBOLS.items():
        with TTFont(path) as font:
            names = font["name"]
            assert names.getDebugName(1) == "wbbrief Symbols" and names.getDebugName(2) == style
            # The Bitstream Vera licence: a modified font must not be called Bitstream or Vera.
            assert not any(word in str(names.getDebugName(i)) for i in (1, 3, 4, 6) for word in ("Bitstream", "Vera"))
            assert "Bitstream" in str(names.getDebugName(0))  # its copyright notice stays
    assert "Bitstream Vera Fonts Copyright" in (FONTS / "DejaVu-LICENSE.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(not (script().SOURCE / "DejaVuSans.ttf").is_file(), reason="DejaVu Sans is not installed")
def test_the_symbols_faces_are_what_the_script_makes(capsys: pytest.CaptureFixture[str]) -> None:
    assert script().main(["--check"]) == 0, capsys.readouterr().out


def _embedded(pdf: bytes) -> set[str]:
    """The PostScript names of the font programs a PDF embeds."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                with TTFont(io.BytesIO(program.get_object().get_data())) as embedded:
                    names.add(str(embedded["name"].getDebugName(6)))
    return names


def _render(folder: Path, env: dict[str, str]) -> bytes:
    """The sample brief's PDF, made by wbbrief in a process of its own (fontconfig reads its
    settings once per process), in ``folder`` (the PDF's identifier depends on the document's path)."""
    (folder / "brief.md").write_text(SAMPLE, encoding="utf-8")
    pdf = folder / "brief.pdf"
    command = [sys.executable, "-m", "wbbrief", "render", str(folder / "brief.md"), "--date", "2026-11-30"]
    subprocess.run([*command, "-o", str(pdf)], env=env, check=True, capture_output=True)
    return pdf.read_bytes()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_a_pdf_embeds_the_shipped_faces_only_and_is_the_same_without_the_machines_fonts(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"} | {"SOURCE_DATE_EPOCH": "1764460800"}
    pdf = _render(tmp_path, env)
    shipped = set()
    for path in FONTS.glob("*.ttf"):
        with TTFont(path) as font:
            shipped.add(str(font["name"].getDebugName(6)))
    embedded = _embedded(pdf)
    assert embedded <= shipped, f"the PDF embeds fonts that are not shipped: {sorted(embedded - shipped)}"
    assert {"wbbriefSymbols-Regular", "wbbriefSymbols-Bold", "NotoSerif-Italic"} <= embedded
    text = subprocess.run(["pdftotext", str(tmp_path / "brief.pdf"), "-"], capture_output=True, text=True)
    assert "← ↑ → ↓ ↔" in text.stdout and "bold ≈ → ✓ ▸ −" in text.stdout and "↩" in text.stdout
    # A machine with no fonts at all sets the same pages, byte for byte.
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    assert _render(tmp_path, env | {"FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}) == pdf
