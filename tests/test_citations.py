"""Citations of the world's literature (issue 18): pandoc's citation syntax, a bibliography checked
without pandoc, notes and a References section formatted by pandoc's citeproc, outside numbers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from wbbrief.base import limits
from wbbrief.dataset.loading import load_bundle
from wbbrief.document import tree as t
from wbbrief.document.bibliography import read_keys, read_style
from wbbrief.document.check import check_document
from wbbrief.document.citations import scan
from wbbrief.document.figures import load_index
from wbbrief.document.parse import read_document
from wbbrief.render import brief
from wbbrief.render.html import render_page

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[1]
MEMO = ROOT / "docs" / "examples" / "memo"

BIB = r"""% works for the tests
@string{es = {European Security}}

@comment{ an entry that is no entry: @book{ghost, title = {x}} }

@article{klemenc2021,
  author = {Klemenc, J. and Hrabálek, M. and Đorđević, V.},
  title = {Regional security cooperation revisited: the {Western} {Balkans} as the future security provider},
  journaltitle = es,
  volume = {30}, number = "2", pages = {285--304},
  date = {2021},
}

@book{evans1994,
  author = {Evans, G.},
  title = {Cooperative Security and Intrastate Conflict},
  publisher = {Foreign Policy},
  year = 1994,
}
"""
HEAD = "---\ntitle: T\nbibliography: refs.bib\n{extra}---\n\n"


def write(tmp_path: Path, body: str, bib: str = BIB, extra: str = "") -> Path:
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    path = tmp_path / "d.md"
    path.write_text(HEAD.format(extra=extra) + body, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return [str(d).replace(f"{path.parent}/", "") for d in check_document(read_document(path), load_index(()), "d.md")]


def html_of(path: Path, lang: str | None = None) -> str:
    options = brief.BriefOptions(date=dt.date(2026, 1, 1), lang=lang)
    return render_page(read_document(path), load_bundle(()), options, for_print=False)


def text_of(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def plain(html: str) -> str:
    """Text without its tags (which, as in the page, add no space)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def endnotes(html: str) -> list[str]:
    found = re.findall(r'<li id="note-\d+">(.*?)</li>', html, re.S)
    return [plain(re.sub(r'<a class="backref".*?</a>', "", n)) for n in found]  # without the back-link


# --- the syntax -----------------------------------------------------------------------------------


def test_every_citation_form_is_read_as_pandoc_reads_it() -> None:
    text = (
        "A [@a]. B [@b, p. 12]. C [see @a, pp. 33–35, emphasis added; @b]. D @c says. E @c [p. 4]. F [-@d]. G @{x y}."
    )
    found = [f.citations for f in scan(text)]
    assert found == [
        (t.Citation("a"),),
        (t.Citation("b", locator="p. 12"),),
        (t.Citation("a", prefix="see", locator="pp. 33–35", suffix=", emphasis added"), t.Citation("b")),
        (t.Citation("c", "AuthorInText"),),
        (t.Citation("c", "AuthorInText", locator="p. 4"),),
        (t.Citation("d", "SuppressAuthor"),),
        (t.Citation("x y", "AuthorInText"),),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "write to jane@example.org",
        "see https://medium.com/@jane",
        "`[@a]` in code",
        "an escaped \\@a",
        "a link [text](https://x.org/@a)",
        "[no key]",
    ],
)
def test_what_is_no_citation(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text + "\n")
    assert read_document(path).citations == []


def test_a_citation_is_located_at_its_key(tmp_path: Path) -> None:
    path = write(tmp_path, "Intro.\n\nAs seen [see @evans1994; @klemenc2021, p. 290].\n")
    sites = read_document(path).citations
    assert [(k.text, k.position.line, k.position.col) for s in sites for k in s.keys] == [
        ("evans1994", 8, 15), ("klemenc2021", 8, 27),
    ]  # fmt: skip


# --- check ----------------------------------------------------------------------------------------


def test_an_unknown_key_is_an_error_with_a_hint_and_an_unused_entry_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "As [@klemenc2012] shows.\n")
    assert problems(path) == [
        "d.md:6:6: error: unknown citation key '@klemenc2012'; did you mean '@klemenc2021'?",
        "refs.bib:6:10: warning: 'klemenc2021' is in the bibliography but the document never cites it",
        "refs.bib:14:7: warning: 'evans1994' is in the bibliography but the document never cites it",
    ]


