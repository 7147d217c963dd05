"""Notes a reader can bear (issue 18): first notes full, later ones short, notes at one place merged,
in reading order, the same in Word and on the page, with nothing lost."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from wbbrief.dataset.loading import load_bundle
from wbbrief.document import tree as t
from wbbrief.document.compose import bundled_document, compose
from wbbrief.document.composer import Composer
from wbbrief.document.notestyle import restyle
from wbbrief.document.options import BriefOptions, page_options
from wbbrief.document.parse import parse_document
from wbbrief.render import word
from wbbrief.render.wordast import flat_text, note_bodies

DATE = dt.date(2022, 12, 1)
CORRUPTION = "asb-threat-first-corruption"
WAR, CRIME = "asb-threat-second-war", "asb-threat-second-organised-crime"  # one question, pp. 24 and 27


def full_form(lang: str) -> tuple[t.Note, ...]:
    """The regional brief's notes as Word printed them before issue 18: every reference a full note."""
    from wbbrief.i18n import current, use_language
    from wbbrief.query.localize import translate_bundle

    document = bundled_document(None, lang)
    options = page_options(document, BriefOptions(date=DATE, lang=lang))
    with use_language(lang):
        composer = Composer(document, translate_bundle(load_bundle(), current()), options)
        return restyle(composer.compose(), composer.notes.entries, short=False)[1]


def word_notes(lang: str) -> list[str]:
    """The regional Word brief's footnotes, as written to word/footnotes.xml."""
    document = bundled_document(None, lang)
    _, tree = word.word_and_tree(document, load_bundle(), BriefOptions(date=DATE, lang=lang))
    return [flat_text(blocks[0]["c"]) for blocks in note_bodies(tree.notes)]  # each note n, as Word prints it


@pytest.mark.parametrize("lang", ["en", "sq", "mk"])
def test_the_regional_word_brief_has_at_most_half_the_note_text_and_loses_nothing(lang: str) -> None:
    full = full_form(lang)
    short = word_notes(lang)
    before = sum(len(" ".join(n.text.split())) for n in full)
    after = sum(len(n) for n in short)
    assert len(full) >= 60 and before > 10_000  # the brief as measured: 64 references, ~11,000 characters
    assert after * 2 <= before, (after, before)
    # Nothing lost: every report page and every paper footnote of a full note is in a note of that survey.
    for note in full:
        survey = [s for s in short if s.startswith(note.citation) or s.startswith(_short_name(note))]
        if note.page:
            page = str(note.page).replace("-", "–")
            assert any(re.search(rf"(?<![\d–]){page}(?![\d–])", s) for s in survey), (note.text, page)
        else:
            assert any(_no_page(lang) in s for s in survey), note.text
        if note.footnote:
            assert any(re.search(rf"(?<!\d){note.footnote}(?!\d)", s.split(".", 1)[-1]) for s in survey), note.text


def _short_name(note: t.Note) -> str:
    return {"asb": "ASB 2022", "securimeter": "SecuriMeter 2022", "iri": "IRI 2022"}[note.survey]


def _no_page(lang: str) -> str:
    from wbbrief.i18n import use_language

    with use_language(lang) as tr:
        return tr.gettext("report page not given in the paper")


def test_the_first_note_of_each_survey_is_full_and_later_ones_short() -> None:
    notes = word_notes("en")
    assert notes[0].startswith("Dyrmishi. A. (2022). Albanian Security Barometer: National Survey 2022.")
    assert notes[1] == "ASB 2022, p. 24. Cited in the paper's footnote 20."
    firsts = [n for n in notes if not n.startswith(("ASB 2022", "SecuriMeter 2022", "IRI 2022"))]
    assert [n.split(" (")[0].split(".")[0] for n in firsts] == [
        "Dyrmishi",
        "ACIT Centre & Finance Think",
        "International Republican Institute's Center for Insights in Survey Research",
    ]  # one full note per survey, the first
    assert "Ibid" not in " ".join(notes)


