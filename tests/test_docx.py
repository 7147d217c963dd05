"""The Word writer (wbbrief.render.docx): structure, notes, charts, properties, safety and reproducibility.

The figures here are FICTIONAL test values (never shipped): the writer takes text that is already
resolved, so what matters is that each value arrives in Word exactly as given.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from wbbrief.base.errors import RenderError, UsageError
from wbbrief.render import docx as word

CI = os.environ.get("CI", "").lower() == "true"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKUP = ["**x**", "<w:p>", "$x$", "`{=openxml}`", "<script>alert(1)</script>", "[l](http://example.org)"]

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160">'
    '<rect x="0" y="20" width="300" height="30" fill="#1f4e79"/>'
    '<text x="310" y="42" font-family="DejaVu Sans" font-size="14">12.3% (fictional)</text></svg>'
)


def sample(title: str = "Test brief (fictional figures)", extra: str = "") -> word.WordDocument:
    return word.WordDocument(
        title=title,
        subtitle="A subtitle",
        author="Test Author",
        date=datetime.date(2022, 12, 1),
        lang="en-GB",
        headlines=[
            word.Headline("12.3%", "name a fictional threat first", "Regional figure", "Fictional Survey 2021"),
            word.Headline("45.6%", "support fictional cooperation", "Albania", "Fictional Survey 2022"),
        ],
        blocks=[
            word.Heading(1, "Summary"),
            word.Paragraph(["A sentence citing 78.9%", word.NoteRef(1), " and again", word.NoteRef(2), extra]),
            word.Heading(2, "Threats"),
            word.ListBlock([[word.Strong("12.3%"), " first item", word.NoteRef(1)], ["second item"]]),
            word.ListBlock([["step one"], ["step two"]], ordered=True),
            word.Heading(3, "Details"),
            word.Table(
                header=[["Country"], ["Share"]],
                rows=[[[f"Place {n}"], [f"{n}.5%"]] for n in range(40)],
                caption="Table 1. Fictional shares",
                source=["Source: Fictional Survey 2022", word.NoteRef(2)],
            ),
            word.Chart(SVG, "Bar chart: 12.3% name the fictional threat first.", "Figure 1. A chart", ["Source: X"]),
            word.Chart(SVG.replace("12.3", "45.6"), "Bar chart: 45.6% support it.", "Figure 2. Another", []),
        ],
        notes=["Fictional Survey 2021, p. 7 (test note one).", "Fictional Survey 2022, p. 9 (test note two)."],
    )


@pytest.fixture(scope="module")
def built() -> bytes:
    return word.to_docx(sample())


def open_docx(data: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def test_headings_carry_word_heading_styles(built: bytes) -> None:
    paragraphs = open_docx(built).paragraphs
    styled = {(p.style.name, p.text) for p in paragraphs if p.style.name.startswith(("Heading", "Title"))}
    assert {("Title", "Test brief (fictional figures)"), ("Heading 1", "Summary")} <= styled
    assert {("Heading 2", "Threats"), ("Heading 3", "Details")} <= styled


def test_every_figure_value_is_in_the_document(built: bytes) -> None:
    document = open_docx(built)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for value in ("12.3%", "45.6%", "78.9%"):
        assert value in text
    assert all(f"{n}.5%" in cells for n in range(40))
    assert "Regional figure" in text and "Fictional Survey 2021" in text and "Albania" in text


def test_provenance_notes_are_real_footnotes(built: bytes) -> None:
    footnotes = part(built, "word/footnotes.xml")
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", footnotes)
    joined = "".join(texts)
    # Three references to note 1 or 2 in the body and one in the source line: four footnotes.
    assert joined.count("test note one") == 2 and joined.count("test note two") == 2
    assert part(built, "word/document.xml").count("<w:footnoteReference ") == 4


def test_unknown_note_number_is_a_render_error() -> None:
    document = word.WordDocument(title="t", date=datetime.date(2022, 1, 1), blocks=[word.Paragraph([word.NoteRef(3)])])
    with pytest.raises(RenderError, match="note 3 is cited but the document has 0 note"):
        word.to_docx(document)


def test_charts_are_png_with_alt_text_and_svg_alongside(built: bytes) -> None:
    body = part(built, "word/document.xml")
    descriptions = re.findall(r'<wp:docPr descr="([^"]*)"', body)
    assert descriptions == ["Bar chart: 12.3% name the fictional threat first.", "Bar chart: 45.6% support it."]
    assert "data:image" not in body  # pandoc's source-as-description replaced by the alt text
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        media = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
        assert [n.rsplit(".", 1)[1] for n in media].count("png") == 2
        assert [n.rsplit(".", 1)[1] for n in media].count("svg") == 2
        assert archive.read(next(n for n in media if n.endswith(".png")))[:8] == b"\x89PNG\r\n\x1a\n"
    assert body.count("asvg:svgBlip") == 2
    assert 'Extension="svg"' in part(built, "[Content_Types].xml")
    rels = part(built, "word/_rels/document.xml.rels")
    for svg_id in re.findall(r'asvg:svgBlip [^>]*r:embed="([^"]+)"', body):
        assert f'Id="{svg_id}" Target="media/{svg_id}.svg"' in rels
    text = "\n".join(p.text for p in open_docx(built).paragraphs)
    assert "Figure 1. A chart" in text and "Source: X" in text


def test_core_properties(built: bytes) -> None:
    properties = open_docx(built).core_properties
    assert properties.title == "Test brief (fictional figures)"
    assert properties.author == "Test Author"
    assert properties.language == "en-GB"
    assert properties.created == datetime.datetime(2022, 12, 1, tzinfo=datetime.UTC)
    assert properties.modified == datetime.datetime(2022, 12, 1, tzinfo=datetime.UTC)


def test_table_header_row_repeats_on_every_page(built: bytes) -> None:
    table = open_docx(built).tables[0]
    first, second = table.rows[0]._tr, table.rows[1]._tr
    assert first.find(f"{W}trPr/{W}tblHeader") is not None
    assert second.find(f"{W}trPr/{W}tblHeader") is None
    assert table.style.name == "Brief Table"


def test_lists_use_word_numbering(built: bytes) -> None:
    body = part(built, "word/document.xml")
    assert len(set(re.findall(r'<w:numId w:val="(\d+)"', body))) >= 3  # cover, bullets, numbered
    assert "decimal" in part(built, "word/numbering.xml")


def test_same_input_gives_identical_bytes(built: bytes) -> None:
    assert word.to_docx(sample()) == built
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2022, 12, 1, 0, 0, 0)}


def test_source_date_epoch_does_not_change_the_output(built: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert word.to_docx(sample()) == built


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_text_stays_literal(markup: str) -> None:
    data = word.to_docx(sample(title=f"Title {markup}", extra=f" then {markup} end"))
    document = open_docx(data)
    assert document.core_properties.title == f"Title {markup}"
    text = [p.text for p in document.paragraphs]
    assert f"Title {markup}" in text
    assert any(p.endswith(f" then {markup} end") for p in text)
    body = part(data, "word/document.xml")
    assert "<w:p><w:p>" not in body and "<script>" not in body and "w:hyperlink" not in body


def test_nothing_remote_is_fetched_or_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc runs sandboxed; an SVG chart that references a remote or local file gets neither."""
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(list(argv))
        return real(argv, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(subprocess, "run", spy)
    import cairosvg.url

    fetched: list[str] = []
    real_fetch = cairosvg.url.fetch
    monkeypatch.setattr(cairosvg.url, "fetch", lambda url, kind: fetched.append(url) or real_fetch(url, kind))
    hostile = SVG.replace(
        "</svg>", '<image href="http://127.0.0.1:9/x.png" width="9" height="9"/><image href="/etc/passwd"/></svg>'
    )
    document = word.WordDocument(title="t", date=datetime.date(2022, 1, 1), blocks=[word.Chart(hostile, "alt", "c")])
    data = word.to_docx(document)
    assert "--sandbox" in calls[0]
    assert fetched == []  # CairoSVG's safe mode: only data: URLs would be read
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert not any("passwd" in archive.read(n).decode("latin-1") for n in names if not n.endswith(".svg"))
    assert "http://127.0.0.1" not in part(data, "word/_rels/document.xml.rels")


def test_heading_levels_beyond_three_are_refused() -> None:
    document = word.WordDocument(title="t", date=datetime.date(2022, 1, 1), blocks=[word.Heading(4, "x")])  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="heading level 4"):
        word.to_docx(document)


