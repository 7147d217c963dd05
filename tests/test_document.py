"""Markdown documents: parsing, `wbbrief check` and the prose renderer, on the bundled figure ids."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from wbbrief.base.errors import RenderError
from wbbrief.dataset.loading import load_bundle
from wbbrief.document.check import check_document
from wbbrief.document.figures import load_index
from wbbrief.document.model import Position
from wbbrief.document.parse import parse_document, read_document
from wbbrief.render import brief
from wbbrief.render.html import render_body

Run = Callable[..., Result]

# Fixtures only: a fictional later edition, written to temporary files and never shipped.
HEADER = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote"
NEW_EDITION = (
    "asb-2023-corruption,asb,2023,AL,threats,Most serious security threat to Albania,Corruption,41.0,percent,,2023,12,"
)
CORRUPTION = "asb-threat-first-corruption"  # 39.3% in the paper (ASB 2022, p. 27, fn. 26)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def doc(tmp_path: Path, text: str, name: str = "brief.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def new_edition(tmp_path: Path) -> Path:
    path = tmp_path / "asb-2023.csv"
    path.write_text(f"{HEADER}\n{NEW_EDITION}\n", encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, data: tuple[Path, ...] = ()) -> list[str]:
    """'line:col: severity: message' for every problem of a document."""
    path = doc(tmp_path, text)
    document = read_document(path)
    found = check_document(document, load_index(data), "d.md")
    return [str(d).removeprefix("d.md:") for d in found]


def render(tmp_path: Path, text: str, data: tuple[Path, ...] = ()) -> str:
    """The document's body as the one renderer (export-pdf's) renders it, and its notes' text."""
    path = doc(tmp_path, text)
    options = brief.BriefOptions(date=dt.date(2026, 1, 1), data=data)
    body, notes = render_body(read_document(path), load_bundle(data), options)
    return body + "".join(f'<li id="note-{n["number"]}">{n["citation"]}, {n["page"]}</li>' for n in notes)


# --- roles ---------------------------------------------------------------------------------


def test_stat_renders_the_value_with_one_numbered_note_per_figure(tmp_path: Path) -> None:
    html = render(
        tmp_path,
        f"Corruption: {{stat}}`{CORRUPTION}`; cooperation: {{stat}}`sm-regional-cooperation-needed`; "
        f"again {{stat}}`{CORRUPTION}`; the first concern is ranked {{stat}}`sm-concern-economic`.\n",
    )
    assert 'Corruption: 39.3%<a class="noteref" id="ref-1" href="#note-1"><sup>1</sup></a>;' in html
    assert 'cooperation: 70%<a class="noteref" id="ref-2" href="#note-2"><sup>2</sup></a>;' in html
    assert html.count('href="#note-1"') == 1  # every place its own note, in reading order (issue 18)
    assert 'again 39.3%<a class="noteref" id="ref-3" href="#note-3">' in html
    assert "ranked 1st<a" in html  # ranks as ordinals, as the query commands show them
    assert '<li id="note-1">Dyrmishi. A. (2022). Albanian Security Barometer' in html and ", 27</li>" in html
    assert html.count("<li id=") == 4  # four places, four notes


def test_answer_and_question_render_the_figure_text_escaped(tmp_path: Path) -> None:
    html = render(tmp_path, f"{{answer}}`{CORRUPTION}` is the answer to {{question}}`{CORRUPTION}`.\n")
    assert "<p>Corruption is the answer to Most serious security threat to Albania.</p>" in html
    assert "note" not in html  # words, not numbers: no provenance note


def test_latest_and_change_follow_a_later_edition_when_one_is_loaded(tmp_path: Path) -> None:
    text = f"Then {{stat}}`{CORRUPTION}`, now {{latest}}`{CORRUPTION}`, a change of {{change}}`{CORRUPTION}`.\n"
    html = render(tmp_path, text, (new_edition(tmp_path),))
    assert "Then 39.3% in 2022 and 41% in 2023<a" in html and "now 41%<a" in html
    assert '<span class="change">+1.7 pts</span>' in html
    assert "Albanian Security Barometer 2023 (user-supplied; no citation given), 12</li>" in html
    # Without the later edition, {latest} is the paper's figure and {change} has nothing to show.
    assert "<p>39.3%<a" in render(tmp_path, f"{{latest}}`{CORRUPTION}`\n")
    with pytest.raises(RenderError, match="no later edition"):
        render(tmp_path, f"{{change}}`{CORRUPTION}`\n")


