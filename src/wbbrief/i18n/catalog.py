"""Interface strings from gettext catalogs (locales/<tag>/LC_MESSAGES/wbbrief.po).

The catalogs are read from the .po files at run time with Babel (already a dependency for numbers),
so a wheel or a fresh clone works with no compile step and no .mo file to keep in step; `make
catalogs` runs `pybabel extract/update/compile` to refresh them from the source (the .mo files it
compiles only prove the catalogs compile, and are not committed).

A msgstr must keep the msgid's {placeholders}; a fuzzy or empty msgstr counts as untranslated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wbbrief.errors import Problem, ValidationError
from wbbrief.i18n.registry import Language

DOMAIN = "wbbrief"
PLACEHOLDER = re.compile(r"\{[^{}]*\}(?!`)")  # {name}`…` is a role (a protected span), not a placeholder


def placeholders(text: str) -> list[str]:
    """The names of a text's {placeholders}, each once: a msgstr may give one a format spec naming a
    form ({country:acc}, {country:m=ga|f=je}) and use it more than once (i18n.nouns)."""
    return sorted({"{" + re.split(r"[:!]", p[1:-1], maxsplit=1)[0] + "}" for p in PLACEHOLDER.findall(text)})


def po_path(tag: str) -> str:
    return f"locales/{tag}/LC_MESSAGES/{DOMAIN}.po"


def read_catalog(lang: Language) -> dict[str, str]:
    """msgid → msgstr of a language's own catalog (none for English or a derived language)."""
    if lang.is_source or lang.derived_from:
        return {}
    from babel.messages.pofile import PoFileError, read_po

    where = po_path(lang.tag)
    source = lang.folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with source.open("rb") as fh:
            catalog = read_po(fh, abort_invalid=True)
    except (OSError, PoFileError) as err:
        raise ValidationError([Problem(where, None, None, f"cannot be read: {err}")]) from err
    problems: list[Problem] = []
    found: dict[str, str] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        if message.fuzzy or not message.string.strip():
            continue
        if placeholders(message.string) != placeholders(message.id):
            problems.append(
                Problem(
                    where,
                    message.lineno,
                    "msgstr",
                    f"placeholders {placeholders(message.string)} differ from the English "
                    f"{placeholders(message.id)} in '{message.id}'",
                )
            )
            continue
        found[message.id] = message.string
    if problems:
        raise ValidationError(problems)
    return found


@lru_cache(maxsize=32)
def catalog(lang: Language) -> dict[str, str]:
    """The catalog that holds a language's texts (its own, or that of the language it derives from)."""
    return read_catalog(lang.texts)
