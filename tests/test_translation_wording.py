"""Wording a native editor struck from the translated briefs (review of 2026-11-30), and the English
fixes carried into every translation. Read from the bundled sources: the briefs, labels and catalogs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wbbrief.dataset.loading import load_bundle

LOCALES = Path(__file__).resolve().parents[1] / "locales"


def _sources(tag: str) -> str:
    files = [*sorted((LOCALES / tag / "briefs").glob("*.md")), LOCALES / tag / "labels.csv"]
    files += list((LOCALES / tag / "LC_MESSAGES").glob("*.po"))
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


STRUCK = {
    "sq": [
        "njëanshmërisë",  # partiality, not unilateralism
        "dhënien e garancive",  # giving guarantees, not reassurance
        "Fokus në vend",  # reads "instead"
        "aspiron anëtarësimin",
        "mbeten në vendin {sm-concern-economic}",  # an ordinal '1.' mid-sentence
        "për të cilin ka mendimin",  # no subject
        "ta siguronte vetë sigurinë",
        "pengesa e ndalojnë",
        "më pak prej tyre tregojnë",
        "niveli operativ",
        "”",  # English quotation marks (Albanian opens „ and closes “)
        "Qeverisja e Integruar",
        "Qeverisje e Integruar",
    ],
    "sr-Latn": [
        "EU posvećeni su",
        "o kojoj se ima",
        "treba da da ",
        "kao ravnopravne",
        "obezbedi svoju bezbednost",  # the tautology
        'msgstr "Sažetak politike"',
        'msgstr "Citat"',
        'msgstr "Ankete"',
        "fn. 36",
        "`IISG`-u",  # a Latin acronym with a suffix turns mixed-script in Cyrillic
        "IRI-ja",
    ],
    "bs": [
        "spreča",  # ekavian
        "potiče",
        "potiču",
        "EU posvećeni su",
        "o kojoj se ima",
        "kao ravnopravne",
        "osigurati svoju sigurnost",
        'msgstr "Sažetak politike"',
        'msgstr "Citat"',
        'msgstr "Ankete"',
        "fn. 36",
        "IISG-u",
        "prstena",
    ],
    "mk": [
        "понови елементи",
        "прстени",
        "погодуваат",
        "Европската Унија",
        "за која се има",
        "на {sm-concern",  # 'на 1. место'
        'msgstr "Цитат"',
        'msgstr "Анкети"',
    ],
}


@pytest.mark.parametrize("tag", sorted(STRUCK))
def test_struck_wording_stays_out(tag: str) -> None:
    text = _sources(tag)
    assert not [phrase for phrase in STRUCK[tag] if phrase in text]


# The English fixes, carried into each translation: no 'most often' for war as the second threat, no
# 'now' before the pessimists outnumber the optimists, the 40% inside the 80%.
MOST_OFTEN = {"sq": "më shpesh", "sr-Latn": "najčešće", "bs": "najčešće", "mk": "најчесто"}
NOW = {"sq": "tani", "sr-Latn": "sada", "bs": "sada", "mk": "сега"}
INCLUDING = {"sq": "përfshirë {iri-rs-opinion-albania-highly", "sr-Latn": "od čega {iri-rs-opinion-albania-highly",
             "bs": "od čega {iri-rs-opinion-albania-highly", "mk": "од кои {iri-rs-opinion-albania-highly"}  # fmt: skip


def _findings(tag: str) -> dict[str, str]:
    with (LOCALES / tag / "labels.csv").open(encoding="utf-8", newline="") as f:
        return {r["id"]: r["text"] for r in csv.DictReader(f) if r["kind"] == "finding"}


@pytest.mark.parametrize("tag", sorted(MOST_OFTEN))
def test_the_english_fixes_are_in_every_translation(tag: str) -> None:
    findings = _findings(tag)
    assert MOST_OFTEN[tag] not in findings["al-war-second"]
    assert f" {NOW[tag]} " not in findings["wb6-pessimism"] and f"({NOW[tag]} " not in findings["wb6-pessimism"]
    assert INCLUDING[tag] in findings["rs-opinion-albania"]
    briefs = "\n".join(p.read_text(encoding="utf-8") for p in (LOCALES / tag / "briefs").glob("*.md"))
    claim = briefs.split(":holds-if: al-war-second", 1)[1].split("```", 1)[0]
    assert MOST_OFTEN[tag] not in claim


def test_the_papers_figure_1_is_tied_only_to_the_share_it_illustrates() -> None:
    figures = {f.id: f for f in load_bundle().figures}
    with_figure_1 = [i for i, f in figures.items() if (f.paper_figure or "").startswith("Figure 1")]
    assert with_figure_1 == ["asb-threat-second-war"]  # the 30.2% sentence (ASB p. 24, fn 20)
    for fid in ("asb-threat-country-russia", "asb-threat-country-china"):  # their sentence has no footnote
        assert "no footnote of its own" in (figures[fid].note or "")
