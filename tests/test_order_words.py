"""`check` warns on a sentence that orders two figures within the noise in the document's own language
(issue 17): the order words of each language are data (``order_words`` in its language.toml)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from wbbrief.document.noise import order_pattern
from wbbrief.i18n import languages

EDITIONS = Path(__file__).resolve().parents[1] / "docs" / "examples" / "three-editions"
# 41% (2024) against 38% (2023), samples of 1000 with design effect 1.5: 3.0 ± 5.2 points, noise.
DOCUMENT = """---
title: T
lang: {lang}
---

# A

{sentence}
"""
ROLES = "{stat}`example-2024-unsafe` … {stat}`example-2023-unsafe`"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sr-Latn", "Više ljudi se 2024. osećalo nesigurno ({a}) nego 2023. ({b})."),
        ("sr-Cyrl", "Више људи се 2024. осећало несигурно ({a}) него 2023. ({b})."),
        ("hr", "Udio onih koji se ne osjećaju sigurno porastao je na {a} s {b}."),
        ("mk", "Повеќе луѓе се чувствувале небезбедно во 2024 ({a}) отколку во 2023 ({b})."),
        ("sq", "Më shumë njerëz u ndien të pasigurt në 2024 ({a}) sesa në 2023 ({b})."),
    ],
)
def test_an_order_in_the_documents_language_is_warned(
    run: Callable[..., Result], tmp_path: Path, lang: str, words: str
) -> None:
    sentence = words.format(a="{stat}`example-2024-unsafe`", b="{stat}`example-2023-unsafe`")
    source = tmp_path / "o.md"
    source.write_text(DOCUMENT.format(lang=lang, sentence=sentence), encoding="utf-8")
    output = run("check", str(source), "--data", str(EDITIONS)).output
    assert "this sentence orders 'example-2024-unsafe' and 'example-2023-unsafe'" in output, output


def test_a_sentence_that_orders_nothing_is_not_warned(run: Callable[..., Result], tmp_path: Path) -> None:
    sentence = "U 2024. {stat}`example-2024-unsafe` i u 2023. {stat}`example-2023-unsafe` navodi opasnost od rata."
    source = tmp_path / "o.md"
    source.write_text(DOCUMENT.format(lang="sr-Latn", sentence=sentence), encoding="utf-8")
    assert "this sentence orders" not in run("check", str(source), "--data", str(EDITIONS)).output


def test_every_language_with_texts_of_its_own_has_order_words() -> None:
    for tag, language in languages().items():
        if tag != "en" and not language.derived_from:
            assert language.order_words, f"locales/{tag}/language.toml has no order_words"


def test_a_transliterated_language_matches_both_scripts_and_keeps_the_escapes() -> None:
    pattern = order_pattern("sr-Cyrl")
    assert pattern.search("Већина") and pattern.search("većina")
    assert not pattern.search("Jadransko more") and not pattern.search("most na Drini")  # sea, bridge
    assert r"\w" in pattern.pattern and r"\ш" not in pattern.pattern
    assert order_pattern("en") is order_pattern(None)


# A native editor's reading of each list: words a policy analyst writes to order or compare two shares,
# and common words of the same stems that order nothing (a warning on them would be a false alarm).
ORDERS = {
    "sr-Latn": [
        "dvostruko više",
        "pretekao",
        "u odnosu na",
        "u poređenju sa",
        "naspram",
        "češće",
        "brojniji",
        "zaostaje",
    ],
    "sr-Cyrl": ["двоструко", "у односу на", "претекао", "чешће"],
    "bs": ["rjeđe", "udvostručio", "prepolovio", "skočio"],
    "hr": ["u usporedbi s", "pretiče", "lošiji", "rasla"],
    "cnr": ["duplo", "pretekla", "u odnosu na"],
    "mk": [
        "двојно",
        "паѓа",
        "опадна",
        "наспроти",
        "во однос на",
        "во споредба со",
        "престигна",
        "повеќето",
        "по-голем",
    ],
    "sq": ["kundrejt", "krahasuar me", "ra në 17%", "e ndjekur nga", "u dyfishua", "u ul", "parakaloi", "më i lartë"],
}
ORDERS_NOTHING = {
    "sr-Latn": [
        "opasnost",
        "višeetničko društvo",
        "višegodišnji",
        "višestranački",
        "nacionalne manjine",
        "manjak",
        "većinski narod",
        "ratna zaostavština",
        "pod pretekstom",
        "dvostruki standardi",
        "najavio je",
        "najzad",
        "rastojanje",
    ],
    "sr-Cyrl": ["опасност", "вишеетничко", "мањине", "најавио", "растојање"],
    "bs": ["višenacionalni", "manjinska prava", "najam"],
    "hr": ["višegodišnji", "manjinske zajednice", "najavljen"],
    "cnr": ["višestranački", "manjina", "najzad"],
    "mk": ["истражувањето најде", "двојно државјанство", "најдоа", "најава", "најпрво", "најпосле", "растојание"],
    "sq": [
        "më 24 shkurt 2022",
        "më 2021",
        "më parë",
        "më vonë",
        "më herët",
        "të rriturit",
        "ra dakord",
        "bie në sy",
        "bie në kundërshtim me",
    ],
}


@pytest.mark.parametrize("lang", sorted(ORDERS))
def test_the_words_an_analyst_orders_with_are_matched(lang: str) -> None:
    pattern = order_pattern(lang)
    assert [w for w in ORDERS[lang] if not pattern.search(w)] == []


@pytest.mark.parametrize("lang", sorted(ORDERS_NOTHING))
def test_common_words_that_order_nothing_are_not_matched(lang: str) -> None:
    pattern = order_pattern(lang)
    assert [w for w in ORDERS_NOTHING[lang] if pattern.search(w)] == []


def test_english_leads_but_not_its_topic() -> None:
    assert order_pattern(None).search("Corruption tops the list") and order_pattern("en").search("leads")
    assert not order_pattern(None).search("On this topic, the leader said")