def compose_text(tmp_path: Path, text: str, lang: str = "en") -> t.Brief:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    return compose(parse_document(text, path), load_bundle(), BriefOptions(date=DATE, lang=lang))


def test_notes_at_one_place_to_the_same_survey_merge_and_numbering_stays_consecutive(tmp_path: Path) -> None:
    text = (
        f"A {{stat}}`{CORRUPTION}`.\n\n"
        f"```{{table}}\n{WAR}\n{CRIME}\n```\n\n"
        f"B {{stat}}`{WAR}` and C {{stat}}`{CORRUPTION}`.\n"
    )
    brief = compose_text(tmp_path, text)
    table = next(b for b in brief.blocks if isinstance(b, t.Table))
    assert table.notes == (2,)  # two figures of one survey at one place: one note
    assert [n.number for n in brief.notes] == [1, 2, 3, 4]
    assert brief.notes[0].text.startswith("Dyrmishi")
    assert brief.notes[1].text == "ASB 2022, pp. 24, 27.\nCited in the paper's footnotes 20 and 26."
    assert brief.notes[2].text == "ASB 2022, p. 24.\nCited in the paper's footnote 20."
    assert brief.notes[3].text == "ASB 2022, p. 27.\nCited in the paper's footnote 26."


@pytest.mark.parametrize(
    ("lang", "merged"),
    [
        ("sq", "ASB 2022, f. 24, 27.\nCituar në fusnotat 20 dhe 26 të dokumentit."),
        ("sr-Latn", "ASB 2022, str. 24, 27.\nNavedeno u fusnotama 20 i 26 dokumenta."),
        ("hr", "ASB 2022, str. 24, 27.\nNavedeno u bilješkama 20 i 26 dokumenta."),
        ("mk", "ASB 2022, стр. 24, 27.\nНаведено во фуснотите 20 и 26 на документот."),
    ],
)
def test_short_and_merged_notes_in_other_languages(tmp_path: Path, lang: str, merged: str) -> None:
    brief = compose_text(tmp_path, f"A {{stat}}`{CORRUPTION}`.\n\n```{{table}}\n{WAR}\n{CRIME}\n```\n", lang)
    assert brief.notes[1].text == merged


def test_every_endnote_links_back_to_its_one_reference() -> None:
    from wbbrief.render.brief import render_html

    page = render_html(load_bundle(), BriefOptions(date=DATE), for_print=False)
    endnotes = page.split('<ol class="endnotes">', 1)[1].split("</ol>", 1)[0]
    numbers = re.findall(r'<li id="note-(\d+)">', endnotes)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) > 50
    for n in numbers:
        assert f'<a class="backref" href="#ref-{n}"' in endnotes
        assert page.count(f'id="ref-{n}"') == 1  # the reference it returns to, once
    body = page.split('<h2 id="notes">', 1)[0]
    cited = [int(n) for n in re.findall(r'class="noteref" id="ref-\d+" href="#note-(\d+)"', body)]
    assert cited == list(range(1, len(numbers) + 1))  # every note cited once, in reading order


def test_a_note_formatted_elsewhere_is_printed_as_given_full_then_short() -> None:
    work = {"number": 1, "survey": "nato2022", "edition": None, "citation": "NATO", "page": None, "footnote": None,
            "url": None, "user": False, "link": None, "text": "NATO, Strategic Concept (2022), 5.",
            "short_text": "NATO, Strategic Concept, 5."}  # fmt: skip
    para = t.Para((t.Text("a"), t.NoteRef((1,)), t.Text("b"), t.NoteRef((1,))))
    blocks, notes = restyle([para], [work])
    assert blocks == (t.Para((t.Text("a"), t.NoteRef((1,)), t.Text("b"), t.NoteRef((2,)))),)
    assert [n.text for n in notes] == ["NATO, Strategic Concept (2022), 5.", "NATO, Strategic Concept, 5."]
