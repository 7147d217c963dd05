"""The house identity and layout of the PDF (issue 19): no tool name on the pages, the
organisation and logo when given, the shipped faces, running heads that name the section on the
page, a one-page memo, and one-line errors (file:line:col) for a bad colour or settings file."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wbbrief.cli import app

ROOT = Path(__file__).resolve().parents[1]
MEMO = """---
title: Corruption at the top
subtitle: A one-paragraph memo
country: albania
date: 2026-01-15
cover: {cover}
toc: {toc}
---

## What Albanians fear

Corruption tops the list of threats Albanians name: {{stat}}`asb-threat-first-corruption` call it the
most serious threat to the country's security, ahead of organised crime
({{stat}}`asb-threat-first-organised-crime`).
"""
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No wbbrief.toml of the machine's user leaks into these briefs."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


def wbbrief(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    return text.split("\f")[:-1]


def info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout


def write_memo(folder: Path, cover: str = "none", toc: str = "false") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "memo.md"
    path.write_text(MEMO.format(cover=cover, toc=toc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("briefs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(folder / "no-config"))
        made = {
            "regional": folder / "regional.pdf",
            "albania": folder / "albania.pdf",
            "sr-Cyrl": folder / "serbia-sr-Cyrl.pdf",
        }
        wbbrief("export-pdf", "--date", "2026-11-30", "-o", str(made["regional"]))
        wbbrief("export-pdf", "--date", "2026-11-30", "--country", "albania", "-o", str(made["albania"]))
        wbbrief("export-pdf", "--date", "2026-11-30", "--lang", "sr-Cyrl", "-o", str(made["sr-Cyrl"]))
        memo = write_memo(folder / "memo")
        made["memo"] = folder / "memo.pdf"
        wbbrief("render", str(memo), "--date", "2026-11-30", "-o", str(made["memo"]))
        yield made


@pytest.mark.parametrize("name", ["regional", "albania", "sr-Cyrl", "memo"])
def test_no_page_and_no_author_field_names_the_tool(briefs: dict[str, Path], name: str) -> None:
    pages = page_texts(briefs[name])
    assert pages
    for number, text in enumerate(pages, start=1):
        assert "wbbrief" not in text.lower(), f"page {number} of the {name} brief names the tool"
    properties = info(briefs[name])
    assert "Author:" not in properties  # no author given: none written, and certainly not the tool
    assert "Creator:         wbbrief" in properties  # where the tool is named: the PDF's Creator


def test_the_colophon_names_the_tool_when_the_user_keeps_it(tmp_path: Path) -> None:
    memo = write_memo(tmp_path)
    (tmp_path / "wbbrief.toml").write_text("colophon = true\n", encoding="utf-8")
    wbbrief("render", str(memo), "--date", "2026-11-30", "-o", str(tmp_path / "memo.pdf"))
    assert "Produced with wbbrief" in "".join(page_texts(tmp_path / "memo.pdf"))


def test_the_memo_without_cover_and_contents_is_one_page(briefs: dict[str, Path]) -> None:
    pages = page_texts(briefs["memo"])
    assert len(pages) == 1
    assert "What Albanians fear" in pages[0] and "Notes and sources" in pages[0]


def test_a_compact_cover_is_a_title_block_on_page_one(tmp_path: Path) -> None:
    memo = write_memo(tmp_path, cover="compact")
    wbbrief("render", str(memo), "--date", "2026-11-30", "-o", str(tmp_path / "memo.pdf"))
    pages = page_texts(tmp_path / "memo.pdf")
    assert len(pages) == 1
    first = pages[0]
    assert first.index("Corruption at the top") < first.index("What Albanians fear") < first.index("Notes and sources")


def test_organisation_and_logo_from_the_settings_file(tmp_path: Path) -> None:
    example = ROOT / "docs" / "examples" / "memo"
    for name in ("brief.md", "references.bib", "wbbrief.toml", "logo.svg"):
        shutil.copy(example / name, tmp_path / name)
    pdf = tmp_path / "brief.pdf"
    wbbrief("render", str(tmp_path / "brief.md"), "--date", "2026-11-30", "-o", str(pdf))
    pages = page_texts(pdf)
    organisation = "Example Institute for Security Studies (a fictional example)"
    assert organisation in " ".join(pages[0].split())  # on the cover
    assert all(organisation in " ".join(p.split()) for p in pages[1:])  # and in every page's foot
    assert "info@example.org" in pages[0]
    from pypdf import PdfReader

    cover = PdfReader(pdf).pages[0]
    assert len(cover.images) >= 1 or "/XObject" in str(cover["/Resources"])  # the logo, drawn
    # Front matter wins over the settings file, key by key.
    text = (tmp_path / "brief.md").read_text(encoding="utf-8").replace("author: Example Institute\n", "")
    (tmp_path / "brief.md").write_text(text.replace("---\n\n", "organisation: Front Matter Institute\n---\n\n", 1))
    wbbrief("render", str(tmp_path / "brief.md"), "--date", "2026-11-30", "-o", str(pdf))
    assert "Front Matter Institute" in page_texts(pdf)[0]
    assert "Author:          Front Matter Institute" in info(pdf)


def test_the_embedded_faces_are_the_shipped_ones(briefs: dict[str, Path]) -> None:
    fonts = subprocess.run(["pdffonts", str(briefs["regional"])], capture_output=True, check=True, text=True).stdout
    names = [line.split()[0].split("+", 1)[-1] for line in fonts.splitlines()[2:]]
    assert "Noto-Serif" in names and "Noto-Sans" in names and "Noto-Sans-Bold" in names
    assert not any(name.startswith("DejaVu-Serif") for name in names)  # the text face is not the desktop's
    shipped = ROOT / "templates" / "fonts"
    assert (shipped / "OFL.txt").is_file()
    assert {p.name for p in shipped.glob("*.ttf")} >= {"NotoSerif-Regular.ttf", "NotoSans-Regular.ttf"}


def _heads_and_sections(pdf: Path) -> tuple[list[str], list[tuple[int, float, str]]]:
    """Each page's head line, and each section heading's (page, top, title) from the outline."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    sections: list[tuple[int, float, str]] = []

    def walk(items: list[object], depth: int = 0) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth <= 1:  # the title (h1) and the sections (h2), not their subsections
                page = reader.get_destination_page_number(item)  # type: ignore[arg-type]
                sections.append((page + 1, float(item.top or 0), str(item.title)))  # type: ignore[attr-defined]

    walk(reader.outline)
    return [text.splitlines()[0] if text.strip() else "" for text in page_texts(pdf)], sections


