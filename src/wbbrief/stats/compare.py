"""Is a difference between two shares real? Tests for the two cases a brief meets (issue 17).

- Two independent estimates (two editions, two countries sampled separately):
  z = (p₂ − p₁) / √(SE₁² + SE₂²). Never judged by whether the two intervals overlap.
- Two answers of one single-choice question in one sample, which are not independent:
  var(p₁ − p₂) = (p₁ + p₂ − (p₁ − p₂)²) / n_eff.

And an interval for a figure that has none but whose survey states its sample size and design
effect: Wilson on n ÷ deff ("from-n"), marked approximate.

Shares are proportions (0-1) here; the difference and its interval are in the same unit.
"""

from __future__ import annotations

import math

from wbbrief.base.errors import UsageError
from wbbrief.base.record import record
from wbbrief.stats.intervals import Interval, _wilson, check_level, t_quantile


@record
class Difference:
    difference: float  # p2 − p1
    se: float
    z: float  # nan when the standard error is 0 and the shares are equal
    low: float
    high: float
    level: float

    @property
    def significant(self) -> bool:
        """Two-sided test at ``level``: the interval of the difference excludes 0."""
        return self.low > 0 or self.high < 0


def _difference(d: float, se: float, level: float) -> Difference:
    check_level(level)
    if se < 0 or not math.isfinite(se):
        raise UsageError(f"a standard error must be a finite number >= 0, not {se}")
    z = d / se if se > 0 else (math.nan if d == 0 else math.copysign(math.inf, d))
    half = t_quantile(level, math.inf) * se
    return Difference(d, se, z, d - half, d + half, level)


def difference_independent(p1: float, se1: float, p2: float, se2: float, level: float = 0.95) -> Difference:
    """p2 − p1 for estimates from independent samples, with its interval and z."""
    return _difference(p2 - p1, math.sqrt(se1**2 + se2**2), level)


def difference_same_question(p1: float, p2: float, n_eff: float, level: float = 0.95) -> Difference:
    """p2 − p1 for two answers of one single-choice question in one sample of effective size n_eff."""
    if n_eff <= 0:
        raise UsageError(f"the effective sample size must be positive, not {n_eff}")
    variance = (p1 + p2 - (p1 - p2) ** 2) / n_eff
    return _difference(p2 - p1, math.sqrt(max(variance, 0.0)), level)


def from_n(p: float, n: int, deff: float = 1.0, level: float = 0.95) -> Interval:
    """An approximate interval for a share when only the sample size n (and a design effect) is
    known: Wilson on n ÷ deff with the normal quantile. Its method is 'from-n'."""
    check_level(level)
    if n < 1 or deff <= 0:
        raise UsageError(f"a sample size must be at least 1 and a design effect above 0 (n = {n}, deff = {deff})")
    if not 0 <= p <= 1:
        raise UsageError(f"a share must be between 0 and 1, not {p}")
    low, high = _wilson(p, n / deff, t_quantile(level, math.inf))
    return Interval(low, high, "from-n")
