"""Cross-references (issue 18): labels on charts, tables and sections; {numref} and {ref} resolved on
the tree, in the document's language, linked in HTML and Word; check's unknown, duplicate and
unnumbered labels."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from wbbrief.base.errors import RenderError
from wbbrief.dataset.loading import load_bundle
from wbbrief.document import tree as t
from wbbrief.document.check import check_document
from wbbrief.document.compose import compose
from wbbrief.document.figures import load_index
from wbbrief.document.model import Document
from wbbrief.document.options import BriefOptions
from wbbrief.document.parse import parse_document
from wbbrief.i18n import use_language
from wbbrief.render import word
from wbbrief.render.html import render_body

OPTIONS = BriefOptions(date=dt.date(2026, 1, 1))
CORRUPTION = "asb-threat-first-corruption"
CRIME = "asb-threat-first-organised-crime"
COOPERATION = "sm-regional-cooperation-needed"

# Every kind of target, referred to before and after it, at a sentence's start and within one.
ENGLISH = f"""---
title: Cross-references
lang: en
---

## 1. Introduction {{#intro}}

As {{numref}}`fig-threats` shows, see {{numref}}`tab-own` and {{numref}}`tab-nato`. {{numref}}`intro` sets
out {{ref}}`intro`; {{ref}}`fig-threats` and {{numref}}`in Figure %s <fig-threats>` and {{ref}}`tab-own`.

```{{chart}} What Albanians name first
:name: fig-threats
{CORRUPTION}
{CRIME}
```

## 2. Tables {{#tables}}

```{{table}} Our own table
:name: tab-own

| Part | Where |
|------|-------|
| here | {{numref}}`tables` |
```

```{{table}} NATO and the EU
:view: countries
:name: tab-nato
```
"""

SERBIAN = f"""---
title: Unakrsna upućivanja
lang: sr-Latn
---

## 1. Uvod {{#intro}}

Vidi {{numref:acc}}`fig-threats` i {{numref:acc}}`tab-own`. {{numref}}`fig-threats` pokazuje isto što i
{{numref}}`intro` (prema {{numref:dat}}`fig-threats`, u {{numref:dat}}`tables`, s {{numref:ins}}`tab-own`).

```{{chart}} Najozbiljnija pretnja
:name: fig-threats
{CORRUPTION}
{CRIME}
```

## 2. Tabele {{#tables}}

