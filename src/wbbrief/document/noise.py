"""`check`'s warning on a sentence that orders two figures whose difference is within the noise (issue 17).

A sentence with two shares in it ({stat}, {round}, {latest}, {stat:margin}) and a word that orders
them ("more", "ahead", "than", "outnumber", ...) states that one is larger. Where both figures have a
margin of error and their difference is not significant (two-sided, 95%; one sample's two answers to
one question tested as such, others as independent samples: ``query.uncertainty.claim_test``), the
warning says so. Figures without margins (the paper's) are never judged. The order words are those of
the document's language (English's below; ``order_words`` in its locales/<tag>/language.toml; a
language transliterated from another takes that one's, in both scripts).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from wbbrief.dataset.records import Figure
from wbbrief.document.figures import FigureIndex
from wbbrief.document.model import Document, Position, Role

SHARE_ROLES = ("stat", "round", "latest", "stat:margin")
ENGLISH = (
    r"more|less|fewer|higher|lower|larger|smaller|greater|ahead|behind|than|outnumber\w*|exceed\w*|"
    r"overtak\w*|tops?|topped|topping|lead|leads|leading|led|rose|risen|rise|rises|fell|fallen|fall|falls|"
    r"increas\w*|decreas\w*|most|least"
)
ORDER = re.compile(rf"\b({ENGLISH})\b", re.IGNORECASE)
_ESCAPE = re.compile(r"(\\.)")  # \w, \b...: a pattern's escapes are not letters to transliterate


def order_pattern(lang: str | None) -> re.Pattern[str]:
    """The order words of the document's language (English where it has none), as one pattern of whole
    words."""
    if lang in (None, "en"):
        return ORDER
    from wbbrief.base.errors import UsageError
    from wbbrief.i18n import language, latin_to_cyrillic

    try:
        found = language(str(lang))
    except UsageError:  # reported by the front matter's own check
        return ORDER
    words = list(found.texts.order_words)
    if found.transliteration:
        words += ["".join(p if _ESCAPE.fullmatch(p) else latin_to_cyrillic(p) for p in _ESCAPE.split(w)) for w in words]
    # The language's words alone: English ones are words of other meanings there (sr "more" is the sea,
    # "most" a bridge).
    return re.compile(rf"\b({'|'.join(words)})\b", re.IGNORECASE) if words else ORDER


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")


def _offset(lines: list[int], position: Position) -> int:
    return lines[position.line - 1] + position.col - 1


def _ends(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Where sentences end: a full stop, question or exclamation mark before a space, or a blank line;
    not a dot before a lower-case word ("e.g. the"), nor a number's dot before anything but a capital
    ("2024. godine", "u 2023. (…)"): the Slavic languages write ordinals and years so."""
    end = len(text) if end is None else end
    for m in _SENTENCE_END.finditer(text, start, end):
        following = text[m.end() : m.end() + 40].lstrip()[:1]
        if m.group().startswith((".", "!", "?")) and following.islower():
            continue
        ordinal = m.group().startswith(".") and text[m.start() - 1 : m.start()].isdigit()
        if ordinal and following and not following.isupper():  # "2023. (", "2023. godine"
            continue
        yield m


def _sentence(source: str, lines: list[int], first: Role, second: Role) -> str | None:
    """The text from the sentence's start to its end, where both roles are in one sentence."""
    start, end = _offset(lines, first.position), _offset(lines, second.position)
    between = re.sub(r"`[^`]*`", "``", source[start:end])  # a dot inside a role's target is no end
    if next(_ends(between), None) is not None:
        return None
    before = [m.end() for m in _ends(source, 0, start)]
    after = next(_ends(source, end), None)
    return source[before[-1] if before else 0 : after.start() if after else len(source)]


def order_warnings(document: Document, index: FigureIndex) -> Iterator[tuple[Position, str]]:
    """(where, message) for each sentence that orders two shares within the noise."""
    from wbbrief.query.uncertainty import claim_test

    source = document.source
    lines, total = [], 0
    for line in source.splitlines(keepends=True):
        lines.append(total)
        total += len(line)
    lines.append(total)
    roles = [r for r in document.roles if r.name in SHARE_ROLES and r.target in index.figures]
    test = claim_test(index.surveys.values(), document.front_matter.level or 0.95)
    order = order_pattern(document.front_matter.lang)
    for first, second in itertools.pairwise(roles):
        a, b = _figure(index, first), _figure(index, second)
        if a is None or b is None or a.id == b.id:
            continue
        sentence = _sentence(source, lines, first, second)
        if sentence is None or not order.search(re.sub(r"\{[^}]*\}`[^`]*`", "", sentence)):
            continue
        tested = test(a, b)
        if tested is None or tested.significant:
            continue
        half = (tested.high - tested.low) / 2
        assert a.value is not None and b.value is not None
        yield (
            second.position,
            (
                f"this sentence orders '{a.id}' and '{b.id}', but their difference is within the margin of error "
                f"(not significant: {a.value:.1f}% vs {b.value:.1f}%, difference {abs(tested.difference):.1f} ± "
                f"{half:.1f} pts)"
            ),
        )


def _figure(index: FigureIndex, role: Role) -> Figure | None:
    """The share a role shows ({latest}: the latest edition loaded); None for a ranking."""
    figure = index.figures[role.target]
    if role.name == "latest":
        figure = index.latest(figure.id) or figure
    return figure if figure.unit == "percent" and figure.value is not None else None
