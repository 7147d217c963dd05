"""Nested answers: a figure that is part of another ("80% negative, of whom 40% highly unfavourable").

A figure's ``part_of`` names the figure whose answer contains its own. The data say it, so that
charts can draw the part inside its whole instead of as a rival bar, and the rule is checked on
every load, for the bundled rows and the user's alike:
- the whole exists and is not itself a part (one level of nesting: a chart draws no deeper);
- both are shares (``unit`` percent) of the same survey, edition, fieldwork year, country and question;
- the part's value is at most the whole's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wbbrief.dataset.schema import Value

Row = Mapping[str, Value]
SAME = ("survey", "edition", "year", "country", "question")


def part_problems(rows: Iterable[Row]) -> list[tuple[Row, str]]:
    """(row, message) for every row whose ``part_of`` breaks a rule above; later rows with an id
    replace earlier ones, as user data replace the bundled."""
    rows = list(rows)
    by_id = {str(r["id"]): r for r in rows}
    problems: list[tuple[Row, str]] = []
    for row in rows:
        whole_id = row.get("part_of")
        if whole_id is None or by_id.get(str(row["id"])) is not row:
            continue
        whole = by_id.get(str(whole_id))
        if whole is None:
            problems.append((row, f"no figure has the id '{whole_id}'"))
        elif whole is row:
            problems.append((row, "a figure cannot be part of itself"))
        elif whole.get("part_of") is not None:
            problems.append((row, f"'{whole_id}' is itself part of '{whole['part_of']}': one level of nesting only"))
        elif row.get("unit") != "percent" or whole.get("unit") != "percent":
            problems.append((row, f"a part and its whole ('{whole_id}') are both percentages"))
        else:
            differ = [k for k in SAME if str(row.get(k)).casefold() != str(whole.get(k)).casefold()]
            value, total = row.get("value"), whole.get("value")
            if differ:
                problems.append((row, f"'{whole_id}' has another {' and '.join(differ)}: a part shares its whole's"))
            elif isinstance(value, int | float) and isinstance(total, int | float) and value > total:
                problems.append((row, f"{value:g} is more than its whole '{whole_id}' ({total:g})"))
    return problems
