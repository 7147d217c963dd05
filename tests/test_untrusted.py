"""Templates, data and the references in a brief are untrusted: sandbox, autoescape, one URL policy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from wbbrief.base.errors import RenderError
from wbbrief.dataset import loading
from wbbrief.render import assets, brief, pdf
from wbbrief.render.brief import BriefOptions

Run = Callable[..., Result]
DAY = dt.date(2022, 12, 1)
SANDBOX = "templates run in a sandbox and may only read the brief's data"


def _template(folder: Path, body: str, name: str = "brief.html.j2") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return folder


def _one_line_error(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wbbrief: error: "), result.stderr
    return lines[0]


# --- the sandbox ----------------------------------------------------------------------------------

ESCAPES = {
    "cycler": '{{ cycler.__init__.__globals__.os.popen("id").read() }}',
    "joiner": '{{ joiner.__init__.__globals__.os.popen("id").read() }}',
    "namespace": '{{ namespace.__init__.__globals__.os.popen("id").read() }}',
    "lipsum": '{{ lipsum.__globals__["os"].popen("id").read() }}',
    "__class__": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "__subclasses__": "{% set o = ().__class__.__base__ %}{{ o.__subclasses__() }}",
    "__globals__": "{{ fig.__globals__ }}",
    "attr filter": "{{ cycler | attr('__init__') | attr('__globals__') }}",
    "template context": "{{ self._TemplateReference__context }}",
    "the data's to_csv": '{{ notes.bundle.figures.to_csv("OUT/written.csv") }}',
    "a mutating call": "{% set x = headings.append(1) %}{{ x }}",
}


@pytest.mark.parametrize("payload", ESCAPES.values(), ids=ESCAPES.keys())
def test_well_known_template_escapes_fail_with_one_line(tmp_path: Path, run: Run, payload: str) -> None:
    templates = _template(tmp_path / "house", payload.replace("OUT", str(tmp_path)))
    out = tmp_path / "brief.html"
    line = _one_line_error(run("export-html", "--template-dir", str(templates), "-o", str(out)))
    assert line.startswith("wbbrief: error: template error (") and "brief.html.j2, line 1)" in line
    # The attr filter turns the refusal into an undefined value, whose next use fails; the data are
    # plain records (tuples of frozen dataclasses), which have no method that writes.
    assert (
        ("unsafe" in line and SANDBOX in line)
        or "StrictUndefined object' has no attribute '__globals__'" in line
        or "'tuple object' has no attribute 'to_csv'" in line
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["house"]  # no brief, no written.csv


def test_the_issues_popen_payload_does_not_reach_the_pdf(tmp_path: Path, run: Run) -> None:
    templates = _template(tmp_path / "house", '{{ cycler.__init__.__globals__.os.popen("id").read() }}')
    out = tmp_path / "brief.pdf"
    line = _one_line_error(run("export-pdf", "--template-dir", str(templates), "-o", str(out)))
    assert line == (
        "wbbrief: error: template error (" + str(templates / "brief.html.j2") + ", line 1): access to attribute "
        f"'__init__' of 'type' object is unsafe: {SANDBOX}"
    )
    assert not out.exists()


def test_packaged_templates_are_sandboxed_too() -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    for folder in (None, Path(__file__).parent):
        env = brief.environment(folder)
        assert isinstance(env, ImmutableSandboxedEnvironment)
        assert env.autoescape is True
    with pytest.raises(Exception, match="unsafe"):
        brief.environment(None).from_string("{{ cycler.__init__.__globals__ }}").render()


@pytest.mark.parametrize("name", ["../../../../../../etc/hostname", "wbbrief/../../../../../../etc/hostname"])
def test_templates_cannot_include_files_outside_their_folders(tmp_path: Path, run: Run, name: str) -> None:
    templates = _template(tmp_path / "house", f'{{% include "{name}" %}}')
    line = _one_line_error(run("export-html", "--template-dir", str(templates), "-o", str(tmp_path / "x.html")))
    assert line == f"wbbrief: error: template not found: {name}"


def test_a_symlink_in_the_template_dir_cannot_pull_in_another_file(tmp_path: Path, run: Run) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish")
    templates = _template(tmp_path / "house", '{% include "notes.txt" %}')
    (templates / "notes.txt").symlink_to(secret)
    result = run("export-html", "--template-dir", str(templates), "-o", str(tmp_path / "x.html"))
    assert "template not found: notes.txt" in _one_line_error(result)


# --- autoescape: markup through every field a template prints -------------------------------------

PRINTED = {
    "figures": ["question", "answer"],
    "surveys": ["name", "short_name", "publisher", "citation", "url"],
    "findings": ["text"],
    "recommendations": ["level", "title", "text"],
    "iisg_pillars": ["acronym", "name", "focus"],
}


def _marked(value: object, where: str) -> object:
    return f"{value}<i>{where}</i>" if isinstance(value, str) else value


@pytest.mark.parametrize("for_print", [False, True], ids=["html", "print"])
def test_markup_in_every_printed_field_is_escaped(for_print: bool) -> None:
    bundle = loading.load_bundle()
    tables = {}
    for table, columns in PRINTED.items():
        tables[table] = tuple(
            dataclasses.replace(r, **{c: _marked(getattr(r, c), f"{table}.{c}") for c in columns})
            for r in getattr(bundle, table)
        )
    marked = dataclasses.replace(bundle, **tables)
    options = BriefOptions(date=DAY, title="T<i>title</i>", subtitle="S<i>subtitle</i>", author="A<i>author</i>")
    html = brief.render_html(marked, options, for_print=for_print)
    assert not re.findall(r"<i>[a-z_.]+</i>", html)
    shown = set(re.findall(r"&lt;i&gt;([a-z_.]+)&lt;/i&gt;", html))
    expected = {f"{t}.{c}" for t, cs in PRINTED.items() for c in cs} | {"title", "subtitle", "author"}
    assert shown == expected


def test_markup_in_user_data_is_escaped_in_the_html(tmp_path: Path, run: Run) -> None:
    """Question, answer, survey name and citation come from the user's files (fictional fixture)."""
    (tmp_path / "figures.csv").write_text(
        "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote\n"
        "x-1,xs,2023,AL,threats,Q<b>question</b>,A<b>answer</b>,41,percent,,2023,3,\n",
        encoding="utf-8",
    )
    (tmp_path / "sources.csv").write_text(
        "id,name,short_name,edition,publisher,title,countries,citation,url\n"
        "xs,N<b>name</b>,S<b>short</b>,2023,P<b>publisher</b>,T,Albania,C<b>citation</b>,\n",
        encoding="utf-8",
    )
    out = tmp_path / "brief.html"
    result = run("export-html", "-d", str(tmp_path / "figures.csv"), "-d", str(tmp_path / "sources.csv"),
                 "-o", str(out), "--date", "2022-12-01")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    html = out.read_text()
    assert "<b>" not in html
    for word in ("question", "answer", "citation"):
        assert f"&lt;b&gt;{word}&lt;/b&gt;" in html, word


