"""The policy brief, read back from the PDF and HTML as a reader (or a screen reader) gets it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from typer.testing import Result

from wbbrief.base.errors import RenderError
from wbbrief.dataset import bundle as data
from wbbrief.dataset import loading
from wbbrief.render import brief, export, pdf
from wbbrief.render.brief import BriefOptions

Run = Callable[..., Result]
DAY = dt.date(2022, 12, 1)
INJECTION = '<img src="file:///etc/hostname">'


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> pypdf.PdfReader:
    path = tmp_path_factory.mktemp("brief") / "regional.pdf"
    export.export_pdf(BriefOptions(date=DAY, author="Institute for Testing"), path)
    return pypdf.PdfReader(path)


def _text(reader: pypdf.PdfReader) -> str:
    """The pages' text, words hyphenated at a line's end joined again (where lines break is layout)."""
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages).replace("\u2010 ", "")


def _structure(reader: pypdf.PdfReader) -> Iterator[dict[str, Any]]:
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        yield node
        kids = node.get("/K")
        if isinstance(kids, list):
            stack.extend(k for k in kids if hasattr(k, "get_object"))
        elif kids is not None and hasattr(kids, "get_object"):
            stack.append(kids)


def test_every_key_finding_and_figure_is_in_the_pdf(regional: pypdf.PdfReader) -> None:
    text = _text(regional)
    bundle = loading.load_bundle()
    from wbbrief.query import queries

    for row in queries.findings(bundle).tables[0].rows:
        assert " ".join(row["finding"].split()) in text, row["id"]
    for figure in bundle.figures:
        shown = queries.figure_text(figure) if figure.unit == "percent" else f"{figure.rank} {figure.answer}"
        assert shown in text, figure.id


def test_recommendations_and_citations_are_in_the_pdf(regional: pypdf.PdfReader) -> None:
    text = _text(regional)
    assert "Establish a Western Balkans Security Forum (WBSF)" in text
    assert "Reorient the Integrative Internal Security Governance (IISG) towards results" in text
    for principle in ("Sovereign equality", "Consensus", "Confidence building", "Transparency",
                      "Information exchange", "Joint responses"):  # fmt: skip
        assert principle in text
    assert "Dyrmishi. A. (2022). Albanian Security Barometer: National Survey 2022." in text
    assert "Center for the Study of Democracy and Governance, p. 27. Cited in the paper's footnote 26." in text
    assert "ASB 2022, pp. 28–29. Cited in the paper's footnote 23." in text  # later notes: short (issue 18)
    assert "ACIT Centre & Finance Think. (2022) SecuriMeter2022–Public Opinion Survey on Security." in text
    assert "2022 Western Balkans Regional Survey, p. 93. Cited in the paper's footnote 24." in text
    assert "IRI 2022, p. 132. Cited in the paper's footnote 35." in text
    assert "report page not given in the paper" in text


def test_metadata_pages_and_bookmarks(regional: pypdf.PdfReader) -> None:
    meta = regional.metadata
    assert meta is not None
    assert meta.title == "Cooperative Security in the Western Balkans"
    assert meta.author == "Institute for Testing"
    assert meta.subject and meta.subject.startswith("What the public thinks")
    assert "WBSF" in (meta.get("/Keywords") or "")
    assert meta.creation_date is not None and meta.creation_date.date() == DAY
    assert 10 <= len(regional.pages) <= 20

    def titles(items: list[Any]) -> list[str]:
        return [t for item in items for t in (titles(item) if isinstance(item, list) else [item.title])]

    outline = titles(regional.outline)
    assert outline[:3] == ["Cooperative Security in the Western Balkans", "Contents", "Summary"]
    assert "4. Conclusions and recommendations" in outline and "Notes and sources" in outline
    toc = regional.pages[1].extract_text()
    assert re.search(r"4\. Conclusions and recommendations[ .]+\d+", toc)


def test_pdf_is_tagged_with_language_table_headers_and_alt_text(regional: pypdf.PdfReader) -> None:
    root = regional.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    nodes = list(_structure(regional))
    kinds = {str(n.get("/S")) for n in nodes}
    assert {"/Document", "/H2", "/Table", "/TH", "/TD", "/Figure", "/Caption"} <= kinds
    figures = [n for n in nodes if n.get("/S") == "/Figure"]
    assert len(figures) >= 15
    alts = [str(n.get("/Alt", "")) for n in figures]
    assert all(a.startswith("Bar chart.") for a in alts)
    assert any("Serbia: 66.8%; Russia: 63.1%; China: 19%; Greece: 4.8%" in a for a in alts)
    assert any("Negative impact: 22% in 2021, 44% in 2022" in a for a in alts)
    assert any("Albania: not polled" in a and "Kosovo: 42%" in a for a in alts)


def test_chart_text_is_real_selectable_text(regional: pypdf.PdfReader) -> None:
    text = _text(regional)
    assert "Figure 3. Albania: Country seen as a threat to Albania's security" in text
    assert "Politicians who profit from prolonging the conflict" in text  # a chart label
    assert "not reported in the paper" in text


def test_country_brief_leads_with_the_country(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "rs.pdf"
    result = run("export-pdf", "--country", "Srbija", "-o", str(out), "--date", "2022-12-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    reader = pypdf.PdfReader(out)
    text = _text(reader)
    assert reader.metadata is not None
    assert reader.metadata.title == "Cooperative Security in the Western Balkans: Serbia"
    assert "Country focus: Serbia" in text and "3.1 Serbia in the surveys" in text
    assert "Serbia is in NATO's Partnership for Peace and, in relation to the EU, in accession negotiations" in text
    assert text.index("20% hold a favourable opinion of it") < text.index(
        "44% say war or political instability harms their feeling of security, up from 22%"
    )


def test_default_name_and_printed_path(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("export-html", "--country", "kosova", "--date", "2022-12-01")
    assert result.exit_code == 0
    assert result.stdout.strip() == "wb-security-brief-kosovo-2022-12-01.html"
    assert (tmp_path / "wb-security-brief-kosovo-2022-12-01.html").exists()


def test_html_is_self_contained(tmp_path: Path) -> None:
    html = brief.render_html(loading.load_bundle(), BriefOptions(date=DAY), for_print=False)
    assert "<style>" in html and "<svg" in html and 'role="img"' in html
    for attribute in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert attribute.startswith(("#", "data:")), attribute
    assert "@import" not in html and "url(" not in html
    assert 'name="viewport"' in html


def _bundle_with_label(label: str) -> data.Bundle:
    bundle = loading.load_bundle()
    figures = tuple(
        dataclasses.replace(f, answer=label) if f.id == "asb-threat-country-greece" else f for f in bundle.figures
    )
    return dataclasses.replace(bundle, figures=figures)


def test_markup_in_data_is_text_in_html_and_pdf(tmp_path: Path) -> None:
    bundle = _bundle_with_label(INJECTION)
    options = BriefOptions(date=DAY)
    html = brief.render_html(bundle, options, for_print=False)
    assert INJECTION not in html
    assert re.search(r"&lt;img src=&(#34|quot);file:///etc/hostname&(#34|quot);&gt;", html)
    document = export.render_pdf(bundle, options)
    (tmp_path / "x.pdf").write_bytes(document)
    # poppler's text, not pypdf's: pypdf guesses the space in a chart label ('<img src=') from glyph gaps
    text = subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"], capture_output=True, text=True, check=True)
    assert INJECTION in text.stdout


@pytest.mark.parametrize(
    "markup",
    ['<img src="file:///etc/hostname" alt="x">', '<link rel="stylesheet" href="http://example.invalid/a.css">',
     '<img src="https://example.invalid/x.png" alt="x">'],
)  # fmt: skip
def test_fetcher_refuses_anything_but_data_and_package_assets(markup: str) -> None:
    with pytest.raises(RenderError, match="which wbbrief does not fetch"):
        pdf.html_to_pdf(f"<html lang='en'><title>t</title>{markup}<p>x</p></html>", variant="ua", day=DAY)


def test_fetcher_serves_package_assets_and_data_uris() -> None:
    html = (
        "<html lang='en'><title>t</title><link rel='stylesheet' href='wbbrief:brief.css'>"
        "<img alt='dot' src='data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E'><p>x</p></html>"
    )
    assert pdf.html_to_pdf(html, variant="ua", day=DAY).startswith(b"%PDF")
    with pytest.raises(RenderError):
        escape = "<html><link rel='stylesheet' href='wbbrief:../data/figures.csv'></html>"
        pdf.html_to_pdf(escape, variant="ua", day=DAY)


def test_a3_variant_attaches_the_figures(tmp_path: Path) -> None:
    out = tmp_path / "a3.pdf"
    export.export_pdf(BriefOptions(date=DAY, variant="a3"), out)
    reader = pypdf.PdfReader(out)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[>=\"']+3", xmp) and re.search(r"pdfaid:conformance[>=\"']+U", xmp)
    attached = reader.attachments
    assert list(attached) == ["wbbrief-figures.csv"]
    csv_text = attached["wbbrief-figures.csv"][0].decode("utf-8")
    assert csv_text.splitlines()[0].startswith("id,survey,edition,country,topic,question,answer,value")
    assert "asb-closer-cooperation-balkans,asb,2022,AL,cooperation" in csv_text
    assert len(csv_text.strip().splitlines()) == 57


def test_same_inputs_give_a_byte_identical_pdf(tmp_path: Path) -> None:
    """Two separate processes (different hash seeds), the same data, options and date."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    digests = []
    for name in ("one.pdf", "two.pdf"):
        subprocess.run(
            [sys.executable, "-m", "wbbrief", "export-pdf", "--date", "2022-12-01", "-o", name],
            cwd=tmp_path, env=env, check=True, capture_output=True,
        )  # fmt: skip
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_template_dir_overrides_and_extends_the_packaged_template(tmp_path: Path, run: Run) -> None:
    templates = tmp_path / "house"
    templates.mkdir()
    (templates / "brief.html.j2").write_text(
        '{% extends "wbbrief/brief.html.j2" %}'
        "{% block cover %}<section class='cover'><h1>ACME Institute briefing</h1></section>{% endblock %}"
    )
    out = tmp_path / "acme.html"
    result = run("export-html", "--template-dir", str(templates), "-o", str(out), "--date", "2022-12-01")
    assert result.exit_code == 0, result.stderr
    html = out.read_text()
    assert "ACME Institute briefing" in html and "At a glance" not in html
    assert "Establish a Western Balkans Security Forum (WBSF)" in html


