"""The Word file as a document to edit (issue 19): Word's built-in styles, table rows that never
split across pages, a package that validates against the Open XML schemas and that LibreOffice
opens and saves again without repair. Figures here are FICTIONAL test values (never shipped)."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any, NoReturn

import pytest

from wbbrief.document import tree as t
from wbbrief.render import docx as docx_writer
from wbbrief.render import docxstyles, word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# pandoc's own paragraph styles, which a Word user does not know.
CONVERTER = {"FirstParagraph", "Compact", "ImageCaption", "TableCaption", "CaptionedFigure"}
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160">'
    '<rect x="0" y="20" width="300" height="30" fill="#1f4e79"/></svg>'
)


def sample(footer: str = "") -> word.WordFile:
    long = "A long fictional finding that wraps over several lines of its cell. " * 6
    findings = tuple(t.Finding((t.Text(f"{n}. {long}"),), "Albania") for n in range(30))
    tree = t.Brief(
        meta=t.Meta("Test brief (fictional figures)", "A subtitle", "Test Author", datetime.date(2022, 12, 1), "", "en",
                    "", ""),
        headlines=(t.Headline("12.3%", "Regional figure", "name a fictional threat first", "Fictional Survey"),),
        blocks=(
            t.Heading(2, t.Attr("summary"), (t.Text("Summary"),)),
            t.Para((t.Text("First paragraph citing 78.9%"), t.NoteRef((1,)))),
            t.Para((t.Text("Second paragraph."),)),
            t.BulletList(((t.Plain((t.Text("a bullet"),)),), (t.Plain((t.Text("another bullet"),)),))),
            t.OrderedList(((t.Plain((t.Text("step one"),)),), (t.Plain((t.Text("step two"),)),))),
            t.Heading(3, t.Attr("findings"), (t.Text("Findings"),)),
            t.Findings("Key findings", findings),
            t.Chart(1, "c", "A chart", "Source: X", "Bar chart (fictional).", (), notes=(1,)),
        ),
        notes=(t.Note(1, "Fictional Survey 2021, p. 7 (test note).", "Fictional Survey 2021"),),
    )  # fmt: skip
    return word.write(tree, footer, draw=lambda _chart: SVG)


def brief(*blocks: t.Block) -> t.Brief:
    return t.Brief(t.Meta("t", "", "", datetime.date(2022, 1, 1), "", "en", "", ""), blocks)


@pytest.fixture(scope="module")
def built() -> bytes:
    return docx_writer.to_docx(sample())


def open_docx(data: bytes) -> Any:
    import docx

    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


# --- styles ----------------------------------------------------------------------------------------


def test_paragraphs_use_words_built_in_styles(built: bytes) -> None:
    document = open_docx(built)
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Body Text", "Caption", "List Bullet", "List Number"} <= used
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Body Text", "Caption", "List Bullet", "List Number"):
        assert document.styles[name].builtin, name  # python-docx finds it under Word's name, not a custom one
    cells = {p.style.name for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs}
    assert cells == {"Table Text"}
    assert "Captioned Figure" not in used and "Figure" in used
    body = part(built, "word/document.xml") + part(built, "word/footnotes.xml")
    assert not CONVERTER & set(re.findall(r'<w:pStyle w:val="([^"]+)"', body))


def test_footnotes_are_real_footnotes_in_footnote_text(built: bytes) -> None:
    footnotes = part(built, "word/footnotes.xml")
    assert footnotes.count("test note") == 2  # cited in the text and in the chart's source line
    assert set(re.findall(r'<w:pStyle w:val="([^"]+)"', footnotes)) == {"FootnoteText"}
    styles = open_docx(built).styles
    assert styles["footnote text"].builtin and styles["footnote reference"].builtin


def test_footnotes_are_set_small_and_close_together(built: bytes) -> None:
    """As the print brief's notes (8.5 pt): with the body's 10 pt and Normal's 10 pt after each, a
    page's notes took the room of several rows, and LibreOffice left a gap under the key findings."""
    styles = part(built, "word/styles.xml")
    note = re.search(r'<w:style [^>]*w:styleId="FootnoteText".*?</w:style>', styles, re.S)
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)
    assert note and defaults

    def value(pattern: str) -> int:  # the style's own, else the document's default (Normal sets neither)
        found = re.search(pattern, note.group(0)) or re.search(pattern, defaults.group(0))
        assert found, pattern
        return int(found.group(1))

    assert value(r'<w:spacing [^>]*w:after="(\d+)"') <= 60  # twentieths of a point: 3 pt at most
    assert value(r'<w:sz w:val="(\d+)"') <= 17  # half-points: no larger than the tables' text


