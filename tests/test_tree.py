"""The document tree: what composition makes of each kind of block and inline, and what each
writer (HTML, Word) makes of a tree built by hand, so that a new element is written once per writer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wbbrief.dataset.loading import load_bundle
from wbbrief.document import tree as t
from wbbrief.document.compose import compose
from wbbrief.document.options import BriefOptions
from wbbrief.document.parse import parse_document
from wbbrief.render import brief as templates
from wbbrief.render import word
from wbbrief.render.charts import render_svg
from wbbrief.render.html import Writer, environment

CORRUPTION = "asb-threat-first-corruption"  # 39.3% in the paper (ASB 2022, p. 27, fn. 26)
COOPERATION = "sm-regional-cooperation-needed"  # 70% (SecuriMeter)
OPTIONS = BriefOptions(date=dt.date(2026, 1, 1))

DOCUMENT = f"""---
title: Tree
country: AL
---

## Summary {{#summary .break}}

Plain *emphasis* **strong {{stat}}`{COOPERATION}`** `code` ~~gone~~ [site](https://example.org)
[bad](javascript:alert) in {{country}}`name`.\\
Next line.

```{{only}}
:country: kosovo

Never shown.
```

- one
- two

3. three
4. four

> quoted

| a | b |
|:--|--:|
| 1 | 2 |

---

```{{chart}} Corruption first
{CORRUPTION}
```

Value {{stat}}`{CORRUPTION}`.
"""


def compose_text(tmp_path: Path, text: str) -> t.Brief:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    return compose(parse_document(text, path), load_bundle(), OPTIONS)


def test_a_document_composes_to_the_expected_tree(tmp_path: Path) -> None:
    brief = compose_text(tmp_path, DOCUMENT)
    blocks = brief.blocks
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == [
        "Heading",
        "Para",
        "BulletList",
        "OrderedList",
        "BlockQuote",
        "Table",
        "HorizontalRule",
        "Chart",
        "Para",
    ]  # fmt: skip — the {only} for Kosovo is left out of an Albanian brief
    heading = blocks[0]
    assert heading == t.Heading(2, t.Attr("summary", ("break",)), (t.Text("Summary"),), explicit=True)
    para = blocks[1]
    assert isinstance(para, t.Para)
    # Notes are numbered in reading order (issue 18): the paragraph's first, then the chart's.
    assert para.content == (
        t.Text("Plain "), t.Emph((t.Text("emphasis"),)), t.Text(" "),
        t.Strong((t.Text("strong "), t.FigureValue(COOPERATION, "70%"), t.NoteRef((1,)))), t.Text(" "),
        t.Code("code"), t.Text(" "), t.Strikeout((t.Text("gone"),)), t.Text(" "),
        t.Link("https://example.org", (t.Text("site"),)), t.SoftBreak(),
        t.Link(None, (t.Text("bad"),)), t.Text(" in "), t.DataText("Albania", "country"), t.Text("."),
        t.LineBreak(), t.Text("Next line."),
    )  # fmt: skip
    assert blocks[2] == t.BulletList(((t.Plain((t.Text("one"),)),), (t.Plain((t.Text("two"),)),)))
    assert isinstance(blocks[3], t.OrderedList) and blocks[3].start == 3
    assert blocks[4] == t.BlockQuote((t.Para((t.Text("quoted"),)),))
    table = blocks[5]
    assert isinstance(table, t.Table) and table.kind == "markdown"
    assert [c.align for c in table.header.cells] == ["left", "right"]
    assert table.rows[0].cells[1].content == (t.Text("2"),)
    chart = blocks[7]
    assert isinstance(chart, t.Chart)
    assert (chart.number, chart.title, chart.notes) == (1, "Corruption first", (2,))
    assert [(b.label, b.value) for b in chart.bars] == [("Corruption", 39.3)]
    assert "39.3%" in chart.alt and chart.source
    assert blocks[8] == t.Para((t.Text("Value "), t.FigureValue(CORRUPTION, "39.3%"), t.NoteRef((3,)), t.Text(".")))
    assert [n.number for n in brief.notes] == [1, 2, 3]
    assert brief.notes[1].text.startswith("Dyrmishi") and "p. 27" in brief.notes[1].text
    assert brief.notes[2].text.startswith("ASB 2022, p. 27.")  # the same source again: short
    assert brief.meta.title == "Tree" and brief.meta.focus == "Albania"


def test_claims_and_directives_resolve_once_in_the_tree(tmp_path: Path) -> None:
    text = (
        "```{findings}\nal-corruption-first\n```\n\n"
        "```{recommendations}\nwbsf\n```\n\n"
        "```{table}\n:view: countries\n```\n\n"
        "```{country-profile}\n```\n"
    )
    brief = compose_text(tmp_path, "---\ncountry: AL\n---\n\n" + text)
    findings, recs, countries, profile = brief.blocks
    assert isinstance(findings, t.Findings) and findings.caption == "Key findings for Albania"
    assert len(findings.findings) == 1 and isinstance(findings.findings[0].content[-1], t.NoteRef)
    assert isinstance(recs, t.Recommendations) and recs.items[0].support
    value, refs = recs.items[0].support[0]
    assert isinstance(value, t.FigureValue) and isinstance(refs, t.NoteRef)
    assert isinstance(countries, t.Table) and countries.kind == "countries"
    assert [r.attr.classes for r in countries.rows].count(("focus",)) == 1
    assert isinstance(profile, t.Div) and isinstance(profile.blocks[0], t.Para)
    assert "Albania is" in t.plain_text(profile.blocks[0].content)
    # Every reference points at a note, and notes are numbered 1, 2, ... in citing order. (A
    # {findings} with ids still cites the findings it leaves out, as export-pdf always has.)
    cited = {n for b in brief.blocks for n in _note_numbers(b)}
    assert cited <= {n.number for n in brief.notes} == set(range(1, len(brief.notes) + 1))


def _note_numbers(node: object) -> set[int]:
    import dataclasses

    if isinstance(node, t.NoteRef):
        return set(node.numbers)
    if isinstance(node, tuple):
        return {n for item in node for n in _note_numbers(item)}
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return {n for f in dataclasses.fields(node) for n in _note_numbers(getattr(node, f.name))}
    return set()


# --- the writers, from a tree built by hand ------------------------------------------------------

CHART = t.Chart(
    3, "demo", "A demo chart", "Source: X", "Bar chart. A demo chart. A: 12%. Source: X",
    (t.Bar("A", 12.0),), notes=(4,),
)  # fmt: skip
HAND = t.Brief(
    meta=t.Meta("T", "S", "me", dt.date(2026, 1, 2), "2 January 2026", "en", "k", "d"),
    blocks=(
        t.Heading(2, t.Attr("one"), (t.Text("One "), t.FigureValue("f", "12%"), t.NoteRef((1, 2)))),
        t.Para((t.Text('a "b" <c>'), t.Strong((t.Text("bold"),)), t.DataText("it's", "answer"), t.SoftBreak(),
                t.Span(t.Attr(classes=("change",)), (t.DataText("+3 pts"),)), t.NoteRef((2,)))),
        t.BulletList(((t.Plain((t.Text("x"),)), t.BulletList(((t.Plain((t.Text("y"),)),),))),)),
        t.CodeBlock("a < b\n"),
        CHART,
        t.Notice("A notice"),
    ),
    notes=tuple(t.Note(n, f"{text}.\n", text) for n, text in enumerate(("First", "Second", "Third", "Fourth"), 1)),
)  # fmt: skip


def test_the_html_writer_writes_each_element_of_a_hand_built_tree() -> None:
    writer = Writer(templates.macros(environment(OPTIONS)), for_print=False)
    html = writer.body(HAND.blocks)
    note1, note2 = (f'<a class="noteref" id="ref-{n}" href="#note-{n}"><sup>{n}</sup></a>' for n in (1, 2))
    assert html.startswith(f'<h2 id="one">One 12%{note1}<sup>,</sup>{note2}</h2>\n')
    assert (
        f'<p>a &quot;b&quot; &lt;c&gt;<strong>bold</strong>it&#x27;s\n<span class="change">+3 pts</span>{note2}</p>\n'
        in html
    )
    assert "<ul>\n<li>x\n<ul>\n<li>y</li>\n</ul>\n</li>\n</ul>\n" in html  # markdown-it's tight list, as before
    assert "<pre><code>a &lt; b\n</code></pre>\n" in html
    assert '<figure id="fig-demo">' in html and "Figure 3." in html and "<svg" in html and "A demo chart" in html
    assert '<p class="notice">A notice</p>' in html
    assert [(h.level, h.id, h.text) for h in writer.headings] == [(2, "one", "One 12%1,2")]


def test_the_word_writer_writes_each_element_of_a_hand_built_tree() -> None:
    def text(value: str) -> dict[str, object]:
        return {"t": "Str", "c": value}

    def note(value: str) -> dict[str, object]:
        return {"t": "Note", "c": [{"t": "Para", "c": [text(value)]}]}

    written = word.write(HAND)
    ast = written.ast
    heading, para, items, code, figure, source, notice = ast["blocks"]  # no headline figures: no cover list
    assert heading == {"t": "Header", "c": [1, ["", [], []], [text("One 12%")]]}
    assert para == {"t": "Para", "c": [text('a "b" <c>'), {"t": "Strong", "c": [text("bold")]}, text("it's"),
                                       text(" "), text("+3 pts"), note("Second.")]}  # fmt: skip
    assert items == {"t": "BulletList", "c": [[{"t": "Plain", "c": [text("x"), text(" "), text("y")]}]]}
    assert code == {"t": "Para", "c": [text("a < b")]}
    assert figure["t"] == "Figure" and figure["c"][1] == [None, [{"t": "Plain", "c": [text("Figure 3. A demo chart")]}]]
    image = figure["c"][2][0]["c"][0]
    assert image["c"][1] == [text(CHART.alt)] and image["c"][2][0] == written.charts[0][0]
    assert written.charts[0][1:] == (CHART.alt, render_svg(CHART)) and written.waiting == {render_svg(CHART)}
    assert source == {"t": "Div", "c": [["", [], [["custom-style", "Source"]]],
                                        [{"t": "Para", "c": [text("Source: X"), note("Fourth.")]}]]}  # fmt: skip
    assert notice == {"t": "Para", "c": [text("A notice")]}


def test_watch_compares_sections_of_the_tree_past_their_note_numbers(tmp_path: Path) -> None:
    from wbbrief.render.author import changed_sections, sections

    before = compose_text(tmp_path, f"## One\n\nA.\n\n## Two\n\nB {{stat}}`{CORRUPTION}`.\n")
    after = compose_text(tmp_path, f"## One\n\nA {{stat}}`{COOPERATION}`.\n\n## Two\n\nB {{stat}}`{CORRUPTION}`.\n")
    two = t.sections(after)["Two"][0]
    assert isinstance(two, t.Para) and t.NoteRef((2,)) in two.content  # its note is 2 now, 1 before
    assert changed_sections(sections(before), sections(after)) == ["One"]
