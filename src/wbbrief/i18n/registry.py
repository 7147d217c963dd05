"""The languages wbbrief speaks, discovered from folders: a new language is a folder, not a code change.

Each `locales/<tag>/language.toml` names the language (see locales/README.md):

    tag = "sr-Latn"                # BCP 47: the HTML lang, the PDF /Lang, the --lang value
    name = "Serbian (Latin)"       # in English
    native_name = "srpski (latinica)"
    script = "Latn"                # ISO 15924
    babel_locale = "sr_Latn"       # the CLDR locale Babel formats numbers and dates with
    decimal = "comma"              # the decimal sign publications in this language use: comma | point
    percentage_points = "p.p."     # the local abbreviation for a change in percentage points
    ordinal = "period"             # ranks as "1." (period) or "1st" (english)
    derived_from = "sr-Latn"       # optional: every text is derived from that language ...
    transliteration = "sr-Latn-Cyrl"  # ... by this transliteration (the only one so far)
    cases = ["gen", "dat", "acc", "ins"]  # optional: the forms its labels give every name (i18n.nouns)

A language that is not derived has `labels.csv` (translated data labels) and
`LC_MESSAGES/wbbrief.po` (interface strings) beside it; English, the source language, needs neither.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from wbbrief.base.errors import Problem, UsageError, ValidationError
from wbbrief.base.record import record
from wbbrief.i18n.nouns import CASE_NAME, RESERVED_FIELDS

SOURCE_TAG = "en"
DECIMALS = ("comma", "point")
ORDINALS = ("period", "english")
TRANSLITERATIONS = ("sr-Latn-Cyrl",)
_REQUIRED = ("tag", "name", "native_name", "script", "babel_locale", "decimal", "percentage_points", "ordinal")
_OPTIONAL = ("derived_from", "transliteration", "cases", "order_words")

Root = Traversable | Path


@record
class Language:
    tag: str
    name: str
    native_name: str
    script: str
    babel_locale: str
    decimal: str
    percentage_points: str
    ordinal: str
    folder: Root
    derived_from: str | None = None
    transliteration: str | None = None
    cases: tuple[str, ...] = ()  # the forms its messages may ask of a name besides the nominative
    # Words (regular expressions, whole words) that order two figures in a sentence: `check` warns when
    # the two are within the noise (document/noise.py). A derived language takes its source's.
    order_words: tuple[str, ...] = ()
    source: Language | None = None  # the language a derived one takes its texts from

    @property
    def is_source(self) -> bool:
        return self.tag == SOURCE_TAG

    @property
    def texts(self) -> Language:
        """The language whose files hold this language's texts (itself unless derived)."""
        return self.source or self


def bundled_root() -> Traversable:
    return resources.files("wbbrief") / "locales"


