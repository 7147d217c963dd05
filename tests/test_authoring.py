"""Writing your own brief: `wbbrief new`, `wbbrief render` (and --watch), and the roles and
directives a document renders with, through the one renderer export-pdf uses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from typer.testing import Result

from test_document import CORRUPTION, new_edition
from wbbrief.dataset.loading import load_bundle
from wbbrief.document.check import check_document
from wbbrief.document.compose import bundled_path
from wbbrief.document.figures import load_index
from wbbrief.document.parse import read_document
from wbbrief.render import author, brief
from wbbrief.render.html import render_page

Run = Callable[..., Result]
DAY = "2026-01-01"


def page(tmp_path: Path, text: str, data: tuple[Path, ...] = (), country: str | None = None) -> str:
    """A document's page as HTML, its text with tags and whitespace collapsed."""
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    document = read_document(path)
    options = brief.BriefOptions(date=dt.date(2026, 1, 1), data=data, country=country)
    return render_page(document, load_bundle(data), options, for_print=False)


def text_of(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def body_text(html: str) -> str:
    return text_of(html.split("</nav>", 1)[1].split('<h2 id="notes">', 1)[0])


def problems(tmp_path: Path, text: str, data: tuple[Path, ...] = ()) -> list[str]:
    path = tmp_path / "d.md"
    path.write_text(text, encoding="utf-8")
    return [str(d).removeprefix("d.md:") for d in check_document(read_document(path), load_index(data), "d.md")]


# --- new ------------------------------------------------------------------------------------


def test_new_writes_the_bundled_brief_and_refuses_to_overwrite(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    result = run("new", str(folder))
    assert result.exit_code == 0 and result.stdout == f"{folder / 'brief.md'}\n"
    assert (folder / "brief.md").read_text(encoding="utf-8") == bundled_path(False).read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["brief.md"]  # nothing else to understand first
    (folder / "brief.md").write_text("mine", encoding="utf-8")
    again = run("new", str(folder))
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert (folder / "brief.md").read_text(encoding="utf-8") == "mine"
    assert run("new", str(folder), "--force").exit_code == 0
    assert (folder / "brief.md").read_text(encoding="utf-8") != "mine"


def test_new_with_a_country_sets_it_in_the_front_matter(run: Run, tmp_path: Path) -> None:
    assert run("new", str(tmp_path / "k"), "--country", "kosovo").exit_code == 0
    text = (tmp_path / "k" / "brief.md").read_text(encoding="utf-8")
    assert "\ncountry: XK\n" in text and "{country-profile}" in text
    assert run("new", str(tmp_path / "z"), "--country", "narnia").exit_code == 2
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert "is a file" in run("new", str(tmp_path / "file")).stderr


@pytest.mark.parametrize("name", ["regional.md", "country.md"])
def test_every_bundled_document_passes_check_strict(run: Run, name: str) -> None:
    path = bundled_path(name == "country.md")
    assert path.name == name
    result = run("check", "--strict", str(path))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith("no problems\n")


# --- render: the same brief as export-pdf ----------------------------------------------------


def test_new_then_render_gives_the_very_pdf_export_pdf_writes(run: Run, tmp_path: Path) -> None:
    assert run("new", str(tmp_path / "x")).exit_code == 0
    mine, theirs = tmp_path / "x.pdf", tmp_path / "export.pdf"
    assert run("render", str(tmp_path / "x" / "brief.md"), "-o", str(mine), "--date", DAY).exit_code == 0
    assert run("export-pdf", "-o", str(theirs), "--date", DAY).exit_code == 0
    assert mine.read_bytes() == theirs.read_bytes()


@pytest.mark.parametrize("country", ["kosovo", "albania"])
def test_a_country_document_renders_the_html_export_html_writes(run: Run, tmp_path: Path, country: str) -> None:
    assert run("new", str(tmp_path / "c"), "-c", country).exit_code == 0
    mine, theirs = tmp_path / "c.html", tmp_path / "export.html"
    assert run("render", str(tmp_path / "c" / "brief.md"), "-o", str(mine), "--date", DAY).exit_code == 0
    assert run("export-html", "-c", country, "-o", str(theirs), "--date", DAY).exit_code == 0
    assert mine.read_bytes() == theirs.read_bytes()


def test_render_writes_beside_the_document_by_default(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "memo.md"
    path.write_text(f"# Memo\n\nCorruption: {{stat}}`{CORRUPTION}`.\n", encoding="utf-8")
    result = run("render", str(path), "-o", str(tmp_path / "memo.html"))
    assert result.exit_code == 0 and (tmp_path / "memo.html").exists()
    assert author.RenderRequest(path).target() == tmp_path / "memo.pdf"


def test_an_unknown_suffix_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "memo.md"
    path.write_text("Text.\n", encoding="utf-8")
    result = run("render", str(path), "-o", str(tmp_path / "memo.odt"))
    assert result.exit_code == 2 and "cannot tell the format of" in result.stderr and ".docx" in result.stderr


def test_a_hand_typed_number_fails_check_strict_and_render_writes_nothing(run: Run, tmp_path: Path) -> None:
    assert run("new", str(tmp_path / "x")).exit_code == 0
    path = tmp_path / "x" / "brief.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("({stat}`asb-focus-terrorism`)"))
    lines[at] = lines[at].replace("({stat}`asb-focus-terrorism`)", "(24.5%)")
    path.write_text("\n".join(lines), encoding="utf-8")
    checked = run("check", "--strict", str(path))
    assert checked.exit_code == 1
    assert checked.stdout.startswith(f"{path}:{at + 1}:2: error: number typed by hand: '24.5%'")
    out = tmp_path / "out.html"
    out.write_text("before", encoding="utf-8")
    rendered = run("render", str(path), "-o", str(out))
    assert rendered.exit_code == 1
    assert rendered.stderr.startswith(f"wbbrief: error: {path}:{at + 1}:2: number typed by hand")
    assert "nothing written" in rendered.stderr and "Traceback" not in rendered.stderr
    assert out.read_text(encoding="utf-8") == "before"  # an existing output is never clobbered
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html", "x"]  # no partial file


def test_front_matter_data_is_relative_to_the_document_and_merged(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "doc"
    folder.mkdir()
    new_edition(folder)
    path = folder / "brief.md"
    path.write_text(f"---\ndata: asb-2023.csv\n---\nNow {{latest}}`{CORRUPTION}`.\n", encoding="utf-8")
    out = tmp_path / "o.html"
    assert run("render", str(path), "-o", str(out)).exit_code == 0
    assert "Now 41%" in text_of(out.read_text(encoding="utf-8"))


# --- roles ------------------------------------------------------------------------------------


def test_every_role_renders_from_the_data(tmp_path: Path) -> None:
    data = (new_edition(tmp_path),)
    html = page(
        tmp_path,
        f"A {{stat}}`{CORRUPTION}`. B {{round}}`{CORRUPTION}`. C {{latest}}`{CORRUPTION}`. "
        f"D {{change}}`{CORRUPTION}`. E {{year}}`{CORRUPTION}`. F {{edition}}`{CORRUPTION}`. "
        f"G {{answer}}`{CORRUPTION}`. H {{question}}`{CORRUPTION}`. I {{countries}}`nato-members`.\n",
        data,
    )
    text = body_text(html)
    assert "A 39.3% in 2022 and 41% in 2023 1 , 2 ." in text
    assert "B 39.3% 3 . C 41% 4 . D +1.7 pts 5 . E 2022. F Albanian Security Barometer 2023" in text
    assert "G Corruption. H Most serious security threat to Albania. I Albania, Montenegro and North Macedonia." in text
    assert "(paper footnote" not in text  # notes are the brief's endnotes
    notes = text_of(html.split('<h2 id="notes">', 1)[1])
    assert "Cited in the paper's footnote 26" in notes and "User-supplied data" in notes


def test_the_country_role_and_heading_ids(tmp_path: Path) -> None:
    html = page(tmp_path, "---\ncountry: ME\n---\n## About {country}`name` {#about .break}\n\nText.\n")
    assert '<h2 id="about" class="break">About Montenegro</h2>' in html
    assert '<a href="#about">About Montenegro</a>' in html  # the contents
    assert problems(tmp_path, "{country}`name`\n") == ["1:11: error: {country} needs a 'country:' in the front matter"]
    assert problems(tmp_path, "---\ncountry: ME\n---\n{country}`capital` {countries}`eu`\n") == [
        "4:11: error: unknown country property 'capital'; use {country}`name`",
        "4:32: error: unknown list 'eu'; use {countries}`nato-members`",
    ]


# --- directives ----------------------------------------------------------------------------------


def test_chart_and_table_directives_draw_the_same_charts_and_tables(tmp_path: Path) -> None:
    html = page(
        tmp_path,
        "```{chart} ignored caption\n:view: threats\n:country: AL\n```\n\n"
        "```{chart}\n:topic: open-balkan\n```\n\n"
        f"```{{table}}\n{CORRUPTION}\nasb-threat-first-organised-crime\n```\n",
    )
    body = html.split("</nav>", 1)[1]
    assert body.count("<figure") >= 3 and "Figure 1." in body
    numbers = [int(n) for n in re.findall(r'class="num">Figure (\d+)\.', body)]
    assert numbers == list(range(1, len(numbers) + 1))  # one numbering across directives
    assert "<svg" in body and 'class="source"' in body
    assert "Most serious security threat to Albania" in text_of(body.split("<table", 1)[1])


def test_findings_recommendations_and_fixed_tables(tmp_path: Path) -> None:
    html = page(
        tmp_path,
        "```{findings}\n:country: AL\n```\n\n```{recommendations}\nwbsf\n```\n\n"
        "```{table} Principles\n:view: principles\n```\n",
    )
    text = body_text(html)
    assert "Key findings" in text and "Corruption is the threat Albanians name first" in text
    assert "Establish a Western Balkans Security Forum" in text and "Reorient the Integrative" not in text
    assert "Principles Principle What it means Sovereign equality" in text


def test_a_claim_shows_while_its_condition_holds_and_is_withdrawn_otherwise(tmp_path: Path) -> None:
    claim = (
        "```{claim}\n:holds-if: {asb-threat-first-corruption} > 50\n:says: Most Albanians name corruption\n"
        "Most Albanians name corruption first.\n```\n\n"
        "```{claim}\n:holds-if: al-corruption-first\nCorruption comes first.\n```\n\n```{findings}\n```\n"
    )
    html = page(tmp_path, claim)
    text = body_text(html)
    assert "Most Albanians name corruption first." not in text and "Corruption comes first." in text
    assert "Statements left out because the data in use no longer support them" in text
    assert "'Most Albanians name corruption' no longer holds" in text
    found = problems(tmp_path, claim)
    assert found == [
        "2:12: warning: this claim does not hold with the data in use (Corruption 39.3% ≤ 50%); "
        "it is left out of the brief"
    ]


def test_bad_claims_are_errors_with_their_place(tmp_path: Path) -> None:
    assert problems(tmp_path, "```{claim}\n:holds-if: {asb-threat-first-corruption} >> 5\n:says: x\nText.\n```\n") == [
        "2:12: error: :holds-if: expected a figure, rank() or a number at character 32 of "
        "'{asb-threat-first-corruption} >> 5'"
    ]
    assert problems(tmp_path, "```{claim}\n:holds-if: al-corruption-frst\nText.\n```\n") == [
        "2:12: error: unknown finding id 'al-corruption-frst'; did you mean 'al-corruption-first'?"
    ]
    assert problems(tmp_path, "```{claim}\n:holds-if: {asb-nope} > 5\nText.\n```\n")[0].startswith(
        "1:1: error: {claim} with a condition needs :says:"
    )
    assert problems(tmp_path, "```{claim}\nText.\n```\n") == [
        "1:1: error: {claim} needs a :holds-if: condition (or a finding id)"
    ]
    assert problems(tmp_path, "```{claim}\n:holds-if: al-corruption-first\n```\n") == [
        "1:1: error: {claim} needs a paragraph to show, after its options"
    ]
    assert problems(tmp_path, "```{claim}\n:holds-if: al-corruption-first\n:when: x\nText.\n```\n") == [
        "3:1: error: unknown option ':when:' for {claim}; {claim} takes :holds-if:, :says:"
    ]


def test_a_claim_body_is_checked_like_the_prose(tmp_path: Path) -> None:
    assert problems(tmp_path, "```{claim}\n:holds-if: al-corruption-first\nSome 39.3% of them.\n```\n") == [
        f"3:6: error: number typed by hand: '39.3%'; did you mean {{stat}}`{CORRUPTION}`?"
    ]


def test_only_blocks_follow_the_country_and_the_data(tmp_path: Path) -> None:
    text = (
        "---\ncountry: RS\n---\nStart.\n```{only}\n:country: RS, ME\nFor Serbia.\n```\n"
        "```{only}\n:not-country: RS\nNot Serbia.\n```\n"
        f"```{{only}}\n:newer-edition: {CORRUPTION}\nNewer.\n```\nEnd.\n\n"
        "````{only}\n:other-figures: present\n\n## Other\n\n```{chart}\n:view: other\n```\n````\n"
    )
    html = page(tmp_path, text)
    assert "<p>Start.\nFor Serbia.\nEnd.</p>" in html  # blocks with no blank line continue the paragraph
    assert "Not Serbia" not in html and "Newer" not in html and ">Other<" not in html
    assert "Newer." in body_text(page(tmp_path, text, (new_edition(tmp_path),)))
    assert problems(tmp_path, "```{only}\nText.\n```\n") == [
        "1:1: error: {only} needs a condition: :country:, :not-country:, :newer-edition: or :other-figures:"
    ]
    assert problems(tmp_path, "---\ncountry: RS\n---\n```{only}\n:country: narnia\n:other-figures: yes\nT.\n```\n") == [
        "5:11: error: unknown country 'narnia'. Did you mean North Macedonia? Valid: Albania (AL), Bosnia and "
        "Herzegovina (BA), Kosovo (XK), Montenegro (ME), North Macedonia (MK), Serbia (RS), or WB6 for the region.",
        "6:17: error: :other-figures: takes one value: present",
    ]


def test_country_profile_and_notices(tmp_path: Path) -> None:
    text = "---\ncountry: XK\n---\n```{country-profile}\n```\n\n```{notices}\n```\n"
    body = body_text(page(tmp_path, text))
    assert body.startswith("Kosovo is an aspirant to NATO membership")
    assert problems(tmp_path, "```{country-profile}\n```\n") == [
        "1:1: error: {country-profile} needs a 'country:' in the front matter"
    ]
    assert "2:1: error: {notices} takes no ids" in problems(tmp_path, "```{notices}\nx\n```\n")


def test_an_unknown_view_is_an_error(tmp_path: Path) -> None:
    assert problems(tmp_path, "```{chart}\n:view: pillars\n```\n") == [
        "2:8: error: :view: unknown view 'pillars' for {chart}; use threats, cooperation, other"
    ]


# --- watch -------------------------------------------------------------------------------------


def test_watch_renders_on_save_shows_errors_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "memo.md"
    path.write_text(f"## One\n\nA {{stat}}`{CORRUPTION}`.\n\n## Two\n\nB.\n", encoding="utf-8")
    out = tmp_path / "memo.html"
    said: list[str] = []
    edits = iter(
        [
            "## One\n\nA 45%.\n\n## Two\n\nB.\n",  # an error: shown, and the loop goes on
            f"## One\n\nA {{stat}}`{CORRUPTION}`.\n\n## Two\n\nB, changed.\n",
            None,  # no save: nothing rendered
        ]
    )

    def sleep(seconds: float) -> None:
        assert seconds == 0.1
        edit = next(edits)
        if edit is not None:
            path.write_text(edit, encoding="utf-8")
            stat = path.stat()
            import os

            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))

    author.watch(author.RenderRequest(path, out), said.append, sleep=sleep, rounds=4)
    assert len(said) == 3
    assert re.fullmatch(rf"rendered {re.escape(str(out))} in \d+\.\d\d s", said[0])
    assert said[1].startswith(f"error: {path}:3:3: number typed by hand: '45%'")
    assert said[2].endswith("; changed: Two")
    assert "B, changed." in out.read_text(encoding="utf-8")


def test_watch_stops_on_ctrl_c_with_130(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "memo.md"
    path.write_text("Text.\n", encoding="utf-8")

    def interrupted(request: author.RenderRequest) -> author.Rendered:
        raise KeyboardInterrupt

    monkeypatch.setattr(author, "render", interrupted)
    result = run("render", str(path), "-o", str(tmp_path / "m.html"), "--watch")
    assert result.exit_code == 130 and result.stderr == "wbbrief: error: interrupted\n"
    assert run("render", str(path), "-o", "-", "--watch").exit_code == 2


def test_the_manuals_example_is_the_shipped_one_and_checks_clean(run: Run) -> None:
    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "writing.md").read_text(encoding="utf-8")
    shown = re.search(r"````markdown\n(---\ntitle: Corruption at the top\n.*?)````", page, re.DOTALL)
    example = root / "docs" / "examples" / "memo" / "brief.md"
    assert shown and shown.group(1) == example.read_text(encoding="utf-8")
    assert run("check", "--strict", str(example)).exit_code == 0
    assert (root / "docs" / "memo-page.png").exists()


def test_the_survey_table_lists_only_the_surveys_the_document_cites(tmp_path: Path) -> None:
    memo = (Path(__file__).resolve().parents[1] / "docs" / "examples" / "memo" / "brief.md").read_text("utf-8")
    html = page(tmp_path, memo)
    surveys = text_of(html.split('<h2 id="notes">', 1)[1])
    assert "Albanian Security Barometer 2022" in surveys  # the memo cites the ASB only
    assert "SecuriMeter" not in surveys and "IRI Western Balkans Regional Survey" not in surveys
