"""Hostile and unlucky documents, round three (issue 22): YAML front matter, a quadratic scan,
nesting, images, SVG scripts, languages and links `check` must refuse as `render` does, control
characters in messages."""

from __future__ import annotations

import base64
import re
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from wbbrief.dataset import loading
from wbbrief.document import parse
from wbbrief.render import author

Run = Callable[..., Result]
CORRUPTION = "asb-threat-first-corruption"


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    loading.load_bundle.cache_clear()
    yield
    loading.load_bundle.cache_clear()


def document(folder: Path, text: str, name: str = "brief.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(result: Result) -> list[str]:
    assert "Traceback" not in result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def render_line(run: Run, path: Path, out: Path) -> str:
    """`render` refuses: one line on stderr, exit 1, nothing written."""
    result = run("render", str(path), "-o", str(out))
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wbbrief: error: ") and "Traceback" not in result.stderr
    assert not out.exists()
    return lines[0]


# --- YAML front matter ---------------------------------------------------------------------------

TAGS = ['!!python/object/apply:os.system ["id"]', "!custom x", '!!int "abc"', '!!timestamp "x"', '!!bool "maybe"']


@pytest.mark.parametrize("value", TAGS)
def test_yaml_tags_are_one_located_error(run: Run, tmp_path: Path, value: str) -> None:
    path = document(tmp_path, f"---\ntitle: T\ndate: {value}\n---\n\n# B\n")
    result = run("check", str(path))
    assert result.exit_code == 1
    found = errors(result)
    rule = "error: YAML tags such as '[^']+' are not allowed in the front matter"
    assert len(found) == 1 and re.fullmatch(rf"{re.escape(str(path))}:3:7: {rule}", found[0])


def test_deep_or_huge_front_matter_is_refused_quickly(run: Run, tmp_path: Path) -> None:
    deep = document(tmp_path, "---\ndata: " + "[" * 3000 + "]" * 3000 + "\n---\n\n# B\n", "deep.md")
    assert errors(run("check", str(deep))) == [
        f"{deep}:2:26: error: the front matter is nested more than 20 levels deep"
    ]
    brackets = document(tmp_path, "---\ndata: " + "[" * 40_000 + "\n---\n\n# B\n", "brackets.md")
    start = time.perf_counter()
    assert "nested more than 20 levels" in errors(run("check", str(brackets)))[0]
    assert time.perf_counter() - start < 5  # 33 to 66 s in the YAML scanner before
    big = document(tmp_path, "---\ntitle: '" + "x" * (64 * 1024 + 1) + "'\n---\n\n# B\n", "big.md")
    assert errors(run("check", str(big))) == [f"{big}:2:1: error: the front matter is larger than the limit of 64 KB"]


def test_impossible_date_is_a_located_error(run: Run, tmp_path: Path) -> None:
    path = document(tmp_path, "---\ndate: 2022-02-30\n---\n\n# B\n")
    assert errors(run("check", str(path))) == [f"{path}:2:7: error: date: '2022-02-30' is not a date (YYYY-MM-DD)"]


def test_watch_survives_hostile_front_matter(tmp_path: Path) -> None:
    path = document(tmp_path, '---\ndate: !!int "abc"\n---\n\n# B\n\nText \x1b[31m\x07.\n')
    said: list[str] = []
    author.watch(author.RenderRequest(path, tmp_path / "b.html"), said.append, sleep=lambda s: None, rounds=1)
    assert len(said) == 1 and said[0].startswith("error: ") and "YAML tags" in said[0]
    path.write_text("# B\n\nA {stat}`\x1b]0;owned\x07x\x9b31m`.\n", encoding="utf-8")
    author.watch(author.RenderRequest(path, tmp_path / "b.html"), said.append, sleep=lambda s: None, rounds=1)
    assert len(said) == 2 and "unknown figure id" in said[1] and not re.search(r"[\x07\x1b\x9b]", said[1])


# --- the hand-typed number scan is linear ----------------------------------------------------------


def test_number_scan_reads_each_paragraph_once(monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[int] = []
    real = parse._REFERENCE_WORDS

    class Counting:
        def search(self, text: str) -> Any:
            searched.append(len(text))
            return real.search(text)

    monkeypatch.setattr(parse, "_REFERENCE_WORDS", Counting())
    text = "# x\n\n" + "in 1999 " * 5000 + "\n\np. 27 and fn. 3 but 39.3\n"
    found = parse.parse_document(text, Path("x.md"))
    assert len(searched) >= 5000 and sum(searched) < 40 * len(text)  # was 5000 x 20 KB on average
    assert [n.text for n in found.numbers][-1:] == ["39.3"] and len(found.numbers) == 5001


# --- nesting: check and render agree ---------------------------------------------------------------


def test_emphasis_nested_too_deep_is_refused_by_check_and_render(run: Run, tmp_path: Path) -> None:
    path = document(tmp_path, "# B\n\n" + "*" * 1000 + "deep" + "*" * 1000 + "\n")
    message = f"{path}:3:1: error: the text is nested more than 32 levels deep (emphasis, lists or quotes)"
    assert errors(run("check", str(path))) == [message]
    assert message.split(": error: ")[1] in render_line(run, path, tmp_path / "b.html")


def _only_nested(depth: int) -> str:
    text = "# B\n\n"
    for level in range(depth):
        text += "`" * (3 + depth - level) + "{only}\n:newer-edition: " + CORRUPTION + "\n\n"
    text += "Text.\n"
    for level in range(depth):
        text += "`" * (4 + level) + "\n"
    return text


def test_only_nested_400_deep_is_refused_by_check_and_render_fast(run: Run, tmp_path: Path) -> None:
    path = document(tmp_path, _only_nested(400))
    start = time.perf_counter()
    found = errors(run("check", str(path)))
    assert time.perf_counter() - start < 10  # 21 s and 1.4 GB at 1,000 deep before
    assert any("directives are nested more than 32 levels deep" in line for line in found)
    assert "nested more than" in render_line(run, path, tmp_path / "b.html")
    shallow = document(tmp_path, _only_nested(3), "shallow.md")
    assert run("check", str(shallow)).exit_code == 0


# --- images -----------------------------------------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IEND", b"")
    )


def test_images_too_many_pixels_or_bytes_are_one_line_in_check_and_render(run: Run, tmp_path: Path) -> None:
    (tmp_path / "huge.png").write_bytes(_png_header(30_000, 30_000))
    path = document(tmp_path, "# B\n\n![map](huge.png)\n")
    expected = "image 'huge.png' refused: 30,000 x 30,000 pixels is more than the limit of 40,000,000 pixels"
    assert errors(run("check", str(path))) == [f"{path}:3:8: error: {expected}"]
    line = render_line(run, path, tmp_path / "b.html")
    assert expected in line and len(line) < 300
    with open(tmp_path / "heavy.jpg", "wb") as stream:  # sparse: no disk used
        stream.truncate(20 * 1024 * 1024 + 1)
    heavy = document(tmp_path, "# B\n\n![photo](heavy.jpg)\n", "heavy.md")
    assert errors(run("check", str(heavy))) == [
        f"{heavy}:3:10: error: image 'heavy.jpg' refused: the image is larger than the limit of 20 MB"
    ]
    assert "heavy.jpg" in render_line(run, heavy, tmp_path / "h.html")


def test_jpeg_dimensions_are_read_from_the_header() -> None:
    from wbbrief.document.images import dimensions

    sof = b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 5000, 9000) + b"\x03" + b"\x00" * 9
    assert dimensions(b"\xff\xd8" + b"\xff\xe0\x00\x04\x00\x00" + sof) == (9000, 5000)
    assert dimensions(_png_header(3, 4)) == (3, 4)
    assert dimensions(b"GIF89a") is None


