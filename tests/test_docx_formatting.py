"""Formatting that reaches Word (render.word): a title citeproc sets in italics stays in italics in
the footnote and the References, as on the page; an author's emphasis and bold too. The works cited
here are the paper's own (its footnote 8); the prose is a FICTIONAL test document."""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from typer.testing import Result

from wbbrief.document import tree as t
from wbbrief.render import word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BIB = """@book{evans1994,
  author = {Evans, G.},
  title = {Cooperative Security and Intrastate Conflict},
  publisher = {Foreign Policy},
  year = 1994,
}
"""
TITLE = "Cooperative Security and Intrastate Conflict"


def runs(xml: bytes) -> list[tuple[str, bool, bool]]:
    """Each run of text: its text, whether it is italic, whether it is bold."""
    out = []
    for run in ElementTree.fromstring(xml).iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if text:
            out.append((text, run.find(f"{W}rPr/{W}i") is not None, run.find(f"{W}rPr/{W}b") is not None))
    return out


def test_a_cited_books_title_is_italic_in_its_footnote_and_the_references(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    source = tmp_path / "d.md"
    source.write_text(
        "---\ntitle: T\nbibliography: refs.bib\n---\n\n## A\n\nCooperation is older than the survey.[@evans1994]\n",
        encoding="utf-8",
    )
    result = run("render", str(source), "-o", str(tmp_path / "d.docx"))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "d.docx") as archive:
        footnotes, body = archive.read("word/footnotes.xml"), archive.read("word/document.xml")
    in_note = runs(footnotes)
    assert (TITLE, True, False) in in_note  # Chicago's note: 'G. Evans, *Cooperative Security ...* (...)'
    assert any(text.startswith("G. Evans") and not italic for text, italic, _ in in_note)
    in_body = runs(body)
    assert (TITLE, True, False) in in_body  # the References entry
    assert not any(italic for text, italic, _ in in_body if "older than the survey" in text)


def brief(*blocks: t.Block, notes: tuple[t.Note, ...] = ()) -> t.Brief:
    return t.Brief(t.Meta("t", "", "", datetime.date(2022, 1, 1), "", "en", "", ""), blocks, notes)


def test_emphasis_bold_and_struck_text_keep_their_formatting() -> None:
    para = t.Para((
        t.Text("a "), t.Emph((t.Text("b "), t.Strong((t.FigureValue("f", "12%"),)))), t.Strikeout((t.Text("c"),)),
        t.Strong(()),
    ))  # fmt: skip
    [written] = word.write(brief(para)).ast["blocks"]
    assert written["c"] == [
        {"t": "Str", "c": "a "},
        {"t": "Emph", "c": [{"t": "Str", "c": "b "}, {"t": "Strong", "c": [{"t": "Str", "c": "12%"}]}]},
        {"t": "Strikeout", "c": [{"t": "Str", "c": "c"}]},
    ]  # an empty one left out


def test_a_formatted_note_keeps_its_formatting_on_one_line() -> None:
    content = (t.Text("\n G. Evans, "), t.Emph((t.Text("Cooperative\nSecurity"),)), t.Text(" (1994). \n"))
    plain = t.Note(1, "Survey, p. 7.\nCited in the paper's footnote 8.", "Survey")
    formatted = t.Note(2, "G. Evans, Cooperative Security (1994).", "evans1994", literature=True, content=content)
    para = t.Para((t.Text("x"), t.NoteRef((1, 2))))
    [written] = word.write(brief(para, notes=(plain, formatted))).ast["blocks"]
    first, second = ([block["c"] for block in note["c"]] for note in written["c"][1:])
    assert first == [[{"t": "Str", "c": "Survey, p. 7. Cited in the paper's footnote 8."}]]
    assert second == [[
        {"t": "Str", "c": "G. Evans, "}, {"t": "Emph", "c": [{"t": "Str", "c": "Cooperative Security"}]},
        {"t": "Str", "c": " (1994)."},
    ]]  # fmt: skip