def test_a_clean_document_citing_every_work_has_no_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "As [@klemenc2021, p. 290] and @evans1994 show.\n")
    assert problems(path) == []


@pytest.mark.parametrize(
    ("bib", "where", "message"),
    [
        ("@book{a, title = {x}\n\n@book{b, title = {y}}", "1:1", "the entry is never closed"),
        ("@book{a, title = {x}}\n@book{b title = {y}}", "2:7", "the @book entry has no key"),
        ("@book{a,\n  title = {x},\n  year = 1994 extra}", "3:15", "expected a field"),
        ("@book{a, title = {x {y}", "1:18", "this brace is never closed"),
        ('@book{a, title = "x\n}', "1:18", "this quotation mark is never closed"),
        ("@book{a, title = " + "{" * 40 + "}" * 40 + "}", "1:50", "braces nested more than 32 levels deep"),
    ],
    ids=["unclosed-entry", "no-key", "bad-field", "unclosed-brace", "unclosed-quote", "deep"],
)
def test_a_broken_bib_file_is_an_error_at_its_own_line(tmp_path: Path, bib: str, where: str, message: str) -> None:
    path = write(tmp_path, "As [@a].\n", bib=bib)
    found = problems(path)
    assert len(found) == 1 and found[0].startswith(f"refs.bib:{where}: error: ") and message in found[0], found


def test_csl_json_and_csl_yaml_keys_are_read_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('[\n  {"id": "one", "type": "book"},\n  {"id": "two"}\n]', encoding="utf-8")
    (tmp_path / "b.yaml").write_text("references:\n- id: three\n  type: book\n- id: four\n", encoding="utf-8")
    assert {k: (p.line, p.col) for k, p in read_keys(tmp_path / "a.json").items()} == {"one": (2, 4), "two": (3, 4)}
    assert {k: (p.line, p.col) for k, p in read_keys(tmp_path / "b.yaml").items()} == {"three": (2, 7), "four": (4, 7)}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.json", "[" * 100 + "]" * 100, "a.json:1:33: nested more than 32 levels deep"),
        ("a.json", '[{"id": "x",}]', "a.json:1:13: not valid CSL-JSON"),
        ("b.yaml", "- &a {id: x}\n- *a\n", "b.yaml:1:3: YAML anchors and aliases are not allowed"),
        ("b.yaml", "- id: x\n  title: [\n", "b.yaml:3:1: not valid YAML"),
    ],
    ids=["json-deep", "json-syntax", "yaml-alias", "yaml-syntax"],
)
def test_hostile_csl_json_and_yaml_are_refused_at_their_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=re.escape(str(tmp_path / message))):
        read_keys(tmp_path / name)


def test_a_citation_without_a_bibliography_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("---\ntitle: T\n---\n\nAs [@a] shows.\n", encoding="utf-8")
    assert problems(path) == [
        "d.md:5:4: error: citation '[@a]' but the front matter names no 'bibliography:' file; "
        "write '\\@' for an '@' that cites nothing"
    ]


def test_front_matter_bibliography_and_csl_stay_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    path = tmp_path / "d.md"
    path.write_text("---\nbibliography: [../refs.bib, x.txt]\ncsl: x.txt\n---\n\nText.\n", encoding="utf-8")
    found = problems(path)
    assert "d.md:2:16: error: bibliography: '../refs.bib' leads outside the document's folder" in found
    assert (
        "d.md:2:15: error: bibliography: each file must be a .bib (BibTeX), .json (CSL-JSON) or .yaml (CSL-YAML) file"
        in found
    )
    assert "d.md:3:6: error: csl: 'x.txt' is not a CSL style file (.csl)" in found


CITE_A_FIGURE = "cite a figure with {stat}`figure-id`"


# --- outside numbers ------------------------------------------------------------------------------