def _read(folder: Root, problems: list[Problem], shipped: bool = False) -> Language | None:
    where = f"locales/{folder.name}/language.toml"
    try:
        meta = tomllib.loads((folder / "language.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        problems.append(Problem(where, None, None, f"cannot be read: {err}"))
        return None
    start = len(problems)
    for key in _REQUIRED:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(Problem(where, None, key, "is missing or empty"))
    for key in sorted(set(meta) - set(_REQUIRED) - set(_OPTIONAL)):
        problems.append(Problem(where, None, key, "is not a known key"))
    if len(problems) > start:
        return None
    if meta["tag"] != folder.name:
        problems.append(Problem(where, None, "tag", f"'{meta['tag']}' differs from its folder name '{folder.name}'"))
    if meta["decimal"] not in DECIMALS:
        problems.append(Problem(where, None, "decimal", f"must be one of {', '.join(DECIMALS)}"))
    if meta["ordinal"] not in ORDINALS:
        problems.append(Problem(where, None, "ordinal", f"must be one of {', '.join(ORDINALS)}"))
    if ("derived_from" in meta) != ("transliteration" in meta):
        problems.append(Problem(where, None, "derived_from", "goes with 'transliteration' (both or neither)"))
    if meta.get("transliteration", TRANSLITERATIONS[0]) not in TRANSLITERATIONS:
        problems.append(Problem(where, None, "transliteration", f"must be one of {', '.join(TRANSLITERATIONS)}"))
    cases = meta.get("cases", [])
    if not isinstance(cases, list) or not all(isinstance(c, str) and CASE_NAME.match(c) for c in cases):
        problems.append(Problem(where, None, "cases", 'must be a list of lowercase form names, e.g. ["gen", "acc"]'))
    elif reserved := sorted(set(cases) & RESERVED_FIELDS):
        problems.append(Problem(where, None, "cases", f"uses reserved names: {', '.join(reserved)}"))
    elif len(set(cases)) != len(cases):
        problems.append(Problem(where, None, "cases", "names a form twice"))
    words = meta.get("order_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        problems.append(Problem(where, None, "order_words", 'must be a list of words, e.g. ["more", "less"]'))
    elif not shipped:  # the shipped languages' patterns and locales are checked by the tests, not each run
        for word in words:
            try:
                re.compile(word)
            except re.error as err:
                problems.append(Problem(where, None, "order_words", f"'{word}' is not a valid pattern: {err}"))
    if not shipped:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(meta["babel_locale"])
        except (ValueError, UnknownLocaleError):
            problems.append(Problem(where, None, "babel_locale", f"'{meta['babel_locale']}' is not a CLDR locale"))
    if len(problems) > start:
        return None
    values = {k: meta[k] for k in (*_REQUIRED, *_OPTIONAL) if k in meta}
    values["cases"] = tuple(cases)
    values["order_words"] = tuple(words)
    return Language(folder=folder, **values)


def discover(root: Root, shipped: bool = False) -> dict[str, Language]:
    """Every language folder under root, by tag; a broken folder is a ValidationError naming the file.
    ``shipped``: the package's own folders, whose order-word patterns and CLDR locales the tests
    check (loading every locale's CLDR data cost each command several milliseconds for nothing)."""
    problems: list[Problem] = []
    found: dict[str, Language] = {}
    for folder in sorted(root.iterdir(), key=lambda f: f.name):
        if folder.is_dir() and (folder / "language.toml").is_file():
            lang = _read(folder, problems, shipped)
            if lang:
                found[lang.tag] = lang
    for tag, lang in found.items():
        if lang.derived_from:
            source = found.get(lang.derived_from)
            if source is None or source.derived_from:
                problems.append(
                    Problem(
                        f"locales/{tag}/language.toml",
                        None,
                        "derived_from",
                        f"'{lang.derived_from}' is no language with texts of its own",
                    )
                )
            else:
                found[tag] = replace(lang, source=source)
    if SOURCE_TAG not in found:
        problems.append(Problem("locales", None, None, f"the source language '{SOURCE_TAG}' has no folder"))
    if problems:
        raise ValidationError(problems)
    # English first, then by tag: the order --lang lists them in.
    return dict(sorted(found.items(), key=lambda kv: (kv[0] != SOURCE_TAG, kv[0])))


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Language]:
    return discover(bundled_root(), shipped=True)


def languages(root: Root | None = None) -> dict[str, Language]:
    """The languages under root (the bundled ones by default), English first."""
    return _bundled() if root is None else discover(root)


def language(tag: str | Language, root: Root | None = None) -> Language:
    """A language by its tag (case-insensitive, '_' for '-' accepted); a UsageError with a hint otherwise."""
    if isinstance(tag, Language):
        return tag
    known = languages(root)
    by_fold = {t.casefold(): lang for t, lang in known.items()}
    found = by_fold.get(tag.replace("_", "-").casefold())
    if found:
        return found
    near = difflib.get_close_matches(tag, list(known), n=1)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    raise UsageError(f"unknown language '{tag}'.{hint} Valid: {', '.join(known)}.")