def test_ragged_table_is_refused() -> None:
    table = word.Table(header=[["a"], ["b"]], rows=[[["1"]]], caption="T")
    with pytest.raises(RenderError, match="every row needs 2 cells"):
        word.to_docx(word.WordDocument(title="t", date=datetime.date(2022, 1, 1), blocks=[table]))


def test_a_house_reference_doc_is_used(tmp_path: Path) -> None:
    house = tmp_path / "house.docx"
    with zipfile.ZipFile(word.default_reference_doc()) as source, zipfile.ZipFile(house, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(b"DejaVu Sans", b"Liberation Sans")
            target.writestr(info.filename, data)
    styles = part(word.to_docx(sample(), reference_doc=house), "word/styles.xml")
    assert "Liberation Sans" in styles and "DejaVu Sans" not in styles


def test_the_bundled_reference_doc_carries_the_brief_look() -> None:
    with zipfile.ZipFile(word.default_reference_doc()) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert 'w:ascii="DejaVu Serif"' in styles and 'w:ascii="DejaVu Sans"' in styles
    assert "1F4E79" in styles  # the brief's blue (templates/brief.css)
    for style_id in ("Table", "Source", "HeadlineFigure", "HeadlineValue"):
        assert f'w:styleId="{style_id}"' in styles


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"not a zip", "not a Word .docx file (not a zip archive)"),
        (b"zip-without-styles", "not a Word .docx file (it has no word/styles.xml)"),
    ],
)
def test_a_bad_reference_doc_is_a_usage_error(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "house.docx"
    if content == b"zip-without-styles":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<x/>")
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError, match=re.escape(message)) as caught:
        word.to_docx(sample(), reference_doc=path)
    assert caught.value.exit_code == 2
    with pytest.raises(UsageError, match="is not a file"):
        word.check_reference_doc(tmp_path)