def test_role_problems(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "A {stat}`asb-threat-first-coruption` and {sta}`x` and {stat}` ` and {change}`sm-concern-economic`\n"
        f"and {{change}}`{CORRUPTION}`.\n",
    )
    assert found == [
        "1:10: error: unknown figure id 'asb-threat-first-coruption'; did you mean 'asb-threat-first-corruption'?",
        "1:42: error: unknown role '{sta}'; did you mean '{stat}'?",
        "1:62: error: the role {stat} needs a figure id between the backticks",
        "1:78: error: {change} needs a share, and 'sm-concern-economic' is a rank",
        f"2:14: error: no later edition of '{CORRUPTION}' is loaded, so {{change}} has nothing to show; "
        f"use {{stat}}`{CORRUPTION}`",
    ]


def test_a_stat_with_a_newer_edition_loaded_is_a_warning(tmp_path: Path) -> None:
    found = problems(tmp_path, f"Corruption: {{stat}}`{CORRUPTION}`.\n", (new_edition(tmp_path),))
    assert found == [
        f"1:20: warning: a newer edition of '{CORRUPTION}' is loaded (ASB 2023: 41%); "
        f"show it with {{latest}}`{CORRUPTION}` or {{change}}`{CORRUPTION}`"
    ]


# --- directives ----------------------------------------------------------------------------


def test_every_directive_parses_into_a_typed_object_with_positions(tmp_path: Path) -> None:
    text = (
        "```{chart} Most serious threats\n:country: albania\n"
        ":question: Most serious security threat to Albania\n```\n\n"
        "```{table}\nasb-threat-first-corruption\nsm-regional-cooperation-needed, sm-concern-economic\n```\n\n"
        "  ```{findings}\n  :country: kosovo\n  :survey: iri\n  :topic: open-balkan\n  ```\n\n"
        "```{recommendations}\nwbsf\niisg\n```\n"
    )
    document = parse_document(text, tmp_path / "d.md")
    chart, table, findings, recommendations = document.directives
    assert chart.name == "chart" and chart.position == Position(1, 1)
    assert chart.caption and chart.caption.text == "Most serious threats" and chart.caption.position == Position(1, 12)
    assert chart.country and chart.country.text == "albania" and chart.country.position == Position(2, 11)
    assert chart.question and chart.question.position == Position(3, 12)
    assert [(i.text, i.position) for i in table.ids] == [
        ("asb-threat-first-corruption", Position(7, 1)),
        ("sm-regional-cooperation-needed", Position(8, 1)),
        ("sm-concern-economic", Position(8, 33)),
    ]
    assert findings.position == Position(11, 3) and findings.survey and findings.survey.position == Position(13, 12)
    assert findings.topic and findings.topic.text == "open-balkan"
    assert [i.text for i in recommendations.ids] == ["wbsf", "iisg"]
    assert check_document(document, load_index()) == []