def test_the_table_style_is_named_and_based_on_table_grid(built: bytes) -> None:
    table = open_docx(built).tables[0]
    assert table.style.name == "Brief Table"
    assert table.style.base_style.name == "Table Grid" and table.style.base_style.builtin


def test_every_paragraph_style_used_is_defined(built: bytes) -> None:
    defined = docxstyles.defined(part(built, "word/styles.xml").encode())
    body = part(built, "word/document.xml") + part(built, "word/footnotes.xml")
    assert set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', body)) <= defined
    assert not CONVERTER & defined  # pandoc's unused converter styles are gone from the style list
    assert not any(s.endswith("Tok") for s in defined)


def test_a_house_reference_doc_without_words_styles_keeps_pandocs(tmp_path: Path) -> None:
    """pandoc's own reference document has no List Bullet or Table Text: those paragraphs keep
    pandoc's styles rather than point at a style the file does not define."""
    house = tmp_path / "house.docx"
    printed = [docx_writer.pandoc_path(), "--print-default-data-file", "reference.docx"]
    house.write_bytes(subprocess.run(printed, capture_output=True, check=True).stdout)
    data = docx_writer.to_docx(sample(), reference_doc=house)
    defined = docxstyles.defined(part(data, "word/styles.xml").encode())
    used = set(re.findall(r'<w:pStyle w:val="([^"]+)"', part(data, "word/document.xml")))
    assert "Compact" in used and "TableText" not in used
    assert {"Caption", "BodyText"} <= used  # Word's built-ins that pandoc's document does define
    assert used <= defined | {"Compact", "FirstParagraph"}  # pandoc's own, as pandoc writes them


# --- tables ----------------------------------------------------------------------------------------


def test_no_table_row_splits_across_pages_and_the_header_repeats(built: bytes) -> None:
    tables = open_docx(built).tables
    rows = [row._tr for table in tables for row in table.rows]
    assert len(rows) == 31
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    header, first = (row._tr for row in tables[0].rows[:2])
    assert header.find(f"{W}trPr/{W}tblHeader") is not None and first.find(f"{W}trPr/{W}tblHeader") is None


def test_rows_stay_whole_adds_cant_split_once() -> None:
    header = b'<w:tr><w:trPr><w:tblHeader w:val="on" /></w:trPr></w:tr>'
    xml = b"<w:tbl><w:tr><w:tc/></w:tr>" + header + b"<w:tr><w:trPr /></w:tr></w:tbl>"
    once = docxstyles.rows_stay_whole(xml)
    assert once.count(b"<w:cantSplit />") == 3 and b'<w:tblHeader w:val="on" />' in once
    assert docxstyles.rows_stay_whole(once) == once


# --- validation ------------------------------------------------------------------------------------


def validation_errors(data: bytes, tmp_path: Path) -> list[str]:
    from openxml_audit import FileFormat, OpenXmlValidator

    path = tmp_path / "checked.docx"
    path.write_bytes(data)
    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=50).validate(str(path))
    return [f"{getattr(e, 'part_uri', '')} {getattr(e, 'path', '')}: {e.description}" for e in result.errors]


def test_the_file_validates_against_the_open_xml_schemas(built: bytes, tmp_path: Path) -> None:
    assert validation_errors(built, tmp_path) == []


