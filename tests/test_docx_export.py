"""export-docx and `render -o x.docx`: the bundled briefs and an authored document as Word files
that carry what the PDF carries (sections, every figure, the notes, the charts' alt text).

The PDF side is the same composition, printed: its text (pypdf) and its print HTML (the page
WeasyPrint typesets) give the sections, notes and charts each Word file must match.
"""

from __future__ import annotations

import datetime
import html
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner, Result

from wbbrief.cli import app
from wbbrief.dataset.loading import load_bundle
from wbbrief.render.brief import DEFAULT_TITLE, BriefOptions, render_html

CI = os.environ.get("CI", "").lower() == "true"
DATE = "2022-12-01"
HEADER = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote"
# Fixtures only: fictional figures of a fictional 2023 edition (as in test_claims), never shipped.
ASB_2023 = (
    "asb-2023-corruption,asb,2023,AL,threats,Most serious security threat to Albania,Corruption,38,percent,,2023,12,\n"
    "asb-2023-organised-crime,asb,2023,AL,threats,Most serious security threat to Albania,Organised crime,41,"
    "percent,,2023,12,\n"
)


def cli(*args: str) -> Result:
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def words(text: str) -> str:
    return " ".join(text.split())


def xml_text(xml: str) -> str:
    return html.unescape(words(" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))))


def docx_text(data: bytes) -> str:
    """Everything a reader of the Word file sees: body, tables, footnotes and the charts' alt text."""
    body = part(data, "word/document.xml")
    alts = " ".join(html.unescape(a) for a in re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body))
    return words(f"{xml_text(body)} {xml_text(part(data, 'word/footnotes.xml'))} {alts}")


def footnotes(data: bytes) -> list[str]:
    xml = part(data, "word/footnotes.xml")
    notes = re.findall(r'<w:footnote w:id="([0-9]+)"[^>]*>(.*?)</w:footnote>', xml, re.S)
    return [xml_text(body) for number, body in notes if int(number) > 0]


def pdf_text(path: Path) -> str:
    return words(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages))


