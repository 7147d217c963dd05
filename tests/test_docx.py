"""The Word writer (wbbrief.render.word, .docx): structure, notes, charts, properties, safety and reproducibility.

The figures here are FICTIONAL test values (never shipped): the writer takes a tree whose text is
already resolved, so what matters is that each value arrives in Word exactly as given.
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
from typing import Any

import pytest

from wbbrief.base.errors import RenderError, UsageError
from wbbrief.document import tree as t
from wbbrief.render import docx as docx_writer
from wbbrief.render import word

CI = os.environ.get("CI", "").lower() == "true"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKUP = ["**x**", "<w:p>", "$x$", "`{=openxml}`", "<script>alert(1)</script>", "[l](http://example.org)"]

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160">'
    '<rect x="0" y="20" width="300" height="30" fill="#1f4e79"/>'
    '<text x="310" y="42" font-family="DejaVu Sans" font-size="14">12.3% (fictional)</text></svg>'
)


def chart(number: int, value: float, alt: str, source: str) -> t.Chart:
    return t.Chart(
        number, f"c{number}", "A chart" if number == 1 else "Another", source, alt, (t.Bar("Threat", value),)
    )


def sample(title: str = "Test brief (fictional figures)", extra: str = "") -> t.Brief:
    """A brief built by hand, as composition would make it: the writer walks it as it is."""
    return t.Brief(
        meta=t.Meta(title, "A subtitle", "Test Author", datetime.date(2022, 12, 1), "", "en-GB", "", ""),
        headlines=(
            t.Headline("12.3%", "Regional figure", "name a fictional threat first", "Fictional Survey 2021"),
            t.Headline("45.6%", "Albania", "support fictional cooperation", "Fictional Survey 2022"),
        ),
        blocks=(
            t.Heading(2, t.Attr("summary"), (t.Text("Summary"),)),
            t.Para((t.Text("A sentence citing 78.9%"), t.NoteRef((1,)), t.Text(" and again"), t.NoteRef((2,)),
                    t.Text(extra))),
            t.Heading(3, t.Attr("threats"), (t.Text("Threats"),)),
            t.BulletList(((t.Plain((t.Strong((t.Text("12.3%"),)), t.Text(" first item"), t.NoteRef((1,)))),),
                          (t.Plain((t.Text("second item"),)),))),
            t.OrderedList(((t.Plain((t.Text("step one"),)),), (t.Plain((t.Text("step two"),)),))),
            t.Heading(4, t.Attr("details"), (t.Text("Details"),)),
            t.Table(
                "ranking", "Fictional shares", t.Row((t.Cell((t.Text("Country"),)), t.Cell((t.Text("Share"),)))),
                tuple(t.Row((t.Cell((t.DataText(f"Place {n}"),)), t.Cell((t.FigureValue("f", f"{n}.5%"),))))
                      for n in range(40)),
                source="Source: Fictional Survey 2022", notes=(2,), number=1,
            ),
            chart(1, 12.3, "Bar chart: 12.3% name the fictional threat first.", "Source: X"),
            chart(2, 45.6, "Bar chart: 45.6% support it.", ""),
        ),
        notes=(
            t.Note(1, "Fictional Survey 2021, p. 7\n(test note one).", "Fictional Survey 2021"),
            t.Note(2, "Fictional Survey 2022, p. 9 (test note two).", "Fictional Survey 2022"),
        ),
    )  # fmt: skip


def brief(*blocks: t.Block) -> t.Brief:
    return t.Brief(t.Meta("t", "", "", datetime.date(2022, 1, 1), "", "en", "", ""), blocks)


def to_docx(tree: t.Brief, reference_doc: Path | None = None, **kwargs: Any) -> bytes:
    return docx_writer.to_docx(word.write(tree, **kwargs), reference_doc)


@pytest.fixture(scope="module")
def built() -> bytes:
    return to_docx(sample())


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
    with pytest.raises(RenderError, match="note 3 is cited but the document has 0 note"):
        word.write(brief(t.Para((t.NoteRef((3,)),))))


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
    assert to_docx(sample()) == built
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2022, 12, 1, 0, 0, 0)}


def test_source_date_epoch_does_not_change_the_output(built: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert to_docx(sample()) == built


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_text_stays_literal(markup: str) -> None:
    data = to_docx(sample(title=f"Title {markup}", extra=f" then {markup} end"))
    document = open_docx(data)
    assert document.core_properties.title == f"Title {markup}"
    text = [p.text for p in document.paragraphs]
    assert f"Title {markup}" in text
    assert any(p.endswith(f" then {markup} end") for p in text)
    body = part(data, "word/document.xml")
    assert "<w:p><w:p>" not in body and "<script>" not in body and "w:hyperlink" not in body


def test_nothing_remote_is_fetched_or_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc runs sandboxed; a chart's SVG that names a remote or local file is refused before the
    rasteriser (resvg, which would read a local file an <image> names) ever sees it."""
    import resvg_py

    calls: list[list[str]] = []
    real = subprocess.Popen

    def spy(argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        calls.append(list(argv))
        return real(argv, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    drawn: list[str] = []
    real_draw = resvg_py.svg_to_bytes
    monkeypatch.setattr(resvg_py, "svg_to_bytes", lambda **kw: drawn.append(kw["svg_string"]) or real_draw(**kw))
    to_docx(brief(chart(1, 1.0, "alt", "")), draw=lambda _chart: SVG)
    assert "--sandbox" in calls[0] and len(drawn) == 1
    for hostile, why in (
        ('<image href="http://127.0.0.1:9/x.png" width="9" height="9"/>', "<image> element"),
        ('<image xlink:href="/etc/passwd"/>', "<image> element"),
        ('<use href="/etc/passwd#x"/>', "<use> element"),
        ('<rect fill="url(/etc/passwd#p)" width="9" height="9"/>', "url"),
        ('<rect width="9" height="9" HREF = "/etc/passwd"/>', "link"),
        ('<?xml-stylesheet href="/etc/passwd"?>', "processing instruction"),
    ):
        svg = SVG.replace("</svg>", hostile + "</svg>")
        with pytest.raises(RenderError, match=f"could not be drawn as PNG: .*{why}"):
            to_docx(brief(chart(1, 1.0, "alt", "")), draw=lambda _chart, svg=svg: svg)  # type: ignore[misc]
    doctype = '<!DOCTYPE svg [<!ENTITY x SYSTEM "/etc/passwd">]>' + SVG.replace("</text>", "&x;</text>")
    with pytest.raises(RenderError, match="declaration"):
        to_docx(brief(chart(1, 1.0, "alt", "")), draw=lambda _chart: doctype)
    assert len(drawn) == 1  # none of them reached resvg


def test_headings_deeper_than_word_heading_3_are_heading_3() -> None:
    levels = [
        b["c"][0]
        for b in word.pandoc_ast(brief(*(t.Heading(n, t.Attr(), (t.Text("x"),)) for n in range(1, 7))))["blocks"]
    ]
    assert levels == [1, 1, 2, 3, 3, 3]


def test_ragged_table_is_refused() -> None:
    table = t.Table("data", "T", t.Row((t.Cell((t.Text("a"),)), t.Cell((t.Text("b"),)))), (t.Row((t.Cell(()),)),))
    with pytest.raises(RenderError, match="every row needs 2 cells"):
        word.write(brief(table))


def test_a_house_reference_doc_is_used(tmp_path: Path) -> None:
    house = tmp_path / "house.docx"
    with zipfile.ZipFile(docx_writer.default_reference_doc()) as source, zipfile.ZipFile(house, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(b"DejaVu Sans", b"Liberation Sans")
            target.writestr(info.filename, data)
    styles = part(to_docx(sample(), reference_doc=house), "word/styles.xml")
    assert "Liberation Sans" in styles and "DejaVu Sans" not in styles


def test_the_bundled_reference_doc_carries_the_brief_look() -> None:
    with zipfile.ZipFile(docx_writer.default_reference_doc()) as archive:
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
        to_docx(sample(), reference_doc=path)
    assert caught.value.exit_code == 2
    with pytest.raises(UsageError, match="is not a file"):
        docx_writer.check_reference_doc(tmp_path)


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
