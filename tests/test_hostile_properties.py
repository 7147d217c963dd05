"""Properties over generated hostile documents (issue 22): no input gives a traceback, and `check`
passes exactly when `render` succeeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wbbrief.base.errors import WbbriefError
from wbbrief.dataset import loading
from wbbrief.document.check import check_document, check_file
from wbbrief.document.figures import load_index
from wbbrief.document.parse import parse_document
from wbbrief.render import author

CORRUPTION = "asb-threat-first-corruption"
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# YAML's own punctuation, tags, anchors, keys and scalars: enough to build most of what a scanner chokes on.
YAML_PIECES = st.sampled_from(
    [
        "title", "date", "lang", "data", "country", "variant", ": ", ":", "- ", "[", "]", "{", "}", ",",
        "!!python/object:os.system ", "!custom ", "!!int ", "!!timestamp ", "!", "&a ", "*a", "<<: ",
        '"', "'", "\n", "\n  ", "#", "|", ">", "?", "%", "@", "`", "2022-02-30", "2022-12-01", "zz", "sq-AL",
        "sr-Cyrl", "en", "AL", "ua", "a3", ".", "..", "/etc/passwd", "~", "\x00", "\x1b[31m", "é", "…",
    ]
)  # fmt: skip
KEYS = st.sampled_from(["title", "date", "lang", "data", "country", "variant", "author", "unknown"])
SCALARS = st.sampled_from(["x", '"abc"', "2022-02-30", "2022-12-01", "maybe", "12", "'q'", "zz", ".", "~", "null"])
TAGGED = st.builds(
    "{} {}".format,
    st.sampled_from(["!!python/object:os.system", "!custom", "!!int", "!!timestamp", "!!bool", "!"]),
    SCALARS,
)
VALUES = st.recursive(
    SCALARS | TAGGED,
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
        | st.lists(st.tuples(KEYS, inner), max_size=3).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")
    ),
    max_leaves=8,
)
DEEP = st.builds(lambda n, c: c[0] * n + c[1] * n, st.integers(0, 1500), st.sampled_from(["[]", "{}"]))
MAPPING = st.lists(st.tuples(KEYS, VALUES | DEEP), max_size=5).map(lambda kv: "\n".join(f"{k}: {v}" for k, v in kv))
FRONT_MATTER = MAPPING | st.lists(YAML_PIECES, max_size=60).map("".join)


def nested(depth: int, kind: str) -> str:
    """Markdown nested ``depth`` deep: emphasis, quotes, list items, or {only} directives."""
    if kind == "emphasis":
        return "*" * depth + "deep" + "*" * depth
    if kind == "quote":
        return "> " * depth + "deep"
    if kind == "list":
        return "\n".join("  " * level + "- item" for level in range(depth))
    text = ""
    for level in range(depth):
        text += "`" * (3 + depth - level) + "{only}\n:newer-edition: " + CORRUPTION + "\n\n"
    text += "Text.\n"
    for level in range(depth):
        text += "`" * (4 + level) + "\n"
    return text


NESTED = st.builds(nested, st.integers(1, 45), st.sampled_from(["emphasis", "quote", "list", "only"]))
BLOCKS = st.one_of(
    NESTED,
    st.sampled_from(
        [
            f"A {{stat}}`{CORRUPTION}`.",
            "A {stat}`no-such-figure`.",
            "A hand-typed 45% share.",
            "In 1999 and p. 27.",
            "- [x]: javascript:alert(1)",
            "> [y]: http://example.org",
            "![map](missing.png)",
            "[a link](https://example.org)",
            "Text with \x1b]0;title\x07 in it.",
            "## A heading",
        ]
    ),
)


def document_text(front: str | None, blocks: list[str]) -> str:
    head = f"---\n{front}\n---\n\n" if front is not None else ""
    return head + "# Brief\n\n" + "\n\n".join(blocks) + "\n"


@settings(SETTINGS, max_examples=150)
@given(front=FRONT_MATTER, blocks=st.lists(BLOCKS, max_size=4))
def test_no_front_matter_or_nesting_gives_a_traceback(front: str, blocks: list[str]) -> None:
    document = parse_document(document_text(front, blocks), Path("/nonexistent/brief.md"))
    check_document(document, load_index(()), "brief.md")  # any exception here is a traceback for the user


LANGS = st.sampled_from([None, "en", "sq", "zz", "sq-AL", "sr-Cyrl"])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


@settings(SETTINGS, max_examples=30)
@given(lang=LANGS, blocks=st.lists(BLOCKS, min_size=1, max_size=3))
def test_check_passes_exactly_when_render_succeeds(folder: Path, lang: str | None, blocks: list[str]) -> None:
    loading.load_bundle.cache_clear()
    path = folder / "brief.md"
    path.write_text(document_text(f"lang: {lang}" if lang else None, blocks), encoding="utf-8")
    out = folder / "brief.html"
    out.unlink(missing_ok=True)
    passes = not check_file(path).failed
    try:
        author.render(author.RenderRequest(path, out))
    except WbbriefError as err:
        assert not passes, f"check passed but render refused: {err}"
        assert not out.exists()
    else:
        assert passes, "render succeeded on a document check fails"
        assert out.exists()
