"""Numbers and dates per language with Babel (CLDR), keeping each figure's own precision.

CLDR's percent pattern ('#,##0%') has no decimals, so Babel would print 79.6 as '80%'. We never
round: the pattern is rebuilt with exactly as many decimals as the figure has ('#,##0.0%' for 79.6,
'#,##0%' for 70), keeping the locale's own spacing and sign ('79,6%' in sq, sr and bs, '79,6 %' in mk).

`decimal` overrides the language's decimal sign for publications that keep the point (or the comma):
'point' prints '79.6%' in any language. Only the decimal sign changes; if the locale's grouping sign
is the new decimal sign, numbers are grouped with a narrow no-break space instead (as ISO 80000 does).

A change between two rounds is in percentage points, signed, with the language's own abbreviation
(language.toml `percentage_points`): en 'pts' (as wbbrief prints it today), sq 'p.p.' (pikë
përqindjeje), sr-Latn and bs 'p.p.' (procentni poen), sr-Cyrl 'п.п.', mk 'п.п.' (процентен поен).
Ranks are '1st' in English and '1.' in the region's languages (the ordinal period of sr, bs, mk and
of Albanian tables).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from wbbrief.base.errors import UsageError
from wbbrief.i18n.registry import DECIMALS, Language, language

_NNBSP = "\u202f"


def _decimal(value: Any) -> Decimal:
    """The value as the source wrote it: 70.0 read by pandas is 70, 79.6 stays 79.6, '4.80' stays 4.80."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return Decimal(value.strip())
    return Decimal(format(round(float(value), 6), "g"))


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _with_places(pattern: str, places: int) -> str:
    """'#,##0%' with two places → '#,##0.00%' (the first number pattern only; CLDR adds no negative one)."""
    positive = pattern.split(";")[0]
    end = max(positive.rfind("0"), positive.rfind("#"))
    integer = positive[: end + 1].split(".")[0]
    start = positive.find(integer)
    return positive[:start] + integer + ("." + "0" * places if places else "") + positive[end + 1 :]


def _resign(text: str, lang: Language, decimal: str | None) -> str:
    """Swap the decimal sign when the caller overrides the language's own."""
    want = decimal or lang.decimal
    if want not in DECIMALS:
        raise UsageError(f"unknown decimal sign '{decimal}'. Valid: {', '.join(DECIMALS)}.")
    from babel.numbers import get_decimal_symbol, get_group_symbol

    old_dec, old_group = get_decimal_symbol(lang.babel_locale), get_group_symbol(lang.babel_locale)
    new_dec = "," if want == "comma" else "."
    if new_dec == old_dec:
        return text
    new_group = _NNBSP if old_group == new_dec else old_group
    return "".join(new_dec if c == old_dec else new_group if c == old_group else c for c in text)


def format_number(value: Any, lang: str | Language, decimal: str | None = None) -> str:
    """A number with the language's signs and the value's own decimals: 1234.5 → '1.234,5' in sr-Latn."""
    from babel.numbers import format_decimal

    lng = language(lang)
    number = _decimal(value)
    places = _places(number)
    text = format_decimal(number, format="#,##0" + ("." + "0" * places if places else ""), locale=lng.babel_locale)
    return _resign(text, lng, decimal)


def format_percent(value: Any, lang: str | Language, decimal: str | None = None) -> str:
    """A percentage as the paper gives it, never rounded: 79.6 → '79,6%' (sq, sr, bs), '79,6 %' (mk)."""
    from babel import Locale
    from babel.numbers import format_percent as babel_percent

    lng = language(lang)
    number = _decimal(value)
    pattern = _with_places(Locale.parse(lng.babel_locale).percent_formats[None].pattern, _places(number))
    text = babel_percent(number / 100, format=pattern, locale=lng.babel_locale)
    return _resign(text, lng, decimal)


def format_change(delta: Any, lang: str | Language, decimal: str | None = None) -> str:
    """A change in percentage points, signed: '+1,7 p.p.'; no change is '±0 p.p.'."""
    lng = language(lang)
    number = _decimal(delta)
    unit = lng.percentage_points
    if number == 0:
        return f"±0 {unit}"
    from babel.numbers import get_minus_sign_symbol, get_plus_sign_symbol

    text = format_number(abs(number), lng, decimal)
    sign = get_plus_sign_symbol(lng.babel_locale) if number > 0 else get_minus_sign_symbol(lng.babel_locale)
    return f"{sign}{text} {unit}"


def format_rank(rank: Any, lang: str | Language) -> str:
    """A rank: '1st', '2nd', '3rd' in English; '1.', '2.', '3.' in the region's languages."""
    lng = language(lang)
    n = int(rank)
    if lng.ordinal == "english":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return f"{n}."


def format_date(day: dt.date, lang: str | Language) -> str:
    """A date in words, CLDR's long form: '1 December 2022', '1. decembar 2022.', '1 декември 2022 г.'."""
    from babel.dates import format_date as babel_date

    return babel_date(day, format="long", locale=language(lang).babel_locale)
