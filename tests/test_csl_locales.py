"""The CSL locales wbbrief ships for the languages pandoc lacks (sq, mk, bs, cnr): every English term
translated, put into the style so that citeproc uses them, after any locale the style defines."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from html import unescape
from pathlib import Path
from xml.parsers import expat

import pytest
from typer.testing import Result

from wbbrief.base.errors import RenderError
from wbbrief.dataset.loading import load_bundle
from wbbrief.document.bibliography import default_style
from wbbrief.document.csllocale import SHIPPED, locale_file, localized_style, root_end
from wbbrief.document.parse import read_document
from wbbrief.render import brief
from wbbrief.render.html import render_page

Run = Callable[..., Result]
CSL = "{http://purl.org/net/xbiblio/csl}"
ENGLISH = Path(__file__).parent / "data" / "csl-locales-en-US.xml"

WORKS = [
    {
        "id": "book", "type": "book", "title": "Cooperative Security Revisited", "publisher": "Example Press",
        "author": [{"family": "Kovač", "given": "Ana"}, {"family": "Berisha", "given": "Driton"}],
        "editor": [{"family": "Petrović", "given": "Marko"}], "translator": [{"family": "Hoxha", "given": "Elira"}],
        "edition": "2", "issued": {"date-parts": [[2021]]},
    },
    {
        "id": "chapter", "type": "chapter", "title": "Regional Security Cooperation", "page": "285-304",
        "author": [{"family": n, "given": "A."} for n in ("Lika", "Novak", "Ristić", "Zeka")],
        "container-title": "Western Balkans Security", "volume": "3", "publisher": "Example Press",
        "editor": [{"family": "Petrović", "given": "Marko"}, {"family": "Hasani", "given": "Dea"}],
    },
    {
        "id": "web", "type": "webpage", "title": "Partnerships", "author": [{"literal": "NATO"}],
        "URL": "https://example.org/p", "accessed": {"date-parts": [[2026, 11, 30]]},
    },
]  # fmt: skip
BODY = "One [@book, 12].\n\nTwo [@chapter, 290].\n\nThree [@web].\n"
# What each language prints: in the notes, then in the References (the date as the briefs print it).
NATIVE = {
    "sq": (
        ["2-të bot., red. Marko Petrović, përkth. Elira Hoxha", "Lika dhe të tjerë",
         "në Western Balkans Security, vëll. 3", "(Example Press, p. d.), 290", "konsultuar më 30 nëntor 2026"],
        ["2-të bot. Redaktuar nga Marko Petrović. Përkthyer nga Elira Hoxha.",
         "redaktuar nga Marko Petrović dhe Dea Hasani", "Konsultuar më 30 nëntor 2026."],
    ),
    "mk": (
        ["2-ро изд., ур. Marko Petrović, прев. Elira Hoxha", "Lika и др.", "во Western Balkans Security, т. 3",
         "(Example Press, б. д.), 290", "пристапено на 30 ноември 2026 г."],
        ["2-ро изд. Под уредување на Marko Petrović. Во превод на Elira Hoxha.",
         "под уредување на Marko Petrović и Dea Hasani", "Пристапено на 30 ноември 2026 г."],
    ),
    "bs": (
        ["2. izd., ur. Marko Petrović, prev. Elira Hoxha", "Lika i dr.", "u Western Balkans Security, sv. 3",
         "(Example Press, b. d.), 290", "pristupljeno 30. novembar 2026, https"],
        ["2. izd. Ur. Marko Petrović. Prijevod: Elira Hoxha.", "ur. Marko Petrović i Dea Hasani",
         "Pristupljeno 30. novembar 2026."],
    ),
    "cnr": (
        ["2. izd., ur. Marko Petrović, prev. Elira Hoxha", "Lika i dr.", "u Western Balkans Security, t. 3",
         "(Example Press, b. d.), 290", "pristupljeno 30. novembar 2026, https"],
        ["2. izd. Ur. Marko Petrović. Prevod: Elira Hoxha.", "ur. Marko Petrović i Dea Hasani",
         "Pristupljeno 30. novembar 2026."],
    ),
}  # fmt: skip
# The terms of CSL's American English that the works above would print, and its month names.
ENGLISH_TERMS = re.compile(
    r"\b(?:and|ed|eds|edited|by|trans|translated|accessed|vol|in|In|et al|January|February|March|April|May|"
    r"June|July|August|September|October|November|December)\b|\bpp?\. \d|\bn\.d\.|\d(?:st|nd|rd|th)\b"
)


def memo(folder: Path, body: str = BODY, csl: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "refs.json").write_text(json.dumps(WORKS, ensure_ascii=False), encoding="utf-8")
    extra = ""
    if csl is not None:
        (folder / "mine.csl").write_text(csl, encoding="utf-8")
        extra = "csl: mine.csl\n"
    path = folder / "memo.md"
    path.write_text(f"---\ntitle: T\nbibliography: refs.json\n{extra}---\n\n{body}", encoding="utf-8")
    return path


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def notes_and_references(path: Path, lang: str) -> tuple[list[str], list[str]]:
    options = brief.BriefOptions(date=dt.date(2026, 1, 1), lang=lang)
    html = render_page(read_document(path), load_bundle(()), options, for_print=False)
    notes = [
        plain(re.sub(r'<a class="backref".*?</a>', "", n))
        for n in re.findall(r'<li id="note-\d+">(.*?)</li>', html, re.S)
    ]
    refs = re.search(r'<div class="references">(.*?)</div>', html, re.S)
    return notes, [plain(p) for p in re.findall(r"<p>(.*?)</p>", refs.group(1) if refs else "", re.S)]


def without_titles(text: str) -> str:
    """The text without the works' own titles and names (English words that are no CSL terms)."""
    for words in (
        "Cooperative Security Revisited",
        "Regional Security Cooperation",
        "Western Balkans Security",
        "Example Press",
    ):
        text = text.replace(words, "")
    return re.sub(r"https?://\S+", "", text)


