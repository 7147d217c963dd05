"""Build templates/fonts/wbbriefSymbols-{Regular,Bold}.ttf: the few symbols the briefs print that
the shipped Noto subsets lack (↩ ≈ → − ...), cut from DejaVu Sans so that WeasyPrint never falls
back to whatever fonts the machine happens to have.

    .venv/bin/python scripts/symbols_font.py           # rebuild the two files (commit them)
    .venv/bin/python scripts/symbols_font.py --check   # exit 1 if the shipped files are stale
    .venv/bin/python scripts/symbols_font.py --list    # the characters, and where each comes from

Which characters: every character that wbbrief's own text can put in a brief (the interface strings
and bundled briefs in locales/, the data in data/, the templates, the CSL styles and locales, the
string literals in src/wbbrief, and the Serbian Latin strings as sr-Cyrl prints them) and that not
every shipped Noto face covers; plus the usual symbols of a brief in EXTRA. Characters only the
terminal shows (TERMINAL_ONLY: the control pictures) are left out. A character neither Noto nor
DejaVu Sans has stops the build.

From which font: DejaVu Sans and DejaVu Sans Bold, version 2.37 (Debian's fonts-dejavu-core, under
/usr/share/fonts/truetype/dejavu; --source another folder). fontTools' subsetter keeps the glyphs of
those characters and of the spaces (SPACES), their kerning and nothing else (no hinting: a PDF does
not need it), and the faces are renamed "wbbrief Symbols", as the Bitstream Vera licence asks of a
modified font (templates/fonts/DejaVu-LICENSE.txt, the upstream LICENSE of dejavu-fonts at commit
9b5d1b2; the copyright and licence notices stay in the name table). The head table's dates are the
source's, so the same font gives the same bytes. Symbols in italic text stay upright (fonts.css maps
the italic styles to these two files), so no machine's fontconfig slants them on its own.

templates/fonts.css declares the family; templates/brief.css and the charts list it after Noto in
every font stack, so Noto's glyphs win wherever Noto has them. tests/test_fonts.py checks that every
character of every brief is covered and that the files are what this script makes.
"""

from __future__ import annotations

import argparse
import glob
import html
import io
import re
import sys
import tokenize
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "templates" / "fonts"
SOURCE = Path("/usr/share/fonts/truetype/dejavu")
SOURCE_VERSION = "Version 2.37"
FAMILY = "wbbrief Symbols"
FACES = {"Regular": "DejaVuSans.ttf", "Bold": "DejaVuSans-Bold.ttf"}
NOTO = ("NotoSans-*.ttf", "NotoSerif-*.ttf")

# Symbols a brief's author is likely to type, beyond those wbbrief prints itself.
EXTRA = "±–—‘’“”„«»…•✓✗≈≠≤≥×÷→←↑↓↔↩▸"
# Pango sets a space between two symbols in the symbols' face: without these, it would measure a
# glyph the face lacks, as wide as the machine's fontconfig settings make it.
SPACES = " \u00a0\u2009\u202f"
# Shown by the terminal only (render/formats.py makes control characters visible), never in a brief.
TERMINAL_ONLY = {chr(c) for c in range(0x2400, 0x2422)}

# Text files whose characters may reach a brief, relative to the checkout.
TEXT_SOURCES = (
    "locales/**/*.po",
    "locales/**/*.md",
    "locales/**/*.csv",
    "locales/**/*.toml",
    "data/*.csv",
    "data/*.json",
    "templates/*.j2",
    "templates/*.css",
    "src/wbbrief/styles/**/*.csl",
    "src/wbbrief/styles/**/*.xml",
)


def noto_faces() -> list[Path]:
    return sorted(p for pattern in NOTO for p in FONTS.glob(pattern))