def test_directive_problems_are_located(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "```{chrt}\n```\n\n"  # 1
        "```{chart} Threats\n:colr: red\n:country: narnia\n:country: albania\n:survey: asbb\n:topic: threat\n"
        ":question: Most serious threat\n:caption:\n```\n\n"  # 4
        "```{findings} A caption\nal-corruption-frist\n:topic: threats\n```\n\n"  # 14
        "```{recommendations}\n:country: albania\nwbs\n```\n\n"  # 19
        "```{chart}\n```\n\n"  # 24
        "```{table}\n:topic: threats\nasb-threat-first-corruption\n```\n",  # 27
    )
    assert found == [
        "1:1: error: unknown directive '{chrt}'; did you mean '{chart}'?",
        "5:1: error: unknown option ':colr:' for {chart}; did you mean ':country:'?",
        "6:11: error: :country: unknown country 'narnia'. Did you mean North Macedonia? Valid: Albania (AL), "
        "Bosnia and Herzegovina (BA), Kosovo (XK), Montenegro (ME), North Macedonia (MK), Serbia (RS), "
        "or WB6 for the region.",
        "7:1: error: the option ':country:' is given twice",
        "8:10: error: :survey: unknown survey 'asbb'; did you mean 'asb'?",
        "9:9: error: :topic: unknown topic 'threat'; did you mean 'threats'?",
        "10:12: error: :question: unknown question 'Most serious threat'; "
        "did you mean 'Most serious security threat to Albania'?",
        "11:1: error: unknown option ':caption:' for {chart}; did you mean ':question:'?",
        "14:15: error: {findings} takes no caption after its name",
        "15:1: error: unknown finding id 'al-corruption-frist'; did you mean 'al-corruption-first'?",
        "16:1: error: options go at the top of the directive, before any id",
        "20:1: error: unknown option ':country:' for {recommendations}; {recommendations} takes no options",
        "21:1: error: unknown recommendation id 'wbs'; did you mean 'wbsf'?",
        "24:1: error: {chart} needs figure ids, one a line, or a :question: or :topic:",
        "27:1: error: {table} takes either figure ids or filter options, not both",
    ]


def test_an_option_without_a_value_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, "```{findings}\n:country:\n```\n") == ["2:1: error: the option ':country:' needs a value"]


def test_a_plain_code_fence_is_code_not_a_directive(tmp_path: Path) -> None:
    assert problems(tmp_path, "```python\nx = '45%'  # {stat}`nope` <b>\n```\n\n    45% indented code\n") == []


# --- front matter --------------------------------------------------------------------------


def test_front_matter_is_typed_and_data_paths_resolve_inside_the_folder(tmp_path: Path) -> None:
    new_edition(tmp_path)
    text = (
        "---\ntitle: Corruption first\nsubtitle: A memo\nauthor: Institute X\ndate: 2022-12-01\nlang: en\n"
        "country: Shqipëri\nvariant: a3\ndata: asb-2023.csv\n---\n"
        f"Now {{latest}}`{CORRUPTION}`.\n"
    )
    document = read_document(doc(tmp_path, text))
    front = document.front_matter
    assert (front.title, front.subtitle, front.author, str(front.date), front.lang) == (
        "Corruption first", "A memo", "Institute X", "2022-12-01", "en",
    )  # fmt: skip
    assert front.country == "AL" and front.variant == "a3"
    assert front.data == ((tmp_path / "asb-2023.csv").resolve(),)
    assert document.problems == []


# fmt: off
FRONT_MATTER_CASES = [
    ("title: [unclosed\n", "2:17: error: the front matter is not valid YAML: expected ',' or ']', but got '<stream end>'"),  # noqa: E501
    ("title: x\ntitel: y\n", "3:1: error: unknown front matter key 'titel'; did you mean 'title'?"),
    ("colour: red\n", "2:1: error: unknown front matter key 'colour'; did you mean 'colours'?"),
    ("size: 3\n", "2:1: error: unknown front matter key 'size'; known keys: title, subtitle, author, date, lang, country, variant, data, level, bibliography, csl, organisation, logo, contact, footer, colours, cover, toc, colophon"),  # noqa: E501
    ("title: x\ntitle: y\n", "3:1: error: 'title' is given twice"),
    ("title: 2022\n", "2:8: error: title: must be text (put it in quotes)"),
    ("date: 12/01/2022\n", "2:7: error: date: '12/01/2022' is not a date (YYYY-MM-DD)"),
    ("lang: english language\n", "2:7: error: lang: 'english language' is not a language tag such as 'en' or 'sq-AL'"),
    ("variant: pdf\n", "2:10: error: variant: 'pdf' is not a variant: ua (PDF/UA-1) or a3 (PDF/A-3u)"),
    ("data: ../outside.csv\n", "2:7: error: data: '../outside.csv' leads outside the document's folder"),
    ("data: [/etc/passwd]\n", "2:8: error: data: '/etc/passwd' must be a path relative to the document's folder"),
    ("data: missing.csv\n", "2:7: error: data: 'missing.csv': no such file or folder"),
    ("- a list\n", "2:1: error: the front matter must be 'key: value' lines"),
    ("title: &a x\nsubtitle: *a\n", "2:8: error: YAML anchors and aliases are not allowed in the front matter"),
]
# fmt: on