# --- the files ------------------------------------------------------------------------------------


def keys(path: Path) -> set[tuple[str, str]]:
    terms = ET.parse(path).getroot().find(f"{CSL}terms")
    assert terms is not None
    return {(t.attrib["name"], t.get("form", "long")) for t in terms}


@pytest.mark.parametrize("tag", sorted(SHIPPED.values()))
def test_every_term_of_csls_american_english_is_translated(tag: str) -> None:
    root = ET.parse(locale_file(tag)).getroot()
    assert root.tag == f"{CSL}locale" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == tag
    missing = keys(ENGLISH) - keys(locale_file(tag))
    assert not missing, f"locales-{tag}.xml lacks {sorted(missing)}"
    english = {
        (t.attrib["name"], t.get("form", "long")): (t.text or "").strip()
        for t in ET.parse(ENGLISH).getroot().iter(f"{CSL}term")
    }
    ours = {(t.attrib["name"], t.get("form", "long")): (t.text or "").strip() for t in root.iter(f"{CSL}term")}
    for key in [
        ("accessed", "long"),
        ("and", "long"),
        ("et-al", "long"),
        ("in", "long"),
        ("no date", "short"),
        ("month-11", "long"),
    ]:
        assert ours[key] and ours[key] != english[key]


# --- what a memo prints ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(SHIPPED))
def test_notes_and_references_print_the_languages_own_terms(tmp_path: Path, lang: str) -> None:
    notes, references = notes_and_references(memo(tmp_path), lang)
    text = " | ".join(notes + references)
    for wanted in NATIVE[lang][0]:
        assert any(wanted in note for note in notes), (wanted, notes)
    for wanted in NATIVE[lang][1]:
        assert any(wanted in ref for ref in references), (wanted, references)
    assert not ENGLISH_TERMS.findall(without_titles(text)), text


