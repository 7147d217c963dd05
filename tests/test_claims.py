"""Statements that check themselves: the condition language, its validation on load, and a
statement withdrawn, with its reason, when the data in use no longer support it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path

import pypdf
import pytest
from typer.testing import Result

from wbbrief.base.errors import ValidationError
from wbbrief.dataset import bundle as data
from wbbrief.dataset import claims, loading
from wbbrief.dataset.records import Figure

Run = Callable[..., Result]
HEADER = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote"
# Fixtures only: fictional figures of a fictional 2023 edition, written to temporary files, never shipped.
ASB_2023 = "\n".join(
    [
        "asb-2023-corruption,asb,2023,AL,threats,Most serious security threat to Albania,Corruption,38,"
        "percent,,2023,12,",
        "asb-2023-organised-crime,asb,2023,AL,threats,Most serious security threat to Albania,Organised crime,41,"
        "percent,,2023,12,",
    ]
)
WITHDRAWN = (
    "'Corruption is the threat Albanians name first: 39.3% rank it as the most serious threat to the country's "
    "security' no longer holds with ASB 2023 (user data): Organised crime 41% > Corruption 38%."
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    loading.load_bundle.cache_clear()
    yield
    loading.load_bundle.cache_clear()


def _figure(fid: str, answer: str, value: float | None, *, unit: str = "percent", rank: int | None = None,
            question: str = "Most serious threat", year: int = 2022) -> Figure:  # fmt: skip
    return Figure(id=fid, survey="asb", edition=year, country="AL", topic="threats", question=question, answer=answer,
                  value=value, unit=unit, rank=rank, year=year)  # fmt: skip


FIGURES = {
    "a": _figure("a", "Corruption", 39.3),
    "b": _figure("b", "Organised crime", 11.2),
    "c": _figure("c", "Agree", 72.3, question="More cooperation is needed"),
    "r": _figure("r", "Economy", None, unit="rank", rank=2, question="Top concerns"),
}


# --- the language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ("rank(a) == 1", True),
        ("rank({b}) == 1", False),
        ("{c} > 50", True),
        ("{a} > {b}", True),
        ("{b} >= {a}", False),
        ("{a} < 40 and {b} <= 11.2", True),
        ("rank(a) == 1 and {b} > 50", False),
        ("rank(r) == 2", True),
    ],
)
def test_the_forms_the_findings_need_are_evaluated(condition: str, holds: bool) -> None:
    assert claims.evaluate(condition, FIGURES).holds is holds


def test_a_failed_condition_says_why_in_figures() -> None:
    assert claims.evaluate("rank(b) == 1", FIGURES).explanation == "Corruption 39.3% > Organised crime 11.2%"
    assert claims.evaluate("{b} > {a}", FIGURES).explanation == "Organised crime 11.2% ≤ Corruption 39.3%"
    result = claims.evaluate("{c} > 80", FIGURES)
    assert result.explanation == "More cooperation is needed 72.3% ≤ 80%"
    assert [f.id for f in result.figures] == ["c"]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("", "the condition is empty"),
        ("{a} >", "incomplete comparison"),
        ("{a} = 1", "cannot read '= 1' at character 5"),
        ("{a} > 1 or {b} > 1", "cannot read 'or {b} > 1' at character 9"),
        ("{a} {b} > 1", "expected a comparison"),
        ("{a} > 1 {b} > 1", "expected 'and' at character 9"),
        ("> {a} 1", "expected a figure, rank() or a number at character 1"),
        ("__import__('os').system('true')", "cannot read"),  # never evaluated as Python
    ],
)
def test_what_is_not_a_condition_is_refused_with_where(condition: str, message: str) -> None:
    with pytest.raises(claims.ConditionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        claims.parse(condition)


def test_unknown_ids_and_shares_of_rankings_are_named() -> None:
    condition = claims.parse("{zz} > 1 and {r} > 1")
    assert claims.check_ids(condition, FIGURES) == [
        "no figure has the id 'zz'",
        "'r' is a ranking without a share: use rank(r)",
    ]


# --- validation on load -------------------------------------------------------------------------


def _broken_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(Path(str(data.bundled_dir())), folder)
    path = folder / "findings.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def fake_dir() -> Traversable:
        return folder

    monkeypatch.setattr(data, "bundled_dir", fake_dir)
    loading.load_bundle.cache_clear()


def test_a_condition_naming_an_unknown_figure_is_a_load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_findings(tmp_path, monkeypatch, "rank(asb-threat-first-corruption) == 1\n", "rank(asb-corruption) == 1\n")
    with pytest.raises(ValidationError) as caught:
        loading.load_bundle()
    assert str(caught.value) == "data/findings.csv, line 2, column 'holds_if': no figure has the id 'asb-corruption'"


def test_a_condition_that_does_not_parse_is_a_load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_findings(tmp_path, monkeypatch, "{asb-lack-of-cooperation} > 50", "{asb-lack-of-cooperation} >> 50")
    with pytest.raises(ValidationError) as caught:
        loading.load_bundle()
    message = str(caught.value)
    assert message.startswith("data/findings.csv, line 11, column 'holds_if': "), message
    assert "expected a figure, rank() or a number at character 28" in message


def test_the_column_is_described_in_the_data_package() -> None:
    fields = {f["name"]: f for f in data.schema_fields("findings")}
    assert "holds_if" in fields and "rank(" in fields["holds_if"]["description"]


def test_every_bundled_claim_holds_with_the_bundled_data() -> None:
    bundle = loading.load_bundle()
    conditions = [f.holds_if for f in bundle.findings if f.holds_if]
    assert len(conditions) >= 12  # every order, majority, rise or comparison the findings assert
    from wbbrief.query import queries

    figures = queries.claim_figures(bundle)
    for condition in conditions:
        assert claims.evaluate(condition, figures).holds, condition
    from wbbrief.document.compose import bundled_document

    prose = [
        d for code in (None, "AL") for d in bundled_document(code).directives
        if d.name == "claim" and d.holds_if is not None and "{" in d.holds_if.text
    ]  # fmt: skip
    assert len(prose) >= 4  # the documents' own majorities and comparisons
    for directive in prose:
        assert directive.holds_if is not None and directive.says is not None
        assert claims.evaluate(directive.holds_if.text, figures).holds, directive.says.text


# --- a statement withdrawn when the data in use flip an order ---------------------------------


def test_user_data_that_flip_an_order_withdraw_the_finding_everywhere(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "asb-2023.csv"
    path.write_text(f"{HEADER}\n{ASB_2023}\n", encoding="utf-8")

    table = run("findings", "-c", "albania", "-t", "threats", "-d", str(path))
    assert table.exit_code == 0, table.stderr
    assert table.stdout.count("Corruption is the threat Albanians name first") == 1  # in the note only
    assert "no longer holds with ASB 2023 (user data): Organised crime 41% > Corruption 38%" in " ".join(
        table.stdout.split()
    )

    payload = json.loads(run("findings", "-c", "albania", "-d", str(path), "-f", "json").stdout)
    ids = [r["id"] for r in payload["tables"][0]["rows"]]
    assert "al-corruption-first" not in ids and "al-war-second" not in ids  # both need corruption first
    assert "al-organised-crime" in ids  # states figures only: stays
    withdrawn = {w["id"]: w for w in payload["withdrawn"]}
    assert set(withdrawn) == {"al-corruption-first", "al-war-second"}
    assert withdrawn["al-corruption-first"]["note"] == WITHDRAWN
    assert withdrawn["al-corruption-first"]["holds_if"] == "rank(asb-threat-first-corruption) == 1"
    assert f"Withdrawn: {WITHDRAWN}" in payload["notes"]
    # the source line cites the later edition the remaining findings show (11.2% → 41%)
    assert "Albanian Security Barometer 2023, p. 12 [user-supplied]" in payload["tables"][0]["source"]

    out = tmp_path / "brief.pdf"
    assert run("export-pdf", "-d", str(path), "-o", str(out), "--date", "2022-12-01").exit_code == 0
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(out).pages)
    assert "Statements left out because the data in use no longer support them" in text
    assert "Organised crime 41% > Corruption 38%" in text
    assert "Corruption is the threat Albanians name first:" not in text.replace(WITHDRAWN[1:60], "")
    assert "corruption is the threat named most often as the most serious" not in text  # the prose too


def test_without_user_data_nothing_is_withdrawn(run: Run) -> None:
    payload = json.loads(run("findings", "-f", "json").stdout)
    assert payload["withdrawn"] == []
    assert len(payload["tables"][0]["rows"]) == len(loading.load_bundle().findings)


def test_a_replaced_figure_is_checked_as_replaced(run: Run, tmp_path: Path) -> None:
    # Fixture only: a fictional replacement of a bundled figure (same id), never shipped.
    row = (
        "asb-threat-country-serbia,asb,2022,AL,threat-countries,Country seen as a threat to Albania's security,"
        "Serbia,45,percent,,2022,28-29,"
    )
    path = tmp_path / "fix.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    payload = json.loads(run("findings", "-c", "al", "-d", str(path), "-f", "json").stdout)
    (withdrawn,) = payload["withdrawn"]
    assert withdrawn["id"] == "al-neighbours-as-threats"
    assert withdrawn["note"].endswith("no longer holds with ASB 2022 (user data): Serbia 45% ≤ 50%.")
    html_path = tmp_path / "b.html"
    assert run("export-html", "-d", str(path), "-o", str(html_path), "--date", "2022-12-01").exit_code == 0
    html = html_path.read_text(encoding="utf-8")
    assert "a majority of Albanians" not in html  # the prose claim is left out too
    assert "&#39;A majority of Albanians see Serbia as a threat&#39; no longer holds" in html


def test_a_figure_that_can_no_longer_be_compared_withdraws_the_statement(run: Run, tmp_path: Path) -> None:
    # Fixture only: a fictional replacement that turns a bundled share into a ranking.
    row = (
        "asb-lack-of-cooperation,asb,2022,AL,cooperation,"
        "Relations between the Balkan states are currently affected by the lack of cooperation,Agree,,rank,1,2022,36,"
    )
    path = tmp_path / "fix.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    result = run("findings", "-c", "al", "-d", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    (withdrawn,) = json.loads(result.stdout)["withdrawn"]
    assert withdrawn["id"] == "al-lack-of-cooperation"
    assert withdrawn["note"].endswith(
        "cannot be checked with the data in use: 'asb-lack-of-cooperation' is a ranking without a share: "
        "use rank(asb-lack-of-cooperation)."
    )
