"""Names that decline: the forms, gender and number of the nouns messages insert, as data.

A message names the form it needs in its placeholder's format spec (locales/README.md):

    "Ključni nalazi za {country:acc}"                 a case the language declares (language.toml `cases`)
    "… koji {country:m=ga|f=je|n=ga} obuhvataju"      agreement: the text for the noun's gender
    "{country:m=anëtar|f=anëtare|pl=anëtarë}"          `pl=`, if given, wins for a plural noun

The code passes a `Noun`; its `__format__` picks the form. `{country}` (no spec) is the nominative,
so English msgids, which never carry a spec, format exactly as they did with a plain string.

The forms, gender and number are rows of labels.csv (`country,XK,acc,Kosovo`, `country,XK,gender,n`),
for the countries (by code), the region (id WB6; its nominative is the catalog's "Western Balkans Six")
and the surveys (by id).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import field

from wbbrief.base.record import record

GENDERS = ("m", "f", "n")
NUMBERS = ("sg", "pl")
CHOICE_KEYS = (*GENDERS, "pl")
# The placeholder a noun fills → the labels.csv kind it comes from. The region's id is constants.REGION.
PLACEHOLDER_KINDS = {"country": "country", "region": "region", "survey": "survey"}
REGION_ID = "WB6"
REGION_ENGLISH = "Western Balkans Six"
NOUN_FIELDS = ("gender", "number")
CASE_NAME = re.compile(r"^[a-z]+$")
# Field names a case may not take: the labels' own fields and a noun's gender and number.
RESERVED_FIELDS = frozenset(
    {"name", "nato_status", "eu_status", "question", "answer", "title", "text", "focus", *NOUN_FIELDS}
)


def _identity(text: str) -> str:
    return text


@record
class Noun:
    """A name with the forms a language's messages ask for. str() and format(noun, "") give `name`."""

    name: str  # the nominative, already in the language's script
    forms: Mapping[str, str] = field(default_factory=dict)  # case → form, in the source script
    gender: str | None = None
    number: str = "sg"
    script: Callable[[str], str] = _identity  # source script → the language's script (sr-Cyrl)
    on_missing: Callable[[str], object] | None = None  # told about a form or gender the data lack

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        if not spec:
            return self.name
        if "=" in spec:
            choice = parse_choice(spec)
            key = "pl" if self.number == "pl" and "pl" in choice else self.gender
            if key is None or key not in choice:
                return self._missing(f"{self.name} ({spec})")
            return self.script(choice[key])
        found = self.forms.get(spec)
        return self.script(found) if found else self._missing(f"{self.name} ({spec})")

    def _missing(self, what: str) -> str:
        if self.on_missing is not None:
            self.on_missing(what)
        return self.name

    def choice_key(self, spec: str) -> str | None:
        """The key a choice spec picks for this noun (None when the noun has no gender)."""
        choice = parse_choice(spec)
        return "pl" if self.number == "pl" and "pl" in choice else self.gender


def parse_choice(spec: str) -> dict[str, str]:
    """'m=ga|f=je|n=ga' → {'m': 'ga', 'f': 'je', 'n': 'ga'} (malformed parts are left out; see spec_problem)."""
    found: dict[str, str] = {}
    for part in spec.split("|"):
        key, eq, text = part.partition("=")
        if eq:
            found[key.strip()] = text
    return found


def spec_problem(spec: str, cases: tuple[str, ...]) -> str | None:
    """Why a placeholder's format spec is not one a message may use in a language with these cases."""
    if not spec:
        return None
    if "=" not in spec:
        if spec not in cases:
            declared = ", ".join(cases) or "none"
            return f"asks for the form '{spec}', which language.toml does not declare (cases: {declared})"
        return None
    keys = []
    for part in spec.split("|"):
        key, eq, _text = part.partition("=")
        if not eq or key not in CHOICE_KEYS:
            return f"'{part}' is no choice: write key=text with a key among {', '.join(CHOICE_KEYS)}"
        if key in keys:
            return f"the choice repeats '{key}'"
        keys.append(key)
    return None


def fields_in(text: str) -> list[tuple[str, str]]:
    """The (name, format spec) of every replacement field of a message."""
    found = []
    for _literal, name, spec, _conversion in string.Formatter().parse(text):
        if name is not None:
            found.append((name, spec or ""))
    return found