@pytest.mark.parametrize("name", ["regional", "sr-Cyrl"])
def test_each_running_head_names_the_section_current_at_the_top_of_its_page(briefs: dict[str, Path], name: str) -> None:
    heads, outline = _heads_and_sections(briefs[name])
    # The sections the running head may name: the h2 headings of the body (the outline's second
    # level under the title), in page order; the contents list is no section.
    title, contents = outline[0][2], outline[1]
    sections = [s for s in outline[2:] if s[0] > contents[0] or s[1] < contents[1]]
    top = 841.89 - 24 * 72 / 25.4 - 12  # a heading this high is the first thing on its page
    checked = 0
    for page in range(contents[0] + 1, len(heads) + 1):
        current = [s for s in sections if s[0] < page or (s[0] == page and s[1] >= top)]
        if not current:
            continue
        expected = current[-1][2]
        head = " ".join(heads[page - 1].split())
        assert head.startswith(" ".join(title.split())), (page, head)
        assert head.endswith(" ".join(expected.split())), f"page {page}: head '{head}', section '{expected}'"
        checked += 1
    assert checked >= 8
    assert heads[0] == "" or title not in heads[0]  # no head on the cover
    assert title not in heads[contents[0] - 1]  # nor on the contents


def test_a_bad_colour_is_an_error_at_its_line_and_column(tmp_path: Path) -> None:
    doc = tmp_path / "memo.md"
    text = MEMO.format(cover="none", toc="false")
    doc.write_text(text.replace("toc: false", 'toc: false\ncolours: {primary: "#9fb6cd"}'))
    result = CliRunner().invoke(app, ["check", str(doc)], env=ENV)
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "contrast" in x)
    assert line == (
        f"{doc}:8:21: error: colours: '#9fb6cd' has a contrast of 2.09:1 on white; "
        "primary colours text, which needs at least 4.5:1 (WCAG)"
    )


def test_a_bad_settings_file_is_a_one_line_error_with_its_line_and_column(tmp_path: Path) -> None:
    memo = write_memo(tmp_path)
    settings = tmp_path / "wbbrief.toml"
    settings.write_text('organisation = "X"\n[colours]\naccent = "#eeeeee"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(memo)], env=ENV)
    assert result.exit_code == 1
    assert f"{settings}:3:10: error: colours.accent: '#eeeeee' has a contrast of 1.16:1 on white" in result.output
    settings.write_text("organisation = \n", encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(memo), "-o", str(tmp_path / "memo.pdf")], env=ENV)
    assert result.exit_code == 1
    error = f"wbbrief: error: {settings}:1:16: not valid TOML: Invalid value; nothing written"
    assert result.output.splitlines() == [error]
    assert not (tmp_path / "memo.pdf").exists()
    # The user's config folder gives the same keys, for the bundled brief too.
    settings.unlink()
    config = tmp_path / "config" / "wbbrief"
    config.mkdir(parents=True)
    (config / "wbbrief.toml").write_text('colophon = "yes"\n', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["export-pdf", "-o", str(tmp_path / "b.pdf")], env=ENV | {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"wbbrief: error: {config / 'wbbrief.toml'}:1:12: colophon: 'yes' is not true or false"
    ]


def test_a_colour_must_also_read_on_the_cover_paper(tmp_path: Path) -> None:
    """The cover's large figures stand on #f4f1ea: #d07a28 passes 3:1 on white (3.23), not there (2.87)."""
    memo = write_memo(tmp_path)
    (tmp_path / "wbbrief.toml").write_text('[colours]\naccent = "#d07a28"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(memo)], env=ENV)
    assert result.exit_code == 1
    assert "colours.accent: '#d07a28' has a contrast of 2.87:1 on the cover's paper (#f4f1ea)" in result.output