def test_the_validator_would_see_an_element_out_of_schema_order(built: bytes, tmp_path: Path) -> None:
    """The check is real: a table border out of the schema's order (as the reference document once had)."""
    with zipfile.ZipFile(io.BytesIO(built)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in entries:
            if name == "word/styles.xml":
                data = re.sub(
                    rb"(<w:top w:val=\"nil\" />)(.*?)(<w:insideH [^>]*/>)", rb"\3\2\1", data, count=1, flags=re.S
                )
            target.writestr(name, data)
    assert validation_errors(out.getvalue(), tmp_path)


def test_the_bundled_reference_doc_validates(tmp_path: Path) -> None:
    assert validation_errors(docx_writer.default_reference_doc().read_bytes(), tmp_path) == []


# --- LibreOffice -----------------------------------------------------------------------------------


def missing(tool: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{tool} is missing under CI (.ci/run should have installed it)")
    pytest.skip(f"{tool} is not installed (CI installs it: see .ci/run)")


def soffice(tmp_path: Path, source: Path, to: str, outdir: Path) -> Path:
    binary = shutil.which("soffice")
    if binary is None:
        missing("LibreOffice (soffice)")
    profile = tmp_path / "profile"  # a private profile: no clash with another soffice running
    argv = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
            "--outdir", str(outdir), str(source)]  # fmt: skip
    result = subprocess.run(argv, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    converted = outdir / f"{source.stem}.{to.split(':')[0]}"
    assert converted.exists(), result.stdout + result.stderr
    return converted


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert found
    return int(found.group(1))


def test_libreoffice_opens_and_saves_it_again_without_loss(built: bytes, tmp_path: Path) -> None:
    if shutil.which("pdfinfo") is None:
        missing("pdfinfo (poppler-utils)")
    source = tmp_path / "brief.docx"
    source.write_bytes(built)
    first = soffice(tmp_path, source, "pdf", tmp_path / "pdf1")
    saved = soffice(tmp_path, source, "docx:MS Word 2007 XML", tmp_path / "again")
    second = soffice(tmp_path, saved, "pdf", tmp_path / "pdf2")
    assert pages(first) == pages(second) >= 2
    ours, theirs = open_docx(built), open_docx(saved.read_bytes())
    assert len(theirs.paragraphs) == len(ours.paragraphs)
    assert [len(t.rows) for t in theirs.tables] == [len(t.rows) for t in ours.tables]
    # LibreOffice kept what Word users rely on: the rows that do not split, the repeating header.
    rows = [r._tr for t in theirs.tables for r in t.rows]
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    assert theirs.tables[0].rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert {p.style.name for p in theirs.paragraphs} >= {"Title", "Heading 1", "Body Text", "Caption"}


def test_the_findings_table_spans_the_text_width_three_to_one() -> None:
    box = t.Findings("Key findings", (t.Finding((t.Text("a"),), "b"),))
    body = part(docx_writer.to_docx(word.write(brief(box))), "word/document.xml")
    assert '<w:tblW w:type="pct" w:w="5000" />' in body
    first, second = (int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)" />', body))
    assert first == 3 * second


def test_the_regional_brief_validates_with_words_styles_and_whole_rows(tmp_path: Path) -> None:
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.render.brief import BriefOptions
    from wbbrief.render.wordexport import render_docx

    data = render_docx(load_bundle(), BriefOptions(date=datetime.date(2022, 12, 1)))
    assert validation_errors(data, tmp_path) == []
    body = part(data, "word/document.xml")
    assert body.count("<w:tr>") == body.count("<w:cantSplit />") > 40
    assert not CONVERTER & set(re.findall(r'<w:pStyle w:val="([^"]+)"', body))
    findings = open_docx(data).tables[0]
    assert findings.rows[0].cells[0].text == "Finding" and findings.style.name == "Brief Table"


# --- the house identity in the footer (issue 19) ---------------------------------------------------


def test_the_house_is_in_every_pages_footer_with_the_page_number(tmp_path: Path) -> None:
    data = docx_writer.to_docx(sample(footer="Example Institute (a fictional example) · Draft & notes"))
    footer = open_docx(data).sections[0].footer
    assert not footer.is_linked_to_previous
    assert footer.paragraphs[0].text.startswith("Example Institute (a fictional example) · Draft & notes")
    assert "PAGE" in part(data, "word/footer1.xml")
    assert validation_errors(data, tmp_path) == []


def test_no_house_no_footer(built: bytes) -> None:
    """By default the Word file names nobody in its pages, the tool included."""
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        assert not [n for n in archive.namelist() if "footer" in n]


def test_the_memos_settings_reach_its_word_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wbbrief.cli import app

    example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "memo"
    for name in ("brief.md", "references.bib", "wbbrief.toml", "logo.svg"):
        shutil.copy(example / name, tmp_path / name)
    result = CliRunner().invoke(app, ["render", str(tmp_path / "brief.md"), "-o", str(tmp_path / "memo.docx")])
    assert result.exit_code == 0, result.output
    text = open_docx((tmp_path / "memo.docx").read_bytes()).sections[0].footer.paragraphs[0].text
    assert text.startswith("Example Institute for Security Studies (a fictional example) · Example memo")