# --- one URL policy for export-html and export-pdf ------------------------------------------------

REFUSED = {
    "file: image": ('<img src="file:///etc/passwd" alt="">', "file:///etc/passwd"),
    "http stylesheet": ('<link rel="stylesheet" href="http://example.invalid/a.css">', "http://example.invalid/a.css"),
    "https image": ('<img src="https://example.invalid/x.png" alt="">', "https://example.invalid/x.png"),
    "protocol-relative": ('<img src="//example.invalid/x.png" alt="">', "//example.invalid/x.png"),
    "relative path": ('<img src="../../etc/hostname" alt="">', "../../etc/hostname"),
    "entity-encoded": ('<img src="&#102;ile:///etc/hostname" alt="">', "file:///etc/hostname"),
    "tab in scheme": ('<img src="fi\tle:///etc/hostname" alt="">', "file:///etc/hostname"),
    "css url()": ("<style>body { background: url(http://example.invalid/b.png) }</style>", "http://example.invalid/b.png"),
    "css escape": ("<style>p { background: u\\72 l(file:///etc/hostname) }</style>", "file:///etc/hostname"),
    "css @import": ('<style>@import "https://example.invalid/c.css";</style>', "https://example.invalid/c.css"),
    "font-face": ("<style>@font-face { font-family: x; src: url(file:///tmp/f.ttf) }</style>", "file:///tmp/f.ttf"),
    "style attribute": ('<p style="background-image: url(\'http://example.invalid/d.png\')">x</p>', "http://example.invalid/d.png"),
    "srcset": ('<img src="data:," srcset="data:,x 1x, https://example.invalid/2x.png 2x" alt="">', "https://example.invalid/2x.png"),
    "svg image": ('<svg><image href="file:///etc/hostname"/></svg>', "file:///etc/hostname"),
    "meta refresh": ('<meta http-equiv="refresh" content="0; url=https://example.invalid/">', "https://example.invalid/"),
    "file: hyperlink": ('<a href="file:///etc/passwd">x</a>', "file:///etc/passwd"),
    "javascript: link": ('<a href="javascript:alert(1)">x</a>', "javascript:alert(1)"),
    "missing asset": ('<link rel="stylesheet" href="wbbrief:nothing.css">', "wbbrief:nothing.css"),
    "asset traversal": ('<link rel="stylesheet" href="wbbrief:../data/figures.csv">', "wbbrief:../data/figures.csv"),
}  # fmt: skip
HEAD_EXTRA = '{{% extends "wbbrief/brief.html.j2" %}}{{% block head_extra %}}{}{{% endblock %}}'
BOTH = ["file: image", "http stylesheet", "css escape", "style attribute"]


