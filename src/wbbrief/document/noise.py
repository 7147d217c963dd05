"""`check`'s warning on a sentence that orders two figures whose difference is within the noise (issue 17).

A sentence with two shares in it ({stat}, {round}, {latest}, {stat:margin}) and a word that orders
them ("more", "ahead", "than", "outnumber", ...) states that one is larger. Where both figures have a
margin of error and their difference is not significant (two-sided, 95%; one sample's two answers to
one question tested as such, others as independent samples: ``query.uncertainty.claim_test``), the
warning says so. Figures without margins (the paper's) are never judged. The order words are
English: a document in another language is checked by its {claim} conditions, which test alike.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from wbbrief.dataset.records import Figure
from wbbrief.document.figures import FigureIndex
from wbbrief.document.model import Document, Position, Role

SHARE_ROLES = ("stat", "round", "latest", "stat:margin")
ORDER = re.compile(
    r"\b(more|less|fewer|higher|lower|larger|smaller|greater|ahead|behind|than|outnumber\w*|exceed\w*|"
    r"overtak\w*|top\w*|lead\w*|rose|risen|rise|fell|fallen|fall|increas\w*|decreas\w*|most|least)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")


def _offset(lines: list[int], position: Position) -> int:
    return lines[position.line - 1] + position.col - 1


def _sentence(source: str, lines: list[int], first: Role, second: Role) -> str | None:
    """The text from the sentence's start to its end, where both roles are in one sentence."""
    start, end = _offset(lines, first.position), _offset(lines, second.position)
    between = source[start:end]
    if _SENTENCE_END.search(re.sub(r"`[^`]*`", "``", between)):  # a dot inside a role's target is no end
        return None
    before = [m.end() for m in _SENTENCE_END.finditer(source, 0, start)]
    after = _SENTENCE_END.search(source, end)
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
    for first, second in itertools.pairwise(roles):
        a, b = _figure(index, first), _figure(index, second)
        if a is None or b is None or a.id == b.id:
            continue
        sentence = _sentence(source, lines, first, second)
        if sentence is None or not ORDER.search(re.sub(r"\{[^}]*\}`[^`]*`", "", sentence)):
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
