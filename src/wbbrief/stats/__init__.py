"""Design-based survey statistics: weighted shares, their standard errors, intervals and tests.

Pure functions over arrays (numpy, and scipy for the t and beta quantiles, imported inside the
functions that need them). Nothing here reads files or knows about wbbrief's data; it imports
only wbbrief.base.errors.

The names below are imported when first asked for (PEP 562): a query that needs an interval does not
pay for building the survey design's classes, which only ``tabulate`` uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wbbrief.stats.compare import Difference, difference_independent, difference_same_question, from_n
    from wbbrief.stats.design import Design, Estimate, estimate_shares
    from wbbrief.stats.intervals import METHODS, interval

_WHERE = {
    "Difference": "compare",
    "difference_independent": "compare",
    "difference_same_question": "compare",
    "from_n": "compare",
    "Design": "design",
    "Estimate": "design",
    "estimate_shares": "design",
    "METHODS": "intervals",
    "interval": "intervals",
}

__all__ = [
    "METHODS",
    "Design",
    "Difference",
    "Estimate",
    "difference_independent",
    "difference_same_question",
    "estimate_shares",
    "from_n",
    "interval",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'wbbrief.stats' has no attribute {name!r}")
    return getattr(importlib.import_module(f"wbbrief.stats.{_WHERE[name]}"), name)