def _message(url: str) -> str:
    return (
        f"wbbrief: error: the brief refers to '{url}', which wbbrief does not fetch "
        "(only data: URIs and wbbrief's own assets)"
    )


@pytest.mark.parametrize(("markup", "url"), REFUSED.values(), ids=REFUSED.keys())
def test_export_html_refuses_what_the_pdf_refuses(tmp_path: Path, run: Run, markup: str, url: str) -> None:
    templates = _template(tmp_path / "house", HEAD_EXTRA.format(markup))
    out = tmp_path / "brief.html"
    assert _one_line_error(run("export-html", "--template-dir", str(templates), "-o", str(out))) == _message(url)
    assert not out.exists()


@pytest.mark.parametrize("name", BOTH)
def test_export_pdf_gives_the_same_error(tmp_path: Path, run: Run, name: str) -> None:
    markup, url = REFUSED[name]
    templates = _template(tmp_path / "house", HEAD_EXTRA.format(markup))
    out = tmp_path / "brief.pdf"
    assert _one_line_error(run("export-pdf", "--template-dir", str(templates), "-o", str(out))) == _message(url)
    assert not out.exists()


@pytest.mark.parametrize("markup", REFUSED["css @import"][:1] + REFUSED["file: image"][:1])
def test_the_pdf_fetcher_refuses_on_its_own(markup: str) -> None:
    """Defence in depth: the fetcher applies the policy even to HTML the check did not see."""
    fetcher = pdf.safe_fetcher()
    from weasyprint.urls import FatalURLFetchingError

    for url in ("file:///etc/hostname", "http://example.invalid/", "wbbrief:../data/figures.csv"):
        with pytest.raises(FatalURLFetchingError, match="which wbbrief does not fetch"):
            fetcher.fetch(url)
    response = fetcher.fetch("wbbrief:brief.css")
    assert response.content_type == "text/css" and b"@page" in response.read()


@pytest.mark.parametrize(
    ("markup", "what"),
    [("<script>fetch('https://example.invalid')</script>", "<script>"),
     ('<iframe src="data:text/html,x"></iframe>', "<iframe>"),
     ('<base href="https://example.invalid/">', "<base>"),
     ('<img src="data:," alt="" onerror="alert(1)">', "<img onerror=>")],
)  # fmt: skip
def test_scripts_and_embedded_documents_are_refused(tmp_path: Path, run: Run, markup: str, what: str) -> None:
    templates = _template(tmp_path / "house", f"<html><body>{markup}</body></html>")
    line = _one_line_error(run("export-html", "--template-dir", str(templates), "-o", str(tmp_path / "x.html")))
    assert line.startswith(f"wbbrief: error: the brief contains {what}, which wbbrief does not allow")


def test_hyperlinks_to_the_web_and_packaged_assets_are_allowed(tmp_path: Path, run: Run) -> None:
    templates = _template(
        tmp_path / "house",
        '{% extends "wbbrief/brief.html.j2" %}{% block head_extra %}<link rel="stylesheet" href="wbbrief:brief.css">'
        '{% endblock %}{% block cover %}<p><a href="https://example.org/house">Institute X</a></p>{% endblock %}',
    )
    out = tmp_path / "brief.html"
    result = run("export-html", "--template-dir", str(templates), "-o", str(out), "--date", "2022-12-01")
    assert result.exit_code == 0, result.stderr
    html = out.read_text()
    assert 'href="https://example.org/house"' in html
    assert "wbbrief:brief.css" not in html and 'href="data:text/css;base64,' in html  # inlined: the file stands alone
    pdf_out = tmp_path / "brief.pdf"
    result = run("export-pdf", "--template-dir", str(templates), "-o", str(pdf_out), "--date", "2022-12-01")
    assert result.exit_code == 0, result.stderr


