"""wbbrief in the region's languages: the language registry, formatting, transliteration, translations.

The API the commands and the brief call:

    from wbbrief.i18n import _, languages, language, use_language, Translator

    languages()                       # {'en': Language, 'bs': ..., ...}: discovered from locales/<tag>/
    t = Translator("sr-Cyrl")         # or: with use_language("sq", decimal="point") as t: ...
    t.gettext("Share")                # 'Удео' (interface string, from the .po catalog)
    t.gettext("Rank {year}", year=2022)
    t.label("country", "XK", "name", "Kosovo")      # data label, English given as the fallback
    t.percent(79.6), t.change(1.7), t.rank(1), t.date(date(2022, 12, 1)), t.number(1234.5)
    t.noun("country", "XK", "Kosovo")                # a Noun: "{country:acc}", "{country:m=ga|f=je|n=ga}"
    t.text("Latin text of the language")            # sr-Cyrl: transliterated; others: markers removed
    t.notes()                         # ['Not yet translated into ..., shown in English: ...'] or []
    _("Share")                        # gettext of the language in use (English outside use_language)

A text that has no translation is shown in English and named in `notes()`: never an empty cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from wbbrief.i18n.catalog import catalog
from wbbrief.i18n.formatting import format_change, format_date, format_number, format_percent, format_rank
from wbbrief.i18n.labels import english, labels, noun_labels
from wbbrief.i18n.nouns import PLACEHOLDER_KINDS, REGION_ENGLISH, Noun
from wbbrief.i18n.registry import Language, language, languages
from wbbrief.i18n.strings import N_
from wbbrief.i18n.translit import TRANSLITERATORS, latin_to_cyrillic, strip_protection

__all__ = [
    "N_",
    "Language",
    "Noun",
    "Translator",
    "_",
    "active",
    "format_change",
    "format_date",
    "format_number",
    "format_percent",
    "format_rank",
    "language",
    "languages",
    "latin_to_cyrillic",
    "noun",
    "strip_protection",
    "use_language",
]


class Translator:
    """Everything shown in one language: interface strings, data labels, numbers, dates."""

    def __init__(self, lang: str | Language = "en", decimal: str | None = None) -> None:
        self.language = language(lang)
        self.decimal = decimal
        self.untranslated: list[str] = []
        self._catalog = catalog(self.language)
        self._labels = labels(self.language)
        self._nouns = noun_labels(self.language)

    def text(self, latin: str) -> str:
        """A text written in this language's source script, in its own script (sr-Cyrl: transliterated)."""
        name = self.language.transliteration
        return TRANSLITERATORS[name](latin) if name else strip_protection(latin)

    def _missing(self, english: str) -> str:
        if not self.language.is_source and english not in self.untranslated:
            self.untranslated.append(english)
        return english

    def gettext(self, msgid: str, **values: Any) -> str:
        """An interface string; `values` fill its {placeholders} (already in this language)."""
        found = self._catalog.get(msgid)
        template = self.text(found) if found else self._missing(msgid)
        if not values:
            return template
        for key in PLACEHOLDER_KINDS.keys() & values.keys():  # a name given as text: no forms, no crash
            if not isinstance(values[key], Noun):
                values[key] = Noun(str(values[key]), on_missing=self._missing)
        return template.format(**values)

    def label(self, kind: str, id_: str, field: str, english: str) -> str:
        """A data label (see labels.KINDS); English (and a note) where this language has none."""
        found = self._labels.get((kind, id_, field))
        return self.text(found) if found else self._missing(english)

    def source_text(self, kind: str, id_: str, field: str) -> str | None:
        """The English text a label translates (None for a key the bundled data do not have)."""
        return english().get((kind, id_, field))

    def noun(self, kind: str, id_: str, english: str) -> Noun:
        """A name to insert into a message, with the forms, gender and number its labels give (i18n.nouns):
        a country by code, a survey by id, or the region ("region", "WB6"; named by the catalog)."""
        name = self.gettext(REGION_ENGLISH) if kind == "region" else self.label(kind, id_, "name", english)
        if self.language.is_source:
            return Noun(name)
        given = self._nouns
        forms = {c: given[(kind, id_, c)] for c in self.language.texts.cases if (kind, id_, c) in given}
        return Noun(
            name,
            forms,
            given.get((kind, id_, "gender")),
            given.get((kind, id_, "number"), "sg"),
            self.text,
            self._missing,
        )

    def notes(self) -> list[str]:
        """The note that names what is shown in English, when anything is."""
        if not self.untranslated:
            return []
        items = "; ".join(f"“{t}”" for t in self.untranslated)
        note = N_("Not yet translated into {language}, shown in English: {items}.")
        return [self.gettext(note, language=self.language.native_name, items=items)]

    def percent(self, value: Any) -> str:
        return format_percent(value, self.language, self.decimal)

    def change(self, delta: Any) -> str:
        return format_change(delta, self.language, self.decimal)

    def number(self, value: Any) -> str:
        return format_number(value, self.language, self.decimal)

    def rank(self, rank: Any) -> str:
        return format_rank(rank, self.language)

    def date(self, day: dt.date) -> str:
        return format_date(day, self.language)


_current: ContextVar[Translator | None] = ContextVar("wbbrief_translator", default=None)


def current() -> Translator:
    """The translator in use (English outside `use_language`)."""
    found = _current.get()
    if found is None:
        found = Translator("en")
        _current.set(found)
    return found


def active() -> Translator | None:
    """The translator in use when it is not English (None otherwise): what formatting consults."""
    found = _current.get()
    return found if found is not None and not found.language.is_source else None


@contextmanager
def use_language(lang: str | Language, decimal: str | None = None) -> Iterator[Translator]:
    """Show everything inside in one language; `_()` follows it."""
    token = _current.set(Translator(lang, decimal))
    try:
        yield current()
    finally:
        _current.reset(token)


def noun(kind: str, id_: str, english: str) -> Noun:
    """A name (see Translator.noun) in the language in use; English: the name itself."""
    found = _current.get()
    return found.noun(kind, id_, english) if found is not None else Noun(english)


def _(msgid: str, **values: Any) -> str:
    """An interface string in the language in use."""
    found = _current.get()
    if found is None:  # English, the catalogs' own language: no translator to build, so that the
        return msgid.format(**values) if values else msgid  # query commands start as fast as before
    return found.gettext(msgid, **values)