def test_a_number_followed_by_a_citation_in_its_sentence_is_sourced(tmp_path: Path) -> None:
    body = (
        "NATO asks its members to spend 2% of GDP [@evans1994, p. 3]. "
        "Intra-regional trade is 20% of exports.[@klemenc2021] "
        "But 45% is typed by hand [@evans1994] and 7% after it.\n"
    )
    found = [p for p in problems(write(tmp_path, body)) if "hand" in p]
    assert found == [
        "d.md:6:158: error: number typed by hand: '7%' (no loaded figure has this value); " + CITE_A_FIGURE
    ]


def test_without_its_citation_an_outside_number_is_an_error_again(tmp_path: Path) -> None:
    body = "NATO asks its members to spend 2% of GDP. As @evans1994 and [@klemenc2021] say.\n"
    assert [p for p in problems(write(tmp_path, body)) if "hand" in p] == [
        "d.md:6:32: error: number typed by hand: '2%' (no loaded figure has this value); " + CITE_A_FIGURE
    ]


# --- formatting: notes, References, styles, languages ---------------------------------------------


def test_citations_are_notes_numbered_with_the_survey_notes_first_full_then_short(tmp_path: Path) -> None:
    body = (
        "As [@klemenc2021, p. 290] argues, {stat}`asb-threat-first-corruption` name corruption. "
        "@evans1994 wrote. Again [@klemenc2021, p. 291].\n"
    )
    html = html_of(write(tmp_path, body))
    prose = text_of(html.split('<h2 id="references">')[0].split("</nav>", 1)[1])
    assert "As 1 argues, 39.3% 2 name corruption. G. Evans 3 wrote. Again. 4" in prose
    notes = endnotes(html)
    assert notes[0].startswith("J. Klemenc et al., “Regional Security Cooperation Revisited")  # full, first
    assert notes[0].endswith("European Security 30, no. 2 (2021): 290.")
    assert notes[1].startswith("Dyrmishi. A. (2022). Albanian Security Barometer")  # the survey's, in its place
    assert notes[2] == "Cooperative Security and Intrastate Conflict (Foreign Policy, 1994)."  # author in the text
    assert notes[3] == "Klemenc et al., “Regional Security Cooperation Revisited,” 291."  # short, subsequent
    assert "<em>European Security</em>" in html  # the style's italics, from pandoc's AST
    references = plain(html.split('<h2 id="references">')[1].split('<h2 id="notes">')[0])
    assert references == (
        "References Evans, G. Cooperative Security and Intrastate Conflict. Foreign Policy, 1994. "
        "Klemenc, J., M. Hrabálek, and V. Đorđević. “Regional Security Cooperation Revisited: The Western Balkans "
        "as the Future Security Provider.” European Security 30, no. 2 (2021): 285–304."
    )


AUTHOR_DATE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Test author-date</title><id>test</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=", "><text variable="title"/><date variable="issued"><date-part name="year"/></date>
      <text variable="locator"/></group>
    </layout>
  </citation>
  <bibliography>
    <layout><text variable="title" font-style="italic"/><text value=" [test style]"/></layout>
  </bibliography>