def test_the_packaged_brief_passes_the_policy() -> None:
    for for_print in (False, True):
        html = brief.render_html(loading.load_bundle(), BriefOptions(date=DAY), for_print=for_print)
        assets.check_references(html)
        urls = [u for u, _ in assets.references(html)]
        # For print, the shipped faces are package assets (templates/fonts); nothing else is referred to.
        own = ("wbbrief:fonts/",) if for_print else ()
        assert urls and all(u.startswith(("#", "data:", *own)) for u in urls)
        assert all(assets.asset(u) is not None for u in urls if u.startswith("wbbrief:"))


@pytest.mark.weasyprint_errors
def test_a_resource_weasyprint_cannot_read_is_an_error_not_a_hole() -> None:
    html = "<html lang='en'><title>t</title><img src='wbbrief:brief.css' alt='x'><p>x</p></html>"
    with pytest.raises(
        RenderError, match=r"^WeasyPrint could not render the brief: Failed to load image at 'wbbrief:brief\.css'$"
    ):
        pdf.html_to_pdf(html, variant="ua", day=DAY)


# --- the policy module, unit by unit (fast, so that mutation testing can run them per mutant) -----


@pytest.mark.parametrize(
    "url",
    ["wbbrief:brief.css", "WBBRIEF:brief.css", " wbbrief:brief.css\n", "wbbrief:/brief.css", "wbbrief:br\tief.css"],
)
def test_asset_finds_packaged_files_with_their_type(url: str) -> None:
    found = assets.asset(url)
    assert found is not None
    content, kind = found
    assert kind == "text/css" and b"@page" in content


@pytest.mark.parametrize(
    "url",
    ["wbbrief:", "wbbrief:nothing.css", "wbbrief:../data/figures.csv", "wbbrief:a/../brief.css",
     "http://example.invalid/brief.css", "brief.css", "wbbrie:brief.css", "data:text/css,p{}"],
)  # fmt: skip
def test_asset_refuses_the_rest(url: str) -> None:
    assert assets.asset(url) is None


def test_an_asset_without_a_known_type_is_octet_stream() -> None:
    found = assets.asset("wbbrief:macros.html.j2")
    assert found is not None and found[1] == "application/octet-stream" and b"macro" in found[0]


@pytest.mark.parametrize(
    ("url", "linking", "ok"),
    [("", False, True), ("#note-1", False, True), ("data:image/png;base64,AA", False, True),
     ("DATA:,x", False, True), ("wbbrief:brief.css", False, True), ("wbbrief:none.css", False, False),
     ("https://example.org", False, False), ("https://example.org", True, True), ("HTTP://example.org", True, True),
     ("mailto:a@example.org", True, True), ("file:///etc/passwd", True, False), ("javascript:x", True, False),
     ("ftp://example.org", True, False), ("  #x", False, True), ("relative.png", False, False),
     ("\x00file:///etc/passwd", False, False), ("\x00\f\v data:,x", False, True)],
)  # fmt: skip
def test_allowed(url: str, linking: bool, ok: bool) -> None:
    assert assets.allowed(url, linking) is ok
    if not linking:
        assert assets.allowed(url) is ok  # by default a reference is something loaded, not a hyperlink


def test_references_lists_what_is_loaded_and_what_is_only_linked() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="a.css"><style>@import "b.css"; p { background: url(c.png) }'
        "@font-face { src: url('d.woff') } @media print { q { background: url(e.png) } }</style></head>"
        '<body><a href="https://f.example">f</a><area href="g.html"><img src="h.png" srcset="i.png 2x, j.png 3x">'
        '<p style="background: url(k.png)">x</p><svg><image href="l.png"/><a xlink:href="m.html">m</a></svg>'
        '<video poster="n.png"></video><meta http-equiv="refresh" content="0; URL=\'o.html\'">'
        '<div style="background: image-set(\'p.png\' 1x)"></div><img src="&#113;.png"><link href="r.css"/>'
        "</body></html>"
    )
    found = sorted(assets.references(html))
    assert found == sorted(
        [("a.css", False), ("b.css", False), ("c.png", False), ("d.woff", False), ("e.png", False),
         ("https://f.example", True), ("g.html", True), ("h.png", False), ("i.png", False), ("j.png", False),
         ("k.png", False), ("l.png", False), ("m.html", True), ("n.png", False), ("o.html", False),
         ("p.png", False), ("q.png", False), ("r.css", False)]
    )  # fmt: skip


