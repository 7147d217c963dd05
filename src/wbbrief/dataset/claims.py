"""Conditions under which a statement holds, checked against the figures in use.

A finding such as "corruption is the threat named first" is true of the data it was written for
and may be false of next year's. Its ``holds_if`` condition says, over figure ids, what must be
true for the words to stand; when it fails, the statement is withdrawn with the reason.

The grammar is deliberately small, parsed here and never handed to ``eval``::

    condition  := comparison ("and" comparison)*
    comparison := operand ("==" | ">" | ">=" | "<" | "<=") operand
    comparison := ["nominally"] operand op operand
    operand    := "{" id "}"              the figure's value, in percent
                | "rank(" id ")"          its place among the answers to the same question
                | number                  e.g. 50

Where the caller gives a test (``evaluate(..., test=)``), a comparison of two shares (``>``, ``>=``,
``<``, ``<=``) whose figures both have a margin of error holds only if their difference is
statistically significant (issue 17): otherwise it fails with the reason ("not significant: 41.9% vs
44.0%, difference 2.1 ± 4.3 pts"). ``nominally {a} > {b}`` asks for the weaker comparison of the
printed numbers alone, never tested.

``rank(id)`` is the figure's own rank where the survey gives only a ranking, and otherwise
1 + the number of answers to the same question (same survey, edition, country and year) with a
larger share, among the figures given.

Which figures a condition is checked on is the caller's choice: ``evaluate`` takes a mapping of
id -> record. wbbrief passes each named figure, or its latest edition where the data hold a later
one (``queries.claim_figures``), because a statement speaks of the present and its text then
shows the later figure too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from wbbrief.base.record import record
from wbbrief.dataset.records import Figure
from wbbrief.stats.compare import Difference

Test = Callable[[Figure, Figure], Difference | None]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<ref>\{[a-z0-9]+(?:-[a-z0-9]+)*\})"
    r"|(?P<rank>rank\(\s*\{?[a-z0-9]+(?:-[a-z0-9]+)*\}?\s*\))|(?P<op>==|>=|<=|>|<)|(?P<and>and\b)"
    r"|(?P<nominal>nominally\b))"
)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_OPS = {
    "==": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}
# What a failed comparison shows instead: '41% ≥ 38%' explains why '41% < 38%' is false.
_NEGATION = {"==": "≠", ">": "≤", ">=": "<", "<": "≥", "<=": ">"}


class ConditionError(ValueError):
    """A condition that does not parse, or names what the data does not hold."""


@record
class Operand:
    kind: str  # "value", "rank" or "number"
    figure_id: str = ""
    number: float = 0.0


@record
class Comparison:
    left: Operand
    op: str
    right: Operand
    nominal: bool = False  # 'nominally {a} > {b}': the printed numbers, no test of significance


@record
class Condition:
    text: str
    comparisons: tuple[Comparison, ...]

    @property
    def ids(self) -> list[str]:
        """The figure ids the condition names, in order."""
        found = [o.figure_id for c in self.comparisons for o in (c.left, c.right) if o.kind != "number"]
        return list(dict.fromkeys(found))


@record
class Result:
    holds: bool
    explanation: str  # for a failed condition, why: 'Organised crime 41% > Corruption 38%'
    figures: tuple[Figure, ...]  # the figure records the condition was checked on


def parse(text: str) -> Condition:
    """A Condition from its text; ConditionError (with the character position) when it is not one."""
    tokens: list[tuple[str, str, int]] = []
    pos, source = 0, text.strip()
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            raise ConditionError(f"cannot read '{source[pos : pos + 12]}' at character {pos + 1} of '{source}'")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind), match.start(kind) + 1))
        pos = match.end()
        while pos < len(source) and source[pos].isspace():
            pos += 1
    if not tokens:
        raise ConditionError("the condition is empty")
    comparisons = []
    i = 0
    while True:
        if i + 3 > len(tokens):
            raise ConditionError(f"incomplete comparison at the end of '{source}'")
        nominal = tokens[i][0] == "nominal"
        i += nominal
        if i + 3 > len(tokens):
            raise ConditionError(f"incomplete comparison at the end of '{source}'")
        left, op, right = tokens[i : i + 3]
        first = _operand(left, source)
        if op[0] != "op":
            raise ConditionError(f"expected a comparison (==, >, >=, <, <=) at character {op[2]} of '{source}'")
        comparisons.append(Comparison(first, op[1], _operand(right, source), nominal))
        i += 3
        if i == len(tokens):
            break
        if tokens[i][0] != "and":
            raise ConditionError(f"expected 'and' at character {tokens[i][2]} of '{source}'")
        i += 1
    return Condition(source, tuple(comparisons))


def _operand(token: tuple[str, str, int], source: str) -> Operand:
    kind, text, where = token
    if kind == "number":
        return Operand("number", number=float(text))
    if kind == "ref":
        return Operand("value", text[1:-1])
    if kind == "rank":
        found = _ID.search(text[len("rank(") :])
        assert found is not None  # the token pattern guarantees an id
        return Operand("rank", found.group(0))
    raise ConditionError(f"expected a figure, rank() or a number at character {where} of '{source}'")


def check_ids(condition: Condition, figures: Mapping[str, Figure]) -> list[str]:
    """Problems with the ids a condition names: unknown ids, a share asked of a ranking-only figure."""
    problems = []
    for c in condition.comparisons:
        for o in (c.left, c.right):
            if o.kind == "number":
                continue
            figure = figures.get(o.figure_id)
            if figure is None:
                problems.append(f"no figure has the id '{o.figure_id}'")
            elif o.kind == "value" and figure.unit != "percent":
                problems.append(f"'{o.figure_id}' is a ranking without a share: use rank({o.figure_id})")
    return list(dict.fromkeys(problems))


def evaluate(condition: Condition | str, figures: Mapping[str, Figure], test: Test | None = None) -> Result:
    """Whether the condition holds for these figures (id -> record), and why not when it fails.

    The records are those the caller wants checked: an id may map to the later edition of the
    figure it names. ``rank()`` compares a figure with the other records of its question.
    ``test``: how a difference between two shares is tested (right − left; None where a figure has
    no margin of error); a comparison of two shares that holds only within the noise fails.
    """
    if isinstance(condition, str):
        condition = parse(condition)
    problems = check_ids(condition, figures)
    if problems:
        raise ConditionError("; ".join(problems))
    used: dict[int, Figure] = {}
    reasons = []
    for c in condition.comparisons:
        left, right = _value(c.left, figures, used), _value(c.right, figures, used)
        if not _OPS[c.op](left, right):
            reasons.append(_why(c, figures))
        elif test is not None and not c.nominal and c.op != "==" and c.left.kind == c.right.kind == "value":
            noise = _noise(figures[c.left.figure_id], figures[c.right.figure_id], test)
            if noise:
                reasons.append(noise)
    holds = not reasons
    explanation = "; ".join(reasons) if reasons else f"{condition.text}: holds"
    return Result(holds, explanation, tuple(used.values()))


def _noise(left: Figure, right: Figure, test: Test) -> str | None:
    """'not significant: 41.9% vs 44.0%, difference 2.1 ± 4.3 pts', or None (significant, or untestable)."""
    d = test(left, right)
    if d is None or d.significant:
        return None
    half = (d.high - d.low) / 2
    return (
        f"not significant: {_share(left):.1f}% vs {_share(right):.1f}%, "
        f"difference {abs(d.difference):.1f} ± {half:.1f} pts"
    )


def _value(o: Operand, figures: Mapping[str, Figure], used: dict[int, Figure]) -> float:
    if o.kind == "number":
        return o.number
    figure = figures[o.figure_id]
    used[id(figure)] = figure
    if o.kind == "value":
        return _share(figure)
    return float(rank(figure, figures))


def _share(figure: Figure) -> float:
    if figure.value is None:  # validation gives every share a value; a ranking has none
        raise ConditionError(f"'{figure.id}' has no share")
    return figure.value


def _position(figure: Figure) -> int:
    if figure.rank is None:
        raise ConditionError(f"'{figure.id}' has no rank")
    return figure.rank


def _question(figure: Figure) -> tuple[str, int, str, str, int]:
    return (figure.survey, figure.edition, figure.country, figure.question, figure.year)


def _peers(figure: Figure, figures: Mapping[str, Figure]) -> list[Figure]:
    """The answers to the same question, each record once."""
    key = _question(figure)
    unique = {f.id: f for f in figures.values() if _question(f) == key}
    return list(unique.values())


def rank(figure: Figure, figures: Mapping[str, Figure]) -> int:
    if figure.unit == "rank":
        return _position(figure)
    value = _share(figure)
    return 1 + sum(1 for f in _peers(figure, figures) if f.unit == "percent" and _share(f) > value)


def label(figure: Figure) -> str:
    """'Organised crime 41%': the answer (or, for a bare 'agree', the question) as the data write it,
    with its share."""
    answer = figure.answer
    name = figure.question if answer.casefold() in {"agree", "yes", "support", "concerned"} else answer
    if figure.unit == "rank":
        return f"{name} (ranked {_position(figure)})"
    return f"{name} {format(round(_share(figure), 6), 'g')}%"


def _why(c: Comparison, figures: Mapping[str, Figure]) -> str:
    if c.left.kind == "rank" and c.right.kind == "number":
        figure = figures[c.left.figure_id]
        ahead = sorted(
            (f for f in _peers(figure, figures) if f is not figure and rank(f, figures) < rank(figure, figures)),
            key=lambda f: rank(f, figures),
        )
        if ahead:
            return f"{label(ahead[0])} > {label(figure)}"
        return f"{label(figure)} ranks {rank(figure, figures)}, not {c.op} {format(c.right.number, 'g')}"
    return f"{_side(c.left, figures)} {_NEGATION[c.op]} {_side(c.right, figures)}"


def _side(o: Operand, figures: Mapping[str, Figure]) -> str:
    if o.kind == "number":
        return f"{format(o.number, 'g')}%"
    figure = figures[o.figure_id]
    if o.kind == "rank":
        return f"{label(figure)} ranked {rank(figure, figures)}"
    text = label(figure)
    return f"{text} ({figure.year})" if _same_label(o.figure_id, figures) else text


def _same_label(figure_id: str, figures: Mapping[str, Figure]) -> bool:
    """Two rounds of one answer read alike; their years tell them apart. Any other id checked on
    the same answer counts, the latest edition standing in for an earlier one included."""
    figure = figures[figure_id]
    return any(
        i != figure_id and f.question == figure.question and f.answer == figure.answer for i, f in figures.items()
    )