</style>
"""


def test_the_csl_key_switches_the_style(tmp_path: Path) -> None:
    (tmp_path / "mine.csl").write_text(AUTHOR_DATE, encoding="utf-8")
    path = write(tmp_path, "As [@klemenc2021, p. 290; @evans1994] shows.\n", extra="csl: mine.csl\n")
    html = html_of(path)
    assert (
        "<p>As (Regional security cooperation revisited: The Western Balkans as the future security provider, "
        "2021, 290; Cooperative security and intrastate conflict, 1994) shows.</p>"
    ) in html
    assert endnotes(html) == []  # an in-text style makes no notes
    assert "<p><em>Cooperative security and intrastate conflict</em> [test style]</p>" in html


@pytest.mark.parametrize(
    ("lang", "title", "term"),
    [("hr", "Literatura", "izd. 2"), ("sr-Latn", "Literatura", "izd. 2"), ("sr-Cyrl", "Литература", "изд. 2")],
)
def test_references_and_notes_in_the_documents_language(tmp_path: Path, lang: str, title: str, term: str) -> None:
    html = html_of(write(tmp_path, "As [@klemenc2021] and [@evans1994] show.\n"), lang)
    assert f'<h2 id="references">{title}</h2>' in html
    notes = endnotes(html)
    assert term in notes[0]
    if lang == "sr-Latn":  # the Serbian locale, in Latin script
        assert not re.search("[\u0400-\u04ff]", " ".join(notes))


def test_references_in_pdf_and_word(tmp_path: Path, run: Run) -> None:
    memo = tmp_path / "memo"
    shutil.copytree(MEMO, memo)
    assert run("check", "--strict", str(memo / "brief.md")).exit_code == 0
    assert run("render", str(memo / "brief.md"), "-o", str(tmp_path / "m.docx")).exit_code == 0
    assert run("render", str(memo / "brief.md"), "-o", str(tmp_path / "m.pdf")).exit_code == 0
    import docx
    import pypdf

    word = docx.Document(str(tmp_path / "m.docx"))
    paragraphs = [p.text for p in word.paragraphs]
    assert "References" in paragraphs
    assert any(p.startswith("Klemenc, J., M. Hrabálek, and V. Đorđević.") for p in paragraphs)
    import zipfile

    with zipfile.ZipFile(tmp_path / "m.docx") as archive:
        footnotes = re.sub(r"<[^>]+>", "", archive.read("word/footnotes.xml").decode("utf-8"))
    assert "J. Klemenc et al., “Regional Security Cooperation Revisited" in footnotes  # a real footnote
    pdf = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "m.pdf").pages)
    assert "References" in pdf and "Klemenc" in pdf and "more than 40 countries" in pdf


# --- safety ---------------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE style [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><title>&b;</title></info></style>
"""


@pytest.mark.parametrize(
    ("style", "message"),
    [
        (BILLION_LAUGHS, "mine.csl:2:1: a DOCTYPE or entity is not allowed in a style"),
        ("<style><unclosed></style>", "mine.csl:1:20: not valid XML: mismatched tag; nothing written"),
        ("<x/>", "mine.csl:1:1: not a CSL style"),
        (
            '<style xmlns="http://purl.org/net/xbiblio/csl">' + "<g>" * 40 + "</g>" * 40 + "</style>",
            "nested more than 32",
        ),
    ],
    ids=["entities", "broken", "not-csl", "deep"],
)
def test_a_hostile_style_is_a_one_line_error_and_nothing_is_written(
    tmp_path: Path, run: Run, style: str, message: str
) -> None:
    (tmp_path / "mine.csl").write_text(style, encoding="utf-8")
    path = write(tmp_path, "As [@klemenc2021] and [@evans1994] show.\n", extra="csl: mine.csl\n")
    result = run("render", str(path), "-o", str(tmp_path / "out.html"))
    assert result.exit_code == 1 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out.html").exists()
    assert "Traceback" not in result.stderr


def test_an_oversized_bibliography_is_refused_before_it_is_read(tmp_path: Path, run: Run) -> None:
    entry = "@book{big, title = {" + "x" * limits.BIBLIOGRAPHY_BYTES + "}}\n"
    path = write(tmp_path, "As [@big] shows.\n", bib=entry)
    result = run("render", str(path), "-o", str(tmp_path / "out.html"))
    assert result.exit_code == 1 and not (tmp_path / "out.html").exists()
    assert "refs.bib:1:1: the bibliography is larger than the limit of 5 MB" in result.stderr


def test_a_dependent_style_is_refused_and_nothing_is_fetched(tmp_path: Path) -> None:
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        dependent = (
            '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><title>d</title>'
            f'<link href="{url}/parent.csl" rel="independent-parent"/></info></style>'
        )
        (tmp_path / "dep.csl").write_text(dependent, encoding="utf-8")
        with pytest.raises(Exception, match="a dependent style"):
            read_style(tmp_path / "dep.csl")
        bib = BIB.replace("year = 1994,", f"year = 1994, url = {{{url}/entry}},")
        html = html_of(write(tmp_path, "As [@klemenc2021] and [@evans1994] show.\n", bib=bib))
        assert f"{url}/entry" in html  # a URL in an entry is text (and a link), never loaded
    finally:
        server.shutdown()
    assert asked == []