def test_css_urls_are_found_however_they_are_written() -> None:
    css = "p{background:U\\52L(a.png)} q{background:url( 'b.png' )} /* url(comment.png) */ r{x:src(\"c.png\")}"
    assert sorted(assets._css_urls(css)) == ["a.png", "b.png", "c.png"]
    assert sorted(assets._css_urls("background: url(a.png), -webkit-image-set('b.png' 1x)", declarations=True)) == [
        "a.png", "b.png",
    ]  # fmt: skip
    assert list(assets._css_urls("p { color: red }")) == []


@pytest.mark.parametrize(
    ("srcset", "urls"),
    [("a.png", ["a.png"]), ("a.png 1x, b.png 2x", ["a.png", "b.png"]), ("  a.png  ,b.png", ["a.png", "b.png"]),
     ("data:,x 1x, c.png 400w", ["data:,x", "c.png"]), ("a.png,, b.png", ["a.png", "b.png"]),
     ("a.png 1x,b.png", ["a.png", "b.png"]), ("", []),
     ("a.png, ", ["a.png"])],
)  # fmt: skip
def test_srcset_is_split_as_browsers_split_it(srcset: str, urls: list[str]) -> None:
    assert list(assets._srcset_urls(srcset)) == urls


def test_check_references_names_the_first_refused_url() -> None:
    assets.check_references('<img src="data:,x" alt=""><a href="https://example.org">x</a><style>p{}</style>')
    with pytest.raises(RenderError) as caught:
        assets.check_references('<img src="data:,x"><img src=" file:///a "><img src="http://b">')
    assert str(caught.value) == (
        "the brief refers to 'file:///a', which wbbrief does not fetch (only data: URIs and wbbrief's own assets)"
    )
    long = "http://example.invalid/" + "x" * 200
    with pytest.raises(RenderError, match=r"refers to 'http://example\.invalid/x{97}', which"):
        assets.check_references(f'<img src="{long}">')


@pytest.mark.parametrize("element", sorted(assets.REFUSED_ELEMENTS))
def test_every_refused_element_is_refused(element: str) -> None:
    with pytest.raises(RenderError) as caught:
        assets.references(f"<p>x</p><{element.upper()} x='1'></{element}>")
    assert str(caught.value) == (
        f"the brief contains <{element}>, which wbbrief does not allow "
        "(a brief runs no scripts and embeds no other documents)"
    )


def test_event_handlers_are_refused_and_other_attributes_are_not() -> None:
    with pytest.raises(RenderError, match=r"^the brief contains <body onload=>"):
        assets.references('<body ONLOAD="x()">')
    assert assets.references('<p class="x" id="y" data-x="z" lang="en" hidden>x</p>') == []


def test_inline_assets_turns_package_references_into_data_uris() -> None:
    import base64

    html = '<link rel="stylesheet" href="wbbrief:brief.css"><img src="data:,x"><a href="#n">n</a>'
    inlined = assets.inline_assets(html)
    css = assets.asset("wbbrief:brief.css")
    assert css is not None
    assert inlined == html.replace("wbbrief:brief.css", "data:text/css;base64," + base64.b64encode(css[0]).decode())


@pytest.mark.parametrize(
    ("html", "urls"),
    [('<style>@import "http://example.invalid/a.css";', ["http://example.invalid/a.css"]),  # never closed
     ("<STYLE>p { background: url(b.png) }</STYLE><IMG SRC='c.png'>", ["b.png", "c.png"]),
     ('<style/><p style="background: url(d.png)">x</p>', ["d.png"]),
     ("<style>p { x: (url(e.png)) } q { y: [url(f.png)] }</style><p>url(not-css.png)</p>", ["e.png", "f.png"]),
     ('<img imagesrcset="g.png 1x">', ["g.png"]),
     ('<meta http-equiv="refresh" content="5;url = \'h.html\' ">', ["h.html"]),
     ("<p>style and url(i.png) in text are not CSS</p><style></style>", []),
     ("<style>p {}</style><p>q { background: url(not-css.png) }</p>", []),  # text after </style> is not CSS
     ('<img hidden src="j.png">', ["j.png"])],  # after an attribute without a value
)  # fmt: skip
def test_references_in_every_place_css_can_hide(html: str, urls: list[str]) -> None:
    assert sorted(u for u, _ in assets.references(html)) == urls