@pytest.mark.parametrize(("front", "expected"), FRONT_MATTER_CASES)
def test_front_matter_problems(tmp_path: Path, front: str, expected: str) -> None:
    assert problems(tmp_path, f"---\n{front}---\nText.\n") == [expected]


def test_an_unclosed_front_matter_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, "---\ntitle: x\n\nText.\n") == ["1:1: error: the front matter has no closing '---' line"]


def test_a_data_path_that_is_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    new_edition(outside)
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "data.csv").symlink_to(outside / "asb-2023.csv")
    found = problems(folder, "---\ndata:\n  - data.csv\n---\n")
    assert found == ["3:5: error: data: 'data.csv' is a link to a place outside the document's folder"]


# --- safety --------------------------------------------------------------------------------


def test_raw_html_is_an_error_and_renders_as_text(tmp_path: Path) -> None:
    text = "<div onclick=x>\nHello <b>bold</b> <!-- note -->\n</div>\n\n<script>alert(1)</script>\n"
    assert problems(tmp_path, text) == [
        "1:1: error: raw HTML is not allowed: '<div onclick=x>' (it would show as text)",
        "2:7: error: raw HTML is not allowed: '<b>' (it would show as text)",
        "2:14: error: raw HTML is not allowed: '</b>' (it would show as text)",
        "2:19: error: raw HTML is not allowed: '<!-- note -->' (it would show as text)",
        "3:1: error: raw HTML is not allowed: '</div>' (it would show as text)",
        "5:1: error: raw HTML is not allowed: '<script>' (it would show as text)",
        "5:17: error: raw HTML is not allowed: '</script>' (it would show as text)",
    ]
    html = render(tmp_path, text)
    assert "<script" not in html and "<b>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_links_only_to_http_https_mailto_and_anchors(tmp_path: Path) -> None:
    text = (
        "[a](https://example.org) [b](mailto:x@example.org) [c](#notes) <https://example.org/1> <x@example.org>\n"
        "[d](javascript:alert(1)) [e](JaVaScRiPt:x) [f](data:text/html,x) [g](other.md) [h][ref]\n\n"
        "[ref]: vbscript:x\n"
    )
    assert problems(tmp_path, text) == [
        "2:5: error: unsafe link 'javascript:alert(1)': links may only go to http:, https: or mailto: addresses",
        "2:30: error: unsafe link 'JaVaScRiPt:x': links may only go to http:, https: or mailto: addresses",
        "2:48: error: unsafe link 'data:text/html,x': links may only go to http:, https: or mailto: addresses",
        "2:70: error: link to 'other.md' refused: links may only go to http:, https: or mailto: addresses",
        "4:8: error: unsafe link 'vbscript:x': links may only go to http:, https: or mailto: addresses",
    ]
    html = render(tmp_path, text)
    assert '<a href="https://example.org">a</a>' in html and '<a href="mailto:x@example.org">b</a>' in html
    assert "javascript" not in html.lower().replace("[d](javascript", "")  # no live link, only text
    assert "vbscript" not in html and '<a href="other.md"' not in html and ">d<" not in html


