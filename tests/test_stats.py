"""wbbrief.stats against references we did not write: the NHANES II figures that Stata's `svy:
proportion` and R's `svyciprop` give, and the svy package (the successor of samplics) on the same
file; issue 17's tests of differences on examples worked by hand."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wbbrief.base.errors import DataError, UsageError
from wbbrief.stats import Design, difference_independent, difference_same_question, estimate_shares, from_n, interval

NHANES = Path(__file__).parent / "data" / "nhanes2.csv"  # provenance and licence: data/nhanes2.README.md


@pytest.fixture(scope="module")
def nhanes() -> dict[str, Any]:
    with NHANES.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    column = {name: np.array([r[name] for r in rows]) for name in rows[0]}
    diabetes = np.array([int(v) if v else -1 for v in column["diabetes"]])
    return {
        "weights": column["finalwgt"].astype(float),
        "strata": column["stratid"].astype(int),
        "clusters": column["psuid"].astype(int),
        "highbp": column["highbp"].astype(int),
        "race": column["race"].astype(int),
        "diabetes": diabetes,
    }


@pytest.fixture(scope="module")
def design(nhanes: dict[str, Any]) -> Design:
    return Design.build(nhanes["weights"], nhanes["strata"], nhanes["clusters"])


def test_nhanes_high_blood_pressure_as_stata_and_r_give_it(nhanes: dict[str, Any], design: Design) -> None:
    # svy: proportion highbp (Stata) / svyciprop(~highbp, dclus) (R): 0.3687, SE 0.0143, 0.3400-0.3984.
    assert design.df == 31  # 62 clusters - 31 strata
    share = estimate_shares(design, nhanes["highbp"], 2)[1]
    assert round(share.share, 4) == 0.3687
    assert round(share.se, 4) == 0.0143
    assert (round(share.interval.low, 4), round(share.interval.high, 4)) == (0.3400, 0.3984)
    assert share.interval.method == "logit" and not share.interval.fallback
    assert share.n == 4372 and share.base_n == 10337 and share.df == 31


def _svy(nhanes: dict[str, Any], stratified: bool, **options: Any) -> list[tuple[Any, ...]]:
    svy = pytest.importorskip("svy")  # a declared test dependency: `make .venv/.installed-test` installs it
    import polars as pl

    frame = pl.DataFrame({k: v for k, v in nhanes.items()}).with_columns(
        pl.when(pl.col("diabetes") < 0).then(None).otherwise(pl.col("diabetes")).alias("diabetes")
    )
    design = svy.Design(stratum="strata", psu="clusters", wgt="weights") if stratified else svy.Design(wgt="weights")
    result = svy.Sample(frame, design).estimation.prop(**options).to_polars()
    return list(result.iter_rows(named=True))


@pytest.mark.parametrize(
    ("stratified", "variable", "by", "method"),
    [
        (True, "highbp", None, "korn-graubard"),
        (True, "highbp", None, "wilson"),
        (True, "highbp", "race", "logit"),  # domains of the whole design
        (True, "diabetes", "race", "korn-graubard"),  # domains, with missing answers left out
        (False, "highbp", None, "logit"),  # weights only: each respondent a cluster, n - 1 df
        (False, "highbp", "race", "wilson"),
    ],
)
def test_agrees_with_the_svy_package(
    nhanes: dict[str, Any], stratified: bool, variable: str, by: str | None, method: str
) -> None:
    expected = _svy(nhanes, stratified, y=variable, by=by, ci_method=method, deff="wr", drop_nulls=True)
    design = (
        Design.build(nhanes["weights"], nhanes["strata"], nhanes["clusters"])
        if stratified
        else Design.build(nhanes["weights"])
    )
    assert expected
    for row in expected:
        domain = None if by is None else nhanes[by] == row[by]
        ours = estimate_shares(design, nhanes[variable], 2, domain, method=method)[row[variable]]
        assert ours.share == pytest.approx(row["est"], rel=1e-9)
        assert ours.se == pytest.approx(row["se"], rel=1e-7)
        assert ours.interval.low == pytest.approx(row["lci"], rel=1e-6)
        assert ours.interval.high == pytest.approx(row["uci"], rel=1e-6)
        assert ours.df == row["df"]
        assert ours.base_n == row["n"]
        if row.get("deff") is not None:
            assert ours.deff == pytest.approx(row["deff"], rel=1e-6)


def test_a_domain_is_estimated_within_the_whole_design_not_as_a_subset(nhanes: dict[str, Any], design: Design) -> None:
    race3 = nhanes["race"] == 3
    domain = estimate_shares(design, nhanes["highbp"], 2, race3)[1]
    cut = Design.build(nhanes["weights"][race3])  # the subset, design forgotten: a different (wrong) SE
    subset = estimate_shares(cut, nhanes["highbp"][race3], 2)[1]
    assert domain.share == pytest.approx(subset.share)
    assert domain.df == 12 and subset.df == 199
    assert abs(domain.se - subset.se) > 0.01


def test_design_effect_and_kish_weighting_effect() -> None:
    weights = np.array([1.0, 1.0, 2.0, 2.0, 4.0, 4.0])
    answers = np.array([1, 0, 1, 0, 1, 0])
    share = estimate_shares(Design.build(weights), answers, 2)[1]
    assert share.share == pytest.approx(0.5)
    # Kish: n·Σw²/(Σw)² = 6 · 42 / 14² by hand.
    assert share.kish == pytest.approx(6 * 42 / 196)
    # Design variance: n/(n-1) Σ (w(y-p)/W)² = 6/5 · (2·(0.5²)(1+4+16)) / 14²; SRS: p(1-p)/(n-1).
    variance = 6 / 5 * (2 * 0.25 * 21) / 196
    assert share.se == pytest.approx(math.sqrt(variance))
    assert share.deff == pytest.approx(variance / (0.25 / 5))


def test_logit_falls_back_to_korn_graubard_at_0_and_100_percent() -> None:
    answers = np.array([0] * 40 + [1] * 0)
    shares = estimate_shares(Design.build(np.ones(40)), answers, 2)
    none = shares[1]
    assert none.share == 0 and none.se == 0
    assert none.interval.method == "korn-graubard" and none.interval.fallback
    # Clopper-Pearson upper bound for 0 of 40 (n_eff = n, df = n - 1): 1 - 0.025^(1/40).
    assert none.interval.low == 0
    assert none.interval.high == pytest.approx(1 - 0.025 ** (1 / 40), rel=1e-9)
    everyone = shares[0]
    assert everyone.interval.high == 1 and everyone.interval.fallback
    assert everyone.interval.low == pytest.approx(0.025 ** (1 / 40), rel=1e-9)
    assert interval(0.3, 0.05, 30, 0.95, "logit").fallback is False


def test_wald_and_levels() -> None:
    from scipy import stats

    wald = interval(0.3, 0.05, 30, 0.90, "wald")
    t = stats.t.ppf(0.95, 30)
    assert (wald.low, wald.high) == pytest.approx((0.3 - t * 0.05, 0.3 + t * 0.05))
    assert interval(0.01, 0.02, 30, 0.95, "wald").low == 0  # cut at 0
    with pytest.raises(UsageError, match="between 0 and 1"):
        interval(0.3, 0.05, 30, 95, "logit")
    with pytest.raises(UsageError, match="unknown interval method"):
        interval(0.3, 0.05, 30, 0.95, "exact")


def test_bad_designs_are_refused() -> None:
    with pytest.raises(DataError, match="2 weight"):
        Design.build([1.0, 0.0, float("nan"), 2.0])
    with pytest.raises(DataError, match=r"1 stratum\(s\) have a single cluster \(B\)"):
        Design.build([1.0] * 5, ["A", "A", "B", "A", "A"], [1, 2, 1, 1, 2])
    with pytest.raises(DataError, match="no valid answers"):
        estimate_shares(Design.build([1.0, 1.0]), np.array([-1, -1]), 2)


# --- issue 17: differences, worked by hand ------------------------------------------------------


def _poll_se(p: float, n: int = 1000, deff: float = 1.5) -> float:
    return math.sqrt(p * (1 - p) * deff / n)


def test_two_polls_of_1000_with_44_and_41_percent_differ_within_the_noise() -> None:
    # By hand: SE1 = √(.44·.56·1.5/1000) = .01922, SE2 = √(.41·.59·1.5/1000) = .01905,
    # SE of the difference = √(.01922² + .01905²) = .02706; z = -.03/.02706 = -1.108, |z| < 1.96.
    d = difference_independent(0.44, _poll_se(0.44), 0.41, _poll_se(0.41))
    assert d.difference == pytest.approx(-0.03)
    assert d.se == pytest.approx(0.02706, abs=5e-6)
    assert d.z == pytest.approx(-1.108, abs=1e-3)
    assert (d.low, d.high) == pytest.approx((-0.03 - 1.959964 * d.se, -0.03 + 1.959964 * d.se), abs=1e-6)
    assert not d.significant


def test_a_rise_from_22_to_44_percent_is_significant() -> None:
    # SE1 = √(.22·.78·1.5/1000) = .01604, SE2 = .01922; SE = .02504; z = .22/.02504 = 8.79.
    d = difference_independent(0.22, _poll_se(0.22), 0.44, _poll_se(0.44))
    assert d.z == pytest.approx(8.79, abs=0.005)
    assert d.significant and d.low > 0


def test_two_answers_of_one_question_in_one_sample() -> None:
    # var(p1 - p2) = (p1 + p2 - (p1 - p2)²) / n_eff; n_eff = 1000/1.5 = 666.7:
    # (.44 + .41 - .0009)/666.7 = .0012737, SE = .03569, z = .03/.03569 = 0.841: not significant.
    d = difference_same_question(0.44, 0.41, 1000 / 1.5)
    assert d.se == pytest.approx(0.03569, abs=5e-6)
    assert not d.significant
    # Treated as independent samples the SE would be smaller (.02706): the same-sample formula matters.
    assert d.se > difference_independent(0.44, _poll_se(0.44), 0.41, _poll_se(0.41)).se
    assert difference_same_question(0.22, 0.44, 1000 / 1.5).significant


def test_an_interval_from_a_stated_sample_size_is_wilson_and_marked() -> None:
    # Wilson, n = 1000/1.5, z = 1.96: centre (p + z²/2n)/(1 + z²/n), half z/(1 + z²/n)·√(p(1-p)/n + z²/4n²).
    n, z, p = 1000 / 1.5, 1.959964, 0.44
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    result = from_n(0.44, 1000, 1.5)
    assert result.method == "from-n"
    assert (result.low, result.high) == pytest.approx((centre - half, centre + half), abs=1e-6)
    with pytest.raises(UsageError):
        from_n(0.44, 0)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=4).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.lists(st.tuples(st.integers(0, k - 1), st.floats(0.1, 10), st.integers(0, 5)), min_size=12, max_size=60),
        )
    ),
    st.sampled_from(["logit", "korn-graubard", "wilson", "wald"]),
)
def test_shares_add_up_and_every_interval_holds_its_share(
    case: tuple[int, list[tuple[int, float, int]]], method: str
) -> None:
    k, rows = case
    answers = np.array([r[0] for r in rows])
    weights = np.array([r[1] for r in rows])
    clusters = np.array([r[2] % 3 for r in rows])  # three clusters in two strata, most of the time
    strata = np.array([i % 2 for i in range(len(rows))])
    try:
        design = Design.build(weights, strata, clusters)
        shares = estimate_shares(design, answers, k, method=method)
    except DataError:  # a stratum with a single cluster, or no degrees of freedom: refused, never a number
        return
    assert sum(s.share for s in shares) == pytest.approx(1)
    for code, s in enumerate(shares):
        assert s.se >= 0 and s.interval.low <= s.share + 1e-12 and s.share - 1e-12 <= s.interval.high
        assert s.interval.low >= 0 and s.interval.high <= 1
        assert s.n == int((answers == code).sum())