@pytest.mark.parametrize("lang", ["sq", "mk", "cnr"])
def test_word_prints_the_same_terms_in_its_footnotes_and_references(tmp_path: Path, run: Run, lang: str) -> None:
    path = memo(tmp_path)
    out = tmp_path / "memo.docx"
    assert run("render", str(path), "--lang", lang, "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        footnotes = plain(archive.read("word/footnotes.xml").decode("utf-8"))
        body = plain(re.sub(r"</w:p>", " ", archive.read("word/document.xml").decode("utf-8")))
    for wanted in NATIVE[lang][0]:
        assert wanted in footnotes, (wanted, footnotes)
    for wanted in NATIVE[lang][1]:
        assert wanted in body, (wanted, body)
    assert not ENGLISH_TERMS.findall(without_titles(footnotes)), footnotes


def test_english_and_croatian_keep_pandocs_own_locales(tmp_path: Path) -> None:
    notes, _ = notes_and_references(memo(tmp_path), "en")
    assert "accessed November 30, 2026" in notes[2]
    notes, _ = notes_and_references(memo(tmp_path / "hr"), "hr")
    assert "pristupljeno 30. studeni 2026." in notes[2]


# --- the style's own locales win ------------------------------------------------------------------

THEIRS = """<locale xml:lang="bs"><terms><term name="editor" form="verb-short">prir.</term></terms></locale>
  <locale><terms><term name="accessed">posjećeno</term>
    <term name="no date" form="short">bez god.</term></terms></locale>
  <locale xml:lang="sq"><terms><term name="et-al">e të tjerë</term></terms></locale>
"""


@pytest.mark.parametrize(
    ("lang", "wanted", "kept"),
    [
        ("bs", ["prir. Marko Petrović", "posjećeno 30. novembar 2026,", "(Example Press, bez god.)"], "Lika i dr."),
        ("sq", ["Lika e të tjerë", "posjećeno 30 nëntor 2026", "(Example Press, bez god.)"], "red. Marko Petrović"),
        ("mk", ["posjećeno 30 ноември 2026 г.", "(Example Press, bez god.)"], "Lika и др."),
    ],
)
def test_a_locale_in_the_users_style_wins_term_by_term(tmp_path: Path, lang: str, wanted: list[str], kept: str) -> None:
    style = default_style().read_text(encoding="utf-8").replace("</info>", "</info>\n  " + THEIRS, 1)
    notes, _ = notes_and_references(memo(tmp_path, csl=style), lang)
    text = " | ".join(notes)
    for term in wanted:
        assert term in text, (term, text)
    assert kept in text  # ours fill in what theirs leave out


# --- injecting the locale into an untrusted style -------------------------------------------------

SMALL = """<?xml version="1.0" encoding="{encoding}"?>
<cs:style xmlns:cs="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <cs:info><cs:title>mine</cs:title><cs:id>mine</cs:id></cs:info>
  <!-- </cs:style> </style> -->
  <cs:citation><cs:layout><cs:text variable="title"/><cs:text term="accessed" prefix=", "/>
    <cs:date variable="accessed" form="text" prefix=" "/><cs:text value="&lt;/style&gt;]]&gt;" prefix=" "/>
  </cs:layout></cs:citation>
</cs:style>
<!-- </style> after the root -->
"""


def test_the_locale_goes_in_at_the_roots_own_end_tag(tmp_path: Path) -> None:
    path = tmp_path / "mine.csl"
    raw = b"\xef\xbb\xbf" + SMALL.format(encoding="ISO-8859-1").encode("utf-8")
    path.write_bytes(raw)
    at = root_end(raw, path)
    assert raw[at:].startswith(b"</cs:style>\n<!-- </style> after")
    made = localized_style(path, "mk-MK", tmp_path).read_bytes()
    assert made.startswith(raw[:at]) and made.endswith(raw[at:])
    ours = made[at : len(made) - len(raw[at:])]
    assert ours.isascii() and b"&#1087;" in ours  # Cyrillic as character references, whatever the encoding
    children: list[tuple[int, str, str | None]] = []
    depth = 0
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth == 2:
            children.append((depth, name, attrs.get("http://www.w3.org/XML/1998/namespace lang")))

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(made, True)
    locale = "http://purl.org/net/xbiblio/csl locale"
    assert [c[1:] for c in children[-2:]] == [("http://purl.org/net/xbiblio/csl citation", None), (locale, "mk")]
    assert path.read_bytes() == raw  # the user's file is left as it was


def test_a_prefixed_style_with_end_tags_in_comments_formats_in_the_language(tmp_path: Path) -> None:
    notes, _ = notes_and_references(memo(tmp_path, "Three [@web].\n", csl=SMALL.format(encoding="utf-8")), "mk")
    assert notes == ["Partnerships, пристапено на 30 ноември 2026 г. </style>]]>"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'\n<!DOCTYPE x><style xmlns="http://purl.org/net/xbiblio/csl"/>', ":2:1: a DOCTYPE or entity is not allowed"),
        (b'<style xmlns="http://purl.org/net/xbiblio/csl"/>', ":1:1: not a CSL style .its root has no end tag"),
        (
            b'<style xmlns="http://purl.org/net/xbiblio/csl">' + b"<g>" * 40 + b"</g>" * 40 + b"</style>",
            ":1:141: .* nested",
        ),
        (b"<style><x></style>", ":1:13: not valid XML: mismatched tag"),
    ],
    ids=["doctype", "empty-root", "deep", "broken"],
)
def test_a_style_that_changed_since_it_was_checked_is_still_refused(tmp_path: Path, text: bytes, message: str) -> None:
    path = tmp_path / "mine.csl"
    path.write_bytes(text)
    with pytest.raises(RenderError, match=message):
        localized_style(path, "sq-AL", tmp_path)