def test_svg_scripts_are_warned_about_and_removed(run: Run, tmp_path: Path) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4" onload="alert(1)">'
        '<script>alert(2)</script><a href="javascript:alert(3)"><rect width="4" height="4"/></a></svg>'
    )
    (tmp_path / "logo.svg").write_text(svg, encoding="utf-8")
    path = document(tmp_path, "# B\n\n![logo](logo.svg)\n")
    result = run("check", str(path))
    assert result.exit_code == 0 and "warning: the SVG image 'logo.svg' contains scripts" in result.stdout
    out = tmp_path / "b.html"
    assert run("render", str(path), "-o", str(out)).exit_code == 0
    embedded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', out.read_text(encoding="utf-8"))
    assert embedded is not None
    shown = base64.b64decode(embedded.group(1)).decode("utf-8")
    assert "<rect" in shown and "script" not in shown and "onload" not in shown and "javascript" not in shown


# --- check says what render will refuse ----------------------------------------------------------


@pytest.mark.parametrize("tag", ["zz", "sq-AL"])
def test_unknown_language_fails_check_as_it_fails_render(run: Run, tmp_path: Path, tag: str) -> None:
    path = document(tmp_path, f"---\nlang: {tag}\n---\n\n# B\n")
    found = errors(run("check", str(path)))
    assert len(found) == 1 and found[0].startswith(f"{path}:2:7: error: lang: unknown language '{tag}'")


@pytest.mark.parametrize(
    "block", ["- [x]: javascript:alert(1)", "> [x]: <javascript:alert(1)>", "1. > [x]: javascript:x"]
)
def test_javascript_definitions_in_lists_and_quotes_fail_check(run: Run, tmp_path: Path, block: str) -> None:
    path = document(tmp_path, f"# B\n\n{block}\n\nSee [x].\n")
    found = errors(run("check", str(path)))
    assert len(found) == 1 and "unsafe link 'javascript:" in found[0] and found[0].startswith(f"{path}:3:")


# --- the terminal ------------------------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal_from_check(run: Run, tmp_path: Path) -> None:
    path = document(tmp_path, "# B\n\nA {stat}`\x1b]0;owned\x07x\x9b31m`.\n")
    result = run("check", str(path))
    assert result.exit_code == 1
    for shown in (result.stdout, result.stderr, run("check", str(path), "-f", "json").stdout):
        assert not re.search(r"[\x07\x1b\x9b]", shown)


def test_front_matter_rules_at_their_edges() -> None:
    """What the YAML guard lets through: siblings are not depth, the size limit itself is allowed."""
    from wbbrief.document.yamlguard import refusal

    assert refusal("data: [" + ", ".join(["[a]"] * 30) + "]") is None  # 30 lists side by side: depth 2
    assert refusal("title: '" + "x" * (64 * 1024 - 9) + "'") is None  # exactly 64 KB
    assert refusal("title: '" + "x" * (64 * 1024 - 8) + "'") is not None
    anchored = refusal("title: &a T")
    assert anchored is not None and "anchors and aliases" in anchored[1]
    assert refusal("title: !!python/name:os.system T") is not None
