"""The fast front matter reader (document/yamlfast.py) gives what PyYAML gives, or leaves the text to it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wbbrief.document import yamlfast
from wbbrief.document.frontmatter import parse_front_matter

ROOT = Path(__file__).resolve().parents[1]

# Values a front matter may hold, the awkward ones included: each is tried as a key's value and as a
# list item. Those outside the subset must make the reader step aside, never answer differently.
VALUES = [
    "Security in the Western Balkans", "en", "sr-Latn", "albania", "ua", "0.95", "0.9", "1", "0", "12",
    "2022-05-01", "2022-02-30", "2022-5-1", "2022-05-01 10:00:00", "2022-05-01T10:00:00Z", "yes", "No",
    "off", "ON", "true", "False", "null", "~", "Null", "1_000", "0o17", "017", "0x1f", "1e3", "1.5e+3",
    "1.", ".5", "+1", "-1", "-x", "1:20", "1:20.5", ".inf", ".NaN", "<<", "=", "a: b", "a:b",
    "http://example.org/x?y=1#z", "C# and F#", "x #comment", "ends:", "50%", "'quoted'", "'it''s'",
    "'a' b'", "''", "'''", "'", '"', '"double"', '"with \\"escape\\""', '"tab\\t"', '"a" b"', '""', "[a, b]",
    "{a: 1}", "&anchor x", "*alias", "!!str 1", "!tag x", "|", ">", "@x", "`x`", "%x", "? x", "- x",
    "Qendra për Studime", "Безбедност на Западном Балкану", "Sigurnost — Zapadni Balkan", "a\tb",
    "trailing   ", "Annex X", "Proč ne?", "a, b", "x [1]", "naïve – “quotes”", "\u00a0nbsp", "emoji 🙂", "y", "n",
]  # fmt: skip
KEYS = ["title", "subtitle", "author", "date", "lang", "level", "country", "variant", "toc", "x_y", "a-b", "yes"]


def _same(fast: Any, slow: Any, where: str) -> None:
    assert (fast.id, fast.tag) == (slow.id, slow.tag), where
    assert (fast.start_mark.line, fast.start_mark.column) == (slow.start_mark.line, slow.start_mark.column), where
    if slow.id == "scalar":
        assert (fast.value, fast.tag, fast.style) == (slow.value, slow.tag, slow.style), where
        assert (fast.end_mark.line, fast.end_mark.column) == (slow.end_mark.line, slow.end_mark.column), where
        try:
            expected: Any = yaml.SafeLoader("").construct_object(slow)
        except ValueError:
            with pytest.raises(ValueError):
                yamlfast.construct(fast)
        else:
            got = yamlfast.construct(fast)
            assert (type(got), got) == (type(expected), expected), where
    elif slow.id == "sequence":
        assert len(fast.value) == len(slow.value), where
        for a, b in zip(fast.value, slow.value, strict=True):
            _same(a, b, where)
    else:
        assert len(fast.value) == len(slow.value), where
        for (ka, va), (kb, vb) in zip(fast.value, slow.value, strict=True):
            _same(ka, kb, where)
            _same(va, vb, where)


def compare(text: str) -> bool:
    """Whether the fast reader took ``text``; if it did, it gave PyYAML's nodes and values."""
    read, fast = yamlfast.compose(text)
    if not read:
        return False
    slow = yaml.compose(text, Loader=yaml.SafeLoader)
    if slow is None:
        assert fast is None, repr(text)
    else:
        assert fast is not None, repr(text)
        _same(fast, slow, repr(text))
    return True


