"""Every id once on the page: headings' automatic ids made unique as pandoc makes them ('-1', '-2'),
and check's errors for an author's label that clashes with one, at the later of the two."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from test_xref import compose_text, problems
from wbbrief.base.errors import RenderError
from wbbrief.dataset.loading import load_bundle
from wbbrief.document import tree as t
from wbbrief.document.ids import unique
from wbbrief.document.options import BriefOptions
from wbbrief.document.parse import parse_document
from wbbrief.render.html import render_page

HEAD = "---\ntitle: T\n---\n\n"  # the body starts on line 5
CORRUPTION = "asb-threat-first-corruption"


def html_of(tmp_path: Path, text: str) -> str:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    document = parse_document(text, path, "brief.md")
    return render_page(document, load_bundle(), BriefOptions(date=dt.date(2026, 1, 1)), for_print=False)


def heading_ids(brief: t.Brief) -> list[str]:
    return [b.attr.id for b in brief.blocks if isinstance(b, t.Heading)]


def test_a_label_equal_to_an_earlier_headings_automatic_id_is_an_error_naming_both(tmp_path: Path) -> None:
    text = HEAD + f"## Key findings\n\nText.\n\n```{{chart}} Threats\n:name: key-findings\n{CORRUPTION}\n```\n"
    assert problems(tmp_path, text) == [
        "10:8: error: the label 'key-findings' is also the automatic id of the heading at line 5, column 4; "
        "give the heading its own {#label} or choose another label"
    ]


def test_a_heading_whose_automatic_id_an_earlier_label_took_is_the_error(tmp_path: Path) -> None:
    text = HEAD + "## Findings {#key-findings}\n\nText.\n\n### Key findings\n"
    assert problems(tmp_path, text) == [
        "9:5: error: this heading's automatic id 'key-findings' is also the label given at line 5, column 13; "
        "give the heading its own {#label} or choose another label"
    ]


def test_two_headings_with_one_automatic_id_are_a_warning_and_the_second_gets_1(tmp_path: Path) -> None:
    text = HEAD + "## Key findings\n\nA.\n\n## Key  findings!\n\nB.\n\n## Key findings\n"
    assert problems(tmp_path, text) == [
        "9:4: warning: this heading's automatic id 'key-findings' is also that of the heading at line 5, column 4: "
        "this one's becomes 'key-findings-1' and a link to '#key-findings' reaches the first; give it a {#label}",
        "13:4: warning: this heading's automatic id 'key-findings' is also that of the heading at line 5, column 4: "
        "this one's becomes 'key-findings-2' and a link to '#key-findings' reaches the first; give it a {#label}",
    ]
    assert heading_ids(compose_text(tmp_path, text)) == ["key-findings", "key-findings-1", "key-findings-2"]


def test_a_label_the_page_uses_for_its_own_section_is_an_error(tmp_path: Path) -> None:
    assert problems(tmp_path, HEAD + "## Method {#notes}\n\n## Sources {#note-2}\n") == [
        "5:11: error: the label 'notes' is an id the brief gives its own section or notes; choose another label",
        "7:12: error: the label 'note-2' is an id the brief gives its own section or notes; choose another label",
    ]


def test_headings_in_exclusive_only_blocks_do_not_clash(tmp_path: Path) -> None:
    block = "```{{only}}\n:country: {country}\n## Key findings\n\nText.\n```\n\n"
    head = HEAD.replace("title: T\n", "title: T\ncountry: AL\n")
    text = head + block.format(country="AL") + block.format(country="RS")
    assert problems(tmp_path, text) == []
    inside = head + "```{only}\n:country: AL\n## Key findings\n\n## Key findings\n```\n"
    assert [p.split(": ", 2)[1] for p in problems(tmp_path, inside)] == ["warning"]


def test_the_page_never_repeats_an_id(tmp_path: Path) -> None:
    text = HEAD + (
        "## Key findings\n\nA [x](#key-findings).\n\n## Key findings\n\n## Notes\n\n## Figures used\n\n"
        "## Нови резултати\n\n## Нова питања\n\n## Key findings 1\n\n"
        f"```{{chart}} Threats\n:name: fig-threats\n{CORRUPTION}\n```\n\n## Fig threats\n\n"
        "## 2. Method {#method}\n\nSee {numref}`method`.\n\n## Method\n\n"
        f"```{{chart}} Drawn twice\n{CORRUPTION}\n```\n\n```{{chart}} Drawn twice\n{CORRUPTION}\n```\n"
    )
    html = html_of(tmp_path, text)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    headings = re.findall(r'<h2 id="([^"]+)"', html)
    for expected in ("key-findings", "key-findings-1", "notes-1", "figures-used-1", "section", "section-1",
                     "key-findings-1-1", "fig-threats-1", "method", "method-1"):  # fmt: skip
        assert expected in headings, headings
    assert '<a href="#key-findings">x</a>' in html  # the author's link reaches the first heading
    assert '<a href="#method">' in html  # and the reference its label
    assert re.findall(r'<figure id="([^"]+)"', html) == [
        "fig-threats",
        f"fig-{CORRUPTION}",
        f"fig-{CORRUPTION}-1",
    ]  # the same chart twice: pandoc's '-1' again


def test_a_label_given_twice_or_taking_a_page_id_is_never_rendered() -> None:
    twice = (t.Heading(2, t.Attr("a"), (t.Text("A"),), True), t.Heading(2, t.Attr("a"), (t.Text("B"),), True))
    with pytest.raises(RenderError, match="the label 'a' is given twice"):
        unique(twice)
    with pytest.raises(RenderError, match="the label 'references' is an id the page gives its own section"):
        unique((t.Heading(2, t.Attr("references"), (t.Text("R"),), True),))