```{{table}} Naša tabela
:name: tab-own

| Deo | Gde |
|-----|-----|
| ovde | {{numref:dat}}`intro` |
```
"""


def parse(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    return parse_document(text, path, "brief.md")


def compose_text(tmp_path: Path, text: str) -> t.Brief:
    return compose(parse(tmp_path, text), load_bundle(), OPTIONS)


def links(node: object) -> list[tuple[str, str]]:
    """Every link of a tree, in reading order: (href, text)."""
    found: list[tuple[str, str]] = []

    def visit(item: object) -> None:
        if isinstance(item, t.Link):
            found.append((item.href or "", t.plain_text(item.content)))
            return
        if isinstance(item, tuple | list):
            for child in item:
                visit(child)
        elif hasattr(item, "__dataclass_fields__"):
            for name in item.__dataclass_fields__:
                visit(getattr(item, name))

    visit(node)
    return found


def problems(tmp_path: Path, text: str) -> list[str]:
    return [
        f"{d.position.line}:{d.position.col}: {d.severity}: {d.message}"
        for d in check_document(parse(tmp_path, text), load_index(), "brief.md")
    ]


def test_english_references_give_the_numbers_the_reader_sees_and_the_titles(tmp_path: Path) -> None:
    brief = compose_text(tmp_path, ENGLISH)
    assert links(brief.blocks) == [
        ("#fig-threats", "Figure 1"),
        ("#tab-own", "Table 1"),
        ("#tab-nato", "Table 2"),
        ("#intro", "Section 1"),  # a sentence's start: capitalised
        ("#intro", "Introduction"),  # {ref}: the title, after the heading's number
        ("#fig-threats", "What Albanians name first"),
        ("#fig-threats", "in Figure 1"),  # MyST's explicit text, %s the number
        ("#tab-own", "Our own table"),
        ("#tables", "Section 2"),  # a table cell starts as a sentence does
    ]
    charts = [b for b in brief.blocks if isinstance(b, t.Chart)]
    tables = [b for b in brief.blocks if isinstance(b, t.Table)]
    assert [(c.label, c.number) for c in charts] == [("fig-threats", 1)]
    assert [(x.kind, x.label, x.number, x.caption) for x in tables] == [
        ("markdown", "tab-own", 1, "Our own table"),
        ("countries", "tab-nato", 2, "NATO and the EU"),
    ]


def test_serbian_references_decline_and_lower_case_within_a_sentence(tmp_path: Path) -> None:
    brief = compose_text(tmp_path, SERBIAN)
    assert [text for _href, text in links(brief.blocks)] == [
        "grafikon 1",  # vidi + accusative
        "tabelu 1",
        "Grafikon 1",  # a sentence's start: nominative, capitalised
        "odeljak 1",  # within a sentence: lower case
        "grafikonu 1",  # prema + dative
        "odeljku 2",
        "tabelom 1",  # s + instrumental
        "Odeljku 1",  # a cell's start
    ]
    cyrillic = compose_text(tmp_path, SERBIAN.replace("lang: sr-Latn", "lang: sr-Cyrl"))
    assert [text for _href, text in links(cyrillic.blocks)][:2] == ["графикон 1", "табелу 1"]


def test_albanian_and_macedonian_take_their_own_terms(tmp_path: Path) -> None:
    sq = (
        SERBIAN.replace("lang: sr-Latn", "lang: sq")
        .replace("numref:dat", "numref:gen")
        .replace("numref:ins", "numref:loc")
    )
    assert [text for _href, text in links(compose_text(tmp_path, sq).blocks)][:5] == [
        "figurën 1", "tabelën 1", "Figura 1", "seksioni 1", "figurës 1",
    ]  # fmt: skip
    mk = SERBIAN.replace("lang: sr-Latn", "lang: mk").replace(":acc}", "}").replace(":dat}", "}").replace(":ins}", "}")
    assert [text for _href, text in links(compose_text(tmp_path, mk).blocks)][:4] == [
        "графикон 1", "табела 1", "Графикон 1", "дел 1",
    ]  # fmt: skip


def test_html_links_each_reference_to_its_target_and_numbers_the_tables(tmp_path: Path) -> None:
    document = parse(tmp_path, SERBIAN)
    body, _notes = render_body(document, load_bundle(), BriefOptions(date=OPTIONS.date, lang="sr-Latn"))
    assert 'Vidi <a href="#fig-threats">grafikon 1</a> i <a href="#tab-own">tabelu 1</a>.' in body
    assert '<figure id="fig-threats">' in body
    assert '<span class="num">Grafikon 1.</span> Najozbiljnija pretnja</figcaption>' in body
    assert '<table id="tab-own">\n<caption><span class="num">Tabela 1.</span> Naša tabela</caption>' in body
    assert '<h2 id="intro">1. Uvod</h2>' in body
    english, _notes = render_body(parse(tmp_path, ENGLISH), load_bundle(), OPTIONS)
    assert '<table class="data" id="tab-nato">\n  <caption><span class="num">Table 2.</span> NATO and the EU' in english


def test_word_links_each_reference_to_a_bookmark(tmp_path: Path) -> None:
    with use_language("sr-Latn"):  # as word.word_and_tree writes it
        written = word.write(compose_text(tmp_path, SERBIAN)).ast["blocks"]
    blocks = written[next(i for i, b in enumerate(written) if b["t"] == "Header") :]  # after the cover

    def caption(block: dict[str, Any]) -> str:
        return "".join(i["c"] for i in block["c"][1][1][0]["c"])

    assert blocks[0] == {"t": "Header", "c": [1, ["intro", [], []], [{"t": "Str", "c": "1. Uvod"}]]}
    assert blocks[1]["c"][:4] == [
        {"t": "Str", "c": "Vidi "},
        {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "grafikon 1"}], ["#fig-threats", ""]]},
        {"t": "Str", "c": " i "},
        {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "tabelu 1"}], ["#tab-own", ""]]},
    ]
    figure = next(b for b in blocks if b["t"] == "Figure")  # pandoc makes the id a bookmark
    table = next(b for b in blocks if b["t"] == "Table" and b["c"][0][0])
    assert (figure["c"][0][0], caption(figure)) == ("fig-threats", "Grafikon 1. Najozbiljnija pretnja")
    assert (table["c"][0][0], caption(table)) == ("tab-own", "Tabela 1. Naša tabela")


def test_tables_show_no_number_unless_the_document_refers_to_one_by_number(tmp_path: Path) -> None:
    """So a document without {numref} to a table (every bundled brief) keeps its captions as they were."""
    text = ENGLISH.replace("see {numref}`tab-own` and {numref}`tab-nato`", "see {ref}`tab-nato`")
    tables = [b for b in compose_text(tmp_path, text).blocks if isinstance(b, t.Table)]
    assert [x.number for x in tables] == [0, 0]
    body, _notes = render_body(parse(tmp_path, text), load_bundle(), OPTIONS)
    assert "Table 1." not in body and '<span class="num">Table' not in body


def test_a_document_without_references_numbers_no_table(tmp_path: Path) -> None:
    plain = re.sub(r"\{(?:num)?ref\}`[^`]*`", "it", ENGLISH)
    brief = compose_text(tmp_path, plain)
    assert links(brief.blocks) == []
    assert [b.number for b in brief.blocks if isinstance(b, t.Table)] == [0, 0]


def test_check_finds_unknown_duplicate_and_unnumbered_labels(tmp_path: Path) -> None:
    text = (
        ENGLISH
        + """
## Annex {#annex}

{numref}`fig-threat` {numref}`annex` {ref}`annex` {numref:acc}`intro` {numref}`nowhere`

