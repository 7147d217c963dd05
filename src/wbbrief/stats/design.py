"""A survey design (weights, strata, clusters) and the design-based estimate of shares in a domain.

As R's ``survey`` package and Stata's ``svy`` estimate them: the weighted proportion, its
Taylor-linearised variance under with-replacement sampling of the first-stage clusters
(the "ultimate cluster" variance), and degrees of freedom = clusters − strata. With weights only,
each respondent is a cluster of its own in one stratum (n − 1 degrees of freedom).

A domain (a group of ``--by``, the rows a filter keeps, the respondents who answered) is estimated
within the whole design: respondents outside it count as zeros, and every cluster of the design
stays in the variance, so a domain is never a subset cut out before estimation. Its degrees of
freedom are those of the clusters and strata it has respondents in, as R's ``degf`` counts them
for a domain (and the svy package).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import DataError
from wbbrief.base.record import record
from wbbrief.stats.intervals import Interval, interval

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float64]
    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]


@record
class Design:
    """Weights, and each respondent's stratum and first-stage cluster as codes 0..H-1 and 0..P-1."""

    weights: Floats
    stratum_of_psu: Ints  # for each cluster, its stratum
    psu: Ints  # for each respondent, its cluster
    psus_in_stratum: Ints  # clusters per stratum, in the whole design
    clustered: bool  # False: weights only (or strata only), every respondent its own cluster

    @property
    def df(self) -> int:
        return len(self.stratum_of_psu) - len(self.psus_in_stratum)

    @classmethod
    def build(cls, weights: Any, strata: Any = None, clusters: Any = None) -> Design:
        """A design from arrays of equal length: weights (positive), strata and clusters (any labels,
        or None). A cluster is named within its stratum, as in Stata and R's ``nest = TRUE``.

        Raises DataError for a weight that is not positive and finite, and for a stratum with one
        cluster (its variance cannot be estimated); the caller names the file and the variables."""
        import numpy as np

        w = np.asarray(weights, dtype="float64")
        n = len(w)
        bad = ~np.isfinite(w) | (w <= 0)
        if bad.any():
            raise DataError(f"{int(bad.sum())} weight(s) are missing, zero or negative")
        stratum = np.zeros(n, dtype="int64") if strata is None else _codes(strata)
        cluster = np.arange(n, dtype="int64") if clusters is None else _codes(clusters)
        pairs = stratum * (int(cluster.max(initial=0)) + 1) + cluster
        unique, psu = np.unique(pairs, return_inverse=True)
        stratum_of_psu = unique // (int(cluster.max(initial=0)) + 1)
        psus_in_stratum = np.bincount(stratum_of_psu, minlength=int(stratum.max(initial=0)) + 1)
        lonely = np.flatnonzero(psus_in_stratum == 1)
        if len(lonely) and n > 1:
            labels = _labels(strata, stratum, lonely)
            raise DataError(
                f"{len(lonely)} stratum(s) have a single cluster ({labels}), so their variance cannot be "
                "estimated; merge each with a neighbouring stratum"
            )
        return cls(w, stratum_of_psu.astype("int64"), psu.astype("int64"), psus_in_stratum.astype("int64"),
                   clusters is not None)  # fmt: skip


def _codes(values: Any) -> Ints:
    import numpy as np

    _, codes = np.unique(np.asarray(values), return_inverse=True)
    return codes.astype("int64").ravel()


def _labels(strata: Any, codes: Ints, lonely: Any) -> str:
    import numpy as np

    values = np.asarray(strata)
    shown = [str(values[np.flatnonzero(codes == h)[0]]) for h in lonely[:5]]
    return ", ".join(shown) + (", ..." if len(lonely) > 5 else "")


@record
class Estimate:
    """One answer's share in one domain, with its uncertainty (shares as proportions, 0-1)."""

    share: float
    se: float
    interval: Interval
    level: float
    n: int  # respondents giving this answer (unweighted)
    base_n: int  # respondents in the domain with a valid answer (unweighted)
    weighted_n: float  # the weighted count of this answer
    weighted_base: float
    deff: float | None  # design variance / variance of simple random sampling (None at 0% or 100%)
    kish: float  # Kish's weighting effect, n·Σw²/(Σw)², over the domain
    df: int


def estimate_shares(
    design: Design, codes: Ints, categories: int, domain: Bools | None = None, level: float = 0.95,
    method: str = "logit",
) -> list[Estimate]:  # fmt: skip
    """The share of each answer 0..categories-1 among respondents in ``domain`` whose code is one of
    them (a code below 0 is no answer, and out of the base). Raises DataError if the domain has no
    valid answer."""
    import numpy as np

    valid = codes >= 0
    if domain is not None:
        valid &= domain
    rows = np.flatnonzero(valid)
    if len(rows) == 0:
        raise DataError("no valid answers")
    w = design.weights[rows]
    answer = codes[rows]
    # Clusters with respondents in the domain, renumbered; clusters without any add only to n_h.
    psu = design.psu[rows]
    used = np.flatnonzero(np.bincount(psu, minlength=len(design.stratum_of_psu)))  # O(n), no sorting
    lookup = np.empty(len(design.stratum_of_psu), dtype="int64")
    lookup[used] = np.arange(len(used))
    local = lookup[psu]
    clusters = len(used)
    totals = np.bincount(local * categories + answer, weights=w, minlength=clusters * categories)
    totals = totals.reshape(clusters, categories)  # Σw·y per cluster and answer
    cluster_w = totals.sum(axis=1)
    base = float(cluster_w.sum())
    shares = totals.sum(axis=0) / base
    # Linearised scores summed per cluster: Σ w (y − p) / W.
    scores = (totals - cluster_w[:, None] * shares[None, :]) / base
    stratum = design.stratum_of_psu[used]
    strata = len(design.psus_in_stratum)
    s1 = np.zeros((strata, categories))
    s2 = np.zeros((strata, categories))
    np.add.at(s1, stratum, scores)
    np.add.at(s2, stratum, scores**2)
    n_h = design.psus_in_stratum.astype("float64")[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_stratum = np.where(n_h > 1, n_h / (n_h - 1) * (s2 - s1**2 / n_h), 0.0)
    variance = np.maximum(per_stratum.sum(axis=0), 0.0)
    df = clusters - len(np.unique(stratum))
    if df <= 0:
        raise DataError(
            f"too few respondents for an interval ({len(rows)} in {clusters} cluster(s): no degrees of freedom)"
        )
    counts = np.bincount(answer, minlength=categories)
    base_n = len(rows)
    kish = float(base_n * np.sum(w**2) / base**2)
    results = []
    for k in range(categories):
        p, var = float(shares[k]), float(variance[k])
        se = var**0.5
        srs = p * (1 - p) / (base_n - 1) if base_n > 1 else 0.0
        deff = var / srs if srs > 0 else None
        ci = interval(p, se, df, level, method, base_n)
        results.append(
            Estimate(p, se, ci, level, int(counts[k]), base_n, float(totals[:, k].sum()), base, deff, kish, df)
        )
    return results
