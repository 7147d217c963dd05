"""Design-based survey statistics: weighted shares, their standard errors, intervals and tests.

Pure functions over arrays (numpy, and scipy for the t and beta quantiles, imported inside the
functions that need them). Nothing here reads files or knows about wbbrief's data; it imports
only wbbrief.base.errors.
"""

from wbbrief.stats.compare import Difference, difference_independent, difference_same_question, from_n
from wbbrief.stats.design import Design, Estimate, estimate_shares
from wbbrief.stats.intervals import METHODS, interval

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
