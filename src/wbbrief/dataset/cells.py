"""Rules for one text cell of a user's data file, beyond its schema: length, and formulas.

A cell that starts with '=', '+', '-' or '@' is a formula to a spreadsheet (OWASP's "CSV
injection": ``=HYPERLINK(...)`` runs when a colleague opens a CSV that ``wbbrief figures -f csv``
wrote). wbbrief refuses such cells when the data is loaded, so that nothing it writes can carry
one; a label that must start with one of them can start with a space or a quote instead.
A cell longer than ``limits.CELL_CHARS`` is refused too: no question or answer is that long,
and a chart cannot draw it.
"""

from __future__ import annotations

from wbbrief.base import limits

FORMULA_START = ("=", "+", "-", "@")


def cell_problem(key: str, text: str) -> str | None:
    """Why a text cell is refused, or None."""
    if len(text) > limits.CELL_CHARS:
        return f"the {key} is {len(text):,} characters long; the limit is {limits.CELL_CHARS:,}"
    if text.startswith(FORMULA_START):
        return (
            f"starts with '{text[0]}', which a spreadsheet would run as a formula; "
            "remove it, or start the text another way"
        )
    return None