@pytest.mark.parametrize(
    ("lang", "editions"),
    [
        (
            "sq",
            [
                "1-rë bot.",
                "2-të bot.",
                "4-t bot.",
                "11-të bot.",
                "14-të bot.",
                "21-të bot.",
                "24-t bot.",
                "101-të bot.",
            ],
        ),
        (
            "mk",
            [
                "1-во изд.",
                "2-ро изд.",
                "4-то изд.",
                "11-то изд.",
                "14-то изд.",
                "21-во изд.",
                "24-то изд.",
                "101-во изд.",
            ],
        ),
        ("bs", ["1. izd.", "2. izd.", "4. izd.", "11. izd.", "14. izd.", "21. izd.", "24. izd.", "101. izd."]),
    ],
)
def test_an_edition_is_numbered_as_the_language_numbers_it(tmp_path: Path, lang: str, editions: list[str]) -> None:
    numbers = (1, 2, 4, 11, 14, 21, 24, 101)
    works = [{"id": f"e{n}", "type": "book", "title": f"T{n}", "edition": str(n)} for n in numbers]
    (tmp_path / "refs.json").write_text(json.dumps(works), encoding="utf-8")
    path = tmp_path / "memo.md"
    body = " ".join(f"X [@e{n}]." for n in numbers)
    path.write_text(f"---\ntitle: T\nbibliography: refs.json\n---\n\n{body}\n", encoding="utf-8")
    notes, _ = notes_and_references(path, lang)
    assert [note.split(", ")[1].split(" (")[0] for note in notes] == editions


def test_pandoc_reads_a_copy_of_the_style_that_is_removed_after_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from wbbrief.document import citeproc

    seen: list[tuple[list[str], bytes]] = []
    real = subprocess.run

    def spy(argv: list[str], **kwargs: object) -> object:
        csl = Path(next(a for a in argv if a.startswith("--csl=")).split("=", 1)[1])
        seen.append((list(argv), csl.read_bytes()))
        return real(argv, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(citeproc.subprocess, "run", spy)
    notes_and_references(memo(tmp_path, "Three [@web] again.\n"), "sq")
    [(argv, style)] = seen
    csl = Path(next(a for a in argv if a.startswith("--csl=")).split("=", 1)[1])
    assert "--sandbox" in argv and csl.parent.name.startswith("wbbrief-csl-") and not csl.parent.exists()
    assert (
        style.startswith(default_style().read_bytes()[:1000])
        and b'<locale xmlns="http://purl.org/net/xbiblio/csl" version="1.0" xml:lang="sq">' in style
    )
    assert [a for a in argv if a.startswith("--bibliography=")] == [
        f"--bibliography={(tmp_path / 'refs.json').resolve()}"
    ]
