"""Which encoding a data file's bytes are in: UTF-8, or one of the Windows code pages Excel uses
in the region, told apart by the letters each would produce; or the one ``--encoding`` names.

Windows-1250 (Central European: Bosnian, Croatian, Serbian Latin, Albanian) and Windows-1251
(Cyrillic: Serbian Cyrillic, Macedonian) give every byte above 127 a meaning, so decoding never
fails and a wrong guess turns 'Довербa' into 'Äîâĺđáŕ' silently. charset-normalizer measures how
chaotic and how coherent the text would be in each; where it cannot tell them apart, the letter
rule decides (in Cyrillic text the bytes above 127 are whole words, in Latin text single letters
among ASCII ones: č, š, ë), and a warning says the encoding is a guess, naming ``--encoding``.
"""

from __future__ import annotations

import codecs
import contextvars
import re
from collections.abc import Callable
from typing import TypeVar

from wbbrief.base.errors import DataError, UsageError

T = TypeVar("T")

# Set by ``wbbrief data validate --encoding``: the code page to use instead of guessing.
FORCED: contextvars.ContextVar[str | None] = contextvars.ContextVar("wbbrief_encoding", default=None)

_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
CYRILLIC, LATIN = "cp1251", "cp1250"
EVIDENCE = 6  # bytes above 127 needed before any guess is called sure
NAMES = {CYRILLIC: "Windows-1251 (Cyrillic)", LATIN: "Windows-1250 (Central European)"}


def read_as(name: str | None, action: Callable[[], T]) -> T:
    """``action()`` with CSV files read in the encoding ``name`` (None: guessed), as ``--encoding`` asks."""
    token = FORCED.set(codec(name) if name is not None else None)
    try:
        return action()
    finally:
        FORCED.reset(token)


def codec(name: str) -> str:
    """The Python codec for an encoding the user named, or a usage error."""
    try:
        return codecs.lookup(name).name
    except LookupError as err:
        raise UsageError(f"unknown encoding '{name}'; try utf-8, cp1250 (Latin) or cp1251 (Cyrillic)") from err


def guess(raw: bytes) -> tuple[str, bool]:
    """(codec, sure) for bytes that are not UTF-8: charset-normalizer's measure of how chaotic and
    how coherent each code page's text would be; the letter rule where it cannot decide."""
    from charset_normalizer import from_bytes

    if sum(map(len, _HIGH_RUN.findall(raw))) < EVIDENCE:  # a few letters say too little for any measure
        if all(_in_latin_word(raw, m.start(), m.end()) for m in _HIGH_RUN.finditer(raw)):
            return LATIN, True  # 'Shqipëri': each one inside a word of ASCII letters
        return _letters(raw)
    results = sorted(from_bytes(raw, cp_isolation=[LATIN, CYRILLIC]), key=lambda m: (m.chaos, -m.coherence))
    if len(results) == 1:
        return _codec_name(results[0].encoding), True
    if len(results) >= 2:
        best, other = results[0], results[1]
        clear = other.chaos - best.chaos >= 0.02 or best.coherence - other.coherence >= 0.2
        if clear:
            return _codec_name(best.encoding), True
    return _letters(raw)


def _in_latin_word(raw: bytes, start: int, end: int) -> bool:
    """One or two bytes above 127 with an ASCII letter beside them: a diacritic in a Latin word."""
    return end - start <= 2 and (raw[start - 1 : start].isalpha() or raw[end : end + 1].isalpha())


def _codec_name(name: str) -> str:
    return CYRILLIC if codecs.lookup(name).name == CYRILLIC else LATIN


def _letters(raw: bytes) -> tuple[str, bool]:
    """The letter rule: Cyrillic words are runs of bytes above 127; Latin diacritics stand alone."""
    runs = _HIGH_RUN.findall(raw)
    high = sum(len(run) for run in runs)
    if not high:
        return LATIN, True
    in_words = sum(len(run) for run in runs if len(run) >= 3)
    return (CYRILLIC if in_words / high >= 0.6 else LATIN), False


def decode(raw: bytes, name: str) -> tuple[str, str | None]:
    """The text, and a warning when the encoding was a guess worth checking; DataError if it is not text."""
    forced = FORCED.get()
    if forced is not None:
        try:
            return raw.decode(codec(forced)), None
        except UnicodeDecodeError as err:
            raise DataError(f"{name}: cannot be read as {forced} ({_where(raw, err.start)})") from err
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    chosen, sure = guess(raw)
    for candidate in (chosen, CYRILLIC if chosen == LATIN else LATIN):
        try:
            text = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        if candidate == chosen and sure:
            return text, None
        return text, (
            f"warning: not UTF-8; read as {NAMES[candidate]}, which may be wrong: check the text, "
            "or name the encoding with --encoding"
        )
    raise DataError(f"{name}: this is not text in UTF-8, Windows-1250 or Windows-1251 (it may be a binary file)")


def _where(raw: bytes, offset: int) -> str:
    line = raw[:offset].count(b"\n") + 1
    return f"line {line}, byte 0x{raw[offset]:02X}"
