"""A bracketed citation wrapped across the lines of its paragraph is one citation, as pandoc reads it
(a soft line break is a space): for check (each key located on its own line), HTML, PDF and Word."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from test_citations import endnotes, html_of, problems, write
from wbbrief.document import tree as t
from wbbrief.document.citations import scan
from wbbrief.document.parse import read_document

Run = Callable[..., Result]
WRAPPED = "As argued [see @klemenc2021, pp. 290–291;\n@evans1994, ch.\n2], cooperation grows.\n"


def test_a_citation_across_two_lines_is_read_whole() -> None:
    found = scan("as argued [@smith2020, pp. 3-4;\n@jones2021] and [see\n@a]")
    assert [f.citations for f in found] == [
        (t.Citation("smith2020", locator="pp. 3-4"), t.Citation("jones2021")),
        (t.Citation("a", prefix="see"),),
    ]
    assert found[0].cite("as argued [@smith2020, pp. 3-4;\n@jones2021]").text == "[@smith2020, pp. 3-4; @jones2021]"


def test_each_key_of_a_wrapped_citation_is_located_on_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "Intro.\n\n" + WRAPPED)  # the body starts on line 6
    sites = read_document(path).citations
    assert [(k.text, k.position.line, k.position.col) for s in sites for k in s.keys] == [
        ("klemenc2021", 8, 17), ("evans1994", 9, 2),
    ]  # fmt: skip
    assert [(s.text, s.position.line, s.position.col) for s in sites] == [
        ("[see @klemenc2021, pp. 290–291; @evans1994, ch. 2]", 8, 11),
    ]  # one citation, from its '['
    assert problems(path) == []


def test_checks_message_points_at_the_key_on_the_next_line_of_a_quote(tmp_path: Path) -> None:
    path = write(tmp_path, "> As argued [@klemenc2021;\n>   @evans1994; @evans1995],\n> it grows.\n")
    assert [s.text for s in read_document(path).citations] == ["[@klemenc2021; @evans1994; @evans1995]"]
    assert problems(path) == [
        "d.md:7:18: error: unknown citation key '@evans1995'; did you mean '@evans1994'?",
    ]


def test_a_message_about_a_wrapped_citation_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("---\ntitle: T\n---\n\nAs [@a;\n@b] shows.\n", encoding="utf-8")
    assert problems(path) == [
        "d.md:5:4: error: citation '[@a; @b]' but the front matter names no 'bibliography:' file; "
        "write '\\@' for an '@' that cites nothing"
    ]


def test_html_formats_a_wrapped_citation_as_one_note(tmp_path: Path) -> None:
    html = html_of(write(tmp_path, WRAPPED))
    assert "[see" not in html and "@evans1994" not in html
    notes = endnotes(html)
    assert len(notes) == 1, notes  # one citation, one note, both works in it
    assert "Klemenc" in notes[0] and "290" in notes[0] and "Evans" in notes[0]
    assert re.search(r'<p>As argued,<a class="noteref"[^>]*><sup>1</sup></a> cooperation grows.</p>', html)


def test_a_soft_break_outside_a_citation_stays_a_break(tmp_path: Path) -> None:
    html = html_of(write(tmp_path, "As [@evans1994]\nshows, it\ngrows.\n"))
    assert "</a>\nshows, it\ngrows.</p>" in html


def test_word_has_a_wrapped_citation_as_one_footnote(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, WRAPPED)
    assert run("render", str(path), "-o", str(tmp_path / "d.docx")).exit_code == 0
    with zipfile.ZipFile(tmp_path / "d.docx") as archive:
        body = re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode("utf-8"))
        footnotes = re.sub(r"<[^>]+>", "", archive.read("word/footnotes.xml").decode("utf-8"))
    assert "@evans1994" not in body and "[see" not in body
    assert "Klemenc" in footnotes and "Evans" in footnotes