def test_a_broken_template_is_one_line_and_exit_1(tmp_path: Path, run: Run) -> None:
    (tmp_path / "brief.html.j2").write_text("{{ no_such_variable }}")
    result = run("export-html", "--template-dir", str(tmp_path), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert "wbbrief: error: template error" in result.stderr and "no_such_variable" in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_failed_export_keeps_the_existing_brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"the brief from last week")
    monkeypatch.setattr(export, "_typeset", _broken_typeset)  # the forked typesetter inherits the patch
    result = run("export-pdf", "-o", str(out))
    assert result.exit_code == 1
    assert out.read_bytes() == b"the brief from last week"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def _broken_typeset(*args: object, **kwargs: object) -> bytes:
    raise RenderError("WeasyPrint could not render the brief: simulated")


@pytest.mark.parametrize("where", ["missing/brief.pdf", "afile/brief.pdf"])
def test_unwritable_output_is_one_line_and_exit_1(tmp_path: Path, run: Run, where: str) -> None:
    (tmp_path / "afile").write_text("not a folder")
    result = run("export-pdf", "-o", str(tmp_path / where))
    assert result.exit_code == 1
    assert result.stderr.startswith("wbbrief: error: cannot write to")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_bad_date_and_country_are_usage_errors(run: Run) -> None:
    assert run("export-pdf", "--date", "1/12/2022").exit_code == 2
    bad = run("export-pdf", "--country", "Narnia")
    assert bad.exit_code == 2 and "unknown country 'Narnia'" in bad.stderr