class Printed:
    """What the PDF of one brief shows, from its print HTML."""

    def __init__(self, page: str) -> None:
        toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
        self.sections = [words(html.unescape(t)) for t in re.findall(r'<a href="#[^"]+">([^<]*)</a>', toc)]
        self.sections.remove("Notes and sources")
        self.top = re.findall(r'<li><a href="#[^"]+">([^<]*)</a>', toc)
        endnotes = page.split('<ol class="endnotes">', 1)[1].split("</ol>", 1)[0]
        self.notes = [
            words(html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="backref".*?</a>', "", n))))
            for n in re.findall(r"<li[^>]*>(.*?)</li>", endnotes, re.S)
        ]
        self.alts = [
            html.unescape(a) for a in re.findall(r'<figure id="fig-[^"]*">.*?<img [^>]*alt="([^"]*)"', page, re.S)
        ]


Briefs = dict[str, tuple[bytes, Printed, str]]


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Briefs:
    """The regional and the Albanian brief: .docx bytes, what the PDF shows, and the PDF's text."""
    folder = tmp_path_factory.mktemp("briefs")
    out: Briefs = {}
    for name, country in (("regional", None), ("albania", "AL")):
        args = ["--date", DATE] + (["--country", "albania"] if country else [])
        assert cli("export-docx", *args, "-o", str(folder / f"{name}.docx")).exit_code == 0
        assert cli("export-pdf", *args, "-o", str(folder / f"{name}.pdf")).exit_code == 0
        options = BriefOptions(date=datetime.date(2022, 12, 1), country=country)
        printed = Printed(render_html(load_bundle(), options, for_print=True))
        out[name] = ((folder / f"{name}.docx").read_bytes(), printed, pdf_text(folder / f"{name}.pdf"))
    return out


@pytest.fixture(scope="module")
def authored(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, str]:
    """A document written with `wbbrief new`, a section of the author's own added, rendered to Word."""
    folder = tmp_path_factory.mktemp("authored")
    assert cli("new", str(folder / "memo")).exit_code == 0
    source = folder / "memo" / "brief.md"
    text = source.read_text(encoding="utf-8").replace("title:", "author: Test Institute (fictional)\ntitle:", 1)
    text += "\n## Our own reading {#own}\n\nWe note {stat}`asb-threat-first-corruption` and **this in bold**.\n"
    source.write_text(text, encoding="utf-8")
    result = cli("render", str(source), "-o", str(folder / "memo.docx"), "--date", DATE)
    assert result.exit_code == 0, result.stderr
    assert cli("render", str(source), "-o", str(folder / "memo.pdf"), "--date", DATE).exit_code == 0
    return (folder / "memo.docx").read_bytes(), pdf_text(folder / "memo.pdf")


def open_docx(data: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(data))


@pytest.mark.parametrize("name", ["regional", "albania"])
def test_the_sections_of_the_pdf_are_word_headings(briefs: Briefs, name: str) -> None:
    data, printed, _ = briefs[name]
    styled = [(p.style.name, p.text) for p in open_docx(data).paragraphs if p.style.name.startswith("Heading")]
    headings = [text for _, text in styled]
    assert [t for t in headings if t in printed.sections] == printed.sections  # all of them, in order
    for style, text in styled:
        if text in printed.top:
            assert style == "Heading 1", text
    assert ("Heading 2", "2.1 Driven from outside") in styled
    assert {style for style, _ in styled} <= {"Heading 1", "Heading 2", "Heading 3"}


@pytest.mark.parametrize("name", ["regional", "albania"])
def test_every_figure_the_pdf_shows_is_in_the_word_file(briefs: Briefs, name: str) -> None:
    data, _, pdf = briefs[name]
    values = set(re.findall(r"(?<![\d.])\d+(?:\.\d+)?%", pdf))
    assert len(values) > 20  # the PDF's text is really read
    text = docx_text(data)
    assert sorted(v for v in values if v not in text) == []


@pytest.mark.parametrize("name", ["regional", "albania"])
def test_the_footnotes_are_the_pdf_notes(briefs: Briefs, name: str) -> None:
    data, printed, _ = briefs[name]
    found = footnotes(data)
    assert found and found == printed.notes  # the same notes, in the same order (issue 18)
    assert part(data, "word/document.xml").count("<w:footnoteReference ") == len(found)


@pytest.mark.parametrize("name", ["regional", "albania"])
def test_every_chart_is_a_picture_with_the_pdf_alt_text(briefs: Briefs, name: str) -> None:
    data, printed, _ = briefs[name]
    body = part(data, "word/document.xml")
    alts = [html.unescape(a) for a in re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)]
    assert len(printed.alts) > 5 and alts == printed.alts
    text = docx_text(data)
    for number in range(1, len(alts) + 1):
        assert f"Figure {number}." in text
    # each chart's source line cites, as footnotes, the figures the chart draws; but for the two
    # charts of IRI's by-country comparison, whose table carries no figure ids (the PDF cites none)
    sources = re.findall(r'<w:p><w:pPr><w:pStyle w:val="Source" />.*?</w:p>', body, re.S)
    assert sum("<w:footnoteReference " in p for p in sources) >= len(alts) - 2
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert sum(n.endswith(".png") for n in media) == sum(n.endswith(".svg") for n in media) == len(alts)


def test_tables_have_a_repeating_header_row(briefs: Briefs) -> None:
    data, _, _ = briefs["regional"]
    document = open_docx(data)
    assert len(document.tables) >= 5
    body = part(data, "word/document.xml")
    assert body.count("<w:tblHeader") >= len(document.tables)
    first = [c.text for c in document.tables[0].rows[0].cells]
    assert first == ["Finding", "Where"]


def test_properties_and_cover(briefs: Briefs) -> None:
    data, _, _ = briefs["albania"]
    document = open_docx(data)
    props = document.core_properties
    assert props.title == DEFAULT_TITLE and props.author == "" and props.language == "en"
    day = datetime.datetime(2022, 12, 1, tzinfo=datetime.UTC)
    assert props.created == day and props.modified == day
    text = "\n".join(p.text for p in document.paragraphs[:12])
    assert "Country focus: Albania" in text and "At a glance" in docx_text(data)


