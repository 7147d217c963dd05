"""Confidence intervals for a proportion estimated from a complex sample.

Every method takes the estimate ``p`` (0-1), its design-based standard error, the design's degrees
of freedom and the unweighted number of respondents it rests on:

- ``logit``: the default of R survey's ``svyciprop`` and of Stata's ``svy: proportion``: a Wald
  interval for logit(p) with the t quantile on the design degrees of freedom, transformed back.
  Undefined at 0% and 100%: there the Korn-Graubard interval is given instead, and ``fallback``
  says so.
- ``korn-graubard``: Clopper-Pearson on the effective sample size p(1-p)/SE², adjusted for the
  design degrees of freedom (Korn & Graubard 1998; R's ``svyciprop(method = "beta")``) and capped
  at the unweighted n as Stata and the svy package cap it. At 0% or 100% the variance is 0 and the
  effective sample size is taken to be the unweighted n.
- ``wilson``: the Wilson score interval on the same degrees-of-freedom-adjusted effective sample
  size, with the t quantile on the design degrees of freedom (as the svy package computes it).
- ``wald``: p ± t·SE, cut to [0, 1].
"""

from __future__ import annotations

import math

from wbbrief.base.errors import UsageError
from wbbrief.base.record import record

METHODS = ("logit", "korn-graubard", "wilson", "wald")


@record
class Interval:
    low: float
    high: float
    method: str  # the method used: korn-graubard where logit fell back
    fallback: bool = False  # True where the method asked for was undefined and another was used


def t_quantile(level: float, df: float) -> float:
    """The two-sided t quantile for ``level`` on ``df`` degrees of freedom (normal for df = inf).
    scipy.special, not scipy.stats: the same functions, without a second of imports; the normal
    quantile from the standard library, so that a query's significance test imports no scipy."""
    q = (1 + level) / 2
    if not math.isfinite(df):
        from statistics import NormalDist

        return NormalDist().inv_cdf(q)
    from scipy import special

    return float(special.stdtrit(df, q))


def check_level(level: float) -> None:
    if not 0 < level < 1:
        raise UsageError(f"the confidence level must be between 0 and 1 (e.g. 0.95), not {level:g}")


def effective_n(p: float, se: float, n: int) -> float:
    """p(1-p)/SE²: the size of a simple random sample as precise as this one (n where SE is 0)."""
    if se > 0 and 0 < p < 1:
        return p * (1 - p) / se**2
    return float(n)


def interval(p: float, se: float, df: float, level: float, method: str = "logit", n: int = 0) -> Interval:
    """The ``level`` interval for a proportion ``p`` (0-1) with standard error ``se``."""
    check_level(level)
    if method not in METHODS:
        raise UsageError(f"unknown interval method '{method}' (choose from {', '.join(METHODS)})")
    if df <= 0:
        raise UsageError("the design has no degrees of freedom left for an interval (clusters = strata)")
    if method == "logit":
        if p <= 0 or p >= 1:
            low, high = _korn_graubard(p, se, df, level, n)
            return Interval(low, high, "korn-graubard", fallback=True)
        return Interval(*_logit(p, se, df, level), "logit")
    if method == "korn-graubard":
        return Interval(*_korn_graubard(p, se, df, level, n), method)
    if method == "wilson":
        return Interval(*_wilson(p, _adjusted_n(p, se, df, level, n), t_quantile(level, df)), method)
    t = t_quantile(level, df)
    return Interval(max(0.0, p - t * se), min(1.0, p + t * se), method)


def _logit(p: float, se: float, df: float, level: float) -> tuple[float, float]:
    centre = math.log(p / (1 - p))
    half = t_quantile(level, df) * se / (p * (1 - p))

    def expit(x: float) -> float:
        return 1 / (1 + math.exp(-x))

    return expit(centre - half), expit(centre + half)


def _adjusted_n(p: float, se: float, df: float, level: float, n: int) -> float:
    """The effective sample size, scaled so that the design's degrees of freedom, not the
    respondents', set the width (R's svyciprop, Stata), and never above the respondents' number
    (Stata, and the svy package: a design effect below 1 does not narrow the interval)."""
    n_eff = effective_n(p, se, n)
    if n > 1:
        n_eff = min(n_eff * (t_quantile(level, n - 1) / t_quantile(level, df)) ** 2, float(n))
    return n_eff


def _korn_graubard(p: float, se: float, df: float, level: float, n: int) -> tuple[float, float]:
    from scipy import special

    n_eff = _adjusted_n(p, se, df, level, n)
    if n_eff <= 0:
        return 0.0, 1.0
    alpha = 1 - level
    x = n_eff * p
    low = 0.0 if x <= 0 else float(special.betaincinv(x, n_eff - x + 1, alpha / 2))
    high = 1.0 if x >= n_eff else float(special.betaincinv(x + 1, n_eff - x, 1 - alpha / 2))
    return low, high


def _wilson(p: float, n_eff: float, z: float) -> tuple[float, float]:
    if n_eff <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = z / (1 + z2 / n_eff) * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff**2))
    return max(0.0, centre - half), min(1.0, centre + half)