def cmap(path: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return set(font.getBestCmap())


def _literals(path: Path) -> Iterable[str]:
    """The string literals of a Python module (docstrings too; comments not)."""
    with path.open("rb") as source:
        for token in tokenize.tokenize(source.readline):
            if token.type == tokenize.STRING:
                yield token.string


def _serbian_latin() -> Iterable[str]:
    """The Serbian Latin strings as the sr-Cyrl edition prints them."""
    sys.path.insert(0, str(ROOT / "src"))
    from wbbrief.i18n.translit import latin_to_cyrillic

    for path in sorted((ROOT / "locales" / "sr-Latn").rglob("*.*")):
        if path.suffix in (".po", ".md", ".csv", ".toml"):
            yield latin_to_cyrillic(path.read_text(encoding="utf-8"))


def shipped_text() -> dict[str, str]:
    """Every piece of text wbbrief ships that a brief can print, by where it comes from."""
    texts: dict[str, str] = {}
    for pattern in TEXT_SOURCES:
        for name in sorted(glob.glob(pattern, root_dir=ROOT, recursive=True)):
            texts[name] = (ROOT / name).read_text(encoding="utf-8")
    for path in sorted((ROOT / "src" / "wbbrief").rglob("*.py")):
        texts[str(path.relative_to(ROOT))] = "".join(_literals(path))
    texts["locales/sr-Latn as sr-Cyrl"] = "".join(_serbian_latin())
    texts["EXTRA (scripts/symbols_font.py)"] = EXTRA
    return texts


def brief_text(page: str) -> str:
    """The characters an HTML brief shows: its text and attribute values, not its CSS."""
    page = re.sub(r"<style\b.*?</style>", "", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def needed(texts: dict[str, str]) -> dict[str, list[str]]:
    """The characters of ``texts`` that some Noto face lacks, each with where it occurs."""
    covered = set.intersection(*(cmap(p) for p in noto_faces()))
    where: dict[str, list[str]] = {}
    for name, text in texts.items():
        for char in sorted(set(text)):
            if ord(char) >= 0x20 and ord(char) not in covered and char not in TERMINAL_ONLY:
                where.setdefault(char, []).append(name)
    return dict(sorted(where.items()))


def build(chars: Iterable[str], source: Path) -> dict[str, bytes]:
    """The subset faces' bytes by file name."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = sorted({ord(c) for c in chars} | {ord(c) for c in SPACES})
    faces: dict[str, bytes] = {}
    for style, file_name in FACES.items():
        font = TTFont(source / file_name, recalcTimestamp=False)
        version = str(font["name"].getDebugName(5))
        if not version.startswith(SOURCE_VERSION):
            raise SystemExit(f"{source / file_name} is {version}; the shipped subset is cut from {SOURCE_VERSION}")
        lacking = [f"U+{c:04X}" for c in wanted if c not in font.getBestCmap()]
        if lacking:
            raise SystemExit(f"{source / file_name} has no glyph for {', '.join(lacking)}")
        options = subset.Options()
        options.hinting = False
        options.layout_features = ["kern"]
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        options.drop_tables += ["FFTM", "DSIG", "LTSH", "hdmx", "VDMX", "PCLT", "MATH"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        _rename(font, style)
        out = io.BytesIO()
        font.save(out)
        faces[f"wbbriefSymbols-{style}.ttf"] = out.getvalue()
    return faces


def _rename(font: object, style: str) -> None:
    names = font["name"]  # type: ignore[index]
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    for record in list(names.names):
        if record.nameID in (1, 2, 3, 4, 6):
            names.removeNames(nameID=record.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{postscript}: subset of DejaVu Sans {SOURCE_VERSION[8:]}", 3, 3, 1, 0x409)
    names.setName(full, 4, 3, 1, 0x409)
    names.setName(postscript, 6, 3, 1, 0x409)
    names.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))


def _shipped(name: str) -> bytes | None:
    path = FONTS / name
    return path.read_bytes() if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped files differ")
    parser.add_argument("--list", action="store_true", help="list the characters and where they occur")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the folder with DejaVuSans.ttf")
    args = parser.parse_args(argv)
    chars = needed(shipped_text())
    if args.list:
        import unicodedata

        for char, names in chars.items():
            print(f"U+{ord(char):04X} {char} {unicodedata.name(char, '?').lower()}: {', '.join(names[:3])}")
        return 0
    faces = build(chars, args.source)
    if args.check:
        stale = [name for name, data in faces.items() if _shipped(name) != data]
        for name in stale:
            print(f"templates/fonts/{name} is not what scripts/symbols_font.py makes: run it and commit the result")
        return 1 if stale else 0
    for name, data in faces.items():
        (FONTS / name).write_bytes(data)
        print(f"templates/fonts/{name}: {len(chars)} characters, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
