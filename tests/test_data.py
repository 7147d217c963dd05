"""The bundled data: every figure pinned to the paper, the schema enforced, breakage reported precisely."""

from __future__ import annotations

import dataclasses
import re
import shutil
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

from wbbrief.base.errors import ValidationError
from wbbrief.dataset import bundle as data
from wbbrief.dataset import loading, records

# Typed from the paper, not from the CSV: (value or rank, unit, report page, paper footnote).
PINNED: dict[str, tuple[float, str, str | None, int | None]] = {
    "asb-threat-first-corruption": (39.3, "percent", "27", 26),
    "asb-threat-first-organised-crime": (11.2, "percent", "27", 26),
    "asb-threat-second-war": (30.2, "percent", "24", 20),
    "asb-threat-second-organised-crime": (19.2, "percent", "27", 26),
    "asb-threat-country-serbia": (66.8, "percent", "28-29", 23),
    "asb-threat-country-russia": (63.1, "percent", "28-29", 23),
    "asb-threat-country-china": (19, "percent", "28-29", 23),
    "asb-threat-country-greece": (4.8, "percent", "28-29", 23),
    "asb-russia-west-war-possible": (58.7, "percent", "27", 22),
    "asb-russia-west-war-not-expand": (36, "percent", "27", 22),
    "asb-concern-domestic": (86.4, "percent", "25", 27),
    "asb-concern-international": (84.5, "percent", "25", 27),
    "asb-allies-needed": (88.5, "percent", "34", 29),
    "asb-priority-us": (70.1, "percent", "33", 30),
    "asb-priority-germany": (16.7, "percent", "33", 30),
    "asb-priority-turkey": (6.9, "percent", "33", 30),
    "asb-priority-italy": (2.7, "percent", "33", 30),
    "asb-priority-uk": (1.7, "percent", "33", 30),
    "asb-best-relations-turkey": (37.4, "percent", "33", 30),
    "asb-best-relations-us": (36.4, "percent", "33", 30),
    "asb-best-relations-germany": (15.1, "percent", "33", 30),
    "asb-best-relations-italy": (8, "percent", "33", 30),
    "asb-best-relations-uk": (1.8, "percent", "33", 30),
    "asb-best-relations-france": (0.8, "percent", "33", 30),
    "asb-lack-of-cooperation": (72.3, "percent", "36", 31),
    "asb-closer-cooperation-balkans": (79.6, "percent", "36", 32),
    "asb-albania-serbia-cooperation": (74.4, "percent", "36", 32),
    "asb-focus-organised-crime": (63.1, "percent", None, None),
    "asb-focus-terrorism": (16.2, "percent", None, None),
    "asb-focus-natural-disasters": (10, "percent", None, None),
    "asb-focus-cybercrime": (6.5, "percent", None, None),
    "asb-impede-politicians": (42.5, "percent", None, None),
    "asb-impede-big-powers": (28, "percent", None, None),
    "asb-impede-mutual-insecurity": (16.2, "percent", None, None),
    "sm-war-instability-2022": (44, "percent", "28", 21),
    "sm-war-instability-2021": (22, "percent", "28", 21),
    "sm-concern-economic": (1, "rank", "28", 25),
    "sm-concern-organised-crime": (2, "rank", "28", 25),
    "sm-personal-security-better": (17, "percent", "24", 28),
    "sm-personal-security-worse": (20, "percent", "24", 28),
    "sm-regional-cooperation-needed": (70, "percent", "94", 34),
    "iri-rs-opinion-albania-favourable": (20, "percent", "93", 24),
    "iri-rs-opinion-albania-unfavourable": (80, "percent", "93", 24),
    "iri-rs-opinion-albania-highly-unfavourable": (40, "percent", "93", 24),
    "iri-rs-least-favourable-albania": (1, "rank", "93", 24),
    "iri-rs-least-favourable-croatia": (2, "rank", "93", 24),
    "iri-rs-least-favourable-us": (3, "rank", "93", 24),
    "iri-tensions-leaders-ba": (75, "percent", "152", 33),
    "iri-tensions-leaders-me": (69, "percent", "152", 33),
    "iri-tensions-leaders-mk": (60, "percent", "152", 33),
    "iri-tensions-leaders-rs": (40, "percent", "152", 33),
    "iri-open-balkan-ba": (68, "percent", "132", 35),
    "iri-open-balkan-me": (66, "percent", "132", 35),
    "iri-open-balkan-mk": (61, "percent", "132", 35),
    "iri-open-balkan-rs": (75, "percent", "132", 35),
    "iri-open-balkan-xk": (42, "percent", "132", 35),
}


def test_every_figure_is_pinned_with_its_provenance() -> None:
    figures = loading.load_bundle().figures
    assert sorted(f.id for f in figures) == sorted(PINNED)
    for row in figures:
        number, unit, page, footnote = PINNED[row.id]
        assert row.unit == unit, row.id
        measured = row.value if unit == "percent" else row.rank
        assert measured == number, row.id
        assert row.source_page == page, row.id
        assert row.footnote == footnote, row.id