def test_the_ast_has_no_raw_elements() -> None:
    """pandoc reads JSON, not Markdown: no RawBlock/RawInline can carry user text into the file."""
    text = str(word.pandoc_ast(sample(title="{=openxml} <w:p>", extra="```{=openxml}\n<w:p/>\n```")))
    assert "Raw" not in text


def test_libreoffice_converts_it_cleanly(built: bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        if CI:
            pytest.fail("soffice or pdftotext is missing under CI (.ci/run should have installed them)")
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed (CI installs them: see .ci/run)")
    source = tmp_path / "brief.docx"
    source.write_bytes(built)
    profile = tmp_path / "profile"  # a private profile: no clash with another soffice running
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "brief.pdf"
    assert pdf.exists(), result.stdout + result.stderr
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Test brief (fictional figures)", "Summary", "78.9%", "Place 39", "test note one", "Figure 2"):
        assert expected in text


def test_the_package_is_consistent_so_word_does_not_offer_repair(built: bytes) -> None:
    """Word's "unreadable content" comes from parts without a content type or dangling relationships:
    the SVG parts we add beside pandoc's must be declared and linked like its own."""
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
        assert archive.namelist()[0] == "[Content_Types].xml"
    types = part(built, "[Content_Types].xml")
    defaults = set(re.findall(r'<Default Extension="([^"]+)"', types))
    overrides = set(re.findall(r'<Override PartName="/([^"]+)"', types))
    for name in names - {"[Content_Types].xml"}:
        assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    rels = part(built, "word/_rels/document.xml.rels")
    internal = re.findall(r'<Relationship [^>]*Target="([^"]+)"(?! TargetMode="External")', rels)
    assert all(f"word/{target}" in names for target in internal)
    body = part(built, "word/document.xml")
    ids = set(re.findall(r'Id="([^"]+)"', rels))
    assert set(re.findall(r'r:embed="([^"]+)"', body)) <= ids


def test_cover_headline_values_use_their_style(built: bytes) -> None:
    runs = [r for p in open_docx(built).paragraphs for r in p.runs if r.style.name == "Headline Value"]
    assert [r.text for r in runs] == ["12.3%", "45.6%"]