def test_country_all_writes_the_region_and_six_countries(tmp_path: Path, run: Run) -> None:
    result = run("export-pdf", "--country", "all", "-o", str(tmp_path), "--date", "2022-12-01")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert names == sorted(
        ["wb-security-brief-2022-12-01.pdf"]
        + [f"wb-security-brief-{c}-2022-12-01.pdf" for c in
           ("albania", "bosnia-and-herzegovina", "kosovo", "montenegro", "north-macedonia", "serbia")]
    )  # fmt: skip
    assert result.stdout.splitlines()[0].endswith("wb-security-brief-2022-12-01.pdf")
    kosovo = pypdf.PdfReader(tmp_path / "wb-security-brief-kosovo-2022-12-01.pdf")
    assert "Kosovo is an aspirant to NATO membership" in _text(kosovo)


def test_the_running_head_names_the_section_the_page_starts_in(regional: pypdf.PdfReader) -> None:
    # The notes begin below the operational recommendation: that page is still in section 4.
    page = next(p for p in regional.pages if "Reorient the Integrative" in (p.extract_text() or ""))
    text = page.extract_text() or ""
    assert "4. Conclusions and recommendations" in text  # the running head (the heading is a page back)
    assert text.count("Notes and sources") == 1  # the notes' own heading, not the running head as well