def as_pyyaml(text: str) -> None:
    """The fast reader refuses what PyYAML refuses, and what it takes it reads as PyYAML does."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        assert not yamlfast.compose(text)[0], f"took text PyYAML refuses: {text!r}"
        return
    compare(text)


@pytest.mark.parametrize("value", VALUES)
def test_each_value_as_pyyaml_reads_it_or_left_to_pyyaml(value: str) -> None:
    for text in (f"title: {value}\n", f"data:\n  - {value}\n  - b.csv\nlang: en", f"list:\n- {value}\n"):
        as_pyyaml(text)


def test_the_plain_values_of_real_front_matter_are_read_fast() -> None:
    """The subset covers what documents hold: if it did not, check would silently lose its speed."""
    taken = [v for v in VALUES if compare(f"title: {v}\n")]
    for value in ("Security in the Western Balkans", "0.95", "2022-05-01", "2022-02-30", "yes", "'it''s'",
                  '"double"', "http://example.org/x?y=1#z", "Безбедност на Западном Балкану", "50%"):  # fmt: skip
        assert value in taken, value
    for value in ("a: b", "x #comment", "[a, b]", "&anchor x", "!!str 1", "1_000", "0x1f", "- x", "a\tb"):
        assert value not in taken, value


def test_every_shipped_front_matter_is_read_fast_and_alike() -> None:
    """The front matter of every bundled brief, example and template: read by the fast reader."""
    found = 0
    for path in [*ROOT.glob("locales/*/briefs/*.md"), *ROOT.glob("docs/**/*.md"), *ROOT.glob("tests/data/**/*.md")]:
        match = re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S)
        if match is None:
            continue
        try:
            yaml.compose(match.group(1), Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue  # a test's broken front matter
        if "\n  " in match.group(1) and ":\n  " in match.group(1) and "- " not in match.group(1):
            continue  # a nested mapping (colours): PyYAML's
        assert compare(match.group(1)), path
        found += 1
    assert found >= 14 + 3  # the bundled briefs of seven languages, and the examples


LINES = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(KEYS), st.sampled_from(VALUES)),
    st.builds(lambda k, vs, ind: f"{k}:\n" + "\n".join(f"{' ' * ind}- {v}" for v in vs),
              st.sampled_from(KEYS), st.lists(st.sampled_from(VALUES), min_size=1, max_size=3), st.integers(0, 3)),
    st.sampled_from(["", "# a comment", "  ", "---", "key:", "  indented: x", "  - stray", "title:x", "\tx: y",
                     "X", "Xx", "  - x", "   - y", "#", " # indented comment"]),
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, min_size=0, max_size=6), st.booleans())
def test_any_front_matter_is_read_as_pyyaml_reads_it_or_left_to_it(lines: list[str], newline: bool) -> None:
    as_pyyaml("\n".join(lines) + ("\n" if newline else ""))


def test_front_matter_is_the_same_whichever_reader_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_front_matter gives the same values, places and problems through either reader."""
    text = (
        "title: 'Security: a survey'\nauthor: Qendra\ndate: 2022-02-30\nlang: sq\nlevel: 0.95\ntoc: yes\n"
        "data:\n  - missing.csv\nvariant: a3\ntitel: x\ntitle: again\nlevel: 2\n"
    )
    fast = parse_front_matter(text, 2, tmp_path / "brief.md", "brief.md")
    monkeypatch.setattr(yamlfast, "compose", lambda text: (False, None))
    slow = parse_front_matter(text, 2, tmp_path / "brief.md", "brief.md")
    assert fast == slow
    assert fast[0].date is None and fast[0].title == "Security: a survey" and fast[0].level == 0.95
    assert len(fast[1]) >= 4


def test_lists_blank_lines_and_comments_are_read_fast() -> None:
    """The forms a front matter takes besides 'key: value' lines: taken by the fast reader, alike."""
    for text in (
        "# the brief\ntitle: A\n\ndata:\n  - a.csv\n  - 'b c.csv'\nlang: en\n",
        "data:\n- a.csv\n- b.csv\n\nlang: sq\n# after",
        "data:\n  - a.csv\n# after the list\nlang: sq\n",
        "\n\ntitle: A\n#\nauthor: B\n",
        "title: ''\nsubtitle: \"\"\n",
    ):
        assert compare(text), text


def test_what_the_fast_reader_leaves_to_pyyaml() -> None:
    """Uneven lists, gaps inside a list, comments inside it, a key with no value: PyYAML's."""
    for text in (
        "data:\n  - a.csv\n   - b.csv\n",
        "data:\n  - a.csv\n\n  - b.csv\n",
        "data:\n  - a.csv\n# c\n  - b.csv\n",
        "data:\n# c\n  - a.csv\n",
        "title:\nlang: en\n",
        "title: A\n  continued\n",
        "title: 'A\n  B'\n",
        "X\ntitle: A\n",
    ):
        assert not yamlfast.compose(text)[0], text


def test_a_date_is_a_date_and_a_level_a_number() -> None:
    read, root = yamlfast.compose("date: 2026-11-30\nlevel: 0.9\ntoc: off\nauthor: ~\n")
    assert read and root is not None
    values = [yamlfast.construct(v) for _, v in root.value]
    assert values == [datetime.date(2026, 11, 30), 0.9, False, None]
