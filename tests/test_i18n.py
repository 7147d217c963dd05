"""Languages: the registry, formatting per locale, Serbian transliteration, catalogs and data labels."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from wbbrief.base.errors import UsageError, ValidationError
from wbbrief.i18n import Translator, _, format_change, format_date, format_percent, format_rank, languages, use_language
from wbbrief.i18n.catalog import catalog, placeholders, read_catalog
from wbbrief.i18n.labels import english, labels, missing_labels, read_labels
from wbbrief.i18n.registry import bundled_root, discover, language
from wbbrief.i18n.strings import INTERFACE
from wbbrief.i18n.translit import latin_to_cyrillic, strip_protection

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("en", "bs", "cnr", "hr", "mk", "sq", "sr-Cyrl", "sr-Latn")

# value → expected text, per language (79.6 must never become 80; 70 has no decimals to keep).
FORMATS = {
    "en": ("79.6%", "70%", "4.8%", "0.8%", "+1.7 pts", ("1st", "2nd", "3rd"), "1 December 2022"),
    "sq": ("79,6%", "70%", "4,8%", "0,8%", "+1,7 p.p.", ("1.", "2.", "3."), "1 dhjetor 2022"),
    "sr-Latn": ("79,6%", "70%", "4,8%", "0,8%", "+1,7 p.p.", ("1.", "2.", "3."), "1. decembar 2022."),
    "sr-Cyrl": ("79,6%", "70%", "4,8%", "0,8%", "+1,7 п.п.", ("1.", "2.", "3."), "1. децембар 2022."),
    "mk": (
        "79,6\xa0%",
        "70\xa0%",
        "4,8\xa0%",
        "0,8\xa0%",
        "+1,7 п.п.",
        ("1.", "2.", "3."),
        "1 декември 2022\u202fг.",
    ),  # CLDR keeps г. on the line
    "bs": ("79,6%", "70%", "4,8%", "0,8%", "+1,7 p.p.", ("1.", "2.", "3."), "1. decembar 2022."),
    # Croatian: its own CLDR locale (a no-break space before %, the month in the genitive), "p. b." kept
    # on one line; Montenegrin: CLDR sr_Latn_ME, as Montenegrin official texts write numbers and dates.
    "hr": ("79,6\xa0%", "70\xa0%", "4,8\xa0%", "0,8\xa0%", "+1,7 p.\xa0b.", ("1.", "2.", "3."), "1. prosinca 2022."),
    "cnr": ("79,6%", "70%", "4,8%", "0,8%", "+1,7 p.p.", ("1.", "2.", "3."), "1. decembar 2022."),
}


def test_the_bundled_languages_are_discovered_english_first() -> None:
    folders = sorted(f.name for f in bundled_root().iterdir() if (f / "language.toml").is_file())
    assert list(languages()) == ["en", *(tag for tag in folders if tag != "en")]  # every folder, English first
    assert set(BUNDLED) <= set(languages())
    assert language("sr-Cyrl").texts.tag == "sr-Latn"
    assert language("SR_latn").tag == "sr-Latn"


def test_an_unknown_language_is_a_usage_error_with_a_hint() -> None:
    with pytest.raises(UsageError, match=r"unknown language 'sr-Cyr'\. Did you mean 'sr-Cyrl'\?"):
        language("sr-Cyr")


@pytest.mark.parametrize("tag", list(FORMATS))
def test_numbers_and_dates_per_language(tag: str) -> None:
    p796, p70, p48, p08, change, ranks, date = FORMATS[tag]
    assert [format_percent(v, tag) for v in (79.6, 70.0, 4.8, 0.8)] == [p796, p70, p48, p08]
    assert format_change(1.7, tag) == change
    assert tuple(format_rank(n, tag) for n in (1, 2, 3)) == ranks
    assert format_date(dt.date(2022, 12, 1), tag) == date


def test_a_percentage_keeps_the_precision_it_was_given() -> None:
    assert format_percent("4.80", "sq") == "4,80%"
    assert format_percent(39.25, "bs") == "39,25%"
    assert format_percent(79.6, "sr-Latn") != "80%"


def test_changes_are_signed_and_zero_is_plus_minus() -> None:
    assert format_change(-2.5, "mk") == "-2,5 п.п."
    assert format_change(0, "sq") == "±0 p.p."
    assert format_change(22, "en") == "+22 pts"


def test_the_decimal_sign_can_be_overridden() -> None:
    assert format_percent(79.6, "sr-Latn", decimal="point") == "79.6%"
    assert format_percent(79.6, "en", decimal="comma") == "79,6%"
    assert Translator("mk", decimal="point").change(1.7) == "+1.7 п.п."
    # The grouping sign would now read as a decimal sign: a narrow no-break space takes its place.
    assert Translator("sr-Latn", decimal="point").number(1234.5) == "1\u202f234.5"
    assert Translator("sr-Latn").number(1234.5) == "1.234,5"
    with pytest.raises(UsageError, match="unknown decimal sign 'dot'"):
        format_percent(1, "sq", decimal="dot")


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("ljubav Ljubljana LJUBAV", "љубав Љубљана ЉУБАВ"),
        ("njegov Njegoš NJEGOŠ", "његов Његош ЊЕГОШ"),
        ("džep Džep DŽEP", "џеп Џеп ЏЕП"),
        ("Đorđe i Ćirić čitaju žute šešire", "Ђорђе и Ћирић читају жуте шешире"),
        ("nadživeti Nadživjeti podžanr", "надживети Надживјети поджанр"),
        ("injekcija konjunktura konjugacija vanjezički", "инјекција конјунктура конјугација ванјезички"),
        ("odžak nadzor", "оџак надзор"),  # no exception: a real џ, and no ž after nad
        ("saradnja bezbednost", "сарадња безбедност"),
    ],
)
def test_serbian_latin_to_cyrillic_is_exact(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


def test_protected_spans_are_never_transliterated() -> None:
    text = (
        "Vidi https://www.rcc.int/pubs/141/securimeter-2022, {asb-threat-first-corruption}, `kod`, "
        "{stat}`sm-concern-economic`, {latin}`SecuriMeter`, Washington i ured@primer.rs."
    )
    assert latin_to_cyrillic(text) == (
        "Види https://www.rcc.int/pubs/141/securimeter-2022, {asb-threat-first-corruption}, `kod`, "
        "{stat}`sm-concern-economic`, SecuriMeter, Washington и ured@primer.rs."
    )
    assert strip_protection("istraživanje {latin}`SecuriMeter`") == "istraživanje SecuriMeter"


def test_serbian_cyrillic_is_derived_from_the_latin_files() -> None:
    latin, cyrillic = Translator("sr-Latn"), Translator("sr-Cyrl")
    assert cyrillic.label("country", "XK", "name", "Kosovo") == "Косово"
    assert cyrillic.gettext("Share") == latin_to_cyrillic(latin.gettext("Share")) == "Удео"
    finding = cyrillic.label("finding", "wb6-war-instability", "text", "")
    assert "SecuriMeter" in finding and "{sm-war-instability-2022}" in finding
    # Outside placeholders and the official English names kept in Latin script, nothing is left in Latin.
    for key, text in labels(language("sr-Latn")).items():
        shown = re.sub(r"\{latin\}`[^`]*`|\{[^{}]*\}|\b\w*[qwxyWQXY]\w*\b|IISG", "", text)
        assert not re.search(r"[A-Za-zčćđšžČĆĐŠŽ]", latin_to_cyrillic(shown)), key


def test_interface_strings_follow_the_language_in_use() -> None:
    assert _("Share") == "Share"
    with use_language("sq") as t:
        assert _("Share") == "Përqindja"
        assert _("Change {base}→{latest}", base=2021, latest=2022) == "Ndryshimi 2021→2022"
        assert t.notes() == []
    with use_language("mk"):
        assert _("Key findings: {country}", country="Косово") == "Клучни наоди: Косово"
    assert _("Share") == "Share"


def test_a_missing_translation_shows_english_and_says_so() -> None:
    t = Translator("bs")
    assert t.gettext("A string no catalog has") == "A string no catalog has"
    assert t.label("figure", "user-figure-1", "question", "A user's own question") == "A user's own question"
    assert t.notes() == [
        "Još nije prevedeno na jezik bosanski, prikazano na engleskom: "
        "“A string no catalog has”; “A user's own question”."
    ]
    english_only = Translator("en")
    assert english_only.gettext("Share") == "Share" and english_only.notes() == []


@pytest.mark.parametrize("tag", [t for t in BUNDLED if t != "en"])
def test_every_bundled_language_translates_every_bundled_string(tag: str) -> None:
    lang = language(tag)
    assert missing_labels(lang) == []
    have = catalog(lang)
    assert [m for m in INTERFACE if m not in have] == []
    t = Translator(lang)
    for msgid in INTERFACE:
        assert t.gettext(msgid).strip()
    assert t.notes() == []


@pytest.mark.parametrize("tag", ["bs", "cnr", "hr", "mk", "sq", "sr-Latn"])
def test_placeholders_are_preserved(tag: str) -> None:
    ref = english()
    for key, text in labels(language(tag)).items():
        if ref[key] is not None:
            assert placeholders(text) == placeholders(str(ref[key])), key
    for msgid, msgstr in catalog(language(tag)).items():
        assert placeholders(msgstr) == placeholders(msgid), msgid


def test_finding_texts_keep_their_figure_ids_in_every_language() -> None:
    text = labels(language("sq"))[("finding", "al-corruption-first", "text")]
    assert "{asb-threat-first-corruption}" in text


# A temporary locales folder: the bundled one, copied, so that a test can add or break a language.
@pytest.fixture
def locales(tmp_path: Path) -> Path:
    root = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", root, ignore=shutil.ignore_patterns("*.mo"))
    return root


def _add_slovenian(root: Path, labels_text: str | None = None) -> Path:
    """A language wbbrief does not bundle, added as a folder (its texts a copy of the Bosnian ones)."""
    folder = root / "sl"
    shutil.copytree(root / "bs", folder)
    (folder / "language.toml").write_text(
        'tag = "sl"\nname = "Slovenian"\nnative_name = "slovenščina"\nscript = "Latn"\nbabel_locale = "sl"\n'
        'decimal = "comma"\npercentage_points = "o.t."\nordinal = "period"\ncases = ["gen", "dat", "acc", "ins"]\n',
        encoding="utf-8",
    )
    if labels_text is not None:
        (folder / "labels.csv").write_text(labels_text, encoding="utf-8")
    return folder


def test_a_new_language_is_a_folder_not_a_code_change(locales: Path) -> None:
    _add_slovenian(locales)
    found = discover(locales)
    assert "sl" in found and "sl" not in languages()
    t = Translator(found["sl"])
    assert t.percent(79.6) == "79,6\xa0%"  # Slovenian's own CLDR pattern
    assert t.change(1.7) == "+1,7 o.t."
    assert t.date(dt.date(2022, 12, 1)) == "1. december 2022"
    assert t.gettext("Share") == "Udio"  # the folder's own catalog (here a copy of the Bosnian one)
    assert t.label("country", "XK", "name", "Kosovo") == "Kosovo"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('tag = "sl"\n', "language.toml, column 'name': is missing or empty"),
        ("tag = ", "language.toml: cannot be read"),
        (
            'tag = "slv"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\n',
            "column 'tag': 'slv' differs from its folder name 'sl'",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "dot"\n'
            'percentage_points = "o.t."\nordinal = "period"\n',
            "column 'decimal': must be one of comma, point",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "xx_YY"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\n',
            "column 'babel_locale': 'xx_YY' is not a CLDR locale",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\nderived_from = "sl-Glag"\n'
            'transliteration = "sr-Latn-Cyrl"\n',
            "column 'derived_from': 'sl-Glag' is no language with texts of its own",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\ncolour = "red"\n',
            "column 'colour': is not a known key",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\ncases = ["Gen"]\n',
            "column 'cases': must be a list of lowercase form names",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\ncases = ["gen", "gender"]\n',
            "column 'cases': uses reserved names: gender",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\norder_words = ["več", "manj("]\n',
            "column 'order_words': 'manj(' is not a valid pattern",
        ),
        (
            'tag = "sl"\nname = "C"\nnative_name = "h"\nscript = "Latn"\nbabel_locale = "sl"\ndecimal = "comma"\n'
            'percentage_points = "o.t."\nordinal = "period"\norder_words = "več"\n',
            "column 'order_words': must be a list of words",
        ),
    ],
)
def test_a_broken_language_folder_is_named(locales: Path, toml: str, message: str) -> None:
    (_add_slovenian(locales) / "language.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        discover(locales)
    assert f"locales/sl/{message}" in str(err.value) or message in str(err.value)
    assert "locales/sl/language.toml" in str(err.value)


HEADER = "kind,id,field,text\n"
GOOD = "country,XK,name,Kosova\n"


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            "planet,XK,name,Kosova\n",
            "line 3, column 'kind': unknown kind 'planet' (valid: figure, country, survey, topic, finding, "
            "recommendation, pillar, region, term)",
        ),
        ("country,XX,name,Kosova\n", "line 3, column 'id': unknown country id 'XX'"),
        (
            "country,XK,capital,Prishtina\n",
            "line 3, column 'field': a country has no field 'capital' (name, nato_status, eu_status); its "
            "name's forms: gen, dat, acc, ins, gender, number",
        ),
        ("country,XK,gender,x\n", "line 3, column 'text': gender must be one of m, f, n, not 'x'"),
        ("country,XK,number,du\n", "line 3, column 'text': number must be one of sg, pl, not 'du'"),
        ("region,EU,gender,f\n", "line 3, column 'id': unknown region id 'EU'"),
        ("country,XK,acc,\n", "line 3, column 'text': empty text for country 'XK' acc"),
        ("country,XK,eu_status,\n", "line 3, column 'text': empty text for country 'XK' eu_status"),
        (GOOD, "line 3, column 'id': country 'XK' name repeats line 2"),
        ("country,XK,eu_status\n", "line 3: has 3 cells, not 4"),
        (
            "finding,al-corruption-first,text,Korrupsioni vjen i pari.\n",
            "line 3, column 'text': placeholders [] differ from the English ['{asb-threat-first-corruption}']",
        ),
        (
            "finding,al-allies,text,{asb-allies-needed} dhe {asb-priority-us}.\n",
            "line 3, column 'text': placeholders ['{asb-allies-needed}', '{asb-priority-us}'] differ from the "
            "English ['{asb-allies-needed}']",
        ),
    ],
)
def test_each_label_problem_is_reported_with_file_and_line(locales: Path, rows: str, problem: str) -> None:
    folder = _add_slovenian(locales, HEADER + GOOD + rows)
    with pytest.raises(ValidationError) as err:
        read_labels(discover(locales)["sl"])
    assert str(err.value) == f"locales/sl/labels.csv, {problem}"
    assert folder.name == "sl"


def test_a_labels_file_with_the_wrong_header_is_refused(locales: Path) -> None:
    _add_slovenian(locales, "kind,id,text\n" + GOOD)
    with pytest.raises(ValidationError, match=r"labels\.csv, line 1: the header must be kind,id,field,text"):
        read_labels(discover(locales)["sl"])


def test_every_label_problem_is_listed_at_once(locales: Path) -> None:
    _add_slovenian(locales, HEADER + "planet,XK,name,x\ncountry,XX,name,x\n")
    with pytest.raises(ValidationError) as err:
        read_labels(discover(locales)["sl"])
    assert [p.line for p in err.value.problems] == [2, 3]


def test_a_catalog_translation_that_drops_a_placeholder_is_refused(locales: Path) -> None:
    folder = _add_slovenian(locales)
    po = folder / "LC_MESSAGES" / "wbbrief.po"
    po.write_text(po.read_text(encoding="utf-8").replace('"Rang {year}"', '"Rang"'), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_catalog(discover(locales)["sl"])
    problem = err.value.problems[0]
    assert (problem.file, problem.column) == ("locales/sl/LC_MESSAGES/wbbrief.po", "msgstr")
    assert problem.line is not None and po.read_text(encoding="utf-8").split("\n")[problem.line - 1].startswith("msgid")
    assert "differ from the English ['{year}'] in 'Rank {year}'" in problem.message


def test_an_untranslated_label_falls_back_to_english_with_a_note(locales: Path) -> None:
    _add_slovenian(locales, HEADER + GOOD)
    lang = discover(locales)["sl"]
    assert ("figure", "asb-threat-first-corruption", "answer") in missing_labels(lang)
    t = Translator(lang)
    assert t.label("figure", "asb-threat-first-corruption", "answer", "Corruption") == "Corruption"
    assert t.label("country", "XK", "name", "Kosovo") == "Kosova"
    assert t.notes() and "“Corruption”" in t.notes()[0]


def test_the_bundled_root_is_the_package_folder() -> None:
    assert (bundled_root() / "en" / "language.toml").is_file()


def test_every_catalog_translates_every_interface_string() -> None:
    """A merge that takes one side's catalog loses the other side's strings without a word: every
    msgid of the template has a translation in every language that has texts of its own."""
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[1] / "locales"
    with open(root / "wbbrief.pot", "rb") as stream:
        wanted = {m.id for m in read_po(stream) if m.id}
    assert wanted
    for po in sorted(root.glob("*/LC_MESSAGES/wbbrief.po")):
        with open(po, "rb") as stream:
            catalog = read_po(stream)
        done = {m.id for m in catalog if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
        missing = sorted(str(i) for i in wanted - done)
        assert not missing, f"{po.relative_to(root)}: {len(missing)} untranslated, e.g. {missing[:3]}"


def test_the_shipped_languages_pass_every_check_the_registry_skips_for_them() -> None:
    """languages() trusts the package's own folders for their CLDR locale and order-word patterns;
    read as a user's folder would be, they pass those checks too, and give the same languages."""
    from wbbrief.i18n.registry import bundled_root, discover, languages

    assert discover(bundled_root()) == languages()
