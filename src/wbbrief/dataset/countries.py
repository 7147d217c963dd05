"""The Western Balkans Six: resolve what a user types (name, ISO code, alias, any case,
with or without diacritics) to a country code, with a "did you mean" for near misses.

Reads ``countries.csv`` with the csv module, not pandas, so that option parsing stays instant.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import unicodedata
from dataclasses import replace

from wbbrief.base.constants import REGION, active_translator
from wbbrief.base.errors import DataError, UsageError
from wbbrief.base.record import record
from wbbrief.dataset.bundle import bundled_dir, split_list

REGION_NAME = "Western Balkans Six"
REGION_ALIASES = ("WB6", "Western Balkans", "Western Balkans Six", "region", "regional")


@record
class Country:
    code: str
    name: str
    local_name: str
    nato_status: str
    eu_status: str
    aliases: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Fold case and strip diacritics and punctuation: 'Shqipëri' and 'shqiperi' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def all_countries() -> tuple[Country, ...]:
    """The six countries in the bundled order, named in the language in use (i18n.use_language)."""
    t = active_translator()
    if t is None:
        return english_countries()
    return tuple(
        replace(
            c,
            name=t.label("country", c.code, "name", c.name),
            nato_status=t.label("country", c.code, "nato_status", c.nato_status),
            eu_status=t.label("country", c.code, "eu_status", c.eu_status),
        )
        for c in english_countries()
    )


@functools.cache
def english_countries() -> tuple[Country, ...]:
    """The six countries in the bundled order (Albania first, as in the paper), as the data names them."""
    try:
        text = (bundled_dir() / "countries.csv").read_text(encoding="utf-8")
    except OSError as err:
        raise DataError(f"data/countries.csv: cannot read the bundled file ({err})") from err
    return tuple(
        Country(
            code=row["code"],
            name=row["name"],
            local_name=row["local_name"],
            nato_status=row["nato_status"],
            eu_status=row["eu_status"],
            aliases=tuple(split_list(row["aliases"])),
        )
        for row in csv.DictReader(io.StringIO(text))
    )


@functools.cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in english_countries():
        for name in (country.code, country.name, country.local_name, *country.aliases):
            table[normalise(name)] = country.code
    for name in REGION_ALIASES:
        table[normalise(name)] = REGION
    return table


def by_code(code: str) -> Country:
    for country in all_countries():
        if country.code == code:
            return country
    raise DataError(f"no country has the code '{code}'")


def english_by_code(code: str) -> Country:
    """A country as the data has it (its statuses are what code compares), whatever the language."""
    for country in english_countries():
        if country.code == code:
            return country
    raise DataError(f"no country has the code '{code}'")


def name_of(code: str) -> str:
    """Display name of a country code, or of the region."""
    if code == REGION:
        t = active_translator()
        return t.gettext(REGION_NAME) if t else REGION_NAME
    return by_code(code).name


def valid_names() -> str:
    return ", ".join(f"{c.name} ({c.code})" for c in all_countries()) + f", or {REGION} for the region"


def resolve(text: str) -> str:
    """The code for what the user typed; UsageError naming the valid choices otherwise."""
    key = normalise(text)
    table = _lookup()
    if key in table:
        return table[key]
    near = difflib.get_close_matches(key, table.keys(), n=1, cutoff=0.6)
    suggestions = list(dict.fromkeys(name_of(table[k]) for k in near))
    hint = f" Did you mean {suggestions[0]}?" if suggestions else ""
    raise UsageError(f"unknown country '{text}'.{hint} Valid: {valid_names()}.")
