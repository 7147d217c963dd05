"""Every sentence of the briefs is ours: no unquoted run of 8 or more words shared with the paper.

The paper may be quoted, in quotation marks; survey and institution names and the citations of
the surveys are titles, not prose, and are set aside. Everything else a reader can see, including
chart labels and the alt text read out to screen readers, is compared with the paper.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from wbbrief.dataset import countries
from wbbrief.dataset.loading import load_bundle
from wbbrief.render import brief

RUN = 8
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation and the -ize/-ise spelling difference set aside."""
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "s", text.casefold())
    return [w.replace("z", "s") for w in re.findall(r"[a-z0-9]+", text)]


def _masked(run: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The run with each word in turn left open, so one changed word (the paper's 'benefit form'
    for 'from', or a copy with one word swapped) does not hide a copy."""
    return [(*run[:i], "*", *run[i + 1 :]) for i in range(len(run))]


def paper_runs(paper: str) -> set[tuple[str, ...]]:
    """Every run of RUN words in the paper, one word masked in turn; footnote markers removed."""
    text = re.sub(r"P\d+F\s*\d+\s*P", " ", paper)
    w = words(text)
    return {masked for i in range(len(w) - RUN + 1) for masked in _masked(tuple(w[i : i + RUN]))}


class _Text(HTMLParser):
    """The text a reader sees or hears: element text, alt text and ARIA labels, in blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "aria-label", "content") and value:
                self.blocks.append(value)
        self.blocks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        self.blocks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.blocks.append(data)


def copied_runs(html: str, paper: set[tuple[str, ...]], titles: list[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.blocks)
    for title in sorted(titles, key=len, reverse=True):
        text = re.sub(re.escape(title), "\n", text, flags=re.IGNORECASE)
    hits = []
    for segment in QUOTED.split(text):  # a run never bridges a quotation
        for block in segment.split("\n"):
            w = words(block)
            for i in range(len(w) - RUN + 1):
                if any(masked in paper for masked in _masked(tuple(w[i : i + RUN]))):
                    hits.append(" ".join(w[i : i + RUN]) + f"   [in: {block.strip()[:90]}]")
    return hits


def _titles() -> list[str]:
    surveys = load_bundle().surveys
    fields = ("name", "publisher", "authors", "title", "citation", "url")
    titles = [v.rstrip(".") for f in fields for s in surveys if isinstance(v := getattr(s, f), str) and v]
    return [*titles, brief.DEFAULT_TITLE]


@pytest.mark.parametrize("country", [None, *(c.code for c in countries.all_countries())])
def test_no_brief_copies_the_paper_without_quotation_marks(paper_text: str, country: str | None) -> None:
    options = brief.BriefOptions(date=dt.date(2022, 12, 1), country=country)
    html = brief.render_html(load_bundle(), options, for_print=False)
    hits = copied_runs(html, paper_runs(paper_text), _titles())
    assert not hits, "wording copied from the paper without quotation marks:\n" + "\n".join(hits)


def test_the_check_finds_copied_wording_and_spares_quotations(paper_text: str) -> None:
    paper = paper_runs(paper_text)
    copied = "<p>74.4% think the stability of the Balkans would benefit from a greater cooperation.</p>"
    assert copied_runs(copied, paper, []), "an unquoted copy must be found"
    quoted = "<p>74.4% agree that “the stability of the Balkans would benefit from a greater cooperation”.</p>"
    assert not copied_runs(quoted, paper, [])
    # The paper's own spelling and typos do not hide a copy ('organized', 'benefit form').
    assert copied_runs(
        "<p>Combatting organised crime, terrorism, the natural disasters and of cybercrime</p>", paper, []
    )