def test_images_only_from_the_documents_folder(tmp_path: Path) -> None:
    folder = tmp_path / "doc"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "map.png").write_bytes(PNG)
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (folder / "anim.gif").write_bytes(b"GIF89a")
    (tmp_path / "secret.png").write_bytes(PNG)
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    text = (
        "![map](img/map.png) ![logo](logo.svg)\n"
        "![a](../secret.png) ![b](link.png) ![c](https://example.org/x.png) ![d](anim.gif) ![e](none.png)\n"
        "![f](/etc/x.png) ![g](data:image/png;base64,AAAA)\n"
    )
    assert problems(folder, text) == [
        "2:6: error: image '../secret.png' leads outside the document's folder",
        "2:26: error: image 'link.png' is a link to a place outside the document's folder",
        "2:41: error: image 'https://example.org/x.png' refused: images must be files in the document's folder "
        "(nothing is fetched)",
        "2:73: error: image 'anim.gif' refused: only PNG, JPEG or SVG images",
        "2:88: error: image 'none.png': no such file or folder",
        "3:6: error: image '/etc/x.png' must be a path relative to the document's folder",
        "3:23: error: image 'data:image/png;base64,AAAA' refused: images must be files in the document's folder "
        "(nothing is fetched)",
    ]
    html = render(folder, text)
    assert '<img src="data:image/png;base64,' in html and 'alt="map"' in html
    assert '<img src="data:image/svg+xml;base64,' in html
    assert html.count("<img") == 2  # every refused image shows as its alt text only
    assert "secret" not in html and "example.org" not in html


# --- numbers typed by hand -----------------------------------------------------------------


# fmt: off
NUMBER_CASES = [
    ("It is 39.3%.", [f"1:7: error: number typed by hand: '39.3%'; did you mean {{stat}}`{CORRUPTION}`?"]),
    ("It is 39.3 per cent.", [f"1:7: error: number typed by hand: '39.3 per cent'; did you mean {{stat}}`{CORRUPTION}`?"]),  # noqa: E501
    ("It is 39.3 percent.", [f"1:7: error: number typed by hand: '39.3 percent'; did you mean {{stat}}`{CORRUPTION}`?"]),  # noqa: E501
    ("It is 70 %.", ["1:7: error: number typed by hand: '70 %'; did you mean {stat}`sm-regional-cooperation-needed`?"]),
    ("It is 45%.", ["1:7: error: number typed by hand: '45%' (no loaded figure has this value); cite a figure with {stat}`figure-id`"]),  # noqa: E501
    ("It is 45.5%.", ["1:7: error: number typed by hand: '45.5%' (no loaded figure has this value); cite a figure with {stat}`figure-id`"]),  # noqa: E501
    ("Up +3 pts.", ["1:4: error: change typed by hand: '+3 pts'; use {change}`figure-id`"]),
    ("Some 39.3 of them.", [f"1:6: warning: number typed by hand: '39.3'; did you mean {{stat}}`{CORRUPTION}`?"]),
    ("Ranked 3rd.", ["1:8: warning: rank typed by hand: '3rd'; did you mean {stat}`iri-rs-least-favourable-us`?"]),
    ("Some 45 of them, 7th, 1,000 people.", []),  # plain numbers no figure shows
    ("In 2022, p. 27, footnote 26, section 4.1, fn. 70, COVID-19, WB6.", []),
    ("Prema studiji (odjeljak 5, bilj. 36) i bilješci 36.", []),  # Croatian footnote references; 36 is a figure
    (f"Bound: {{stat}}`{CORRUPTION}`, `39.3%`, [x](https://e.org/39.3%), https://e.org/70%, <https://e.org/45%>.", []),
    ("A note[^70] here.", []),
]
# fmt: on


@pytest.mark.parametrize(("prose", "expected"), NUMBER_CASES)
def test_numbers_typed_by_hand(tmp_path: Path, prose: str, expected: list[str]) -> None:
    assert problems(tmp_path, prose + "\n") == expected


def test_number_positions_inside_containers_are_exact(tmp_path: Path) -> None:
    text = "# Heading 45%\n\n> Quote\n> and 45%\n\n- item\n  45 per cent\n\n| a | b |\n|---|---|\n| 45% | x 45% |\n"
    found = [p.split(": error")[0] for p in problems(tmp_path, text)]
    assert found == ["1:11", "4:7", "7:3", "11:3", "11:11"]
    crlf = [p.split(": error")[0] for p in problems(tmp_path, text.replace("\n", "\r\n"))]
    assert crlf == found


# --- the command ---------------------------------------------------------------------------