def test_pandoc_runs_sandboxed_with_only_the_listed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from wbbrief.document import citeproc

    seen: list[list[str]] = []
    real = subprocess.run

    def spy(argv: list[str], **kwargs: object) -> object:
        seen.append(list(argv))
        return real(argv, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(citeproc.subprocess, "run", spy)
    html_of(write(tmp_path, "As [@klemenc2021] and [@evans1994] show.\n"))
    [argv] = seen
    files = [a.split("=", 1)[1] for a in argv if a.startswith(("--csl=", "--bibliography="))]
    assert "--sandbox" in argv
    assert files == [str(read_style(None).path), str((tmp_path / "refs.bib").resolve())]


def test_the_guide_shows_the_shipped_memo_and_its_bibliography() -> None:
    guide = (ROOT / "docs" / "guide" / "citations.md").read_text(encoding="utf-8")
    shown = re.search(r"````markdown\n(.*?)````", guide, re.S)
    bib = re.search(r"```bibtex\n(.*?)```", guide, re.S)
    assert shown and shown.group(1) == (MEMO / "brief.md").read_text(encoding="utf-8")
    assert bib and bib.group(1) == (MEMO / "references.bib").read_text(encoding="utf-8")


_PIECES = st.sampled_from(
    ["[@a]", "[@b, p. 3]", "[see @a; @b]", "@c", "@c [p. 2]", "[-@d]", "x@y.org", "`@e`", "[", "]", "@", " ", "word",
     ".", ";", ",", "*em*", "\\@f", "[text](https://x.org)", "{stat}`asb-threat-first-corruption`",
     "https://medium.com/@g ", "<https://x.org/@h>"]  # a URL typed as text ends at a space
)  # fmt: skip


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=14))
def test_check_and_the_tree_see_the_same_citations(tmp_path: Path, pieces: list[str]) -> None:
    """What check locates (parse, over masked text) is what the tree formats (inlines, over text tokens)."""
    from wbbrief.document.inlines import Reader

    text = "".join(pieces)
    path = tmp_path / "p.md"
    path.write_text(f"---\ntitle: T\n---\n\n{text}\n", encoding="utf-8")
    document = read_document(path)
    in_check = [k.text for site in document.citations for k in site.keys]
    made: list[str] = []

    def cite(c: t.Cite) -> list[t.Inline]:
        made.extend(x.key for x in c.citations)
        return [c]

    reader = Reader(document, lambda name, target: [t.Text(target)], cite)
    reader.blocks(document.tokens)
    assert made == in_check


def test_a_serbian_latin_document_rendered_in_cyrillic_keeps_its_keys(tmp_path: Path, run: Run) -> None:
    body = "NATO ima partnere.[@evans1994] Vidi [@klemenc2021, str. 290].\n"
    path = write(tmp_path, body, extra="lang: sr-Latn\n")
    assert run("render", str(path), "-l", "sr-Cyrl", "-o", str(tmp_path / "b.html")).exit_code == 0
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "<p>НАТО има партнере.<a" in html  # the prose transliterated, the keys kept
    assert "European Security</em> 30, изд. 2 (2021): 290." in html  # 'стр.' read as the page's label


def test_checks_json_names_the_bibliography_of_its_problems(tmp_path: Path, run: Run) -> None:
    import json

    path = write(tmp_path, "As [@klemenc2021] shows.\n")
    result = run("check", str(path), "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    assert [(p.get("file"), p["line"], p["code"]) for p in problems] == [
        (str(tmp_path / "refs.bib"), 14, "unused-citation")
    ]


def test_pandoc_runs_once_while_only_the_prose_changes(tmp_path: Path) -> None:
    import os

    from wbbrief.document import citeproc

    path = write(tmp_path, "As [@klemenc2021] and [@evans1994] show.\n")
    before = citeproc.COST["calls"]
    html_of(path)
    path.write_text(path.read_text(encoding="utf-8").replace("show.", "showed."), encoding="utf-8")
    assert "showed." in html_of(path)
    assert citeproc.COST["calls"] == before + 1  # the same citations: formatted once
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB.replace("Foreign Policy", "Foreign Affairs"), encoding="utf-8")
    os.utime(bib, ns=(bib.stat().st_mtime_ns + 10**9,) * 2)
    assert "Foreign Affairs" in html_of(path)  # the bibliography changed: formatted again
    assert citeproc.COST["calls"] == before + 2
