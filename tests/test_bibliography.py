"""A user's bibliography and citation style are untrusted files (document.bibliography): every key
read with where it is written, and every broken, hostile or ambiguous file a one-line error naming
the file's own line and column. BibTeX, CSL-JSON, CSL-YAML and CSL styles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from wbbrief.base import limits
from wbbrief.document.bibliography import BibliographyError, default_style, read_keys, read_style

Run = Callable[..., Result]
CSL = 'xmlns="http://purl.org/net/xbiblio/csl"'


def keys(tmp_path: Path, name: str, text: str | bytes) -> dict[str, tuple[int, int]]:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return {k: (p.line, p.col) for k, p in read_keys(path).items()}


def refusal(tmp_path: Path, name: str, text: str | bytes) -> str:
    """The error reading the file gives, as the user sees it, without the folder."""
    with pytest.raises(BibliographyError) as caught:
        keys(tmp_path, name, text)
    shown = str(caught.value)
    assert (
        "\n" not in shown
        and shown
        == f"{tmp_path / name}:{caught.value.position.line}:{caught.value.position.col}: {caught.value.message}"
    )
    return shown.replace(f"{tmp_path}/", "")


# --- BibTeX ---------------------------------------------------------------------------------------


def test_bibtex_keys_of_every_entry_form_with_their_lines(tmp_path: Path) -> None:
    bib = (
        "Text outside entries, an address me@example.org and @ alone are comments.\n"
        "@Comment{ @book{ghost, title = {x}} {nested} }\n"
        '@STRING( es = "European {\\"}Security" )\n'
        '@preamble{ "\\newcommand{x}" # {y} }\n'
        "@ book ( paren , title = {a \\} b}, year = 1994 )\n"
        '@article{\n   spaced,\n  title = "quoted {"} \\" still" # es # {x},\n  note = bare-word,\n}\n'
        "@misc{last,}"
    )
    assert keys(tmp_path, "r.bib", bib) == {"paren": (5, 10), "spaced": (7, 4), "last": (11, 7)}


def test_bibtex_values_are_read_to_their_exact_end(tmp_path: Path) -> None:
    bib = (
        '@book{a,x={1},y="2"}@book{b, t = x#"y", u = ""}\n'  # no space after a comma, a '#', an entry
        '@misc{c, t = "x"}\n'  # a quoted value right before the closing brace
        '@misc{d, t = "{{x}"} @book{ghost,} "}\n'  # a quotation mark inside braces is no end
    )
    assert keys(tmp_path, "r.bib", bib) == {"a": (1, 7), "b": (1, 27), "c": (2, 7), "d": (3, 7)}


def test_an_at_sign_that_opens_no_entry_is_skipped_one_character_at_a_time(tmp_path: Path) -> None:
    assert keys(tmp_path, "R.BIB", "@@book{k, title = {x}}\n@{not}@misc{m,}") == {"k": (1, 8), "m": (2, 13)}


def test_a_key_given_twice_is_an_error_at_the_second_naming_the_first(tmp_path: Path) -> None:
    bib = "@book{a, title = {x}}\n\n@article{b, title = {y}}\n  @misc{a, title = {z}}\n"
    assert refusal(tmp_path, "r.bib", bib) == "r.bib:4:9: the key 'a' is given twice (first at line 1, column 7)"


@pytest.mark.parametrize(
    ("bib", "message"),
    [
        ("@book{, title = {x}}", "r.bib:1:7: the @book entry has no key"),
        ("@book{a title = {x}}", "r.bib:1:7: the @book entry has no key"),
        ("@book{a,\n  title = )\n}", "r.bib:2:11: unexpected ')' in a field's value"),
        ("@book{a,\n  = {x}}", "r.bib:2:3: expected a field such as 'title = {...}'"),
        ("@book{a,\n  title = {x} # ", "r.bib:1:1: the entry is never closed"),
        ("@book{a,\n  title = {x},\n", "r.bib:1:1: the entry is never closed"),
        ("x\n@book(a, title = {x}}", "r.bib:2:21: expected a field such as"),
        ("@book{a, title = {x},\n@book{b, title = {y}}", "r.bib:1:1: the entry is never closed"),
        ("@comment{ {open }", "r.bib:1:9: this brace is never closed"),
        ('@book{a,\n title = "x \\" y}', "r.bib:2:10: this quotation mark is never closed"),
        ('@book{a, title = "x {"} y}', "r.bib:1:18: this quotation mark is never closed"),
        ("@string{es = {x}", "r.bib:1:1: the entry is never closed"),
        ("@preamble{ {x} ", "r.bib:1:1: the entry is never closed"),
        ("@comment{" + "{" * 31 + "}" * 31 + "}\n@book{a, t = " + "{" * 33, "r.bib:2:46: braces nested more than 32"),
    ],
    ids=[
        "empty-key",
        "key-without-comma",
        "bad-value",
        "nameless-field",
        "open-concatenation",
        "eof",
        "paren-closed-by-brace",
        "next-entry",
        "comment",
        "escaped-quote",
        "quote-in-braces",
        "string",
        "preamble",
        "deep",
    ],
)
def test_a_broken_bibtex_entry_is_an_error_at_its_own_line_and_column(tmp_path: Path, bib: str, message: str) -> None:
    assert refusal(tmp_path, "r.bib", bib).startswith(message)


# --- encodings and size ---------------------------------------------------------------------------


def test_a_byte_order_mark_is_no_part_of_the_first_key(tmp_path: Path) -> None:
    assert keys(tmp_path, "r.bib", "\ufeff@book{first, title = {x}}".encode()) == {"first": (1, 7)}


def test_a_file_that_is_not_utf8_is_an_error_at_the_line_of_its_first_bad_byte(tmp_path: Path) -> None:
    latin = "@book{a,\n  title = {x},\n  author = {Đorđević}}".encode()[:-12] + "Ðor".encode("latin-1") + b"}}"
    assert refusal(tmp_path, "r.bib", latin) == "r.bib:3:1: the file is not UTF-8 text"
    assert refusal(tmp_path, "r.json", b'[{"id": "\xe9"}]') == "r.json:1:1: the file is not UTF-8 text"


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "BIBLIOGRAPHY_BYTES", 100)
    shown = refusal(tmp_path, "r.yaml", "- id: a\n" * 13)
    assert shown.startswith("r.yaml:1:1: the bibliography is larger than the limit of ")
    assert keys(tmp_path, "r.yaml", "- id: a\n" + "#" * 91 + "\n") == {"a": (1, 7)}  # 100 bytes: at the limit


def test_a_folder_named_as_the_bibliography_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "r.bib").mkdir()
    with pytest.raises(
        BibliographyError, match=r"r\.bib:1:1: not a regular file; only files are read as a bibliography\Z"
    ):
        read_keys(tmp_path / "r.bib")


# --- CSL-JSON -------------------------------------------------------------------------------------


def test_csl_json_ids_beyond_ascii_or_escaped_are_located(tmp_path: Path) -> None:
    text = '[{"type":"book","id":"đorđević"},{"id": "\\u0061"},\n {"id": "b", "see": {"id": "a"}}]'
    assert keys(tmp_path, "r.json", text) == {"đorđević": (1, 17), "a": (1, 34), "b": (2, 3)}


def test_csl_json_keys_are_located_in_their_own_entry(tmp_path: Path) -> None:
    text = '[\n {"id": "ab", "title": "' + "[" * 36 + 'x"},\n {"type": "book", "id": "a"},\n  {"id": 1994}]'
    assert keys(tmp_path, "r.json", text) == {"ab": (2, 3), "a": (3, 19), "1994": (4, 4)}
    assert keys(tmp_path, "r.json", " [ ] ") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('\n  {"id": "a"}', "r.json:2:3: CSL-JSON must be a list of entries"),
        ('"a"', "r.json:1:1: CSL-JSON must be a list of entries"),
        ('[{"id": "a"},\n "b"]', "r.json:2:2: every CSL-JSON entry needs an 'id'"),
        ('[{"id": "a"},\n  {"title": "x"}]', "r.json:2:3: every CSL-JSON entry needs an 'id'"),
        ('[\n{"id": null}]', "r.json:2:1: every CSL-JSON entry needs an 'id'"),
        ('[\n {"id": true}]', "r.json:2:2: every CSL-JSON entry needs an 'id'"),
        ('[\n {"id": ["a"]}]', "r.json:2:2: every CSL-JSON entry needs an 'id'"),
        (
            '[{"id": "a"},\n {"id": "b"}, {"id":"a"}]',
            "r.json:2:16: the key 'a' is given twice (first at line 1, column 3)",
        ),
        ('[{"id": 7}, {"id": "7"}]', "r.json:1:14: the key '7' is given twice (first at line 1, column 3)"),
        ('[{"id": "a"}\n {"id": "b"}]', "r.json:2:2: not valid CSL-JSON: Expecting ',' delimiter"),
        ("", "r.json:1:1: not valid CSL-JSON: Expecting value"),
        ("[" * 20 + "]" + "[" * 14 + "]", "r.json:1:35: nested more than 32 levels deep"),  # counted down again
        ('[{"t": "' + "[" * 40 + '"}, ' + "[" * 33 + "]" * 33 + "]", "r.json:1:84: nested more than 32 levels deep"),
    ],
    ids=[
        "object",
        "string",
        "not-an-object",
        "no-id",
        "null-id",
        "true-id",
        "list-id",
        "twice",
        "number-twice",
        "syntax",
        "empty",
        "deep-after-a-close",
        "deep",
    ],
)
def test_broken_csl_json_is_an_error_at_its_entry(tmp_path: Path, text: str, message: str) -> None:
    assert refusal(tmp_path, "r.json", text).startswith(message)


# --- CSL-YAML -------------------------------------------------------------------------------------


def test_csl_yaml_keys_as_a_list_or_under_references(tmp_path: Path) -> None:
    assert keys(tmp_path, "r.yml", "- id: a\n-   title: x\n    id: 1994\n") == {"a": (1, 7), "1994": (3, 9)}
    text = "nocite: x\nreferences:\n  - {id: 'b c', type: book}\n"
    assert keys(tmp_path, "r.yaml", text) == {"b c": (3, 10)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\nitems:\n- id: a\n", "r.yaml:1:1: CSL-YAML must be a list of entries (under 'references:')"),
        ("just text", "r.yaml:1:1: CSL-YAML must be a list of entries"),
        ("", "r.yaml:1:1: CSL-YAML must be a list of entries"),
        ("- id: a\n- plain\n", "r.yaml:2:3: every CSL-YAML entry needs an 'id'"),
        ("- id: a\n- title: x\n", "r.yaml:2:3: every CSL-YAML entry needs an 'id'"),
        ("- id: a\n- id: [x]\n", "r.yaml:2:3: every CSL-YAML entry needs an 'id'"),
        ("- id: a\n- id: b\n- {id: a}\n", "r.yaml:3:8: the key 'a' is given twice (first at line 1, column 7)"),
        ("- id: a\n  id: b\n\t- x", "r.yaml:3:1: not valid YAML"),
        (
            "- id: !!python/object:os.system a\n",
            "r.yaml:1:7: YAML tags such as 'tag:yaml.org,2002:python/object:os.system' are not allowed in a CSL-YAML "
            "bibliography",
        ),
        ("- id: a\n- id: b\x07\n", "r.yaml:2:8: not valid YAML: unacceptable character #x0007"),
    ],
    ids=[
        "no-references",
        "scalar",
        "empty",
        "scalar-entry",
        "no-id",
        "list-id",
        "twice",
        "tab",
        "python-tag",
        "control-character",
    ],
)
def test_broken_csl_yaml_is_an_error_at_its_entry(tmp_path: Path, text: str, message: str) -> None:
    assert refusal(tmp_path, "r.yaml", text).startswith(message)


def test_a_csl_yaml_bibliography_may_be_larger_than_a_front_matter(tmp_path: Path) -> None:
    text = "- id: long\n  abstract: " + "x" * (limits.FRONT_MATTER_BYTES + 1) + "\n"
    assert keys(tmp_path, "r.yaml", text) == {"long": (1, 7)}


def test_a_broken_bibliography_is_one_line_from_check_with_file_line_and_column(tmp_path: Path, run: Run) -> None:
    (tmp_path / "refs.json").write_text('[{"id": "a"},\n {"id": "a"}]', encoding="utf-8")
    (tmp_path / "d.md").write_text("---\ntitle: T\nbibliography: refs.json\n---\n\nAs [@a].\n", encoding="utf-8")
    result = run("check", str(tmp_path / "d.md"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "refs.json:2:3: error: the key 'a' is given twice (first at line 1, column 3)" in result.output


# --- the style ------------------------------------------------------------------------------------


def style(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.csl"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_style_is_a_notes_style_only_when_its_class_says_note(tmp_path: Path) -> None:
    body = "<info/><citation><layout/></citation>"
    assert read_style(style(tmp_path, f'<style {CSL} class="note">{body}</style>')).note is True
    assert read_style(style(tmp_path, f'<style {CSL} class="in-text">{body}</style>')).note is False
    assert read_style(style(tmp_path, f"<style {CSL}>{body}</style>")).note is False
    bundled = read_style(None)
    assert bundled.note is True and bundled.path == default_style() and bundled.path.name.endswith(".csl")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f'<?xml version="1.0"?>\n  <!ENTITY x "y"><style {CSL}/>', "s.csl:2:3: a DOCTYPE or entity is not allowed"),
        (f"<style {CSL}>\n<info/>\n</style>", "s.csl:1:1: a dependent style: nothing is fetched"),
        (
            f'<style {CSL}><info><link rel="independent-parent" href="http://x.org/apa"/></info></style>',
            "s.csl:1:1: a dependent style (it names its parent 'http://x.org/apa'): nothing is fetched",
        ),
        (f"<style {CSL}><info/><g><citation/></g></style>", "s.csl:1:1: a dependent style"),
        (
            f'<style {CSL}><info><link rel="independent-parent"/>'
            '<link rel="self" href="http://x.org/me"/></info></style>',
            "s.csl:1:1: a dependent style: nothing is fetched, so give the parent style's own file",
        ),
        (f"<style {CSL}>" + "<g>" * 30 + "<h/>" + "<g>" * 2, "s.csl:1:145: the style's XML is nested"),
        ("<style><citation/></style>", "s.csl:1:1: not a CSL style (its root is not a CSL <style>)"),
        (f"<x {CSL}><citation/></x>", "s.csl:1:1: not a CSL style"),
        (f"<style {CSL}>\n  <citation>\n</style>", "s.csl:3:3: not valid XML: mismatched tag"),
        ("", "s.csl:1:1: not valid XML: no element found"),
        (f"<style {CSL}>" + "<g>" * 31 + "</g>" * 31 + "\n" + "<g>" * 32, "s.csl:2:94: the style's XML is nested"),
    ],
    ids=[
        "entity",
        "dependent",
        "parent",
        "citation-too-deep",
        "links-without-a-parent",
        "deep-after-a-close",
        "no-namespace",
        "other-root",
        "broken",
        "empty",
        "deep",
    ],
)
def test_a_hostile_or_dependent_style_is_an_error_at_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = style(tmp_path, text)
    with pytest.raises(BibliographyError) as caught:
        read_style(path)
    assert str(caught.value).replace(f"{tmp_path}/", "").startswith(message)


def test_a_style_over_its_limit_or_not_utf8_is_refused_unparsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "STYLE_BYTES", 100)
    path = style(tmp_path, f'<style {CSL} class="note"><citation/></style><!-- {"x" * 40} -->')  # 115 bytes
    with pytest.raises(BibliographyError, match=r"s\.csl:1:1: the CSL style is larger than the limit of 100 bytes\Z"):
        read_style(path)
    path.write_bytes(f"<style {CSL}>\n<citation/>\n\n<!-- \xe9 --></style>".encode("latin-1"))
    with pytest.raises(BibliographyError, match=r"s\.csl:4:1: the file is not UTF-8 text\Z"):
        read_style(path)