def test_check_lists_every_problem_by_position_and_exits_1(run: Run, tmp_path: Path) -> None:
    path = doc(tmp_path, f"It is 45%.\n\n{{stat}}`nope`\n\n<b>x</b>\n\nOk: {{stat}}`{CORRUPTION}`.\n")
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:1:7: error: number typed by hand: '45%' (no loaded figure has this value); "
        "cite a figure with {stat}`figure-id`",
        f"{path}:3:8: error: unknown figure id 'nope' (`wbbrief figures` lists them)",
        f"{path}:5:1: error: raw HTML is not allowed: '<b>' (it would show as text)",
        f"{path}:5:5: error: raw HTML is not allowed: '</b>' (it would show as text)",
    ]
    assert f"{path}: 4 errors" in result.stderr


def test_check_passes_a_clean_document_and_strict_fails_on_warnings(run: Run, tmp_path: Path) -> None:
    clean = doc(tmp_path, f"Corruption: {{stat}}`{CORRUPTION}`.\n", "clean.md")
    result = run("check", str(clean))
    assert result.exit_code == 0 and result.stdout == f"{clean}: no problems\n"
    warned = doc(tmp_path, "Some 39.3 of them.\n", "warned.md")
    assert run("check", str(warned)).exit_code == 0
    strict = run("check", str(warned), "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.startswith(f"{warned}:1:6: error: number typed by hand: '39.3'")
    assert "1 error (--strict)" in strict.stderr


def test_check_json_and_data_option(run: Run, tmp_path: Path) -> None:
    path = doc(tmp_path, f"Corruption: {{stat}}`{CORRUPTION}`.\n")
    result = run("check", str(path), "--data", str(new_edition(tmp_path)), "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["errors"] == 0 and payload["warnings"] == 1 and payload["strict"] is False
    assert payload["problems"][0] | {"message": ""} == {
        "line": 1, "col": 20, "severity": "warning", "code": "newer-edition", "message": "",
    }  # fmt: skip
    strict = json.loads(run("check", str(path), "-d", str(tmp_path / "asb-2023.csv"), "--strict", "-f", "json").stdout)
    assert strict["errors"] == 1 and strict["problems"][0]["severity"] == "error"


def test_check_refuses_what_is_not_a_document(run: Run, tmp_path: Path) -> None:
    missing = run("check", str(tmp_path / "nope.md"))
    assert missing.exit_code == 2 and "no such document" in missing.stderr
    folder = run("check", str(tmp_path))
    assert folder.exit_code == 2 and "not a document file" in folder.stderr
    latin = tmp_path / "latin.md"
    latin.write_bytes("Title\n\nShqipëri".encode("latin-1"))
    result = run("check", str(latin))
    assert result.exit_code == 1 and result.stdout == f"{latin}:3:6: error: the file is not UTF-8 text\n"


def test_check_imports_neither_pandas_nor_jinja2_nor_weasyprint(tmp_path: Path) -> None:
    path = doc(tmp_path, f"Corruption: {{stat}}`{CORRUPTION}`, 45%.\n")
    probe = (
        "import sys\nfrom wbbrief.cli import app\n"
        f"try:\n    app(['check', {str(path)!r}], prog_name='wbbrief')\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    env = os.environ | {"COLUMNS": "100"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True).stdout
    loaded = set(out.split())
    assert "markdown_it" in loaded  # the probe did check the document
    assert not {"pandas", "numpy", "jinja2", "weasyprint"} & loaded


# --- no traceback, whatever the input --------------------------------------------------------

# fmt: off
_PIECES = st.sampled_from(
    [
        "{stat}`", CORRUPTION, "`", "``", "{", "}", "[", "]", "(", ")", "![", "<", ">", "<b>", "</", "45%", "39.3",
        " per cent", "\n", "\n\n", "> ", "- ", "# ", "| a |", "|---|", "```{chart}\n", ":country: ", "```\n",
        "---\n", "title: ", "data: ../x\n", "\\", "&#58;", "javascript:", "https://", "\t", "\r", "2nd", "é", "\x00",
    ]
)


# fmt: on


@settings(
    max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40))
@example(["javascript:", "{stat}`", "{stat}`"])  # a bare URL once swallowed a role the renderer saw
def test_any_text_is_checked_and_rendered_without_a_traceback(tmp_path: Path, pieces: list[str]) -> None:
    text = "".join(pieces)
    document = parse_document(text, tmp_path / "fuzz.md")
    found = check_document(document, load_index())
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for problem in found:
        assert 1 <= problem.position.line <= len(lines) + 1 and problem.position.col >= 1
    # The checker sees every role the renderer will render, and no other.
    rendered = [c for t in document.tokens if t.type == "inline" for c in t.children or [] if c.type == "myst_role"]
    assert [(c.meta["name"], c.content.strip()) for c in rendered] == [(r.name, r.target) for r in document.roles]
    if not [p for p in found if p.code in ("unknown-figure", "bad-role", "unknown-role")]:
        render_body(document, load_bundle(), brief.BriefOptions(date=dt.date(2026, 1, 1)))


def test_the_manuals_example_is_real(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[1] / "docs" / "checking.md").read_text(encoding="utf-8")
    document = re.search(r"```markdown\n(---\ntitle: Corruption first\n.*?)```", readme, re.DOTALL)
    shown = re.search(r"```console\n\$ wbbrief check memo.md\n(.*?)```", readme, re.DOTALL)
    assert document and shown
    (tmp_path / "memo.md").write_text(document.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "memo.md")
    assert result.exit_code == 1
    assert result.stdout + result.stderr == shown.group(1)


def test_numbers_in_the_title_are_found_and_the_front_matter_data_is_loaded(run: Run, tmp_path: Path) -> None:
    new_edition(tmp_path)
    text = (
        f"---\ntitle: 39.3% fear corruption\nsubtitle: 'Up +1.7 pts'\ndata: asb-2023.csv\n---\n{{stat}}`{CORRUPTION}`\n"
    )
    path = doc(tmp_path, text)
    result = run("check", str(path))
    assert result.exit_code == 1
    assert [line.removeprefix(f"{path}:") for line in result.stdout.splitlines()] == [
        f"2:8: error: number typed by hand: '39.3%'; did you mean {{stat}}`{CORRUPTION}`?",
        "3:15: error: change typed by hand: '+1.7 pts'; use {change}`figure-id`",
        f"6:8: warning: a newer edition of '{CORRUPTION}' is loaded (ASB 2023: 41%); "  # from the front matter's data
        f"show it with {{latest}}`{CORRUPTION}` or {{change}}`{CORRUPTION}`",
    ]


@pytest.mark.parametrize("command", ["check", "render", "preview"])
def test_every_command_that_opens_a_document_refuses_a_folder_alike(run: Run, tmp_path: Path, command: str) -> None:
    """One way to open a document (document.parse.open_document): the same line from every command."""
    extra = ["--no-open"] if command == "preview" else []
    missing = run(command, str(tmp_path / "nope.md"), *extra)
    assert missing.exit_code == 2 and f"no such document: {tmp_path / 'nope.md'}" in missing.stderr
    folder = run(command, str(tmp_path), *extra)
    assert folder.exit_code == 2 and f"not a document file: {tmp_path}" in folder.stderr


def test_a_question_named_in_english_draws_its_chart_in_a_translated_brief(run: Run, tmp_path: Path) -> None:
    """`check` knows a question by its English wording; the figures of a Serbian brief answer to it too."""
    source = tmp_path / "q.md"
    source.write_text(
        "---\ntitle: T\nlang: sr-Latn\n---\n\n## Pretnje\n\n```{chart} Najozbiljnija pretnja\n"
        ":question: Most serious security threat to Albania\n:country: albania\n```\n",
        encoding="utf-8",
    )
    assert run("check", str(source)).exit_code == 0
    assert run("render", str(source), "-o", str(tmp_path / "q.html")).exit_code == 0
    page = (tmp_path / "q.html").read_text(encoding="utf-8")
    assert "Korupcija: 39,3%" in page and "Organizovani kriminal: 11,2%" in page