def test_the_same_inputs_give_the_same_bytes(briefs: Briefs, tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    assert cli("export-docx", "--date", DATE, "-o", str(again)).exit_code == 0
    assert again.read_bytes() == briefs["regional"][0]
    stdout = cli("export-docx", "--date", DATE, "-o", "-")
    assert stdout.stdout_bytes == briefs["regional"][0]


def test_an_authored_document_comes_out_as_word(authored: tuple[bytes, str]) -> None:
    data, pdf = authored
    document = open_docx(data)
    assert document.core_properties.author == "Test Institute (fictional)"
    styled = {(p.style.name, p.text) for p in document.paragraphs}
    assert ("Heading 1", "Our own reading") in styled and ("Heading 1", "Summary") in styled
    text = docx_text(data)
    assert "We note 39.3%" in text and "this in bold" in text and "**" not in text
    for value in set(re.findall(r"(?<![\d.])\d+(?:\.\d+)?%", pdf)):
        assert value in text
    assert "<w:b />" in part(data, "word/document.xml") or "<w:b/>" in part(data, "word/document.xml")


def test_a_withdrawn_claim_is_left_out_and_its_note_given(tmp_path: Path) -> None:
    path = tmp_path / "asb-2023.csv"
    path.write_text(f"{HEADER}\n{ASB_2023}", encoding="utf-8")
    out = tmp_path / "brief.docx"
    result = cli("export-docx", "-d", str(path), "-o", str(out), "--date", DATE)
    assert result.exit_code == 0, result.stderr
    text = docx_text(out.read_bytes())
    assert "Statements left out because the data in use no longer support them" in text
    assert "Organised crime 41% > Corruption 38%" in text
    assert "corruption is the threat named most often as the most serious" not in text  # the prose's claim
    assert "User-supplied data" in text  # the fictional figures' own provenance, as a footnote


def test_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "house.docx"
    bad.write_text("not a zip", encoding="utf-8")
    result = cli("export-docx", "--reference-doc", str(bad), "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "is not a Word .docx file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.docx").exists()
    folder = cli("export-docx", "--country", "all", "-o", str(tmp_path / "x.docx"))
    assert folder.exit_code == 2 and "one Word file per brief" in folder.stderr
    stdout = cli("export-docx", "--country", "all", "-o", "-")
    assert stdout.exit_code == 2 and "standard output" in stdout.stderr


def test_a_house_style_is_used(tmp_path: Path) -> None:
    from wbbrief.render.docx import default_reference_doc

    house = tmp_path / "house.docx"
    with zipfile.ZipFile(default_reference_doc()) as src, zipfile.ZipFile(house, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "word/styles.xml":
                content = re.sub(rb'w:ascii="[^"]*"', b'w:ascii="House Serif (fictional)"', content)
            dst.writestr(info, content)
    out = tmp_path / "brief.docx"
    assert cli("export-docx", "--date", DATE, "--reference-doc", str(house), "-o", str(out)).exit_code == 0
    assert "House Serif (fictional)" in part(out.read_bytes(), "word/styles.xml")


def test_libreoffice_opens_the_regional_brief(briefs: Briefs, tmp_path: Path) -> None:
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        if CI:
            pytest.fail("soffice or pdftotext is missing under CI (.ci/run should have installed them)")
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed (CI installs them: see .ci/run)")
    data, printed, _ = briefs["regional"]
    source = tmp_path / "brief.docx"
    source.write_bytes(data)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    text = words(subprocess.run([pdftotext, str(tmp_path / "brief.pdf"), "-"], capture_output=True, text=True).stdout)
    for expected in (DEFAULT_TITLE, "At a glance", "2.1 Driven from outside", "39.3%", printed.notes[0][:60]):
        assert expected in text


def test_conditional_text_is_shown_as_in_the_pdf(briefs: Briefs) -> None:
    """{only} blocks for other countries (or not for this one) are left out, as the PDF leaves them out."""
    for name, absent in (
        ("albania", ["Among the sources of insecurity", "come from the Albanian Security Barometer, which covers"]),
        ("regional", ["Among the sources of insecurity"]),
    ):
        data, _, pdf = briefs[name]
        for text in absent:
            assert text not in docx_text(data) and text not in pdf


def test_render_watch_writes_word_and_names_the_changed_section(tmp_path: Path) -> None:
    import os

    from wbbrief.render import author

    path = tmp_path / "memo.md"
    path.write_text("## One\n\nA {stat}`asb-threat-first-corruption`.\n\n## Two\n\nB.\n", encoding="utf-8")
    out = tmp_path / "memo.docx"
    said: list[str] = []

    def sleep(seconds: float) -> None:
        path.write_text("## One\n\nA {stat}`asb-threat-first-corruption`.\n\n## Two\n\nB, changed.\n", encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))

    author.watch(author.RenderRequest(path, out), said.append, sleep=sleep, rounds=2)
    assert len(said) == 2 and said[1].endswith("; changed: Two"), said
    assert "B, changed." in docx_text(out.read_bytes())