```{chart}
:name: fig-threats
asb-threat-first-corruption
```

```{table}
:name: tab-bare

| a |
|---|
| b |
```

{numref}`tab-bare`

```{findings}
:name: key
```
"""
    )
    found = problems(tmp_path, text)
    assert found == [
        "34:10: error: unknown label 'fig-threat'; did you mean 'fig-threats'?",
        "34:31: error: the heading labelled 'annex' has no number (its text does not start with one, as "
        "'## 2.1 Title' does), so {numref} has none to show; use {ref}`annex` for its title",
        "34:51: error: {numref:acc}: English declares no case forms; write {numref}",
        "34:80: error: unknown label 'nowhere'",
        "37:8: error: the label 'fig-threats' is given twice (first at line 12, column 8)",
        "49:10: error: the table labelled 'tab-bare' has no number ({numref} numbers only tables with a caption); "
        "give it one: ```{table} Caption",
        "52:1: error: {findings} cannot be labelled: a label (':name:') goes on a {chart}, a {table} or a heading "
        "('## Title {#label}'), which are numbered",
    ]
    assert problems(tmp_path, ENGLISH) == []
    assert problems(tmp_path, SERBIAN) == []


def test_check_knows_each_languages_forms_and_what_a_label_cannot_name(tmp_path: Path) -> None:
    found = problems(tmp_path, SERBIAN.replace("{numref:acc}`fig-threats`", "{numref:akk}`fig-threats`"))
    assert found == ["8:6: error: {numref:akk}: unknown form 'akk'; Serbian (Latin) declares gen, dat, acc, ins"]
    view = "```{chart}\n:view: threats\n:name: fig-all\n```\n\n{numref}`fig-all`\n"
    assert problems(tmp_path, "---\ncountry: AL\n---\n\n" + view) == [
        "7:8: error: a :view: draws several charts and the label 'fig-all' names one; label a {chart} of one "
        "question (:question: or figure ids)",
    ]
    nested = "```{only}\n:country: albania\n\n## 1. Albania {#al}\n```\n"  # an {only} in an {only}: reported once
    hidden = f"````{{only}}\n:country: albania\n\n{nested}````\n\nSee {{numref}}`al`.\n"
    assert problems(tmp_path, "---\ncountry: AL\n---\n\n" + hidden) == [
        "15:14: warning: the label 'al' is inside a {claim} or {only} block: where the block is left out, the "
        "reference has nothing to point at and the brief is not rendered",
    ]
    chart = (
        f"````{{only}}\n:country: albania\n\n```{{chart}}\n:name: fig-al\n{CORRUPTION}\n```\n````\n\n{{ref}}`fig-al`\n"
    )
    assert [p.split(": warning: ")[0] for p in problems(tmp_path, "---\ncountry: AL\n---\n\n" + chart)] == ["14:7"]
    bad = "```{table} T\n:name: Tab_1\n\n| a |\n|---|\n| b |\n```\n"
    assert problems(tmp_path, bad) == [
        "2:8: error: bad label 'Tab_1': a label is lowercase letters, digits and hyphens, starting with a letter"
    ]
    mixed = "```{table} T\n:name: tab\n:view: countries\n\n| a |\n|---|\n| b |\n```\n\nMore.\n"
    assert problems(tmp_path, mixed) == [
        "1:1: error: a {table} that holds a Markdown table takes only :name:, not :view:"
    ]


def test_rendering_refuses_a_label_on_several_charts_and_an_unknown_label(tmp_path: Path) -> None:
    two = f"```{{chart}}\n:name: fig-two\n{CORRUPTION}\n{COOPERATION}\n```\n"
    with pytest.raises(RenderError, match="the label 'fig-two' names one chart, and this \\{chart\\} shows 2"):
        compose_text(tmp_path, two)
    with pytest.raises(RenderError, match="no chart, table or section of the brief has this label"):
        compose_text(tmp_path, "See {numref}`nowhere`.\n")


def test_the_parser_knows_the_reference_roles(tmp_path: Path) -> None:
    document = parse(tmp_path, "See {numrf}`x`, {numref:acc}`y` and {ref}` `.\n")
    assert [(p.code, p.message) for p in document.problems] == [
        ("unknown-role", "unknown role '{numrf}'; did you mean '{numref}'?"),
        ("bad-role", "the role {ref} needs a label between the backticks"),
    ]


def test_the_guides_examples_check_as_the_page_shows() -> None:
    """docs/guide/cross-references.md shows `check` on these files; the files and the page agree."""
    from wbbrief.document.check import check_file

    folder = Path(__file__).resolve().parents[1] / "docs" / "examples" / "cross-references"
    page = (folder.parents[1] / "guide" / "cross-references.md").read_text(encoding="utf-8")
    assert check_file(folder / "memo.md").diagnostics == ()
    assert check_file(folder / "sr.md").diagnostics == ()
    shown = [
        str(d).replace(str(folder), "docs/examples/cross-references") for d in check_file(folder / "broken.md").shown()
    ]
    assert len(shown) == 2 and all(line in page for line in shown)
