"""Serbian Latin → Cyrillic, exactly: Serbian Cyrillic is derived from the Latin text, not written twice.

The alphabets map one to one, except three Latin digraphs: lj → љ, nj → њ, dž → џ (Lj, LJ → Љ and so
on). A digraph is two letters in a few words where a prefix meets its stem or a loan word splits
them; EXCEPTIONS lists those word beginnings (checked case-insensitively at the start of a word):

    nadž…   nadživeti, nadživjeti    → надживети (prefix nad- + živeti)
    podž…   podžanr, podžupan        → поджанр
    injek…  injekcija                → инјекција
    konjug… konjugacija              → конјугација
    konjunk… konjunktura             → конјунктура
    vanjez… vanjezički               → ванјезички

Never transliterated (kept exactly as written):
- text marked as protected with the role {latin}`…` — the marker is removed, the text kept in Latin
  script (official English names such as {latin}`SecuriMeter`); `strip_protection` removes the
  marker for the Latin-script languages that show the text as is;
- Markdown code spans `…`, fenced blocks ```…```, and MyST roles {name}`…` (figure ids, options);
- figure-id placeholders {asb-threat-first-corruption}, and a message's placeholders with their format
  spec ({country:acc}, {country:m=ga|f=je}: the Noun transliterates the form or text it picks);
- URLs (http:, https:, mailto:, www.) and e-mail addresses;
- citation keys (``[@klemenc2021]``, ``@{key}``): the bibliography's keys are what they are;
- words with q, w, x or y, letters the Serbian Latin alphabet does not have (foreign names).
"""

from __future__ import annotations

import re
import unicodedata

EXCEPTIONS: dict[str, int] = {"nadž": 3, "podž": 3, "injek": 2, "konjug": 3, "konjunk": 3, "vanjez": 3}

PROTECT_ROLE = "latin"
_PROTECTED = re.compile(
    r"(?P<latin>\{" + PROTECT_ROLE + r"\}`(?P<kept>[^`]*)`)"
    r"|(?P<fence>```.*?```)"
    r"|(?P<role>\{[A-Za-z][\w-]*\}`[^`]*`)"
    r"|(?P<code>`[^`]*`)"
    r"|(?P<placeholder>\{[A-Za-z0-9][\w.:-]*(?::[^{}`\n]*)?\})"  # {country:m=ga|f=je}: i18n.nouns script it
    r"|(?P<url>(?:https?://|mailto:|www\.)[^\s<>()\[\]\"“”„]+[^\s<>()\[\]\"“”„.,;:!?])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<cite>(?<![\w@])@(?:\{[^{}\n]*\}|\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*))"  # a citation key (issue 18)
    r"|(?P<foreign>\b\w*[qwxyQWXY]\w*\b)",
    re.DOTALL,
)

_SINGLE = dict(
    zip(
        "abcčćdđefghijklmnoprsštuvzž",
        "абцчћдђефгхијклмнопрсштувзж",
        strict=True,
    )
)
_SINGLE.update({k.upper(): v.upper() for k, v in list(_SINGLE.items())})
_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ", "Lj": "Љ", "LJ": "Љ", "Nj": "Њ", "NJ": "Њ", "Dž": "Џ", "DŽ": "Џ"}
_BREAK = "\u0000"  # splits a digraph that is two letters (EXCEPTIONS); never left in the output
_WORD = re.compile(r"\w+")


def _split_exceptions(text: str) -> str:
    def split(m: re.Match[str]) -> str:
        word = m.group()
        low = word.casefold()
        for start, at in EXCEPTIONS.items():
            if low.startswith(start):
                return word[:at] + _BREAK + word[at:]
        return word

    return _WORD.sub(split, text)


def _letters(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        c = text[i]
        if c != _BREAK:
            out.append(_SINGLE.get(c, c))
        i += 1
    return "".join(out)


def latin_to_cyrillic(text: str) -> str:
    """Serbian Latin text in Cyrillic, protected spans untouched (see the module's docstring)."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        out.append(_letters(_split_exceptions(text[pos : m.start()])))
        out.append(m.group("kept") if m.group("latin") is not None else m.group())
        pos = m.end()
    out.append(_letters(_split_exceptions(text[pos:])))
    return "".join(out)


_MARKER = re.compile(r"\{" + PROTECT_ROLE + r"\}`([^`]*)`")


def strip_protection(text: str) -> str:
    """The text as a Latin-script language shows it: {latin}`SecuriMeter` → SecuriMeter."""
    return _MARKER.sub(r"\1", text)


TRANSLITERATORS = {"sr-Latn-Cyrl": latin_to_cyrillic}
