"""Distribution-free intervals for percentiles, checked by their coverage and a textbook case."""

import numpy as np
import pytest
from scipy import stats

from plaint.core.quantiles import quantile_from_counts, quantile_interval


def test_the_median_of_a_small_sample_uses_the_order_statistics_the_binomial_gives():
    values = np.arange(1.0, 21.0)  # 20 observations
    m = quantile_interval(values, 0.5)
    # Binomial(20, 0.5): P(6 <= B <= 14) = 0.9586, so the interval is x(6) .. x(15)
    assert (m.low, m.high) == (6.0, 15.0)
    assert m.value == pytest.approx(10.5) and m.n == 20
    coverage = stats.binom.cdf(14, 20, 0.5) - stats.binom.cdf(5, 20, 0.5)
    assert coverage >= 0.95


def test_an_interval_the_sample_cannot_close_is_open():
    q90 = quantile_interval(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 0.9)
    assert q90.value is not None and q90.high is None


def test_no_observations_no_figures():
    assert quantile_interval(np.array([]), 0.5).value is None


def test_coverage_holds_by_simulation():
    rng = np.random.default_rng(7)
    true_p90 = stats.expon.ppf(0.9)
    hits = 0
    for _ in range(400):
        q = quantile_interval(rng.exponential(size=60), 0.9)
        hits += q.low is not None and q.high is not None and q.low <= true_p90 <= q.high
    assert hits / 400 >= 0.93


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        quantile_interval(np.array([1.0]), 1.0)
    with pytest.raises(ValueError):
        quantile_interval(np.array([1.0]), 0.5, confidence=1.0)


def test_a_histogram_gives_the_order_statistics_of_the_observations_it_counts():
    rng = np.random.default_rng(3)
    observations = np.sort(rng.integers(0, 40, size=137)).astype(float)
    values, counts = np.unique(observations, return_counts=True)
    for q in (0.5, 0.9):
        from_counts = quantile_from_counts(values, counts, q)
        raw = quantile_interval(observations, q)
        assert from_counts.n == raw.n == 137
        assert (from_counts.low, from_counts.high) == (raw.low, raw.high)
        assert from_counts.value == observations[int(np.ceil(q * 137)) - 1]  # nearest rank


def test_an_empty_histogram_has_no_figures():
    assert quantile_from_counts(np.array([]), np.array([]), 0.5).value is None