def test_every_percentage_is_printed_in_the_paper(paper_text: str) -> None:
    """A typo in figures.csv would give a number the paper never prints."""
    printed = {m.replace(",", ".") for m in re.findall(r"\d+(?:[.,]\d+)?(?=\s*(?:%|percent|\)))", paper_text)}
    for row in loading.load_bundle().figures:
        if row.unit == "percent":
            assert format(row.value, "g") in printed, row.id


def test_every_cited_footnote_names_the_survey_and_page(paper_text: str) -> None:
    bundle = loading.load_bundle()
    surveys = {s.id: s for s in bundle.surveys}
    for row in (f for f in bundle.figures if f.footnote is not None):
        # A footnote starts a line with its number (printed twice for fn. 21) and may run onto the next.
        number = row.footnote
        match = re.search(rf"^(?:{number})+ (.+\n?.*)", paper_text, re.MULTILINE)
        assert match, row.id
        footnote = " ".join(match.group(1).split())
        author = str(surveys[row.survey].authors).split(",")[0]
        assert author.split()[0] in footnote, (row.id, footnote)
        assert re.search(rf", {row.source_page}\.", footnote), (row.id, footnote)


def test_records_have_the_schema_fields_and_types() -> None:
    bundle = loading.load_bundle()
    figure_fields = [f.name for f in dataclasses.fields(records.Figure)]
    assert figure_fields == [*data.field_names("figures"), "origin"]
    assert len(bundle.figures) == 56
    for figure in bundle.figures:
        # A missing optional value is None (never NaN); a share is a float, a rank an int.
        if figure.unit == "percent":
            assert isinstance(figure.value, float) and figure.rank is None, figure.id
        else:
            assert figure.value is None and isinstance(figure.rank, int), figure.id
        assert figure.footnote is None or isinstance(figure.footnote, int)
        assert figure.source_page is None or isinstance(figure.source_page, str)
    assert next(f for f in bundle.figures if f.id == "asb-threat-first-corruption").value == 39.3
    assert next(f for f in bundle.figures if f.id == "asb-focus-terrorism").source_page is None
    assert len(bundle.surveys) == 3
    assert {c.code for c in bundle.countries} == {"AL", "BA", "XK", "ME", "MK", "RS"}
    assert [p.acronym for p in bundle.iisg_pillars] == ["WBCTi", "WBCSCi", "WBBSi"]
    levels = [r.level for r in bundle.recommendations]
    assert levels[:2] == ["strategic", "operational"] and levels.count("principle") == 2 and levels.count("aim") == 4


def _broken_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str, old: str, new: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(Path(str(data.bundled_dir())), folder)
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def fake_dir() -> Traversable:
        return folder

    monkeypatch.setattr(data, "bundled_dir", fake_dir)
    loading.load_bundle.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    loading.load_bundle.cache_clear()
    yield
    loading.load_bundle.cache_clear()


def test_a_percentage_over_100_is_reported_with_file_line_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _broken_copy(tmp_path, monkeypatch, "figures", ",39.3,percent,", ",139.3,percent,")
    with pytest.raises(ValidationError) as caught:
        loading.load_bundle()
    assert str(caught.value) == "data/figures.csv, line 2, column 'value': 139.3 is above the maximum 100"


def test_a_non_numeric_value_and_a_dangling_reference_are_both_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _broken_copy(tmp_path, monkeypatch, "figures", ",11.2,percent,", ",eleven,percent,")
    with pytest.raises(ValidationError) as caught:
        loading.load_bundle()
    messages = [str(p) for p in caught.value.problems]
    assert "data/figures.csv, line 3, column 'value': 'eleven' is not a number" in messages


def test_a_finding_citing_an_unknown_figure_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_copy(tmp_path, monkeypatch, "findings", "{asb-allies-needed}", "{asb-allies-wanted}")
    with pytest.raises(ValidationError) as caught:
        loading.load_bundle()
    messages = [str(p) for p in caught.value.problems]
    assert any("findings.csv, line" in m and "'asb-allies-wanted'" in m for m in messages), messages


def test_a_missing_column_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_copy(tmp_path, monkeypatch, "surveys", "id,name,", "ident,name,")
    with pytest.raises(ValidationError) as caught:
        loading.load_bundle()
    assert "data/surveys.csv, line 1, column 'id': required column is missing" in str(caught.value)


def test_a_rank_row_with_a_value_breaks_the_unit_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_copy(tmp_path, monkeypatch, "figures", 'social exclusion",,rank,1', 'social exclusion",5,rank,1')
    with pytest.raises(ValidationError, match="a ranking figure takes no value"):
        loading.load_bundle()
